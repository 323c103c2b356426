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

// ahead is a download whose data command (EPSV or PASV; EPRT or PORT in
// active mode) and RETR went out before the final reply of the download
// before it (see RetrNext). Its replies are still to come, in order: the
// data command's, then RETR's.
type ahead struct {
	line  string           // the RETR line as it went on the wire
	shown string           // the RETR line as errors name it
	setup string           // "EPSV", "PASV", "EPRT" or "PORT"
	ln    *net.TCPListener // active mode: the listener announced
}

// want returns the code of the positive reply to the data command.
func (a *ahead) want() int {
	switch a.setup {
	case "PASV":
		return 227
	case "EPRT", "PORT":
		return 200
	}
	return 229
}

// ok reports whether code is a positive reply to the data command: any
// 2yz to EPRT or PORT, as announce takes it.
func (a *ahead) ok(code int) bool {
	if a.ln != nil {
		return code/100 == 2
	}
	return code == a.want()
}

// RetrNext is Retr for a download that others follow on the same
// connection. When the data of path reaches its end (Read returns io.EOF),
// next is asked for the path of the download that comes next; when it
// names one, the connection sends that download's data command (EPSV, or
// PASV where EPSV is off; in active mode EPRT or PORT, for a listener
// opened then) and RETR at once, before the final reply of path: the
// server starts the next transfer as soon as this one ends, which saves a
// round trip a file, more through a server that sends its final reply
// only once the client has closed the data connection (vsftpd). This is
// lookahead.
//
// The caller then calls Retr or RetrNext for that path, at offset 0, as
// the next command of the connection: it takes up the transfer sent
// ahead. Any other command (Retr of another path or at another offset
// included) first aborts it with ABOR, and so does a failure of path's own
// transfer; the next download then starts afresh, so that no failure of
// one file touches the next. Replies are matched strictly in order.
//
// Lookahead is used only with WithPipelining. In active mode the
// connections made to the new listener before the two commands went out
// are closed unread, as Retr closes those made before its command, and
// one connection from the server's address is accepted. A server found
// not to take lookahead (it answers the early data command out of order
// or refuses it, or closes the connection) is
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
	return c.opts.pipeline && c.ahead == nil && c.Err() == nil &&
		(c.mode == Passive || c.opts.activeRefused == nil) && c.Refusals().NoLookahead() == nil
}

