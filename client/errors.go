package client

import (
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
)

// ReplyError is a server reply with a code the command did not expect, such
// as "550 No such file" after RETR.
type ReplyError struct {
	// Cmd is the command that was answered, with any password masked. It
	// is empty for replies that were not asked for, such as the greeting.
	Cmd string
	// Code is the three-digit reply code.
	Code int
	// Msg is the reply text; the lines of a multi-line reply are joined by
	// "\n", with the code prefixes removed.
	Msg string
}

// Error returns the reply as a message, with control characters in the
// command and the server's text escaped (see Sanitize).
func (e *ReplyError) Error() string {
	if e.Cmd == "" {
		return fmt.Sprintf("ftp: server replied %d %s", e.Code, sanitize(e.Msg, true))
	}
	return fmt.Sprintf("ftp: %s: server replied %d %s", sanitize(e.Cmd, true), e.Code, sanitize(e.Msg, true))
}

// Temporary reports whether the reply is a transient negative completion
// (4yz, RFC 959 section 4.2): the same command may work later.
func (e *ReplyError) Temporary() bool { return e.Code >= 400 && e.Code < 500 }

// Kind classifies a failure so that callers can map it to an exit code or
// decide whether to retry, without looking at reply codes or error strings.
type Kind int

const (
	// KindOther is any failure not listed below, including most
	// ReplyErrors (the server refused a command) and cancellation by the
	// caller's context.
	KindOther Kind = iota
	// KindConnection means the control or data connection could not be
	// made, broke, timed out, or was closed by the server (421).
	KindConnection
	// KindProtocol means the server broke the protocol: a malformed or
	// over-long reply, an unparseable PASV address, an unexpected code
	// sequence.
	KindProtocol
	// KindTLS means TLS could not be set up or verified: AUTH refused
	// when TLS is required, a bad certificate, a failed handshake.
	KindTLS
	// KindAuth means the server refused the login.
	KindAuth
)

// String returns a short lower-case name of the kind.
func (k Kind) String() string {
	switch k {
	case KindConnection:
		return "connection"
	case KindProtocol:
		return "protocol"
	case KindTLS:
		return "tls"
	case KindAuth:
		return "auth"
	}
	return "other"
}

// Error is a failure of a given Kind during an operation. Its Err is often
// a *ReplyError, a net.Error or a TLS error; errors.As reaches them. When a
// transfer's data connection failed and the server answered with a
// negative reply, both are reachable: ReplyCode gives the server's code,
// IsTimeout tells a data timeout. After a failed Read or Write such an
// error is KindConnection for the replies 421, 425 and 426, and KindOther
// otherwise (the reply, such as 552, says why the server cut the data
// connection); when the data connection could not be set up, it keeps the
// kind of that failure (KindConnection after a 421).
type Error struct {
	Kind Kind
	// Op names what failed: "dial", "login", "RETR", "data connection"...
	Op  string
	Err error
}

// Error returns the message, with control characters from the server
// escaped (see Sanitize).
func (e *Error) Error() string {
	msg := "ftp: " + e.Op + ": " + strings.TrimPrefix(e.Err.Error(), "ftp: ")
	switch err := e.Err.(type) {
	case *transferError:
		msg = err.Error() // names the command
	case *ReplyError:
		if err.Cmd != "" {
			msg = err.Error() // names the command
		}
	}
	return sanitize(msg, true)
}

// Unwrap returns the underlying error, so that errors.Is and errors.As
// reach it.
func (e *Error) Unwrap() error { return e.Err }

// KindOf returns the Kind of the first *Error in err's chain, KindConnection
// for network errors not wrapped in one, and KindOther otherwise.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	var ne net.Error
	if errors.As(err, &ne) {
		return KindConnection
	}
	return KindOther
}

// IsTimeout reports whether err was caused by a deadline: the connect,
// idle or reply timeout.
func IsTimeout(err error) bool {
	if errors.Is(err, os.ErrDeadlineExceeded) {
		return true
	}
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// ReplyCode returns the code of the first *ReplyError in err's chain, or 0.
func ReplyCode(err error) int {
	var re *ReplyError
	if errors.As(err, &re) {
		return re.Code
	}
	return 0
}

// ErrBadArgument reports a command argument refused before sending because
// it holds a CR, LF or NUL character (which could smuggle a second command
// onto the control connection) or a 0xFF byte (the Telnet IAC, which a
// server reading Telnet would take for a control sequence and drop from
// the name: RFC 959 section 4). Test with errors.Is.
var ErrBadArgument = errors.New("argument holds a CR, LF, NUL or 0xFF byte")

// ErrQuoteRefused reports a command Quote does not send, because it would
// leave the server in a state the client does not know about or because it
// needs a data connection. Test with errors.Is.
var ErrQuoteRefused = errors.New("command not supported by quote")

// ErrHashUnsupported reports a server that offers none of the hash
// commands Hash knows (HASH, XSHA256, XMD5). Test with errors.Is.
var ErrHashUnsupported = errors.New("server offers no hash command (HASH, XSHA256, XMD5)")

// transferError is a transfer that failed on the data connection and the
// server's negative reply to it: errors.As reaches both, so ReplyCode finds
// the server's code and IsTimeout a data timeout.
type transferError struct {
	reply *ReplyError
	cause error
}

func (e *transferError) Error() string {
	return e.reply.Error() + " (" + strings.TrimPrefix(e.cause.Error(), "ftp: ") + ")"
}

func (e *transferError) Unwrap() []error { return []error{e.reply, e.cause} }

// withReply joins a transfer's failure with the server's negative reply,
// when there is one, in an *Error of the given kind; a 421 reply makes it
// KindConnection.
func withReply(kind Kind, op string, reply *ReplyError, cause error) error {
	if reply == nil {
		return cause
	}
	if reply.Code == 421 {
		kind = KindConnection
	}
	return &Error{Kind: kind, Op: op, Err: &transferError{reply: reply, cause: cause}}
}

// ErrDataUntrusted marks a download whose data cannot be shown to come
// from the server's transfer: the server's final reply says that it never
// opened the data connection (425), so whatever arrived came from someone
// else. The caller must discard every byte of that attempt.
var ErrDataUntrusted = errors.New("data did not come from the server's transfer")
