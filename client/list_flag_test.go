package client

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ferry-ftp/ferry/internal/ftptest"
)

// TestListFlagTakenForPath lists folders of a server that takes "-a" for
// a path, as Twisted and aioftp do ("550 path does not exists"): the
// listing is asked again without the flag, the session sends no flag
// from then on, a folder whose name has a space is listed from inside the
// same way, and a folder that is missing is still missing.
func TestListFlagTakenForPath(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{Disable: []string{"MLST", "MLSD"}, Hook: func(c ftptest.Command) *ftptest.Reply {
		if c.Verb == "LIST" && (c.Arg == "-a" || strings.HasPrefix(c.Arg, "-a ")) {
			return &ftptest.Reply{Code: 550, Text: "path does not exists"}
		}
		return nil
	}})
	writeFile(t, srv, "d/a.txt", []byte("a"))
	writeFile(t, srv, "s p/b.txt", []byte("b"))
	c := dialLogin(t, srv)
	names := func(dir string) ([]string, error) {
		var got []string
		err := c.ReadDirFunc(testCtx(t), dir, ListOptions{Hidden: true}, func(e Entry) error {
			got = append(got, e.Name)
			return nil
		})
		slices.Sort(got)
		return got, err
	}
	if got, err := names("d"); err != nil || !slices.Equal(got, []string{"a.txt"}) {
		t.Fatalf("first listing: %q, %v", got, err)
	}
	if got, err := names("d"); err != nil || !slices.Equal(got, []string{"a.txt"}) {
		t.Fatalf("second listing: %q, %v", got, err)
	}
	if got, err := names("s p"); err != nil || !slices.Equal(got, []string{"b.txt"}) {
		t.Fatalf("folder with a space: %q, %v", got, err)
	}
	var nf *NoFolderError
	if _, err := names("missing"); !errors.As(err, &nf) {
		t.Fatalf("missing folder: %v, want a missing folder", err)
	}
	var lists []string
	for _, cmd := range srv.SessionCommands(1) {
		if strings.HasPrefix(cmd, "LIST") {
			lists = append(lists, cmd)
		}
	}
	want := []string{"LIST -a d", "LIST d", "LIST d", "LIST", "LIST missing"}
	if !slices.Equal(lists, want) {
		t.Errorf("LIST commands %q, want %q", lists, want)
	}
}

// TestListLsComplaint lists missing folders of servers that run ls for
// LIST (inetutils ftpd, BSD ftpd under a German locale): they answer 150,
// send ls's complaint as the listing, and 226. The folder is checked with
// CWD, and is missing; a folder that is there but lists one unreadable
// line stays an unreadable listing.
func TestListLsComplaint(t *testing.T) {
	complaints := map[string]string{
		"x/tree":   "x/tree: No such file or directory\r\n",
		"y":        "/bin/ls: Zugriff auf 'y' nicht möglich: Datei oder Verzeichnis nicht gefunden\r\n",
		"existing": "existing: something odd\r\n",
	}
	srv := ftptest.New(t, ftptest.Config{Disable: []string{"MLST", "MLSD"}, Hook: func(c ftptest.Command) *ftptest.Reply {
		if data, ok := complaints[strings.TrimPrefix(c.Arg, "-a ")]; ok && c.Verb == "LIST" {
			return &ftptest.Reply{Transfer: &ftptest.Transfer{Data: []byte(data)}}
		}
		return nil
	}})
	writeFile(t, srv, "existing/a.txt", []byte("a"))
	c := dialLogin(t, srv)
	for _, dir := range []string{"x/tree", "y"} {
		err := c.ReadDirFunc(testCtx(t), dir, ListOptions{Hidden: true}, func(Entry) error { return nil })
		var nf *NoFolderError
		if !errors.As(err, &nf) {
			t.Errorf("ReadDirFunc(%s) = %v, want a missing folder", dir, err)
		}
	}
	err := c.ReadDirFunc(testCtx(t), "existing", ListOptions{Hidden: true}, func(Entry) error { return nil })
	var nf *NoFolderError
	if err == nil || errors.As(err, &nf) || KindOf(err) != KindProtocol {
		t.Errorf("ReadDirFunc(existing) = %v, want the unreadable listing", err)
	}
}

// TestNoopRefused checks a server that refuses NOOP, as aioftp does: the
// connection is alive all the same, NOOP is not asked again (PWD is),
// and an aborted download resyncs with PWD instead of waiting for a 200
// that never comes.
func TestNoopRefused(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{Disable: []string{"NOOP"}})
	writeFile(t, srv, "big", make([]byte, 8<<20))
	c := dialLogin(t, srv)
	for range 2 {
		if err := c.Noop(testCtx(t)); err != nil {
			t.Fatalf("Noop: %v", err)
		}
	}
	r, err := c.Retr(testCtx(t), "big", 0)
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 1024)
	if _, err := r.Read(buf); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	r.Close() // before the end: ABOR
	if took := time.Since(start); took >= abortTimeout {
		t.Errorf("the abort took %v: it waited for NOOP's 200", took)
	}
	if err := c.Noop(testCtx(t)); err != nil || c.Err() != nil {
		t.Fatalf("after the abort: %v, %v", err, c.Err())
	}
	var got []string
	for _, cmd := range srv.SessionCommands(1) {
		if cmd == "NOOP" || cmd == "PWD" || cmd == "ABOR" {
			got = append(got, cmd)
		}
	}
	if want := []string{"NOOP", "PWD", "ABOR", "PWD", "PWD"}; !slices.Equal(got, want) {
		t.Errorf("commands %q, want %q", got, want)
	}
}
