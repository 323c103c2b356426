// Package delayproxy relays FTP sessions to a server and adds a round-trip
// time to them, for benchmarks on a loopback link where the kernel's netem
// is not available.
//
// The proxy relays the control connection and rewrites each 227 (PASV,
// RFC 959) and 229 (EPSV, RFC 2428) reply so that it names a port of the
// proxy's own; the data connection the client then opens there is relayed
// to the server's passive port. Every byte, in either direction and on
// either kind of connection, reaches the other side half the round-trip
// time after the proxy read it, and each connection to the server is
// opened half the round-trip time after the client's reached the proxy.
// A transfer is not slowed by the delay beyond that: up to 32 MiB may be
// in flight in each direction.
//
// Only passive mode goes through the proxy: PORT and EPRT are passed on
// unchanged, so the server's data connection in active mode goes straight
// to the client, without delay. TLS control connections cannot be read,
// so only plain FTP works.
package delayproxy

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// dataAcceptTimeout bounds the wait for the client's data connection after
// a passive reply.
const dataAcceptTimeout = 60 * time.Second

// Proxy is a running delaying proxy. Close stops it.
type Proxy struct {
	upstream string
	rtt      time.Duration
	ln       net.Listener
	host     string // the proxy's listening address, without port

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	dataConns atomic.Int64 // data connections relayed

	mu      sync.Mutex
	closers map[io.Closer]struct{} // connections and data listeners
	closed  bool
}

// Listen starts a proxy on addr (such as "127.0.0.1:0") for the FTP server
// at upstream, adding rtt to every round trip. It serves until Close or
// until ctx is done.
func Listen(ctx context.Context, addr, upstream string, rtt time.Duration) (*Proxy, error) {
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("delayproxy: %w", err)
	}
	host, _, err := net.SplitHostPort(ln.Addr().String())
	if err != nil {
		ln.Close()
		return nil, fmt.Errorf("delayproxy: %w", err)
	}
	p := &Proxy{upstream: upstream, rtt: rtt, ln: ln, host: host, closers: map[io.Closer]struct{}{}}
	p.ctx, p.cancel = context.WithCancel(ctx)
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		<-p.ctx.Done()
		p.shutdown()
	}()
	p.wg.Add(1)
	go p.serve()
	return p, nil
}

// Addr returns the address clients connect to, as host:port.
func (p *Proxy) Addr() string { return p.ln.Addr().String() }

// DataConns returns how many data connections the proxy has relayed.
func (p *Proxy) DataConns() int64 { return p.dataConns.Load() }

// Close stops the proxy, ends every session and waits for its goroutines.
func (p *Proxy) Close() error {
	p.cancel()
	p.wg.Wait()
	return nil
}

// shutdown closes the listener and every connection.
func (p *Proxy) shutdown() {
	p.mu.Lock()
	p.closed = true
	conns := p.closers
	p.closers = nil
	p.mu.Unlock()
	p.ln.Close()
	for c := range conns {
		c.Close()
	}
}

// track registers c to be closed by Close. It returns false, having closed
// c, when the proxy is already closed.
func (p *Proxy) track(c io.Closer) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		c.Close()
		return false
	}
	p.closers[c] = struct{}{}
	return true
}

// untrack closes c and forgets it.
func (p *Proxy) untrack(c io.Closer) {
	p.mu.Lock()
	delete(p.closers, c)
	p.mu.Unlock()
	c.Close()
}

func (p *Proxy) serve() {
	defer p.wg.Done()
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		if !p.track(c) {
			return
		}
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			defer p.untrack(c)
			p.control(c)
		}()
	}
}

// dialUpstream opens a connection to addr half a round trip after the
// client's connection arrived, as the server would see it on a real link.
func (p *Proxy) dialUpstream(addr string) (net.Conn, error) {
	t := time.NewTimer(p.rtt / 2)
	defer t.Stop()
	select {
	case <-t.C:
	case <-p.ctx.Done():
		return nil, p.ctx.Err()
	}
	var d net.Dialer
	s, err := d.DialContext(p.ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("delayproxy: %w", err)
	}
	if !p.track(s) {
		return nil, net.ErrClosed
	}
	return s, nil
}

// control relays one FTP session's control connection.
func (p *Proxy) control(c net.Conn) {
	s, err := p.dialUpstream(p.upstream)
	if err != nil {
		return
	}
	defer p.untrack(s)
	br := bufio.NewReader(s)
	fromServer := func() ([]byte, error) {
		line, err := br.ReadString('\n')
		if err == nil {
			line = p.rewrite(line)
		}
		return []byte(line), err
	}
	p.pair(c, s, connReader(c), fromServer)
}

// pair relays c to s and s to c until both directions have ended or one
// has failed.
func (p *Proxy) pair(c, s net.Conn, fromClient, fromServer reader) {
	ctx, cancel := context.WithCancel(p.ctx)
	defer cancel()
	errs := make(chan error, 2)
	go func() { errs <- relay(ctx, fromClient, s, p.rtt/2) }()
	go func() { errs <- relay(ctx, fromServer, c, p.rtt/2) }()
	for range 2 {
		if err := <-errs; err != nil {
			// A reset or an error on one side ends the whole session.
			cancel()
			c.Close()
			s.Close()
		}
	}
}

// rewrite returns line with the port of a 227 or 229 reply replaced by
// that of a new proxy listener for the data connection. Other lines, and
// replies it cannot read, are returned unchanged.
func (p *Proxy) rewrite(line string) string {
	if len(line) < 4 || line[3] != ' ' || (line[:3] != "227" && line[:3] != "229") {
		return line
	}
	upHost, _, err := net.SplitHostPort(p.upstream)
	if err != nil {
		return line
	}
	var port int
	if line[:3] == "227" {
		_, port, err = parsePASV(line)
	} else {
		port, err = parseEPSV(line)
	}
	if err != nil {
		return line
	}
	local, err := p.listenData(net.JoinHostPort(upHost, fmt.Sprint(port)))
	if err != nil {
		return line
	}
	if line[:3] == "229" {
		return formatEPSV(local)
	}
	out, err := formatPASV(p.host, local)
	if err != nil {
		return line
	}
	return out
}

// listenData opens a listener for one data connection, to be relayed to
// the server's passive address target, and returns its port.
func (p *Proxy) listenData(target string) (int, error) {
	var lc net.ListenConfig
	ln, err := lc.Listen(p.ctx, "tcp", net.JoinHostPort(p.host, "0"))
	if err != nil {
		return 0, fmt.Errorf("delayproxy: %w", err)
	}
	tl, ok := ln.(*net.TCPListener)
	if !ok {
		ln.Close()
		return 0, errors.New("delayproxy: not a TCP listener")
	}
	if !p.track(tl) {
		return 0, net.ErrClosed
	}
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		tl.SetDeadline(time.Now().Add(dataAcceptTimeout))
		c, err := tl.Accept()
		p.untrack(tl)
		if err != nil || !p.track(c) {
			return
		}
		defer p.untrack(c)
		s, err := p.dialUpstream(target)
		if err != nil {
			return
		}
		defer p.untrack(s)
		p.dataConns.Add(1)
		p.pair(c, s, connReader(c), connReader(s))
	}()
	return tl.Addr().(*net.TCPAddr).Port, nil
}
