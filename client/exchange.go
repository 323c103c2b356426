package client

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"time"
)

// pendingWait bounds the wait for the reply of a cancelled command, read
// before the next command (together with the idle timeout).
const pendingWait = 5 * time.Second

// deadline applies the idle timeout, ctx's deadline and limit (unless
// zero) to the next reads and writes on nc, and arranges for ctx's
// cancellation to interrupt them. The returned stop must be called when
// the operation ends. It waits for an interruption that is under way, so
// that none can reach nc after stop returns, and it returns ctx's error
// when ctx (its cancellation, or its deadline) ended the operation.
func (c *Conn) deadline(ctx context.Context, nc net.Conn, limit time.Time) (stop func() error) {
	d := time.Now().Add(c.opts.idleTimeout)
	if !limit.IsZero() && limit.Before(d) {
		d = limit
	}
	ctxDeadline, byCtx := ctx.Deadline()
	if byCtx = byCtx && !ctxDeadline.After(d); byCtx {
		d = ctxDeadline
	}
	nc.SetDeadline(d)
	done := make(chan struct{})
	after := context.AfterFunc(ctx, func() {
		defer close(done)
		nc.SetDeadline(time.Unix(1, 0))
	})
	return func() error {
		if !after() {
			<-done
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if byCtx && !time.Now().Before(ctxDeadline) {
			return context.DeadlineExceeded
		}
		return nil
	}
}

// write writes command lines in one write, without marking the connection
// broken on failure. cerr is ctx's error when ctx ended the write.
func (c *Conn) write(ctx context.Context, limit time.Time, lines ...string) (n int, cerr, err error) {
	c.noteSent(lines)
	var b strings.Builder
	for _, l := range lines {
		c.traceSend(l)
		b.WriteString(l)
		b.WriteString("\r\n")
	}
	stop := c.deadline(ctx, c.conn, limit)
	n, err = io.WriteString(c.conn, b.String())
	cerr = stop()
	return n, cerr, err
}

// send writes one command line. Arguments were checked by the caller. A
// context that is done sends nothing.
func (c *Conn) send(ctx context.Context, line string) error {
	return c.sendLines(ctx, []string{line})
}

// sendLines writes command lines in one write. A context that is done
// sends nothing; one that ends during the write leaves the connection
// unusable when part of the lines went out.
func (c *Conn) sendLines(ctx context.Context, lines []string) error {
	op := commandName(lines[0])
	if err := ctx.Err(); err != nil {
		return &Error{Kind: KindOther, Op: op, Err: err}
	}
	n, cerr, err := c.write(ctx, time.Time{}, lines...)
	switch {
	case err == nil:
		return nil
	case cerr != nil && n == 0:
		return &Error{Kind: KindOther, Op: op, Err: cerr}
	case cerr != nil:
		c.fail(&Error{Kind: KindConnection, Op: op, Err: errors.New("connection dropped: a cancelled command was sent in part")})
		return &Error{Kind: KindOther, Op: op, Err: cerr}
	}
	if alert := c.alertAfterWrite(); alert != nil {
		return c.fail(&Error{Kind: KindTLS, Op: op, Err: alert})
	}
	return c.fail(&Error{Kind: KindConnection, Op: op, Err: err})
}

// alertAfterWrite returns the TLS alert the server sent before it closed
// the connection a write just failed on, when it can still be read: under
// TLS 1.3 a server that demands a client certificate sends "certificate
// required" once the handshake is over and closes, and the first
// command's write may meet the reset before a read meets the alert.
func (c *Conn) alertAfterWrite() error {
	if _, ok := c.conn.(*tls.Conn); !ok {
		return nil
	}
	c.conn.SetReadDeadline(time.Now().Add(time.Second))
	if _, err := c.r.Peek(1); isTLSAlert(err) {
		return err
	}
	return nil
}

// read reads one reply.
func (c *Conn) read(ctx context.Context, op string) (*Reply, error) {
	return c.readLimit(ctx, op, time.Time{})
}

// readLimit reads one reply, failing when it has not come by limit (unless
// zero). When ctx ends the wait before any byte of the reply was read, the
// reply is marked pending and the connection stays usable; any other
// failure leaves it unusable.
func (c *Conn) readLimit(ctx context.Context, op string, limit time.Time) (*Reply, error) {
	before := c.consumed()
	stop := c.deadline(ctx, c.conn, limit)
	reply, err := readReply(c.r)
	cerr := stop()
	if err != nil {
		if cerr != nil {
			if c.consumed() == before {
				c.pending = true
			} else {
				c.fail(&Error{Kind: KindConnection, Op: op, Err: errors.New("connection dropped: a cancellation cut a reply short")})
			}
			return nil, &Error{Kind: KindOther, Op: op, Err: cerr}
		}
		kind := KindConnection
		switch {
		case errors.Is(err, errReplyFormat):
			kind = KindProtocol
		case isTLSAlert(err):
			kind = KindTLS
		}
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			err = fmt.Errorf("server closed the connection: %w", err)
		}
		return nil, c.fail(&Error{Kind: kind, Op: op, Err: err})
	}
	c.decodeReply(reply)
	c.traceReply(reply)
	if reply.Code == 421 {
		// The server is closing the control connection (RFC 959 4.2).
		c.fail(&Error{Kind: KindConnection, Op: op, Err: &ReplyError{Cmd: op, Code: 421, Msg: reply.Msg()}})
	}
	return reply, nil
}

