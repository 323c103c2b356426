package cmd

import (
	"context"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ferry-ftp/ferry/transfer"
)

// MkdirOptions are the options of `ferry mkdir`.
type MkdirOptions struct {
	F         *Factory
	Addresses []string
	Parents   bool
}

// NewCmdMkdir returns `ferry mkdir`.
func NewCmdMkdir(f *Factory, runF func(context.Context, *MkdirOptions) error) *cobra.Command {
	o := &MkdirOptions{F: f}
	c := &cobra.Command{
		Use:   "mkdir [-p] URL...",
		Short: "Create remote folders",
		Example: `  ferry mkdir ftp://user@example.org/backups/2026
  ferry mkdir -p ftp://user@example.org/a/b/c`,
		Args: minArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			o.Addresses = args
			if runF != nil {
				return runF(c.Context(), o)
			}
			return mkdirRun(c.Context(), o)
		},
	}
	c.Flags().BoolVarP(&o.Parents, "parents", "p", false, "create missing parent folders; an existing folder is no error")
	return c
}

func mkdirRun(ctx context.Context, o *MkdirOptions) error {
	return eachRemote(ctx, o.F, o.Addresses, false, false, func(ctx context.Context, s *transfer.Session, p string) error {
		c, err := s.Conn(ctx)
		if err != nil {
			return err
		}
		if !o.Parents {
			_, err := c.Mkd(ctx, p)
			return err
		}
		// Create each missing level; an existing folder is fine.
		trimmed := strings.Trim(p, "/")
		prefix := ""
		if strings.HasPrefix(p, "/") {
			prefix = "/"
		}
		parts := strings.Split(trimmed, "/")
		for i := range parts {
			sub := prefix + strings.Join(parts[:i+1], "/")
			if _, err := c.Mkd(ctx, sub); err != nil {
				if c.Err() != nil {
					return err
				}
				if dir, derr := isRemoteDir(ctx, s, c, sub); derr != nil || !dir {
					return err
				}
			}
		}
		return nil
	})
}

// eachRemote runs op on every remote path the addresses name (with glob,
// patterns are expanded; dirs says whether they match folders), reporting
// failures as the reporter does for transfers.
func eachRemote(ctx context.Context, f *Factory, addrs []string, glob, dirs bool, op func(context.Context, *transfer.Session, string) error) error {
	ss := newSessions(f)
	defer ss.closeAll()
	items, failed, err := expandAll(ctx, f, ss, addrs, glob, dirs)
	if err != nil {
		return err
	}
	total := len(items) + len(failed)
	var errs []error
	for _, it := range items {
		s, err := ss.get(ctx, it.remote)
		if err == nil {
			err = op(ctx, s, it.path)
		}
		if err != nil {
			if ExitCode(err) == ExitInterrupted {
				return err
			}
			if total == 1 {
				return err
			}
			f.Warn("%s: %v", it.path, err)
			errs = append(errs, err)
		}
	}
	if n := len(errs) + len(failed); n > 0 {
		if total == 1 {
			return silent{failed[0]}
		}
		return &PartialError{Failed: n, Total: total}
	}
	return nil
}
