package shell

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ferry-ftp/ferry/internal/ftptest"
	"github.com/ferry-ftp/ferry/internal/ftpurl"
	"github.com/ferry-ftp/ferry/internal/testsupport"
)

func TestOpenCloseUser(t *testing.T) {
	var saved []string
	h := startHarness(t, ftptest.Config{Users: map[string]string{"user": "pass", "bob": "secret"}}, false, func(c *Config) {
		c.Bookmarks = func() ([]Bookmark, error) { return []Bookmark{{Name: "here", URL: "ftp://x/"}}, nil }
		c.SaveBookmark = func(name string, t ftpurl.Target, _ string) error {
			saved = append(saved, name+" "+t.String())
			return nil
		}
	})
	h.write("pub/f.txt", "f")
	if got := h.prompt(); got != "ftp> " {
		t.Fatalf("prompt before open %q", got)
	}
	if _, errOut := h.run("ls"); !strings.Contains(errOut, "not connected") {
		t.Errorf("ls before open: %q", errOut)
	}
	_, errOut := h.run("open " + h.url + "pub")
	if !strings.Contains(errOut, "Connected to 127.0.0.1 as user.") {
		t.Errorf("open: %q", errOut)
	}
	if got := h.prompt(); got != "ftp 127.0.0.1:/pub> " {
		t.Errorf("after open the prompt is %q", got)
	}
	if out := h.runOK("bookmark"); out != "here  ftp://x/\n" {
		t.Errorf("bookmark printed %q", out)
	}
	h.runOK("bookmark mine")
	if len(saved) != 1 || !strings.HasPrefix(saved[0], "mine ftp://user@127.0.0.1:") || strings.Contains(saved[0], "pass") ||
		!strings.HasSuffix(saved[0], "//pub") {
		t.Errorf("bookmark saved %q", saved)
	}
	if _, errOut := h.run("bookmark 9bad"); !strings.Contains(errOut, "bookmark name") {
		t.Errorf("bookmark 9bad: %q", errOut)
	}

	// Without a password, the shell asks for it without echoing it.
	h.typeKeys("user bob\n")
	h.waitReady()
	waitFor(t, "the password prompt", func() bool { return strings.Contains(h.screen.String(), "Password for bob: ") })
	h.run("secret")
	if strings.Contains(h.screen.String(), "secret") {
		t.Errorf("the password was echoed: %q", h.screen.String())
	}
	if out := h.runOK("status"); !strings.Contains(out, "as bob.") {
		t.Errorf("status after user bob: %q", out)
	}
	h.runOK("user user pass")
	h.runOK("user bob secret")
	if out := h.runOK("status"); !strings.Contains(out, "as bob.") {
		t.Errorf("status after user: %q", out)
	}
	if _, errOut := h.run("user bob wrong"); !strings.Contains(errOut, "530") {
		t.Errorf("user with a wrong password: %q", errOut)
	}
	h.runOK("close")
	if got := h.prompt(); got != "ftp> " {
		t.Errorf("after close the prompt is %q", got)
	}
	if _, errOut := h.run("close"); !strings.Contains(errOut, "not connected") {
		t.Errorf("close twice: %q", errOut)
	}
	if _, errOut := h.run("open ftp://user:pass@127.0.0.1:1/"); !strings.Contains(errOut, "ferry:") {
		t.Errorf("open of a closed port: %q", errOut)
	}
	if s := h.sh.openAddress([]string{"here"}); s != "here:" {
		t.Errorf("open here resolves to %q", s)
	}
	if s := h.sh.openAddress([]string{"example.org", "2121"}); s != "ftp://example.org:2121" {
		t.Errorf("open example.org 2121 resolves to %q", s)
	}
	for in, want := range map[string]string{
		"example.org":         "ftp://example.org",
		"example.org:2121":    "ftp://example.org:2121",
		"here:/pub":           "here:/pub",
		"nosuch:":             "nosuch:",
		"ftps://example.org/": "ftps://example.org/",
	} {
		if got := h.sh.openAddress([]string{in}); got != want {
			t.Errorf("open %s resolves to %q, want %q", in, got, want)
		}
	}
	// A QUIT ended each session (QUIT's reply is not waited for).
	if !h.srv.WaitSessions(10 * time.Second) {
		t.Error("sessions still open")
	}
	for n := 1; n <= h.srv.Sessions(); n++ {
		cmds := h.srv.SessionCommands(n)
		if slices.Contains(cmds, "PASS wrong") {
			continue // a refused login
		}
		if len(cmds) > 0 && cmds[len(cmds)-1] != "QUIT" {
			t.Errorf("session %d ended with %q", n, cmds[len(cmds)-1])
		}
	}
}

