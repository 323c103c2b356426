// Package client speaks the FTP protocol (RFC 959 and its extensions:
// RFC 2228/4217 TLS, RFC 2428 EPSV/EPRT, RFC 3659 SIZE/MDTM/REST/MLSx) to a
// server over one control connection.
//
// A Conn runs one command at a time and is not safe for concurrent use.
// While a transfer's reader or writer is open, the Conn is busy until the
// reader or writer is closed.
package client

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Conn is a control connection to an FTP server.
type Conn struct {
	opts options
	host string // host part of the dialed address, for TLS ServerName

	conn net.Conn // control connection, *tls.Conn once secured
	r    *bufio.Reader
	tls  *tls.Config // data-connection TLS config, nil when plain

	local, peer *net.TCPAddr

	mode      DataMode
	noEPSV    bool // EPSV refused or unreachable: PASV from now on
	noEPRT    bool // EPRT refused: PORT from now on
	protP     bool // PROT P in force: data connections use TLS
	features  map[string]string
	busy      bool  // a transfer is open
	broken    error // set once the control connection is unusable
	greeting  *Reply
	lastReply *Reply
	curType   string
}

// Dial connects to the FTP server at addr ("host:port"), reads its
// greeting and, with TLSExplicit, secures the control connection with AUTH
// TLS. The caller logs in next.
func Dial(ctx context.Context, addr string, opts ...Option) (*Conn, error) {
	o := defaultOptions()
	for _, opt := range opts {
		opt(&o)
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, &Error{Kind: KindOther, Op: "dial", Err: err}
	}
	if o.trace != nil {
		o.trace = &lockedWriter{w: o.trace}
	}
	c := &Conn{opts: o, host: host, mode: o.mode}

	dctx, cancel := context.WithTimeout(ctx, o.connectTimeout)
	defer cancel()
	raw, err := o.dialer.DialContext(dctx, "tcp", addr)
	if err != nil {
		return nil, &Error{Kind: KindConnection, Op: "dial", Err: err}
	}
	c.setConn(raw)
	var ok bool
	if c.local, ok = raw.LocalAddr().(*net.TCPAddr); !ok {
		raw.Close()
		return nil, &Error{Kind: KindConnection, Op: "dial", Err: fmt.Errorf("not a TCP connection: %v", raw.LocalAddr())}
	}
	if c.peer, ok = raw.RemoteAddr().(*net.TCPAddr); !ok {
		raw.Close()
		return nil, &Error{Kind: KindConnection, Op: "dial", Err: fmt.Errorf("not a TCP connection: %v", raw.RemoteAddr())}
	}
	c.tracef("connected to %s", raw.RemoteAddr())

	if o.tlsMode != TLSNone {
		c.tls = c.newTLSConfig()
	}
	if o.tlsMode == TLSImplicit {
		if err := c.startTLS(dctx); err != nil {
			raw.Close()
			return nil, err
		}
	}
	if err := c.readGreeting(ctx); err != nil {
		c.conn.Close()
		return nil, err
	}
	if o.tlsMode == TLSExplicit {
		if err := c.authTLS(ctx); err != nil {
			c.conn.Close()
			return nil, err
		}
	}
	return c, nil
}

func (c *Conn) setConn(nc net.Conn) {
	c.conn = nc
	c.r = bufio.NewReaderSize(nc, 4096)
}

func (c *Conn) readGreeting(ctx context.Context) error {
	for {
		reply, err := c.read(ctx, "greeting")
		if err != nil {
			return err
		}
		switch {
		case reply.Code == 120: // "Service ready in nnn minutes": wait for 220.
			continue
		case reply.Code == 220:
			c.greeting = reply
			return nil
		case reply.Code == 421:
			return &Error{Kind: KindConnection, Op: "greeting", Err: &ReplyError{Code: reply.Code, Msg: reply.Msg()}}
		default:
			return &Error{Kind: KindProtocol, Op: "greeting", Err: &ReplyError{Code: reply.Code, Msg: reply.Msg()}}
		}
	}
}

