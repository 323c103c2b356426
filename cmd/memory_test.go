//go:build linux

package cmd_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ferry-ftp/ferry/internal/ftptest"
)

// The tests in this file run the ferry binary (the test binary, which
// testscript.Main puts on $PATH as "ferry") against listings the server
// generates from a reader, and measure the child's peak resident memory.
// Whatever the server sends and whatever --parallel is, ferry must stay
// under memoryBudget.

// memoryBudget is the most resident memory a ferry process may take.
const memoryBudget = 200 << 20

// raceEnabled is set when the tests run with the race detector, whose
// own memory and time would swamp what is measured: make test runs these
// tests once more without it.
var raceEnabled bool

// generated is a listing of n lines made by line (n < 0: endless), read
// in chunks so that a huge or endless listing costs the server nothing.
type generated struct {
	n, i int
	line func(b []byte, i int) []byte
	buf  []byte
	pos  int
}

func (g *generated) Read(p []byte) (int, error) {
	if g.pos == len(g.buf) {
		if g.n >= 0 && g.i >= g.n {
			return 0, io.EOF
		}
		g.buf, g.pos = g.buf[:0], 0
		for len(g.buf) < 32<<10 && (g.n < 0 || g.i < g.n) {
			g.buf = g.line(g.buf, g.i)
			g.i++
		}
	}
	n := copy(p, g.buf[g.pos:])
	g.pos += n
	return n, nil
}

// Listing line makers: MLSD and Unix LIST lines for files and folders.
func mlsdFile(b []byte, i int) []byte {
	b = append(b, "type=file;size=1234;modify=20240301120000;perm=adfrw;unique=803g1c2a5;UNIX.mode=0644;UNIX.owner=ftp;UNIX.group=ftp; f"...)
	return append(strconv.AppendInt(b, int64(i), 10), '\r', '\n')
}

func mlsdDir(b []byte, i int) []byte {
	b = append(b, "type=dir;modify=20240301120000;perm=flcdmpe; d"...)
	return append(strconv.AppendInt(b, int64(i), 10), '\r', '\n')
}

func listFile(b []byte, i int) []byte {
	b = append(b, "-rw-r--r--    1 ftp      ftp          1234 Mar 01  2024 f"...)
	return append(strconv.AppendInt(b, int64(i), 10), '\r', '\n')
}

// listings maps a folder (cleaned, without leading or trailing "/") to the
// listing the server sends for it, for MLSD, LIST and NLST alike.
type listings func(dir string) io.Reader

