package transfer

import (
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/ferry-ftp/ferry/internal/ftptest"
	"github.com/ferry-ftp/ferry/internal/testsupport"
)

// Servers that lack SIZE, MDTM, MLST, MLSD, FEAT or EPSV (issue 14): the
// transfers still check lengths, and ask each refused command once per
// session.

// TestGetSizeRefused: a download from a server that refuses SIZE (and has
// no MLST) checks the data's length against the size its folder's
// listing shows: data longer than that, with no size in the 150 reply,
// fails with ErrTooLong and leaves nothing. SIZE is asked once.
func TestGetSizeRefused(t *testing.T) {
	var long atomic.Bool
	srv := ftptest.New(t, ftptest.Config{Disable: []string{"SIZE", "MLST", "MLSD"}, Hook: func(c ftptest.Command) *ftptest.Reply {
		if c.Verb == "RETR" && long.Load() {
			return &ftptest.Reply{Transfer: &ftptest.Transfer{Data: []byte("hello, and more"),
				Mark: &ftptest.Reply{Code: 150, Text: "Opening BINARY mode data connection."}}}
		}
		return nil
	}})
	testsupport.WriteFile(t, filepath.Join(srv.Root(), "d/f.txt"), "hello")
	c := connect(t, srv)
	dir := t.TempDir()
	if res, err := Get(testCtx(t), c, "d/f.txt", filepath.Join(dir, "f.txt"), GetOptions{}); err != nil || res.Size != 5 {
		t.Fatalf("Get = %+v, %v", res, err)
	}
	wantTree(t, dir, map[string]string{"f.txt": "hello"})
	wantCommands(t, srv, "SIZE d/f.txt", "LIST d", "MDTM d/f.txt", "EPSV", "RETR d/f.txt")

	long.Store(true)
	dir = t.TempDir()
	_, err := Get(testCtx(t), c, "d/f.txt", filepath.Join(dir, "f.txt"), GetOptions{})
	if !errors.Is(err, ErrTooLong) {
		t.Fatalf("Get of data longer than listed = %v, want ErrTooLong", err)
	}
	wantTree(t, dir, map[string]string{})
	if n := countVerb(srv.SessionCommands(1), "SIZE"); n != 1 {
		t.Errorf("SIZE asked %d times, want once", n)
	}
}

// TestPutSizeRefused: an upload to a server that refuses SIZE (and has no
// MLST) checks what arrived against the size its folder's listing shows
// (with "-a": the temporary name starts with "."): a short file is
// ErrIncomplete and does not take the final name.
func TestPutSizeRefused(t *testing.T) {
	var short atomic.Bool
	var stored atomic.Value
	srv := ftptest.New(t, ftptest.Config{Disable: []string{"SIZE", "MLST", "MLSD"}, Hook: func(c ftptest.Command) *ftptest.Reply {
		switch {
		case c.Verb == "STOR":
			stored.Store(path.Base(c.Arg))
		case c.Verb == "LIST" && short.Load() && stored.Load() != nil:
			line := fmt.Sprintf("-rw-r--r--   1 user group 3 Jan 01 00:00 %s\r\n", stored.Load())
			return &ftptest.Reply{Transfer: &ftptest.Transfer{Data: []byte(line)}}
		}
		return nil
	}})
	local := localFile(t, "a.txt", "hello")
	c := connect(t, srv)
	if _, err := Put(testCtx(t), c, local, "a.txt", PutOptions{}); err != nil {
		t.Fatal(err)
	}
	wantFiles(t, srv, map[string]string{"a.txt": "hello"})
	tmp := uploadTemp(t, local, "a.txt")
	cmds := srv.SessionCommands(1)
	i := slices.Index(cmds, "STOR "+tmp)
	if i < 0 || !slices.Equal(cmds[i+1:i+3], []string{"EPSV", "LIST -a"}) {
		t.Errorf("commands %q: want the upload's size read from LIST -a", cmds)
	}

	short.Store(true)
	os.Remove(filepath.Join(srv.Root(), "a.txt"))
	_, err := Put(testCtx(t), c, local, "a.txt", PutOptions{})
	if !errors.Is(err, ErrIncomplete) || !strings.Contains(err.Error(), "holds 3 bytes") {
		t.Fatalf("Put = %v, want ErrIncomplete (3 bytes)", err)
	}
	if _, err := os.Stat(filepath.Join(srv.Root(), "a.txt")); err == nil {
		t.Error("a short upload took the final name")
	}
	if n := countVerb(srv.SessionCommands(1), "SIZE"); n != 1 {
		t.Errorf("SIZE asked %d times, want once", n)
	}
}

// refusingServer refuses FEAT, SIZE, MDTM, MLST, MLSD and EPSV (502) and
// answers LIST of a missing folder as proftpd does (150, then 450).
func refusingServer(t *testing.T) *ftptest.Server {
	return ftptest.New(t, ftptest.Config{Disable: []string{"FEAT", "SIZE", "MDTM", "MLST", "MLSD", "EPSV"}, MissingListing450: true})
}

// askedOnce fails the test when a session asked a refused command more
// than once.
func askedOnce(t *testing.T, srv *ftptest.Server) {
	t.Helper()
	for n := 1; ; n++ {
		cmds := srv.SessionCommands(n)
		if cmds == nil {
			return
		}
		for _, v := range []string{"FEAT", "SIZE", "MDTM", "MLST", "MLSD", "EPSV"} {
			if k := countVerb(cmds, v); k > 1 {
				t.Errorf("session %d asked the refused %s %d times: %q", n, v, k, cmds)
			}
		}
	}
}

// TestMirrorEverythingRefused: both mirrors against a server that refuses
// FEAT, SIZE, MDTM, MLST, MLSD and EPSV copy the tree, into a remote
// folder that does not exist yet (proftpd's 150-then-450 to its LIST),
// and a second run copies nothing; each refused command is asked at most
// once per session.
func TestMirrorEverythingRefused(t *testing.T) {
	srv := refusingServer(t)
	makeTree(t, filepath.Join(srv.Root(), "src"), 2, 3, 3000, 1)
	p := testPool(t, srv, PoolOptions{Size: 2})

	local := t.TempDir()
	for run := range 2 {
		rep, err := p.Mirror(testCtx(t), "src", local, MirrorOptions{Update: UpdateChanged})
		if err != nil || rep.Failed != 0 || rep.Copied != []int{6, 0}[run] {
			t.Fatalf("download run %d: %+v, %v", run+1, rep, err)
		}
	}
	sameTree(t, filepath.Join(srv.Root(), "src"), local)

	for run := range 2 {
		rep, err := p.Mirror(testCtx(t), "new/dst", local, MirrorOptions{Direction: Upload, Update: UpdateChanged})
		if err != nil || rep.Failed != 0 || rep.Copied != []int{6, 0}[run] {
			t.Fatalf("upload run %d: %+v, %v", run+1, rep, err)
		}
	}
	sameTree(t, local, filepath.Join(srv.Root(), "new/dst"))
	askedOnce(t, srv)
}