// Greeting returns the server's 220 greeting.
func (c *Conn) Greeting() *Reply { return c.greeting }

// LocalAddr returns the local address of the control connection.
func (c *Conn) LocalAddr() *net.TCPAddr { return c.local }

// RemoteAddr returns the server's address on the control connection.
func (c *Conn) RemoteAddr() *net.TCPAddr { return c.peer }

// TLSState returns the TLS state of the control connection and true, or
// false when the control connection is plain.
func (c *Conn) TLSState() (tls.ConnectionState, bool) {
	if tc, ok := c.conn.(*tls.Conn); ok {
		return tc.ConnectionState(), true
	}
	return tls.ConnectionState{}, false
}

// DataMode returns the data connection mode in use; it may have switched
// from the one configured when the server refused it.
func (c *Conn) DataMode() DataMode { return c.mode }

// Err returns the error that made the connection unusable, or nil.
func (c *Conn) Err() error { return c.broken }

// Close closes the control connection without sending QUIT.
func (c *Conn) Close() error {
	if c.broken == nil {
		c.broken = &Error{Kind: KindConnection, Op: "control connection", Err: net.ErrClosed}
	}
	return c.conn.Close()
}

// fail marks the connection unusable after an error that left its state
// unknown, closes it, and returns err.
func (c *Conn) fail(err error) error {
	if c.broken == nil {
		c.broken = err
		c.tracef("connection dropped: %v", err)
		c.conn.Close()
	}
	return err
}

// ready returns an error when no command can be sent now.
func (c *Conn) ready() error {
	if c.broken != nil {
		return c.broken
	}
	if c.busy {
		return &Error{Kind: KindOther, Op: "command", Err: errors.New("a transfer is in progress: close it first")}
	}
	return nil
}

// deadline applies the idle timeout and ctx's deadline to the next read or
// write on nc, and arranges for ctx's cancellation to interrupt it. The
// returned stop function must be called when the operation ends; it
// reports whether ctx interrupted the operation.
func (c *Conn) deadline(ctx context.Context, nc net.Conn) (stop func() bool) {
	d := time.Now().Add(c.opts.idleTimeout)
	if dl, ok := ctx.Deadline(); ok && dl.Before(d) {
		d = dl
	}
	nc.SetDeadline(d)
	after := context.AfterFunc(ctx, func() { nc.SetDeadline(time.Unix(1, 0)) })
	return func() bool { return !after() }
}

// send writes one command line. Arguments were checked by the caller.
func (c *Conn) send(ctx context.Context, line string) error {
	c.traceSend(line)
	stop := c.deadline(ctx, c.conn)
	_, err := io.WriteString(c.conn, line+"\r\n")
	cancelled := stop()
	if err != nil {
		if cancelled {
			err = ctxErr(ctx, err)
		}
		return c.fail(&Error{Kind: KindConnection, Op: commandName(line), Err: err})
	}
	return nil
}

// read reads one reply. Any failure leaves the connection unusable.
func (c *Conn) read(ctx context.Context, op string) (*Reply, error) {
	stop := c.deadline(ctx, c.conn)
	reply, err := readReply(c.r)
	cancelled := stop()
	if err != nil {
		kind := KindConnection
		if errors.Is(err, errReplyFormat) {
			kind = KindProtocol
		}
		if cancelled {
			err = ctxErr(ctx, err)
		}
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			err = fmt.Errorf("server closed the connection: %w", err)
		}
		return nil, c.fail(&Error{Kind: kind, Op: op, Err: err})
	}
	c.traceReply(reply)
	c.lastReply = reply
	if reply.Code == 421 {
		// The server is closing the control connection (RFC 959 4.2).
		c.fail(&Error{Kind: KindConnection, Op: op, Err: &ReplyError{Cmd: op, Code: 421, Msg: reply.Msg()}})
	}
	return reply, nil
}

// ctxErr prefers the context's error over the deadline error it caused.
func ctxErr(ctx context.Context, err error) error {
	if cerr := ctx.Err(); cerr != nil {
		return fmt.Errorf("%w (%v)", cerr, err)
	}
	return err
}

