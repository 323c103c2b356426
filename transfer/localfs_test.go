//go:build linux

package transfer

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/ferry-ftp/ferry/internal/ftptest"
	"github.com/ferry-ftp/ferry/internal/testsupport"
)

// umask returns the process's umask.
func umask() fs.FileMode {
	m := syscall.Umask(0)
	syscall.Umask(m)
	return fs.FileMode(m)
}

// partModes returns a hook that records, at each RETR, the permissions of
// the temporary files in dir: what the new data is written into.
func partModes(dir string) (func(ftptest.Command) *ftptest.Reply, func() []fs.FileMode) {
	var mu sync.Mutex
	var modes []fs.FileMode
	hook := func(c ftptest.Command) *ftptest.Reply {
		if c.Verb != "RETR" {
			return nil
		}
		entries, _ := os.ReadDir(dir)
		mu.Lock()
		defer mu.Unlock()
		for _, e := range entries {
			if IsTempName(e.Name()) {
				if fi, err := e.Info(); err == nil {
					modes = append(modes, fi.Mode().Perm())
				}
			}
		}
		return nil
	}
	return hook, func() []fs.FileMode {
		mu.Lock()
		defer mu.Unlock()
		return modes
	}
}

// A download that replaces a file keeps its permissions exactly (issue 12:
// get -o over a 600 file left it 644), and its temporary file never lets
// group or others read more than the old file did while the data is
// written. A new file gets 0666 less the umask.
func TestGetKeepsModeOfReplacedFile(t *testing.T) {
	for _, old := range []fs.FileMode{0o600, 0o640, 0o755, 0o444, 0o000} {
		t.Run(fmt.Sprintf("%04o", old), func(t *testing.T) {
			if old&0o400 == 0 && os.Geteuid() != 0 {
				t.Skip("the test reads the file back, which its mode forbids but to root")
			}
			dir := t.TempDir()
			hook, seen := partModes(dir)
			srv := ftptest.New(t, ftptest.Config{Hook: hook})
			testsupport.WriteFile(t, filepath.Join(srv.Root(), "f.txt"), "new contents")
			local := filepath.Join(dir, "f.txt")
			testsupport.WriteFile(t, local, "old")
			if err := os.Chmod(local, old); err != nil {
				t.Fatal(err)
			}
			if _, err := Get(testCtx(t), connect(t, srv), "f.txt", local, GetOptions{}); err != nil {
				t.Fatal(err)
			}
			wantTree(t, dir, map[string]string{"f.txt": "new contents"})
			if got := modeOf(t, local); got != old {
				t.Errorf("mode %04o, want the old %04o", got, old)
			}
			modes := seen()
			if len(modes) != 1 || modes[0]&0o077&^old != 0 {
				t.Errorf("temporary file modes %04o during the download; the old file had %04o", modes, old)
			}
		})
	}
	t.Run("new file", func(t *testing.T) {
		srv := ftptest.New(t, ftptest.Config{})
		testsupport.WriteFile(t, filepath.Join(srv.Root(), "f.txt"), "new contents")
		local := filepath.Join(t.TempDir(), "f.txt")
		if _, err := Get(testCtx(t), connect(t, srv), "f.txt", local, GetOptions{}); err != nil {
			t.Fatal(err)
		}
		if got, want := modeOf(t, local), 0o666&^umask(); got != want {
			t.Errorf("mode %04o, want %04o (0666 less the umask)", got, want)
		}
	})
}

// As root, a download that replaces another user's file keeps its owner
// and group, as writing in place would (issue 12: root's download over
// /etc/shadow, 640 root:shadow, would have left 644 root:root).
func TestGetKeepsOwnerOfReplacedFile(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("only root may give a file to another user")
	}
	srv := ftptest.New(t, ftptest.Config{})
	testsupport.WriteFile(t, filepath.Join(srv.Root(), "f.txt"), "new contents")
	local := filepath.Join(t.TempDir(), "f.txt")
	testsupport.WriteFile(t, local, "old")
	if err := errors.Join(os.Chown(local, 65534, 65534), os.Chmod(local, 0o640)); err != nil {
		t.Fatal(err)
	}
	if _, err := Get(testCtx(t), connect(t, srv), "f.txt", local, GetOptions{}); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(local)
	if err != nil {
		t.Fatal(err)
	}
	st := fi.Sys().(*syscall.Stat_t)
	if st.Uid != 65534 || st.Gid != 65534 || fi.Mode().Perm() != 0o640 {
		t.Errorf("owner %d:%d mode %04o, want 65534:65534 0640", st.Uid, st.Gid, fi.Mode().Perm())
	}
}

