package shell

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chzyer/readline"

	"github.com/ferry-ftp/ferry/client"
	"github.com/ferry-ftp/ferry/internal/ftptest"
	"github.com/ferry-ftp/ferry/internal/ftpurl"
	"github.com/ferry-ftp/ferry/internal/testsupport"
	"github.com/ferry-ftp/ferry/transfer"
)

// waitLimit bounds every wait of the tests.
const waitLimit = 20 * time.Second

// testOpen is a Config.Open for tests: it reads the user and password
// from the URL, and resolves the bookmarks of the map it is given.
func testOpen(bookmarks map[string]string) func(context.Context, string, ...client.Option) (Connection, error) {
	return func(ctx context.Context, addr string, opts ...client.Option) (Connection, error) {
		t, err := ftpurl.Parse(addr)
		if err != nil {
			return Connection{}, err
		}
		if t.Bookmark != "" {
			u, ok := bookmarks[t.Bookmark]
			if !ok {
				return Connection{}, errors.New("no bookmark named " + t.Bookmark)
			}
			if t, err = ftpurl.Parse(u + t.Path); err != nil {
				return Connection{}, err
			}
		}
		site := transfer.Site{Addr: t.Addr(), User: t.User, Password: t.Password, Options: opts}
		sess, err := transfer.Open(ctx, site)
		if err != nil {
			return Connection{}, err
		}
		return Connection{Session: sess, Target: t}, nil
	}
}

// harness runs an interactive shell fed through readline's injectable
// configuration: a pipe for the keyboard, buffers for the screen, no raw
// mode. readline's Listener tells when the shell waits for a line.
type harness struct {
	t      *testing.T
	srv    *ftptest.Server
	sh     *Shell
	keys   *io.PipeWriter
	screen *testsupport.LockedBuffer // what readline draws
	out    *testsupport.LockedBuffer // the shell's stdout
	errOut *testsupport.LockedBuffer // the shell's stderr
	ready  chan struct{}
	sigs   chan os.Signal
	done   chan error
	local  string // the local folder
	url    string
}

// newHarness starts a server with cfg and a shell connected to it.
func newHarness(t *testing.T, cfg ftptest.Config, adjust ...func(*Config)) *harness {
	t.Helper()
	return startHarness(t, cfg, true, adjust...)
}

// startHarness starts a server with cfg and a shell, connected to the
// server when connect is set.
func startHarness(t *testing.T, cfg ftptest.Config, connect bool, adjust ...func(*Config)) *harness {
	t.Helper()
	srv := ftptest.New(t, cfg)
	h := &harness{
		t: t, srv: srv, screen: &testsupport.LockedBuffer{}, out: &testsupport.LockedBuffer{}, errOut: &testsupport.LockedBuffer{},
		ready: make(chan struct{}, 16), sigs: make(chan os.Signal, 1), done: make(chan error, 1),
		local: t.TempDir(), url: "ftp://user:pass@" + srv.Addr() + "/",
	}
	pr, pw := io.Pipe()
	h.keys = pw
	c := Config{
		Open:    testOpen(nil),
		Stdin:   pr,
		Stdout:  h.out,
		Stderr:  h.errOut,
		Signals: h.sigs,
		Dir:     h.local,
		Getenv:  func(k string) string { return map[string]string{"HOME": h.local, "SHELL": "/bin/sh"}[k] },
	}
	for _, a := range adjust {
		a(&c)
	}
	sh, err := New(c)
	if err != nil {
		t.Fatal(err)
	}
	sh.tune = func(rc *readline.Config) {
		rc.Stdout = h.screen
		rc.Stderr = h.screen
		rc.FuncIsTerminal = func() bool { return true }
		rc.FuncMakeRaw = func() error { return nil }
		rc.FuncExitRaw = func() error { return nil }
		rc.FuncGetWidth = func() int { return 200 }
		rc.FuncOnWidthChanged = func(func()) {}
		rc.Listener = readline.FuncListener(func(line []rune, _ int, key rune) ([]rune, int, bool) {
			if line == nil && key == 0 {
				h.ready <- struct{}{}
			}
			return nil, 0, false
		})
	}
	h.sh = sh
	addr := ""
	if connect {
		addr = h.url
	}
	go func() { h.done <- sh.Run(context.Background(), addr) }()
	t.Cleanup(func() {
		pw.Close()
		select {
		case <-h.done:
		case <-time.After(waitLimit):
			t.Error("the shell did not end")
		}
	})
	h.waitReady()
	return h
}

// waitReady waits until the shell asks for a line.
func (h *harness) waitReady() {
	h.t.Helper()
	select {
	case <-h.ready:
	case err := <-h.done:
		h.t.Fatalf("the shell ended: %v\nstderr:\n%s", err, h.errOut.String())
	case <-time.After(waitLimit):
		h.t.Fatalf("the shell never asked for a line\nscreen:\n%s\nstderr:\n%s", h.screen.String(), h.errOut.String())
	}
}

// typeKeys sends keys without waiting.
func (h *harness) typeKeys(keys string) {
	h.t.Helper()
	if _, err := io.WriteString(h.keys, keys); err != nil {
		h.t.Fatal(err)
	}
}

// run types a command line and waits for the next prompt; it returns
// what the command wrote to stdout and stderr.
func (h *harness) run(line string) (stdout, stderr string) {
	h.t.Helper()
	o, e := len(h.out.String()), len(h.errOut.String())
	h.typeKeys(line + "\n")
	h.waitReady()
	return h.out.String()[o:], h.errOut.String()[e:]
}

// runOK runs a command that must not fail.
func (h *harness) runOK(line string) string {
	h.t.Helper()
	out, errOut := h.run(line)
	if strings.Contains(errOut, "ferry:") {
		h.t.Fatalf("%s: %s", line, errOut)
	}
	return out
}

// prompt returns the prompt the shell shows now.
func (h *harness) prompt() string { return h.sh.prompt() }

// write creates a file under the served folder.
func (h *harness) write(name, content string) {
	h.t.Helper()
	testsupport.WriteFile(h.t, filepath.Join(h.srv.Root(), name), content)
}

// writeLocal creates a file under the local folder.
func (h *harness) writeLocal(name, content string) {
	h.t.Helper()
	testsupport.WriteFile(h.t, filepath.Join(h.local, name), content)
}

// sent reports whether the server received the command line cmd.
func (h *harness) sent(cmd string) bool {
	return slices.Contains(h.srv.Commands(), cmd)
}

// mustSend checks that the server received each command line, in order;
// a line ending in "*" matches any line that starts with what precedes it.
func (h *harness) mustSend(cmds ...string) {
	h.t.Helper()
	all := h.srv.Commands()
	i := 0
	for _, c := range all {
		if i == len(cmds) {
			break
		}
		want := cmds[i]
		if c == want || strings.HasSuffix(want, "*") && strings.HasPrefix(c, want[:len(want)-1]) {
			i++
		}
	}
	if i < len(cmds) {
		h.t.Fatalf("server did not receive %q in order; got %q", cmds[i:], all)
	}
}

// waitFor polls cond until it holds or the wait limit passes.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(waitLimit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
