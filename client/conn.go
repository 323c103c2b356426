// Package client speaks the FTP protocol (RFC 959 and its extensions:
// RFC 2228/4217 TLS, RFC 2428 EPSV/EPRT, RFC 3659 SIZE/MDTM/REST/MLSx) to a
// server over one control connection.
//
// A Conn runs one command at a time and is not safe for concurrent use,
// with one exception: Close may be called from any goroutine (a signal
// handler, say) while an operation runs, which then fails promptly. While a
// transfer's reader or writer is open, the Conn is busy until the reader or
// writer is closed.
//
// Cancelling the context of a call makes it return an error that matches
// context.Canceled (or context.DeadlineExceeded) and is of KindOther. A call
// whose context is already done sends nothing. A command cancelled while it
// waits for its reply leaves the connection usable: the next command first
// reads and discards that reply (waiting at most the idle timeout, and at
// most 5 s) and the connection is dropped only when it does not come. A
// transfer cancelled while it runs is aborted with ABOR.
package client

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"time"
)

// maxPreliminary bounds the preliminary (1yz) replies a command, or the
// greeting, may get before its final reply; a server sending more breaks
// the protocol.
const maxPreliminary = 8

// Conn is a control connection to an FTP server.
type Conn struct {
	opts options
	host string // host part of the dialed address, for TLS ServerName

	conn net.Conn // control connection, *tls.Conn once secured
	cr   *countingReader
	r    *bufio.Reader
	tls  *tls.Config // data-connection TLS config, nil when plain

	local, peer *net.TCPAddr

	mode         DataMode
	modePinned   bool
	noEPSV       bool // EPSV refused or unreachable: PASV from now on
	epsvOK       bool // an EPSV of this session worked: pipelining is safe
	noEPRT       bool // EPRT refused: PORT from now on
	protP        bool // PROT P in force: data connections use TLS
	classicTried bool // control port + 1 was tried for an active data connection
	lastPort     int  // port of the last active listener, to rotate through WithActivePorts
	features     map[string]string
	busy         bool // a transfer is open
	pending      bool // a cancelled command's reply has yet to be read
	greeting     *Reply
	preauth      bool // the greeting was 230: logged in without USER/PASS
	curType      TransferType
	zone         listZone  // what is known of the zone of LIST times
	keepAlive    keepAlive // NOOPs sent during the open transfer (WithNoopInterval)

	// What the server was found to lack (see Refusals).
	featRefused bool      // FEAT was refused: the features are not known
	refusals    *Refusals // nil until Refusals is called

	// ahead is a download sent ahead, its replies due (see RetrNext).
	ahead *ahead

	mu      sync.Mutex       // guards broken, data, standby and aheadLn: Close may run on another goroutine
	broken  error            // set once the control connection is unusable
	data    net.Conn         // the open transfer's data connection
	standby *standby         // a data connection made ready ahead (see standby.go)
	aheadLn *net.TCPListener // the listener of an active-mode transfer sent ahead
}

// Dial connects to the FTP server at addr ("host:port"), reads its
// greeting and, with TLSExplicit, secures the control connection with AUTH
// TLS. The caller logs in next. The connect timeout bounds the TCP
// connection, an implicit TLS handshake and the whole greeting.
//
// A greeting of 230 (a server that logs clients in on connection) is
// accepted like 220; Login still works, see there.
func Dial(ctx context.Context, addr string, opts ...Option) (*Conn, error) {
	o := defaultOptions()
	for _, opt := range opts {
		opt(&o)
	}
	lockstepAfterRefusal(&o)
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, &Error{Kind: KindOther, Op: "dial", Err: err}
	}
	if err := ctx.Err(); err != nil {
		return nil, &Error{Kind: KindOther, Op: "dial", Err: err}
	}
	if o.charset != nil {
		if err := checkCharset(o.charset); err != nil {
			return nil, &Error{Kind: KindOther, Op: "dial", Err: fmt.Errorf("charset %s %w", CharsetName(o.charset), err)}
		}
	}
	if o.trace != nil {
		o.trace = &lockedWriter{w: o.trace}
	}
	c := &Conn{opts: o, host: host, mode: o.mode, modePinned: o.modePinned}

	limit := time.Now().Add(o.connectTimeout)
	dctx, cancel := context.WithDeadline(ctx, limit)
	defer cancel()
	raw, err := o.dialer.DialContext(dctx, "tcp", addr)
	if err != nil {
		if cerr := ctx.Err(); cerr != nil {
			return nil, &Error{Kind: KindOther, Op: "dial", Err: cerr}
		}
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
		if err := c.startTLS(ctx, limit); err != nil {
			raw.Close()
			return nil, err
		}
	}
	if err := c.readGreeting(ctx, limit); err != nil {
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
	c.cr = &countingReader{r: nc}
	c.r = bufio.NewReaderSize(c.cr, 4096)
}

