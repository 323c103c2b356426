package client

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"time"
)

// ahead is a download whose passive command and RETR went out before the
// final reply of the download before it (see RetrNext). Its replies are
// still to come, in order: the passive command's, then RETR's.
type ahead struct {
	line  string // the RETR line as it went on the wire
	shown string // the RETR line as errors name it
	setup string // "EPSV" or "PASV"
}

// want returns the code of a positive reply to the passive command.
func (a *ahead) want() int {
	if a.setup == "PASV" {
		return 227
	}
	return 229
}

// RetrNext is Retr for a download that others follow on the same
// connection. When the data of path reaches its end (Read returns io.EOF),
// next is asked for the path of the download that comes next; when it
// names one, the connection sends that download's passive command (EPSV,
// or PASV where EPSV is off) and RETR at once, before the final reply of
// path: the server starts the next transfer as soon as this one ends,
// which saves a round trip a file, more through a server that sends its
// final reply only once the client has closed the data connection
// (vsftpd). This is lookahead.
//
// The caller then calls Retr or RetrNext for that path, at offset 0, as
// the next command of the connection: it takes up the transfer sent
// ahead. Any other command (Retr of another path or at another offset
// included) first aborts it with ABOR, and so does a failure of path's own
// transfer; the next download then starts afresh, so that no failure of
// one file touches the next. Replies are matched strictly in order.
//
// Lookahead is used only with WithPipelining, in passive mode: in active
// mode each transfer needs a listener announced with PORT or EPRT, and
// ferry reads the reply to that before it sends the transfer command, so
// that it can tell the server's data connection from an intruder's (see
// Retr). A server found not to take lookahead (it answers the early
// passive command out of order or refuses it, or closes the connection) is
// served without it for the rest of the session, and on the connections
// that share its Refusals (see Refusals.NoLookahead). next is not asked
// when lookahead is off, nor after a failed read.
func (c *Conn) RetrNext(ctx context.Context, path string, offset int64, next func() (path string, ok bool)) (io.ReadCloser, error) {
	t, err := c.openTransfer(ctx, "RETR", path, offset, false)
	if err != nil {
		return nil, err
	}
	t.next = next
	return t, nil
}

// Ahead returns the path of the download sent ahead on the connection
// (see RetrNext) and true, or "" and false when there is none.
func (c *Conn) Ahead() (path string, ok bool) {
	if c.ahead == nil || c.Err() != nil {
		return "", false
	}
	return c.ahead.path(), true
}

// path returns the path the transfer sent ahead reads, as the caller
// named it.
func (a *ahead) path() string { return a.shown[len("RETR "):] }

// NoLookahead returns why the server was found not to take lookahead
// (see Conn.RetrNext), or nil.
func (r *Refusals) NoLookahead() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.noAhead
}

// refuseLookahead turns lookahead off for the session after err.
func (c *Conn) refuseLookahead(err error) {
	r := c.Refusals()
	r.mu.Lock()
	first := r.noAhead == nil
	if first {
		r.noAhead = err
	}
	r.mu.Unlock()
	if first {
		c.tracef("lookahead off for this session: %v", err)
	}
}

// canLookahead reports whether a transfer may be sent ahead now.
func (c *Conn) canLookahead() bool {
	return c.opts.pipeline && c.mode == Passive && c.ahead == nil && c.Err() == nil &&
		c.Refusals().NoLookahead() == nil
}

