package cmd

import (
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
// It prints as an operation does (ops.Env.Status).
func (f *Factory) Status(format string, args ...any) { f.Env().Status(format, args...) }

// Warn prints a warning on stderr, even with --quiet, as an operation
// does (ops.Env.Warn).
func (f *Factory) Warn(format string, args ...any) { f.Env().Warn(format, args...) }
