package client

import (
	"context"
	"fmt"
	"net"
	"time"
)

// Early upload data. In passive mode the data connection is open once it
// is dialed, so an upload need not wait for the server's preliminary reply
// (150) before it sends its data: that saves the round trip of the reply,
// which the server sends only once it takes the connection. The reply is
// read meanwhile by a goroutine of its own, the transfer's watcher, which
// is then the only reader of the control connection until Close.
//
// When the server refuses the command instead (550, 553: no such folder,
// no permission), it never reads the data: the watcher resets the data
// connection at once, so that a Write blocked on a full connection
// returns, and Close reports the refusal as Stor would have. Nothing was
// stored, which Started tells the caller. The control connection is in
// step (the refusal was the command's final reply); the connection the
// data went to is never used again, since every transfer after it asks
// for a port of its own.
//
// Early data is not used under TLS, whose handshake on the data connection
// the server starts only once it takes the connection; nor in active mode,
// where the connection comes from the server; nor for a resumed upload or
// an append, nor in lockstep (WithPipelining(false)).

// earlyReply is the watcher of an early upload: it reads the command's
// first reply.
type earlyReply struct {
	done   chan struct{} // closed when the reply was read, or the read failed
	reply  *Reply
	err    error
	cancel context.CancelFunc
}

// earlyData reports whether the upload verb from offset, whose data
// connection p is, may send its data before the preliminary reply. Only
// on a connection dialed after the command went out, which it cannot
// overtake: on one made before (the standby connection), data sent at
// once can reach the server before the command, and a server that reads
// the connection as soon as it accepts it (pyftpdlib) then drops it as
// unwanted and waits for another that never comes.
func (c *Conn) earlyData(verb string, offset int64, p *pendingData) bool {
	return verb == "STOR" && offset == 0 && p.conn != nil && p.ln == nil && !p.madeBefore && !c.protP && !c.lockstep()
}

// startEarly returns the upload whose command was sent and whose data
// connection nc is, ready for its data, and starts its watcher.
func (c *Conn) startEarly(ctx context.Context, verb, shown string, nc net.Conn) *transfer {
	wctx, cancel := context.WithCancel(ctx)
	w := &earlyReply{done: make(chan struct{}), cancel: cancel}
	t := &transfer{c: c, ctx: ctx, verb: verb, line: shown, data: nc, upload: true, announced: -1, early: w}
	go func() {
		defer close(w.done)
		w.reply, w.err = c.read(wctx, verb)
		if w.err == nil && w.reply.Code >= 300 {
			// Refused: nothing will read the data.
			resetConn(nc)
		}
	}()
	t.start()
	c.setData(nc)
	c.busy = true
	return t
}

// settleEarly ends the watcher of an early upload that failed or was
// cancelled, before close reads the control connection itself (to abort
// the transfer). When the watcher read the command's final reply (the
// server refused it), the transfer is over on both sides and over is set:
// close returns err, the refusal, and aborts nothing.
func (t *transfer) settleEarly() (err error, over bool) {
	w := t.early
	if t.ctx.Err() == nil && t.err == nil {
		return nil, false // an orderly end: see finalReply
	}
	if t.ctx.Err() != nil {
		w.cancel()
	}
	select {
	case <-w.done:
	case <-time.After(min(abortTimeout, t.c.opts.idleTimeout)):
		w.cancel()
		<-w.done
	}
	if w.err != nil || w.reply.Code < 200 {
		return nil, false
	}
	// The command's final reply came: the server is done with it.
	c := t.c
	resetConn(t.data)
	c.setData(nil)
	c.busy = false
	switch {
	case w.reply.Code/100 != 2:
		return c.replyError(t.line, w.reply), true
	case t.ctx.Err() != nil:
		return &Error{Kind: KindOther, Op: t.verb, Err: fmt.Errorf("transfer cancelled: %w", t.ctx.Err())}, true
	}
	// A success before the data ended: what failed is the data.
	return t.err, true
}

// refusedEarly returns, when a Write of an early upload failed, the
// server's refusal of the command if that is why: the server refused it
// and closed or reset the data connection it never read (proftpd). It
// waits for the watcher's reply, which such a server has sent, for as long
// as an abort would; nil means the write failed for another reason.
func (t *transfer) refusedEarly() error {
	w := t.early
	if w == nil {
		return nil
	}
	select {
	case <-w.done:
	case <-t.ctx.Done():
		return nil
	case <-time.After(min(abortTimeout, t.c.opts.idleTimeout)):
		return nil
	}
	if w.err != nil || w.reply.Code < 300 {
		return nil
	}
	return t.c.replyError(t.line, w.reply)
}

// finalReply reads the final reply to the transfer's command, once its
// data has ended: for an early upload, after the reply its watcher read,
// unless that was the final one already.
func (t *transfer) finalReply() (*Reply, error) {
	if w := t.early; w != nil {
		<-w.done
		if w.err != nil {
			return nil, w.err
		}
		if w.reply.Code >= 200 {
			return w.reply, nil
		}
	}
	return t.c.readFinal(t.ctx, t.verb)
}

// Started reports whether the server began the upload w, a writer that
// Stor or Appe returned: it answered the command with a preliminary reply
// (1yz). Asked after Close failed, false means that the server refused the
// command, so none of the data written reached a file (see Conn.Stor).
// For any other w it returns true.
func Started(w any) bool {
	t, ok := w.(*transfer)
	if !ok || t.early == nil {
		return true
	}
	select {
	case <-t.early.done:
		return t.early.err != nil || t.early.reply.Code < 200
	default:
		return true
	}
}
