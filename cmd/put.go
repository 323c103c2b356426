package cmd

import (
	"context"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ferry-ftp/ferry/transfer"
)

// PutOptions are the options of `ferry put`.
type PutOptions struct {
	F        *Factory
	Locals   []string
	Address  string
	Continue bool
	Direct   bool
}

// NewCmdPut returns `ferry put`.
func NewCmdPut(f *Factory, runF func(context.Context, *PutOptions) error) *cobra.Command {
	o := &PutOptions{F: f}
	c := &cobra.Command{
		Use:   "put PATH... URL [-c]",
		Short: "Upload files",
		Long: `Upload local files. When URL names a folder (it ends in "/", or is a
folder on the server, or several files are given), each file keeps its
name inside it; otherwise URL is the remote file name.

Each file is uploaded as NAME.part and renamed to NAME when complete and
its size checked, so a failed upload never leaves a truncated file under
the final name. After a failure, -c resumes from the .part file on the
server. --direct writes straight to NAME, for servers that cannot rename.`,
		Example: `  ferry put backup.tar.gz ftp://user@example.org/backups/
  ferry put -c big.iso ftp://user@example.org/incoming/big.iso
  ferry put *.log ftp://user@example.org/logs/`,
		Args: minArgs(2),
		RunE: func(c *cobra.Command, args []string) error {
			o.Locals, o.Address = args[:len(args)-1], args[len(args)-1]
			if runF != nil {
				return runF(c.Context(), o)
			}
			return putRun(c.Context(), o)
		},
	}
	c.Flags().BoolVarP(&o.Continue, "continue", "c", false, "resume a partial upload")
	c.Flags().BoolVar(&o.Direct, "direct", false, "write to the final name, without a temporary .part name")
	return c
}

func putRun(ctx context.Context, o *PutOptions) error {
	f := o.F
	r, err := f.Resolve(o.Address)
	if err != nil {
		return err
	}
	for _, l := range o.Locals {
		if l == "-" {
			return usageErrorf("put reads files, not stdin")
		}
	}
	s, err := f.Open(ctx, r)
	if err != nil {
		return err
	}
	defer s.Close(context.WithoutCancel(ctx))
	c, err := s.Conn(ctx)
	if err != nil {
		return err
	}
	dest := r.Path()
	intoDir := len(o.Locals) > 1 || dest == "" || strings.HasSuffix(dest, "/")
	if !intoDir {
		if intoDir, err = isRemoteDir(ctx, s, c, dest); err != nil {
			return err
		}
	}
	rep := newReporter(f, false)
	for _, local := range o.Locals {
		remote := dest
		if intoDir {
			remote = joinRemote(dest, filepath.Base(local))
		}
		if fi, err := os.Stat(local); err != nil || fi.IsDir() {
			if err == nil {
				err = &transfer.LocalError{Op: "open", Path: local, Err: errIsFolder}
			} else {
				err = &transfer.LocalError{Op: "open", Path: local, Err: err}
			}
			rep.fail(local, remote, err)
			continue
		}
		res, err := s.PutFile(ctx, local, remote, transfer.PutOptions{Resume: o.Continue, Direct: o.Direct, Progress: rep.progress}, f.Opts.Retries)
		rep.done(remote, local, res, err)
		if err != nil && ExitCode(err) == ExitInterrupted {
			return err
		}
	}
	return rep.finish(nil)
}
