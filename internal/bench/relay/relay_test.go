package relay

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"math/big"
	"net"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// The tests assert lower bounds on time, which a loaded machine cannot
// break (every delay only adds), and upper bounds only where the margin
// is many times what is expected.

// upstream is a test server on 127.0.0.1 and a relay in front of it on
// 127.0.0.2, on the same port.
type upstream struct {
	relay *Relay
	addr  string // the relay's address, where clients connect
	conns chan net.Conn
}

// start listens on 127.0.0.1, hands each connection to handle in a
// goroutine of its own, and starts a relay with round trip rtt in front.
// The test is skipped where 127.0.0.2 cannot be listened on.
func start(t *testing.T, rtt time.Duration, handle func(net.Conn), opts ...func(*Config)) *upstream {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	var wg sync.WaitGroup
	t.Cleanup(func() {
		ln.Close()
		wg.Wait()
	})
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
				handle(c)
			}()
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	cfg := Config{Listen: "127.0.0.2", Target: "127.0.0.1", Ports: []int{port}, RTT: rtt}
	for _, o := range opts {
		o(&cfg)
	}
	r, err := Listen(ctx, cfg)
	if err != nil {
		if errors.Is(err, syscall.EADDRNOTAVAIL) {
			t.Skipf("no second loopback address: %v", err)
		}
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return &upstream{relay: r, addr: net.JoinHostPort("127.0.0.2", strconv.Itoa(port))}
}

func dial(t *testing.T, addr string) net.Conn {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	c.SetDeadline(time.Now().Add(30 * time.Second))
	t.Cleanup(func() { c.Close() })
	return c
}

// echo copies what it reads back until the end of the stream.
func echo(c net.Conn) {
	c.SetDeadline(time.Now().Add(30 * time.Second))
	io.Copy(c, c)
}

