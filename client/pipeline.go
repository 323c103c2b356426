package client

import (
	"context"
	"errors"
	"net"
	"strconv"
	"strings"
	"syscall"
)

// WithPipelining makes passive transfers and listings send EPSV, REST (when
// resuming) and the transfer command (RETR, STOR, APPE, LIST, NLST, MLSD)
// in one write instead of waiting for each reply, as lftp does with
// ftp:sync-mode off. That saves one round trip per transfer, two with REST.
// It is off by default.
//
// It is used only where it is safe: in passive mode with EPSV on, once the
// server is known to take EPSV (FEAT lists it, or an EPSV of this session
// worked). When the server refuses EPSV nonetheless, or its port cannot be
// reached, the connection reads the replies to what it sent, aborts with
// ABOR a transfer the server may have started, and goes on in lockstep with
// PASV for the rest of the session, as without pipelining. A refused REST
// also aborts the transfer, which would otherwise start from byte 0.
//
// Without this option a connection still sends in one write the commands
// whose outcome does not decide what comes next (see Conn.Setup and
// Conn.Rename), and starts an upload's data before the server's 150 (see
// Conn.Stor); WithPipelining(false) turns those off too, for a server that
// loses commands sent before it answered the ones before them.
func WithPipelining(on bool) Option { return func(o *options) { o.pipeline, o.lockstep = on, !on } }

// SetPipelining turns pipelining (see WithPipelining) on or off for the
// next commands, as for a connection that a pool adopts.
func (c *Conn) SetPipelining(on bool) { c.opts.pipeline = on }

// Pipelining reports whether pipelining is on (see WithPipelining).
func (c *Conn) Pipelining() bool { return c.opts.pipeline }

// pipelining reports whether the next transfer may be pipelined.
func (c *Conn) pipelining() bool {
	return c.opts.pipeline && c.mode == Passive && c.opts.extended && !c.epsvOff() &&
		(c.epsvOK || c.HasFeature("EPSV"))
}

// startPipelined sends EPSV, REST when offset > 0, and the transfer
// command line (as it goes on the wire; shown is how errors name it) in
// one write; then it reads EPSV's reply, dials the port it names, and
// reads REST's reply. On success it returns the data connection and the
// caller reads the transfer command's replies as in lockstep.
// Otherwise the connection has been brought back in step (or dropped), and
// fallback reports that EPSV failed in a way that lockstep PASV may fix.
func (c *Conn) startPipelined(ctx context.Context, line, shown string, offset int64, upload bool) (nc net.Conn, fallback bool, err error) {
	lines := []string{"EPSV"}
	if offset > 0 {
		lines = append(lines, "REST "+strconv.FormatInt(offset, 10))
	}
	lines = append(lines, line)
	if err := c.sendLines(ctx, lines); err != nil {
		return nil, false, err
	}
	reply, err := c.readFinal(ctx, "EPSV")
	if err != nil {
		return nil, false, c.resync(err, upload, shown)
	}
	if reply.Code != 229 {
		err := c.replyError("EPSV", reply)
		err = c.resync(err, upload, shown)
		if !refused(err) || c.Err() != nil {
			return nil, false, err
		}
		c.tracef("server refused EPSV; using PASV from now on")
		c.dropEPSV(err)
		return nil, true, err
	}
	port, err := parseEPSV(reply.Msg())
	if err != nil {
		return nil, false, c.resync(&Error{Kind: KindProtocol, Op: "EPSV", Err: err}, upload, shown)
	}
	nc, err = c.dialData(ctx, c.dataHost(), port)
	if err != nil {
		// The transfer command is on its way, so a failed dial need not
		// mean an unreachable port: the server may have refused the
		// command and closed its port (550), or run the transfer and cut
		// it before the connection was seen to be up. Its replies tell.
		var first *ReplyError
		if c.Err() == nil {
			first, _ = c.abort(nil, upload, shown)
		}
		switch {
		case ctx.Err() == nil && first != nil && first.Code == 421:
			// The server is closing: its reply says more than the dial.
			return nil, false, c.replyError(shown, &Reply{Code: first.Code, Lines: strings.Split(first.Msg, "\n")})
		case ctx.Err() != nil || c.Err() != nil:
			return nil, false, err
		case first != nil && first.Code != 425 && first.Code != 426:
			return nil, false, c.replyError(shown, &Reply{Code: first.Code, Lines: strings.Split(first.Msg, "\n")})
		case first != nil && first.Code == 426, errors.Is(err, syscall.ECONNRESET):
			return nil, false, withReply(KindConnection, commandName(line), first, err)
		}
		// A firewall that does not know EPSV (curl test1233).
		c.tracef("EPSV port unreachable (%v); using PASV from now on", err)
		c.dropEPSV(err)
		return nil, true, err
	}
	c.epsvOK = true
	if offset > 0 {
		reply, err := c.readFinal(ctx, "REST")
		if err == nil && reply.Code != 350 {
			err = c.replyError("REST "+strconv.FormatInt(offset, 10), reply)
		}
		if err != nil {
			// The server would send the file from byte 0: stop it.
			nc.Close()
			return nil, false, c.resync(err, upload, shown)
		}
	}
	return nc, false, nil
}

// resync brings the connection back in step after a pipelined command
// failed while the replies to the commands sent after it are still to
// come: ABOR (for a transfer the server may have started) and NOOP, then
// every reply up to NOOP's. It returns err; a connection that cannot be
// brought back in step is dropped.
func (c *Conn) resync(err error, upload bool, shown string) error {
	if c.Err() != nil {
		return err
	}
	c.abort(nil, upload, shown)
	return err
}
