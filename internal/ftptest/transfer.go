package ftptest

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"os"
	"sync"
	"sync/atomic"
)

var (
	errDropped = errors.New("data connection dropped on purpose")
	errPaused  = errors.New("data paused")
	errAborted = errors.New("transfer aborted")
)

// localError marks a failure of the file side of a transfer.
type localError struct{ error }

// xfer is one running transfer. Its goroutine opens the data connection,
// writes the 150 and final replies and moves the data; the session
// goroutine meanwhile reads the control connection and may abort it.
type xfer struct {
	s      *session
	ctx    context.Context // cancelled by abort and by the end of the session
	cancel context.CancelFunc
	opts   Transfer
	ln     net.Listener // passive setup, or
	addr   *net.TCPAddr // active setup
	upload bool
	src    io.Reader // download source
	dst    io.Writer // upload sink
	file   *os.File  // closed at the end; nil for listings
	ascii  bool      // TYPE A conversion of file data
	tls    bool      // PROT P: the data connection runs TLS
	mark   string    // text of the 150 reply
	drop   int64     // cut the data connection after so many bytes
	bytes  atomic.Int64
	rec    *DataConn // guarded by the server lock

	finalSent bool // FinalFirst: the final reply already went out
	done      chan struct{}

	mu       sync.Mutex
	conn     net.Conn // the data connection once open (TCP level)
	aborted  bool
	finished bool // data movement over: ABOR comes too late
}

// dataReady checks that a transfer may start; it replies when not.
func (s *session) dataReady() bool {
	switch {
	case s.srv.cfg.RequireTLS && !s.protP:
		s.reply(521, "Data connections must be encrypted.")
		return false
	case s.pasv == nil && s.port == nil:
		s.reply(425, "Use PORT or PASV first.")
		return false
	}
	return true
}

// takeRest returns the REST offset and clears it: it applies to the next
// transfer command only.
func (s *session) takeRest() int64 {
	r := s.rest
	s.rest = 0
	return r
}

// startTransfer hands the data setup to x and runs it in a goroutine.
func (s *session) startTransfer(x *xfer) {
	x.s = s
	x.ln, x.addr = s.pasv, s.port
	s.pasv, s.port = nil, nil
	if s.xopts != nil {
		x.opts = *s.xopts
	}
	x.tls = s.protP
	x.drop = s.srv.cfg.DropDataAfter
	if x.opts.DropAfter > 0 {
		x.drop = x.opts.DropAfter
	}
	x.ctx, x.cancel = context.WithCancel(s.ctx)
	x.done = make(chan struct{})
	s.xfer = x
	if !s.srv.spawn(x.run) {
		x.cancel()
		if x.ln != nil {
			x.ln.Close()
		}
		x.closeFile()
		close(x.done)
	}
}

// waitTransfer waits for the running transfer to end.
func (s *session) waitTransfer() {
	<-s.xfer.done
	s.xfer = nil
}

// abortTransfer serves ABOR during a transfer (RFC 959 section 4.1.3): the
// transfer answers 426, then ABOR answers 226. When the data had all moved
// already, the transfer ends normally and ABOR answers 225, as it does
// with no transfer at all.
func (s *session) abortTransfer() {
	x := s.xfer
	cut := x.abort()
	<-x.done
	s.xfer = nil
	if cut {
		s.reply(226, "ABOR successful.")
	} else {
		s.reply(225, "No transfer to ABOR.")
	}
}

// abort stops the transfer unless its data has all moved; it reports
// whether it did.
func (x *xfer) abort() bool {
	x.mu.Lock()
	if x.finished {
		x.mu.Unlock()
		return false
	}
	x.aborted = true
	c := x.conn
	x.mu.Unlock()
	x.cancel()
	if x.ln != nil {
		x.ln.Close()
	}
	if c != nil {
		c.Close()
	}
	return true
}

// setConn publishes the data connection for abort; it reports false (and
// closes c) when the transfer was aborted meanwhile.
func (x *xfer) setConn(c net.Conn) bool {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.aborted {
		c.Close()
		return false
	}
	x.conn = c
	return true
}

// markFinished ends the data movement; it reports whether ABOR cut it.
func (x *xfer) markFinished() (aborted bool) {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.finished = true
	return x.aborted
}

func (x *xfer) closeFile() {
	if x.file != nil {
		x.file.Close()
	}
}

func (x *xfer) run() {
	defer close(x.done)
	defer x.cancel()
	defer x.closeFile()
	s := x.s
	c, err := x.openData()
	if err != nil || !x.setConn(c) {
		x.end(x.markFinished(), 425, "Failed to establish connection.")
		return
	}
	s.srv.track(c)
	defer s.srv.untrack(c)
	x.rec = &DataConn{Session: s.id, Passive: x.ln != nil, Remote: c.RemoteAddr().String()}
	s.srv.addDataConn(x.rec)

	o := &x.opts
	ok := true
	switch {
	case o.Coalesce:
		s.write(append(append([]byte(nil), replyBytes(o.Mark, 150, x.mark)...), replyBytes(o.Final, 226, "Transfer complete.")...))
		x.finalSent = true
	case o.FinalFirst:
		ok = x.sendReply(o.Mark, 150, x.mark) && x.sendReply(o.Final, 226, "Transfer complete.")
		x.finalSent = true
	default:
		ok = x.sendReply(o.Mark, 150, x.mark)
	}
	if !ok {
		c.Close()
		x.markFinished()
		return
	}

	dc := c
	if x.tls {
		tc, code, text := x.secureData(x.ctx, c)
		if tc == nil {
			c.Close()
			x.end(x.markFinished(), code, text)
			return
		}
		dc = tc
	}
	if x.upload {
		err = x.receive(dc)
	} else {
		err = x.sendData(dc)
	}
	aborted := x.markFinished()
	if errors.Is(err, errDropped) {
		resetConn(c)
	} else {
		dc.Close()
	}
	s.srv.updateDataConn(func() { x.rec.Bytes = x.bytes.Load() })

	code, text := 226, "Transfer complete."
	var le localError
	switch {
	case err == nil:
	case errors.As(err, &le):
		code, text = 451, "Requested action aborted: local error in processing."
	case x.upload:
		code, text = 426, "Failure reading network stream; transfer aborted."
	default:
		code, text = 426, "Failure writing network stream; transfer aborted."
	}
	x.end(aborted, code, text)
}

