package cmd

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/ferry-ftp/ferry/internal/pattern"
	"github.com/ferry-ftp/ferry/transfer"
)

// RmdirOptions are the options of `ferry rmdir`.
type RmdirOptions struct {
	F         *Factory
	Addresses []string
}

// NewCmdRmdir returns `ferry rmdir`.
func NewCmdRmdir(f *Factory, runF func(context.Context, *RmdirOptions) error) *cobra.Command {
	o := &RmdirOptions{F: f}
	return &cobra.Command{
		Use:     "rmdir URL...",
		Short:   "Delete empty remote folders",
		Example: `  ferry rmdir ftp://user@example.org/incoming/empty`,
		Args:    minArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			o.Addresses = args
			if runF != nil {
				return runF(c.Context(), o)
			}
			return eachRemote(c.Context(), o.F, o.Addresses, expandOptions{mode: pattern.Literal}, func(ctx context.Context, s *transfer.Session, p string, did func(action, path string)) error {
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
		},
	}
}
