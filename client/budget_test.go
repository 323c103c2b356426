package client

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ferry-ftp/ferry/internal/ftptest"
)

// listingHook answers every listing command for dir with data.
func listingHook(dir string, data func() io.Reader) func(ftptest.Command) *ftptest.Reply {
	return func(c ftptest.Command) *ftptest.Reply {
		switch c.Verb {
		case "LIST", "MLSD", "NLST":
			if strings.TrimPrefix(c.Arg, "-a ") == dir {
				return &ftptest.Reply{Transfer: &ftptest.Transfer{Source: data}}
			}
		}
		return nil
	}
}

// endless is an endless listing of Unix lines.
type endless struct {
	n   int
	buf []byte
}

func (e *endless) Read(p []byte) (int, error) {
	for len(e.buf) < len(p) {
		e.n++
		e.buf = fmt.Appendf(e.buf, "-rw-r--r--    1 ftp      ftp          1234 Mar 01  2024 f%d\r\n", e.n)
	}
	n := copy(p, e.buf)
	e.buf = e.buf[:copy(e.buf, e.buf[n:])]
	return n, nil
}

// TestBudgetSharedByConnections: the connections of one budget read no
// more listing data in all than its limit, and the error names the limit
// and the setting that raises it.
func TestBudgetSharedByConnections(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{Disable: []string{"MLST", "MLSD"},
		Hook: listingHook("big", func() io.Reader { return io.LimitReader(&endless{}, 600<<10) })})
	b := NewBudget(Limits{Bytes: 1 << 20, BytesSetting: "--max-listing-size"})
	c1 := dialLogin(t, srv, WithBudget(b))
	c2 := dialLogin(t, srv, WithBudget(b))
	n := 0
	count := func(Entry) error { n++; return nil }
	if err := c1.ReadDirFunc(testCtx(t), "big", ListOptions{}, count); err != nil {
		t.Fatalf("first listing of 600 KiB: %v", err)
	}
	err := c2.ReadDirFunc(testCtx(t), "big", ListOptions{}, count)
	var le *LimitError
	if !errors.As(err, &le) || le.What != "bytes" {
		t.Fatalf("second listing = %v, want a LimitError on bytes", err)
	}
	if want := "ftp: listing limit reached: more than 1 MiB of listings read (raise it with --max-listing-size)"; err.Error() != want {
		t.Errorf("error %q, want %q", err, want)
	}
	if KindOf(err) != KindOther {
		t.Errorf("kind %v, want other", KindOf(err))
	}
	// The listing was aborted: the connection still works.
	if err := c2.Noop(testCtx(t)); err != nil {
		t.Fatalf("Noop after the stopped listing: %v", err)
	}
	// A new command starts afresh.
	b.Reset()
	if err := c2.ReadDirFunc(testCtx(t), "big", ListOptions{}, count); err != nil {
		t.Fatalf("listing after Reset: %v", err)
	}
}

// TestBudgetKeep: entries kept count against the limit, long paths as
// several, and Release gives them back.
func TestBudgetKeep(t *testing.T) {
	b := NewBudget(Limits{Entries: 3, EntriesSetting: "--max-entries"})
	if err := b.KeepPath("a"); err != nil {
		t.Fatal(err)
	}
	if err := b.KeepPath(strings.Repeat("x", 2*pathUnit)); err == nil {
		t.Fatal("a path of 256 bytes after one entry fits a limit of 3 entries")
	} else if want := "ftp: listing limit reached: more than 3 entries kept (raise it with --max-entries)"; err.Error() != want {
		t.Errorf("error %q, want %q", err, want)
	}
	b.ReleasePath(strings.Repeat("x", 2*pathUnit))
	if err := b.KeepPath("b"); err != nil {
		t.Fatalf("after Release: %v", err)
	}
	var none *Budget
	if err := none.Keep(1 << 30); err != nil {
		t.Errorf("a nil budget refused: %v", err)
	}
}

// TestReadDirFuncStreams: entries arrive one by one in the server's order;
// an error of the callback stops the listing, which is aborted, and is
// returned as it is.
func TestReadDirFuncStreams(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{Disable: []string{"MLST", "MLSD"},
		Hook: listingHook("big", func() io.Reader { return &endless{} })})
	c := dialLogin(t, srv)
	stop := errors.New("enough")
	var names []string
	err := c.ReadDirFunc(testCtx(t), "big", ListOptions{}, func(e Entry) error {
		if names = append(names, e.Name); len(names) == 3 {
			return stop
		}
		return nil
	})
	if err != stop {
		t.Fatalf("ReadDirFunc = %v, want the callback's error", err)
	}
	if want := []string{"f1", "f2", "f3"}; !slices.Equal(names, want) {
		t.Errorf("names %q, want %q", names, want)
	}
	if err := c.Noop(testCtx(t)); err != nil {
		t.Fatalf("Noop after the stopped listing: %v", err)
	}
}

