package cmd

import (
	"context"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ferry-ftp/ferry/internal/pattern"
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
	return eachRemote(ctx, o.F, o.Addresses, expandOptions{mode: pattern.Literal}, func(ctx context.Context, s *transfer.Session, p string, did func(action, path string)) error {
		c, err := s.Conn(ctx)
		if err != nil {
			return err
		}
		if !o.Parents {
			if _, err := c.Mkd(ctx, p); err != nil {
				return err
			}
			did("mkdir", p)
			return nil
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
				continue
			}
			did("mkdir", sub)
		}
		return nil
	})
}