// bigServer starts a server whose listings come from l (a nil reader
// means the real folder), with folders dirs made in its root so that MLST
// and CWD find them.
func bigServer(t *testing.T, l listings, dirs ...string) *ftptest.Server {
	t.Helper()
	root := t.TempDir()
	for _, d := range dirs {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return ftptest.New(t, ftptest.Config{Root: root, Hook: func(c ftptest.Command) *ftptest.Reply {
		switch c.Verb {
		case "MLSD", "LIST", "NLST":
		default:
			return nil
		}
		arg := strings.TrimSpace(strings.TrimPrefix(c.Arg, "-a"))
		dir := strings.Trim(path.Clean("/"+arg), "/")
		r := l(dir)
		if r == nil {
			return nil
		}
		return &ftptest.Reply{Transfer: &ftptest.Transfer{Source: func() io.Reader { return r }}}
	}})
}

// counter counts the lines and bytes written to it and keeps the first
// and last lines.
type counter struct {
	lines, bytes int
	first, last  []byte
	partial      []byte
}

func (c *counter) Write(p []byte) (int, error) {
	c.bytes += len(p)
	c.lines += bytes.Count(p, []byte{'\n'})
	if len(c.first) < 4096 {
		c.first = append(c.first, p[:min(len(p), 4096-len(c.first))]...)
	}
	c.last = append(c.last, p...)
	if len(c.last) > 8192 {
		c.last = append(c.last[:0], c.last[len(c.last)-4096:]...)
	}
	return len(p), nil
}

// limited keeps the first 64 KiB written to it.
type limited struct{ bytes.Buffer }

func (l *limited) Write(p []byte) (int, error) {
	if room := 64<<10 - l.Len(); room > 0 {
		l.Buffer.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}

// run is the outcome of one ferry process.
type run struct {
	code   int
	out    *counter
	stderr string
	rss    int64 // peak resident memory in bytes
	took   time.Duration
}

// runMeasured runs ferry with args (and stdin, when not empty) and reports
// its exit code, output and peak resident memory.
func runMeasured(t *testing.T, stdin string, args ...string) run {
	t.Helper()
	if raceEnabled {
		t.Skip("peak memory is measured without the race detector (make test runs these tests so)")
	}
	exe, err := exec.LookPath("ferry")
	if err != nil {
		t.Fatalf("ferry not on $PATH: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	home := t.TempDir()
	cmd := exec.CommandContext(ctx, exe, args...)
	cmd.Dir = t.TempDir()
	cmd.Env = append(os.Environ(), "HOME="+home, "XDG_CONFIG_HOME="+filepath.Join(home, ".config"),
		"XDG_STATE_HOME="+filepath.Join(home, ".state"), "FERRY_PASSWORD=", "GODEBUG="+os.Getenv("FERRY_GODEBUG"))
	cmd.Stdin = strings.NewReader(stdin)
	out, errOut := &counter{}, &limited{}
	cmd.Stdout, cmd.Stderr = out, errOut
	start := time.Now()
	err = cmd.Run()
	r := run{out: out, stderr: errOut.String(), took: time.Since(start)}
	if ee, ok := err.(*exec.ExitError); ok {
		r.code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("ferry %s: %v", strings.Join(args, " "), err)
	}
	r.rss = cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss << 10
	if os.Getenv("FERRY_GODEBUG") != "" {
		t.Log(r.stderr)
	}
	t.Logf("ferry %s: exit %d, %d lines, peak RSS %d MiB, %v", strings.Join(args, " "), r.code, out.lines, r.rss>>20, r.took.Round(time.Millisecond))
	return r
}

// check reports a run that did not exit with code, went over the memory
// budget, or whose stderr lacks each of want.
func (r run) check(t *testing.T, code int, want ...string) {
	t.Helper()
	if r.code != code {
		t.Errorf("exit code %d, want %d; stderr:\n%s", r.code, code, clipText(r.stderr))
	}
	if r.rss > memoryBudget {
		t.Errorf("peak RSS %d MiB, want under %d MiB", r.rss>>20, memoryBudget>>20)
	}
	for _, w := range want {
		if !strings.Contains(r.stderr, w) {
			t.Errorf("stderr lacks %q:\n%s", w, clipText(r.stderr))
		}
	}
}

func clipText(s string) string {
	if len(s) > 2000 {
		return s[:1000] + "\n...\n" + s[len(s)-1000:]
	}
	return s
}

func url(srv *ftptest.Server, p string) string {
	return fmt.Sprintf("ftp://user:pass@%s/%s", srv.Addr(), p)
}

// TestMemoryLsMillion: ls of a folder of a million entries works, and
// costs no more memory than a small one.
func TestMemoryLsMillion(t *testing.T) {
	srv := bigServer(t, func(dir string) io.Reader {
		if dir == "big" {
			return &generated{n: 1_000_000, line: mlsdFile}
		}
		return nil
	}, "big")
	r := runMeasured(t, "", "ls", url(srv, "big/"))
	r.check(t, 0)
	if r.out.lines != 1_000_000 {
		t.Errorf("ls printed %d lines, want 1000000", r.out.lines)
	}
}

// TestMemoryLsEndless: ls of a listing that never ends prints as it
// reads and stops at the listing size limit, which it names.
func TestMemoryLsEndless(t *testing.T) {
	srv := endlessServer(t)
	r := runMeasured(t, "", "ls", url(srv, "endless/"))
	r.check(t, 1, "--max-listing-size")
}

// mlsdLong makes MLSD lines of long names, so that a listing grows fast.
func mlsdLong(b []byte, i int) []byte {
	b = append(b, "type=file;size=1234;modify=20240301120000;perm=adfrw; "...)
	b = append(b, strings.Repeat("x", 200)...)
	return append(strconv.AppendInt(b, int64(i), 10), '\r', '\n')
}

// endlessServer serves an endless listing of long lines for the folder
// "endless".
func endlessServer(t *testing.T) *ftptest.Server {
	return bigServer(t, func(dir string) io.Reader {
		if dir == "endless" {
			return &generated{n: -1, line: mlsdLong}
		}
		return nil
	}, "endless")
}

// TestMemoryShellEndless: the shell's ls, dir and nlist of an endless
// listing end with the limit named, within the budget.
func TestMemoryShellEndless(t *testing.T) {
	srv := endlessServer(t)
	for _, cmd := range []string{"ls", "dir", "nlist"} {
		t.Run(cmd, func(t *testing.T) {
			r := runMeasured(t, cmd+" endless\n", "shell", "-b", "-", url(srv, ""))
			r.check(t, 1, "--max-listing-size")
		})
	}
}

// TestMemoryMirrorEndless: a mirror over four connections of four
// folders whose listings never end stops at the one budget of the
// command.
func TestMemoryMirrorEndless(t *testing.T) {
	srv := bigServer(t, func(dir string) io.Reader {
		switch {
		case dir == "four":
			return strings.NewReader("type=dir; e1\r\ntype=dir; e2\r\ntype=dir; e3\r\ntype=dir; e4\r\n")
		case strings.HasPrefix(dir, "four/"):
			return &generated{n: -1, line: mlsdLong}
		}
		return nil
	}, "four")
	r := runMeasured(t, "", "mirror", "--parallel", "4", url(srv, "four"), t.TempDir())
	r.check(t, 1, "--max-entries")
}

// TestMemoryMirrorDryRunLarge: the plan of a folder just under the entry
// limit fits the budget; a folder of a million entries ends at the limit.
func TestMemoryMirrorDryRunLarge(t *testing.T) {
	srv := bigServer(t, func(dir string) io.Reader {
		switch dir {
		case "large":
			return &generated{n: 140_000, line: mlsdFile}
		case "huge":
			return &generated{n: 1_000_000, line: mlsdFile}
		}
		return nil
	}, "large", "huge")
	r := runMeasured(t, "", "mirror", "--dry-run", url(srv, "large"), filepath.Join(t.TempDir(), "large"))
	r.check(t, 0)
	if r.out.lines != 140_000 {
		t.Errorf("the plan has %d lines, want 140000", r.out.lines)
	}
	r = runMeasured(t, "", "mirror", "--dry-run", url(srv, "huge"), filepath.Join(t.TempDir(), "huge"))
	r.check(t, 1, "--max-entries")
}

// TestMemoryMirrorWide: a tree 10,000 folders wide, of 10 files each,
// mirrors within the budget and the default limits.
func TestMemoryMirrorWide(t *testing.T) {
	srv := bigServer(t, func(dir string) io.Reader {
		switch {
		case dir == "wide":
			return &generated{n: 10_000, line: mlsdDir}
		case strings.HasPrefix(dir, "wide/"):
			return &generated{n: 10, line: mlsdFile}
		}
		return nil
	}, "wide")
	r := runMeasured(t, "", "mirror", "--dry-run", "--parallel", "4", url(srv, "wide"), filepath.Join(t.TempDir(), "wide"))
	r.check(t, 0)
	if want := 10_000 + 10_000*10; r.out.lines != want {
		t.Errorf("the plan has %d lines, want %d", r.out.lines, want)
	}
}

// TestMemoryTreeTooWide: a tree whose every folder holds 20,000 folders
// ends at the entry limit, in a mirror and in ls -R.
func TestMemoryTreeTooWide(t *testing.T) {
	srv := bigServer(t, func(dir string) io.Reader {
		if dir == "deep" || strings.HasPrefix(dir, "deep/") {
			return &generated{n: 20_000, line: mlsdDir}
		}
		return nil
	}, "deep")
	r := runMeasured(t, "", "mirror", "--dry-run", "--parallel", "4", url(srv, "deep"), filepath.Join(t.TempDir(), "deep"))
	r.check(t, 1, "--max-entries")
	r = runMeasured(t, "", "ls", "-R", url(srv, "deep/"))
	r.check(t, 1, "--max-entries")
}

// TestMemoryCompletionEndless: Tab on an endless listing offers nothing,
// within the budget.
func TestMemoryCompletionEndless(t *testing.T) {
	srv := endlessServer(t)
	r := runMeasured(t, "", "__complete", "ls", url(srv, "endless/"))
	r.check(t, 0)
	if got := string(r.out.first); strings.Contains(got, "endless/x") {
		t.Errorf("candidates offered: %.200s", got)
	}
}
