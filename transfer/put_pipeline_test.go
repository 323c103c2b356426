package transfer

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/ferry-ftp/ferry/internal/ftptest"
)

// Uploads over a pool's connection, as the server read them: the login's
// setup and the first data connection go with PASS; each STOR goes alone,
// its data without waiting for the 150, over a data connection made
// ready while the server answered the commands before it; the SIZE that
// checks an upload carries the next upload's EPSV; RNFR and RNTO go
// together. Three round trips an upload where each command waited for
// the reply before it took seven.
func TestPoolUploadBatches(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{})
	p := NewPool(site(srv), PoolOptions{Size: 1})
	a, b := localFile(t, "a", "first file"), localFile(t, "b", "second")
	for _, l := range []string{a, b} {
		if _, err := p.PutFile(testCtx(t), l, strings.ToUpper(l[len(l)-1:]), PutOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	p.Close()
	srv.WaitSessions(30 * time.Second)
	wantFiles(t, srv, map[string]string{"A": "first file", "B": "second"})
	ta, tb := uploadTemp(t, a, "A"), uploadTemp(t, b, "B")
	want := [][]string{{"USER user"}, {"PASS pass", "TYPE I", "FEAT", "OPTS UTF8 ON", "EPSV"},
		{"MLST A"}, {"STOR " + ta}, {"SIZE " + ta, "EPSV"}, {"RNFR " + ta, "RNTO A"},
		{"MLST B"}, {"STOR " + tb}, {"SIZE " + tb, "EPSV"}, {"RNFR " + tb, "RNTO B"},
		{"QUIT"}}
	if got := srv.Batches(1); !reflect.DeepEqual(got, want) {
		t.Errorf("batches\n  %q\nwant\n  %q", got, want)
	}
}

// The size check still comes before the rename: a SIZE that disagrees
// with the file (sent with the next upload's EPSV) stops the upload before
// RNFR and RNTO, and the old file stays.
func TestPoolUploadSizeMismatchNoRename(t *testing.T) {
	srv := putServer(t, map[string]string{"a.txt": "old contents"}, func(string) func(ftptest.Command) *ftptest.Reply {
		return func(c ftptest.Command) *ftptest.Reply {
			if c.Verb == "SIZE" && IsTempName(c.Arg) {
				return &ftptest.Reply{Code: 213, Text: "99999"}
			}
			return nil
		}
	})
	local := localFile(t, "new.txt", "new contents")
	tmp := uploadTemp(t, local, "a.txt")
	p := NewPool(site(srv), PoolOptions{Size: 1, Retries: 0})
	_, err := p.PutFile(testCtx(t), local, "a.txt", PutOptions{})
	p.Close()
	srv.WaitSessions(30 * time.Second)
	if !errors.Is(err, ErrIncomplete) {
		t.Fatalf("PutFile = %v, want ErrIncomplete", err)
	}
	if got := serverFiles(t, srv.Root())["a.txt"]; got != "old contents" {
		t.Errorf("a.txt holds %q", got)
	}
	cmds := srv.SessionCommands(1)
	if i := indexOf(cmds, "SIZE "+tmp); i < 0 || i+1 >= len(cmds) || cmds[i+1] != "EPSV" {
		t.Errorf("commands %q: want SIZE and EPSV together", cmds)
	}
	for _, c := range cmds {
		if c == "RNTO a.txt" {
			t.Errorf("commands %q: a rename to the final name", cmds)
		}
	}
}

// A STOR of the temporary name that the server refuses after the data
// went out early: nothing counts as moved, the file goes to its final name
// instead (as when the refusal came before any data), and the next upload
// on the connection works.
func TestPoolUploadRefusedAfterEarlyData(t *testing.T) {
	srv := putServer(t, nil, func(string) func(ftptest.Command) *ftptest.Reply {
		return func(c ftptest.Command) *ftptest.Reply {
			if c.Verb == "STOR" && IsTempName(c.Arg) && strings.Contains(c.Arg, "a.txt") {
				return &ftptest.Reply{Code: 553, Text: "Could not create file."}
			}
			return nil
		}
	})
	a, b := localFile(t, "a.txt", "aaaa"), localFile(t, "b.txt", "bb")
	p := NewPool(site(srv), PoolOptions{Size: 1, Retries: 0})
	res, err := p.PutFile(testCtx(t), a, "a.txt", PutOptions{})
	if err != nil || res.Bytes != 4 {
		t.Fatalf("PutFile = %+v, %v; want 4 bytes moved", res, err)
	}
	if _, err := p.PutFile(testCtx(t), b, "b.txt", PutOptions{}); err != nil {
		t.Fatal(err)
	}
	p.Close()
	srv.WaitSessions(30 * time.Second)
	wantFiles(t, srv, map[string]string{"a.txt": "aaaa", "b.txt": "bb"})
	// The refused STOR went alone: its data connection, made ready at
	// login, carried the data before the refusal came.
	ta := uploadTemp(t, a, "a.txt")
	if i := indexOf(srv.SessionCommands(1), "STOR "+ta); i < 0 || srv.SessionCommands(1)[i-1] != "MLST a.txt" {
		t.Errorf("commands %q: want STOR %s right after MLST", srv.SessionCommands(1), ta)
	}
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}

// KeepTime sets the local file's time on the temporary file, in the write
// of the SIZE that checks it; the rename keeps it, and the final name is
// not touched again. A file the server cannot rename gets it after the
// upload to its final name instead.
func TestPutKeepTimeOnTemporaryFile(t *testing.T) {
	mtime := time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)
	for _, rename := range []bool{true, false} {
		srv := putServer(t, nil, func(string) func(ftptest.Command) *ftptest.Reply {
			return func(c ftptest.Command) *ftptest.Reply {
				if !rename && c.Verb == "RNFR" {
					return &ftptest.Reply{Code: 502, Text: "Command not implemented."}
				}
				return nil
			}
		})
		local := localFile(t, "a.txt", "data")
		if err := os.Chtimes(local, mtime, mtime); err != nil {
			t.Fatal(err)
		}
		tmp := uploadTemp(t, local, "a.txt")
		c := connect(t, srv)
		if _, err := Put(testCtx(t), c, local, "a.txt", PutOptions{KeepTime: true}); err != nil {
			t.Fatal(err)
		}
		c.Quit(testCtx(t))
		srv.WaitSessions(30 * time.Second)
		fi, err := os.Stat(filepath.Join(srv.Root(), "a.txt"))
		if err != nil || !fi.ModTime().Equal(mtime) {
			t.Errorf("rename %t: a.txt: %v, %v; want time %v", rename, fi.ModTime(), err, mtime)
		}
		// The last batches before QUIT.
		cmds := srv.Batches(1)
		got := fmt.Sprint(cmds[len(cmds)-3 : len(cmds)-1])
		want := fmt.Sprint([][]string{{"SIZE " + tmp, "MFMT 20240501100000 " + tmp}, {"RNFR " + tmp, "RNTO a.txt"}})
		if !rename {
			want = fmt.Sprint([][]string{{"DELE " + tmp}, {"MFMT 20240501100000 a.txt"}})
		}
		if got != want {
			t.Errorf("rename %t: batches %q, want at the end %s", rename, cmds, want)
		}
	}
}
