package client

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"sync"
	"time"
)

// abortTimeout bounds the wait for the server's replies after ABOR; a
// server that does not answer in time has its connection dropped.
const abortTimeout = 10 * time.Second

// Retr issues a RETR command for path, after REST offset when offset > 0,
// and returns the file's data. The caller must Close the reader: at the end
// of the data Close reads the server's final reply and reports a failed
// transfer; before the end, or after ctx is cancelled, it aborts the
// transfer with ABOR.
func (c *Conn) Retr(ctx context.Context, path string, offset int64) (io.ReadCloser, error) {
	return c.openTransfer(ctx, "RETR", path, offset, false)
}

// Stor issues a STOR command for path, after REST offset when offset > 0
// (the server then writes from that offset on), and returns a writer for
// the data. Close ends the data and reads the server's final reply. When
// ctx is cancelled, Close aborts the transfer and returns an error.
func (c *Conn) Stor(ctx context.Context, path string, offset int64) (io.WriteCloser, error) {
	return c.openTransfer(ctx, "STOR", path, offset, true)
}

// Appe issues an APPE command: the data written is appended to path,
// which is created when it does not exist.
func (c *Conn) Appe(ctx context.Context, path string) (io.WriteCloser, error) {
	return c.openTransfer(ctx, "APPE", path, 0, true)
}

// openTransfer negotiates the data connection, sends the command, and
// returns the open transfer once the server has answered 1yz and the data
// connection is up.
func (c *Conn) openTransfer(ctx context.Context, verb, arg string, offset int64, upload bool) (*transfer, error) {
	if err := c.ready(); err != nil {
		return nil, err
	}
	if err := checkArg(arg); err != nil {
		return nil, &Error{Kind: KindOther, Op: verb, Err: err}
	}
	p, err := c.prepareData(ctx)
	if err != nil {
		return nil, err
	}
	if offset > 0 {
		// REST must come right before the transfer command (RFC 3659
		// section 5.3).
		if _, err := c.exchange(ctx, 350, "REST", strconv.FormatInt(offset, 10)); err != nil {
			p.close()
			return nil, err
		}
	}
	line := verb
	if arg != "" {
		line += " " + arg
	}
	if err := c.send(ctx, line); err != nil {
		p.close()
		return nil, err
	}

	// Connect (active: accept) and run the TLS handshake while reading
	// the preliminary reply: some servers open or secure the data
	// connection before they send 150, others after.
	type result struct {
		nc  net.Conn
		err error
	}
	setupCtx, cancelSetup := context.WithCancel(ctx)
	defer cancelSetup()
	done := make(chan result, 1)
	go func() {
		nc := p.conn
		if p.ln != nil {
			var err error
			if nc, err = c.accept(setupCtx, p.ln); err != nil {
				done <- result{err: err}
				return
			}
		}
		nc = c.secureData(nc)
		if err := c.handshakeData(setupCtx, nc); err != nil {
			nc.Close()
			done <- result{err: err}
			return
		}
		done <- result{nc: nc}
	}()

	reply, err := c.read(ctx, verb)
	if err == nil && reply.Code >= 200 {
		err = c.replyError(line, reply)
	}
	if err != nil {
		cancelSetup()
		p.close()
		if r := <-done; r.nc != nil {
			r.nc.Close()
		}
		return nil, err
	}
	r := <-done
	if r.err != nil {
		// The server expects a data connection that failed: its final
		// reply (425 or 426) may or may not come. Abort to resync.
		c.busy = true
		t := &transfer{c: c, ctx: ctx, line: line}
		t.abortErr(r.err)
		return nil, r.err
	}
	t := &transfer{c: c, ctx: ctx, line: line, data: r.nc, upload: upload}
	t.stop = context.AfterFunc(ctx, t.interrupt)
	c.busy = true
	return t, nil
}

// transfer is an open data transfer. It implements io.ReadCloser for
// downloads and listings and io.WriteCloser for uploads.
type transfer struct {
	c      *Conn
	ctx    context.Context
	line   string
	data   net.Conn
	upload bool
	stop   func() bool

	mu          sync.Mutex // guards cancelled and extended
	cancelled   bool
	extendedAt  time.Time
	eof, closed bool
	err         error // first data error
	n           int64
}

// interrupt runs when ctx is cancelled: it makes a blocked Read or Write
// return at once.
func (t *transfer) interrupt() {
	t.mu.Lock()
	t.cancelled = true
	t.data.SetDeadline(time.Unix(1, 0))
	t.mu.Unlock()
}

// extend pushes the idle deadline forward, at most once a second.
func (t *transfer) extend() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if err := t.ctx.Err(); err != nil || t.cancelled {
		return err
	}
	now := time.Now()
	if now.Sub(t.extendedAt) >= time.Second {
		t.data.SetDeadline(now.Add(t.c.opts.idleTimeout))
		t.extendedAt = now
	}
	return nil
}

func (t *transfer) dataErr(err error) error {
	if cerr := t.ctx.Err(); cerr != nil {
		err = cerr
	}
	if t.err == nil {
		t.err = &Error{Kind: KindConnection, Op: t.c.opName(t.line) + " data connection", Err: err}
	}
	return t.err
}

