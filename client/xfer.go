package client

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"time"
)

// abortTimeout bounds the wait for the server's replies after ABOR; a
// server that does not answer in time has its connection dropped. A
// server that works answers within a round trip or two; the bound is what
// an interrupt (Ctrl-C) costs when the server has stalled.
const abortTimeout = 3 * time.Second

// maxAbortReplies bounds the replies read after ABOR and NOOP: the
// transfer's own (preliminary and final), ABOR's, and NOOP's.
const maxAbortReplies = maxPreliminary + 4

// transfer is an open data transfer. It implements io.ReadCloser for
// downloads and listings and io.WriteCloser for uploads.
type transfer struct {
	c      *Conn
	ctx    context.Context
	verb   string
	line   string // the command, as it may be shown
	data   net.Conn
	upload bool
	next   func() (string, bool) // the download after this one (see RetrNext)

	stopInterrupt func() bool
	interrupted   chan struct{} // closed when interrupt has run

	mu        sync.Mutex // guards cancelled and deadline
	cancelled bool
	deadline  time.Time // the data connection's current deadline

	eof, closed bool
	err         error // first data error

	announced int64 // the size the preliminary reply announced, or -1
	// final is the text of the server's final 2yz reply, once read.
	final string
	// active is set for a data connection ferry accepted (active mode),
	// whose bytes only the server's final 2yz proves to be its own.
	active bool
	// early is the watcher of an upload whose data went out before the
	// server's preliminary reply (see early.go); nil otherwise.
	early *earlyReply
}

// start arranges for ctx's cancellation to interrupt Read and Write.
func (t *transfer) start() {
	t.interrupted = make(chan struct{})
	t.stopInterrupt = context.AfterFunc(t.ctx, t.interrupt)
}

// interrupt runs when ctx is cancelled: it makes a blocked Read or Write
// return at once.
func (t *transfer) interrupt() {
	defer close(t.interrupted)
	t.mu.Lock()
	t.cancelled = true
	t.data.SetDeadline(time.Unix(1, 0))
	t.mu.Unlock()
}

// stop ends the interruption by ctx, waiting for one under way.
func (t *transfer) stop() {
	if !t.stopInterrupt() {
		<-t.interrupted
	}
}

// extend pushes the idle deadline forward once less than half of the idle
// timeout is left, so that Read and Write do not reset a timer each call
// and a short idle timeout still holds while data flows.
func (t *transfer) extend() error {
	if err := t.ctx.Err(); err != nil {
		return err
	}
	idle := t.c.opts.idleTimeout
	now := time.Now()
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.cancelled {
		return t.ctx.Err()
	}
	if t.deadline.Sub(now) < idle/2 {
		t.deadline = now.Add(idle)
		t.data.SetDeadline(t.deadline)
	}
	return nil
}

// dataErr records the first failure of the data connection: KindOther
// when ctx caused it, else KindConnection.
func (t *transfer) dataErr(err error) error {
	if t.err == nil {
		op := t.verb + " data connection"
		if cerr := t.ctx.Err(); cerr != nil {
			t.err = &Error{Kind: KindOther, Op: op, Err: cerr}
		} else {
			t.err = &Error{Kind: KindConnection, Op: op, Err: err}
		}
	}
	return t.err
}

// Read reads file data. It returns io.EOF at the end of the data.
func (t *transfer) Read(p []byte) (int, error) {
	switch {
	case t.closed:
		return 0, errors.New("ftp: read from closed transfer")
	case t.err != nil:
		return 0, t.err
	case t.eof:
		return 0, io.EOF
	}
	if err := t.extend(); err != nil {
		return 0, t.dataErr(err)
	}
	t.keepAlive()
	n, err := t.data.Read(p)
	if err == io.EOF {
		t.eof = true
		t.sendNext()
		return n, io.EOF
	}
	if err != nil {
		return n, t.dataErr(err)
	}
	return n, nil
}

// Write writes file data.
func (t *transfer) Write(p []byte) (int, error) {
	switch {
	case t.closed:
		return 0, errors.New("ftp: write to closed transfer")
	case t.err != nil:
		return 0, t.err
	}
	if err := t.extend(); err != nil {
		return 0, t.dataErr(err)
	}
	t.keepAlive()
	n, err := t.data.Write(p)
	if err != nil {
		if rerr := t.refusedEarly(); rerr != nil {
			t.err = rerr
			return n, rerr
		}
		return n, t.dataErr(err)
	}
	return n, nil
}

