package proxy

import (
	"bufio"
	"context"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// greeter is a server that writes a greeting at once, then echoes.
func greeter(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				io.WriteString(c, "220 hello\r\n")
				io.Copy(c, c)
			}()
		}
	}()
	return ln.Addr().String()
}

// fakeProxy runs handle for each connection on a loopback listener and
// returns its address.
func fakeProxy(t *testing.T, handle func(net.Conn)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	t.Cleanup(func() { ln.Close(); wg.Wait() })
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer c.Close()
				c.SetDeadline(time.Now().Add(5 * time.Second))
				handle(c)
			}()
		}
	}()
	return ln.Addr().String()
}

// socksServer is a scripted SOCKS5 proxy.
type socksServer struct {
	user, password string // required when set
	reply          byte   // the CONNECT reply code
	resolve        map[string]string

	mu       sync.Mutex
	requests []string // "ip 127.0.0.1:80" or "name host:80"
}

func (s *socksServer) handle(c net.Conn) {
	r := bufio.NewReader(c)
	var b [2]byte
	if _, err := io.ReadFull(r, b[:]); err != nil {
		return
	}
	methods := make([]byte, b[1])
	io.ReadFull(r, methods)
	want := byte(authNone)
	if s.user != "" {
		want = authPassword
	}
	if !strings.ContainsRune(string(methods), rune(want)) {
		c.Write([]byte{5, authNoneOK})
		return
	}
	c.Write([]byte{5, want})
	if want == authPassword {
		var v, n [1]byte
		io.ReadFull(r, v[:])
		io.ReadFull(r, n[:])
		user := make([]byte, n[0])
		io.ReadFull(r, user)
		io.ReadFull(r, n[:])
		pass := make([]byte, n[0])
		io.ReadFull(r, pass)
		if string(user) != s.user || string(pass) != s.password {
			c.Write([]byte{1, 1})
			return
		}
		c.Write([]byte{1, 0})
	}
	var head [4]byte
	io.ReadFull(r, head[:])
	var host, kind string
	switch head[3] {
	case atypIPv4, atypIPv6:
		ip := make([]byte, 4)
		if head[3] == atypIPv6 {
			ip = make([]byte, 16)
		}
		io.ReadFull(r, ip)
		a, _ := netip.AddrFromSlice(ip)
		host, kind = a.String(), "ip"
	case atypDomain:
		var n [1]byte
		io.ReadFull(r, n[:])
		name := make([]byte, n[0])
		io.ReadFull(r, name)
		host, kind = string(name), "name"
	}
	var port [2]byte
	io.ReadFull(r, port[:])
	p := binary.BigEndian.Uint16(port[:])
	s.mu.Lock()
	s.requests = append(s.requests, fmt.Sprintf("%s %s", kind, net.JoinHostPort(host, fmt.Sprint(p))))
	s.mu.Unlock()
	if s.reply != 0 {
		c.Write([]byte{5, s.reply, 0, 1, 0, 0, 0, 0, 0, 0})
		return
	}
	if to, ok := s.resolve[host]; ok {
		host = to
	}
	up, err := net.Dial("tcp", net.JoinHostPort(host, fmt.Sprint(p)))
	if err != nil {
		c.Write([]byte{5, 5, 0, 1, 0, 0, 0, 0, 0, 0})
		return
	}
	defer up.Close()
	c.Write([]byte{5, 0, 0, 3, 4, 'b', 'o', 'u', 'n', 0, 1}) // a bound name, to read past
	pipe(c, r, up)
}

// pipe copies between the client c (read through r) and up until either
// side ends, then closes both.
func pipe(c net.Conn, r io.Reader, up net.Conn) {
	done := make(chan struct{})
	go func() {
		io.Copy(up, r)
		up.Close()
		c.Close()
		close(done)
	}()
	io.Copy(c, up)
	up.Close()
	c.Close()
	<-done
}

func (s *socksServer) seen() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.requests...)
}

func dialCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// readGreeting checks that the server's first bytes arrive through nc.
func readGreeting(t *testing.T, nc net.Conn) {
	t.Helper()
	nc.SetDeadline(time.Now().Add(5 * time.Second))
	line, err := bufio.NewReader(nc).ReadString('\n')
	if err != nil || line != "220 hello\r\n" {
		t.Fatalf("first line through the tunnel = %q, %v; want the server's greeting", line, err)
	}
}

func TestSOCKS5(t *testing.T) {
	target := greeter(t)
	_, port, _ := net.SplitHostPort(target)
	s := &socksServer{user: "al@ice", password: "pa:ss", resolve: map[string]string{"ftp.test": "127.0.0.1"}}
	addr := fakeProxy(t, s.handle)

	for _, tt := range []struct {
		scheme, host string
		lookups      int
		want         string
	}{
		// socks5: ferry resolves the name and sends the address, the
		// first one that works, pinned for the next dials.
		{SOCKS5, "ftp.test", 1, "ip 127.0.0.1:" + port},
		// socks5h: the proxy gets the name.
		{SOCKS5H, "ftp.test", 0, "name ftp.test:" + port},
		{SOCKS5H, "127.0.0.1", 0, "ip 127.0.0.1:" + port},
	} {
		t.Run(tt.scheme+"-"+tt.host, func(t *testing.T) {
			p, err := Parse(tt.scheme + "://al%40ice:pa%3Ass@" + addr)
			if err != nil {
				t.Fatal(err)
			}
			d := p.Dialer()
			lookups := 0
			d.lookup = func(ctx context.Context, host string) ([]netip.Addr, error) {
				lookups++
				if host != "ftp.test" {
					return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
				}
				return []netip.Addr{netip.MustParseAddr("127.0.0.1")}, nil
			}
			before := len(s.seen())
			for range 2 {
				nc, err := d.DialContext(dialCtx(t), "tcp", net.JoinHostPort(tt.host, port))
				if err != nil {
					t.Fatal(err)
				}
				if _, ok := nc.(*net.TCPConn); !ok {
					t.Errorf("connection is a %T, want the proxy's *net.TCPConn", nc)
				}
				readGreeting(t, nc)
				nc.Close()
			}
			if lookups != tt.lookups {
				t.Errorf("%d lookups, want %d (the address is pinned)", lookups, tt.lookups)
			}
			if got := s.seen()[before:]; len(got) != 2 || got[0] != tt.want || got[1] != tt.want {
				t.Errorf("proxy saw %q, want %q twice", got, tt.want)
			}
		})
	}
}

// TestSOCKS5Pin checks that a name with several addresses is pinned to
// the first one the proxy reached.
func TestSOCKS5Pin(t *testing.T) {
	target := greeter(t)
	_, port, _ := net.SplitHostPort(target)
	s := &socksServer{}
	p, _ := Parse("socks5://" + fakeProxy(t, s.handle))
	d := p.Dialer()
	d.lookup = func(context.Context, string) ([]netip.Addr, error) {
		// Nothing listens on 127.0.0.2: the proxy answers "connection
		// refused" and the next address is tried.
		return []netip.Addr{netip.MustParseAddr("127.0.0.2"), netip.MustParseAddr("127.0.0.1")}, nil
	}
	nc, err := d.DialContext(dialCtx(t), "tcp", "multi.test:"+port)
	if err != nil {
		t.Fatal(err)
	}
	readGreeting(t, nc)
	nc.Close()
	d.mu.Lock()
	pin := d.pinned["multi.test"]
	d.mu.Unlock()
	if pin != netip.MustParseAddr("127.0.0.1") {
		t.Errorf("pinned %v, want 127.0.0.1, the address that worked", pin)
	}
	nc, err = d.DialContext(dialCtx(t), "tcp", "multi.test:"+port)
	if err != nil {
		t.Fatal(err)
	}
	nc.Close()
	want := []string{"ip 127.0.0.2:" + port, "ip 127.0.0.1:" + port, "ip 127.0.0.1:" + port}
	if got := s.seen(); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("proxy saw %q, want %q", got, want)
	}
}