// readGreeting reads the greeting: 220 (or 230), after at most
// maxPreliminary "120 Service ready in nnn minutes" replies, all before
// limit.
func (c *Conn) readGreeting(ctx context.Context, limit time.Time) error {
	for n := 0; ; n++ {
		reply, err := c.readLimit(ctx, "greeting", limit)
		if err != nil {
			return err
		}
		switch {
		case reply.Code < 200:
			if n >= maxPreliminary {
				return &Error{Kind: KindProtocol, Op: "greeting", Err: fmt.Errorf("more than %d preliminary replies", maxPreliminary)}
			}
		case reply.Code == 220, reply.Code == 230:
			c.greeting = reply
			c.preauth = reply.Code == 230
			return nil
		case reply.Code == 421:
			return &Error{Kind: KindConnection, Op: "greeting", Err: &ReplyError{Code: reply.Code, Msg: reply.Msg()}}
		default:
			return &Error{Kind: KindProtocol, Op: "greeting", Err: &ReplyError{Code: reply.Code, Msg: reply.Msg()}}
		}
	}
}

// Greeting returns the server's greeting: a 220 reply, or 230 for a server
// that logs clients in on connection.
func (c *Conn) Greeting() *Reply { return c.greeting }

// LocalAddr returns the local address of the control connection.
func (c *Conn) LocalAddr() *net.TCPAddr { return c.local }

// RemoteAddr returns the server's address on the control connection (a
// proxy's, with a dialer that connects through one).
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

// SetDataMode switches the data connection mode for the next transfers.
// With pin, the mode never switches on its own; without, it switches when
// the server refuses it (see WithDataMode).
func (c *Conn) SetDataMode(m DataMode, pin bool) {
	c.mode, c.modePinned = m, pin
}

// CurrentType returns the representation type last set with Type or with
// a TYPE command sent by Quote, or "" when none was set in this session
// (servers start in ASCII, RFC 959 section 3.1.1.1, but many default to
// binary).
func (c *Conn) CurrentType() TransferType { return c.curType }

// Err returns the error that made the connection unusable, or nil.
func (c *Conn) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.broken
}

// Close closes the control connection, and the data connection of an open
// transfer, without sending QUIT. It may be called from another goroutine
// while an operation runs: that operation then fails.
func (c *Conn) Close() error {
	c.mu.Lock()
	if c.broken == nil {
		c.broken = &Error{Kind: KindConnection, Op: "control connection", Err: net.ErrClosed}
	}
	data, sb, ln := c.data, c.standby, c.aheadLn
	c.data, c.standby, c.aheadLn = nil, nil, nil
	c.mu.Unlock()
	if data != nil {
		closeNow(data)
	}
	if ln != nil {
		ln.Close()
	}
	if sb != nil {
		sb.discard()
	}
	return c.conn.Close()
}

// fail marks the connection unusable after an error that left its state
// unknown, closes it, and returns err.
func (c *Conn) fail(err error) error {
	c.mu.Lock()
	first := c.broken == nil
	if first {
		c.broken = err
	}
	c.mu.Unlock()
	if first {
		c.tracef("connection dropped: %v", err)
		c.conn.Close()
	}
	return err
}

// setData records the data connection of the open transfer, for Close.
func (c *Conn) setData(nc net.Conn) {
	c.mu.Lock()
	c.data = nc
	c.mu.Unlock()
}

// ready returns an error when no command can be sent now.
func (c *Conn) ready() error {
	if err := c.Err(); err != nil {
		return err
	}
	if c.busy {
		return &Error{Kind: KindOther, Op: "command", Err: errors.New("a transfer is in progress: close it first")}
	}
	return nil
}

// closeNow closes a connection without a TLS close_notify, which could
// block on a full send buffer.
func closeNow(nc net.Conn) {
	if tc, ok := nc.(*tls.Conn); ok {
		nc = tc.NetConn()
	}
	nc.Close()
}

// countingReader counts the bytes read from the control connection, so
// that an interrupted read can tell whether it consumed part of a reply.
type countingReader struct {
	r io.Reader
	n int64
}

func (cr *countingReader) Read(p []byte) (int, error) {
	n, err := cr.r.Read(p)
	cr.n += int64(n)
	return n, err
}

// consumed returns how many bytes of the control connection the reply
// reader has used up.
func (c *Conn) consumed() int64 { return c.cr.n - int64(c.r.Buffered()) }
