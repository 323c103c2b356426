package cmd

import (
	"context"
	"errors"
	"fmt"

	"github.com/ferry-ftp/ferry/client"
	"github.com/ferry-ftp/ferry/internal/ftpurl"
	"github.com/ferry-ftp/ferry/shell"
	"github.com/ferry-ftp/ferry/transfer"
)

// Exit codes, documented in `ferry --help` and README.
const (
	ExitOK          = 0   // success
	ExitFailure     = 1   // any other failure
	ExitUsage       = 2   // bad flags or arguments
	ExitConnection  = 3   // cannot connect, or the connection was lost
	ExitLogin       = 4   // the server refused the login
	ExitRemote      = 5   // the server refused: missing file, permission...
	ExitLocal       = 6   // a local file error
	ExitTLS         = 7   // TLS or certificate error
	ExitPartial     = 8   // some items of a multi-item command failed
	ExitTooLong     = 9   // the server sent more data than it announced
	ExitInterrupted = 130 // interrupted by a signal
)

const exitCodeHelp = `Exit codes:
  0    success
  1    other failure
  2    usage error (bad flags, arguments or address)
  3    cannot connect, or the connection was lost or timed out
  4    login refused
  5    remote file error (not found, permission, refused by the server)
  6    local file error
  7    TLS or certificate error
  8    partial success (some items of a multi-item command failed, or were
       skipped: links, special files, unreadable listing lines); when
       every item fails, the failure's own code instead
  9    the server sent more data than it announced for a file (nothing past
       the announced size was written)
  130  interrupted`

// FlagError is a usage error: exit code 2.
type FlagError struct{ Err error }

func (e *FlagError) Error() string { return e.Err.Error() }
func (e *FlagError) Unwrap() error { return e.Err }

// usageErrorf returns a FlagError.
func usageErrorf(format string, args ...any) error {
	return &FlagError{Err: fmt.Errorf(format, args...)}
}

// PartialError reports a multi-item command where some items failed or
// were skipped (exit code 8). The command line and the shell share the
// one type.
type PartialError = shell.PartialError

// ExitCode maps an error to the process exit code. It is the one place
// that does.
func ExitCode(err error) int {
	if err == nil {
		return ExitOK
	}
	var fe *FlagError
	var pe *PartialError
	var le *transfer.LocalError
	switch {
	case errors.Is(err, context.Canceled):
		return ExitInterrupted
	case errors.As(err, &fe), errors.Is(err, ftpurl.ErrNotAddress), errors.Is(err, ftpurl.ErrControlChar):
		return ExitUsage
	case errors.As(err, &pe):
		return ExitPartial
	case errors.As(err, &le):
		return ExitLocal
	case errors.Is(err, transfer.ErrTooLong):
		return ExitTooLong
	}
	switch client.KindOf(err) {
	case client.KindConnection:
		return ExitConnection
	case client.KindAuth:
		return ExitLogin
	case client.KindTLS:
		return ExitTLS
	case client.KindProtocol:
		return ExitFailure
	}
	if client.ReplyCode(err) != 0 || errors.Is(err, errNoMatch) || errors.Is(err, transfer.ErrNotFound) || errors.Is(err, errNotFolder) {
		return ExitRemote
	}
	if errors.Is(err, client.ErrBadArgument) {
		return ExitUsage
	}
	return ExitFailure
}

// errNoMatch is a remote glob that matched nothing.
var errNoMatch = errors.New("no remote file matches")

// errIsFolder is a local folder where a file was expected.
var errIsFolder = errors.New("is a folder")
