//go:build unix

package transfer

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/ferry-ftp/ferry/internal/ftptest"
	"github.com/ferry-ftp/ferry/internal/testsupport"
)

// modeOf returns the permission bits of p, failing the test when p
// cannot be read.
func modeOf(t testing.TB, p string) fs.FileMode {
	t.Helper()
	fi, err := os.Lstat(p)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Mode().Perm()
}

// storModes returns a hook that records, at each STOR of a temporary
// name, the permissions that file has on the server (or -1 when it is not
// there yet): what the data is written into.
func storModes(root string) (func(ftptest.Command) *ftptest.Reply, func() []int) {
	var mu sync.Mutex
	var modes []int
	hook := func(c ftptest.Command) *ftptest.Reply {
		if c.Verb == "STOR" && IsTempName(filepath.Base(c.Arg)) {
			m := -1
			if fi, err := os.Stat(filepath.Join(root, filepath.FromSlash(c.Arg))); err == nil {
				m = int(fi.Mode().Perm())
			}
			mu.Lock()
			modes = append(modes, m)
			mu.Unlock()
		}
		return nil
	}
	return hook, func() []int {
		mu.Lock()
		defer mu.Unlock()
		return modes
	}
}

// An upload that replaces a remote file gives the new one the old one's
// permissions (issue 12: put over a 600 file left it 644, a 755 script
// became 644), set on the temporary file before it takes the final name;
// permissions that keep others from reading the file are set before any
// data is sent. A new file gets the server's default.
func TestPutKeepsRemoteMode(t *testing.T) {
	for _, tt := range []struct {
		old        fs.FileMode // 0: no old file
		want       fs.FileMode
		beforeData bool
	}{
		{0o600, 0o600, true},
		{0o640, 0o640, true},
		{0o755, 0o755, false},
		{0o644, 0o644, false},
		{0, 0o644, false},
	} {
		t.Run(fmt.Sprintf("%04o", tt.old), func(t *testing.T) {
			root := t.TempDir()
			hook, seen := storModes(root)
			srv := ftptest.New(t, ftptest.Config{Root: root, Hook: hook})
			remote := filepath.Join(root, "a.txt")
			if tt.old != 0 {
				testsupport.WriteFile(t, remote, "old contents")
				os.Chmod(remote, tt.old)
			}
			local := localFile(t, "new.txt", "new contents")
			var n notes
			if _, err := Put(testCtx(t), connect(t, srv), local, "a.txt", PutOptions{Notify: n.add}); err != nil {
				t.Fatal(err)
			}
			wantFiles(t, srv, map[string]string{"a.txt": "new contents"})
			if got := modeOf(t, remote); got != tt.want {
				t.Errorf("mode %04o, want %04o", got, tt.want)
			}
			tmp := uploadTemp(t, local, "a.txt")
			// The first transfer takes the data connection the login
			// made ready; a second asks for its own.
			cmds := []string{"MLST a.txt"}
			if tt.beforeData {
				cmds = append(cmds, "STOR "+tmp, fmt.Sprintf("SITE CHMOD %o %s", tt.old, tmp), "EPSV")
			}
			cmds = append(cmds, "STOR "+tmp, "SIZE "+tmp)
			if tt.old != 0 && !tt.beforeData {
				cmds = append(cmds, fmt.Sprintf("SITE CHMOD %o %s", tt.old, tmp))
			}
			wantCommands(t, srv, append(cmds, "RNFR "+tmp, "RNTO a.txt")...)
			// The data went into a file with the old permissions.
			if modes := seen(); tt.beforeData && (len(modes) != 2 || modes[1] != int(tt.old)) {
				t.Errorf("modes of the temporary file at each STOR: %o", modes)
			}
			if len(n.msgs) != 0 {
				t.Errorf("notes %q", n.msgs)
			}
		})
	}
}

// A server without SITE CHMOD: the uploads go through, and a job of
// several files says once that the replaced files get the server's
// default permissions.
func TestPutWithoutChmodWarnsOnce(t *testing.T) {
	srv := putServer(t, map[string]string{"a.txt": "old a", "b.txt": "old b", "c.txt": "old c"}, nil)
	srvNo := ftptest.New(t, ftptest.Config{Root: srv.Root(), Disable: []string{"SITE"}})
	for _, n := range []string{"a.txt", "b.txt", "c.txt"} {
		os.Chmod(filepath.Join(srv.Root(), n), 0o600)
	}
	dir := t.TempDir()
	for _, n := range []string{"a.txt", "b.txt", "c.txt"} {
		testsupport.WriteFile(t, filepath.Join(dir, n), "new "+n)
	}
	var n notes
	notify := NotifyOnce(n.add)
	p := testPool(t, srvNo, PoolOptions{Size: 2})
	for _, name := range []string{"a.txt", "b.txt", "c.txt"} {
		if _, err := p.PutFile(testCtx(t), filepath.Join(dir, name), name, PutOptions{Notify: notify}); err != nil {
			t.Fatal(err)
		}
	}
	wantFiles(t, srv, map[string]string{"a.txt": "new a.txt", "b.txt": "new b.txt", "c.txt": "new c.txt"})
	want := "the server has no SITE CHMOD (502 Command not implemented.): the files ferry replaces get the server's default permissions, not the old files'"
	if len(n.msgs) != 1 || n.msgs[0] != want {
		t.Errorf("notes %q, want one: %q", n.msgs, want)
	}
}

