package cmd

import (
	"strings"
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

// TestShellHelpListsCommands checks that ferry shell --help, and so its
// man page, lists every command of the shell (outside probe of issue 13:
// the man page had none).
func TestShellHelpListsCommands(t *testing.T) {
	f := &Factory{IO: &IOStreams{}, Opts: &GlobalOptions{}}
	c, _, err := NewRootCmd(f).Find([]string{"shell"})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"open", "get", "reget", "mget", "put", "mput", "mirror", "ls", "dir", "cd", "lcd",
		"delete (rm)", "mdelete", "rename (mv)", "chmod", "stat", "cat", "quote", "site", "bookmark", "bye (quit, exit)"} {
		if !strings.Contains(c.Long, "\n  "+name+" ") {
			t.Errorf("ferry shell --help does not list %q", name)
		}
	}
}
