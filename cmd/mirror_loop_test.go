package cmd_test

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/ferry-ftp/ferry/internal/ftptest"
	"github.com/ferry-ftp/ferry/internal/testsupport"
)

// runLoop runs ferry mirror --loop against srv into a fresh folder and
// returns its exit code, stderr and the folder.
func runLoop(t *testing.T, srv *ftptest.Server) (int, string, string) {
	t.Helper()
	dir := t.TempDir()
	cmd := exec.Command(ferryBinary(t), "--retries", "0", "mirror", "--loop", "-P", "1", "ftp://user:pass@"+srv.Addr()+"/src", "dl")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "HOME="+dir, "XDG_CONFIG_HOME="+filepath.Join(dir, ".config"))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return code, stderr.String(), filepath.Join(dir, "dl")
}

// mirror --loop runs again while a pass changes something: a file that
// arrives during the first pass is copied by the second, and the third
// changes nothing.
func TestMirrorLoop(t *testing.T) {
	var root string
	var arrived atomic.Bool
	srv := ftptest.New(t, ftptest.Config{Hook: func(c ftptest.Command) *ftptest.Reply {
		if c.Verb == "RETR" && !arrived.Swap(true) {
			os.WriteFile(filepath.Join(root, "src", "late.txt"), []byte("late"), 0o644)
		}
		return nil
	}})
	root = srv.Root()
	testsupport.WriteFile(t, filepath.Join(root, "src", "a.txt"), "a")
	code, stderr, dl := runLoop(t, srv)
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, stderr)
	}
	if !strings.Contains(stderr, "--loop: pass 1 changed") || !strings.Contains(stderr, "--loop: pass 2 changed") || strings.Contains(stderr, "pass 3") {
		t.Errorf("stderr:\n%s", stderr)
	}
	if got := testsupport.ReadFile(filepath.Join(dl, "late.txt")); got != "late" {
		t.Errorf("late.txt = %q", got)
	}
	if n := countCommands(srv, "RETR"); n != 2 {
		t.Errorf("%d RETR, want 2", n)
	}
}

// A source that changes on every pass stops --loop after its bound, with
// exit code 1.
func TestMirrorLoopBound(t *testing.T) {
	var root string
	var n atomic.Int32
	srv := ftptest.New(t, ftptest.Config{Hook: func(c ftptest.Command) *ftptest.Reply {
		if c.Verb == "RETR" {
			os.WriteFile(filepath.Join(root, "src", fmt.Sprintf("f%02d", n.Add(1))), []byte("more"), 0o644)
		}
		return nil
	}})
	root = srv.Root()
	testsupport.WriteFile(t, filepath.Join(root, "src", "a.txt"), "a")
	code, stderr, _ := runLoop(t, srv)
	if code != 1 || !strings.Contains(stderr, "still changed after 10 passes") {
		t.Fatalf("exit %d:\n%s", code, stderr)
	}
	if got := countCommands(srv, "RETR"); got != 10 {
		t.Errorf("%d RETR, want 10", got)
	}
}

func countCommands(srv *ftptest.Server, verb string) int {
	n := 0
	for _, c := range srv.Commands() {
		if c == verb || strings.HasPrefix(c, verb+" ") {
			n++
		}
	}
	return n
}