// end sends the final reply: 426 after ABOR, else Final or (code, text).
func (x *xfer) end(aborted bool, code int, text string) {
	switch {
	case x.finalSent:
	case aborted:
		x.s.reply(426, "Connection closed; transfer aborted.")
	default:
		x.sendReply(x.opts.Final, code, text)
	}
}

// sendReply writes a reply from the transfer goroutine; it reports false
// when the reply stalled or closed the control connection.
func (x *xfer) sendReply(r *Reply, code int, text string) bool {
	s := x.s
	switch s.send(s.ctx, r, code, text) {
	case actClose:
		s.raw.Close()
		return false
	case actStall:
		<-s.ctx.Done()
		return false
	}
	return true
}

// limit returns how many of n bytes may move now, and the error that ends
// the transfer once they have (DropAfter, Pause).
func (x *xfer) limit(n int) (int, error) {
	moved := x.bytes.Load()
	part := int64(n)
	var stop error
	if x.drop > 0 && moved+part > x.drop {
		part, stop = x.drop-moved, errDropped
	}
	if x.opts.Pause && moved+part >= x.opts.PauseAfter {
		part, stop = max(0, x.opts.PauseAfter-moved), errPaused
	}
	return int(part), stop
}

// halt ends the data movement with stop; a pause first holds the
// connection open until the transfer is aborted or the session ends.
func (x *xfer) halt(stop error) error {
	if errors.Is(stop, errPaused) {
		<-x.ctx.Done()
		return errAborted
	}
	return stop
}

func (x *xfer) sendData(w io.Writer) error {
	buf := make([]byte, 32<<10)
	var conv []byte
	for {
		n, rerr := x.src.Read(buf)
		chunk := buf[:n]
		if x.ascii {
			conv = toCRLF(conv[:0], chunk)
			chunk = conv
		}
		for len(chunk) > 0 {
			part, stop := x.limit(len(chunk))
			if part > 0 {
				// Count first, so that a peer that read the bytes sees
				// them counted (STAT, DataConns).
				x.bytes.Add(int64(part))
				nw, err := w.Write(chunk[:part])
				if err != nil {
					x.bytes.Add(int64(nw - part))
					return err
				}
			}
			if stop != nil {
				return x.halt(stop)
			}
			chunk = chunk[part:]
		}
		if rerr == io.EOF {
			return x.atEOF()
		}
		if rerr != nil {
			return localError{rerr}
		}
	}
}

// atEOF ends a transfer whose data has all moved; with Pause it first
// holds the data connection open.
func (x *xfer) atEOF() error {
	if x.opts.Pause {
		return x.halt(errPaused)
	}
	return nil
}

func (x *xfer) receive(r io.Reader) error {
	buf := make([]byte, 32<<10)
	var conv []byte
	cr := false
	for {
		part, stop := x.limit(len(buf))
		if part == 0 && stop != nil {
			return x.halt(stop)
		}
		n, rerr := r.Read(buf[:part])
		x.bytes.Add(int64(n))
		data := buf[:n]
		if x.ascii {
			conv, cr = fromCRLF(conv[:0], data, cr)
			data = conv
		}
		if _, err := x.dst.Write(data); err != nil {
			return localError{err}
		}
		if rerr == io.EOF {
			if cr {
				if _, err := x.dst.Write([]byte{'\r'}); err != nil {
					return localError{err}
				}
			}
			return x.atEOF()
		}
		if rerr != nil {
			return rerr
		}
	}
}

// resetConn closes c abruptly: an RST instead of a FIN, and no TLS
// close_notify.
func resetConn(c net.Conn) {
	if tc, ok := c.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	c.Close()
}

// toCRLF appends src to dst with each LF sent as CRLF (TYPE A, RFC 959
// section 3.1.1.1). A CR already before an LF is data and stays, so
// STOR of the result gives the file back.
func toCRLF(dst, src []byte) []byte {
	for {
		i := bytes.IndexByte(src, '\n')
		if i < 0 {
			return append(dst, src...)
		}
		dst = append(dst, src[:i]...)
		dst = append(dst, '\r', '\n')
		src = src[i+1:]
	}
}

// fromCRLF appends src to dst with each CRLF stored as LF; cr carries a
// CR that ended the previous chunk.
func fromCRLF(dst, src []byte, cr bool) ([]byte, bool) {
	for _, b := range src {
		if cr {
			cr = false
			if b == '\n' {
				dst = append(dst, '\n')
				continue
			}
			dst = append(dst, '\r')
		}
		if b == '\r' {
			cr = true
			continue
		}
		dst = append(dst, b)
	}
	return dst, cr
}
