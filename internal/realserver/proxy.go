package realserver

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// ProxyKind names a proxy program.
type ProxyKind string

// The proxies this package runs, unpacked from Debian packages like the
// servers.
const (
	Microsocks ProxyKind = "microsocks" // SOCKS5, microsocks 1.0.3
	Tinyproxy  ProxyKind = "tinyproxy"  // HTTP with CONNECT, tinyproxy 1.11
)

// ProxyKinds lists every ProxyKind.
var ProxyKinds = []ProxyKind{Microsocks, Tinyproxy}

// proxyPackages are the proxies' Debian packages; proxyKeyFiles the files
// a complete install has, relative to the unpacked tree.
var (
	proxyPackages = map[ProxyKind][]string{
		Microsocks: {"microsocks"},
		Tinyproxy:  {"tinyproxy-bin"},
	}
	proxyKeyFiles = map[ProxyKind][]string{
		Microsocks: {"usr/bin/microsocks"},
		Tinyproxy:  {"usr/bin/tinyproxy"},
	}
)

// proxyPackageList returns every proxy package, for Install.
func proxyPackageList() []string {
	var all []string
	for _, k := range ProxyKinds {
		all = append(all, proxyPackages[k]...)
	}
	return all
}

// ProxyOptions choose how a proxy is set up.
type ProxyOptions struct {
	// User and Password, when set, are required of every client.
	User, Password string
	// Bind is the local address the proxy's connections to servers come
	// from, such as "127.0.0.2": a server then sees every connection
	// that went through the proxy come from there, and those that did
	// not from 127.0.0.1.
	Bind string
	// IdleTimeout, for tinyproxy, closes a tunnel through which nothing
	// has moved for that long, as a strict firewall would; whole
	// seconds, at least one. Zero keeps tinyproxy's default (600 s).
	IdleTimeout time.Duration
}

// Proxy is a running proxy.
type Proxy struct {
	Kind    ProxyKind
	Options ProxyOptions
	Addr    string // host:port it listens on, on 127.0.0.1
	Dir     string // its folder: configuration and log
	Log     string // its log: tinyproxy's log file, microsocks's output

	proc    *process
	ports   *portBlock
	stopped bool
	keep    bool
}

// URL returns the proxy's URL for ferry's --proxy, with the credentials:
// scheme is "socks5" or "socks5h" for microsocks, "http" for tinyproxy.
func (p *Proxy) URL(scheme string) string {
	u := url.URL{Scheme: scheme, Host: p.Addr}
	if p.Options.User != "" {
		u.User = url.UserPassword(p.Options.User, p.Options.Password)
	}
	return u.String()
}

// logTarget finds the address each tunnel was for in either proxy's log.
var logTarget = regexp.MustCompile(`(?:connected to (\S+):(\d+)$|Request \(file descriptor \d+\): CONNECT (\S+) HTTP)`)

// Tunnels returns the "host:port" of each tunnel the proxy opened, in
// order, from its log.
func (p *Proxy) Tunnels() ([]string, error) {
	data, err := os.ReadFile(p.Log)
	if err != nil {
		return nil, fmt.Errorf("realserver: %w", err)
	}
	var out []string
	for line := range strings.Lines(string(data)) {
		m := logTarget.FindStringSubmatch(strings.TrimRight(line, "\r\n"))
		switch {
		case m == nil:
		case m[3] != "":
			out = append(out, m[3])
		default:
			out = append(out, net.JoinHostPort(m[1], m[2]))
		}
	}
	return out, nil
}

// Stop ends the proxy and removes its folder, which is kept when
// FERRY_KEEP_SERVERS is set or the test failed.
func (p *Proxy) Stop() error {
	if p.stopped {
		return nil
	}
	p.stopped = true
	var err error
	if p.proc != nil {
		err = p.proc.stop()
	}
	if p.ports != nil {
		p.ports.release()
	}
	if !p.keep && os.Getenv("FERRY_KEEP_SERVERS") == "" {
		if rerr := os.RemoveAll(p.Dir); err == nil && rerr != nil {
			err = fmt.Errorf("realserver: %w", rerr)
		}
	}
	return err
}

// StartProxyOrSkip starts a proxy for the test and stops it in
// t.Cleanup. When it cannot start, the test fails under
// FERRY_INTEROP=required and is skipped otherwise.
func StartProxyOrSkip(t *testing.T, kind ProxyKind, opts ProxyOptions) *Proxy {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	p, err := LaunchProxy(ctx, kind, opts)
	switch {
	case err == nil:
	case Required():
		t.Fatalf("%v\n(FERRY_INTEROP=required, so this fails instead of skipping)", err)
	case errors.Is(err, ErrNotInstalled):
		t.Skip(err)
	default:
		t.Skipf("%v\n%s", err, InstallHint)
	}
	t.Cleanup(func() {
		if t.Failed() {
			p.keep = true
			data, _ := os.ReadFile(p.Log)
			t.Logf("%s, folder %s kept; log:\n%s", p.Kind, p.Dir, lastLines(string(data), 30))
		}
		if err := p.Stop(); err != nil {
			t.Errorf("stop %s: %v", p.Kind, err)
		}
	})
	return p
}

