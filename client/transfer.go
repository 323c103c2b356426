package client

import (
	"context"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
)

// Retr issues a RETR command for path, after REST offset when offset > 0,
// and returns the file's data. The caller must Close the reader: at the end
// of the data Close reads the server's final reply and reports a failed
// transfer; before the end, after a failed Read, or after ctx is cancelled,
// it aborts the transfer with ABOR. When the data connection failed, the
// error of Close carries the server's negative reply (ReplyCode) as well
// as the data connection's error.
//
// Only the data connection made for this transfer is read: in active mode,
// connections made to the listener before RETR was sent are closed unread,
// and one connection is accepted, from the server's address. When the
// server's final reply is nonetheless 425 (it says it never opened the data
// connection), whatever was read did not come from it: the error of Close
// then satisfies errors.Is(err, ErrDataUntrusted), in either mode, whether
// the data ended or broke (a KindConnection error whose ReplyCode is 425),
// and also when the transfer was closed early or cancelled. The
// caller must discard every byte of that attempt, and never keep or resume
// from them. Any other negative reply (426, 451, 552...) concerns a
// connection the server had: the bytes read are the start of the file,
// cut short.
func (c *Conn) Retr(ctx context.Context, path string, offset int64) (io.ReadCloser, error) {
	return c.openTransfer(ctx, "RETR", path, offset, false)
}

// Stor issues a STOR command for path, after REST offset when offset > 0
// (the server then writes from that offset on), and returns a writer for
// the data. Close ends the data and reads the server's final reply. After
// a failed Write, or when ctx is cancelled, Close aborts the transfer and
// returns an error; after a failed Write it carries the server's negative
// reply (such as 552, quota exceeded) when the server sent one. In active
// mode the data goes only to a connection made after STOR was sent, from
// the server's address (see Retr).
//
// In passive mode without TLS on the data connection, a STOR from offset
// 0 returns once the data connection is open, without waiting for the
// server's preliminary reply, so that the data starts a round trip sooner
// (see early.go; not in lockstep, WithPipelining(false)). A server that
// refuses the command then (550, 553) makes Write fail and Close return
// its refusal, the error Stor would otherwise have returned; Started
// tells that nothing was stored.
func (c *Conn) Stor(ctx context.Context, path string, offset int64) (io.WriteCloser, error) {
	return c.openTransfer(ctx, "STOR", path, offset, true)
}

// Appe issues an APPE command: the data written is appended to path,
// which is created when it does not exist. Close works as for Stor.
func (c *Conn) Appe(ctx context.Context, path string) (io.WriteCloser, error) {
	return c.openTransfer(ctx, "APPE", path, 0, true)
}

// openTransfer negotiates the data connection, sends the command, and
// returns the open transfer once the server has answered 1yz and the data
// connection is up. In active mode, a 425 reply (the server could not
// connect) is retried once with a new port and a new listener; each
// attempt closes unread the connections made before its command was sent.
// A command answered with a final reply and no preliminary one returns
// that reply; any data connection made meanwhile is closed unread.
func (c *Conn) openTransfer(ctx context.Context, verb, arg string, offset int64, upload bool) (*transfer, error) {
	line, err := c.begin(ctx, verb, arg)
	if err != nil {
		return nil, err
	}
	// Under TLS, data never goes in the clear: a login made with Quote
	// (or one whose PBSZ/PROT failed) sets up protection now.
	if err := c.protect(ctx); err != nil {
		return nil, err
	}
	for attempt := 0; ; attempt++ {
		t, retry, err := c.startTransfer(ctx, verb, line, maskedLine(commandLine(verb, arg)), offset, upload)
		if retry && attempt == 0 && c.Err() == nil {
			c.tracef("the server could not connect (425); trying again with a new port")
			continue
		}
		return t, err
	}
}

