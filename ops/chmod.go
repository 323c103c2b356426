package ops

import (
	"context"
	"os"
	"strconv"

	"github.com/spf13/pflag"

	"github.com/ferry-ftp/ferry/transfer"
)

// ChmodOptions are the options of `ferry chmod`.
type ChmodOptions struct {
	F         *Env
	Mode      os.FileMode
	Addresses []string
	Patterns  patternFlags
}

var chmodCommand = Command{
	Name:    "chmod",
	Use:     "chmod [--literal|--glob] MODE URL...",
	Short:   "Change permissions of remote files (SITE CHMOD)",
	MinArgs: 2, MaxArgs: -1,
	New: func() Operation { return &ChmodOptions{} },
	Long: `Change the permissions of remote files and folders with SITE CHMOD. MODE
is octal, such as 644.
` + patternHelp,
	Example: `  ferry chmod 644 ftp://user@example.org/www/index.html
  ferry chmod 600 'ftp://user@example.org/private/*'`,
}

// AddFlags defines chmod's flags.
func (o *ChmodOptions) AddFlags(fl *pflag.FlagSet) { o.Patterns.add(fl) }

// Args takes the mode and the addresses.
func (o *ChmodOptions) Args(_ *pflag.FlagSet, args []string) error {
	m, err := strconv.ParseUint(args[0], 8, 32)
	if err != nil || m > 0o7777 {
		return usageErrorf("mode %q is not an octal mode such as 644", args[0])
	}
	o.Mode, o.Addresses = os.FileMode(m), args[1:]
	_, err = o.Patterns.mode()
	return err
}

// Run changes the permissions with SITE CHMOD.
func (o *ChmodOptions) Run(ctx context.Context, env *Env) error {
	o.F = env
	mode, err := o.Patterns.mode()
	if err != nil {
		return err
	}
	return eachRemote(ctx, env, o.Addresses, expandOptions{mode: mode, dirs: true}, func(ctx context.Context, s *transfer.Session, p string, did func(action, path string)) error {
		c, err := s.Conn(ctx)
		if err != nil {
			return err
		}
		if err := c.Chmod(ctx, p, o.Mode); err != nil {
			return err
		}
		did("chmod", p)
		return nil
	})
}
