package client

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"time"
)

// Transfers between two servers (FXP). RFC 959 section 2.3 describes a
// user who opens control connections to two servers and has one send a
// file straight to the other: one is put in passive mode (PASV), the
// other is told that address (PORT), and the first is sent STOR while the
// second is sent RETR. The data never passes through the client.
//
// The address a PASV reply names is the server's word: a hostile server
// can name any host and port, and the other server would then connect
// there and send it the file (a "bounce", RFC 2577). PassiveAddr returns
// it unchecked; the caller decides whether to pass it on with Port.

// PassiveAddr issues a PASV command and returns the address of the 227
// reply, without connecting to it: for a transfer between two servers, the
// other server connects there (see Port). PASV addresses IPv4 only.
func (c *Conn) PassiveAddr(ctx context.Context) (*net.TCPAddr, error) {
	reply, err := c.exchange(ctx, 227, "PASV", "")
	if err != nil {
		return nil, err
	}
	ip, port, err := parsePASV(reply.Msg())
	if err != nil {
		return nil, &Error{Kind: KindProtocol, Op: "PASV", Err: err}
	}
	return &net.TCPAddr{IP: ip, Port: port}, nil
}

// Port issues a PORT command for addr (IPv4): the server connects there
// for the next transfer command, which StartRelay sends.
func (c *Conn) Port(ctx context.Context, addr *net.TCPAddr) error {
	ip := addr.IP.To4()
	if ip == nil || addr.Port < 1 || addr.Port > 65535 {
		return &Error{Kind: KindOther, Op: "PORT", Err: fmt.Errorf("PORT takes an IPv4 address and a port, not %s", addr)}
	}
	_, err := c.exchange(ctx, 2, "PORT", fmt.Sprintf("%d,%d,%d,%d,%d,%d", ip[0], ip[1], ip[2], ip[3], addr.Port>>8, addr.Port&0xff))
	return err
}

// Proxied reports whether the control connection was made by a dialer of
// the caller's (WithDialer: a proxy or a tunnel), whose peer address is
// not the server's.
func (c *Conn) Proxied() bool { return c.opts.customDialer }

// IdleTimeout returns how long a wait for the server may last (see
// WithIdleTimeout): a caller that waits in steps (Relay.Wait) gives up
// after as long without progress.
func (c *Conn) IdleTimeout() time.Duration { return c.opts.idleTimeout }

// Relay is a transfer command whose data connection the server makes with
// another server, not with this client (see PassiveAddr). The connection
// is busy from StartRelay until Wait has read the final reply or Abort has
// ended the transfer.
type Relay struct {
	c      *Conn
	verb   string
	shown  string // the command as errors name it
	upload bool
	done   bool
	err    error // the outcome, once done
	// noops sorts the replies to the NOOPs KeepAlive sent from the
	// transfer's final reply.
	noops noopReplies
}

// StartRelay sends REST offset (when offset > 0) and then verb (RETR, STOR
// or APPE) for path, after PassiveAddr or Port, and returns without
// reading the reply to verb: a server in passive mode answers only once
// the other server has connected, so both servers' commands are sent
// before either reply is read (Started). Data protection (PROT P) cannot
// reach another server: a connection that uses it is refused.
func (c *Conn) StartRelay(ctx context.Context, verb, path string, offset int64) (*Relay, error) {
	switch verb {
	case "RETR", "STOR", "APPE":
	default:
		return nil, &Error{Kind: KindOther, Op: verb, Err: errors.New("not a relay command (RETR, STOR or APPE)")}
	}
	if c.protP {
		return nil, &Error{Kind: KindOther, Op: verb, Err: errors.New("a TLS-protected data connection (PROT P) cannot go to another server")}
	}
	if _, err := c.begin(ctx, verb, path); err != nil {
		return nil, err
	}
	if offset > 0 {
		if _, err := c.exchange(ctx, 350, "REST", strconv.FormatInt(offset, 10)); err != nil {
			return nil, err
		}
	}
	line, err := c.begin(ctx, verb, path)
	if err != nil {
		return nil, err
	}
	if err := c.send(ctx, line); err != nil {
		return nil, err
	}
	c.busy = true
	c.keepAlive = keepAlive{}
	return &Relay{c: c, verb: verb, shown: maskedLine(commandLine(verb, path)), upload: verb != "RETR"}, nil
}

// Started reads the reply that says the transfer began (1yz), within the
// idle timeout. A final reply instead ends the relay: a refusal (425: the
// data connection could not be made; 550...) is returned as an error, and
// a success (2yz, a server that sent no preliminary reply) makes Done true.
func (r *Relay) Started(ctx context.Context) error {
	if r.done {
		return r.err
	}
	reply, err := r.c.read(ctx, r.verb)
	if err != nil {
		return r.end(err)
	}
	if reply.Code < 200 {
		return nil
	}
	return r.final(reply)
}

// KeepAlive sends NOOP on the control connection when the interval set
// with WithNoopInterval has passed since the last one, as a transfer of
// this client's own does (see WithNoopInterval): the caller calls it
// between Waits, on both relays of a transfer between two servers, whose
// control connections are idle until it ends. Wait matches the replies.
// It does nothing once the relay is done. It returns how long until the
// next NOOP is due, which the caller's next Wait should not exceed, or 0
// when none will be sent.
func (r *Relay) KeepAlive(ctx context.Context) time.Duration {
	c := r.c
	if r.done || c.Err() != nil {
		return 0
	}
	c.sendKeepAlive(ctx)
	if !c.keepAliveOn() {
		return 0
	}
	return max(c.opts.noopInterval-time.Since(c.keepAlive.last), time.Millisecond)
}

