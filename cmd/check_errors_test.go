package cmd_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/ferry-ftp/ferry/internal/ftptest"
	"github.com/ferry-ftp/ferry/internal/testsupport"
)

// runFerryIn runs the ferry binary in dir and returns its exit code,
// stdout and stderr.
func runFerryIn(t *testing.T, dir string, args ...string) (int, string, string) {
	t.Helper()
	cmd := exec.Command(ferryBinary(t), args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "HOME="+dir, "XDG_CONFIG_HOME="+filepath.Join(dir, ".config"))
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode(), stdout.String(), stderr.String()
	} else if err != nil {
		t.Fatal(err)
	}
	return 0, stdout.String(), stderr.String()
}

// ferry check names every path it could not compare, in text and in
// JSON ("errors"), and exits 8 when nothing differs (1 when something
// does): a folder whose listing is refused, a file whose MDTM is refused
// where the listing's minute could not tell, a listing line that cannot
// be read, a file whose size the listing does not give. Outside probe of
// issue 16: such paths were left out, and check said the folders match
// (exit 0), or called a file of unknown size different (exit 1).
func TestCheckNamesWhatItCouldNotCompare(t *testing.T) {
	var faults atomic.Bool
	srv := ftptest.New(t, ftptest.Config{Disable: []string{"MLSD", "MLST"}, Hook: func(c ftptest.Command) *ftptest.Reply {
		if !faults.Load() {
			return nil
		}
		switch {
		case c.Verb == "LIST" && strings.HasSuffix(c.Arg, "site/sub"):
			return &ftptest.Reply{Code: 550, Text: "sub: Permission denied."}
		case c.Verb == "MDTM" && strings.HasSuffix(c.Arg, "site/a.txt"):
			return &ftptest.Reply{Code: 550, Text: "a.txt: Permission denied."}
		case c.Verb == "LIST" && strings.HasSuffix(c.Arg, "site/odd"):
			return &ftptest.Reply{Transfer: &ftptest.Transfer{Data: []byte("-rw-r--r-- 1 u g 1 Jan 01 2024 ok.txt\r\nthis is no listing line\r\n")}}
		}
		return nil
	}})
	for p, data := range map[string]string{"site/a.txt": "a", "site/b.txt": "b", "site/sub/c.txt": "c", "site/odd/ok.txt": "o"} {
		testsupport.WriteFile(t, filepath.Join(srv.Root(), p), data)
	}
	dir := t.TempDir()
	url := "ftp://user:pass@" + srv.Addr() + "/site"
	if code, _, stderr := runFerryIn(t, dir, "mirror", url, "dl"); code != 0 {
		t.Fatalf("mirror: exit %d\n%s", code, stderr)
	}
	faults.Store(true)

	code, stdout, stderr := runFerryIn(t, dir, "--retries", "0", "check", url, "dl")
	if code != 8 {
		t.Errorf("check: exit %d, want 8\n%s%s", code, stdout, stderr)
	}
	for _, want := range []string{"error: a.txt (MDTM: ", "error: sub/ (cannot list: ", "sub: Permission denied."} {
		if !strings.Contains(stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout)
		}
	}
	if !strings.Contains(stderr, "not compared: odd: cannot parse listing line") {
		t.Errorf("stderr lacks the unreadable line:\n%s", stderr)
	}
	if !strings.Contains(stderr, "ferry: not all compared: 2 file(s) the same, 3 not compared") {
		t.Errorf("stderr lacks the summary:\n%s", stderr)
	}

	code, stdout, _ = runFerryIn(t, dir, "--retries", "0", "--json", "check", url, "dl")
	var out struct {
		Match  bool
		Errors []struct{ Path, Error string }
	}
	if err := json.Unmarshal([]byte(stdout), &out); err != nil || code != 8 || out.Match {
		t.Fatalf("check --json: exit %d, %v\n%s", code, err, stdout)
	}
	var paths []string
	for _, e := range out.Errors {
		paths = append(paths, e.Path)
		if e.Error == "" {
			t.Errorf("error for %s says nothing", e.Path)
		}
	}
	slices.Sort(paths)
	if want := []string{"a.txt", "sub"}; !slices.Equal(paths, want) {
		t.Errorf("errors for %q, want %q", paths, want)
	}

	// A difference as well: exit 1, the errors still named.
	testsupport.WriteFile(t, filepath.Join(dir, "dl", "extra.txt"), "x")
	code, stdout, _ = runFerryIn(t, dir, "--retries", "0", "check", url, "dl")
	if code != 1 || !strings.Contains(stdout, "missing on the server: extra.txt") || !strings.Contains(stdout, "error: sub/") {
		t.Errorf("check with a difference: exit %d\n%s", code, stdout)
	}
}

// A listing that gives no size: the file is not compared (exit 8), not
// called different.
func TestCheckSizeUnknown(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{Hook: func(c ftptest.Command) *ftptest.Reply {
		if c.Verb == "MLSD" && strings.HasSuffix(c.Arg, "site") {
			return &ftptest.Reply{Transfer: &ftptest.Transfer{Data: []byte("type=file;modify=20240101000000; a.txt\r\n")}}
		}
		return nil
	}})
	testsupport.WriteFile(t, filepath.Join(srv.Root(), "site/a.txt"), "a")
	dir := t.TempDir()
	testsupport.WriteFile(t, filepath.Join(dir, "dl/a.txt"), "a")
	code, stdout, stderr := runFerryIn(t, dir, "check", "ftp://user:pass@"+srv.Addr()+"/site", "dl")
	if code != 8 || !strings.Contains(stdout, "error: a.txt (size unknown)") {
		t.Errorf("check: exit %d, want 8\n%s%s", code, stdout, stderr)
	}
}
