// Package relay emulates a network path between a client and a server on
// one machine, for benchmarks where the kernel's netem is not available.
//
// A Relay listens on a second loopback address (127.0.0.2; Linux routes
// all of 127.0.0.0/8 to the loopback device) on a set of ports, and
// relays each connection made to it to the same port of the target
// address (127.0.0.1), where the server listens. Given the server's
// control port and its whole passive range, an FTP session goes through
// the relay without the relay reading a byte of it: a server that names
// the relay's address in its 227 replies (vsftpd's pasv_address), or an
// EPSV reply, which names only a port, sends the client's data
// connections through the relay too, and TLS passes through untouched.
// Active mode, where the server connects to the client, goes through a
// second relay the other way: see Config.Source.
//
// The relay charges what a path with the given round-trip time charges:
//
//   - Connection setup as TCP's three-way handshake costs it. The
//     client's connect returns at once (the kernel completes it), but
//     the relay opens the server's connection one and a half round trips
//     after the client's arrived (when the client's ACK would reach the
//     server), and treats what the client sends as sent no sooner than
//     one round trip after it connected (when its connect would have
//     returned). So the server's first byte reaches the client two round
//     trips after the client connected, and the client's first byte
//     reaches the server one and a half round trips after it.
//   - Every byte, in each direction, reaches the other side half a round
//     trip after the relay read it, in order; bytes read at once travel
//     together, so pipelined requests are not charged one by one.
//   - The end of a stream (FIN, as after shutdown(SHUT_WR) or close) is
//     passed on half a round trip later, as a half-close: the other
//     direction goes on. A reset or error ends both directions, half a
//     round trip later.
//
// There is no bandwidth cap beyond Window: at most that many bytes are
// held in flight in each direction of a connection, which bounds the
// relay's memory as a TCP window bounds a real path's throughput
// (Window / (RTT/2) at most).
package relay

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// Defaults for Config's optional fields.
const (
	DefaultWindow      = 4 << 20
	DefaultIdleTimeout = 15 * time.Minute
	dialTimeout        = 10 * time.Second
)

// Config describes the path a Relay emulates.
type Config struct {
	// Listen is the host the relay listens on, such as "127.0.0.2".
	Listen string
	// Target is the host the server listens on, such as "127.0.0.1";
	// each connection goes to the port it arrived on.
	Target string
	// Source is the address the relay's connections to Target come
	// from; the kernel's choice (127.0.0.1) when empty. A relay for the
	// other direction (active mode: the server connecting to the client)
	// listens there, so that the server sees one client address.
	Source string
	// Ports are the ports relayed: the server's control port and its
	// passive range.
	Ports []int
	// RTT is the round-trip time added between client and server.
	RTT time.Duration
	// Window is the most bytes held in flight in each direction of a
	// connection; DefaultWindow when 0.
	Window int
	// IdleTimeout ends a connection when one direction has been idle, or
	// a write blocked, that long; DefaultIdleTimeout when 0.
	IdleTimeout time.Duration
}

// PortRange returns the ports from lo to hi, both included.
func PortRange(lo, hi int) []int {
	var ports []int
	for p := lo; p <= hi; p++ {
		ports = append(ports, p)
	}
	return ports
}

// Relay is a running relay. Close stops it.
type Relay struct {
	cfg    Config
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
	conns  atomic.Int64 // connections accepted

	mu      sync.Mutex
	closers map[io.Closer]struct{} // listeners and connections
	closed  bool
}

// Listen starts a relay for cfg. It serves until Close or until ctx is
// done.
func Listen(ctx context.Context, cfg Config) (*Relay, error) {
	if cfg.RTT < 0 {
		return nil, errors.New("relay: negative round-trip time")
	}
	if len(cfg.Ports) == 0 {
		return nil, errors.New("relay: no ports to relay")
	}
	if cfg.Source != "" && net.ParseIP(cfg.Source) == nil {
		return nil, fmt.Errorf("relay: source %q is not an IP address", cfg.Source)
	}
	if cfg.Window <= 0 {
		cfg.Window = DefaultWindow
	}
	if cfg.IdleTimeout <= 0 {
		cfg.IdleTimeout = DefaultIdleTimeout
	}
	r := &Relay{cfg: cfg, closers: map[io.Closer]struct{}{}}
	r.ctx, r.cancel = context.WithCancel(ctx)
	var lc net.ListenConfig
	var lns []net.Listener
	for _, port := range cfg.Ports {
		ln, err := lc.Listen(r.ctx, "tcp", net.JoinHostPort(cfg.Listen, strconv.Itoa(port)))
		if err != nil {
			for _, l := range lns {
				l.Close()
			}
			r.cancel()
			return nil, fmt.Errorf("relay: %w", err)
		}
		lns = append(lns, ln)
		r.closers[ln] = struct{}{}
	}
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		<-r.ctx.Done()
		r.shutdown()
	}()
	for i, ln := range lns {
		r.wg.Add(1)
		go r.serve(ln, cfg.Ports[i])
	}
	return r, nil
}

