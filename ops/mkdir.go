package ops

import (
	"context"
	"strings"

	"github.com/spf13/pflag"

	"github.com/ferry-ftp/ferry/internal/pattern"
	"github.com/ferry-ftp/ferry/transfer"
)

// MkdirOptions are the options of `ferry mkdir`.
type MkdirOptions struct {
	F         *Env
	Addresses []string
	Parents   bool
}

var mkdirCommand = Command{
	Name:    "mkdir",
	Use:     "mkdir [-p] URL...",
	Short:   "Create remote folders",
	MinArgs: 1, MaxArgs: -1,
	New: func() Operation { return &MkdirOptions{} },
	Long: `Create remote folders (MKD). With -p, create the missing parent folders
too, and take a folder that exists already for done. Names are taken as
they are, never as patterns.`,
	Example: `  ferry mkdir ftp://user@example.org/backups/2026
  ferry mkdir -p ftp://user@example.org/a/b/c`,
}

// AddFlags defines mkdir's flags.
func (o *MkdirOptions) AddFlags(fl *pflag.FlagSet) {
	fl.BoolVarP(&o.Parents, "parents", "p", false, "create missing parent folders; an existing folder is no error")
}

// Args takes the positional arguments and checks the flags.
func (o *MkdirOptions) Args(fl *pflag.FlagSet, args []string) error {
	o.Addresses = args
	return nil
}

// Run does it.
func (o *MkdirOptions) Run(ctx context.Context, env *Env) error {
	o.F = env
	return mkdirRun(ctx, o)
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