func TestSOCKS5Failures(t *testing.T) {
	target := greeter(t)
	tests := []struct {
		name      string
		server    *socksServer
		url       string
		permanent bool
		want      string
	}{
		{"wrong password", &socksServer{user: "u", password: "right"}, "socks5h://u:SECRET@", true, "refused the user name and password"},
		{"no credentials", &socksServer{user: "u", password: "right"}, "socks5h://", true, "needs authentication"},
		{"refused by the server", &socksServer{reply: 5}, "socks5h://", true, "connection refused (SOCKS5 reply 5)"},
		{"ruleset", &socksServer{reply: 2}, "socks5h://u:SECRET@", true, "not allowed by ruleset"},
		{"host unreachable", &socksServer{reply: 4}, "socks5h://", false, "host unreachable"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			addr := fakeProxy(t, tt.server.handle)
			p, err := Parse(tt.url + addr)
			if err != nil {
				t.Fatal(err)
			}
			_, err = p.Dialer().DialContext(dialCtx(t), "tcp", target)
			checkProxyError(t, err, addr, tt.permanent, tt.want)
		})
	}
}

// checkProxyError checks that err is an *Error naming the proxy, with the
// given permanence and text, and without the password.
func checkProxyError(t *testing.T, err error, addr string, permanent bool, want string) {
	t.Helper()
	var pe *Error
	if !errors.As(err, &pe) {
		t.Fatalf("error %v (%T), want a *proxy.Error", err, err)
	}
	msg := err.Error()
	if !strings.Contains(msg, addr) || !strings.Contains(msg, want) || strings.Contains(msg, "SECRET") {
		t.Errorf("error %q: want the proxy %s named, %q, and no password", msg, addr, want)
	}
	if pe.Permanent() != permanent {
		t.Errorf("Permanent() = %v, want %v (%v)", pe.Permanent(), permanent, err)
	}
}

// httpProxy is a scripted HTTP CONNECT proxy.
type httpProxy struct {
	auth   string // the Proxy-Authorization value required, if any
	answer string // the status line to answer with, "" for 200 and a tunnel
	head   string // raw bytes to answer with instead, and then stall

	mu   sync.Mutex
	reqs []string
}

func (h *httpProxy) handle(c net.Conn) {
	r := bufio.NewReader(c)
	var req []string
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		line = strings.TrimRight(line, "\r\n")
		if line == "" {
			break
		}
		req = append(req, line)
	}
	h.mu.Lock()
	h.reqs = append(h.reqs, strings.Join(req, "|"))
	h.mu.Unlock()
	switch {
	case h.head != "":
		io.WriteString(c, h.head)
		io.Copy(io.Discard, c)
		return
	case h.auth != "" && !contains(req, "Proxy-Authorization: "+h.auth):
		io.WriteString(c, "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"x\"\r\n\r\n")
		return
	case h.answer != "":
		io.WriteString(c, h.answer+"\r\nContent-Length: 0\r\n\r\n")
		return
	}
	target := strings.Fields(req[0])[1]
	up, err := net.Dial("tcp", target)
	if err != nil {
		io.WriteString(c, "HTTP/1.1 502 Bad Gateway\r\n\r\n")
		return
	}
	defer up.Close()
	// The server's greeting goes out in the same write as the 200, as a
	// fast proxy may send it: none of it may be lost.
	greeting := make([]byte, 11)
	io.ReadFull(up, greeting)
	c.Write(append([]byte("HTTP/1.1 200 Connection established\r\nProxy-agent: test\r\n\r\n"), greeting...))
	pipe(c, r, up)
}

func contains(lines []string, s string) bool {
	for _, l := range lines {
		if l == s {
			return true
		}
	}
	return false
}

