package interop

import (
	"bytes"
	"cmp"
	"crypto/rand"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ferry-ftp/ferry/cmd"
	"github.com/ferry-ftp/ferry/internal/realserver"
	"github.com/ferry-ftp/ferry/internal/testsupport"
	"github.com/ferry-ftp/ferry/ops"
)

// The proxies' user and passwords: the ':' and '@' of microsocks's are
// percent-encoded in its URL (tinyproxy takes neither in a password), and
// the marker they share must never appear in ferry's output.
const (
	proxyUser     = "alice"
	socksPassword = "pw:S3CRET@x"
	httpPassword  = "pw-S3CRET.x"
	secretMarker  = "S3CRET"
)

// proxies are the proxies of the run: microsocks (SOCKS5) and tinyproxy
// (HTTP CONNECT), both asking for a user and password, and both making
// their connections to servers from 127.0.0.2, so that a server sees
// what came through a proxy come from there and anything else from
// 127.0.0.1 (vsftpd refuses a data connection from another address than
// its control connection's: data that bypassed the proxy would fail).
type proxies struct {
	socks, http *realserver.Proxy
}

func startProxies(t *testing.T) proxies {
	t.Helper()
	return proxies{
		socks: realserver.StartProxyOrSkip(t, realserver.Microsocks, realserver.ProxyOptions{User: proxyUser, Password: socksPassword, Bind: "127.0.0.2"}),
		http:  realserver.StartProxyOrSkip(t, realserver.Tinyproxy, realserver.ProxyOptions{User: proxyUser, Password: httpPassword, Bind: "127.0.0.2"}),
	}
}

// url returns the proxy URL of scheme: socks5 and socks5h go to
// microsocks, http to tinyproxy.
func (p proxies) url(scheme string) string {
	if scheme == "http" {
		return p.http.URL(scheme)
	}
	return p.socks.URL(scheme)
}

// proxyRun runs ferry's command lines in this process with an environment
// of its own.
type proxyRun struct {
	t    *testing.T
	home string
	env  map[string]string
}

func newProxyRun(t *testing.T) *proxyRun {
	return &proxyRun{t: t, home: t.TempDir(), env: map[string]string{}}
}

// ferry runs a command line with a configuration file that does not exist
// and returns the exit code and the output; every line of it is checked
// for the proxies' password.
func (r *proxyRun) ferry(args ...string) (code int, stdout, stderr string) {
	r.t.Helper()
	var out, errOut testsupport.LockedBuffer
	f := &cmd.Factory{
		IO:     &cmd.IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut},
		Opts:   &cmd.GlobalOptions{},
		Getenv: func(k string) string { return r.env[k] },
		Home:   func() (string, error) { return r.home, nil },
	}
	full := append([]string{"--config", filepath.Join(r.home, "none.toml"), "--no-progress", "--timeout", "20s"}, args...)
	code = cmd.Run(r.t.Context(), f, full)
	stdout, stderr = out.String(), errOut.String()
	if strings.Contains(stdout+stderr, secretMarker) {
		r.t.Errorf("ferry %s printed the proxy's password:\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), stdout, stderr)
	}
	return code, stdout, stderr
}

// expect runs a command line and fails the test when its exit code is not
// want.
func (r *proxyRun) expect(want int, args ...string) (stdout, stderr string) {
	r.t.Helper()
	code, stdout, stderr := r.ferry(args...)
	if code != want {
		r.t.Fatalf("ferry %s: exit code %d, want %d\nstdout:\n%s\nstderr:\n%s", strings.Join(redact(args), " "), code, want, stdout, stderr)
	}
	return stdout, stderr
}

// proxiedURL returns the URL of s's login folder, with its credentials,
// naming the host "localhost" (which the run's certificate holds): with
// socks5:// ferry resolves it, with socks5h:// and http:// the proxy does.
func proxiedURL(s *realserver.Server) string {
	scheme := "ftp"
	switch s.Options.TLS {
	case realserver.TLSExplicit:
		scheme = "ftpes"
	case realserver.TLSImplicit:
		scheme = "ftps"
	}
	_, port, _ := net.SplitHostPort(s.Addr)
	return scheme + "://" + url.UserPassword(s.User, s.Password).String() + "@localhost:" + port + "/"
}