// Close ends the transfer and reads the server's final reply. A download
// closed before the end of its data, a transfer whose data connection
// failed, and any transfer whose context was cancelled (also while Close
// waits for the final reply), is aborted instead.
func (t *transfer) Close() error {
	err := t.close()
	if err != nil && t.active && !t.upload && t.ctx.Err() == nil && !errors.Is(err, ErrDataUntrusted) {
		// In active mode anyone on the server's host may have been
		// first to connect after the command; without the server's
		// final 2yz nothing shows that the bytes were its own.
		err = fmt.Errorf("%w (%w: an active-mode download that did not end with the server's success reply)", err, ErrDataUntrusted)
	}
	return err
}

// close is Close without the active-mode rule.
func (t *transfer) close() error {
	if t.closed {
		return nil
	}
	t.closed = true
	t.stop()
	c := t.c
	if t.early != nil {
		if err, over := t.settleEarly(); over {
			return err
		}
	}
	switch {
	case t.ctx.Err() != nil:
		reply, _ := c.abort(t.data, t.upload, t.line)
		err := fmt.Errorf("transfer cancelled: %w", t.ctx.Err())
		if t.untrusted(reply) {
			err = fmt.Errorf("transfer cancelled: %w (%w)", t.ctx.Err(), ErrDataUntrusted)
		}
		return &Error{Kind: KindOther, Op: t.verb, Err: err}
	case t.err != nil:
		// The server's final reply may never come (a stalled server):
		// abort, and report the first negative reply read meanwhile.
		reply, _ := c.abort(t.data, t.upload, t.line)
		kind := KindOther
		if reply != nil && (reply.Code == 425 || reply.Code == 426) {
			kind = KindConnection
		}
		if t.untrusted(reply) {
			return withReply(kind, t.verb, reply, fmt.Errorf("%w (%w)", t.err, ErrDataUntrusted))
		}
		return withReply(kind, t.verb, reply, t.err)
	case !t.upload && !t.eof:
		// The caller stopped reading early.
		reply, err := c.abort(t.data, false, t.line)
		if err == nil && t.untrusted(reply) {
			return withReply(KindConnection, t.verb, reply, ErrDataUntrusted)
		}
		return err
	}
	// Closing the data connection ends an upload (with close_notify
	// under TLS) and must precede the final reply (RFC 959 section
	// 5.2); the reply then gets a fresh deadline of its own.
	t.data.SetDeadline(time.Now().Add(c.opts.idleTimeout))
	var cerr error
	if t.upload {
		cerr = closeUpload(t.data)
	} else {
		cerr = t.data.Close()
	}
	c.setData(nil)
	c.busy = false
	reply, err := t.readTransferFinal()
	if c.ahead != nil {
		reply, err = c.settleFinal(t, reply, err)
	}
	if err != nil {
		if t.ctx.Err() != nil && c.Err() == nil {
			// Cancelled while the server finished (an upload's last
			// data may still drain from the socket buffers): stop it
			// with ABOR rather than wait for its reply.
			c.abort(nil, t.upload, t.line)
			return &Error{Kind: KindOther, Op: t.verb, Err: fmt.Errorf("transfer cancelled: %w", t.ctx.Err())}
		}
		return err
	}
	if reply.Code/100 != 2 {
		re := &ReplyError{Cmd: t.line, Code: reply.Code, Msg: reply.Msg()}
		if t.untrusted(re) {
			return withReply(KindConnection, t.verb, re, ErrDataUntrusted)
		}
		if reply.Code == 426 {
			// "Connection closed; transfer aborted": the data
			// connection was lost, as a broken read would say.
			return &Error{Kind: KindConnection, Op: t.verb, Err: re}
		}
		return c.replyError(t.line, reply)
	}
	if cerr != nil && t.upload {
		return &Error{Kind: KindConnection, Op: t.verb + " data connection", Err: cerr}
	}
	t.final = reply.Msg()
	return nil
}

