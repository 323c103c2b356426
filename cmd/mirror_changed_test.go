package cmd_test

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/ferry-ftp/ferry/internal/ftptest"
	"github.com/ferry-ftp/ferry/internal/testsupport"
)

// A local file rewritten in place during its upload, its size and time
// kept, is not reported as copied: mirror -R retries it, and a file that
// keeps changing through every retry fails by name (exit 8) while the
// others are copied; the server never gets it under its final name (a
// single put: exit 6). With
// one change, the retry sends it whole and `ferry check -R` matches.
// Outside probe of issue 16: the torn upload took the final name, exit 0,
// and check -R reported a match.
func TestMirrorUploadSourceChanged(t *testing.T) {
	dir := t.TempDir()
	up := filepath.Join(dir, "up")
	testsupport.WriteFile(t, filepath.Join(up, "busy.log"), strings.Repeat("x", 1000))
	testsupport.WriteFile(t, filepath.Join(up, "quiet.txt"), "quiet")
	var changes atomic.Int32
	var limit atomic.Int32
	limit.Store(100)
	srv := ftptest.New(t, ftptest.Config{Hook: func(c ftptest.Command) *ftptest.Reply {
		if c.Verb == "STOR" && strings.Contains(c.Arg, "busy.log") && changes.Add(1) <= limit.Load() {
			// The client has opened the file; it reads it once the
			// transfer starts.
			p := filepath.Join(up, "busy.log")
			fi, _ := os.Stat(p)
			w, _ := os.OpenFile(p, os.O_WRONLY, 0)
			w.Write(bytes.Repeat([]byte{'0' + byte(changes.Load()%10)}, 1000))
			w.Close()
			os.Chtimes(p, fi.ModTime(), fi.ModTime())
		}
		return nil
	}})
	url := "ftp://user:pass@" + srv.Addr() + "/www"
	run := func(args ...string) (int, string) {
		cmd := exec.Command(ferryBinary(t), args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "HOME="+dir, "XDG_CONFIG_HOME="+filepath.Join(dir, ".config"))
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		err := cmd.Run()
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return ee.ExitCode(), stderr.String()
		} else if err != nil {
			t.Fatal(err)
		}
		return 0, stderr.String()
	}
	code, stderr := run("--retries", "1", "mirror", "-R", "up", url)
	if code != 8 || !strings.Contains(stderr, "busy.log") || !strings.Contains(stderr, "changed while it was sent") {
		t.Fatalf("exit %d, want 8 naming busy.log:\n%s", code, stderr)
	}
	want := map[string]string{"www/": "", "www/quiet.txt": "quiet"}
	if got := testsupport.Tree(t, srv.Root()); len(got) != len(want) || got["www/quiet.txt"] != "quiet" {
		t.Errorf("server holds %q, want %q", got, want)
	}

	// A single put of it: a local file error, exit 6.
	if code, stderr := run("--retries", "0", "put", "up/busy.log", url+"/busy.log"); code != 6 || !strings.Contains(stderr, "changed while it was sent") {
		t.Errorf("put: exit %d, want 6:\n%s", code, stderr)
	}

	// Changed once: the retry sends it whole, and check -R matches.
	changes.Store(0)
	limit.Store(1)
	if code, stderr := run("--retries", "1", "mirror", "-R", "up", url); code != 0 {
		t.Fatalf("second mirror: exit %d:\n%s", code, stderr)
	}
	if got, want := testsupport.ReadFile(filepath.Join(srv.Root(), "www/busy.log")), testsupport.ReadFile(filepath.Join(up, "busy.log")); got != want {
		t.Errorf("server's busy.log %.20q..., local %.20q...", got, want)
	}
	if code, stderr := run("check", "-R", "up", url); code != 0 {
		t.Errorf("check -R: exit %d:\n%s", code, stderr)
	}
}