// TestConfirmEmptyListing: servers such as vsftpd list a missing folder as
// an empty one. With Confirm, only an empty listing costs a check: CWD
// there and back, or MLST where offered; a refusal is a NoFolderError
// that carries the server's reply.
func TestConfirmEmptyListing(t *testing.T) {
	empty := func() io.Reader { return strings.NewReader("") }
	for _, tc := range []struct {
		name    string
		disable []string
		dir     string
		confirm bool
		want    []string
		missing bool
	}{
		{"missing LIST", []string{"MLST", "MLSD"}, "nope", true, []string{"EPSV", "LIST nope", "PWD", "CWD nope"}, true},
		{"empty LIST", []string{"MLST", "MLSD"}, "empty", true, []string{"EPSV", "LIST empty", "PWD", "CWD empty", "CWD /"}, false},
		{"full LIST", []string{"MLST", "MLSD"}, "full", true, []string{"EPSV", "LIST full"}, false},
		{"unconfirmed LIST", []string{"MLST", "MLSD"}, "nope", false, []string{"EPSV", "LIST nope"}, false},
		{"missing MLSD", nil, "nope", true, []string{"EPSV", "MLSD nope", "MLST nope"}, true},
		{"empty MLSD", nil, "empty", true, []string{"EPSV", "MLSD empty", "MLST empty"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := ftptest.New(t, ftptest.Config{Disable: tc.disable, Hook: func(c ftptest.Command) *ftptest.Reply {
				if (c.Verb == "LIST" || c.Verb == "MLSD") && c.Arg != "full" {
					return &ftptest.Reply{Transfer: &ftptest.Transfer{Source: empty}}
				}
				return nil
			}})
			for _, d := range []string{"empty", "full"} {
				if err := os.MkdirAll(filepath.Join(srv.Root(), d), 0o755); err != nil {
					t.Fatal(err)
				}
			}
			writeFile(t, srv, "full/a", []byte("a"))
			c := dialLogin(t, srv)
			if _, err := c.Features(testCtx(t)); err != nil {
				t.Fatal(err)
			}
			before := len(srv.Commands())
			err := c.ReadDirFunc(testCtx(t), tc.dir, ListOptions{Confirm: tc.confirm}, func(Entry) error { return nil })
			var nf *NoFolderError
			switch {
			case tc.missing && !errors.As(err, &nf):
				t.Fatalf("ReadDirFunc = %v, want a NoFolderError", err)
			case tc.missing && ReplyCode(err) != 550:
				t.Errorf("reply code %d, want 550", ReplyCode(err))
			case tc.missing && !strings.Contains(err.Error(), `"nope": no such folder`):
				t.Errorf("error %q does not say no such folder", err)
			case !tc.missing && err != nil:
				t.Fatalf("ReadDirFunc = %v", err)
			}
			matchCommands(t, srv.Commands()[before:], tc.want)
		})
	}
}

// TestUnreadableListing: a listing of which no line can be parsed is an
// error naming its first line, not an empty folder. Among good lines,
// bad ones are reported, those before the first good one held back
// until it comes.
func TestUnreadableListing(t *testing.T) {
	// Vietnamese ls: the time first, and "Thg 12" for December.
	const de = "-rw-r--r--    1 ftp      ftp            29 09:07  6 Thg 12 a.txt\r\n" +
		"drwxr-xr-x    2 ftp      ftp          4096 12 Thg 3   2024 sub\r\n"
	const good = "-rw-r--r--    1 ftp      ftp            29 Dec  6 09:07 c.txt\r\n"
	srv := ftptest.New(t, ftptest.Config{Disable: []string{"MLST", "MLSD"}, Hook: func(c ftptest.Command) *ftptest.Reply {
		data := map[string]string{"de": de, "mixed": "total 3\r\n" + de + good}[c.Arg]
		if c.Verb != "LIST" || data == "" {
			return nil
		}
		return &ftptest.Reply{Transfer: &ftptest.Transfer{Data: []byte(data)}}
	}})
	// The folder is there: a listing of a folder that is not could be
	// ls's complaint about it (TestListLsComplaint).
	writeFile(t, srv, "de/a.txt", []byte("a"))
	c := dialLogin(t, srv)
	_, _, err := c.List(testCtx(t), "de")
	if KindOf(err) != KindProtocol {
		t.Fatalf("List of an unreadable listing = %v, want a protocol error", err)
	}
	want := `ftp: LIST: cannot read the listing: none of its 2 lines is in a format ferry knows; the first: unparseable LIST line "-rw-r--r--    1 ftp      ftp            29 09:07  6 Thg 12 a.txt": `
	if !strings.HasPrefix(err.Error(), want) {
		t.Errorf("error %q, want it to start %q", err, want)
	}
	var events []string
	err = c.ReadDirFunc(testCtx(t), "mixed", ListOptions{Unparsed: func(l string) { events = append(events, "bad "+l[len(l)-5:]) }},
		func(e Entry) error { events = append(events, "entry "+e.Name); return nil })
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"bad a.txt", "bad 4 sub", "entry c.txt"}; !slices.Equal(events, want) {
		t.Errorf("events %q, want %q", events, want)
	}
	entries, unparsed, err := c.List(testCtx(t), "mixed")
	if err != nil || len(entries) != 1 || len(unparsed) != 2 {
		t.Errorf("List(mixed) = %d entries, %q, %v; want 1 entry and 2 unparsed lines", len(entries), unparsed, err)
	}
}