// A device, a FIFO or a socket as the target of a download is written
// into, never replaced (issue 12: as root, get FILE /dev/null renamed a
// regular file over /dev/null; a FIFO became a regular file).
func TestGetIntoSpecialFiles(t *testing.T) {
	data := randomData(3<<20 + 7)
	srv := ftptest.New(t, ftptest.Config{})
	testsupport.WriteFile(t, filepath.Join(srv.Root(), "f.bin"), string(data))

	t.Run("link to /dev/null", func(t *testing.T) {
		dir := t.TempDir()
		link := filepath.Join(dir, "null")
		if err := os.Symlink("/dev/null", link); err != nil {
			t.Fatal(err)
		}
		p := testPool(t, srv, PoolOptions{Size: 4})
		for _, n := range []int{1, 4} { // --segments 4 too
			res, err := p.GetSegmented(testCtx(t), "f.bin", link, n, GetOptions{Verify: true})
			if err != nil || res.Bytes != int64(len(data)) {
				t.Fatalf("segments %d: %+v, %v", n, res, err)
			}
		}
		if to, err := os.Readlink(link); err != nil || to != "/dev/null" {
			t.Errorf("the link is now %q, %v", to, err)
		}
		if fi, err := os.Stat("/dev/null"); err != nil || fi.Mode()&fs.ModeCharDevice == 0 {
			t.Fatalf("/dev/null is no longer a character device: %v, %v", fi.Mode(), err)
		}
		wantEntries(t, dir, "null")
	})

	t.Run("character device", func(t *testing.T) {
		dir := t.TempDir()
		dev := filepath.Join(dir, "null")
		if err := syscall.Mknod(dev, syscall.S_IFCHR|0o666, 1<<8|3); err != nil {
			t.Skipf("cannot make a device (needs root): %v", err)
		}
		if _, err := Get(testCtx(t), connect(t, srv), "f.bin", dev, GetOptions{}); err != nil {
			t.Fatal(err)
		}
		if fi, err := os.Lstat(dev); err != nil || fi.Mode()&fs.ModeCharDevice == 0 {
			t.Errorf("the device was replaced: %v, %v", fi.Mode(), err)
		}
		wantEntries(t, dir, "null")
	})

	t.Run("FIFO", func(t *testing.T) {
		dir := t.TempDir()
		fifo := filepath.Join(dir, "pipe")
		if err := syscall.Mkfifo(fifo, 0o600); err != nil {
			t.Fatal(err)
		}
		// A second name for the FIFO, outside dir, through which the
		// test can let a waiting reader go when nothing writes.
		spare := filepath.Join(t.TempDir(), "spare")
		if err := os.Link(fifo, spare); err != nil {
			t.Fatal(err)
		}
		got := make(chan []byte, 1)
		go func() {
			r, err := os.Open(fifo) // waits for a writer
			if err != nil {
				got <- nil
				return
			}
			defer r.Close()
			b, _ := io.ReadAll(r)
			got <- b
		}()
		_, err := Get(testCtx(t), connect(t, srv), "f.bin", fifo, GetOptions{})
		if w, oerr := os.OpenFile(spare, os.O_WRONLY|syscall.O_NONBLOCK, 0); oerr == nil {
			w.Close() // a reader still waited: the download never wrote
		}
		if err != nil {
			t.Fatal(err)
		}
		if b := <-got; !bytes.Equal(b, data) {
			t.Errorf("the reader got %d bytes, want %d", len(b), len(data))
		}
		if fi, err := os.Lstat(fifo); err != nil || fi.Mode()&fs.ModeNamedPipe == 0 {
			t.Errorf("the FIFO was replaced: %v, %v", fi.Mode(), err)
		}
		wantEntries(t, dir, "pipe")
	})

	t.Run("socket", func(t *testing.T) {
		dir := t.TempDir()
		sock := filepath.Join(dir, "sock")
		ln, err := net.Listen("unix", sock)
		if err != nil {
			t.Skipf("no Unix socket: %v", err)
		}
		defer ln.Close()
		_, err = Get(testCtx(t), connect(t, srv), "f.bin", sock, GetOptions{})
		var le *LocalError
		if !errors.As(err, &le) || !errors.Is(err, errSocket) {
			t.Fatalf("Get = %v, want a local error: a socket", err)
		}
		if fi, err := os.Lstat(sock); err != nil || fi.Mode()&fs.ModeSocket == 0 {
			t.Errorf("the socket was replaced: %v, %v", fi.Mode(), err)
		}
		wantEntries(t, dir, "sock")
	})
}

