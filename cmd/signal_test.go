package cmd_test

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ferry-ftp/ferry/internal/ftptest"
	"github.com/ferry-ftp/ferry/internal/testsupport"
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

// pauseAt is where the paused transfer of the signal tests stops.
const pauseAt = 300_000

// bigData is the file the signal tests interrupt.
var bigData = bytes.Repeat([]byte("0123456789abcdef"), 100_000)

// pausedServer starts a server that pauses the first transfer with verb
// whose argument ends in name (or, for an upload, is a temporary name of
// ferry's for name) after pauseAt bytes, and holds it until
// ABOR. Each ABOR is signalled on the channel returned; with stallAbor the
// server never answers ABOR (nor anything after it).
func pausedServer(t *testing.T, verb, name string, stallAbor bool) (*ftptest.Server, <-chan struct{}) {
	t.Helper()
	var once sync.Once
	abor := make(chan struct{}, 8)
	srv := ftptest.New(t, ftptest.Config{Hook: func(c ftptest.Command) *ftptest.Reply {
		var r *ftptest.Reply
		switch {
		case c.Verb == verb && (strings.HasSuffix(c.Arg, name) || strings.HasPrefix(path.Base(c.Arg), "."+name+".ferry-")):
			once.Do(func() { r = &ftptest.Reply{Transfer: &ftptest.Transfer{Pause: true, PauseAfter: pauseAt}} })
		case c.Verb == "ABOR":
			select {
			case abor <- struct{}{}:
			default:
			}
			if stallAbor {
				r = &ftptest.Reply{Stall: true}
			}
		}
		return r
	}})
	return srv, abor
}

