package transfer

import (
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ferry-ftp/ferry/internal/ftptest"
	"github.com/ferry-ftp/ferry/internal/testsupport"
)

// An earlier backup is never replaced: the next backup of the same path
// takes the next numbered name, NAME.~N~ (as GNU cp --backup=numbered),
// which Notify says; with Suffix the names end in it, and without
// BackupDir they lie beside the files in the destination, where Delete
// leaves them. Both ways; remotely no DELE is sent. Outside probe of
// issue 16: a second mirror run with the same --backup-dir overwrote the
// first run's backups without a word.
func TestMirrorBackupNeverReplaced(t *testing.T) {
	for _, dir := range []Direction{Download, Upload} {
		for _, tc := range []struct {
			name, suffix string
			inDest       bool // the backups lie in the destination
			want         map[string]string
		}{
			{name: "backup-dir", want: map[string]string{"c.txt": "v1", "c.txt.~1~": "v2", "c.txt.~2~": "v3",
				"gone.txt": "gone 1", "gone.txt.~1~": "gone 2", "sub/": "", "sub/d.txt": "d1", "sub/d.txt.~1~": "d2"}},
			{name: "backup-dir and suffix", suffix: ".old", want: map[string]string{"c.txt.old": "v1", "c.txt.old.~1~": "v2", "c.txt.old.~2~": "v3",
				"gone.txt.old": "gone 1", "gone.txt.old.~1~": "gone 2", "sub/": "", "sub/d.txt.old": "d1", "sub/d.txt.old.~1~": "d2"}},
			{name: "suffix alone", suffix: ".bak", inDest: true, want: map[string]string{"c.txt.bak": "v1", "c.txt.bak.~1~": "v2", "c.txt.bak.~2~": "v3",
				"gone.txt.bak": "gone 1", "gone.txt.bak.~1~": "gone 2", "sub/": "", "sub/d.txt.bak": "d1", "sub/d.txt.bak.~1~": "d2"}},
		} {
			name := map[Direction]string{Download: "download", Upload: "upload"}[dir] + "/" + tc.name
			t.Run(name, func(t *testing.T) {
				srv := ftptest.New(t, ftptest.Config{})
				base := t.TempDir()
				local := filepath.Join(base, "l")
				from, to, remote := filepath.Join(srv.Root(), "src"), local, "src"
				backup, backupPath := filepath.Join(base, "bak"), filepath.Join(base, "bak")
				if dir == Upload {
					from, to, remote = local, filepath.Join(srv.Root(), "dst"), "dst"
					backup, backupPath = "bak", filepath.Join(srv.Root(), "bak")
				}
				if tc.inDest {
					backup, backupPath = "", to
				}
				p := testPool(t, srv, PoolOptions{Size: 2})
				var n notes
				opt := MirrorOptions{Direction: dir, Update: UpdateChanged, Delete: true, SizeOnly: true, BackupDir: backup, Suffix: tc.suffix, Notify: n.add}
				srv.ResetCommands()
				testsupport.WriteFile(t, filepath.Join(from, "same.txt"), "same")
				testsupport.WriteFile(t, filepath.Join(to, "same.txt"), "same")
				for i, v := range []string{"v1", "v2", "v3", "v4"} {
					testsupport.WriteFile(t, filepath.Join(to, "c.txt"), v)
					testsupport.WriteFile(t, filepath.Join(from, "c.txt"), v+" and more")
					if i < 2 {
						testsupport.WriteFile(t, filepath.Join(to, "gone.txt"), "gone "+string(rune('1'+i)))
						testsupport.WriteFile(t, filepath.Join(to, "sub/d.txt"), "d"+string(rune('1'+i)))
						testsupport.WriteFile(t, filepath.Join(from, "sub/d.txt"), "d, new"+strings.Repeat("!", i))
					}
					if i == 3 {
						break
					}
					rep, err := p.Mirror(testCtx(t), remote, local, opt)
					if err != nil || rep.Failed != 0 {
						t.Fatalf("run %d: Mirror = %+v, %v", i+1, rep, err)
					}
				}
				got := testsupport.Tree(t, backupPath)
				if tc.inDest {
					// The destination holds the copies too, and kept its
					// backups through --delete.
					for _, p := range []string{"c.txt", "same.txt", "sub/d.txt"} {
						delete(got, p)
					}
				}
				if !maps.Equal(got, tc.want) {
					t.Errorf("backups %q\nwant %q", got, tc.want)
				}
				if dir == Upload {
					if n := countVerb(srv.Commands(), "DELE"); n != 0 {
						t.Errorf("%d DELE sent", n)
					}
				}
				kept := slices.ContainsFunc(n.msgs, func(m string) bool {
					return strings.Contains(m, "an earlier backup") && strings.Contains(m, "c.txt"+tc.suffix+".~2~")
				})
				if !kept {
					t.Errorf("notes %q: want one naming c.txt%s.~2~", n.msgs, tc.suffix)
				}
			})
		}
	}
}
