package cmd_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ferry-ftp/ferry/internal/ftptest"
	"github.com/ferry-ftp/ferry/internal/testsupport"
)

// TestInterruptManyNamesPartials interrupts a get of two files, both
// paused mid-way: ferry exits 130, says that both partial files are kept,
// and get -c completes both (outside probe of issue 13: only one was
// named).
func TestInterruptManyNamesPartials(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary")
	}
	var mu sync.Mutex // two sessions call the hook
	paused := map[string]bool{}
	srv := ftptest.New(t, ftptest.Config{Hook: func(c ftptest.Command) *ftptest.Reply {
		mu.Lock()
		defer mu.Unlock()
		if c.Verb == "RETR" && !paused[c.Arg] {
			paused[c.Arg] = true
			return &ftptest.Reply{Transfer: &ftptest.Transfer{Pause: true, PauseAfter: pauseAt}}
		}
		return nil
	}})
	for _, n := range []string{"a1.bin", "a2.bin"} {
		testsupport.WriteFile(t, filepath.Join(srv.Root(), n), string(bigData))
	}
	dir := t.TempDir()
	base := "ftp://user:pass@" + srv.Addr() + "/"
	cmd := exec.Command(ferryBinary(t), "--retries", "0", "get", "--parallel", "2", base+"a1.bin", base+"a2.bin")
	cmd.Dir = dir
	var stderr testsupport.LockedBuffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill() })
	deadline := time.Now().Add(20 * time.Second)
	for {
		full := 0
		matches, _ := filepath.Glob(filepath.Join(dir, ".a?.bin.ferry-*.part"))
		for _, m := range matches {
			if fi, err := os.Stat(m); err == nil && fi.Size() == pauseAt {
				full++
			}
		}
		if full == 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the two partial files never reached %d bytes; stderr:\n%s", pauseAt, stderr.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	cmd.Process.Signal(syscall.SIGINT)
	waitExit130(t, cmd, &stderr)
	if !strings.Contains(stderr.String(), "ferry: interrupted; 2 partial files kept: get -c") {
		t.Errorf("stderr does not name both partial files:\n%s", stderr.String())
	}
	runFerry(t, dir, "get", "-q", "-c", base+"a1.bin", base+"a2.bin")
	checkFile(t, "resumed file", filepath.Join(dir, "a1.bin"), bigData)
	checkFile(t, "resumed file", filepath.Join(dir, "a2.bin"), bigData)
}