// tunnelsTo returns the tunnels p opened to s: to its control port and to
// its passive ports.
func tunnelsTo(t *testing.T, p *realserver.Proxy, s *realserver.Server) (control, data int) {
	t.Helper()
	all, err := p.Tunnels()
	if err != nil {
		t.Fatal(err)
	}
	_, cport, _ := net.SplitHostPort(s.Addr)
	for _, tun := range all {
		_, ps, err := net.SplitHostPort(tun)
		if err != nil {
			continue
		}
		port, _ := strconv.Atoi(ps)
		switch {
		case ps == cport:
			control++
		case port >= s.PassivePorts[0] && port <= s.PassivePorts[1]:
			data++
		}
	}
	return control, data
}

// TestProxies runs put -r, ls, get and mirror through a SOCKS5 proxy
// (microsocks, both with ferry resolving the name and with the proxy
// doing it) and an HTTP CONNECT proxy (tinyproxy), in plain FTP and
// explicit TLS (the certificate verified against the FTP server's name),
// against vsftpd and proftpd; and checks from the proxies' logs that the
// data connections went through them too.
func TestProxies(t *testing.T) {
	skipShort(t)
	t.Parallel()
	px := startProxies(t)
	type cell struct {
		kind   realserver.Kind
		tls    realserver.TLSMode
		scheme string
	}
	var cells []cell
	for _, tls := range cliTLS {
		for _, scheme := range []string{"socks5", "socks5h", "http"} {
			if tls == realserver.TLSNone || scheme != "socks5" {
				cells = append(cells, cell{realserver.Vsftpd, tls, scheme})
			}
		}
	}
	cells = append(cells, cell{realserver.ProFTPD, realserver.TLSNone, "http"}, cell{realserver.ProFTPD, realserver.TLSExplicit, "socks5"})
	servers := startServers(t, []realserver.Kind{realserver.Vsftpd, realserver.ProFTPD}, cliTLS)
	t.Run("group", func(t *testing.T) {
		for _, c := range cells {
			s := servers[string(c.kind)+"-"+c.tls.String()]
			t.Run(fmt.Sprintf("%s-%s-%s", c.kind, c.tls, c.scheme), func(t *testing.T) {
				t.Parallel()
				proxyCell(t, s, px, c.scheme)
			})
		}
	})
	// Every URL names localhost: socks5:// sent microsocks the address
	// ferry resolved, socks5h:// the name.
	log, err := os.ReadFile(px.socks.Log)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(log), "connected to localhost:") || !strings.Contains(string(log), "connected to 127.0.0.1:") {
		t.Errorf("microsocks was not given both the name (socks5h) and the address (socks5):\n%s", lastLines(string(log), 20))
	}
}

// lastLines returns the last n lines of s.
func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

// startServers starts every kind in every TLS mode at once, keyed
// "kind-mode", and stops them when t ends. A server that cannot start
// skips t, or fails it under FERRY_INTEROP=required.
func startServers(t *testing.T, kinds []realserver.Kind, modes []realserver.TLSMode) map[string]*realserver.Server {
	t.Helper()
	var mu sync.Mutex
	var wg sync.WaitGroup
	servers := map[string]*realserver.Server{}
	var first error
	for _, kind := range kinds {
		for _, mode := range modes {
			wg.Add(1)
			go func() {
				defer wg.Done()
				s, err := realserver.Launch(t.Context(), kind, realserver.Options{TLS: mode})
				mu.Lock()
				defer mu.Unlock()
				if err != nil {
					first = cmp.Or(first, err)
					return
				}
				servers[string(kind)+"-"+mode.String()] = s
			}()
		}
	}
	wg.Wait()
	t.Cleanup(func() {
		for _, s := range servers {
			if err := s.Stop(); err != nil {
				t.Errorf("stop %s: %v", s.Kind, err)
			}
		}
	})
	switch {
	case first == nil:
	case realserver.Required():
		t.Fatalf("%v\n(FERRY_INTEROP=required, so this fails instead of skipping)", first)
	default:
		t.Skipf("%v\n%s", first, realserver.InstallHint)
	}
	for _, s := range servers {
		if s.Options.TLS != realserver.TLSNone {
			if err := trustRunCert(s); err != nil {
				t.Fatal(err)
			}
		}
	}
	return servers
}