// startFerry starts ferry in dir with args and waits (up to 20 s) until
// the file part (a glob pattern: an upload writes to a temporary name of
// its own process) holds pauseAt bytes: the paused transfer has moved all
// it will.
func startFerry(t *testing.T, dir, part string, args ...string) (*exec.Cmd, *testsupport.LockedBuffer) {
	t.Helper()
	cmd := exec.Command(ferryBinary(t), args...)
	cmd.Dir = dir
	var stderr testsupport.LockedBuffer // read while ferry runs
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill() })
	deadline := time.Now().Add(20 * time.Second)
	for {
		var err error
		matches, _ := filepath.Glob(part)
		if len(matches) == 0 {
			err = os.ErrNotExist
		}
		for _, m := range matches {
			if fi, serr := os.Stat(m); serr == nil && fi.Size() == pauseAt {
				return cmd, &stderr
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("ferry %s: %s never reached %d bytes (%v); stderr:\n%s", args[0], part, pauseAt, err, stderr.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// waitExit130 waits for ferry to end and checks that it exited 130 and
// said it was interrupted.
func waitExit130(t *testing.T, cmd *exec.Cmd, stderr *testsupport.LockedBuffer) {
	t.Helper()
	err := cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 130 {
		t.Fatalf("exit: %v, want code 130; stderr:\n%s", err, stderr.String())
	}
	if !strings.Contains(stderr.String(), "ferry: interrupted") {
		t.Errorf("stderr %q does not say ferry was interrupted", stderr.String())
	}
}

// runFerry runs ferry in dir and fails the test unless it succeeds.
func runFerry(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command(ferryBinary(t), args...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("ferry %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// checkFile fails the test unless the file holds want.
func checkFile(t *testing.T, what, p string, want []byte) {
	t.Helper()
	got, err := os.ReadFile(p)
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("%s %s: %d bytes (%v), want %d bytes %.20q", what, p, len(got), err, len(want), want)
	}
}

// checkAborted fails the test unless the server saw ABOR during the
// paused transfer and a resume with REST pauseAt afterwards.
func checkAborted(t *testing.T, srv *ftptest.Server, abor <-chan struct{}) {
	t.Helper()
	select {
	case <-abor:
	default:
		t.Errorf("no ABOR reached the server")
	}
	if cmds := strings.Join(srv.Commands(), "\n"); !strings.Contains(cmds, fmt.Sprintf("REST %d\n", pauseAt)) {
		t.Errorf("no resume with REST %d:\n%s", pauseAt, cmds)
	}
}

var signals = []syscall.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP}

// TestInterruptGet sends SIGINT, SIGTERM or SIGHUP during a download: ferry sends
// ABOR, exits 130, leaves the old file intact and keeps the partial data,
// and get -c completes it byte-identically with REST.
func TestInterruptGet(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary")
	}
	for _, sig := range signals {
		t.Run(sig.String(), func(t *testing.T) {
			srv, abor := pausedServer(t, "RETR", "big.bin", false)
			testsupport.WriteFile(t, filepath.Join(srv.Root(), "big.bin"), string(bigData))
			dir := t.TempDir()
			local := filepath.Join(dir, "big.bin")
			old := []byte("old contents")
			testsupport.WriteFile(t, local, string(old))
			url := "ftp://user:pass@" + srv.Addr() + "/big.bin"

			part := filepath.Join(dir, downloadTemp(t, srv, "big.bin", "big.bin"))
			cmd, stderr := startFerry(t, dir, part, "get", "-q", url)
			cmd.Process.Signal(sig)
			waitExit130(t, cmd, stderr)
			checkFile(t, "old file", local, old)
			checkFile(t, "partial file", part, bigData[:pauseAt])

			runFerry(t, dir, "get", "-q", "-c", url)
			checkFile(t, "resumed file", local, bigData)
			checkAborted(t, srv, abor)
		})
	}
}

// TestInterruptPut sends SIGINT, SIGTERM or SIGHUP during an upload: ferry sends
// ABOR and exits 130; the old remote file is intact, the partial upload
// is kept, parked under the source's temporary name (the upload wrote to
// a name of its own process), and put -c completes it.
func TestInterruptPut(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary")
	}
	for _, sig := range signals {
		t.Run(sig.String(), func(t *testing.T) {
			srv, abor := pausedServer(t, "STOR", "big.bin", false)
			remote := filepath.Join(srv.Root(), "big.bin")
			old := []byte("old remote contents")
			testsupport.WriteFile(t, remote, string(old))
			dir := t.TempDir()
			testsupport.WriteFile(t, filepath.Join(dir, "big.bin"), string(bigData))
			tmp, err := uploadTempName(filepath.Join(dir, "big.bin"), "big.bin")
			if err != nil {
				t.Fatal(err)
			}
			part := filepath.Join(srv.Root(), tmp)
			url := "ftp://user:pass@" + srv.Addr() + "/big.bin"

			cmd, stderr := startFerry(t, dir, filepath.Join(srv.Root(), ".big.bin.ferry-*.part"), "put", "-q", "big.bin", url)
			cmd.Process.Signal(sig)
			waitExit130(t, cmd, stderr)
			checkFile(t, "old remote file", remote, old)
			checkFile(t, "partial upload", part, bigData[:pauseAt])
			if m, _ := filepath.Glob(filepath.Join(srv.Root(), ".big.bin.ferry-*.part")); len(m) != 1 {
				t.Errorf("temporary files on the server: %q, want the parked one", m)
			}

			runFerry(t, dir, "put", "-q", "-c", "big.bin", url)
			checkFile(t, "resumed upload", remote, bigData)
			checkAborted(t, srv, abor)
		})
	}
}

// TestInterruptMirror sends SIGINT during a mirror down and SIGTERM during
// one up: ferry exits 130 with the big file's partial data kept, and
// mirror -c then makes the copy complete, resuming it with REST.
func TestInterruptMirror(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary")
	}
	small := map[string]string{"a.txt": "a", "sub/b.txt": "bb", "sub/c.txt": "ccc"}
	for _, tt := range []struct {
		name    string
		reverse bool
		sig     syscall.Signal
	}{
		{"down", false, syscall.SIGINT},
		{"up", true, syscall.SIGTERM},
	} {
		t.Run(tt.name, func(t *testing.T) {
			verb := map[bool]string{false: "RETR", true: "STOR"}[tt.reverse]
			srv, abor := pausedServer(t, verb, "big.bin", false)
			work := t.TempDir()
			src := filepath.Join(srv.Root(), "tree")
			dst := filepath.Join(work, "copy")
			url := "ftp://user:pass@" + srv.Addr() + "/tree"
			args := []string{"mirror", "-q", url, "copy"}
			if tt.reverse {
				src, dst = filepath.Join(work, "copy"), filepath.Join(srv.Root(), "tree")
				args = []string{"mirror", "-q", "-R", "copy", url}
			}
			testsupport.WriteFile(t, filepath.Join(src, "big.bin"), string(bigData))
			for name, data := range small {
				testsupport.WriteFile(t, filepath.Join(src, filepath.FromSlash(name)), data)
			}

			var part string
			if tt.reverse {
				tmp, err := uploadTempName(filepath.Join(src, "big.bin"), "big.bin")
				if err != nil {
					t.Fatal(err)
				}
				part = filepath.Join(dst, tmp)
			} else {
				part = filepath.Join(dst, downloadTemp(t, srv, "tree/big.bin", "big.bin"))
			}
			pattern := part
			if tt.reverse {
				pattern = filepath.Join(dst, ".big.bin.ferry-*.part")
			}
			cmd, stderr := startFerry(t, work, pattern, args...)
			cmd.Process.Signal(tt.sig)
			waitExit130(t, cmd, stderr)
			checkFile(t, "partial file", part, bigData[:pauseAt])
			if _, err := os.Lstat(filepath.Join(dst, "big.bin")); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("big.bin exists under its final name after the interrupt: %v", err)
			}

			resume := append(args[:2:2], "-c")
			runFerry(t, work, append(resume, args[2:]...)...)
			checkFile(t, "mirrored file", filepath.Join(dst, "big.bin"), bigData)
			for name, data := range small {
				checkFile(t, "mirrored file", filepath.Join(dst, name), []byte(data))
			}
			if _, err := os.Lstat(part); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("partial file left after the resumed mirror: %v", err)
			}
			checkAborted(t, srv, abor)
		})
	}
}