// TestConnectChargesHandshake checks the cost of connection setup: the
// server's first byte reaches the client two round trips after the
// client began to connect, and the client's first byte reaches the server
// one and a half round trips after it.
func TestConnectChargesHandshake(t *testing.T) {
	const rtt = 40 * time.Millisecond
	arrived := make(chan time.Time, 1)
	u := start(t, rtt, func(c net.Conn) {
		c.SetDeadline(time.Now().Add(30 * time.Second))
		c.Write([]byte("220 ready\r\n"))
		b := make([]byte, 1)
		if _, err := c.Read(b); err == nil {
			arrived <- time.Now()
		}
	})
	began := time.Now()
	c := dial(t, u.addr)
	if _, err := c.Write([]byte("U")); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	if took := time.Since(began); took < 2*rtt {
		t.Errorf("greeting %q arrived %v after connect began, before two round trips (%v)", line, took, 2*rtt)
	}
	select {
	case at := <-arrived:
		if took := at.Sub(began); took < rtt+rtt/2 {
			t.Errorf("client's first byte reached the server %v after connect began, before 1.5 round trips (%v)", took, rtt+rtt/2)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("client's byte never reached the server")
	}
}

// TestExchangesChargeRoundTrips checks that n request/reply exchanges on
// an open connection take at least n round trips, and that requests sent
// together are not charged one by one.
func TestExchangesChargeRoundTrips(t *testing.T) {
	const rtt = 50 * time.Millisecond
	u := start(t, rtt, echo)
	c := dial(t, u.addr)
	r := bufio.NewReader(c)
	exchange := func(lines int) time.Duration {
		began := time.Now()
		for range lines {
			if _, err := c.Write([]byte("NOOP\r\n")); err != nil {
				t.Fatal(err)
			}
		}
		for range lines {
			if _, err := r.ReadString('\n'); err != nil {
				t.Fatal(err)
			}
		}
		return time.Since(began)
	}
	exchange(1) // the connection's setup
	const n = 5
	var total time.Duration
	for range n {
		total += exchange(1)
	}
	if total < n*rtt {
		t.Errorf("%d exchanges took %v, less than %d round trips (%v)", n, total, n, n*rtt)
	}
	// Forty requests sent back to back: one round trip and a little, not
	// forty (2 s); half that leaves a wide margin for a loaded machine.
	if took := exchange(40); took < rtt || took > 20*rtt {
		t.Errorf("40 pipelined exchanges took %v, want between one round trip (%v) and %v", took, rtt, 20*rtt)
	}
}

// TestHalfClosePassedOn checks that the client's end of stream reaches
// the server half a round trip later while the server's direction stays
// open, and that the server's reply and end then reach the client.
func TestHalfClosePassedOn(t *testing.T) {
	const rtt = 40 * time.Millisecond
	type result struct {
		got []byte
		at  time.Time
	}
	results := make(chan result, 1)
	u := start(t, rtt, func(c net.Conn) {
		c.SetDeadline(time.Now().Add(30 * time.Second))
		got, _ := io.ReadAll(c)
		results <- result{got, time.Now()}
		c.Write([]byte("reply after EOF"))
	})
	c := dial(t, u.addr)
	if _, err := c.Write([]byte("request")); err != nil {
		t.Fatal(err)
	}
	closed := time.Now()
	if err := c.(*net.TCPConn).CloseWrite(); err != nil {
		t.Fatal(err)
	}
	reply, err := io.ReadAll(c)
	if err != nil {
		t.Fatal(err)
	}
	if string(reply) != "reply after EOF" {
		t.Errorf("client read %q after its half-close", reply)
	}
	res := <-results
	if string(res.got) != "request" {
		t.Errorf("server read %q", res.got)
	}
	if took := res.at.Sub(closed); took < rtt/2 {
		t.Errorf("end of stream reached the server %v after the half-close, before half a round trip (%v)", took, rtt/2)
	}
}

// TestResetPassedOn checks that a server's reset reaches the client as a
// reset, not as an orderly end, and that a port where no server listens
// ends the client's connection.
func TestResetPassedOn(t *testing.T) {
	u := start(t, 10*time.Millisecond, func(c net.Conn) {
		c.Write([]byte("partial"))
		abort(c)
	})
	c := dial(t, u.addr)
	got, err := io.ReadAll(c)
	if err == nil {
		t.Errorf("client read %q and an orderly end; want a reset", got)
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close() // nothing listens there now
	r, err := Listen(context.Background(), Config{Listen: "127.0.0.2", Target: "127.0.0.1", Ports: []int{port}, RTT: 10 * time.Millisecond})
	if err != nil {
		t.Skipf("port %d: %v", port, err)
	}
	defer r.Close()
	// The reset may come before the dial has returned.
	c, err = net.DialTimeout("tcp", net.JoinHostPort("127.0.0.2", strconv.Itoa(port)), 10*time.Second)
	if err != nil {
		return
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(30 * time.Second))
	if got, err := io.ReadAll(c); err == nil && len(got) > 0 {
		t.Errorf("client read %q from a port with no server", got)
	}
}

// recorder is a connection that keeps a copy of what it reads and writes.
type recorder struct {
	net.Conn
	mu          sync.Mutex
	read, wrote bytes.Buffer
}

func (r *recorder) Read(b []byte) (int, error) {
	n, err := r.Conn.Read(b)
	r.mu.Lock()
	r.read.Write(b[:n])
	r.mu.Unlock()
	return n, err
}

func (r *recorder) Write(b []byte) (int, error) {
	n, err := r.Conn.Write(b)
	r.mu.Lock()
	r.wrote.Write(b[:n])
	r.mu.Unlock()
	return n, err
}

func (r *recorder) bytes() (read, wrote []byte) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return bytes.Clone(r.read.Bytes()), bytes.Clone(r.wrote.Bytes())
}

// TestTLSPassesThrough runs a crypto/tls handshake and an exchange
// through the relay and checks that each side received exactly the bytes
// the other sent.
func TestTLSPassesThrough(t *testing.T) {
	cert := selfSigned(t)
	serverSide := make(chan *recorder, 1)
	u := start(t, 10*time.Millisecond, func(c net.Conn) {
		rec := &recorder{Conn: c}
		defer func() { serverSide <- rec }()
		tc := tls.Server(rec, &tls.Config{Certificates: []tls.Certificate{cert}})
		tc.SetDeadline(time.Now().Add(30 * time.Second))
		line, err := bufio.NewReader(tc).ReadString('\n')
		if err != nil {
			return
		}
		tc.Write([]byte("echo: " + line))
		tc.Close()
	})
	rec := &recorder{Conn: dial(t, u.addr)}
	pool := x509.NewCertPool()
	pool.AddCert(cert.Leaf)
	tc := tls.Client(rec, &tls.Config{RootCAs: pool, ServerName: "127.0.0.2"})
	if _, err := tc.Write([]byte("hello\n")); err != nil {
		t.Fatal(err)
	}
	reply, err := io.ReadAll(tc)
	if err != nil {
		t.Fatal(err)
	}
	if string(reply) != "echo: hello\n" {
		t.Errorf("reply %q", reply)
	}
	tc.Close()
	srv := <-serverSide
	srvRead, srvWrote := srv.bytes()
	cliRead, cliWrote := rec.bytes()
	if !bytes.Equal(srvWrote, cliRead) {
		t.Errorf("server wrote %d bytes, client read %d different ones", len(srvWrote), len(cliRead))
	}
	// The client's close_notify may still be on its way.
	if !bytes.HasPrefix(cliWrote, srvRead) || len(srvRead) == 0 {
		t.Errorf("client wrote %d bytes, server read %d that are not their start", len(cliWrote), len(srvRead))
	}
}

// selfSigned returns a certificate for 127.0.0.2.
func selfSigned(t *testing.T) tls.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "relay test"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 2)},
		IsCA:         true, BasicConstraintsValid: true,
		KeyUsage:    x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}
}

