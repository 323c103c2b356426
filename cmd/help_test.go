package cmd

import (
	"testing"

	"github.com/spf13/cobra"
)

// TestEveryCommandHasHelp checks that each command that runs has a short
// description and examples in its --help.
func TestEveryCommandHasHelp(t *testing.T) {
	f := &Factory{IO: &IOStreams{}, Opts: &GlobalOptions{}}
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		for _, sub := range c.Commands() {
			if sub.Hidden || sub.Name() == "help" {
				continue
			}
			if sub.Short == "" {
				t.Errorf("%s has no short description", sub.CommandPath())
			}
			if sub.Runnable() && sub.Example == "" && sub.Parent().Name() != "completion" {
				t.Errorf("%s has no examples", sub.CommandPath())
			}
			walk(sub)
		}
	}
	walk(NewRootCmd(f))
}
