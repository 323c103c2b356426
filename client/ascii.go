package client

import (
	"bytes"
	"io"
)

// Line ends in ASCII type. In TYPE A the data connection carries text as
// lines ended by CRLF (RFC 959 section 3.1.1.1, NVT-ASCII), and each side
// converts between that and its own line end: the server for its file,
// the client for the local one. Retr and Stor move the bytes as they are
// in either type; NewASCIIReader and NewASCIIWriter do the client's half
// for a system whose line end is LF.
//
// The conversion touches line ends only. A CR that is not followed by LF
// is data and is kept both ways, and a CRLF that a local file already
// holds is sent as it is, not as CR CRLF, so that a file with CRLF line
// ends goes up as it would from a system whose line end is CRLF.

// NewASCIIReader returns a reader of the data of an ASCII-type download
// read from r, with each CRLF turned into LF. A CR that ends one read of
// r is held back until the next one shows whether an LF follows it; a CR
// that ends the data is kept. The reader returns no data together with an
// error: r's error (io.EOF at the end) comes in a call of its own.
func NewASCIIReader(r io.Reader) io.Reader {
	return &asciiReader{r: r}
}

type asciiReader struct {
	r     io.Reader
	cr    bool   // a CR ended the data read so far and is held back
	err   error  // r's error, returned once the data before it is out
	next  []byte // converted bytes that did not fit the caller's buffer
	spare [2]byte
}

func (a *asciiReader) Read(p []byte) (int, error) {
	switch {
	case len(p) == 0:
		return 0, nil
	case len(a.next) > 0:
		n := copy(p, a.next)
		a.next = a.next[n:]
		return n, nil
	case len(p) == 1:
		// No room to hold a CR and look at the byte after it: convert
		// into the spare buffer and keep what does not fit.
		n, err := a.Read(a.spare[:])
		if n == 0 {
			return 0, err
		}
		p[0] = a.spare[0]
		a.next = a.spare[1:n]
		return 1, nil
	}
	for {
		if a.err != nil {
			if a.cr {
				a.cr = false
				p[0] = '\r'
				return 1, nil
			}
			return 0, a.err
		}
		start := 0
		if a.cr {
			p[0], start, a.cr = '\r', 1, false
		}
		m, err := a.r.Read(p[start:])
		a.err = err
		n := dropCRBeforeLF(p[:start+m])
		if n > 0 && p[n-1] == '\r' && a.err == nil {
			// The last byte read: whether it begins a CRLF shows only
			// with the next read.
			a.cr = true
			n--
		}
		if n > 0 {
			return n, nil
		}
	}
}

// dropCRBeforeLF removes, in place, each CR of b that an LF follows, and
// returns the new length.
func dropCRBeforeLF(b []byte) int {
	i := bytes.Index(b, crlf)
	if i < 0 {
		return len(b)
	}
	w := i
	for r := i + 1; r < len(b); r++ {
		if b[r] == '\r' && r+1 < len(b) && b[r+1] == '\n' {
			continue
		}
		b[w] = b[r]
		w++
	}
	return w
}

var crlf = []byte("\r\n")

// NewASCIIWriter returns a writer that sends what is written to it to w
// as the data of an ASCII-type upload: each LF that does not follow a CR
// (in the same write or at the end of the previous one) goes out as CRLF,
// and every other byte as it is. Each Write makes one Write to w. It
// reports the bytes written to it, not the bytes sent: on an error, the
// count of bytes whose conversion w took whole.
func NewASCIIWriter(w io.Writer) io.Writer {
	return &asciiWriter{w: w}
}

type asciiWriter struct {
	w   io.Writer
	cr  bool // the last byte written was a CR
	buf []byte
}

func (a *asciiWriter) Write(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	out := a.buf[:0]
	cr := a.cr
	for rest := p; len(rest) > 0; {
		i := bytes.IndexByte(rest, '\n')
		if i < 0 {
			out = append(out, rest...)
			break
		}
		out = append(out, rest[:i]...)
		if !(i > 0 && rest[i-1] == '\r' || i == 0 && cr) {
			out = append(out, '\r')
		}
		out = append(out, '\n')
		rest, cr = rest[i+1:], false
	}
	a.buf = out
	m, err := a.w.Write(out)
	if err == nil && m < len(out) {
		err = io.ErrShortWrite
	}
	if err != nil {
		n := sourceBytes(p, a.cr, m)
		if n > 0 {
			a.cr = p[n-1] == '\r'
		}
		return n, err
	}
	a.cr = p[len(p)-1] == '\r'
	return len(p), nil
}

// sourceBytes returns how many bytes of p, converted as Write converts
// them after a CR when cr is set, fit whole in the first m bytes sent.
func sourceBytes(p []byte, cr bool, m int) int {
	sent := 0
	for i, b := range p {
		size := 1
		if b == '\n' && !(i > 0 && p[i-1] == '\r' || i == 0 && cr) {
			size = 2
		}
		if sent+size > m {
			return i
		}
		sent += size
	}
	return len(p)
}
