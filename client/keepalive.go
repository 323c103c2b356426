package client

import (
	"context"
	"fmt"
	"time"
)

// WithNoopInterval makes transfers and listings send NOOP on the control
// connection every d while their data moves, for a server behind a
// firewall or NAT that drops a control connection idle for longer than
// the transfer takes (lftp's ftp:nop-interval, FluentFTP's NoopInterval).
// A transfer between two servers (Relay) sends them too, from KeepAlive,
// while it waits for the final reply. Zero or a negative d, the default,
// sends none; TCP keep-alive probes
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
func (t *transfer) keepAlive() { t.c.sendKeepAlive(t.ctx) }

// sendKeepAlive sends NOOP when the interval set with WithNoopInterval has
// passed since the last one, or since the first call during the open
// transfer (which sends none), for a transfer of this client's own
// (transfer.keepAlive) or one between two servers (Relay.KeepAlive).
func (c *Conn) sendKeepAlive(ctx context.Context) {
	if !c.keepAliveOn() {
		return
	}
	ka := &c.keepAlive
	now := time.Now()
	if ka.last.IsZero() {
		ka.last = now
		return
	}
	if now.Sub(ka.last) < c.opts.noopInterval {
		return
	}
	ka.last = now
	n, cerr, err := c.write(ctx, now.Add(min(c.opts.idleTimeout, noopWriteWait)), "NOOP")
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

// keepAliveOn reports whether the open transfer may send more NOOPs.
func (c *Conn) keepAliveOn() bool {
	ka := &c.keepAlive
	return c.opts.noopInterval > 0 && !ka.stopped && ka.sent < maxKeepAlive && !c.Refused(noopDuringTransfer)
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
	m := noopReplies{sent: n}
	for first := true; m.final == nil; first = false {
		var reply *Reply
		var err error
		if first {
			reply, err = t.finalReply()
		} else {
			reply, err = c.readFinal(t.ctx, t.verb)
		}
		if err != nil {
			// Abort reads what is still to come.
			c.keepAlive.sent = n - m.noops
			return nil, err
		}
		if err := m.take(c, t.verb, reply); err != nil {
			return nil, err
		}
	}
	return m.finish(t.ctx, c, t.verb)
}

// noopReplies tells the final reply of a transfer from the replies to the
// NOOPs sent during it, by their codes (see WithNoopInterval).
type noopReplies struct {
	sent     int    // NOOPs sent during the transfer
	noops    int    // their replies read
	refusals int    // of which refusals (500-502)
	final    *Reply // the transfer's final reply, once read
}

// take sorts reply, read on c for the transfer command verb. A reply that
// can be neither is an error that drops c and stops NOOPs during transfers
// for the session.
func (m *noopReplies) take(c *Conn, verb string, reply *Reply) error {
	switch {
	case m.final == nil && m.noops == m.sent:
		m.final = reply
	case reply.Code == 200 && m.noops < m.sent:
		m.noops++
	case noopRefused(reply.Code) && m.noops < m.sent:
		m.noops++
		m.refusals++
	case m.final == nil && reply.Code >= 200:
		m.final = reply
	default:
		err := fmt.Errorf("cannot tell the transfer's final reply from the replies to the %d NOOPs sent during it (%d %s)", m.sent, reply.Code, clip(reply.Msg()))
		c.noNoopsDuringTransfers(err)
		return c.fail(&Error{Kind: KindConnection, Op: verb, Err: err})
	}
	return nil
}

// finish reads, once the final reply has come, the replies to the NOOPs
// still unanswered, waiting at most noopReplyWait, and returns the final
// reply. A server that does not answer them all (pure-ftpd drops some) has
// its connection dropped, after this transfer's result, and is sent no
// more NOOPs during transfers.
func (m *noopReplies) finish(ctx context.Context, c *Conn, verb string) (*Reply, error) {
	limit := time.Now().Add(min(c.opts.idleTimeout, noopReplyWait))
	for m.noops < m.sent {
		reply, err := c.readLimit(ctx, "NOOP", limit)
		if err != nil {
			c.fail(&Error{Kind: KindConnection, Op: "NOOP", Err: fmt.Errorf("%d of the %d NOOPs sent during the transfer had no reply: %w", m.sent-m.noops, m.sent, err)})
			c.noNoopsDuringTransfers(err)
			return m.final, nil
		}
		if err := m.take(c, verb, reply); err != nil {
			return nil, err
		}
	}
	if m.refusals > 0 {
		c.noNoopsDuringTransfers(fmt.Errorf("%d of %d NOOPs sent during the transfer refused", m.refusals, m.sent))
	}
	return m.final, nil
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
