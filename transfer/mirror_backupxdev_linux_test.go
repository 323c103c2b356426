package transfer

import (
	"maps"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/ferry-ftp/ferry/internal/ftptest"
	"github.com/ferry-ftp/ferry/internal/testsupport"
)

// otherDevice returns a new folder on another file system than dir, or
// skips the test.
func otherDevice(t *testing.T, dir string) string {
	t.Helper()
	var a, b syscall.Stat_t
	if err := syscall.Stat(dir, &a); err != nil {
		t.Fatal(err)
	}
	other, err := os.MkdirTemp("/dev/shm", "ferry-test-")
	if err != nil {
		t.Skipf("no folder on another file system: %v", err)
	}
	t.Cleanup(func() { os.RemoveAll(other) })
	if err := syscall.Stat(other, &b); err != nil || a.Dev == b.Dev {
		t.Skipf("/dev/shm is on the same file system as %s", dir)
	}
	return other
}

// A --backup-dir on another file system takes the deleted files and the
// folders in the way too: the rename fails with EXDEV, and the backup is
// copied and the original removed, as for a replaced file (outside probe
// of issue 16: each such backup failed, exit 8, the file kept).
func TestMirrorBackupDirOtherDevice(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{})
	for p, data := range map[string]string{"src/a.txt": "new a, longer", "src/way": "a file now"} {
		testsupport.WriteFile(t, filepath.Join(srv.Root(), p), data)
	}
	local := filepath.Join(t.TempDir(), "l")
	for p, data := range map[string]string{"a.txt": "old a", "gone.txt": "gone", "way/w.txt": "w", "way/deep/d.txt": "d"} {
		testsupport.WriteFile(t, filepath.Join(local, p), data)
	}
	bak := otherDevice(t, local)
	p := testPool(t, srv, PoolOptions{Size: 2})
	var ev events
	rep, err := p.Mirror(testCtx(t), "src", local, MirrorOptions{Update: UpdateChanged, SizeOnly: true, Delete: true, BackupDir: bak, OnEvent: ev.add})
	if err != nil || rep.Failed != 0 || rep.Copied != 2 || rep.Deleted != 2 {
		t.Fatalf("Mirror = %+v, %v; failed %q", rep, err, ev.failed())
	}
	if got, want := testsupport.Tree(t, local), map[string]string{"a.txt": "new a, longer", "way": "a file now"}; !maps.Equal(got, want) {
		t.Errorf("destination %q, want %q", got, want)
	}
	want := map[string]string{"a.txt": "old a", "gone.txt": "gone", "way/": "", "way/w.txt": "w", "way/deep/": "", "way/deep/d.txt": "d"}
	if got := testsupport.Tree(t, bak); !maps.Equal(got, want) {
		t.Errorf("backups %q, want %q", got, want)
	}
}

// A move across file systems that cannot copy (a link in a folder in the
// way) leaves the original whole and no partial backup; the mirror's
// error names the backup's path.
func TestMoveLocalAcrossFails(t *testing.T) {
	from := filepath.Join(t.TempDir(), "way")
	testsupport.WriteFile(t, filepath.Join(from, "a.txt"), "a")
	if err := os.Symlink("a.txt", filepath.Join(from, "z-link")); err != nil {
		t.Fatal(err)
	}
	to := filepath.Join(otherDevice(t, from), "way")
	if err := moveLocal(from, to); err == nil {
		t.Fatal("moved a folder holding a link across file systems")
	}
	if _, err := os.Lstat(to); !os.IsNotExist(err) {
		t.Errorf("partial backup left: %v", err)
	}
	if got := testsupport.ReadFile(filepath.Join(from, "a.txt")); got != "a" {
		t.Errorf("original: a.txt = %q", got)
	}

	srv := ftptest.New(t, ftptest.Config{})
	testsupport.WriteFile(t, filepath.Join(srv.Root(), "src/way"), "a file now")
	p := testPool(t, srv, PoolOptions{Size: 1})
	var ev events
	rep, err := p.Mirror(testCtx(t), "src", filepath.Dir(from), MirrorOptions{Update: UpdateChanged, Delete: true, BackupDir: filepath.Dir(to), OnEvent: ev.add})
	if err != nil || rep.Failed == 0 {
		t.Fatalf("Mirror = %+v, %v", rep, err)
	}
	want := `local back up "way": to "` + to + `": copying across file systems: `
	found := false
	for _, e := range ev.all {
		if e.Err != nil && e.Action.Kind == Delete {
			found = true
			if !strings.HasPrefix(e.Err.Error(), want) {
				t.Errorf("error %q, want it to start %q", e.Err, want)
			}
		}
	}
	if !found {
		t.Errorf("no failed deletion in %+v", ev.all)
	}
	if got := testsupport.ReadFile(filepath.Join(from, "a.txt")); got != "a" {
		t.Errorf("after the mirror: a.txt = %q", got)
	}
}