// proxyCell runs the commands of one cell of TestProxies.
func proxyCell(t *testing.T, s *realserver.Server, px proxies, scheme string) {
	r := newProxyRun(t)
	p := px.socks
	if scheme == "http" {
		p = px.http
	}
	controlBefore, dataBefore := tunnelsTo(t, p, s)
	base := proxiedURL(s)
	dir := "proxy-" + scheme
	local := t.TempDir()
	tree := filepath.Join(local, "tree")
	want := map[string][]byte{"a.txt": []byte("through the proxy\n"), "sub/b.bin": make([]byte, 300_000)}
	rand.Read(want["sub/b.bin"])
	for name, data := range want {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(tree, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := writeFile(filepath.Join(tree, name), data); err != nil {
			t.Fatal(err)
		}
	}
	via := []string{"--proxy", px.url(scheme)}
	run := func(args ...string) string {
		t.Helper()
		stdout, _ := r.expect(ops.ExitOK, append(slices.Clone(via), args...)...)
		return stdout
	}
	run("put", "-r", tree, base+dir+"/")
	for name, data := range want {
		if err := sameFile(onDisk(s, dir+"/tree/"+name), data); err != nil {
			t.Errorf("put -r: %s: %v", name, err)
		}
	}
	if out := run("ls", base+dir+"/tree/"); !strings.Contains(out, "a.txt") || !strings.Contains(out, "sub") {
		t.Errorf("ls: %q", out)
	}
	run("get", "-o", filepath.Join(local, "b.bin"), base+dir+"/tree/sub/b.bin")
	if err := sameFile(filepath.Join(local, "b.bin"), want["sub/b.bin"]); err != nil {
		t.Errorf("get: %v", err)
	}
	mirror := filepath.Join(local, "mirror")
	run("mirror", base+dir+"/tree", mirror)
	for name, data := range want {
		if err := sameFile(filepath.Join(mirror, filepath.FromSlash(name)), data); err != nil {
			t.Errorf("mirror: %s: %v", name, err)
		}
	}
	// The proxy's log shows the tunnels: one per control connection,
	// and the data connections (each listing and file) too.
	control, data := tunnelsTo(t, p, s)
	control, data = control-controlBefore, data-dataBefore
	if control < 4 || data < 6 {
		t.Errorf("%s logged %d tunnels to the control port and %d to passive ports, want at least 4 and 6", p.Kind, control, data)
	}
}

// TestProxyChoice runs ferry against vsftpd with proxies from the
// environment, NO_PROXY, a dead proxy, wrong passwords and active mode.
func TestProxyChoice(t *testing.T) {
	skipShort(t)
	t.Parallel()
	px := startProxies(t)
	s := realserver.StartOrSkip(t, realserver.Vsftpd, realserver.Options{})
	base := proxiedURL(s)
	file := "proxy-choice.txt"
	if err := os.WriteFile(onDisk(s, file), []byte("choice\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := s.Chown(onDisk(s, file)); err != nil {
		t.Fatal(err)
	}
	wrongSOCKS := "socks5h://" + proxyUser + ":wrong" + secretMarker + "@" + px.socks.Addr
	wrongHTTP := "http://" + proxyUser + ":wrong" + secretMarker + "@" + px.http.Addr
	dead := deadAddr(t)

	// The first two count tunnels, and run alone.
	t.Run("environment", func(t *testing.T) {
		r := newProxyRun(t)
		r.env["ALL_PROXY"] = px.url("socks5h")
		before, _ := tunnelsTo(t, px.socks, s)
		if out, _ := r.expect(ops.ExitOK, "cat", base+file); out != "choice\n" {
			t.Errorf("cat through ALL_PROXY: %q", out)
		}
		// ftp_proxy comes before all_proxy, which is now a dead proxy.
		r.env["ALL_PROXY"] = "socks5://" + dead
		r.env["ftp_proxy"] = px.url("http")
		beforeHTTP, _ := tunnelsTo(t, px.http, s)
		r.expect(ops.ExitOK, "cat", base+file)
		if after, _ := tunnelsTo(t, px.socks, s); after != before+1 {
			t.Errorf("ALL_PROXY: %d tunnels, want 1", after-before)
		}
		if after, _ := tunnelsTo(t, px.http, s); after != beforeHTTP+1 {
			t.Errorf("ftp_proxy: %d tunnels, want 1", after-beforeHTTP)
		}
	})
	t.Run("NO_PROXY", func(t *testing.T) {
		// A proxy that would fail (wrong password): NO_PROXY's hosts are
		// reached directly, the others are not reached at all.
		r := newProxyRun(t)
		r.env["all_proxy"] = wrongSOCKS
		r.env["no_proxy"] = "example.org, .localhost,127.0.0.0/8"
		before, _ := tunnelsTo(t, px.socks, s)
		r.expect(ops.ExitOK, "cat", base+file)
		r.expect(ops.ExitOK, "cat", strings.Replace(base, "localhost", "127.0.0.1", 1)+file)
		r.env["no_proxy"] = "example.org"
		_, stderr := r.expect(ops.ExitConnection, "cat", base+file)
		if !strings.Contains(stderr, "proxy socks5h://"+px.socks.Addr+": the proxy refused the user name and password") {
			t.Errorf("stderr %q", stderr)
		}
		r.expect(ops.ExitOK, "--noproxy", "*", "cat", base+file)
		r.expect(ops.ExitOK, "--proxy", "", "cat", base+file)
		if after, _ := tunnelsTo(t, px.socks, s); after != before {
			t.Errorf("%d tunnels opened, want none", after-before)
		}
	})
	t.Run("failures", func(t *testing.T) {
		t.Parallel()
		r := newProxyRun(t)
		for _, tt := range []struct {
			proxy string
			code  int
			want  string
		}{
			{"socks5h://" + proxyUser + ":" + secretMarker + "@" + dead, ops.ExitConnection, "proxy socks5h://" + dead + ": cannot connect"},
			{"http://" + dead, ops.ExitConnection, "proxy http://" + dead + ": cannot connect"},
			{wrongSOCKS, ops.ExitConnection, "proxy socks5h://" + px.socks.Addr + ": the proxy refused the user name and password"},
			{wrongHTTP, ops.ExitConnection, "proxy http://" + px.http.Addr + ": the proxy refused the user name and password"},
			{"socks5h://" + px.socks.Addr, ops.ExitConnection, "needs authentication"},
		} {
			// Default retries: a proxy's refusal is not retried.
			start := time.Now()
			_, stderr := r.expect(tt.code, "--proxy", tt.proxy, "cat", base+file)
			if !strings.Contains(stderr, tt.want) {
				t.Errorf("--proxy %s: stderr %q, want %q", redact([]string{tt.proxy})[0], stderr, tt.want)
			}
			if took := time.Since(start); took > 5*time.Second {
				t.Errorf("--proxy %s: took %v: retried", redact([]string{tt.proxy})[0], took)
			}
		}
		_, stderr := r.expect(ops.ExitUsage, "--active", "--proxy", px.url("socks5"), "cat", base+file)
		if !strings.Contains(stderr, "--active does not work through a proxy (--proxy socks5://"+px.socks.Addr+")") {
			t.Errorf("active: %q", stderr)
		}
	})
	t.Run("verbose", func(t *testing.T) {
		t.Parallel()
		r := newProxyRun(t)
		for _, scheme := range []string{"socks5", "http"} {
			r.env["ALL_PROXY"] = px.url(scheme)
			_, stderr := r.expect(ops.ExitOK, "-v", "--json", "stat", base+file)
			if !strings.Contains(stderr, "(from ALL_PROXY)") || !strings.Contains(stderr, ":****@") {
				t.Errorf("-v with %s: %q", scheme, stderr)
			}
		}
	})
}

// deadAddr returns a loopback address where nothing listens.
func deadAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// TestNoopDuringTransfers downloads a file slowly with NOOPs every 100 ms
// from vsftpd (which answers them after the transfer's 226), proftpd (some
// before it) and pure-ftpd (which refuses them during the transfer, and
// drops some), two files on one connection, byte-identical, the replies
// matched so that the second transfer and QUIT read their own; and, through
// tinyproxy closing tunnels idle for 2 s, a 3 s download that fails
// without NOOPs and works with them.
func TestNoopDuringTransfers(t *testing.T) {
	skipShort(t)
	t.Parallel()
	data := make([]byte, 1_200_000)
	rand.Read(data)
	for _, kind := range []realserver.Kind{realserver.Vsftpd, realserver.ProFTPD, realserver.PureFTPd} {
		t.Run(string(kind), func(t *testing.T) {
			t.Parallel()
			s := realserver.StartOrSkip(t, kind, realserver.Options{})
			for _, name := range []string{"n1.bin", "n2.bin"} {
				if err := os.WriteFile(onDisk(s, name), data, 0o644); err != nil {
					t.Fatal(err)
				}
				if err := s.Chown(onDisk(s, name)); err != nil {
					t.Fatal(err)
				}
			}
			r := newProxyRun(t)
			local := t.TempDir()
			base := strings.Replace(proxiedURL(s), "localhost", "127.0.0.1", 1)
			check := func(what, stderr string) {
				t.Helper()
				if n := strings.Count(stderr, "> NOOP\n"); n < 3 {
					t.Errorf("%s: %d NOOPs sent, want at least 3:\n%s", what, n, stderr)
				}
				// Both files' final replies were read as theirs (QUIT's
				// reply is not waited for, so it proves nothing).
				if n := strings.Count(stderr, "< 226"); n < 2 {
					t.Errorf("%s: %d final replies (226) read, want 2:\n%s", what, n, stderr)
				}
				t.Logf("%s: %d NOOPs; stopped: %v", what, strings.Count(stderr, "> NOOP\n"), strings.Contains(stderr, "no more NOOPs during transfers"))
			}
			// Downloads: the server has written the data into the socket
			// buffers long before the slow reader is done, so the NOOPs
			// reach it after the transfer (pure-ftpd then answers 200).
			_, stderr := r.expect(ops.ExitOK, "-v", "--retries", "0", "--noop-interval", "100ms", "get", "--parallel", "1",
				"--limit-rate", "2M", "-o", local+"/", base+"n1.bin", base+"n2.bin")
			for _, name := range []string{"n1.bin", "n2.bin"} {
				if err := sameFile(filepath.Join(local, name), data); err != nil {
					t.Errorf("get %s: %v", name, err)
				}
			}
			check("get", stderr)
			// Uploads: the server is in the transfer while the NOOPs come.
			r.expect(ops.ExitOK, "mkdir", base+"up")
			_, stderr = r.expect(ops.ExitOK, "-v", "--retries", "0", "--noop-interval", "100ms", "put", "--parallel", "1",
				"--limit-rate", "2M", filepath.Join(local, "n1.bin"), filepath.Join(local, "n2.bin"), base+"up/")
			for _, name := range []string{"n1.bin", "n2.bin"} {
				if err := sameFile(onDisk(s, "up/"+name), data); err != nil {
					t.Errorf("put %s: %v", name, err)
				}
			}
			check("put", stderr)
			if kind == realserver.PureFTPd && !strings.Contains(stderr, "no more NOOPs during transfers") {
				t.Errorf("pure-ftpd refuses NOOPs during uploads, and ferry went on sending them:\n%s", stderr)
			}
		})
	}
	t.Run("idle proxy", func(t *testing.T) {
		// An upload: the server's final reply comes only once the data
		// has all arrived, so the control connection is idle throughout.
		t.Parallel()
		s := realserver.StartOrSkip(t, realserver.Vsftpd, realserver.Options{})
		local := filepath.Join(t.TempDir(), "slow.bin")
		big := bytes.Repeat(data, 3)
		if err := os.WriteFile(local, big, 0o644); err != nil {
			t.Fatal(err)
		}
		idle := realserver.StartProxyOrSkip(t, realserver.Tinyproxy, realserver.ProxyOptions{IdleTimeout: 2 * time.Second})
		r := newProxyRun(t)
		var wg sync.WaitGroup
		var without struct {
			code   int
			stderr string
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			without.code, _, without.stderr = r.ferry("--proxy", idle.URL("http"), "--retries", "0", "put", "--limit-rate", "1200K", local, proxiedURL(s)+"without.bin")
		}()
		r.expect(ops.ExitOK, "--proxy", idle.URL("http"), "--retries", "0", "--noop-interval", "500ms", "put", "--limit-rate", "1200K", local, proxiedURL(s)+"with.bin")
		wg.Wait()
		if err := sameFile(onDisk(s, "with.bin"), big); err != nil {
			t.Error(err)
		}
		if without.code != ops.ExitConnection {
			t.Errorf("without NOOPs: exit %d, want %d (the proxy closed the idle control connection)\n%s", without.code, ops.ExitConnection, without.stderr)
		}
	})
}
