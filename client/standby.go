package client

import (
	"context"
	"errors"
	"net"
	"strings"
	"time"
)

// Data connections made ready ahead. In passive mode a transfer costs two
// round trips before its data moves: EPSV's, and the TCP handshake of the
// data connection. Where the next transfer is known to come (the first
// one after login, the next upload of a job), EPSV goes in the same write
// as commands sent anyway (FEAT and TYPE; the SIZE that checks an upload)
// and the data connection is made while the server answers the commands
// in between (RNFR and RNTO); the transfer then sends its command alone.
//
// The server keeps a passive port open across commands that do not touch
// data connections, and takes the connection made to it for the next
// transfer command. So the connection made ready is used only when every
// command sent since its EPSV is one of those (standbyKeeps), it is less
// than standbyMaxAge old, and the server has not closed it; otherwise it
// is closed and the transfer asks for a port of its own, as it would have.

// standbyMaxAge bounds the age of a data connection made ready ahead: a
// server may close a passive port that stays unused.
const standbyMaxAge = 5 * time.Second

// standbyKeeps are the commands after which a data connection made ready
// is still the one the server will take: none of them opens, closes or
// uses a data connection, or resets the session.
var standbyKeeps = map[string]bool{
	"RNFR": true, "RNTO": true, "SIZE": true, "MDTM": true, "MFMT": true, "MLST": true,
	"SITE": true, "DELE": true, "MKD": true, "XMKD": true, "RMD": true, "XRMD": true,
	"CWD": true, "XCWD": true, "CDUP": true, "XCUP": true, "PWD": true, "XPWD": true,
	"NOOP": true, "TYPE": true, "OPTS": true, "FEAT": true, "SYST": true, "STAT": true,
	"HASH": true, "XSHA256": true, "XSHA1": true, "XMD5": true, "XCRC": true, "HELP": true,
}

// standby is a passive data connection made ready ahead of its transfer.
type standby struct {
	port   int
	at     time.Time     // when the server's reply came
	done   chan struct{} // closed when the dial has ended
	nc     net.Conn      // the connection, once done, or nil
	err    error         // the dial's failure, once done
	cancel context.CancelFunc
}

// discard stops the dial and closes the connection.
func (s *standby) discard() {
	s.cancel()
	<-s.done
	if s.nc != nil {
		s.nc.Close()
	}
}

// wantStandby reports whether a data connection may be made ready ahead:
// in passive mode, with EPSV on and not known to fail, unless in lockstep.
func (c *Conn) wantStandby() bool {
	return c.mode == Passive && c.opts.extended && !c.epsvOff() && !c.lockstep()
}

// standbyStep returns the batch step that asks for the next transfer's
// port with EPSV and starts connecting to it. A refusal turns EPSV off for
// the session, as a transfer's refused EPSV does; any other failure only
// leaves the next transfer to ask for its own port.
func (c *Conn) standbyStep() step {
	return step{verb: "EPSV", expect: 229, done: func(reply *Reply, err error) error {
		switch {
		case err != nil && refused(err):
			c.tracef("server refused EPSV; using PASV from now on")
			c.dropEPSV(err)
			return nil
		case err != nil:
			return nil
		}
		port, perr := parseEPSV(reply.Msg())
		if perr != nil {
			c.tracef("no data connection ahead: %v", perr)
			return nil
		}
		c.setStandby(c.dialStandby(port))
		return nil
	}}
}

// dialStandby starts connecting to the server's data port.
func (c *Conn) dialStandby(port int) *standby {
	ctx, cancel := context.WithCancel(context.Background())
	s := &standby{port: port, at: time.Now(), done: make(chan struct{}), cancel: cancel}
	host := c.dataHost()
	go func() {
		defer close(s.done)
		s.nc, s.err = c.dialData(ctx, host, port)
	}()
	return s
}

// setStandby records s as the connection made ready, closing the one it
// replaces; nil closes it. Close may run at the same time.
func (c *Conn) setStandby(s *standby) {
	c.mu.Lock()
	old := c.standby
	c.standby = s
	if c.broken != nil {
		// Close has run, or will not look again.
		c.standby = nil
		if s != nil {
			defer s.discard()
		}
	}
	c.mu.Unlock()
	if old != nil {
		old.discard()
	}
}

