package proxy

import (
	"bytes"
	"encoding/base64"
	"errors"
	"io"
	"net"
	"strconv"
	"strings"
)

// maxResponse bounds the head of a proxy's answer to CONNECT (status line
// and header fields).
const maxResponse = 16 << 10

// connectHTTP asks an HTTP proxy for a tunnel to target with CONNECT and
// reads its answer's head, a byte at a time so that nothing of the
// server's first bytes (an FTP greeting comes at once) is taken. Only 200
// opens the tunnel. The caller has set nc's deadline.
func (d *Dialer) connectHTTP(nc net.Conn, target string) error {
	var req strings.Builder
	req.WriteString("CONNECT " + target + " HTTP/1.1\r\nHost: " + target + "\r\n")
	if d.p.HasAuth {
		cred := base64.StdEncoding.EncodeToString([]byte(d.p.User + ":" + d.p.Password))
		req.WriteString("Proxy-Authorization: Basic " + cred + "\r\n")
	}
	req.WriteString("\r\n")
	if _, err := io.WriteString(nc, req.String()); err != nil {
		return err
	}
	head, err := readHead(nc)
	if err != nil {
		return err
	}
	status, _, _ := bytes.Cut(head, []byte("\r\n"))
	code, ok := statusCode(status)
	if !ok {
		return failure("malformed answer to CONNECT: %s", printable(status))
	}
	switch {
	case code == 200:
		return nil
	case (code == 407 || code == 401) && d.p.HasAuth:
		// 407 is the standard answer; tinyproxy answers 401.
		return refusal("the proxy refused the user name and password: %s", printable(status))
	case code == 407 || code == 401:
		return refusal("the proxy needs authentication, and the proxy URL gives no user name and password: %s", printable(status))
	case code >= 400 && code < 500:
		return refusal("the proxy refused CONNECT to %s: %s", target, printable(status))
	}
	// 5xx (the proxy could not reach the server) and anything else.
	return failure("the proxy could not open a tunnel to %s: %s", target, printable(status))
}

// readHead reads an HTTP response head up to its empty line, at most
// maxResponse bytes, one byte at a time.
func readHead(r io.Reader) ([]byte, error) {
	var head []byte
	var b [1]byte
	for len(head) < maxResponse {
		if _, err := io.ReadFull(r, b[:]); err != nil {
			if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
				if len(head) == 0 {
					return nil, failure("the proxy closed the connection without answering CONNECT")
				}
				return nil, failure("the proxy closed the connection in the middle of its answer to CONNECT")
			}
			return nil, err
		}
		head = append(head, b[0])
		if bytes.HasSuffix(head, []byte("\r\n\r\n")) || bytes.HasSuffix(head, []byte("\n\n")) {
			return head, nil
		}
	}
	return nil, failure("the proxy's answer to CONNECT is longer than %d bytes", maxResponse)
}

// statusCode reads the code of a status line "HTTP/1.x NNN reason".
func statusCode(line []byte) (int, bool) {
	f := strings.Fields(string(line))
	if len(f) < 2 || !strings.HasPrefix(f[0], "HTTP/1.") || len(f[1]) != 3 {
		return 0, false
	}
	n, err := strconv.Atoi(f[1])
	if err != nil || n < 100 {
		return 0, false
	}
	return n, true
}

// printable returns the first 200 bytes of a proxy's line with anything
// but printable ASCII replaced by '?'.
func printable(b []byte) string {
	b = bytes.TrimRight(b, "\r\n")
	if len(b) > 200 {
		b = b[:200]
	}
	out := make([]byte, len(b))
	for i, c := range b {
		if c < 0x20 || c > 0x7e {
			c = '?'
		}
		out[i] = c
	}
	return strconv.Quote(string(out))
}
