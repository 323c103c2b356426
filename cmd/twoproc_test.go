//go:build unix

package cmd_test

import (
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ferry-ftp/ferry/internal/ftptest"
	"github.com/ferry-ftp/ferry/internal/testsupport"
)

// gate is a reader that passes first on, then waits until open is
// closed, then passes rest on: a transfer that stalls midway until the
// test lets it go.
type gate struct {
	first, rest io.Reader
	open        <-chan struct{}
}

func (g *gate) Read(b []byte) (int, error) {
	if n, err := g.first.Read(b); n > 0 || !errors.Is(err, io.EOF) {
		return n, err
	}
	<-g.open
	return g.rest.Read(b)
}

// process is a ferry process the test started.
type process struct {
	cmd    *exec.Cmd
	stderr testsupport.LockedBuffer // read while ferry runs
	done   chan error
}

// startProcess starts ferry in dir with args.
func startProcess(t *testing.T, dir string, args ...string) *process {
	t.Helper()
	p := &process{cmd: exec.Command(ferryBinary(t), args...), done: make(chan error, 1)}
	p.cmd.Dir = dir
	p.cmd.Stderr = &p.stderr
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.cmd.Process.Kill() })
	go func() { p.done <- p.cmd.Wait() }()
	return p
}

// waitFor waits until ready is closed, failing the test if p ends first
// or nothing happens for a minute.
func (p *process) waitFor(t *testing.T, ready <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-ready:
	case err := <-p.done:
		t.Fatalf("ferry ended (%v) before %s; stderr:\n%s", err, what, p.stderr.String())
	case <-time.After(time.Minute):
		t.Fatalf("no %s after a minute; stderr:\n%s", what, p.stderr.String())
	}
}

// wantSuccess waits for p to end and fails the test unless it exited 0.
func (p *process) wantSuccess(t *testing.T, name string) {
	t.Helper()
	if err := <-p.done; err != nil {
		t.Errorf("ferry %s: %v; stderr:\n%s", name, err, p.stderr.String())
	}
}

// Two ferry processes download one file to one local name at once (issue
// 12: they wrote the same temporary file, and the result was a mix of
// both). The first is held midway through its data while the second runs
// from start to end; the server sends each different data of the same
// size, so a mix would show. The second finds the first's temporary file
// locked and writes to one of its own: both succeed, and the file holds
// the data of one of them (the first's, which is renamed last), whole.
func TestTwoGetsOneName(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary")
	}
	const size = 2 << 20
	dataA, dataB := bytes.Repeat([]byte("A"), size), bytes.Repeat([]byte("B"), size)
	started, release := make(chan struct{}), make(chan struct{})
	var retrs int
	srv := ftptest.New(t, ftptest.Config{Hook: func(c ftptest.Command) *ftptest.Reply {
		if c.Verb != "RETR" {
			return nil
		}
		retrs++
		switch retrs {
		case 1:
			close(started)
			return &ftptest.Reply{Transfer: &ftptest.Transfer{Source: func() io.Reader {
				return &gate{first: bytes.NewReader(dataA[:size/2]), rest: bytes.NewReader(dataA[size/2:]), open: release}
			}}}
		case 2:
			return &ftptest.Reply{Transfer: &ftptest.Transfer{Data: dataB}}
		}
		return nil
	}})
	var once sync.Once
	open := func() { once.Do(func() { close(release) }) }
	t.Cleanup(open) // before the server closes
	if err := os.WriteFile(filepath.Join(srv.Root(), "f.bin"), bytes.Repeat([]byte("x"), size), 0o644); err != nil {
		t.Fatal(err)
	}
	work := t.TempDir()
	out := filepath.Join(work, "out")
	os.Mkdir(out, 0o755)
	url := "ftp://user:pass@" + srv.Addr() + "/f.bin"
	args := []string{"--retries", "0", "get", "-q", url, "-o", "out/f.bin"}

	a := startProcess(t, work, args...)
	a.waitFor(t, started, "the first download started")
	b := startProcess(t, work, args...)
	b.wantSuccess(t, "get (second)")
	open()
	a.wantSuccess(t, "get (first)")

	entries, _ := os.ReadDir(out)
	if len(entries) != 1 || entries[0].Name() != "f.bin" {
		t.Errorf("out holds %v, want f.bin alone", entries)
	}
	got, _ := os.ReadFile(filepath.Join(out, "f.bin"))
	if !bytes.Equal(got, dataA) {
		t.Errorf("f.bin holds %d bytes: %d of A, %d of B; want the first process's data whole",
			len(got), bytes.Count(got, []byte("A")), bytes.Count(got, []byte("B")))
	}
}

// Two ferry processes upload one file to one remote name at once (issue
// 12: with a shared temporary name, one renamed the other's upload away,
// and the other failed, or deleted what the first had put in place). The
// first is held after its data is sent, before it checks the size, while
// the second runs from start to end (each talks to a server of its own
// on the same folder, so that holding one holds nothing of the other).
// Each writes to a temporary name of its own process: both succeed, the
// file is whole under its name with the old file's permissions, nothing
// else is left, and neither deleted anything.
func TestTwoPutsOneName(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary")
	}
	root := t.TempDir()
	reached, release := make(chan struct{}), make(chan struct{})
	var held bool
	srvA := ftptest.New(t, ftptest.Config{Root: root, Hook: func(c ftptest.Command) *ftptest.Reply {
		if c.Verb == "SIZE" && strings.HasPrefix(path.Base(c.Arg), ".t.bin.ferry-") && !held {
			held = true
			close(reached)
			<-release
		}
		return nil
	}})
	srvB := ftptest.New(t, ftptest.Config{Root: root})
	var once sync.Once
	open := func() { once.Do(func() { close(release) }) }
	t.Cleanup(open) // before the servers close
	remote := filepath.Join(root, "t.bin")
	if err := os.WriteFile(remote, []byte("old contents"), 0o600); err != nil {
		t.Fatal(err)
	}
	work := t.TempDir()
	data := bytes.Repeat([]byte("0123456789abcdef"), 1<<16)
	if err := os.WriteFile(filepath.Join(work, "big.bin"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	put := func(srv *ftptest.Server) []string {
		return []string{"--retries", "0", "put", "-q", "big.bin", "ftp://user:pass@" + srv.Addr() + "/t.bin"}
	}

	a := startProcess(t, work, put(srvA)...)
	a.waitFor(t, reached, "the first upload sent its data")
	b := startProcess(t, work, put(srvB)...)
	b.wantSuccess(t, "put (second)")
	open()
	a.wantSuccess(t, "put (first)")

	entries, _ := os.ReadDir(root)
	if len(entries) != 1 || entries[0].Name() != "t.bin" {
		t.Errorf("the server holds %v, want t.bin alone", entries)
	}
	if got, _ := os.ReadFile(remote); !bytes.Equal(got, data) {
		t.Errorf("t.bin holds %d bytes, want the %d uploaded", len(got), len(data))
	}
	if fi, err := os.Stat(remote); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("t.bin: %v, mode %04o, want 0600", err, fi.Mode().Perm())
	}
	for _, c := range append(srvA.Commands(), srvB.Commands()...) {
		if strings.HasPrefix(c, "DELE ") {
			t.Errorf("a process deleted a file: %q", c)
		}
	}
}
