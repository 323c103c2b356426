package main

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"
	"github.com/spf13/pflag"

	"github.com/ferry-ftp/ferry/cmd"
)

// generate writes a page for each command of ferry's tree into dir.
//
// cobra's "ferry completion bash" (zsh, fish, powershell) get pages too,
// although make install puts the scripts in place: they are commands of
// ferry's, --help shows them, and their help says how to load a script by
// hand; one page per command keeps the pages and --help in agreement.
func generate(dir string, date time.Time) error {
	root := newTree()
	prepare(root)
	header := &doc.GenManHeader{
		Section: "1",
		Date:    &date,
		Source:  "ferry",
		Manual:  "ferry manual",
	}
	if err := doc.GenManTree(root, header, dir); err != nil {
		return fmt.Errorf("writing manual pages to %s: %w", dir, err)
	}
	return nil
}

// prepare readies the tree for cobra/doc: help text as Markdown, and no
// "auto generated" footer with a date.
func prepare(root *cobra.Command) {
	seen := make(map[*pflag.Flag]bool)
	escapeUsage := func(fl *pflag.Flag) {
		if !seen[fl] {
			seen[fl] = true
			fl.Usage = usageMarkdown(fl.Usage)
		}
	}
	walk(root, func(c *cobra.Command) {
		c.DisableAutoGenTag = true
		c.Short = escapeMarkdown(c.Short)
		if !isShellScriptCmd(c) {
			c.Long = helpMarkdown(c.Long)
		}
		c.PersistentFlags().VisitAll(escapeUsage)
		c.Flags().VisitAll(escapeUsage)
	})
}

// isShellScriptCmd reports whether c is one of the commands cobra adds
// under "ferry completion" (bash, zsh, fish, powershell), whose help cobra
// writes in Markdown already, with headings such as "#### Linux:".
func isShellScriptCmd(c *cobra.Command) bool {
	p := c.Parent()
	return p != nil && p.Name() == "completion" && p.Parent() != nil && !p.Parent().HasParent()
}

// newTree returns ferry's command tree as the binary builds it, with a
// factory that sees no environment and no home folder, so that nothing
// of the machine that builds the pages ends up in them.
func newTree() *cobra.Command {
	f := &cmd.Factory{
		IO:     &cmd.IOStreams{In: strings.NewReader(""), Out: io.Discard, ErrOut: io.Discard},
		Opts:   &cmd.GlobalOptions{},
		Getenv: func(string) string { return "" },
		Home:   func() (string, error) { return "", errors.New("no home folder while writing manual pages") },
	}
	return cmd.NewRootCmd(f)
}

// sourceDate returns the date to print on the pages: $SOURCE_DATE_EPOCH
// (seconds since 1970, as reproducible builds define it) in UTC when it is
// set, and today otherwise.
func sourceDate(epoch string) (time.Time, error) {
	if epoch == "" {
		return time.Now().UTC(), nil
	}
	sec, err := strconv.ParseInt(epoch, 10, 64)
	if err != nil {
		return time.Time{}, fmt.Errorf("SOURCE_DATE_EPOCH=%q: not a number of seconds: %w", epoch, err)
	}
	return time.Unix(sec, 0).UTC(), nil
}

// walk calls fn on c and each command under it.
func walk(c *cobra.Command, fn func(*cobra.Command)) {
	fn(c)
	for _, sub := range c.Commands() {
		walk(sub, fn)
	}
}
