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

func (e *ReplyError) Error() string {
	if e.Cmd == "" {
		return fmt.Sprintf("ftp: server replied %d %s", e.Code, e.Msg)
	}
	return fmt.Sprintf("ftp: %s: server replied %d %s", e.Cmd, e.Code, e.Msg)
}

// Temporary reports whether the reply is a transient negative completion
// (4yz, RFC 959 section 4.2): the same command may work later.
func (e *ReplyError) Temporary() bool { return e.Code >= 400 && e.Code < 500 }

// Kind classifies a failure so that callers can map it to an exit code or
// decide whether to retry, without looking at reply codes or error strings.
type Kind int

const (
	// KindOther is any failure not listed below, including most
	// ReplyErrors (the server refused a command).
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
// a *ReplyError, a net.Error or a TLS error; errors.As reaches them.
type Error struct {
	Kind Kind
	// Op names what failed: "dial", "login", "RETR", "data connection"...
	Op  string
	Err error
}

func (e *Error) Error() string {
	var re *ReplyError
	if errors.As(e.Err, &re) && e.Err == error(re) && re.Cmd != "" {
		// The reply error already names the command.
		return e.Err.Error()
	}
	msg := e.Err.Error()
	msg = strings.TrimPrefix(msg, "ftp: ")
	return "ftp: " + e.Op + ": " + msg
}

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
// onto the control connection). Test with errors.Is.
var ErrBadArgument = errors.New("argument holds a CR, LF or NUL character")

func wrap(kind Kind, op string, err error) error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return err
	}
	return &Error{Kind: kind, Op: op, Err: err}
}
