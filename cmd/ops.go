package cmd

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/ferry-ftp/ferry/ops"
)

// newOpCmd returns the command for the operation named name: its help,
// flags and argument checks come from package ops, which the shell's
// twin of the command uses too. runF, when not nil, replaces the run in
// tests.
func newOpCmd(f *Factory, name string, runF func(context.Context, ops.Operation) error) *cobra.Command {
	spec := ops.Lookup(name)
	op := spec.New()
	c := &cobra.Command{
		Use:     spec.Use,
		Short:   spec.Short,
		Long:    spec.Long,
		Example: spec.Example,
		Args: func(c *cobra.Command, args []string) error {
			return spec.CheckArgs(c.CommandPath(), args)
		},
		RunE: func(c *cobra.Command, args []string) error {
			if err := op.Args(c.Flags(), args); err != nil {
				return err
			}
			if runF != nil {
				return runF(c.Context(), op)
			}
			return op.Run(c.Context(), f.Env())
		},
	}
	op.AddFlags(c.Flags())
	if c.Flags().ShorthandLookup("h") != nil {
		// ls -h is --human-readable, as in ls(1): help is --help only.
		c.Flags().Bool("help", false, "help for "+spec.Name)
	}
	c.ValidArgsFunction = argsCompletion(f, name)
	return c
}

// argsCompletion returns the completion of the arguments of the
// operation named name.
func argsCompletion(f *Factory, name string) cobra.CompletionFunc {
	switch name {
	case "put", "mirror":
		return putArgs(f)
	case "mv", "quote":
		return firstRemoteArg(f)
	case "chmod":
		return func(cc *cobra.Command, args []string, word string) ([]cobra.Completion, cobra.ShellCompDirective) {
			if len(args) == 0 {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			return f.completeRemote(word)
		}
	}
	return remoteArgs(f)
}
