package ops

import (
	"context"

	"github.com/spf13/pflag"

	"github.com/ferry-ftp/ferry/internal/pattern"
	"github.com/ferry-ftp/ferry/transfer"
)

// RmdirOptions are the options of `ferry rmdir`.
type RmdirOptions struct {
	F         *Env
	Addresses []string
}

var rmdirCommand = Command{
	Name:    "rmdir",
	Use:     "rmdir URL...",
	Short:   "Delete empty remote folders",
	MinArgs: 1, MaxArgs: -1,
	New:     func() Operation { return &RmdirOptions{} },
	Long:    `Delete empty remote folders (RMD). Names are taken as they are, never as patterns.`,
	Example: `  ferry rmdir ftp://user@example.org/incoming/empty`,
}

// AddFlags defines rmdir's flags: it has none.
func (o *RmdirOptions) AddFlags(*pflag.FlagSet) {}

// Args takes the addresses.
func (o *RmdirOptions) Args(_ *pflag.FlagSet, args []string) error {
	o.Addresses = args
	return nil
}

// Run removes the folders with RMD.
func (o *RmdirOptions) Run(ctx context.Context, env *Env) error {
	o.F = env
	return eachRemote(ctx, env, o.Addresses, expandOptions{mode: pattern.Literal}, func(ctx context.Context, s *transfer.Session, p string, did func(action, path string)) error {
		c, err := s.Conn(ctx)
		if err != nil {
			return err
		}
		if err := c.Rmd(ctx, p); err != nil {
			return err
		}
		did("rmdir", p)
		return nil
	})
}
