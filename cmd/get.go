package cmd

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ferry-ftp/ferry/transfer"
)

// GetOptions are the options of `ferry get`.
type GetOptions struct {
	F         *Factory
	Addresses []string
	Output    string
	Continue  bool
}

// NewCmdGet returns `ferry get`.
func NewCmdGet(f *Factory, runF func(context.Context, *GetOptions) error) *cobra.Command {
	o := &GetOptions{F: f}
	c := &cobra.Command{
		Use:   "get URL... [-o PATH|-] [-c]",
		Short: "Download files",
		Long: `Download remote files. A pattern in the last path element ('*.txt')
is matched against the folder's listing (quote it from your shell).

The data goes to NAME.part beside the target, which is renamed to NAME
only when complete, so an existing file is never replaced by a partial
one. The local modification time is set from the server's. After a
failure or an interrupt, -c resumes from the .part file.`,
		Example: `  ferry get ftp://ftp.example.org/pub/file.iso
  ferry get -c ftp://ftp.example.org/pub/file.iso
  ferry get 'ftp://example.org/logs/*.gz' -o logs/
  ferry get ftp://example.org/notes.txt -o - | less`,
		Args: minArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			o.Addresses = args
			if runF != nil {
				return runF(c.Context(), o)
			}
			return getRun(c.Context(), o)
		},
	}
	c.Flags().StringVarP(&o.Output, "output", "o", "", "write to PATH (a file, or a folder for several files), or - for stdout")
	c.Flags().BoolVarP(&o.Continue, "continue", "c", false, "resume a partial download")
	return c
}

// item is one remote file of a multi-file command.
type item struct {
	remote Remote
	path   string
}

// expandAll resolves the addresses and expands their patterns, opening
// sessions as needed. Failures to expand are reported and counted.
func expandAll(ctx context.Context, f *Factory, ss *sessions, addrs []string, glob, dirs bool) ([]item, []error, error) {
	var items []item
	var failed []error
	for _, a := range addrs {
		r, err := f.Resolve(a)
		if err != nil {
			return nil, nil, err
		}
		s, err := ss.get(ctx, r)
		if err != nil {
			return nil, nil, err
		}
		if !glob {
			items = append(items, item{remote: r, path: r.Path()})
			continue
		}
		c, err := s.Conn(ctx)
		if err != nil {
			return nil, nil, err
		}
		paths, err := expand(ctx, f, c, r.Path(), dirs)
		if err != nil {
			var fe *FlagError
			if errors.As(err, &fe) || c.Err() != nil {
				return nil, nil, err
			}
			f.Warn("%s: %v", r.Target, err)
			failed = append(failed, err)
			continue
		}
		for _, p := range paths {
			items = append(items, item{remote: r, path: p})
		}
	}
	return items, failed, nil
}

func getRun(ctx context.Context, o *GetOptions) error {
	f := o.F
	ss := newSessions(f)
	defer ss.closeAll()
	items, failed, err := expandAll(ctx, f, ss, o.Addresses, true, false)
	if err != nil {
		return err
	}
	toStdout := o.Output == "-"
	if toStdout && o.Continue {
		return usageErrorf("-c cannot resume output to stdout")
	}
	outDir, err := outputFolder(o.Output, len(items)+len(failed) > 1)
	if err != nil {
		return err
	}
	rep := newReporter(f, toStdout)
	for _, it := range items {
		s, err := ss.get(ctx, it.remote)
		if err != nil {
			return err
		}
		name := baseName(it.path)
		if err := checkLocalName(name); err != nil {
			rep.fail(it.path, "", err)
			continue
		}
		if toStdout {
			c, err := s.Conn(ctx)
			if err == nil {
				_, err = transfer.Fetch(ctx, c, it.path, f.IO.Out, rep.progress)
			}
			rep.done(it.path, "-", transfer.Result{Remote: it.path, Local: "-"}, err)
			if err != nil && ExitCode(err) == ExitInterrupted {
				return err
			}
			continue
		}
		local := o.Output
		if outDir != "" {
			local = filepath.Join(outDir, name)
		} else if local == "" {
			local = name
		}
		res, err := s.GetFile(ctx, it.path, local, transfer.GetOptions{Resume: o.Continue, Progress: rep.progress}, f.Opts.Retries)
		rep.done(it.path, local, res, err)
		if err != nil && ExitCode(err) == ExitInterrupted {
			return err
		}
	}
	return rep.finish(failed)
}

// outputFolder returns the folder -o names when the files go into a
// folder: with several files, or when -o is an existing folder or ends in
// a separator. It returns "" when -o names the file itself or is unset.
func outputFolder(out string, many bool) (string, error) {
	if out == "" || out == "-" {
		return "", nil
	}
	fi, err := os.Stat(out)
	isDir := err == nil && fi.IsDir()
	if !isDir && (strings.HasSuffix(out, "/") || strings.HasSuffix(out, string(filepath.Separator))) {
		return "", &transfer.LocalError{Op: "open folder", Path: out, Err: os.ErrNotExist}
	}
	if isDir {
		return out, nil
	}
	if many {
		return "", usageErrorf("-o %s must be an existing folder when several files are downloaded", out)
	}
	return "", nil
}

// checkLocalName refuses a name from the server that could write outside
// the target folder or confuse a shell: empty, "." or "..", a path
// separator, a control character, or a leading "|".
func checkLocalName(name string) error {
	bad := func(why string) error {
		return &transfer.LocalError{Op: "refuse name", Path: name, Err: errors.New(why)}
	}
	switch {
	case name == "" || name == "." || name == "..":
		return bad("not a file name")
	case strings.ContainsAny(name, `/\`):
		return bad("holds a path separator")
	case strings.HasPrefix(name, "|"):
		return bad("starts with |")
	case !filepath.IsLocal(name):
		return bad("not a local name")
	}
	for _, r := range name {
		if r < 0x20 || r == 0x7f {
			return bad(fmt.Sprintf("holds control character %q", r))
		}
	}
	return nil
}
