package ftptest

import (
	"bufio"
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"net/textproto"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ferry-ftp/ferry/internal/testsupport"
)

// The tests drive the server with this small raw client, so that they see
// exactly what goes over the wire.

const testTimeout = 10 * time.Second

type client struct {
	t    testing.TB
	srv  *Server
	conn net.Conn
	br   *bufio.Reader
	tr   *textproto.Reader
	tls  *tls.Config // data connections use TLS when set
}

// dialRaw connects without reading the greeting.
func dialRaw(t testing.TB, s *Server) *client {
	t.Helper()
	conn, err := net.DialTimeout("tcp", s.Addr(), testTimeout)
	if err != nil {
		t.Fatal(err)
	}
	c := &client{t: t, srv: s}
	c.setConn(conn)
	t.Cleanup(func() { c.conn.Close() })
	return c
}

// dial connects and expects the 220 greeting.
func dial(t testing.TB, s *Server) *client {
	t.Helper()
	c := dialRaw(t, s)
	c.expectReply(220)
	return c
}

func (c *client) setConn(conn net.Conn) {
	c.conn = conn
	c.br = bufio.NewReader(conn)
	c.tr = textproto.NewReader(c.br)
}

// read reads one (possibly multi-line) reply.
func (c *client) read() (int, string) {
	c.t.Helper()
	_ = c.conn.SetReadDeadline(time.Now().Add(testTimeout))
	code, msg, err := c.tr.ReadResponse(0)
	if err != nil {
		c.t.Fatalf("reading reply: %v", err)
	}
	return code, msg
}

// readLine reads one raw line of the control connection.
func (c *client) readLine() string {
	c.t.Helper()
	_ = c.conn.SetReadDeadline(time.Now().Add(testTimeout))
	line, err := c.br.ReadString('\n')
	if err != nil {
		c.t.Fatalf("reading line: %v (got %q)", err, line)
	}
	return line
}

func (c *client) send(format string, args ...any) {
	c.t.Helper()
	_ = c.conn.SetWriteDeadline(time.Now().Add(testTimeout))
	if _, err := fmt.Fprintf(c.conn, format+"\r\n", args...); err != nil {
		c.t.Fatalf("sending: %v", err)
	}
}

func (c *client) cmd(format string, args ...any) (int, string) {
	c.t.Helper()
	c.send(format, args...)
	return c.read()
}

// expect sends a command and checks the reply code.
func (c *client) expect(want int, format string, args ...any) string {
	c.t.Helper()
	code, msg := c.cmd(format, args...)
	if code != want {
		c.t.Fatalf("%s: got %d %s, want %d", fmt.Sprintf(format, args...), code, msg, want)
	}
	return msg
}

// expectReply reads a reply and checks its code.
func (c *client) expectReply(want int) string {
	c.t.Helper()
	code, msg := c.read()
	if code != want {
		c.t.Fatalf("got %d %s, want %d", code, msg, want)
	}
	return msg
}

// expectClosed checks that the server closed the control connection.
func (c *client) expectClosed() {
	c.t.Helper()
	_ = c.conn.SetReadDeadline(time.Now().Add(testTimeout))
	if line, err := c.br.ReadString('\n'); err == nil {
		c.t.Fatalf("want the connection closed, got %q", line)
	} else if ne, ok := err.(net.Error); ok && ne.Timeout() {
		c.t.Fatal("want the connection closed, it stays open")
	}
}

func (c *client) login() {
	c.t.Helper()
	c.expect(331, "USER user")
	c.expect(230, "PASS pass")
}

// startTLS runs AUTH TLS and the client handshake, with a session cache so
// that data connections can resume the control session.
func (c *client) startTLS(maxVersion uint16) {
	c.t.Helper()
	c.expect(234, "AUTH TLS")
	c.handshake(maxVersion)
}

func (c *client) handshake(maxVersion uint16) {
	c.t.Helper()
	c.tls = &tls.Config{
		RootCAs:            c.srv.CertPool(),
		ServerName:         "127.0.0.1",
		ClientSessionCache: tls.NewLRUClientSessionCache(4),
		MaxVersion:         maxVersion,
	}
	tc := tls.Client(c.conn, c.tls)
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	if err := tc.HandshakeContext(ctx); err != nil {
		c.t.Fatalf("TLS handshake: %v", err)
	}
	c.setConn(tc)
}

type dataMode string

const (
	modePASV dataMode = "PASV"
	modeEPSV dataMode = "EPSV"
	modePORT dataMode = "PORT"
	modeEPRT dataMode = "EPRT"
)

var (
	pasvRE = regexp.MustCompile(`\((\d+),(\d+),(\d+),(\d+),(\d+),(\d+)\)`)
	epsvRE = regexp.MustCompile(`\(\|\|\|(\d+)\|\)`)
)