// noteSent closes the data connection made ready when a command line
// about to be sent is not one that keeps it (see standbyKeeps).
func (c *Conn) noteSent(lines []string) {
	c.mu.Lock()
	s := c.standby
	c.mu.Unlock()
	if s == nil {
		return
	}
	for _, l := range lines {
		if !standbyKeeps[strings.ToUpper(commandName(l))] {
			c.setStandby(nil)
			return
		}
	}
}

// takeStandby returns the data connection made ready ahead for a transfer
// whose command is verb from offset, or nil when there is none or it will
// not do: the mode changed, the transfer resumes (REST would come between),
// it is too old, or the server closed it. A connection that could not be
// made means that the port is unreachable: PASV from then on, as in
// Conn.passive.
func (c *Conn) takeStandby(ctx context.Context, offset int64) net.Conn {
	c.mu.Lock()
	s := c.standby
	c.standby = nil
	c.mu.Unlock()
	if s == nil {
		return nil
	}
	if c.mode != Passive || offset > 0 || c.epsvOff() || time.Since(s.at) > standbyMaxAge {
		s.discard()
		return nil
	}
	select {
	case <-s.done:
	case <-ctx.Done():
		s.discard()
		return nil
	}
	if s.err != nil {
		if ctx.Err() == nil && KindOf(s.err) == KindConnection {
			c.tracef("EPSV port unreachable (%v); using PASV from now on", s.err)
			c.dropEPSV(s.err)
		}
		return nil
	}
	if !usable(s.nc) {
		c.tracef("the data connection made ahead to port %d was closed by the server", s.port)
		s.nc.Close()
		return nil
	}
	c.tracef("data connection to port %d made ahead", s.port)
	return s.nc
}

// usableByRead is usable for a connection whose socket cannot be peeked
// at (one through a custom dialer): a read that may wait checkWait finds
// the server's close, a reset or bytes nobody asked for, any of which
// makes the connection useless.
func usableByRead(nc net.Conn) bool {
	nc.SetReadDeadline(time.Now().Add(checkWait))
	var b [1]byte
	_, err := nc.Read(b[:])
	nc.SetReadDeadline(time.Time{})
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// UploadedSize returns the size of path, a file an upload just stored, to
// check it: it is Size, with two differences. On a connection that
// pipelines transfers (WithPipelining), the same write that asks SIZE
// asks for the next transfer's data port (EPSV), and the data connection
// is made while the caller checks the size and renames the file: the next
// upload on the connection then sends STOR alone, with its data at once.
// A connection nothing uses closes at the next command that is no simple
// one (see standbyKeeps), or with the connection. And when modTime is not
// zero and the server offers MFMT, the same write sets path's
// modification time (see SetModTime); timeSet reports whether the server
// took it (a refusal is no error).
func (c *Conn) UploadedSize(ctx context.Context, path string, modTime time.Time) (size int64, timeSet bool, err error) {
	var steps []step
	var serr error
	asked := !c.Refused("SIZE")
	if asked {
		steps = append(steps, step{verb: "SIZE", arg: path, expect: 213, done: func(reply *Reply, err error) error {
			if err == nil {
				size, err = sizeOf(reply)
			}
			serr = err
			return nil
		}})
	}
	if !modTime.IsZero() && c.HasFeature("MFMT") {
		steps = append(steps, step{verb: "MFMT", arg: modTime.UTC().Format("20060102150405") + " " + path, expect: 213,
			done: func(_ *Reply, err error) error { timeSet = err == nil; return nil }})
	}
	if len(steps) > 0 && c.pipelining() && c.wantStandby() {
		// Alone it would cost the round trip it saves.
		steps = append(steps, c.standbyStep())
	}
	if len(steps) > 0 {
		if err := c.batch(ctx, steps); err != nil {
			return 0, false, err
		}
	}
	if !asked {
		n, err := c.Size(ctx, path) // its fallbacks
		return n, timeSet, err
	}
	n, err := c.sizeOr(ctx, path, size, serr)
	return n, timeSet, err
}