// commandName returns the verb of a command line.
func commandName(line string) string {
	verb, _, _ := strings.Cut(line, " ")
	return verb
}

// maskedLine returns the command line as it may be shown: the argument of
// PASS and ACCT is masked.
func maskedLine(line string) string {
	verb, _, hasArg := strings.Cut(line, " ")
	switch strings.ToUpper(verb) {
	case "PASS", "ACCT":
		if hasArg {
			return verb + " ****"
		}
	}
	return line
}

// exchange sends verb with arg and reads the reply. It refuses arguments
// with CR, LF or NUL. A reply whose code is not in the class of expect
// (see codeMatches) is returned as a *ReplyError together with the reply.
func (c *Conn) exchange(ctx context.Context, expect int, verb, arg string) (*Reply, error) {
	if err := c.ready(); err != nil {
		return nil, err
	}
	if err := checkArg(arg); err != nil {
		return nil, &Error{Kind: KindOther, Op: verb, Err: err}
	}
	line := verb
	if arg != "" {
		line += " " + arg
	}
	if err := c.send(ctx, line); err != nil {
		return nil, err
	}
	reply, err := c.read(ctx, verb)
	if err != nil {
		return nil, err
	}
	for reply.Code < 200 && !codeMatches(reply.Code, expect) {
		// A preliminary reply to a command that takes no data
		// connection: wait for the final one.
		if reply, err = c.read(ctx, verb); err != nil {
			return nil, err
		}
	}
	if !codeMatches(reply.Code, expect) {
		return reply, c.replyError(maskedLine(line), reply)
	}
	return reply, nil
}

// replyError builds the error for an unexpected reply.
func (c *Conn) replyError(cmd string, reply *Reply) error {
	re := &ReplyError{Cmd: cmd, Code: reply.Code, Msg: reply.Msg()}
	if reply.Code == 421 {
		return &Error{Kind: KindConnection, Op: commandName(cmd), Err: re}
	}
	return re
}

// codeMatches reports whether code fits expect: a one-digit expect is a
// class (2 matches 2yz), two digits match a group (25 matches 25z), three
// digits match exactly. expect 0 matches anything.
func codeMatches(code, expect int) bool {
	switch {
	case expect == 0:
		return true
	case expect < 10:
		return code/100 == expect
	case expect < 100:
		return code/10 == expect
	}
	return code == expect
}

// Quote sends a raw command line and returns the reply's code and text,
// whatever the code. The line must not hold CR, LF or NUL. Quote does not
// support commands that open a data connection.
func (c *Conn) Quote(ctx context.Context, line string) (code int, text string, err error) {
	verb, arg, _ := strings.Cut(line, " ")
	if err := checkArg(verb); err != nil {
		return 0, "", &Error{Kind: KindOther, Op: "quote", Err: err}
	}
	reply, err := c.exchange(ctx, 0, verb, arg)
	if err != nil {
		return 0, "", err
	}
	return reply.Code, reply.Msg(), nil
}

// lockedWriter serialises trace writes: the data-connection setup runs
// in its own goroutine while the reply is read.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// tracef writes a comment line to the trace.
func (c *Conn) tracef(format string, args ...any) {
	if c.opts.trace != nil {
		fmt.Fprintf(c.opts.trace, "* "+format+"\n", args...)
	}
}

func (c *Conn) traceSend(line string) {
	if c.opts.trace != nil {
		fmt.Fprintf(c.opts.trace, "> %s\n", maskedLine(line))
	}
}

func (c *Conn) traceReply(r *Reply) {
	if c.opts.trace == nil {
		return
	}
	code := strconv.Itoa(r.Code)
	for i, l := range r.Lines {
		sep := "-"
		if i == len(r.Lines)-1 {
			sep = " "
		}
		if i > 0 && i < len(r.Lines)-1 {
			fmt.Fprintf(c.opts.trace, "< %s\n", l)
			continue
		}
		fmt.Fprintf(c.opts.trace, "< %s%s%s\n", code, sep, l)
	}
}
