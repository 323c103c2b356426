package cmd_test

import (
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/creack/pty"

	"github.com/ferry-ftp/ferry/internal/ftptest"
	"github.com/ferry-ftp/ferry/internal/testsupport"
)

// ptyWait bounds each wait for the shell's output.
const ptyWait = 20 * time.Second

// terminal is the controlling side of a pty that runs ferry, with what
// ferry has written to it so far.
type terminal struct {
	t    *testing.T
	pty  *os.File
	mu   sync.Mutex
	seen bytes.Buffer
	mark int // expect matches after this offset
}

// startTerminal runs the binary with args on a new pty in dir.
func startTerminal(t *testing.T, bin, dir string, env []string, args ...string) (*terminal, *exec.Cmd) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	cmd.Env = env
	f, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 40, Cols: 160})
	if err != nil {
		t.Skipf("no pty: %v", err)
	}
	term := &terminal{t: t, pty: f}
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := f.Read(buf)
			term.mu.Lock()
			term.seen.Write(buf[:n])
			term.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	t.Cleanup(func() {
		cmd.Process.Kill()
		f.Close()
	})
	return term, cmd
}

// send types keys.
func (tm *terminal) send(keys string) {
	tm.t.Helper()
	if _, err := io.WriteString(tm.pty, keys); err != nil {
		tm.t.Fatal(err)
	}
}

// expect waits until the output written since the last match matches re,
// and returns the match; it fails the test when the deadline passes.
func (tm *terminal) expect(re string) string {
	tm.t.Helper()
	rx := regexp.MustCompile(re)
	deadline := time.Now().Add(ptyWait)
	for {
		tm.mu.Lock()
		out := tm.seen.String()
		loc := rx.FindStringIndex(out[tm.mark:])
		if loc != nil {
			m := out[tm.mark+loc[0] : tm.mark+loc[1]]
			tm.mark += loc[1]
			tm.mu.Unlock()
			return m
		}
		tm.mu.Unlock()
		if time.Now().After(deadline) {
			tm.t.Fatalf("timed out waiting for %q; the terminal shows after the last match:\n%q", re, out[tm.mark:])
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestShellOnTerminal drives `ferry shell` on a pty: tab completion of a
// remote path, history recall with the up arrow, Ctrl-C aborting a
// transfer while the session lives on, and reconnection after the server
// drops the idle session.
func TestShellOnTerminal(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary on a pty")
	}
	const pauseAt = 300_000
	var paused, drop atomic.Bool
	srv := ftptest.New(t, ftptest.Config{Hook: func(c ftptest.Command) *ftptest.Reply {
		switch {
		case drop.Load() && c.Verb != "QUIT":
			drop.Store(false)
			return &ftptest.Reply{Code: 421, Text: "Timeout: closing control connection."}
		case c.Verb == "RETR" && !paused.Load():
			paused.Store(true)
			return &ftptest.Reply{Transfer: &ftptest.Transfer{Pause: true, PauseAfter: pauseAt}}
		}
		return nil
	}})
	data := bytes.Repeat([]byte("0123456789abcdef"), 100_000)
	testsupport.WriteFile(t, filepath.Join(srv.Root(), "pub", "big.bin"), string(data))
	dir := t.TempDir()
	home := t.TempDir()
	env := append(os.Environ(), "HOME="+home, "XDG_STATE_HOME="+filepath.Join(home, "state"),
		"XDG_CONFIG_HOME="+filepath.Join(home, "config"), "TERM=xterm", "FERRY_PASSWORD=")
	tm, cmd := startTerminal(t, ferryBinary(t), dir, env, "shell", "ftp://user:pass@"+srv.Addr()+"/")
	tm.expect(`ftp 127\.0\.0\.1:/> `)

	// Tab completes the remote folder name.
	tm.send("cd pu\t")
	tm.expect(`cd pub/`)
	tm.send("\r")
	tm.expect(`ftp 127\.0\.0\.1:/pub> `)

	// The up arrow recalls the last line.
	tm.send("size big.bin\r")
	tm.expect(`\r\n1600000\r\n`)
	tm.expect(`ftp 127\.0\.0\.1:/pub> `)
	tm.send("\x1b[A")
	tm.expect(`size big\.bin`)
	tm.send("\r")
	tm.expect(`\r\n1600000\r\n`)
	tm.expect(`ftp 127\.0\.0\.1:/pub> `)

	// Ctrl-C stops the held download; the partial file stays and the
	// session goes on.
	partName := downloadTemp(t, srv, "/pub/big.bin", "big.bin")
	part := filepath.Join(dir, partName)
	tm.send("get big.bin\r")
	deadline := time.Now().Add(ptyWait)
	for {
		fi, err := os.Stat(part)
		if err == nil && fi.Size() == pauseAt {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the part file never reached %d bytes (%v)", pauseAt, err)
		}
		time.Sleep(10 * time.Millisecond)
	}
	tm.send("\x03")
	tm.expect(`ferry: interrupted; ` + regexp.QuoteMeta(partName) + ` keeps 300000 bytes: get -c \(reget in the shell\) resumes it`)
	tm.expect(`ftp 127\.0\.0\.1:/pub> `)
	if fi, err := os.Stat(part); err != nil || fi.Size() != pauseAt {
		t.Fatalf("the partial file was not kept: %v", err)
	}
	tm.send("pwd\r")
	tm.expect(`\r\n/pub\r\n`)
	tm.expect(`ftp 127\.0\.0\.1:/pub> `)
	if srv.Sessions() != 1 {
		t.Errorf("%d sessions after Ctrl-C, want the first one still", srv.Sessions())
	}

	// The server drops the idle session at the next command: the
	// transfer is retried on a new connection in /pub, says so in one
	// line, and succeeds.
	drop.Store(true)
	tm.send("reget big.bin\r")
	if m := tm.expect(`(?s).*?421 Timeout: closing control connection\.; retrying in 1s`); strings.Contains(m, "ferry:") {
		t.Errorf("the drop was reported as an error: %q", m)
	}
	tm.expect(`1 file\(s\), .*, 1 retries`)
	tm.expect(`ftp 127\.0\.0\.1:/pub> `)
	if got, _ := os.ReadFile(filepath.Join(dir, "big.bin")); !bytes.Equal(got, data) {
		t.Errorf("reget gave %d bytes, want %d", len(got), len(data))
	}
	second := strings.Join(srv.SessionCommands(2), "|")
	if !strings.Contains(second, "CWD /pub") || !strings.Contains(second, "REST 300000") {
		t.Errorf("the second session sent %q", second)
	}

	// A password typed in the shell stays out of the history.
	tm.send("user user pass\r")
	tm.expect(`Logged in as user\.`)

	// open asks for the password on the terminal, without echo.
	tm.send("close\r")
	tm.expect(`ftp> `)
	tm.send("open ftp://user@" + srv.Addr() + "/pub\r")
	tm.expect(`Password for user@127\.0\.0\.1: `)
	tm.send("pass\r")
	if m := tm.expect(`(?s).*?ftp 127\.0\.0\.1:/pub> `); strings.Contains(m, "pass") {
		t.Errorf("the password was echoed: %q", m)
	}
	tm.send("bye\r")
	waitExit(t, cmd, 0)
	hist := filepath.Join(home, "state", "ferry", "history")
	b, err := os.ReadFile(hist)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), "pass") || !strings.Contains(string(b), "user user\n") {
		t.Errorf("history holds %q", b)
	}
	if fi, _ := os.Stat(hist); fi.Mode().Perm() != 0o600 {
		t.Errorf("history mode %v", fi.Mode().Perm())
	}
}

