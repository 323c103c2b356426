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
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

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
		t.Fatalf("ferry mirror: %v; the terminal shows:\n%s", err, strings.Join(replay(t, out).lines(), "\n"))
	}
	scr := replay(t, out)
	lines := scr.lines()
	if scr.rows > 12 || len(lines) > 12 {
		t.Errorf("the terminal used %d lines (%d left), want at most 12:\n%s", scr.rows, len(lines), strings.Join(lines, "\n"))
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

// screen is a terminal of unlimited height replayed from output, knowing
// only what a progress display writes: printable text, CR, LF, and the CSI
// sequences cursor up (A), erase in line (K) and erase in display (J).
type screen struct {
	grid [][]rune
	rows int // rows text has been written on
}

// replay interprets out on an empty screen; it fails the test on an
// escape sequence it does not know.
func replay(t *testing.T, out []byte) *screen {
	t.Helper()
	s := &screen{}
	row, col := 0, 0
	at := func() {
		for len(s.grid) <= row {
			s.grid = append(s.grid, nil)
		}
	}
	csi := regexp.MustCompile(`^\x1b\[(\d*)([A-Za-z])`)
	for i := 0; i < len(out); {
		if m := csi.FindSubmatch(out[i:]); m != nil {
			i += len(m[0])
			at()
			n, _ := strconv.Atoi(string(m[1]))
			switch string(m[2]) {
			case "A":
				row = max(row-max(n, 1), 0)
			case "K":
				s.grid[row] = s.grid[row][:min(col, len(s.grid[row]))]
			case "J":
				s.grid[row] = s.grid[row][:min(col, len(s.grid[row]))]
				s.grid = s.grid[:row+1]
			default:
				t.Fatalf("unknown escape sequence %q", m[0])
			}
			continue
		}
		r, size := utf8.DecodeRune(out[i:])
		i += size
		switch r {
		case '\x1b':
			t.Fatalf("unknown escape sequence in %q", out[i-1:min(i+8, len(out))])
		case '\r':
			col = 0
		case '\n':
			row, col = row+1, 0
		default:
			at()
			s.rows = max(s.rows, row+1)
			for len(s.grid[row]) <= col {
				s.grid[row] = append(s.grid[row], ' ')
			}
			s.grid[row][col] = r
			col++
		}
	}
	return s
}

// lines returns the screen's lines, without the empty ones at the bottom.
func (s *screen) lines() []string {
	var l []string
	for _, r := range s.grid {
		l = append(l, strings.TrimRight(string(r), " "))
	}
	for len(l) > 0 && l[len(l)-1] == "" {
		l = l[:len(l)-1]
	}
	return l
}
