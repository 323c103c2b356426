package cmd_test

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/ferry-ftp/ferry/internal/ftptest"
)

// TestProgressOnTerminal runs `ferry get` on a pty with the download
// held by the server part way: a progress bar with the file's name, the
// bytes so far, the rate and the time left is drawn on the terminal; Ctrl-C
// then ends ferry with exit code 130 and keeps the partial file.
func TestProgressOnTerminal(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary on a pty")
	}
	srv := ftptest.New(t, ftptest.Config{Hook: func(c ftptest.Command) *ftptest.Reply {
		if c.Verb == "RETR" {
			return &ftptest.Reply{Transfer: &ftptest.Transfer{Pause: true, PauseAfter: 1 << 20}}
		}
		return nil
	}})
	data := bytes.Repeat([]byte("0123456789abcdef"), 1<<18) // 4 MiB
	if err := os.WriteFile(filepath.Join(srv.Root(), "big.bin"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	dir, home := t.TempDir(), t.TempDir()
	env := append(os.Environ(), "HOME="+home, "XDG_CONFIG_HOME="+filepath.Join(home, "config"), "TERM=xterm", "FERRY_PASSWORD=")
	tm, cmd := startTerminal(t, ferryBinary(t), dir, env, "get", "ftp://user:pass@"+srv.Addr()+"/big.bin")
	tm.expect(`big\.bin.*1(\.0)? MiB.*4(\.0)? MiB`)
	tm.expect(`ETA`)
	tm.send("\x03")
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var err error
	select {
	case err = <-done:
	case <-time.After(ptyWait):
		t.Fatal("ferry did not end after Ctrl-C")
	}
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 130 {
		t.Fatalf("exit: %v, want code 130", err)
	}
	if fi, err := os.Stat(filepath.Join(dir, downloadTemp(t, srv, "big.bin", "big.bin"))); err != nil || fi.Size() == 0 {
		t.Errorf("the partial file is gone: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "big.bin")); !os.IsNotExist(err) {
		t.Errorf("big.bin exists after an interrupted get: %v", err)
	}
}

// TestPasswordPromptOnTerminal runs `ferry ls` for a user without a
// password on a pty: ferry asks for it without echoing what is typed, and
// logs in with it.
func TestPasswordPromptOnTerminal(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary on a pty")
	}
	srv := ftptest.New(t, ftptest.Config{Users: map[string]string{"alice": "s3cr3t-Pw"}})
	if err := os.WriteFile(filepath.Join(srv.Root(), "listed.txt"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	home := t.TempDir()
	env := append(os.Environ(), "HOME="+home, "XDG_CONFIG_HOME="+filepath.Join(home, "config"), "TERM=xterm", "FERRY_PASSWORD=")
	tm, cmd := startTerminal(t, ferryBinary(t), t.TempDir(), env, "ls", "ftp://alice@"+srv.Addr()+"/")
	tm.expect(`Password for alice@127\.0\.0\.1: `)
	tm.send("s3cr3t-Pw\r")
	tm.expect(`listed\.txt`)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("ferry ls: %v", err)
	}
	tm.mu.Lock()
	seen := tm.seen.String()
	tm.mu.Unlock()
	if bytes.Contains([]byte(seen), []byte("s3cr3t-Pw")) {
		t.Errorf("the password was echoed:\n%q", seen)
	}
}
