package cmd_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"

	"github.com/ferry-ftp/ferry/internal/ftptest"
	"github.com/ferry-ftp/ferry/internal/testsupport"
)

// slowReader yields data in small chunks with a pause before each, so that
// a server's transfers last long enough to overlap and be drawn.
type slowReader struct {
	data  []byte
	chunk int
	pause time.Duration
}

func (r *slowReader) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, io.EOF
	}
	time.Sleep(r.pause) // pacing the server's data, not synchronising the test
	n := copy(p[:min(len(p), r.chunk)], r.data)
	r.data = r.data[n:]
	return n, nil
}

// TestProgressLiveViewPty mirrors 2,000 small files on a pty, twelve at a
// time, with every download paced by the server so that they overlap: the
// terminal, replayed by a screen emulator, never holds more than twelve
// lines (the aggregate line, at most eight files, "… N more", and the
// summary), finished files do not scroll by, and the summary is the last
// line left.
func TestProgressLiveViewPty(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary on a pty")
	}
	const folders, perFolder = 20, 100
	data := bytes.Repeat([]byte("live view "), 200) // 2,000 bytes
	srv := ftptest.New(t, ftptest.Config{Hook: func(c ftptest.Command) *ftptest.Reply {
		if c.Verb == "RETR" {
			return &ftptest.Reply{Transfer: &ftptest.Transfer{Source: func() io.Reader {
				return &slowReader{data: data, chunk: 500, pause: time.Millisecond}
			}}}
		}
		return nil
	}})
	for i := range folders {
		for j := range perFolder {
			testsupport.WriteFile(t, filepath.Join(srv.Root(), "site", fmt.Sprintf("d%02d", i), fmt.Sprintf("file-%03d.txt", j)), string(data))
		}
	}
	dir, home := t.TempDir(), t.TempDir()
	env := append(os.Environ(), "HOME="+home, "XDG_CONFIG_HOME="+filepath.Join(home, "config"), "TERM=xterm", "FERRY_PASSWORD=")
	out, err := runOnTerminal(t, dir, env, "mirror", "--parallel", "12", "ftp://user:pass@"+srv.Addr()+"/site", "dl")
	if err != nil {
		t.Fatalf("ferry mirror: %v; the terminal shows:\n%s", err, strings.Join(testsupport.Replay(t, string(out)).Lines(), "\n"))
	}
	scr := testsupport.Replay(t, string(out))
	lines := scr.Lines()
	if scr.Rows() > 12 || len(lines) > 12 {
		t.Errorf("the terminal used %d lines (%d left), want at most 12:\n%s", scr.Rows(), len(lines), strings.Join(lines, "\n"))
	}
	if len(lines) == 0 || !regexp.MustCompile(`^2000 file\(s\), `).MatchString(lines[len(lines)-1]) {
		t.Errorf("the last line is not the summary; the terminal shows:\n%s", strings.Join(lines, "\n"))
	}
	if !bytes.Contains(out, []byte("ETA")) || !bytes.Contains(out, []byte("/2000 files")) {
		t.Errorf("no live view was drawn: no ETA, no aggregate line")
	}
	n := 0
	filepath.WalkDir(filepath.Join(dir, "dl"), func(p string, d os.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			n++
		}
		return err
	})
	if n != folders*perFolder {
		t.Errorf("%d files mirrored, want %d", n, folders*perFolder)
	}
}

// TestProgressNotTerminal runs a multi-file get with stderr a plain
// buffer, one file refused by the server: no line per file, only the
// failure, the summary and the exit status's message.
func TestProgressNotTerminal(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{Hook: func(c ftptest.Command) *ftptest.Reply {
		if c.Verb == "RETR" && strings.HasSuffix(c.Arg, "c.txt") {
			return &ftptest.Reply{Code: 550, Text: "Permission denied."}
		}
		return nil
	}})
	names := []string{"a.txt", "b.txt", "c.txt", "d.txt"}
	for _, name := range names {
		testsupport.WriteFile(t, filepath.Join(srv.Root(), "pub", name), name+"\n")
	}
	home := t.TempDir()
	cmd := exec.Command(ferryBinary(t), "get", "--retries", "0", "ftp://user:pass@"+srv.Addr()+"/pub/*.txt")
	cmd.Dir = t.TempDir()
	cmd.Env = append(os.Environ(), "HOME="+home, "XDG_CONFIG_HOME="+filepath.Join(home, "config"), "FERRY_PASSWORD=")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 8 {
		t.Fatalf("ferry get: %v, want exit code 8; stderr:\n%s", err, stderr.String())
	}
	want := `^ferry: [^\n]*c\.txt[^\n]*550[^\n]*\n3 file\(s\), 18 B in [^\n]*, 1 failed\nferry: 1 of 4 items failed\n$`
	if !regexp.MustCompile(want).MatchString(stderr.String()) {
		t.Errorf("stderr = %q, want the failure, the summary and the partial failure only", stderr.String())
	}
	if stdout.Len() != 0 {
		t.Errorf("stdout = %q, want nothing", stdout.String())
	}
	for _, name := range names {
		b, err := os.ReadFile(filepath.Join(cmd.Dir, name))
		if name == "c.txt" {
			if !os.IsNotExist(err) {
				t.Errorf("c.txt: %v, want no file", err)
			}
		} else if err != nil || string(b) != name+"\n" {
			t.Errorf("%s = %q, %v", name, b, err)
		}
	}
}

// runOnTerminal runs the binary with args on a new 40x160 pty in dir and
// returns everything it wrote there, read to the end.
func runOnTerminal(t *testing.T, dir string, env []string, args ...string) ([]byte, error) {
	t.Helper()
	cmd := exec.Command(ferryBinary(t), args...)
	cmd.Dir = dir
	cmd.Env = env
	f, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 40, Cols: 160})
	if err != nil {
		t.Skipf("no pty: %v", err)
	}
	defer f.Close()
	read := make(chan []byte, 1)
	go func() {
		b, _ := io.ReadAll(f) // ends with EIO once the program has exited and its output is read
		read <- b
	}()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err = <-done:
	case <-time.After(2 * time.Minute):
		cmd.Process.Kill()
		<-done
		t.Fatal("ferry did not end within 2 minutes")
	}
	select {
	case b := <-read:
		return b, err
	case <-time.After(ptyWait):
		t.Fatal("the pty was not closed after ferry ended")
	}
	return nil, nil
}
