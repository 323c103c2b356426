package transfer

import (
	"bytes"
	"context"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ferry-ftp/ferry/client"
	"github.com/ferry-ftp/ferry/internal/ftptest"
)

func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func randomData(n int) []byte {
	r := rand.New(rand.NewPCG(uint64(n), 7))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

func site(srv *ftptest.Server) Site {
	return Site{Addr: srv.Addr(), User: "user", Password: "pass"}
}

func connect(t *testing.T, srv *ftptest.Server) *client.Conn {
	t.Helper()
	c, err := Connect(testCtx(t), site(srv))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// dropFirst cuts the data connection of the first transfer of verb after n
// bytes.
func dropFirst(verb string, n int64) func(ftptest.Command) *ftptest.Reply {
	var once sync.Once
	return func(c ftptest.Command) *ftptest.Reply {
		var r *ftptest.Reply
		if c.Verb == verb {
			once.Do(func() { r = &ftptest.Reply{Transfer: &ftptest.Transfer{DropAfter: n}} })
		}
		return r
	}
}

func TestGetInterruptedKeepsOldFileAndResumes(t *testing.T) {
	data := randomData(3<<20 + 17)
	srv := ftptest.New(t, ftptest.Config{Hook: dropFirst("RETR", 1<<20)})
	if err := os.WriteFile(filepath.Join(srv.Root(), "f.bin"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	mtime := time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC)
	os.Chtimes(filepath.Join(srv.Root(), "f.bin"), mtime, mtime)
	dir := t.TempDir()
	local := filepath.Join(dir, "f.bin")
	old := []byte("the old file")
	os.WriteFile(local, old, 0o644)
	c := connect(t, srv)

	_, err := Get(testCtx(t), c, "f.bin", local, GetOptions{})
	if err == nil {
		t.Fatal("cut-off download succeeded")
	}
	if got, _ := os.ReadFile(local); !bytes.Equal(got, old) {
		t.Fatalf("old file changed to %d bytes", len(got))
	}
	partName := partFor(t, srv, "f.bin", local)
	part, _ := os.ReadFile(partName)
	if len(part) == 0 || len(part) > 1<<20 || !bytes.Equal(part, data[:len(part)]) {
		t.Fatalf("part file holds %d bytes, not a prefix of the file", len(part))
	}

	res, err := Get(testCtx(t), c, "f.bin", local, GetOptions{Resume: true})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(local); !bytes.Equal(got, data) {
		t.Fatalf("resumed file differs (%d bytes)", len(got))
	}
	if res.Offset != int64(len(part)) || res.Bytes != int64(len(data)-len(part)) {
		t.Errorf("result %+v, want offset %d", res, len(part))
	}
	wantTree(t, dir, map[string]string{"f.bin": string(data)})
	if fi, _ := os.Stat(local); !fi.ModTime().Equal(mtime) {
		t.Errorf("mtime %v, want %v", fi.ModTime(), mtime)
	}
	cmds := srv.SessionCommands(1)
	if !strings.Contains(strings.Join(cmds, "\n"), "REST "+strconv.Itoa(len(part))+"\nRETR f.bin") {
		t.Errorf("no REST %d before RETR: %q", len(part), cmds)
	}
}

func TestGetMissingFile(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{})
	c := connect(t, srv)
	local := filepath.Join(t.TempDir(), "x")
	_, err := Get(testCtx(t), c, "missing", local, GetOptions{})
	if client.ReplyCode(err) != 550 || !IsNotFound(err) {
		t.Fatalf("Get = %v, want 550 not found", err)
	}
	if entries, _ := os.ReadDir(filepath.Dir(local)); len(entries) != 0 {
		t.Errorf("files left behind: %v", entries)
	}
}

func TestGetUnwritableTarget(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{})
	os.WriteFile(filepath.Join(srv.Root(), "f"), []byte("x"), 0o644)
	c := connect(t, srv)
	_, err := Get(testCtx(t), c, "f", filepath.Join(t.TempDir(), "no", "such", "dir", "f"), GetOptions{})
	var le *LocalError
	if !errors.As(err, &le) {
		t.Fatalf("Get = %v, want a LocalError", err)
	}
	if c.Noop(testCtx(t)) != nil {
		t.Error("connection unusable after a local error")
	}
}

// failingWriter fails after n bytes, like a full disk.
type failingWriter struct{ n int }

func (f *failingWriter) Write(b []byte) (int, error) {
	if len(b) > f.n {
		n := f.n
		f.n = 0
		return n, errors.New("no space left on device")
	}
	f.n -= len(b)
	return len(b), nil
}

func TestFetchLocalWriteFails(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{})
	os.WriteFile(filepath.Join(srv.Root(), "f"), randomData(2<<20), 0o644)
	c := connect(t, srv)
	_, err := Fetch(testCtx(t), c, "f", &failingWriter{n: 1000}, nil)
	var le *LocalError
	if !errors.As(err, &le) {
		t.Fatalf("Fetch = %v, want a LocalError", err)
	}
	if err := c.Noop(testCtx(t)); err != nil {
		t.Fatalf("connection unusable after abort: %v", err)
	}
}

