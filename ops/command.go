package ops

import (
	"context"
	"fmt"

	"github.com/spf13/pflag"
)

// Operation is one run of a user-level operation: its options, bound to
// flags, and what it does. Both front ends use it the same way: AddFlags
// on a fresh flag set, parse the arguments, Args with the positional
// ones, then Run.
type Operation interface {
	// AddFlags defines the operation's flags on fl.
	AddFlags(fl *pflag.FlagSet)
	// Args takes the positional arguments, after the flags were parsed
	// into fl, and checks both: errors are usage errors (exit code 2).
	Args(fl *pflag.FlagSet, args []string) error
	// Run does the operation.
	Run(ctx context.Context, env *Env) error
}

// Command describes an operation for the front ends: its name, its help,
// and how to make a fresh run of it.
type Command struct {
	Name    string
	Use     string // the command line's usage: "get URL... [-o PATH|-] ..."
	Short   string // one line for command lists
	Long    string // the help, in paragraphs
	Example string // the command line's examples, indented two spaces
	// MinArgs and MaxArgs bound the number of positional arguments;
	// MaxArgs -1 is no limit.
	MinArgs, MaxArgs int
	// New returns a run of the operation with its defaults.
	New func() Operation
}

// CheckArgs checks the number of positional arguments; name is the
// command as the user typed it, for the message.
func (c *Command) CheckArgs(name string, args []string) error {
	switch {
	case c.MaxArgs == c.MinArgs && len(args) != c.MinArgs:
		return usageErrorf("%s takes %d argument(s), got %d", name, c.MinArgs, len(args))
	case len(args) < c.MinArgs:
		return usageErrorf("%s needs at least %d argument(s)", name, c.MinArgs)
	case c.MaxArgs >= 0 && len(args) > c.MaxArgs:
		return usageErrorf("%s takes at most %d argument(s), got %d", name, c.MaxArgs, len(args))
	}
	return nil
}

// Lookup returns the command named name, or nil.
func Lookup(name string) *Command {
	for i := range Commands {
		if Commands[i].Name == name {
			return &Commands[i]
		}
	}
	return nil
}

// String returns the command's name.
func (c *Command) String() string { return fmt.Sprint(c.Name) }

// Commands are the operations, in the order help lists them.
var Commands = []Command{
	lsCommand, getCommand, putCommand, mirrorCommand, checkCommand, catCommand, statCommand,
	mkdirCommand, rmCommand, rmdirCommand, mvCommand, cpCommand, chmodCommand, quoteCommand,
}
