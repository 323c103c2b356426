package client

import (
	"context"
	"crypto/tls"
	"io"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ferry-ftp/ferry/internal/ftptest"
	"github.com/ferry-ftp/ferry/internal/testsupport"
)

// testTimeout bounds every test's context; a hang fails instead of
// blocking the suite.
const testTimeout = 30 * time.Second

func testCtx(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	t.Cleanup(cancel)
	return ctx
}

// tlsOpts returns the options that make a client trust srv's certificate
// in the given mode.
func tlsOpts(srv *ftptest.Server, mode TLSMode) []Option {
	if mode == TLSNone {
		return nil
	}
	return []Option{WithTLS(mode), WithTLSConfig(&tls.Config{RootCAs: srv.CertPool()})}
}

// dialLogin connects to srv and logs in as user/pass.
func dialLogin(t *testing.T, srv *ftptest.Server, opts ...Option) *Conn {
	t.Helper()
	c := dialOnly(t, srv, opts...)
	if err := c.Login(testCtx(t), "user", "pass"); err != nil {
		t.Fatalf("Login: %v", err)
	}
	return c
}

func dialOnly(t *testing.T, srv *ftptest.Server, opts ...Option) *Conn {
	t.Helper()
	c, err := Dial(testCtx(t), srv.Addr(), opts...)
	if err != nil {
		t.Fatalf("Dial: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// setTimeouts changes the connect and idle timeouts of a connection that
// is already logged in, so that short timeouts apply to the fault a test
// drives and not to the login, which a busy machine may slow down.
func setTimeouts(c *Conn, connect, idle time.Duration) {
	if connect > 0 {
		c.opts.connectTimeout = connect
	}
	if idle > 0 {
		c.opts.idleTimeout = idle
	}
}

// writeFile creates a file under the server's root.
func writeFile(t *testing.T, srv *ftptest.Server, name string, data []byte) {
	t.Helper()
	testsupport.WriteFile(t, filepath.Join(srv.Root(), filepath.FromSlash(name)), string(data))
}

func readFile(t *testing.T, srv *ftptest.Server, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(srv.Root(), filepath.FromSlash(name)))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// get downloads path whole.
func get(t *testing.T, c *Conn, path string, offset int64) []byte {
	t.Helper()
	rc, err := c.Retr(testCtx(t), path, offset)
	if err != nil {
		t.Fatalf("Retr %s: %v", path, err)
	}
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatalf("reading %s: %v", path, err)
	}
	if err := rc.Close(); err != nil {
		t.Fatalf("closing %s: %v", path, err)
	}
	return b
}

// put uploads data to path with STOR (or APPE when appe is set).
func put(t *testing.T, c *Conn, path string, offset int64, data []byte, appe bool) {
	t.Helper()
	var wc io.WriteCloser
	var err error
	if appe {
		wc, err = c.Appe(testCtx(t), path)
	} else {
		wc, err = c.Stor(testCtx(t), path, offset)
	}
	if err != nil {
		t.Fatalf("upload %s: %v", path, err)
	}
	if _, err := wc.Write(data); err != nil {
		t.Fatalf("writing %s: %v", path, err)
	}
	if err := wc.Close(); err != nil {
		t.Fatalf("closing upload %s: %v", path, err)
	}
}

// waitEnded waits until every session of srv has ended: Quit does not
// wait for the server's reply, so the server may not have read QUIT yet
// when it returns.
func waitEnded(t *testing.T, srv *ftptest.Server) {
	t.Helper()
	if !srv.WaitSessions(testTimeout) {
		t.Fatal("the server's sessions did not end")
	}
}

// matchCommands compares the commands a server received with want, in
// which an entry may end in "*" to match any rest of the line.
func matchCommands(t *testing.T, got, want []string) {
	t.Helper()
	ok := len(got) == len(want)
	for i := 0; ok && i < len(want); i++ {
		w := want[i]
		if strings.HasSuffix(w, "*") {
			ok = strings.HasPrefix(got[i], strings.TrimSuffix(w, "*"))
		} else {
			ok = got[i] == w
		}
	}
	if !ok {
		t.Errorf("command sequence differs\ngot:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

// recordingDialer records the addresses it dials.
type recordingDialer struct {
	d     net.Dialer
	mu    sync.Mutex
	addrs []string
}

func (r *recordingDialer) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	r.mu.Lock()
	r.addrs = append(r.addrs, addr)
	r.mu.Unlock()
	return r.d.DialContext(ctx, network, addr)
}

func (r *recordingDialer) dialed() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.addrs...)
}

var portArg = regexp.MustCompile(`^\d+,\d+,\d+,\d+,\d+,\d+$`)
