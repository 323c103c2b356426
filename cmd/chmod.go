package cmd

import (
	"context"
	"os"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/ferry-ftp/ferry/transfer"
)

// ChmodOptions are the options of `ferry chmod`.
type ChmodOptions struct {
	F         *Factory
	Mode      os.FileMode
	Addresses []string
	Patterns  patternFlags
}

// NewCmdChmod returns `ferry chmod`.
func NewCmdChmod(f *Factory, runF func(context.Context, *ChmodOptions) error) *cobra.Command {
	o := &ChmodOptions{F: f}
	c := &cobra.Command{
		Use:   "chmod [--literal|--glob] MODE URL...",
		Short: "Change permissions of remote files (SITE CHMOD)",
		Long: `Change the permissions of remote files and folders with SITE CHMOD. MODE
is octal, such as 644.

` + patternHelp,
		Example: `  ferry chmod 644 ftp://user@example.org/www/index.html
  ferry chmod 600 'ftp://user@example.org/private/*'`,
		Args: minArgs(2),
		RunE: func(c *cobra.Command, args []string) error {
			m, err := strconv.ParseUint(args[0], 8, 32)
			if err != nil || m > 0o7777 {
				return usageErrorf("mode %q is not an octal mode such as 644", args[0])
			}
			o.Mode, o.Addresses = os.FileMode(m), args[1:]
			mode, err := o.Patterns.mode()
			if err != nil {
				return err
			}
			if runF != nil {
				return runF(c.Context(), o)
			}
			return eachRemote(c.Context(), o.F, o.Addresses, expandOptions{mode: mode, dirs: true}, func(ctx context.Context, s *transfer.Session, p string, did func(action, path string)) error {
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
		},
	}
	o.Patterns.add(c.Flags())
	return c
}