func TestHTTPConnect(t *testing.T) {
	target := greeter(t)
	h := &httpProxy{auth: "Basic " + base64.StdEncoding.EncodeToString([]byte("al@ice:p:ss"))}
	addr := fakeProxy(t, h.handle)
	p, err := Parse("http://al%40ice:p%3Ass@" + addr)
	if err != nil {
		t.Fatal(err)
	}
	nc, err := p.Dialer().DialContext(dialCtx(t), "tcp", target)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	if _, ok := nc.(*net.TCPConn); !ok {
		t.Errorf("connection is a %T, want the proxy's *net.TCPConn", nc)
	}
	readGreeting(t, nc)
	want := "CONNECT " + target + " HTTP/1.1|Host: " + target + "|Proxy-Authorization: " + h.auth
	if h.reqs[0] != want {
		t.Errorf("request %q, want %q", h.reqs[0], want)
	}
	// Keep-alive holds on the control connection's path to the proxy.
	raw, _ := nc.(*net.TCPConn).SyscallConn()
	var on int
	raw.Control(func(fd uintptr) { on, _ = syscall.GetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_KEEPALIVE) })
	if on != 1 {
		t.Errorf("SO_KEEPALIVE = %d on the connection through the proxy, want 1", on)
	}
}

func TestHTTPConnectFailures(t *testing.T) {
	target := greeter(t)
	tests := []struct {
		name      string
		proxy     *httpProxy
		url       string
		permanent bool
		want      string
	}{
		{"wrong password", &httpProxy{auth: "Basic xyz"}, "http://u:SECRET@", true, "refused the user name and password"},
		{"no credentials", &httpProxy{auth: "Basic xyz"}, "http://", true, "needs authentication"},
		{"401 for credentials (tinyproxy)", &httpProxy{answer: "HTTP/1.0 401 Unauthorized"}, "http://u:SECRET@", true, "refused the user name and password"},
		{"forbidden port", &httpProxy{answer: "HTTP/1.0 403 Access violation"}, "http://u:SECRET@", true, `refused CONNECT to ` + target + `: "HTTP/1.0 403 Access violation"`},
		{"bad gateway", &httpProxy{answer: "HTTP/1.1 502 Bad Gateway"}, "http://", false, "could not open a tunnel"},
		{"not http", &httpProxy{head: "220 an FTP server\r\n\r\n"}, "http://", false, "malformed answer to CONNECT"},
		{"endless head", &httpProxy{head: "HTTP/1.1 200 OK\r\n" + strings.Repeat("X-Pad: aaaaaaaaaaaaaaaa\r\n", 1000)}, "http://", false, "longer than"},
		{"control characters", &httpProxy{answer: "HTTP/1.1 500 \x1b[31mred"}, "http://", false, `"HTTP/1.1 500 ?[31mred"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			addr := fakeProxy(t, tt.proxy.handle)
			p, err := Parse(tt.url + addr)
			if err != nil {
				t.Fatal(err)
			}
			_, err = p.Dialer().DialContext(dialCtx(t), "tcp", target)
			checkProxyError(t, err, addr, tt.permanent, tt.want)
		})
	}
}

func TestDeadProxy(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	for _, scheme := range []string{SOCKS5, SOCKS5H, HTTP} {
		p, _ := Parse(scheme + "://u:SECRET@" + addr)
		_, err := p.Dialer().DialContext(dialCtx(t), "tcp", "127.0.0.1:21")
		checkProxyError(t, err, addr, false, "cannot connect")
		if !errors.Is(err, syscall.ECONNREFUSED) {
			t.Errorf("%s: %v does not reach ECONNREFUSED", scheme, err)
		}
	}
}

// TestStalledProxy checks that a proxy that accepts and never answers
// costs no more than the context's deadline.
func TestStalledProxy(t *testing.T) {
	addr := fakeProxy(t, func(c net.Conn) { io.Copy(io.Discard, c) })
	for _, scheme := range []string{SOCKS5H, HTTP} {
		p, _ := Parse(scheme + "://" + addr)
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		start := time.Now()
		_, err := p.Dialer().DialContext(ctx, "tcp", "127.0.0.1:21")
		cancel()
		if took := time.Since(start); took > 2*time.Second {
			t.Errorf("%s: took %v", scheme, took)
		}
		checkProxyError(t, err, addr, false, "127.0.0.1:21")
	}
}
