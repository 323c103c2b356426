package ops

import (
	"context"

	"github.com/spf13/pflag"
)

// CatOptions are the options of `ferry cat`.
type CatOptions struct {
	F         *Env
	Addresses []string
	Patterns  patternFlags
	// ASCII transfers in ASCII type (-a).
	ASCII bool
}

var catCommand = Command{
	Name:    "cat",
	Use:     "cat [-a] [--literal|--glob] URL...",
	Short:   "Print remote files on stdout",
	MinArgs: 1, MaxArgs: -1,
	New: func() Operation { return &CatOptions{} },
	Long: `Print remote files on stdout, one after the other, in binary mode, or
with -a (--ascii) in ASCII mode (TYPE A), for text: each CRLF line end the
server sends is written as LF.

The data must be as long as the server announced (with SIZE or in its
reply to RETR). Nothing past the announced size is written, and a file
that ends short or runs long makes cat fail with a message on stderr:
exit code 1 for a short file, 9 for one that runs long. What was written
before the failure stays written, so check the exit code before you trust
the output (in a pipeline: set -o pipefail). A folder is no file to
print: one named fails (exit code 5), and those a pattern matches are
reported as skipped (exit code 8).

` + patternHelp,
	Example: `  ferry cat ftp://ftp.example.org/pub/README
  ferry cat ftp://example.org/data.csv.gz | gunzip | head
  ferry cat -a ftp://example.org/notes.txt`,
}

// AddFlags defines cat's flags.
func (o *CatOptions) AddFlags(fl *pflag.FlagSet) {
	fl.BoolVarP(&o.ASCII, "ascii", "a", false, "ASCII mode (TYPE A), for text files: CRLF line ends are written as LF")
	o.Patterns.add(fl)
}

// Args takes the positional arguments and checks the flags.
func (o *CatOptions) Args(fl *pflag.FlagSet, args []string) error {
	o.Addresses = args
	_, err := o.Patterns.mode()
	return err
}

// Run does it.
func (o *CatOptions) Run(ctx context.Context, env *Env) error {
	o.F = env
	env.Opts.ASCII = env.Opts.ASCII || o.ASCII
	return catRun(ctx, o)
}

func catRun(ctx context.Context, o *CatOptions) error {
	mode, err := o.Patterns.mode()
	if err != nil {
		return err
	}
	f := o.F
	ss := newSessions(f)
	defer ss.closeAll()
	x, err := expandAll(ctx, f, ss, o.Addresses, mode, false)
	if err != nil {
		return err
	}
	return fetchAll(ctx, f, ss, x, "cat prints files, ls lists folders")
}