// readFinal reads replies up to the first that is not preliminary (1yz).
func (c *Conn) readFinal(ctx context.Context, op string) (*Reply, error) {
	for n := 0; ; n++ {
		reply, err := c.read(ctx, op)
		if err != nil || reply.Code >= 200 {
			return reply, err
		}
		if n >= maxPreliminary {
			return nil, c.fail(&Error{Kind: KindProtocol, Op: op, Err: fmt.Errorf("more than %d preliminary replies", maxPreliminary)})
		}
	}
}

// drainPending reads and discards the reply of a command that was
// cancelled while it waited for it, so that the next command reads its own
// reply. It waits at most min(idle timeout, pendingWait); a reply that
// does not come leaves the connection unusable.
func (c *Conn) drainPending(ctx context.Context) error {
	if !c.pending {
		return nil
	}
	c.tracef("reading the reply to a cancelled command")
	limit := time.Now().Add(min(c.opts.idleTimeout, pendingWait))
	for n := 0; ; n++ {
		reply, err := c.readLimit(ctx, "reply to a cancelled command", limit)
		if err != nil {
			return err
		}
		if reply.Code >= 200 {
			c.pending = false
			return c.Err() // set by a 421
		}
		if n >= maxPreliminary {
			return c.fail(&Error{Kind: KindProtocol, Op: "reply to a cancelled command", Err: fmt.Errorf("more than %d preliminary replies", maxPreliminary)})
		}
	}
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

// begin checks that a command may be sent now: the connection is usable
// and idle, arg is safe and can be sent in the server's charset, ctx is
// not done; and it reads the reply of an earlier cancelled command. It
// returns the command line as it goes on the wire (see wire).
func (c *Conn) begin(ctx context.Context, verb, arg string) (wireLine string, err error) {
	if err := c.ready(); err != nil {
		return "", err
	}
	warg, err := c.wire(verb, arg)
	if err != nil {
		return "", err
	}
	if err := ctx.Err(); err != nil {
		return "", &Error{Kind: KindOther, Op: verb, Err: err}
	}
	line := commandLine(verb, warg)
	if err := c.settleAhead(line); err != nil {
		return "", err
	}
	return line, c.drainPending(ctx)
}

// commandLine returns verb with its argument, if any.
func commandLine(verb, arg string) string {
	if arg == "" {
		return verb
	}
	return verb + " " + arg
}

// exchange sends verb with arg and reads the reply, after any preliminary
// (1yz) ones. It refuses arguments with CR, LF, NUL or 0xFF, and those
// that cannot be sent in the server's charset. A reply whose code is not
// in the class of expect (see codeMatches) is returned as a *ReplyError
// together with the reply; its command is the line as the caller gave it.
func (c *Conn) exchange(ctx context.Context, expect int, verb, arg string) (*Reply, error) {
	wireLine, err := c.begin(ctx, verb, arg)
	if err != nil {
		return nil, err
	}
	line := commandLine(verb, arg)
	if err := c.send(ctx, wireLine); err != nil {
		return nil, err
	}
	reply, err := c.readFinal(ctx, verb)
	if err != nil {
		return nil, err
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