// TestWindowBoundsMemory checks that a direction whose destination does
// not read takes no more than its window from the source.
func TestWindowBoundsMemory(t *testing.T) {
	const window = 4 * chunkSize
	src, feed := net.Pipe()
	dst, stalled := net.Pipe() // nobody reads stalled
	defer src.Close()
	defer feed.Close()
	defer dst.Close()
	defer stalled.Close()
	p := newPipe(window, 0, time.Time{})
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); p.read(ctx, src, time.Minute) }()
	go func() { defer wg.Done(); p.write(ctx, dst, time.Minute) }()
	defer func() {
		cancel()
		src.Close()
		dst.Close()
		wg.Wait()
	}()
	written := 0
	block := make([]byte, chunkSize)
	for written < 64*window {
		feed.SetWriteDeadline(time.Now().Add(300 * time.Millisecond))
		n, err := feed.Write(block)
		written += n
		if err != nil {
			break
		}
	}
	if written > window {
		t.Errorf("the relay took %d bytes for a destination that reads nothing, more than its window of %d", written, window)
	}
}

// TestCloseLeavesNoGoroutines checks that Close ends open connections,
// idle and busy, and that no goroutine of the relay is left.
func TestCloseLeavesNoGoroutines(t *testing.T) {
	u := start(t, 20*time.Millisecond, func(c net.Conn) {
		c.SetDeadline(time.Now().Add(30 * time.Second))
		block := make([]byte, 64<<10)
		for {
			if _, err := c.Write(block); err != nil {
				return
			}
		}
	})
	var clients []net.Conn
	for range 4 {
		c := dial(t, u.addr)
		if _, err := io.ReadFull(c, make([]byte, 1000)); err != nil {
			t.Fatal(err)
		}
		clients = append(clients, c)
	}
	clients = append(clients, dial(t, u.addr)) // connected, nothing read yet
	if err := u.relay.Close(); err != nil {
		t.Fatal(err)
	}
	for i, c := range clients {
		if _, err := io.Copy(io.Discard, c); err != nil && !isReset(err) {
			t.Errorf("client %d: %v, want the end of the stream or a reset", i, err)
		}
	}
	if stacks := relayGoroutines(); stacks != "" {
		t.Errorf("goroutines of the relay left after Close:\n%s", stacks)
	}
}

func isReset(err error) bool { return errors.Is(err, syscall.ECONNRESET) }

// relayGoroutines returns the stacks of goroutines running the relay's
// code, other than the test's own.
func relayGoroutines() string {
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, true)]
	var left []string
	for _, g := range strings.Split(string(buf), "\n\n") {
		if strings.Contains(g, "bench/relay.(*") && !strings.Contains(g, "relay.Test") {
			left = append(left, g)
		}
	}
	return strings.Join(left, "\n\n")
}

// TestSource checks that the server sees the relay's connections come
// from Config.Source.
func TestSource(t *testing.T) {
	peer := make(chan string, 1)
	u := start(t, time.Millisecond, func(c net.Conn) {
		peer <- c.RemoteAddr().(*net.TCPAddr).IP.String()
	}, func(c *Config) { c.Source = "127.0.0.3" })
	c := dial(t, u.addr)
	io.Copy(io.Discard, c)
	if got := <-peer; got != "127.0.0.3" {
		t.Errorf("server saw a connection from %s, want 127.0.0.3", got)
	}
}
