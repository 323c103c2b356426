package client

import (
	"fmt"
	"time"
)

// WithNoopInterval makes transfers and listings send NOOP on the control
// connection every d while their data moves, for a server behind a
// firewall or NAT that drops a control connection idle for longer than
// the transfer takes (lftp's ftp:nop-interval, FluentFTP's NoopInterval).
// Zero or a negative d, the default, sends none; TCP keep-alive probes
// (every 15 s of idleness, Go's default) go out either way.
//
// Servers answer such NOOPs at different times: vsftpd and proftpd after
// the transfer's final reply (proftpd some before it), pure-ftpd during
// the transfer with "500 Unknown command", and it drops some when several
// arrive at once. The replies are read when the transfer ends, one for
// each NOOP sent, and the transfer's own reply is told from theirs by its
// code (a NOOP gets 200, or 500-502 from a server that takes no command
// during a transfer). A server that refuses such NOOPs, does not answer
// each of them once the transfer has ended, or answers so that its
// transfer reply cannot be told apart is sent no more for the rest of the
// session (the connections that share its Refusals); the connection whose
// replies were not all read is dropped, after its transfer's result.
func WithNoopInterval(d time.Duration) Option {
	return func(o *options) { o.noopInterval = d }
}

// keepAlive is the state of the NOOPs sent during the open transfer.
type keepAlive struct {
	sent    int       // NOOPs sent whose replies are unread
	last    time.Time // when the last was sent, or the transfer's first read or write
	stopped bool      // no more for this transfer
}

// noopDuringTransfer is how Refusals records a server that does not take
// NOOP during transfers, as a verb no command has.
const noopDuringTransfer = "NOOP during transfers"

const (
	// maxKeepAlive bounds the NOOPs one transfer sends: a server that
	// reads none before the transfer ends (vsftpd) holds them all in its
	// socket buffer, 6 bytes each.
	maxKeepAlive = 1000
	// noopWriteWait bounds the write of one NOOP.
	noopWriteWait = 5 * time.Second
	// noopReplyWait bounds the wait for the replies to NOOPs still unread
	// once the transfer's own reply has come: a server that took them
	// sends them at once.
	noopReplyWait = 5 * time.Second
)

// keepAlive sends NOOP on the control connection when the interval set
// with WithNoopInterval has passed since the last one, or since the
// transfer's first read or write. It is called before each read or write
// of the data connection.
func (t *transfer) keepAlive() {
	c := t.c
	ka := &c.keepAlive
	if c.opts.noopInterval <= 0 || ka.stopped || ka.sent >= maxKeepAlive || c.Refused(noopDuringTransfer) {
		return
	}
	now := time.Now()
	if ka.last.IsZero() {
		ka.last = now
		return
	}
	if now.Sub(ka.last) < c.opts.noopInterval {
		return
	}
	ka.last = now
	n, cerr, err := c.write(t.ctx, now.Add(min(c.opts.idleTimeout, noopWriteWait)), "NOOP")
	switch {
	case err == nil:
		ka.sent++
		if ka.sent == maxKeepAlive {
			c.tracef("sent %d NOOPs during this transfer; no more until it ends", maxKeepAlive)
		}
	case n == 0 && (cerr != nil || IsTimeout(err)):
		// Nothing went out: cancelled (the transfer ends now), or the
		// server reads nothing and the buffers are full.
		ka.stopped = true
	default:
		// Part of a line, or a broken connection: the transfer's final
		// reply cannot be read now.
		c.fail(&Error{Kind: KindConnection, Op: "NOOP", Err: err})
	}
}

// readTransferFinal reads the final reply of the transfer, and the replies
// to the NOOPs sent during it, which come before it, after it or both.
// See WithNoopInterval.
func (t *transfer) readTransferFinal() (*Reply, error) {
	c := t.c
	n := c.keepAlive.sent
	c.keepAlive = keepAlive{}
	if n == 0 {
		return t.finalReply()
	}
	// The first reply read is the command's own, through the watcher of an
	// early upload if it has one (see finalReply); NOOPs follow it.
	first := true
	var final *Reply
	noops, refusals := 0, 0
	var limit time.Time // for the NOOP replies left once final has come
	for final == nil || noops < n {
		var reply *Reply
		var err error
		switch {
		case first:
			first = false
			reply, err = t.finalReply()
		case final == nil:
			reply, err = c.readFinal(t.ctx, t.verb)
		default:
			reply, err = c.readLimit(t.ctx, "NOOP", limit)
		}
		if err != nil {
			if final == nil {
				// Abort reads what is still to come.
				c.keepAlive.sent = n - noops
				return nil, err
			}
			// The transfer has its reply; the server did not answer every
			// NOOP (pure-ftpd drops some): the replies cannot be counted
			// any more.
			c.fail(&Error{Kind: KindConnection, Op: "NOOP", Err: fmt.Errorf("%d of the %d NOOPs sent during the transfer had no reply: %w", n-noops, n, err)})
			c.noNoopsDuringTransfers(err)
			return final, nil
		}
		switch {
		case final == nil && noops == n:
			final = reply
		case reply.Code == 200 && noops < n:
			noops++
		case noopRefused(reply.Code) && noops < n:
			noops++
			refusals++
		case final == nil && reply.Code >= 200:
			final = reply
		default:
			err := fmt.Errorf("cannot tell the transfer's final reply from the replies to the %d NOOPs sent during it (%d %s)", n, reply.Code, clip(reply.Msg()))
			c.noNoopsDuringTransfers(err)
			return nil, c.fail(&Error{Kind: KindConnection, Op: t.verb, Err: err})
		}
		if final != nil && limit.IsZero() {
			limit = time.Now().Add(min(c.opts.idleTimeout, noopReplyWait))
		}
	}
	if refusals > 0 {
		c.noNoopsDuringTransfers(fmt.Errorf("%d of %d NOOPs sent during the transfer refused", refusals, n))
	}
	return final, nil
}

// noopRefused reports a reply that refuses a command as unknown or not
// implemented, as servers that take no command during a transfer answer
// NOOP then; a transfer's final reply is never one of these.
func noopRefused(code int) bool { return code >= 500 && code <= 502 }

// noNoopsDuringTransfers stops NOOPs during transfers for the session.
func (c *Conn) noNoopsDuringTransfers(why error) {
	if c.Refusals().add(noopDuringTransfer, why) {
		c.tracef("no more NOOPs during transfers in this session: %v", why)
	}
}

// takeKeepAlive returns how many NOOPs sent during the open transfer have
// replies still to read, and forgets them: abort reads them.
func (c *Conn) takeKeepAlive() int {
	n := c.keepAlive.sent
	c.keepAlive = keepAlive{}
	return n
}