func TestPutUsesTemporaryName(t *testing.T) {
	data := randomData(1<<20 + 5)
	srv := ftptest.New(t, ftptest.Config{})
	local := filepath.Join(t.TempDir(), "up.bin")
	os.WriteFile(local, data, 0o644)
	os.WriteFile(filepath.Join(srv.Root(), "up.bin"), []byte("old remote"), 0o644)
	c := connect(t, srv)
	if _, err := Put(testCtx(t), c, local, "up.bin", PutOptions{}); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(filepath.Join(srv.Root(), "up.bin")); !bytes.Equal(got, data) {
		t.Fatalf("remote file differs (%d bytes)", len(got))
	}
	tmp := uploadTemp(t, local, "up.bin")
	cmds := strings.Join(srv.SessionCommands(1), "\n")
	if !strings.Contains(cmds, "STOR "+tmp) || !strings.Contains(cmds, "RNFR "+tmp+"\nRNTO up.bin") {
		t.Errorf("commands:\n%s", cmds)
	}
}

func TestPutInterruptedKeepsOldRemoteAndResumes(t *testing.T) {
	data := randomData(3 << 20)
	srv := ftptest.New(t, ftptest.Config{Hook: dropFirst("STOR", 1<<20)})
	local := filepath.Join(t.TempDir(), "up.bin")
	os.WriteFile(local, data, 0o644)
	remote := filepath.Join(srv.Root(), "up.bin")
	os.WriteFile(remote, []byte("old remote"), 0o644)
	c := connect(t, srv)
	if _, err := Put(testCtx(t), c, local, "up.bin", PutOptions{}); err == nil {
		t.Fatal("cut-off upload succeeded")
	}
	if got, _ := os.ReadFile(remote); string(got) != "old remote" {
		t.Fatalf("remote file replaced by %d bytes", len(got))
	}
	c = connect(t, srv)
	res, err := Put(testCtx(t), c, local, "up.bin", PutOptions{Resume: true})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(remote); !bytes.Equal(got, data) {
		t.Fatalf("remote file differs (%d bytes)", len(got))
	}
	if res.Offset == 0 {
		t.Errorf("upload did not resume: %+v", res)
	}
}

func TestPutMissingLocal(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{})
	c := connect(t, srv)
	_, err := Put(testCtx(t), c, filepath.Join(t.TempDir(), "nope"), "x", PutOptions{})
	var le *LocalError
	if !errors.As(err, &le) || !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("Put = %v", err)
	}
}

func TestPutServerWithoutRename(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{Disable: []string{"RNFR", "RNTO"}})
	local := filepath.Join(t.TempDir(), "a")
	os.WriteFile(local, []byte("hello"), 0o644)
	c := connect(t, srv)
	if _, err := Put(testCtx(t), c, local, "a", PutOptions{}); err != nil {
		t.Fatal(err)
	}
	wantFiles(t, srv, map[string]string{"a": "hello"})
}

func TestSessionReconnectsAndRestoresFolder(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{Fault421At: 9})
	os.MkdirAll(filepath.Join(srv.Root(), "pub", "sub"), 0o755)
	s, err := Open(testCtx(t), site(srv))
	if err != nil {
		t.Fatal(err)
	}
	var notes []string
	s.Notify = func(m string) { notes = append(notes, m) }
	if err := s.Chdir(testCtx(t), "pub/sub"); err != nil {
		t.Fatal(err)
	}
	c, _ := s.Conn(testCtx(t))
	if err := c.Noop(testCtx(t)); client.ReplyCode(err) != 421 {
		t.Fatalf("Noop = %v, want the injected 421", err)
	}
	c, err = s.Conn(testCtx(t))
	if err != nil {
		t.Fatal(err)
	}
	if wd, err := c.Pwd(testCtx(t)); err != nil || wd != "/pub/sub" {
		t.Fatalf("Pwd after reconnect = %q, %v", wd, err)
	}
	if len(notes) != 1 || !strings.Contains(notes[0], "/pub/sub") {
		t.Errorf("notes %q", notes)
	}
	if srv.Sessions() != 2 {
		t.Errorf("%d sessions", srv.Sessions())
	}
}
