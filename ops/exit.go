package ops

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"strings"

	"github.com/ferry-ftp/ferry/client"
	"github.com/ferry-ftp/ferry/internal/ftpurl"
	"github.com/ferry-ftp/ferry/internal/trust"
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

// ExitCodeHelp is the table of exit codes, for help texts.
const ExitCodeHelp = `Exit codes:
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

// UsageError is a command that cannot run as given: bad flags,
// arguments or address (exit code 2).
type UsageError struct{ Err error }

// Error returns the message of the wrapped error.
func (e *UsageError) Error() string { return e.Err.Error() }

// Unwrap returns the wrapped error.
func (e *UsageError) Unwrap() error { return e.Err }

// usageErrorf returns a UsageError.
func usageErrorf(format string, args ...any) error {
	return &UsageError{Err: fmt.Errorf(format, args...)}
}

// UsageErrorf returns a UsageError with a formatted message.
func UsageErrorf(format string, args ...any) error { return usageErrorf(format, args...) }

// PartialError reports a command on several items where some failed or
// were skipped (asked for and not handled: a link, a listing line that
// cannot be read): exit code 8. They were printed as they happened.
type PartialError struct{ Failed, Skipped, Total int }

// Error says how many items failed or were skipped.
func (e *PartialError) Error() string {
	switch {
	case e.Skipped == 0:
		return fmt.Sprintf("%d of %d items failed", e.Failed, e.Total)
	case e.Failed == 0:
		return fmt.Sprintf("%d item(s) skipped", e.Skipped)
	}
	return fmt.Sprintf("%d of %d items failed, %d skipped", e.Failed, e.Total, e.Skipped)
}

// Shown wraps an error that was printed already, where it happened: the
// front ends print nothing more, but the exit code still follows it.
type Shown struct{ Err error }

// Error returns the message of the wrapped error.
func (s Shown) Error() string { return s.Err.Error() }

// Unwrap returns the wrapped error.
func (s Shown) Unwrap() error { return s.Err }

// Interrupted is an interrupted command with a note on what it left.
type Interrupted struct {
	Err  error
	Note string
}

// Error returns the interrupt and the note.
func (e *Interrupted) Error() string { return "interrupted; " + e.Note }

// Unwrap returns the interrupt.
func (e *Interrupted) Unwrap() error { return e.Err }

// ErrNoMatch is returned, wrapped, when a remote pattern matches nothing
// (exit code 5).
var ErrNoMatch = errors.New("no remote file matches")

// ErrNotConnected is returned by the shell's commands that need a
// connection when there is none (exit code 3).
var ErrNotConnected = errors.New("not connected; use open first")

// ExitCode maps an error to the process exit code. It is the one place
// that does.
func ExitCode(err error) int {
	if err == nil {
		return ExitOK
	}
	var fe *UsageError
	var pe *PartialError
	var le *transfer.LocalError
	switch {
	case errors.Is(err, context.Canceled):
		return ExitInterrupted
	case errors.As(err, &fe), errors.Is(err, transfer.ErrBackupInside), errors.Is(err, ftpurl.ErrNotAddress), errors.Is(err, ftpurl.ErrControlChar):
		return ExitUsage
	case errors.As(err, &pe), errors.Is(err, transfer.ErrMaxErrors):
		return ExitPartial
	case errors.Is(err, ErrNotConnected):
		return ExitConnection
	case errors.As(err, &le), errors.Is(err, transfer.ErrSourceChanged):
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
	// A server without digest commands cannot do what --checksum asks:
	// the server's failing, as a refused command is, not the command
	// line's, which another server would take.
	if client.ReplyCode(err) != 0 || errors.Is(err, transfer.ErrNoChecksum) || errors.Is(err, ErrNoMatch) || errors.Is(err, transfer.ErrNotFound) || errors.Is(err, errNotFolder) || errors.Is(err, transfer.ErrFXPRefused) ||
		errors.Is(err, client.ErrNotInCharset) {
		return ExitRemote
	}
	if errors.Is(err, client.ErrBadArgument) {
		return ExitUsage
	}
	return ExitFailure
}

// errIsFolder is a local folder where a file was expected.
var errIsFolder = errors.New("is a folder")

// Hint returns advice on what to do about err, for the front ends to print
// after it, or "": for now, about TLS failures (a certificate that could
// not be verified, a pinned key or trusted certificate that does not
// match, a client certificate the server asked for or refused, no TLS
// version in common).
func Hint(err error) string {
	if client.KindOf(err) != client.KindTLS {
		return ""
	}
	var changed *trust.ChangedError
	var pin *trust.PinError
	var cv *tls.CertificateVerificationError
	var ua x509.UnknownAuthorityError
	var he x509.HostnameError
	var ci x509.CertificateInvalidError
	switch alert := remoteAlert(err); {
	case errors.As(err, &changed):
		return fmt.Sprintf("if the server's certificate was replaced on purpose (check the new fingerprint with its administrator), "+
			"run 'ferry trust rm %s', then 'ferry trust add URL' to trust the new one", changed.Addr)
	case errors.As(err, &pin):
		return "compare the server's key with the pins given: if the server's key was replaced on purpose, pin the new one"
	case alert == "protocol version not supported" || strings.Contains(err.Error(), "unsupported protocol version"):
		return "the server offers no TLS version ferry accepts: ferry needs TLS 1.2 or later, and 1.3 with --tls-min 1.3 " +
			"(or [defaults] tls-min); for a server that offers only TLS 1.2, use --tls-min 1.2"
	case alert == "certificate required":
		return "the server demands a client certificate: give it with --cert FILE (and --key FILE when the key is in a file of its own)"
	case strings.Contains(alert, "certificate") || alert == "unknown certificate authority":
		return "the server refused the client certificate (--cert): check that it is one the server accepts and that it has not expired"
	case errors.As(err, &cv) || errors.As(err, &ua) || errors.As(err, &he) || errors.As(err, &ci):
		return "the server's certificate cannot be verified; if you trust this server, trust its CA with --cacert FILE, " +
			"its certificate with 'ferry trust add URL', or its public key with --pinnedpubkey sha256//...; " +
			"as a last resort, --insecure connects without checking it (in the shell: open --insecure ADDRESS)"
	}
	return ""
}

// remoteAlert returns the description of the TLS alert the server sent
// ("certificate required", "bad certificate"...), or "".
func remoteAlert(err error) string {
	var oe *net.OpError
	if !errors.As(err, &oe) || oe.Op != "remote error" || oe.Err == nil {
		return ""
	}
	return strings.TrimPrefix(oe.Err.Error(), "tls: ")
}