// Conns returns how many connections the relay has accepted.
func (r *Relay) Conns() int64 { return r.conns.Load() }

// Close stops the relay, ends every connection and waits until all of the
// relay's goroutines have returned.
func (r *Relay) Close() error {
	r.cancel()
	r.wg.Wait()
	return nil
}

// shutdown closes every listener and connection.
func (r *Relay) shutdown() {
	r.mu.Lock()
	r.closed = true
	all := r.closers
	r.closers = nil
	r.mu.Unlock()
	for c := range all {
		c.Close()
	}
}

// track registers c to be closed by Close. It returns false, having closed
// c, when the relay is already closed.
func (r *Relay) track(c io.Closer) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		c.Close()
		return false
	}
	r.closers[c] = struct{}{}
	return true
}

// untrack closes c and forgets it.
func (r *Relay) untrack(c io.Closer) {
	r.mu.Lock()
	delete(r.closers, c)
	r.mu.Unlock()
	c.Close()
}

// serve accepts connections on ln until it is closed.
func (r *Relay) serve(ln net.Listener, port int) {
	defer r.wg.Done()
	target := net.JoinHostPort(r.cfg.Target, strconv.Itoa(port))
	for {
		c, err := ln.Accept()
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				continue
			}
			return
		}
		accepted := time.Now()
		if !r.track(c) {
			return
		}
		r.conns.Add(1)
		r.wg.Add(1)
		go func() {
			defer r.wg.Done()
			defer r.untrack(c)
			r.relay(c, target, accepted)
		}()
	}
}

// relay carries one connection: c, accepted at accepted, to a connection
// it opens to target.
func (r *Relay) relay(c net.Conn, target string, accepted time.Time) {
	ctx, cancel := context.WithCancel(r.ctx)
	defer cancel()
	half := r.cfg.RTT / 2
	var wg sync.WaitGroup
	defer wg.Wait()

	// What the client sends counts as sent when its connect would have
	// returned, one round trip after it connected.
	up := newPipe(r.cfg.Window, half, accepted.Add(r.cfg.RTT))
	wg.Add(1)
	go func() {
		defer wg.Done()
		up.read(ctx, c, r.cfg.IdleTimeout)
	}()

	// The server accepts when the client's ACK arrives, one and a half
	// round trips after the client's SYN.
	s, err := r.dial(ctx, target, accepted.Add(r.cfg.RTT+half))
	if err != nil {
		cancel()
		abort(c)
		return
	}
	defer r.untrack(s)
	down := newPipe(r.cfg.Window, half, time.Time{})
	wg.Add(3)
	go func() {
		defer wg.Done()
		down.read(ctx, s, r.cfg.IdleTimeout)
	}()
	errs := make(chan error, 2)
	go func() {
		defer wg.Done()
		errs <- up.write(ctx, s, r.cfg.IdleTimeout)
	}()
	go func() {
		defer wg.Done()
		errs <- down.write(ctx, c, r.cfg.IdleTimeout)
	}()
	for range 2 {
		if err := <-errs; err != nil {
			// A reset, an error or a timeout on one side ends the
			// connection on both.
			cancel()
			abort(c)
			abort(s)
		}
	}
}

// dial waits until at, then connects to target.
func (r *Relay) dial(ctx context.Context, target string, at time.Time) (net.Conn, error) {
	if err := sleepUntil(ctx, at); err != nil {
		return nil, err
	}
	d := net.Dialer{Timeout: dialTimeout}
	if r.cfg.Source != "" {
		d.LocalAddr = &net.TCPAddr{IP: net.ParseIP(r.cfg.Source)}
	}
	s, err := d.DialContext(ctx, "tcp", target)
	if err != nil {
		return nil, fmt.Errorf("relay: %w", err)
	}
	if !r.track(s) {
		return nil, net.ErrClosed
	}
	return s, nil
}

// abort closes c so that its peer sees a reset rather than an orderly end.
func abort(c net.Conn) {
	if tc, ok := c.(*net.TCPConn); ok {
		tc.SetLinger(0)
	}
	c.Close()
}

// sleepUntil waits until t or until ctx is done.
func sleepUntil(ctx context.Context, t time.Time) error {
	wait := time.Until(t)
	if wait <= 0 {
		return ctx.Err()
	}
	timer := time.NewTimer(wait)
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