// waitExit waits for the process to end with the given code.
func waitExit(t *testing.T, cmd *exec.Cmd, want int) {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		got := 0
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			got = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Fatalf("exit code %d, want %d", got, want)
		}
	case <-time.After(ptyWait):
		t.Fatal("ferry did not exit")
	}
}

// TestShellBatchInterrupt sends SIGINT to a batch script during a
// download: the transfer stops, its partial file stays, the rest of the
// script does not run, and ferry exits 130.
func TestShellBatchInterrupt(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary")
	}
	const pauseAt = 300_000
	srv := ftptest.New(t, ftptest.Config{Hook: func(c ftptest.Command) *ftptest.Reply {
		if c.Verb == "RETR" {
			return &ftptest.Reply{Transfer: &ftptest.Transfer{Pause: true, PauseAfter: pauseAt}}
		}
		return nil
	}})
	data := bytes.Repeat([]byte("0123456789abcdef"), 100_000)
	if err := os.WriteFile(filepath.Join(srv.Root(), "big.bin"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	cmd := exec.Command(ferryBinary(t), "shell", "ftp://user:pass@"+srv.Addr()+"/", "-b", "-")
	cmd.Dir = dir
	cmd.Stdin = strings.NewReader("-get big.bin\nmkdir after\n")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	part := filepath.Join(dir, downloadTemp(t, srv, "big.bin", "big.bin"))
	deadline := time.Now().Add(ptyWait)
	for {
		fi, err := os.Stat(part)
		if err == nil && fi.Size() == pauseAt {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("the part file never reached %d bytes (%v)", pauseAt, err)
		}
		time.Sleep(10 * time.Millisecond)
	}
	cmd.Process.Signal(os.Interrupt)
	waitExit(t, cmd, 130)
	if !strings.Contains(stderr.String(), "ferry: interrupted") || strings.Contains(stderr.String(), "ftp> mkdir") {
		t.Errorf("stderr:\n%s", stderr.String())
	}
	if fi, err := os.Stat(part); err != nil || fi.Size() != pauseAt {
		t.Errorf("the partial file was not kept: %v", err)
	}
	if _, err := os.Stat(filepath.Join(srv.Root(), "after")); err == nil {
		t.Error("the script went on after the interrupt")
	}
}