// wantEntries fails the test unless dir holds exactly the names given.
func wantEntries(t testing.TB, dir string, names ...string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	if strings.Join(got, "\n") != strings.Join(names, "\n") {
		t.Errorf("%s holds %q, want %q", dir, got, names)
	}
}

// lockFile takes an advisory lock (flock) on p as another ferry process
// would, on a file description of its own; the lock goes at the end of
// the test.
func lockFile(t *testing.T, p string) {
	t.Helper()
	f, err := os.OpenFile(p, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		t.Fatal(err)
	}
}

// A temporary file locked by another process (a second ferry downloading
// to the same name) is neither written nor removed: the download takes a
// temporary name of its own, never resumed, and the two never mix (issue
// 12: two gets into one name wrote the same temporary file).
func TestGetLockedTempNameTakesAnother(t *testing.T) {
	data := randomData(1<<20 + 3)
	srv := ftptest.New(t, ftptest.Config{})
	testsupport.WriteFile(t, filepath.Join(srv.Root(), "f.bin"), string(data))
	dir := t.TempDir()
	local := filepath.Join(dir, "f.bin")
	part := partFor(t, srv, "f.bin", local)
	other := "the other process's data, half written"
	testsupport.WriteFile(t, part, other)
	lockFile(t, part)
	for _, resume := range []bool{false, true} {
		res, err := Get(testCtx(t), connect(t, srv), "f.bin", local, GetOptions{Resume: resume})
		if err != nil || res.Offset != 0 {
			t.Fatalf("Get(resume %v) = %+v, %v", resume, res, err)
		}
		wantTree(t, dir, map[string]string{"f.bin": string(data), filepath.Base(part): other})
	}
}

// With Direct, a download writes into the local file itself: no
// temporary file, the same file (inode) as before, which keeps its mode.
func TestGetDirect(t *testing.T) {
	dir := t.TempDir()
	hook, seen := partModes(dir)
	srv := ftptest.New(t, ftptest.Config{Hook: hook})
	testsupport.WriteFile(t, filepath.Join(srv.Root(), "f.txt"), "new contents")
	local := filepath.Join(dir, "f.txt")
	testsupport.WriteFile(t, local, "old contents, longer than the new")
	os.Chmod(local, 0o600)
	before, _ := os.Stat(local)
	var n notes
	if _, err := Get(testCtx(t), connect(t, srv), "f.txt", local, GetOptions{Direct: true, Notify: n.add}); err != nil {
		t.Fatal(err)
	}
	wantTree(t, dir, map[string]string{"f.txt": "new contents"})
	after, _ := os.Stat(local)
	if !os.SameFile(before, after) || after.Mode().Perm() != 0o600 {
		t.Errorf("not written in place: same file %v, mode %04o", os.SameFile(before, after), after.Mode().Perm())
	}
	if m := seen(); len(m) != 0 || len(n.msgs) != 0 {
		t.Errorf("temporary files %04o, notes %q", m, n.msgs)
	}
}