func TestTypeAndMode(t *testing.T) {
	h := newHarness(t, ftptest.Config{})
	h.write("f.txt", "a\nb\n")
	h.runOK("ascii")
	if !h.sent("TYPE A") {
		t.Fatal("ascii sent no TYPE A")
	}
	h.runOK("binary")
	h.mustSend("TYPE A", "TYPE I")

	h.write("pub/x", "x")
	h.runOK("cd pub")
	h.runOK("active")
	h.runOK("ls")
	conns := h.srv.DataConns()
	if conns[len(conns)-1].Passive {
		t.Error("active mode made a passive data connection")
	}
	if out := h.runOK("status"); !strings.Contains(out, "Mode: active") {
		t.Errorf("status in active mode: %q", out)
	}
	h.runOK("passive")
	h.runOK("ls")
	conns = h.srv.DataConns()
	if !conns[len(conns)-1].Passive {
		t.Error("passive mode made an active data connection")
	}
	h.mustSend("EPRT *", "MLSD", "EPSV", "MLSD")
	if got := h.prompt(); got != "ftp 127.0.0.1:/pub> " {
		t.Errorf("after switching modes the prompt is %q", got)
	}
}

func TestVerboseAndPrompt(t *testing.T) {
	h := newHarness(t, ftptest.Config{})
	h.runOK("verbose")
	if _, errOut := h.run("pwd"); !strings.Contains(errOut, "> PWD") || !strings.Contains(errOut, "< 257") {
		t.Errorf("verbose pwd: %q", errOut)
	}
	h.runOK("user user pass")
	if _, errOut := h.run("pwd"); strings.Contains(errOut, "PASS pass") {
		t.Errorf("the trace shows the password: %q", errOut)
	}
	h.runOK("verbose")
	if _, errOut := h.run("pwd"); strings.Contains(errOut, "PWD") {
		t.Errorf("quiet pwd: %q", errOut)
	}
	out := h.runOK("status")
	if !strings.Contains(out, "verbose: off; prompt: on") {
		t.Errorf("status: %q", out)
	}
	h.runOK("prompt")
	if out := h.runOK("status"); !strings.Contains(out, "prompt: off") {
		t.Errorf("status after prompt: %q", out)
	}
}