// sendNext runs when the data of t, a download, has reached its end: it
// asks t.next for the next download and sends its passive command and
// RETR (see RetrNext).
func (t *transfer) sendNext() {
	next := t.next
	t.next = nil
	c := t.c
	if next == nil || t.active || t.ctx.Err() != nil || !c.canLookahead() || c.keepAlive.sent > 0 {
		// After NOOPs sent during the transfer (WithNoopInterval), their
		// replies may come before or after its final reply, or not at all:
		// replies to commands sent ahead could be taken for theirs.
		return
	}
	path, ok := next()
	if !ok {
		return
	}
	warg, err := c.wire("RETR", path)
	if err != nil {
		return // Retr of that path says why
	}
	setup := "EPSV"
	if !c.opts.extended || c.epsvOff() {
		if c.serverIPv6() {
			return
		}
		setup = "PASV"
	}
	a := &ahead{line: commandLine("RETR", warg), shown: maskedLine(commandLine("RETR", path)), setup: setup}
	n, cerr, err := c.write(t.ctx, time.Time{}, setup, a.line)
	switch {
	case err == nil:
		c.ahead = a
	case n == 0 && cerr != nil:
		// Cancelled before anything went out.
	default:
		c.fail(&Error{Kind: KindConnection, Op: setup, Err: fmt.Errorf("sending the next download ahead: %w", err)})
	}
}

// settleFinal decides the outcome of t's final reply (reply or err, from
// readFinal) while a transfer sent ahead is pending. A positive reply
// keeps it for the next Retr; a reply out of order (the passive command's
// before t's own), a broken connection or a cancellation drop the
// connection, since the replies still due cannot be told apart; a
// negative reply aborts the transfer sent ahead first, and counts as t's
// own only when the replies after it come in order.
func (c *Conn) settleFinal(t *transfer, reply *Reply, err error) (*Reply, error) {
	a := c.ahead
	switch {
	case err != nil && c.Err() == nil:
		// Cancelled: t's final reply and the ones sent ahead are due.
		c.fail(&Error{Kind: KindConnection, Op: t.verb, Err: errors.New("connection dropped: cancelled with a transfer sent ahead")})
		return nil, err
	case err != nil:
		c.refuseLookahead(fmt.Errorf("the server closed the connection with a transfer sent ahead: %w", err))
		return nil, err
	case reply.Code == a.want():
		re := c.replyError(a.setup, reply)
		c.refuseLookahead(fmt.Errorf("the server answered %s before the final reply of %s: %w", a.setup, t.line, re))
		return nil, c.fail(&Error{Kind: KindConnection, Op: t.verb,
			Err: fmt.Errorf("connection dropped: the server answered %s out of order, so the outcome of %s is unknown", a.setup, t.line)})
	case reply.Code/100 == 2 || c.Err() != nil:
		// Success, or a 421: the connection, and what was sent ahead on
		// it, are gone.
		return reply, nil
	}
	inOrder, aerr := c.abortAhead(context.Background())
	if aerr != nil {
		return nil, aerr
	}
	if !inOrder {
		// The negative reply was the passive command's, and t's final
		// reply came after it: t's outcome is unknown, and a retry tells.
		re := c.replyError(a.setup, reply)
		return nil, &Error{Kind: KindConnection, Op: t.verb,
			Err: fmt.Errorf("the server answered %s out of order (%w), so the outcome of %s is unknown", a.setup, re, t.line)}
	}
	return reply, nil
}

// settleAhead aborts the transfer sent ahead unless line, the next command
// as it goes on the wire, is the RETR that takes it up (see takeAhead).
func (c *Conn) settleAhead(line string) error {
	if c.ahead == nil || line == c.ahead.line {
		return nil
	}
	_, err := c.abortAhead(context.Background())
	return err
}

