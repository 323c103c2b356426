package cmd

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/ferry-ftp/ferry/transfer"
)

// CatOptions are the options of `ferry cat`.
type CatOptions struct {
	F         *Factory
	Addresses []string
}

// NewCmdCat returns `ferry cat`.
func NewCmdCat(f *Factory, runF func(context.Context, *CatOptions) error) *cobra.Command {
	o := &CatOptions{F: f}
	c := &cobra.Command{
		Use:   "cat URL... [-a]",
		Short: "Print remote files on stdout",
		Long: `Print remote files on stdout, one after the other, in binary mode, or
with -a (--ascii) in ASCII mode (TYPE A), for text: each CRLF line end the
server sends is written as LF.

The data must be as long as the server announced (with SIZE or in its
reply to RETR). Nothing past the announced size is written, and a file
that ends short or runs long makes cat fail with a message on stderr:
exit code 1 for a short file, 9 for one that runs long. What was written
before the failure stays written, so check the exit code before you trust
the output (in a pipeline: set -o pipefail).`,
		Example: `  ferry cat ftp://ftp.example.org/pub/README
  ferry cat ftp://example.org/data.csv.gz | gunzip | head
  ferry cat -a ftp://example.org/notes.txt`,
		Args: minArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			o.Addresses = args
			if runF != nil {
				return runF(c.Context(), o)
			}
			return catRun(c.Context(), o)
		},
	}
	c.Flags().BoolVarP(&f.Opts.ASCII, "ascii", "a", false, "ASCII mode (TYPE A), for text files: CRLF line ends are written as LF")
	return c
}

func catRun(ctx context.Context, o *CatOptions) error {
	f := o.F
	ss := newSessions(f)
	defer ss.closeAll()
	items, failed, err := expandAll(ctx, f, ss, o.Addresses, true, false)
	if err != nil {
		return err
	}
	rep := newReporter(f, true)
	for _, it := range items {
		s, err := ss.get(ctx, it.remote)
		if err != nil {
			return err
		}
		c, err := s.Conn(ctx)
		var n int64
		if err == nil {
			n, err = transfer.Fetch(ctx, c, it.path, f.IO.Out, rep.progress)
		}
		rep.done(it.path, "-", transfer.Result{Remote: it.path, Size: n, Bytes: n}, err)
		if err != nil && ExitCode(err) == ExitInterrupted {
			return err
		}
	}
	return rep.finish(failed)
}