// untrusted reports whether reply, the transfer's own final reply (or the
// first negative reply read while aborting it), says that the data a
// download read did not come from the server: 425, "Can't open data
// connection" (RFC 959 section 4.2), after the preliminary reply and the
// data. Every other failure (426, the connection broke; 451, a local
// error; 4yz and 5yz refusals) concerns a connection the server had, so
// what came through it is the server's data, cut short.
func (t *transfer) untrusted(reply *ReplyError) bool {
	return !t.upload && reply != nil && reply.Code == 425
}

// abort stops a transfer with ABOR (RFC 959 section 4.1.3) and resyncs the
// control connection: the server answers ABOR with 426 then 226 (or just
// 226 or 225 when the transfer had ended), so it sends NOOP with ABOR and
// reads replies until NOOP's 200 (PWD and its 257 where NOOP is refused). It returns the first negative (4yz or
// 5yz) reply it read, attributed to cmd: the transfer's own final reply or
// the answer to ABOR. When the resync fails, the connection is dropped and
// abort returns why.
func (c *Conn) abort(data net.Conn, upload bool, cmd string) (*ReplyError, error) {
	if c.ahead != nil {
		// The replies to a transfer sent ahead come before ABOR's, and
		// the server may wait for its data connection before it reads
		// ABOR: the connection cannot be brought back in step in time.
		c.ahead = nil
		c.fail(&Error{Kind: KindConnection, Op: "ABOR", Err: errors.New("connection dropped: aborted with a transfer sent ahead")})
	}
	c.busy = false
	c.pending = false // the replies read below include a pending one
	c.setData(nil)
	if data != nil && !upload {
		resetConn(data)
	}
	if err := c.Err(); err != nil {
		if data != nil {
			resetConn(data)
		}
		return nil, err
	}
	limit := time.Now().Add(min(abortTimeout, c.opts.idleTimeout))
	// The command whose reply ends the resync: NOOP's 200, or PWD's 257
	// on a server that refused NOOP (aioftp), or when NOOPs sent during
	// the transfer have replies of their own still to come.
	noops := c.takeKeepAlive()
	sync, synced := c.syncCommand(noops > 0)
	_, _, werr := c.write(context.Background(), limit, "ABOR", sync)
	if data != nil && upload {
		// Reset after ABOR is on its way: a server that reads ABOR
		// only between transfers then sees a failed upload, never an
		// orderly end it could take for a complete file.
		resetConn(data)
	}
	// Read even when the write failed: a final reply (a 421 before the
	// server closed, say) may be waiting.
	var first *ReplyError
	for range maxAbortReplies + noops {
		reply, err := c.readLimit(context.Background(), "ABOR", limit)
		if err != nil {
			if werr != nil {
				err = c.fail(&Error{Kind: KindConnection, Op: "ABOR", Err: werr})
			}
			return first, err
		}
		switch {
		case noops > 0 && (reply.Code == 200 || noopRefused(reply.Code)):
			noops-- // a NOOP's, sent during the transfer
		case reply.Code >= 400 && first == nil:
			first = &ReplyError{Cmd: cmd, Code: reply.Code, Msg: reply.Msg()}
		}
		switch {
		case reply.Code == 421:
			return first, c.Err()
		case werr != nil:
			// NOOP was not sent: its reply cannot come.
		case reply.Code == synced:
			return first, nil
		}
	}
	return first, c.fail(&Error{Kind: KindProtocol, Op: "ABOR", Err: errors.New("no end to the replies after ABOR")})
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

// closeUpload ends an upload in order. Under TLS it sends close_notify,
// half-closes TCP and reads until the server's close: under TLS 1.3 the
// server sends session tickets on the data connection, and closing with
// those unread makes the kernel reset the connection, which can discard
// upload data the server has not read yet (seen with pyftpdlib and
// vsftpd). The caller has set the deadline that bounds the wait.
func closeUpload(nc net.Conn) error {
	tc, ok := nc.(*tls.Conn)
	if !ok {
		return nc.Close()
	}
	if err := tc.CloseWrite(); err != nil {
		tc.NetConn().Close()
		return err
	}
	if raw, ok := tc.NetConn().(*net.TCPConn); ok {
		raw.CloseWrite()
	}
	io.Copy(io.Discard, tc) // until the server's close_notify or FIN
	return tc.NetConn().Close()
}
