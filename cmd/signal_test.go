package cmd_test

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ferry-ftp/ferry/internal/ftptest"
)

// ferryBinary returns a path that runs this test binary as ferry
// (testscript.Main dispatches on the program name).
func ferryBinary(t *testing.T) string {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "ferry")
	if err := os.Symlink(self, p); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestInterruptKeepsPartialAndResumes sends SIGINT during a download: the
// process exits 130, the old file is intact, the partial data is kept, and
// get -c completes it byte-identically.
func TestInterruptKeepsPartialAndResumes(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary")
	}
	const pauseAt = 300_000
	var once sync.Once
	srv := ftptest.New(t, ftptest.Config{Hook: func(c ftptest.Command) *ftptest.Reply {
		var r *ftptest.Reply
		if c.Verb == "RETR" {
			once.Do(func() { r = &ftptest.Reply{Transfer: &ftptest.Transfer{Pause: true, PauseAfter: pauseAt}} })
		}
		return r
	}})
	data := bytes.Repeat([]byte("0123456789abcdef"), 100_000)
	if err := os.WriteFile(filepath.Join(srv.Root(), "big.bin"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	local := filepath.Join(dir, "big.bin")
	old := []byte("old contents")
	os.WriteFile(local, old, 0o644)
	url := "ftp://user:pass@" + srv.Addr() + "/big.bin"
	bin := ferryBinary(t)

	cmd := exec.Command(bin, "get", "-q", url)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Wait until the paused server's data has reached the part file.
	deadline := time.Now().Add(20 * time.Second)
	for {
		fi, err := os.Stat(local + ".part")
		if err == nil && fi.Size() == pauseAt {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("part file never reached %d bytes (%v)", pauseAt, err)
		}
		time.Sleep(10 * time.Millisecond)
	}
	cmd.Process.Signal(syscall.SIGINT)
	err := cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 130 {
		t.Fatalf("exit: %v, want code 130; stderr:\n%s", err, stderr.String())
	}
	if got, _ := os.ReadFile(local); !bytes.Equal(got, old) {
		t.Fatalf("old file replaced by %d bytes", len(got))
	}
	part, _ := os.ReadFile(local + ".part")
	if len(part) != pauseAt || !bytes.Equal(part, data[:pauseAt]) {
		t.Fatalf("part file holds %d bytes, want the first %d", len(part), pauseAt)
	}

	resume := exec.Command(bin, "get", "-q", "-c", url)
	resume.Dir = dir
	if out, err := resume.CombinedOutput(); err != nil {
		t.Fatalf("get -c: %v\n%s", err, out)
	}
	if got, _ := os.ReadFile(local); !bytes.Equal(got, data) {
		t.Fatalf("resumed file differs (%d bytes, want %d)", len(got), len(data))
	}
	cmds := srv.SessionCommands(2)
	found := false
	for _, c := range cmds {
		if c == "REST 300000" {
			found = true
		}
	}
	if !found {
		t.Errorf("resume did not send REST 300000: %q", cmds)
	}
}
