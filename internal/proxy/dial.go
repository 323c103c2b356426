package proxy

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"sync"
	"time"
)

// Error is a failure to reach a server through a proxy: the proxy could
// not be reached, did not answer in time, refused the credentials, or
// could not (or would not) connect to the server. It names the proxy by
// scheme, host and port, never with its password.
type Error struct {
	// Proxy is the proxy's Name.
	Proxy string
	// Target is the "host:port" the tunnel was for.
	Target string
	Err    error
	// permanent marks an answer that another try would get again.
	permanent bool
}

func (e *Error) Error() string {
	return fmt.Sprintf("proxy %s: %v", e.Proxy, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// Permanent reports whether trying again cannot help: the proxy refused
// the credentials or the connection by its rules, or the server refused
// it. A proxy that cannot be reached, times out or fails otherwise may
// work later.
func (e *Error) Permanent() bool { return e.permanent }

// Dialer makes TCP connections through a proxy. It satisfies the Dialer
// of package client. It is safe for concurrent use.
type Dialer struct {
	p *Proxy
	// forward connects to the proxy; its TCP keep-alive (Go's default,
	// probes after 15 s idle) keeps an idle control connection's path
	// to the proxy open.
	forward net.Dialer
	// lookup resolves names for SOCKS5 (not SOCKS5H); nil uses the
	// default resolver.
	lookup func(ctx context.Context, host string) ([]netip.Addr, error)

	mu sync.Mutex
	// pinned is, for SOCKS5, the address each name was first reached
	// at: the data connections of a session go to the server its
	// control connection reached, even for a name with several
	// addresses.
	pinned map[string]netip.Addr
}

// Dialer returns a dialer that connects through p.
func (p *Proxy) Dialer() *Dialer {
	return &Dialer{p: p}
}

// maxHandshake bounds the wait for a proxy's answers when the context
// sets no deadline.
const maxHandshake = time.Minute

// DialContext connects to address ("host:port") through the proxy. ctx's
// deadline bounds the whole of it: the connection to the proxy, the
// proxy's answers (read in bounded amounts) and, for SOCKS5, the name's
// resolution. The connection returned is the one to the proxy, with the
// tunnel up and nothing of the server's data read.
func (d *Dialer) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	switch network {
	case "tcp", "tcp4", "tcp6":
	default:
		return nil, d.fail(address, fmt.Errorf("network %s not supported", network), true)
	}
	host, portText, err := net.SplitHostPort(address)
	if err != nil {
		return nil, d.fail(address, err, true)
	}
	port, err := strconv.Atoi(portText)
	if err != nil || port < 1 || port > 65535 {
		return nil, d.fail(address, fmt.Errorf("bad port %q", portText), true)
	}
	if d.p.Scheme != SOCKS5 {
		return d.dialVia(ctx, host, port)
	}
	if _, err := netip.ParseAddr(host); err == nil {
		return d.dialVia(ctx, host, port)
	}
	return d.dialResolved(ctx, host, port)
}

// dialResolved resolves host locally, for SOCKS5, and asks the proxy for
// each of its addresses in turn: the one the name was pinned to, if any,
// else each until one works, which is then pinned.
func (d *Dialer) dialResolved(ctx context.Context, host string, port int) (net.Conn, error) {
	d.mu.Lock()
	pin, ok := d.pinned[host]
	d.mu.Unlock()
	if ok {
		return d.dialVia(ctx, pin.String(), port)
	}
	lookup := d.lookup
	if lookup == nil {
		lookup = func(ctx context.Context, host string) ([]netip.Addr, error) {
			return net.DefaultResolver.LookupNetIP(ctx, "ip", host)
		}
	}
	addrs, err := lookup(ctx, host)
	if err != nil {
		// A *net.DNSError, which callers know how to judge.
		return nil, err
	}
	if len(addrs) == 0 {
		return nil, &net.DNSError{Err: "no addresses", Name: host, IsNotFound: true}
	}
	var first error
	for _, a := range addrs {
		a = a.Unmap()
		nc, err := d.dialVia(ctx, a.String(), port)
		if err == nil {
			d.mu.Lock()
			if d.pinned == nil {
				d.pinned = map[string]netip.Addr{}
			}
			if _, ok := d.pinned[host]; !ok {
				d.pinned[host] = a
			}
			d.mu.Unlock()
			return nc, nil
		}
		if first == nil {
			first = err
		}
		if ctx.Err() != nil {
			break
		}
	}
	return nil, first
}

// dialVia connects to the proxy and opens a tunnel to host:port.
func (d *Dialer) dialVia(ctx context.Context, host string, port int) (net.Conn, error) {
	target := net.JoinHostPort(host, strconv.Itoa(port))
	nc, err := d.forward.DialContext(ctx, "tcp", d.p.Addr())
	if err != nil {
		if cerr := ctx.Err(); cerr != nil && !errors.Is(err, cerr) {
			err = fmt.Errorf("%w (%w)", err, cerr)
		}
		// The *net.OpError stays reachable: a proxy that refuses the
		// connection outright is not retried, as a server is not.
		return nil, &Error{Proxy: d.p.Name(), Target: target, Err: fmt.Errorf("cannot connect: %w", err)}
	}
	deadline, ok := ctx.Deadline()
	if !ok {
		deadline = time.Now().Add(maxHandshake)
	}
	nc.SetDeadline(deadline)
	stop := context.AfterFunc(ctx, func() { nc.SetDeadline(time.Unix(1, 0)) })
	if d.p.Scheme == HTTP {
		err = d.connectHTTP(nc, target)
	} else {
		err = d.connectSOCKS(nc, host, port)
	}
	interrupted := !stop()
	if err == nil && !interrupted {
		nc.SetDeadline(time.Time{})
		return nc, nil
	}
	nc.Close()
	if err == nil || ctx.Err() != nil {
		return nil, &Error{Proxy: d.p.Name(), Target: target, Err: fmt.Errorf("tunnel to %s: %w", target, ctx.Err())}
	}
	var pe *Error
	if errors.As(err, &pe) {
		pe.Proxy, pe.Target = d.p.Name(), target
		return nil, pe
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		err = fmt.Errorf("no answer within the connect timeout: %w", err)
	}
	return nil, &Error{Proxy: d.p.Name(), Target: target, Err: fmt.Errorf("tunnel to %s: %w", target, err)}
}

// fail returns an Error for address.
func (d *Dialer) fail(address string, err error, permanent bool) error {
	return &Error{Proxy: d.p.Name(), Target: address, Err: err, permanent: permanent}
}

// refusal returns an answer of the proxy that another try would get
// again; Proxy and Target are filled in by dialVia.
func refusal(format string, args ...any) error {
	return &Error{Err: fmt.Errorf(format, args...), permanent: true}
}

// failure returns an answer of the proxy that may differ next time.
func failure(format string, args ...any) error {
	return &Error{Err: fmt.Errorf(format, args...)}
}