// abortAhead aborts the transfer sent ahead. It reads the passive
// command's reply; when that names a port, it connects to it and resets
// the connection at once, so that a server waiting for it moves on. Then
// it stops the transfer with ABOR and reads every reply up to NOOP's, as
// abort does, within abortTimeout. inOrder reports that the passive
// command's reply came first, as it should; otherwise lookahead is turned
// off. An error means the connection could not be brought back in step
// and was dropped.
func (c *Conn) abortAhead(ctx context.Context) (inOrder bool, err error) {
	a := c.ahead
	c.ahead = nil
	if err := c.Err(); err != nil {
		return false, err
	}
	c.tracef("aborting %s, sent ahead", a.shown)
	limit := time.Now().Add(min(abortTimeout, c.opts.idleTimeout))
	reply, err := c.readLimit(ctx, a.setup, limit)
	if err != nil {
		if c.Err() == nil {
			c.fail(&Error{Kind: KindConnection, Op: a.setup, Err: errors.New("connection dropped: replies cut short while aborting a transfer sent ahead")})
		}
		return false, c.Err()
	}
	inOrder = reply.Code == a.want()
	if inOrder {
		if host, port, perr := c.passiveTarget(a.setup, reply); perr == nil {
			dctx, cancel := context.WithDeadline(ctx, limit)
			nc, derr := c.dialData(dctx, host, port)
			cancel()
			if derr == nil {
				resetConn(nc)
			}
		}
	} else {
		c.refuseLookahead(fmt.Errorf("the server answered %s sent ahead with %d %s", a.setup, reply.Code, clip(reply.Msg())))
	}
	if _, err := c.abort(nil, false, a.shown); err != nil {
		return inOrder, err
	}
	return inOrder, nil
}

// takeAhead takes up the transfer sent ahead for line (the RETR line as it
// goes on the wire) at offset: it reads the passive command's reply and
// connects to the port it names, and returns that data connection; RETR's
// replies follow as for any transfer. It returns nil and no error when the
// transfer must start afresh: none was sent ahead, or one for another
// line or offset (aborted), or the server did not take it (then lookahead
// is off for the session).
func (c *Conn) takeAhead(ctx context.Context, line string, offset int64) (net.Conn, error) {
	a := c.ahead
	switch {
	case a == nil:
		return nil, nil
	case line != a.line || offset != 0:
		_, err := c.abortAhead(context.Background())
		return nil, err
	}
	c.ahead = nil
	reply, err := c.readFinal(ctx, a.setup)
	if err != nil {
		if c.Err() == nil {
			// Cancelled: RETR's replies would answer the next command.
			c.fail(&Error{Kind: KindConnection, Op: a.setup, Err: errors.New("connection dropped: cancelled with a transfer sent ahead")})
		} else if ctx.Err() == nil {
			c.refuseLookahead(fmt.Errorf("the server closed the connection after a transfer was sent ahead: %w", err))
		}
		return nil, err
	}
	if reply.Code != a.want() {
		c.refuseLookahead(fmt.Errorf("the server answered %s sent ahead with %d %s", a.setup, reply.Code, clip(reply.Msg())))
		if _, err := c.abort(nil, false, a.shown); err != nil {
			return nil, err
		}
		return nil, nil
	}
	host, port, err := c.passiveTarget(a.setup, reply)
	if err != nil {
		c.abort(nil, false, a.shown)
		return nil, err
	}
	nc, err := c.dialData(ctx, host, port)
	if err != nil {
		// RETR is on its way: its reply tells whether the server refused
		// it (550) and closed the port, as after a pipelined EPSV.
		first, _ := c.abort(nil, false, a.shown)
		if first != nil && first.Code != 425 && first.Code != 426 && ctx.Err() == nil && (c.Err() == nil || first.Code == 421) {
			return nil, c.replyError(a.shown, &Reply{Code: first.Code, Lines: strings.Split(first.Msg, "\n")})
		}
		return nil, err
	}
	if a.setup == "EPSV" {
		c.epsvOK = true
	}
	c.tracef("took up %s, sent ahead", a.shown)
	return nc, nil
}

// passiveTarget returns the host and port a passive reply (229 to EPSV,
// 227 to PASV) names, as passive dials them.
func (c *Conn) passiveTarget(setup string, reply *Reply) (string, int, error) {
	if setup == "EPSV" {
		port, err := parseEPSV(reply.Msg())
		if err != nil {
			return "", 0, &Error{Kind: KindProtocol, Op: "EPSV", Err: err}
		}
		return c.dataHost(), port, nil
	}
	ip, port, err := parsePASV(reply.Msg())
	if err != nil {
		return "", 0, &Error{Kind: KindProtocol, Op: "PASV", Err: err}
	}
	return c.pasvHost(ip), port, nil
}