// Wait waits at most d (and at most the idle timeout) for the final reply
// of the transfer. It returns false and nil when the reply has not come
// yet, and true once it has, with the transfer's error: nil for a 2yz
// reply, else the reply. Waiting in steps lets the caller watch the
// transfer's progress between them, however long it runs. The replies to
// NOOPs sent by KeepAlive are read as they come, and those still unread
// once the final reply has come, within noopReplyWait.
func (r *Relay) Wait(ctx context.Context, d time.Duration) (bool, error) {
	if r.done {
		return true, r.err
	}
	c := r.c
	// Wait for the reply's first byte without consuming anything, so
	// that a wait that ends leaves the connection as it was.
	stop := c.deadline(ctx, c.conn, time.Now().Add(d))
	_, perr := c.r.Peek(1)
	cerr := stop()
	switch {
	case perr == nil:
	case cerr != nil:
		return false, &Error{Kind: KindOther, Op: r.verb, Err: cerr}
	case IsTimeout(perr) && c.Err() == nil:
		return false, nil
	default:
		return true, r.end(c.fail(&Error{Kind: KindConnection, Op: r.verb, Err: fmt.Errorf("waiting for the transfer's end: %w", perr)}))
	}
	reply, err := c.readFinal(ctx, r.verb)
	if err != nil {
		return true, r.end(err)
	}
	if sent := c.keepAlive.sent; sent > 0 {
		m := &r.noops
		m.sent = sent
		if err := m.take(c, r.verb, reply); err != nil {
			return true, r.end(err)
		}
		if m.final == nil {
			return false, nil // a NOOP's reply
		}
		c.keepAlive = keepAlive{}
		if reply, err = m.finish(ctx, c, r.verb); err != nil {
			return true, r.end(err)
		}
	}
	return true, r.final(reply)
}

// Done reports whether the relay's final reply was read.
func (r *Relay) Done() bool { return r.done }

// Abort ends a relay whose final reply has not come with ABOR (RFC 959
// section 4.1.3) and resyncs the control connection, as a transfer's
// abort does, except that NOOP (or PWD) follows only once the server has
// answered ABOR: pure-ftpd, while it sends a file to another server,
// reads ABOR and drops what came with it in the same packet. When the
// replies do not come within the abort timeout, the connection is dropped
// and Abort returns why. It does nothing once the relay is done.
func (r *Relay) Abort() error {
	if r.done {
		return nil
	}
	r.done = true
	if r.err == nil {
		r.err = &Error{Kind: KindOther, Op: r.verb, Err: errors.New("transfer aborted")}
	}
	c := r.c
	c.busy, c.pending = false, false
	if err := c.Err(); err != nil {
		return err
	}
	limit := time.Now().Add(min(abortTimeout, c.opts.idleTimeout))
	fail := func(err error) error {
		return c.fail(&Error{Kind: KindConnection, Op: "ABOR", Err: err})
	}
	if _, _, err := c.write(context.Background(), limit, "ABOR"); err != nil {
		return fail(err)
	}
	// NOOPs sent by KeepAlive whose replies are still to come.
	noops := max(c.takeKeepAlive()-r.noops.noops, 0)
	resync := noops > 0
	// The transfer's final reply (426, or 226 when it had ended), then
	// ABOR's (226, or 225), with the NOOPs' among them: the first 2yz
	// that is not a NOOP's ends the wait.
	for n := 0; ; n++ {
		reply, err := c.readLimit(context.Background(), "ABOR", limit)
		switch {
		case err != nil:
			return err
		case reply.Code == 421:
			return c.Err()
		case n >= maxAbortReplies+noops:
			return fail(errors.New("no end to the replies after ABOR"))
		case noops > 0 && (reply.Code == 200 || noopRefused(reply.Code)):
			noops--
			continue
		}
		if reply.Code/100 == 2 {
			break
		}
	}
	// PWD, whose 257 no NOOP's reply is, when NOOPs were sent.
	sync, synced := "NOOP", 200
	if c.Refused("NOOP") || resync {
		sync, synced = "PWD", 257
	}
	if _, _, err := c.write(context.Background(), limit, sync); err != nil {
		return fail(err)
	}
	for range maxAbortReplies + noops {
		reply, err := c.readLimit(context.Background(), sync, limit)
		switch {
		case err != nil:
			return err
		case reply.Code == 421:
			return c.Err()
		case reply.Code == synced:
			return nil
		}
	}
	return fail(errors.New("no end to the replies after ABOR"))
}

// final ends the relay with its final reply.
func (r *Relay) final(reply *Reply) error {
	if reply.Code/100 == 2 {
		return r.end(nil)
	}
	re := &ReplyError{Cmd: r.shown, Code: reply.Code, Msg: reply.Msg()}
	if reply.Code == 421 || reply.Code == 425 || reply.Code == 426 {
		// No data connection, or a broken one: as for a transfer of
		// this client's own (see transfer.close).
		return r.end(&Error{Kind: KindConnection, Op: r.verb, Err: re})
	}
	return r.end(re)
}

// end marks the relay done with err, and the connection idle, unless the
// reply is still to come: a read cut short by ctx leaves it pending, and
// the caller aborts.
func (r *Relay) end(err error) error {
	c := r.c
	if c.pending {
		return err
	}
	r.done, r.err = true, err
	c.busy = false
	return err
}
