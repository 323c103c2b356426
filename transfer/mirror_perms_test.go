package transfer

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/ferry-ftp/ferry/internal/ftptest"
	"github.com/ferry-ftp/ferry/internal/testsupport"
)

// Perms copies the permission bits of each copied file, both ways, and
// never a set-id bit; without it, modes are not copied.
func TestMirrorPerms(t *testing.T) {
	for _, dir := range []Direction{Download, Upload} {
		t.Run(map[Direction]string{Download: "download", Upload: "upload"}[dir], func(t *testing.T) {
			srv := ftptest.New(t, ftptest.Config{})
			local := filepath.Join(t.TempDir(), "l")
			from, to, remote := filepath.Join(srv.Root(), "src"), local, "src"
			if dir == Upload {
				from, to, remote = local, filepath.Join(srv.Root(), "dst"), "dst"
			}
			modes := map[string]os.FileMode{"run.sh": 0o751, "private.txt": 0o600, "setuid": 0o4755}
			for p, mode := range modes {
				testsupport.WriteFile(t, filepath.Join(from, p), p)
				if err := os.Chmod(filepath.Join(from, p), mode); err != nil {
					t.Fatal(err)
				}
			}
			p := testPool(t, srv, PoolOptions{Size: 2})
			rep, err := p.Mirror(testCtx(t), remote, local, MirrorOptions{Direction: dir, Update: UpdateChanged})
			if err != nil || rep.Copied != 3 {
				t.Fatalf("Mirror = %+v, %v", rep, err)
			}
			if fi, _ := os.Stat(filepath.Join(to, "run.sh")); fi.Mode().Perm() == 0o751 {
				t.Error("the mode was copied without Perms")
			}
			os.RemoveAll(to)
			rep, err = p.Mirror(testCtx(t), remote, local, MirrorOptions{Direction: dir, Update: UpdateChanged, Perms: true})
			if err != nil || rep.Copied != 3 || rep.Failed != 0 {
				t.Fatalf("Mirror = %+v, %v", rep, err)
			}
			want := map[string]os.FileMode{"run.sh": 0o751, "private.txt": 0o600, "setuid": 0o755}
			for p, mode := range want {
				fi, err := os.Stat(filepath.Join(to, p))
				if err != nil || fi.Mode() != mode {
					t.Errorf("%s: %v, %v; want %v", p, fi.Mode(), err, mode)
				}
			}
		})
	}
}
