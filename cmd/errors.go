package cmd

import (
	"fmt"

	"github.com/ferry-ftp/ferry/ops"
)

// FlagError is a usage error (exit code 2); package ops owns it and the
// exit-code table.
type FlagError = ops.UsageError

// usageErrorf returns a FlagError.
func usageErrorf(format string, args ...any) error { return ops.UsageErrorf(format, args...) }

// ExitCode maps an error to the process exit code (see ops.ExitCode).
func ExitCode(err error) int { return ops.ExitCode(err) }

// Status prints a status message on stderr unless --quiet.
func (f *Factory) Status(format string, args ...any) {
	if !f.Opts.Quiet {
		fmt.Fprintf(f.IO.ErrOut, format+"\n", args...)
	}
}

// Warn prints a warning on stderr, even with --quiet.
func (f *Factory) Warn(format string, args ...any) {
	fmt.Fprintf(f.IO.ErrOut, "ferry: "+format+"\n", args...)
}