// startTransfer makes one attempt of openTransfer: line is the command
// line as it goes on the wire, shown as errors name it. retry reports a
// 425 reply in active mode.
func (c *Conn) startTransfer(ctx context.Context, verb, line, shown string, offset int64, upload bool) (t *transfer, retry bool, err error) {
	var p *pendingData
	if taken, err := c.takeAhead(ctx, line, offset); err != nil {
		return nil, false, err
	} else if taken != nil {
		p = taken
	} else if nc := c.takeStandby(ctx, offset); nc != nil {
		p = &pendingData{conn: nc, madeBefore: true}
		if err := c.send(ctx, line); err != nil {
			p.close()
			return nil, false, err
		}
	}
	if p == nil && c.pipelining() {
		nc, fallback, err := c.startPipelined(ctx, line, shown, offset, upload)
		switch {
		case nc != nil:
			p = &pendingData{conn: nc}
		case !fallback:
			return nil, false, err
		}
	}
	if p == nil {
		if p, err = c.prepareData(ctx); err != nil {
			return nil, false, err
		}
		if offset > 0 {
			// REST must come right before the transfer command (RFC 3659
			// section 5.3).
			if _, err := c.exchange(ctx, 350, "REST", strconv.FormatInt(offset, 10)); err != nil {
				p.close()
				return nil, false, err
			}
		}
		if p.ln != nil {
			// Only a connection made after the command was sent can be
			// the server's answer to it.
			if err := c.dropEarly(ctx, p.ln, verb); err != nil {
				p.close()
				return nil, false, err
			}
		}
		if err := c.send(ctx, line); err != nil {
			p.close()
			return nil, false, err
		}
	}

	if upload && c.earlyData(verb, offset, p) {
		return c.startEarly(ctx, verb, shown, p.conn), false, nil
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

	reply, err := p.prelim, error(nil)
	if reply == nil {
		reply, err = c.read(ctx, verb)
	}
	if err == nil && reply.Code >= 200 {
		err = c.replyError(shown, reply)
		retry = reply.Code == 425 && p.ln != nil
	}
	if err == nil && reply.Code == 125 && p.early != nil {
		// "Data connection already open": the server connected in
		// answer to PORT (pyftpdlib), and that connection was the only
		// one made before the PORT reply. Use it, not a new one.
		cancelSetup()
		if r := <-done; r.nc != nil {
			r.nc.Close()
		}
		early := p.early
		p.early = nil
		p.close()
		nc := c.secureData(early)
		if herr := c.handshakeData(ctx, nc); herr != nil {
			nc.Close()
			done <- result{err: herr}
		} else {
			done <- result{nc: nc}
		}
	}
	if err == nil && reply.Code == 125 && p.ln != nil && p.early == nil && p.refusedEarly > 0 {
		// The connection the server calls open was among those refused:
		// none will come. Fail now rather than at the accept deadline.
		cancelSetup()
		if r := <-done; r.nc != nil {
			r.nc.Close()
		}
		done <- result{err: &Error{Kind: KindConnection, Op: "data connection",
			Err: fmt.Errorf("the server says the data connection is open, but the %d connections made before the PORT reply could not be told from an intruder's and were refused", p.refusedEarly)}}
	}
	if p.early != nil {
		c.tracef("refused data connection from %s: it connected before %s was sent, and the server did not answer 125", p.early.RemoteAddr(), verb)
		p.dropEarly()
	}
	if err != nil {
		cancelSetup()
		p.close()
		if r := <-done; r.nc != nil {
			r.nc.Close()
		}
		if c.pending {
			// Cancelled while the server handles the command: stop it.
			c.abort(nil, upload, shown)
		}
		return nil, retry, err
	}
	r := <-done
	if r.err != nil {
		// The server expects a data connection that failed: its final
		// reply (425 or 426) may or may not come. Abort to resync.
		reply, _ := c.abort(nil, upload, shown)
		if cerr := ctx.Err(); cerr != nil {
			return nil, false, &Error{Kind: KindOther, Op: verb, Err: cerr}
		}
		return nil, false, withReply(KindOf(r.err), verb, reply, r.err)
	}
	t = &transfer{c: c, ctx: ctx, verb: verb, line: shown, data: r.nc, upload: upload, announced: announcedSize(reply.Msg()), active: p.ln != nil}
	t.start()
	c.setData(r.nc)
	c.busy = true
	return t, false, nil
}

// AnnouncedSize returns the size the server announced for a download in
// its preliminary reply, as in "150 Opening BINARY mode data connection
// for f (1234 bytes)", or -1 when it announced none. r is a reader that
// Retr returned; for any other value it returns -1.
func AnnouncedSize(r any) int64 {
	if t, ok := r.(*transfer); ok && !t.upload {
		return t.announced
	}
	return -1
}

// announcedSize reads "(N bytes)" from a preliminary reply's text (the
// form of vsftpd, proftpd, pure-ftpd and wu-ftpd); -1 when there is none.
func announcedSize(text string) int64 {
	end := strings.LastIndex(text, " bytes)")
	if end < 0 {
		return -1
	}
	start := strings.LastIndexByte(text[:end], '(')
	if start < 0 {
		return -1
	}
	n, err := strconv.ParseInt(text[start+1:end], 10, 64)
	if err != nil || n < 0 {
		return -1
	}
	return n
}