// prepare sets up a data connection; the returned function, called after
// the transfer command is sent, returns it (TLS-wrapped under PROT P).
func (c *client) prepare(mode dataMode) func() net.Conn {
	c.t.Helper()
	host, _, _ := net.SplitHostPort(c.conn.RemoteAddr().String())
	var dc net.Conn
	switch mode {
	case modePASV, modeEPSV:
		var port int
		if mode == modePASV {
			m := pasvRE.FindStringSubmatch(c.expect(227, "PASV"))
			hi, _ := strconv.Atoi(m[5])
			lo, _ := strconv.Atoi(m[6])
			port = hi<<8 | lo
		} else {
			m := epsvRE.FindStringSubmatch(c.expect(229, "EPSV"))
			port, _ = strconv.Atoi(m[1])
		}
		conn, err := net.DialTimeout("tcp", net.JoinHostPort(host, strconv.Itoa(port)), testTimeout)
		if err != nil {
			c.t.Fatal(err)
		}
		dc = conn
		return func() net.Conn { return c.wrap(dc) }
	default:
		ln, err := net.Listen("tcp", net.JoinHostPort(hostOf(c.conn.LocalAddr().String()), "0"))
		if err != nil {
			c.t.Fatal(err)
		}
		c.t.Cleanup(func() { ln.Close() })
		a := ln.Addr().(*net.TCPAddr)
		if mode == modePORT {
			ip := a.IP.To4()
			c.expect(200, "PORT %d,%d,%d,%d,%d,%d", ip[0], ip[1], ip[2], ip[3], a.Port>>8, a.Port&0xFF)
		} else {
			af := 1
			if a.IP.To4() == nil {
				af = 2
			}
			c.expect(200, "EPRT |%d|%s|%d|", af, a.IP, a.Port)
		}
		return func() net.Conn {
			_ = ln.(*net.TCPListener).SetDeadline(time.Now().Add(testTimeout))
			conn, err := ln.Accept()
			ln.Close()
			if err != nil {
				c.t.Fatalf("accepting the data connection: %v", err)
			}
			return c.wrap(conn)
		}
	}
}

func hostOf(addr string) string {
	h, _, _ := net.SplitHostPort(addr)
	return h
}

func (c *client) wrap(dc net.Conn) net.Conn {
	c.t.Cleanup(func() { dc.Close() })
	_ = dc.SetDeadline(time.Now().Add(testTimeout))
	if c.tls == nil {
		return dc
	}
	tc := tls.Client(dc, c.tls)
	c.t.Cleanup(func() { tc.Close() })
	return tc
}

// retr downloads name and expects 150 and 226.
func (c *client) retr(mode dataMode, name string) string {
	c.t.Helper()
	get := c.prepare(mode)
	c.send("RETR %s", name)
	dc := get()
	c.expectReply(150)
	b, err := io.ReadAll(dc)
	if err != nil {
		c.t.Fatalf("RETR %s: reading data: %v", name, err)
	}
	dc.Close()
	c.expectReply(226)
	return string(b)
}

// list runs a listing command and returns its data.
func (c *client) list(mode dataMode, command string) string {
	c.t.Helper()
	get := c.prepare(mode)
	c.send("%s", command)
	dc := get()
	c.expectReply(150)
	b, err := io.ReadAll(dc)
	if err != nil {
		c.t.Fatalf("%s: reading data: %v", command, err)
	}
	dc.Close()
	c.expectReply(226)
	return string(b)
}

// stor uploads data with verb (STOR, APPE, STOU) and returns the 150 text.
func (c *client) stor(mode dataMode, command, data string) string {
	c.t.Helper()
	get := c.prepare(mode)
	c.send("%s", command)
	dc := get()
	mark := c.expectReply(150)
	if tc, ok := dc.(*tls.Conn); ok {
		if err := tc.Handshake(); err != nil {
			c.t.Fatalf("%s: data handshake: %v", command, err)
		}
	}
	if _, err := io.WriteString(dc, data); err != nil {
		c.t.Fatalf("%s: writing data: %v", command, err)
	}
	dc.Close()
	c.expectReply(226)
	return mark
}

// writeFile creates a file under the server root.
func writeFile(t testing.TB, s *Server, name, data string) {
	t.Helper()
	testsupport.WriteFile(t, filepath.Join(s.Root(), filepath.FromSlash(name)), data)
}

func readFile(t testing.TB, s *Server, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(s.Root(), filepath.FromSlash(name)))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// liveServers counts the servers newServer started and not yet closed;
// tests do not run in parallel, so when it drops to zero no goroutine of
// the server code may remain.
var (
	liveMu      sync.Mutex
	liveServers int
)

// newServer starts a server whose cleanup closes it and, once no server of
// the test is left, checks that none of the server's goroutines remain.
func newServer(t *testing.T, cfg Config) *Server {
	t.Helper()
	s := New(t, cfg)
	liveMu.Lock()
	liveServers++
	liveMu.Unlock()
	t.Cleanup(func() {
		s.Close()
		liveMu.Lock()
		liveServers--
		last := liveServers == 0
		liveMu.Unlock()
		if last {
			checkNoServerGoroutines(t)
		}
	})
	return s
}

// checkNoServerGoroutines fails the test when a goroutine runs server
// code. Close has waited for them all, but one may still be returning from
// its last deferred call, hence the short poll.
func checkNoServerGoroutines(t testing.TB) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		left := serverGoroutines()
		if left == "" {
			return
		}
		if time.Now().After(deadline) {
			t.Errorf("goroutines left after Close:\n%s", left)
			return
		}
		runtime.Gosched()
	}
}

// serverGoroutines returns the stacks of goroutines running server code.
func serverGoroutines() string {
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, true)]
	var out []string
	for _, g := range strings.Split(string(buf), "\n\n") {
		for _, fn := range []string{"ftptest.(*Server)", "ftptest.(*session)", "ftptest.(*xfer)"} {
			if strings.Contains(g, fn) {
				out = append(out, g)
				break
			}
		}
	}
	return strings.Join(out, "\n\n")
}