// sendNext runs when the data of t, a download, has reached its end: it
// asks t.next for the next download and sends its data command and RETR
// (see RetrNext).
func (t *transfer) sendNext() {
	next := t.next
	t.next = nil
	c := t.c
	if next == nil || t.ctx.Err() != nil || !c.canLookahead() || c.keepAlive.sent > 0 {
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
	a := &ahead{line: commandLine("RETR", warg), shown: maskedLine(commandLine("RETR", path))}
	setup, ok := c.aheadSetup(t.ctx, a)
	if !ok {
		return
	}
	n, cerr, err := c.write(t.ctx, time.Time{}, setup, a.line)
	switch {
	case err == nil:
		c.ahead = a
		return
	case n == 0 && cerr != nil:
		// Cancelled before anything went out.
	default:
		c.fail(&Error{Kind: KindConnection, Op: a.setup, Err: fmt.Errorf("sending the next download ahead: %w", err)})
	}
	a.closeListener(c)
}

// aheadSetup prepares the data command of a, a download to be sent
// ahead, and returns its line: EPSV or PASV in passive mode; in active
// mode EPRT or PORT for a new listener, which a keeps, with the
// connections made to it so far closed unread. ok is false when nothing
// can be sent ahead; the download then starts afresh, which says why.
func (c *Conn) aheadSetup(ctx context.Context, a *ahead) (line string, ok bool) {
	if c.mode == Passive {
		a.setup = "EPSV"
		if !c.opts.extended || c.epsvOff() {
			if c.serverIPv6() {
				return "", false
			}
			a.setup = "PASV"
		}
		return a.setup, true
	}
	ln, err := c.listenActive(ctx)
	if err != nil {
		return "", false
	}
	verb, arg, err := c.announceLine(c.activeIP(), ln.Addr().(*net.TCPAddr).Port)
	if err == nil {
		err = c.dropEarly(ctx, ln, "RETR")
	}
	if err != nil {
		ln.Close()
		return "", false
	}
	a.setup, a.ln = verb, ln
	c.mu.Lock()
	c.aheadLn = ln
	c.mu.Unlock()
	return commandLine(verb, arg), true
}

// closeListener closes the listener of a, in active mode, when the
// transfer sent ahead is not taken up.
func (a *ahead) closeListener(c *Conn) {
	if ln := a.takeListener(c); ln != nil {
		ln.Close()
	}
}

// takeListener hands the listener of a, in active mode, to the transfer
// that takes it up: Close no longer closes it.
func (a *ahead) takeListener(c *Conn) *net.TCPListener {
	c.mu.Lock()
	if c.aheadLn == a.ln {
		c.aheadLn = nil
	}
	c.mu.Unlock()
	return a.ln
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
		a.closeListener(c)
		return false, err
	}
	c.tracef("aborting %s, sent ahead", a.shown)
	limit := time.Now().Add(min(abortTimeout, c.opts.idleTimeout))
	reply, err := c.readLimit(ctx, a.setup, limit)
	// In active mode the server's connection, now refused, makes it
	// answer RETR with 425 rather than wait.
	a.closeListener(c)
	if err != nil {
		if c.Err() == nil {
			c.fail(&Error{Kind: KindConnection, Op: a.setup, Err: errors.New("connection dropped: replies cut short while aborting a transfer sent ahead")})
		}
		return false, c.Err()
	}
	inOrder = a.ok(reply.Code)
	if inOrder && a.ln == nil {
		if host, port, perr := c.passiveTarget(a.setup, reply); perr == nil {
			dctx, cancel := context.WithDeadline(ctx, limit)
			nc, derr := c.dialData(dctx, host, port)
			cancel()
			if derr == nil {
				resetConn(nc)
			}
		}
	} else if !inOrder {
		c.refuseLookahead(fmt.Errorf("the server answered %s sent ahead with %d %s", a.setup, reply.Code, clip(reply.Msg())))
	}
	if _, err := c.abort(nil, false, a.shown); err != nil {
		return inOrder, err
	}
	return inOrder, nil
}

// takeAhead takes up the transfer sent ahead for line (the RETR line as it
// goes on the wire) at offset: it reads the data command's reply and
// returns the data connection to come, RETR's replies following as for
// any transfer: in passive mode connected to the port the reply names, in
// active mode the listener the server is to connect to. It returns nil and
// no error when the transfer must start afresh: none was sent ahead, or
// one for another line or offset (aborted), or the server did not take it
// (then lookahead is off for the session).
func (c *Conn) takeAhead(ctx context.Context, line string, offset int64) (*pendingData, error) {
	a := c.ahead
	switch {
	case a == nil:
		return nil, nil
	case line != a.line || offset != 0:
		_, err := c.abortAhead(context.Background())
		return nil, err
	}
	c.ahead = nil
	reply, err := c.read(ctx, a.setup)
	var prelim *Reply
	if err == nil && reply.Code < 200 {
		// RETR's preliminary reply came before the data command's, from
		// a server that handles commands as they come: pyftpdlib answers
		// EPRT only once it has connected, and RETR meanwhile. The data
		// command's reply follows; the transfer then goes on as usual.
		prelim = reply
		reply, err = c.readFinal(ctx, a.setup)
	}
	if err != nil {
		a.closeListener(c)
		if c.Err() == nil {
			// Cancelled: RETR's replies would answer the next command.
			c.fail(&Error{Kind: KindConnection, Op: a.setup, Err: errors.New("connection dropped: cancelled with a transfer sent ahead")})
		} else if ctx.Err() == nil {
			c.refuseLookahead(fmt.Errorf("the server closed the connection after a transfer was sent ahead: %w", err))
		}
		return nil, err
	}
	if !a.ok(reply.Code) {
		a.closeListener(c)
		c.refuseLookahead(fmt.Errorf("the server answered %s sent ahead with %d %s", a.setup, reply.Code, clip(reply.Msg())))
		if _, err := c.abort(nil, false, a.shown); err != nil {
			return nil, err
		}
		return nil, nil
	}
	if a.ln != nil {
		c.tracef("took up %s, sent ahead", a.shown)
		return &pendingData{ln: a.takeListener(c), prelim: prelim}, nil
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
	return &pendingData{conn: nc, prelim: prelim}, nil
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