// TestReconnectAfterDrop has the server drop the session (421 and close)
// on the next command: the shell reconnects, logs in, returns to the
// folder, says so in one line, and the command succeeds.
func TestReconnectAfterDrop(t *testing.T) {
	var drop atomic.Bool
	h := newHarness(t, ftptest.Config{Hook: func(c ftptest.Command) *ftptest.Reply {
		if drop.Load() && c.Verb != "QUIT" {
			drop.Store(false)
			return &ftptest.Reply{Code: 421, Text: "Timeout: closing control connection."}
		}
		return nil
	}})
	h.write("pub/a.txt", "a")
	h.runOK("cd pub")
	h.runOK("ascii")
	h.runOK("active")
	before := h.srv.Sessions()
	h.writeLocal("a.txt", "local")
	drop.Store(true)
	if _, errOut := h.run("get a.txt"); strings.Contains(errOut, "ferry:") || testsupport.ReadFile(filepath.Join(h.local, "a.txt")) != "a" {
		t.Errorf("get after the drop: %q", errOut)
	}
	drop.Store(true)
	out, errOut := h.run("ls")
	if out != "a.txt\n" {
		t.Errorf("ls after the drop printed %q (stderr %q)", out, errOut)
	}
	if n := strings.Count(errOut, "\n"); n != 1 || !strings.Contains(errOut, "reconnected to 127.0.0.1:") ||
		!strings.Contains(errOut, "back in /pub") {
		t.Errorf("stderr after the drop: %q", errOut)
	}
	n := h.srv.Sessions()
	if n != before+2 {
		t.Fatalf("%d sessions after two drops, want %d", n, before+2)
	}
	second := strings.Join(h.srv.SessionCommands(n), "|")
	for _, want := range []string{"USER user", "CWD /pub", "TYPE A", "EPRT |1|127.0.0.1|", "MLSD"} {
		if !strings.Contains(second, want) {
			t.Errorf("second session sent %q, want %q in it", second, want)
		}
	}
	if got := h.prompt(); got != "ftp 127.0.0.1:/pub> " {
		t.Errorf("prompt after reconnecting: %q", got)
	}
}

// TestNoRepeatOfUnsafeCommands checks that a command that is not safe to
// repeat fails when the server drops the session, and that the next one
// reconnects.
func TestNoRepeatOfUnsafeCommands(t *testing.T) {
	var drop atomic.Bool
	h := newHarness(t, ftptest.Config{Hook: func(c ftptest.Command) *ftptest.Reply {
		if drop.Load() && c.Verb == "RNFR" {
			drop.Store(false)
			return &ftptest.Reply{Code: 421, Text: "Going away."}
		}
		return nil
	}})
	h.write("a.txt", "a")
	drop.Store(true)
	if _, errOut := h.run("rename a.txt b.txt"); !strings.Contains(errOut, "421") {
		t.Errorf("rename during the drop: %q", errOut)
	}
	_, errOut := h.run("rename a.txt b.txt")
	if !strings.Contains(errOut, "reconnected") || strings.Contains(errOut, "ferry:") {
		t.Errorf("rename after the drop: %q", errOut)
	}
}

// TestReconnectAfterIdleDrop has the server end the idle session, with a
// 421 first and with a bare close, before commands that are not safe to
// repeat: the shell notices without sending them, reconnects, returns to
// the folder and runs them once.
func TestReconnectAfterIdleDrop(t *testing.T) {
	for _, text := range []string{"Timeout.", ""} {
		h := newHarness(t, ftptest.Config{})
		h.write("pub/a.txt", "a")
		h.write("pub/b.txt", "b")
		h.runOK("cd pub")
		if n := h.srv.DropSessions(text); n != 1 {
			t.Fatalf("dropped %d sessions", n)
		}
		_, errOut := h.run("mkdir new")
		if !strings.Contains(errOut, "reconnected") || !strings.Contains(errOut, "back in /pub") || strings.Contains(errOut, "ferry:") {
			t.Errorf("mkdir after the drop (%q): %q", text, errOut)
		}
		if fi, err := os.Stat(filepath.Join(h.srv.Root(), "pub", "new")); err != nil || !fi.IsDir() {
			t.Errorf("mkdir after the drop made nothing: %v", err)
		}
		if n := countLines(h.srv.Commands(), "MKD /pub/new"); n != 1 {
			t.Errorf("MKD sent %d times", n)
		}
		h.srv.DropSessions(text)
		h.runOK("prompt")
		if _, errOut := h.run("mget *.txt"); !strings.Contains(errOut, "2 file(s), ") {
			t.Errorf("mget after the drop (%q): %q", text, errOut)
		}
	}
}

func countLines(lines []string, want string) int {
	n := 0
	for _, l := range lines {
		if l == want {
			n++
		}
	}
	return n
}
