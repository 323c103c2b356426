package transfer

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"unsafe"

	"github.com/ferry-ftp/ferry/client"
	"github.com/ferry-ftp/ferry/internal/ftptest"
	"github.com/ferry-ftp/ferry/internal/testsupport"
)

// TestMirrorSourceMustExist: a server that lists a missing folder as an
// empty one (vsftpd) does not make a mirror of it an empty success: the
// source root is checked when its listing is empty, and a missing one
// fails with the server's 550. A destination root is not checked.
func TestMirrorSourceMustExist(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{Disable: []string{"MLST", "MLSD"}, Hook: func(c ftptest.Command) *ftptest.Reply {
		if c.Verb == "LIST" && strings.TrimPrefix(c.Arg, "-a ") == "nope" {
			return &ftptest.Reply{Transfer: &ftptest.Transfer{Data: []byte{}}}
		}
		return nil
	}})
	p := testPool(t, srv, PoolOptions{Size: 2})
	_, err := p.Mirror(testCtx(t), "nope", filepath.Join(t.TempDir(), "out"), MirrorOptions{Update: UpdateChanged, DryRun: true})
	var nf *client.NoFolderError
	if !errors.As(err, &nf) || client.ReplyCode(err) != 550 {
		t.Fatalf("Mirror of a missing folder = %v, want a NoFolderError with 550", err)
	}
	if n := countVerb(srv.Commands(), "CWD"); n != 1 {
		t.Errorf("%d CWD sent, want 1", n)
	}
}

// TestMirrorBudget: the nodes of a tree count against the budget of the
// pool's connections; a tree too large for it ends the job with the
// budget's error, not with a count of failed folders.
func TestMirrorBudget(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{Hook: func(c ftptest.Command) *ftptest.Reply {
		if c.Verb != "MLSD" || !strings.HasPrefix(c.Arg, "wide") {
			return nil
		}
		var b strings.Builder
		for i := range 40 {
			fmt.Fprintf(&b, "type=dir;modify=20240101000000; d%d\r\n", i)
		}
		return &ftptest.Reply{Transfer: &ftptest.Transfer{Source: func() io.Reader { return strings.NewReader(b.String()) }}}
	}})
	testsupport.WriteFile(t, filepath.Join(srv.Root(), "wide", "x"), "x")
	budget := client.NewBudget(client.Limits{Entries: 100, EntriesSetting: "--max-entries"})
	s := site(srv)
	s.Options = append(s.Options, client.WithBudget(budget))
	p := NewPool(s, PoolOptions{Size: 3, Backoff: noWait})
	t.Cleanup(func() { p.Close() })
	rep, err := p.Mirror(testCtx(t), "wide", filepath.Join(t.TempDir(), "out"), MirrorOptions{Update: UpdateChanged, DryRun: true})
	var le *client.LimitError
	if !errors.As(err, &le) || !strings.Contains(err.Error(), "--max-entries") {
		t.Fatalf("Mirror = %v, want the budget's LimitError", err)
	}
	if rep.Failed != 0 {
		t.Errorf("%d failures counted, want none: the limit ends the job", rep.Failed)
	}
}

// TestNodeCompact: a remote file's node keeps no listing facts, only what
// the plan and the download use, in a path of its own.
func TestNodeCompact(t *testing.T) {
	line := "type=file;size=3;modify=20240101000000;perm=r;unique=1a;UNIX.mode=0644;UNIX.owner=ftp;UNIX.group=ftp; f.txt"
	e, err := client.ParseMLSxLine(line)
	if err != nil {
		t.Fatal(err)
	}
	n := remoteNode("d", &e)
	if n.rel != "d/f.txt" || n.size != 3 || n.listed == nil || n.listed.Size != 3 || !n.listed.ModTime.Equal(e.ModTime) {
		t.Fatalf("node %+v, listed %+v", n, n.listed)
	}
	if n.listed.Facts != nil || n.listed.Owner != "" || n.listed.Group != "" {
		t.Errorf("the node keeps listing facts: %+v", n.listed)
	}
	if unsafe.StringData(n.listed.Name) != unsafe.StringData(n.rel[2:]) {
		t.Errorf("the listed name is a string of its own, not a part of the path")
	}
	dir := remoteNode("", &client.Entry{Name: "sub", Type: client.EntryDir})
	if dir.listed != nil {
		t.Errorf("a folder's node keeps a listing entry")
	}
}