// TestSecondInterruptEndsAtOnce: after a first SIGINT, ferry waits for the
// server to answer ABOR (here: never, until the abort timeout); a second
// SIGINT ends the process at once, by the signal, keeping the partial
// file. The second signal is repeated until the process ends (at most
// 5 s, half the abort timeout), since one sent in the instant before
// ferry hands signals back to the system is taken as the first again.
func TestSecondInterruptEndsAtOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary")
	}
	srv, abor := pausedServer(t, "RETR", "big.bin", true)
	testsupport.WriteFile(t, filepath.Join(srv.Root(), "big.bin"), string(bigData))
	dir := t.TempDir()
	part := filepath.Join(dir, downloadTemp(t, srv, "big.bin", "big.bin"))
	cmd, stderr := startFerry(t, dir, part, "get", "-q", "ftp://user:pass@"+srv.Addr()+"/big.bin")
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()

	cmd.Process.Signal(syscall.SIGINT)
	select {
	case <-abor:
	case err := <-done:
		t.Fatalf("ferry ended (%v) before sending ABOR; stderr:\n%s", err, stderr.String())
	case <-time.After(20 * time.Second):
		t.Fatal("no ABOR after the first SIGINT")
	}
	var err error
	deadline := time.After(5 * time.Second)
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
wait:
	for {
		cmd.Process.Signal(syscall.SIGINT)
		select {
		case err = <-done:
			break wait
		case <-tick.C:
		case <-deadline:
			t.Fatalf("ferry still runs 5 s after the second SIGINT; stderr:\n%s", stderr.String())
		}
	}
	var ee *exec.ExitError
	if !errors.As(err, &ee) {
		t.Fatalf("exit: %v", err)
	}
	ws, ok := ee.Sys().(syscall.WaitStatus)
	if !ok || !ws.Signaled() || ws.Signal() != syscall.SIGINT {
		t.Fatalf("exit %v, want the end by SIGINT itself; stderr:\n%s", err, stderr.String())
	}
	checkFile(t, "partial file", part, bigData[:pauseAt])
}