// LaunchProxy starts a proxy on a free port of 127.0.0.1; the caller
// must Stop it.
func LaunchProxy(ctx context.Context, kind ProxyKind, opts ProxyOptions) (*Proxy, error) {
	files, ok := proxyKeyFiles[kind]
	if !ok {
		return nil, fmt.Errorf("realserver: unknown proxy %q", kind)
	}
	cache, err := CacheDir()
	if err != nil {
		return nil, err
	}
	root := filepath.Join(cache, "root")
	for _, f := range files {
		if _, err := os.Stat(filepath.Join(root, f)); err != nil {
			return nil, fmt.Errorf("%w: %s not found in %s; %s", ErrNotInstalled, kind, cache, InstallHint)
		}
	}
	dir, err := os.MkdirTemp("", "ferry-"+string(kind)+"-")
	if err != nil {
		return nil, fmt.Errorf("realserver: %w", err)
	}
	p := &Proxy{Kind: kind, Options: opts, Dir: dir}
	started := false
	defer func() {
		if !started {
			p.Stop()
		}
	}()
	if p.ports, err = reservePorts("127.0.0.1"); err != nil {
		return nil, err
	}
	port := p.ports.control()
	p.Addr = net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	bin := filepath.Join(root, files[0])
	var argv []string
	switch kind {
	case Microsocks:
		argv = []string{bin, "-i", "127.0.0.1", "-p", strconv.Itoa(port)}
		if opts.User != "" {
			argv = append(argv, "-u", opts.User, "-P", opts.Password)
		}
		if opts.Bind != "" {
			argv = append(argv, "-b", opts.Bind)
		}
		p.Log = filepath.Join(dir, "microsocks.out")
	case Tinyproxy:
		p.Log = filepath.Join(dir, "tinyproxy.log")
		conf := filepath.Join(dir, "tinyproxy.conf")
		if err := os.WriteFile(conf, []byte(tinyproxyConf(p, port)), 0o600); err != nil {
			return nil, fmt.Errorf("realserver: %w", err)
		}
		argv = []string{bin, "-d", "-c", conf}
	}
	env := []string{"PATH=/usr/sbin:/usr/bin:/sbin:/bin", "HOME=" + dir, "LC_ALL=C", "TZ=UTC"}
	out := filepath.Join(dir, string(kind)+".out")
	if p.proc, err = startProcess(dir, out, env, false, argv...); err != nil {
		return nil, err
	}
	if err := waitListening(ctx, p); err != nil {
		data, _ := os.ReadFile(out)
		return nil, fmt.Errorf("%w\n%s", err, lastLines(string(data), 20))
	}
	started = true
	return p, nil
}

// tinyproxyConf is tinyproxy's configuration: listen on 127.0.0.1:port,
// allow CONNECT to every port (no ConnectPort line), log each tunnel.
func tinyproxyConf(p *Proxy, port int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Port %d\nListen 127.0.0.1\nAllow 127.0.0.1\nMaxClients 200\n", port)
	fmt.Fprintf(&b, "LogFile %q\nLogLevel Connect\nPidFile %q\nDisableViaHeader Yes\n", p.Log, filepath.Join(p.Dir, "tinyproxy.pid"))
	if p.Options.Bind != "" {
		fmt.Fprintf(&b, "Bind %s\n", p.Options.Bind)
	}
	if t := p.Options.IdleTimeout; t > 0 {
		fmt.Fprintf(&b, "Timeout %d\n", max(1, int(t/time.Second)))
	}
	if p.Options.User != "" {
		fmt.Fprintf(&b, "BasicAuth %s %s\n", p.Options.User, p.Options.Password)
	}
	return b.String()
}

// waitListening waits until the proxy accepts connections, or exits.
func waitListening(ctx context.Context, p *Proxy) error {
	for {
		c, err := net.DialTimeout("tcp", p.Addr, time.Second)
		if err == nil {
			c.Close()
			return nil
		}
		if done, why := p.proc.exited(); done {
			return fmt.Errorf("realserver: %s exited: %v", p.Kind, why)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("realserver: %s not listening on %s: %w", p.Kind, p.Addr, ctx.Err())
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// lastLines returns the last n lines of s.
func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
