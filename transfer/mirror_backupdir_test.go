package transfer

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ferry-ftp/ferry/internal/ftptest"
	"github.com/ferry-ftp/ferry/internal/testsupport"
)

// A backup folder that is the destination, lies inside it (unless a
// filter leaves it out, and --delete-excluded does not delete it) or holds
// it is refused before anything is listed or changed: locally after
// resolving symbolic links of the nearest folder that exists, remotely on
// clean absolute paths (a relative one from the login folder). Outside
// probe of issue 16: only the path text was compared, not through links,
// and not a relative remote path against an absolute one.
func TestMirrorBackupDirOverlap(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{Home: "/home/u"})
	testsupport.WriteFile(t, filepath.Join(srv.Root(), "home/u/src/new.txt"), "new")
	testsupport.WriteFile(t, filepath.Join(srv.Root(), "home/u/src/a.txt"), "new a")
	base := t.TempDir()
	l := filepath.Join(base, "l")
	testsupport.WriteFile(t, filepath.Join(l, "a.txt"), "old a, longer")
	testsupport.WriteFile(t, filepath.Join(l, "gone.txt"), "gone")
	for link, to := range map[string]string{"tol": "l", "tobase": ".", "tol2": "l/sub"} {
		if err := os.Symlink(to, filepath.Join(base, link)); err != nil {
			t.Fatal(err)
		}
	}
	p := testPool(t, srv, PoolOptions{Size: 1})
	before := testsupport.Tree(t, l)
	for _, tc := range []struct {
		name, backup string
		opt          MirrorOptions
		msg          string
	}{
		{name: "same", backup: l, msg: "is the destination"},
		{name: "same through a link", backup: filepath.Join(base, "tol"), msg: "is the destination"},
		{name: "inside", backup: filepath.Join(l, "attic"), msg: "lies inside the destination"},
		{name: "inside, missing parents", backup: filepath.Join(l, "x/y/attic"), msg: "lies inside the destination"},
		{name: "inside through a link", backup: filepath.Join(base, "tol/attic"), msg: "lies inside the destination"},
		{name: "inside through a link to a missing folder", backup: filepath.Join(base, "tol2/attic"), msg: "lies inside the destination"},
		{name: "inside with .. ", backup: filepath.Join(base, "other/../l/attic"), msg: "lies inside the destination"},
		{name: "holds it", backup: base, msg: "holds the destination"},
		{name: "holds it through a link", backup: filepath.Join(base, "tobase"), msg: "holds the destination"},
		// The advice fits: an --exclude already given does not help
		// with --delete-excluded (outside probe of issue 16).
		{name: "excluded but deleted", backup: filepath.Join(l, "attic"),
			msg: "lies inside the destination " + l + ", where --delete-excluded would delete it: choose a folder outside the destination, or leave out --delete-excluded",
			opt: MirrorOptions{Delete: true, DeleteExcluded: true, Filter: Filter{Exclude: []string{"/attic/"}}}},
		{name: "another folder excluded", backup: filepath.Join(l, "attic"), msg: "lies inside the destination " + l + ": choose a folder outside it, or leave it out with a filter (--exclude /attic/)",
			opt: MirrorOptions{Filter: Filter{Exclude: []string{"/other/"}}}},
	} {
		t.Run("local/"+tc.name, func(t *testing.T) {
			opt := tc.opt
			opt.Update, opt.BackupDir = UpdateChanged, tc.backup
			srv.ResetCommands()
			_, err := p.Mirror(testCtx(t), "src", l, opt)
			if !errors.Is(err, ErrBackupInside) || !strings.Contains(err.Error(), tc.msg) {
				t.Fatalf("Mirror = %v, want ErrBackupInside saying %q", err, tc.msg)
			}
			if n := len(srv.Commands()); n != 0 {
				t.Errorf("sent %q", srv.Commands())
			}
			if got := testsupport.Tree(t, l); len(got) != len(before) {
				t.Errorf("destination changed: %q", got)
			}
		})
	}

	// Inside and left out by a filter: the backup goes there, and
	// --delete spares it.
	t.Run("local/inside excluded", func(t *testing.T) {
		opt := MirrorOptions{Update: UpdateChanged, Delete: true, SizeOnly: true, BackupDir: filepath.Join(base, "tol/attic"),
			Filter: Filter{Exclude: []string{"/attic/"}}}
		rep, err := p.Mirror(testCtx(t), "src", l, opt)
		if err != nil || rep.Failed != 0 || rep.Copied != 2 || rep.Deleted != 1 {
			t.Fatalf("Mirror = %+v, %v", rep, err)
		}
		want := map[string]string{"a.txt": "new a", "new.txt": "new", "attic/": "", "attic/a.txt": "old a, longer", "attic/gone.txt": "gone"}
		if got := testsupport.Tree(t, l); !equalTrees(got, want) {
			t.Errorf("destination holds %q", got)
		}
	})

	// Remotely: paths are made absolute from the login folder /home/u.
	for _, tc := range []struct {
		name, backup string
		opt          MirrorOptions
		msg          string
	}{
		{name: "same", backup: "/home/u/dst", msg: "is the destination"},
		{name: "same, relative", backup: "dst/", msg: "is the destination"},
		{name: "inside", backup: "/home/u/dst/bak", msg: "lies inside the destination"},
		{name: "inside, relative with ..", backup: "x/../dst/bak", msg: "lies inside the destination"},
		{name: "holds it", backup: "/home", msg: "holds the destination"},
		{name: "holds it, relative", backup: ".", msg: "holds the destination"},
		{name: "the root", backup: "/", msg: "holds the destination"},
	} {
		t.Run("remote/"+tc.name, func(t *testing.T) {
			opt := tc.opt
			opt.Direction, opt.Update, opt.BackupDir = Upload, UpdateChanged, tc.backup
			srv.ResetCommands()
			_, err := p.Mirror(testCtx(t), "dst", l, opt)
			if !errors.Is(err, ErrBackupInside) || !strings.Contains(err.Error(), tc.msg) {
				t.Fatalf("Mirror = %v, want ErrBackupInside saying %q", err, tc.msg)
			}
			for _, c := range srv.Commands() {
				if c != "PWD" {
					t.Errorf("sent %q", c)
				}
			}
		})
	}
	t.Run("remote/inside excluded", func(t *testing.T) {
		testsupport.WriteFile(t, filepath.Join(srv.Root(), "home/u/dst/a.txt"), "remote old a")
		opt := MirrorOptions{Direction: Upload, Update: UpdateChanged, SizeOnly: true, BackupDir: "/home/u/dst/bak",
			Filter: Filter{Exclude: []string{"/attic/", "/bak/"}}}
		rep, err := p.Mirror(testCtx(t), "dst", l, opt)
		if err != nil || rep.Failed != 0 || rep.Copied != 2 {
			t.Fatalf("Mirror = %+v, %v", rep, err)
		}
		if got := testsupport.ReadFile(filepath.Join(srv.Root(), "home/u/dst/bak/a.txt")); got != "remote old a" {
			t.Errorf("backup = %q", got)
		}
	})
}

// equalTrees reports whether two trees from testsupport.Tree are equal.
func equalTrees(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}