// A server that does not tell permissions (no MLST, and STAT refused)
// gets the upload through and one warning.
func TestPutModeUnknown(t *testing.T) {
	srv := putServer(t, map[string]string{"a.txt": "old"}, nil)
	srvNo := ftptest.New(t, ftptest.Config{Root: srv.Root(), Disable: []string{"MLST", "STAT"}})
	local := localFile(t, "new.txt", "new contents")
	var n notes
	if _, err := Put(testCtx(t), connect(t, srvNo), local, "a.txt", PutOptions{Notify: n.add}); err != nil {
		t.Fatal(err)
	}
	wantFiles(t, srv, map[string]string{"a.txt": "new contents"})
	if len(n.msgs) != 1 || !strings.HasPrefix(n.msgs[0], "the server does not tell the permissions") {
		t.Errorf("notes %q", n.msgs)
	}
}

// Without MLST (vsftpd), the old permissions come from STAT's listing.
func TestPutModeFromStat(t *testing.T) {
	srv := putServer(t, map[string]string{"a b.txt": "old"}, nil)
	os.Chmod(filepath.Join(srv.Root(), "a b.txt"), 0o751)
	srvNo := ftptest.New(t, ftptest.Config{Root: srv.Root(), Disable: []string{"MLST"}})
	local := localFile(t, "new.txt", "new contents")
	if _, err := Put(testCtx(t), connect(t, srvNo), local, "a b.txt", PutOptions{}); err != nil {
		t.Fatal(err)
	}
	if got := modeOf(t, filepath.Join(srv.Root(), "a b.txt")); got != 0o751 {
		t.Errorf("mode %04o, want 0751", got)
	}
	if cmds := srvNo.SessionCommands(1); !strings.Contains(strings.Join(cmds, "\n"), "STAT a b.txt\n") {
		t.Errorf("no STAT: %q", cmds)
	}
}

// A server that refuses the temporary name outright (553: a folder where
// only the file itself may be written, a name too long) gets the file
// under its final name, with a warning that the old file is overwritten
// in place (issue 12).
func TestPutFallsBackToDirect(t *testing.T) {
	srv := putServer(t, map[string]string{"a.txt": "old contents"}, func(string) func(ftptest.Command) *ftptest.Reply {
		return func(c ftptest.Command) *ftptest.Reply {
			if c.Verb == "STOR" && IsTempName(filepath.Base(c.Arg)) {
				return &ftptest.Reply{Code: 553, Text: "Could not create file."}
			}
			return nil
		}
	})
	local := localFile(t, "new.txt", "new contents")
	tmp := uploadTemp(t, local, "a.txt")
	var n notes
	if _, err := Put(testCtx(t), connect(t, srv), local, "a.txt", PutOptions{Notify: n.add}); err != nil {
		t.Fatal(err)
	}
	wantFiles(t, srv, map[string]string{"a.txt": "new contents"})
	wantCommands(t, srv, "MLST a.txt", "STOR "+tmp, "SIZE a.txt", "EPSV", "STOR a.txt", "SIZE a.txt")
	want := fmt.Sprintf("a.txt: the server refused the temporary name %s (553 Could not create file.): uploading straight to it, overwriting the old file in place", tmp)
	if len(n.msgs) != 1 || n.msgs[0] != want {
		t.Errorf("notes %q\nwant %q", n.msgs, want)
	}
}

// A failed upload parks its partial file under the source's temporary
// name when nothing is there; when another partial file of the same
// version is there already, it deletes its own (and only its own).
func TestPutParksOrDeletesItsOwn(t *testing.T) {
	data := string(randomData(300_000))
	local := localFile(t, "new.bin", data)
	tmp, parked := uploadTemp(t, local, "a.txt"), parkedTemp(t, local, "a.txt")
	srv := putServer(t, map[string]string{"a.txt": "old contents", parked: data[:5]}, func(string) func(ftptest.Command) *ftptest.Reply {
		return dropFirst("STOR", 100_000)
	})
	if _, err := Put(testCtx(t), connect(t, srv), local, "a.txt", PutOptions{}); err == nil {
		t.Fatal("cut-off upload succeeded")
	}
	wantFiles(t, srv, map[string]string{"a.txt": "old contents", parked: data[:5]})
	// Whether the cut shows as a failed write (then ABOR and NOOP) or as
	// the server's reply depends on the socket buffers.
	var cmds []string
	for _, c := range srv.SessionCommands(1) {
		if c != "ABOR" && c != "NOOP" && c != "QUIT" {
			cmds = append(cmds, c)
		}
	}
	want := []string{"MLST a.txt", "STOR " + tmp, "SIZE " + tmp, "SIZE " + parked, "DELE " + tmp}
	if got := strings.Join(cmds, "\n"); !strings.HasSuffix(got, "TYPE I\nFEAT\nOPTS UTF8 ON\nEPSV\n"+strings.Join(want, "\n")) {
		t.Errorf("commands:\n%s\nwant after TYPE I and EPSV:\n%s", got, strings.Join(want, "\n"))
	}
}