// Read reads file data. It returns io.EOF at the end of the data.
func (t *transfer) Read(p []byte) (int, error) {
	if t.closed {
		return 0, errors.New("ftp: read from closed transfer")
	}
	if t.err != nil {
		return 0, t.err
	}
	if t.eof {
		return 0, io.EOF
	}
	if err := t.extend(); err != nil {
		return 0, t.dataErr(err)
	}
	n, err := t.data.Read(p)
	t.n += int64(n)
	if err == io.EOF {
		t.eof = true
		return n, io.EOF
	}
	if err != nil {
		return n, t.dataErr(err)
	}
	return n, nil
}

// Write writes file data.
func (t *transfer) Write(p []byte) (int, error) {
	if t.closed {
		return 0, errors.New("ftp: write to closed transfer")
	}
	if t.err != nil {
		return 0, t.err
	}
	if err := t.extend(); err != nil {
		return 0, t.dataErr(err)
	}
	n, err := t.data.Write(p)
	t.n += int64(n)
	if err != nil {
		return n, t.dataErr(err)
	}
	return n, nil
}

// Close ends the transfer and reads the server's final reply. A download
// closed before the end of its data, and any transfer whose context was
// cancelled, is aborted instead.
func (t *transfer) Close() error {
	if t.closed {
		return nil
	}
	t.closed = true
	t.stop()
	c := t.c
	switch {
	case t.ctx.Err() != nil:
		return t.abortErr(fmt.Errorf("transfer cancelled: %w", t.ctx.Err()))
	case t.upload && t.err != nil:
		return t.abortErr(t.err)
	case !t.upload && !t.eof && t.err == nil:
		// The caller stopped reading early.
		return t.abortErr(nil)
	}
	// Closing the data connection ends an upload (with close_notify
	// under TLS) and must precede the final reply (RFC 959 section
	// 5.2); the reply then gets a fresh deadline of its own.
	t.data.SetDeadline(time.Now().Add(c.opts.idleTimeout))
	cerr := t.data.Close()
	c.busy = false
	reply, err := c.read(context.WithoutCancel(t.ctx), c.opName(t.line))
	if err != nil {
		return err
	}
	if reply.Code != 226 && reply.Code != 250 {
		// Some servers send a marker reply first (RFC 959 110).
		if reply.Code < 200 {
			if reply, err = c.read(context.WithoutCancel(t.ctx), c.opName(t.line)); err != nil {
				return err
			}
		}
	}
	if reply.Code/100 != 2 {
		rerr := c.replyError(maskedLine(t.line), reply)
		if t.err != nil {
			return fmt.Errorf("%w (%v)", t.err, rerr)
		}
		return rerr
	}
	if t.err != nil {
		return t.err
	}
	if cerr != nil && t.upload {
		return &Error{Kind: KindConnection, Op: c.opName(t.line) + " data connection", Err: cerr}
	}
	return nil
}

// abortErr aborts the transfer and returns cause, or the abort's failure
// when cause is nil.
func (t *transfer) abortErr(cause error) error {
	err := t.c.abort(t.data, t.upload)
	if cause != nil {
		return cause
	}
	return err
}

// abort stops a transfer with ABOR (RFC 959 section 4.1.3) and resyncs the
// control connection: the server answers ABOR with 426 then 226 (or just
// 226 or 225 when the transfer had ended), so it sends NOOP after ABOR and
// reads replies until NOOP's. When that fails, the connection is dropped.
func (c *Conn) abort(data net.Conn, upload bool) error {
	c.busy = false
	ctx, cancel := context.WithTimeout(context.Background(), min(abortTimeout, c.opts.idleTimeout))
	defer cancel()
	if data != nil && !upload {
		resetConn(data)
	}
	if c.broken != nil {
		if data != nil {
			resetConn(data)
		}
		return c.broken
	}
	err := c.send(ctx, "ABOR")
	if data != nil && upload {
		// Reset after ABOR is on its way: a server that reads ABOR
		// only between transfers then sees a failed upload, never an
		// orderly end it could take for a complete file.
		resetConn(data)
	}
	if err != nil {
		return err
	}
	if err := c.send(ctx, "NOOP"); err != nil {
		return err
	}
	for i := 0; i < 4; i++ {
		reply, err := c.read(ctx, "ABOR")
		if err != nil {
			return err
		}
		if reply.Code == 200 {
			return nil
		}
		if reply.Code == 421 {
			return c.broken
		}
	}
	return c.fail(&Error{Kind: KindProtocol, Op: "ABOR", Err: errors.New("no end to the replies after ABOR")})
}

// resetConn closes a data connection at once with a TCP reset: no TLS
// close_notify and no FIN, which a server could take for the orderly end
// of an upload.
func resetConn(nc net.Conn) {
	if tc, ok := nc.(*tls.Conn); ok {
		nc = tc.NetConn()
	}
	if tc, ok := nc.(*net.TCPConn); ok {
		tc.SetLinger(0)
	}
	nc.Close()
}

// opName returns the verb of a command line, for error messages.
func (c *Conn) opName(line string) string { return commandName(line) }