// Names of 251 to 255 bytes, whose temporary name of the usual form would
// be too long for the file system, are downloaded under a shortened
// temporary name, still atomically (issue 12: they could not be copied).
func TestGetLongNames(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{})
	dir := t.TempDir()
	c := connect(t, srv)
	for _, n := range []int{251, 255} {
		// A name of n bytes that ends in a two-byte character, cut in
		// the shortened temporary name at a character boundary.
		name := strings.Repeat("n", n-3) + "xé"
		testsupport.WriteFile(t, filepath.Join(srv.Root(), name), "contents of "+name[:3])
		local := filepath.Join(dir, name)
		if _, err := Get(testCtx(t), c, name, local, GetOptions{}); err != nil {
			t.Fatalf("%d bytes: %v", n, err)
		}
		if got := testsupport.ReadFile(local); got != "contents of nnn" {
			t.Errorf("%d bytes: %q", n, got)
		}
	}
	wantEntries(t, dir, strings.Repeat("n", 252)+"xé", strings.Repeat("n", 248)+"xé")
}

// A folder where no file may be created (here immutable, which binds root
// too) but whose file may be written: the download writes straight to the
// file, overwriting it in place, and says so (issue 12: it failed).
func TestGetFallsBackToDirect(t *testing.T) {
	chattr, err := exec.LookPath("chattr")
	if err != nil {
		t.Skip("no chattr to make a folder immutable")
	}
	srv := ftptest.New(t, ftptest.Config{})
	testsupport.WriteFile(t, filepath.Join(srv.Root(), "f.txt"), "new contents")
	dir := filepath.Join(t.TempDir(), "locked")
	local := filepath.Join(dir, "f.txt")
	testsupport.WriteFile(t, local, "old contents")
	os.Chmod(local, 0o640)
	if out, err := exec.Command(chattr, "+i", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot make a folder immutable here: %v: %s", err, out)
	}
	t.Cleanup(func() { exec.Command(chattr, "-i", dir).Run() })
	var n notes
	if _, err := Get(testCtx(t), connect(t, srv), "f.txt", local, GetOptions{Notify: n.add}); err != nil {
		t.Fatal(err)
	}
	wantTree(t, dir, map[string]string{"f.txt": "new contents"})
	if m := modeOf(t, local); m != 0o640 {
		t.Errorf("mode %04o, want 0640", m)
	}
	if len(n.msgs) != 1 || !strings.HasPrefix(n.msgs[0], local+": cannot create the temporary file .f.txt.ferry-") ||
		!strings.HasSuffix(n.msgs[0], "operation not permitted): writing straight to it, overwriting the old file in place") {
		t.Errorf("notes %q", n.msgs)
	}
}

// With Direct and Resume, a download continues the local file itself
// from its size, as wget -c does; a longer local file is not a prefix
// and is written again from the start.
func TestGetDirectResumes(t *testing.T) {
	data := randomData(1<<20 + 9)
	srv := ftptest.New(t, ftptest.Config{})
	testsupport.WriteFile(t, filepath.Join(srv.Root(), "f.bin"), string(data))
	local := filepath.Join(t.TempDir(), "f.bin")
	c := connect(t, srv)
	for _, tt := range []struct {
		have       []byte
		wantOffset int64
	}{
		{data[:1000], 1000},
		{append(append([]byte{}, data...), "more"...), 0},
	} {
		testsupport.WriteFile(t, local, string(tt.have))
		res, err := Get(testCtx(t), c, "f.bin", local, GetOptions{Direct: true, Resume: true})
		if err != nil || res.Offset != tt.wantOffset {
			t.Fatalf("Get = %+v, %v; want offset %d", res, err, tt.wantOffset)
		}
		wantTree(t, filepath.Dir(local), map[string]string{"f.bin": string(data)})
	}
	if cmds := strings.Join(srv.Commands(), "\n"); !strings.Contains(cmds, "REST 1000\nRETR f.bin") {
		t.Errorf("no REST 1000:\n%s", cmds)
	}
}
