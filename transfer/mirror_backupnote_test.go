package transfer

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/ferry-ftp/ferry/internal/ftptest"
	"github.com/ferry-ftp/ferry/internal/testsupport"
)

// The note on a numbered backup names an earlier backup only when the
// backup's name holds one: a file of the source that happens to end in
// the suffix, or a folder, is named as what it is, and earlier numbered
// backups as such; both ways (outside probe of issue 16: "an earlier
// backup is kept as d5/f.bak" named a mirrored file f.bak).
func TestMirrorBackupNotes(t *testing.T) {
	for _, dir := range []Direction{Download, Upload} {
		t.Run(map[Direction]string{Download: "download", Upload: "upload"}[dir], func(t *testing.T) {
			srv := ftptest.New(t, ftptest.Config{})
			local := filepath.Join(t.TempDir(), "l")
			from, to, remote := filepath.Join(srv.Root(), "src"), local, "src"
			if dir == Upload {
				from, to, remote = local, filepath.Join(srv.Root(), "dst"), "dst"
			}
			for p, data := range map[string]string{"d5/f": "new f", "d5/f.bak": "a file of the source", "g": "new g", "h": "new h"} {
				testsupport.WriteFile(t, filepath.Join(from, p), data)
			}
			for p, data := range map[string]string{"d5/f": "old", "d5/f.bak": "a file of the source", "g": "old", "g.bak/x": "x",
				"h": "old", "h.bak.~2~": "an earlier backup"} {
				testsupport.WriteFile(t, filepath.Join(to, p), data)
			}
			p := testPool(t, srv, PoolOptions{Size: 1})
			var n notes
			rep, err := p.Mirror(testCtx(t), remote, local, MirrorOptions{Direction: dir, Update: UpdateChanged, SizeOnly: true, Suffix: ".bak", Notify: n.add})
			if err != nil || rep.Failed != 0 || rep.Copied != 3 {
				t.Fatalf("Mirror = %+v, %v", rep, err)
			}
			want := map[string]string{
				"d5/f": "its backup's name %s is a file of the source, not a backup; this backup is f.bak.~1~",
				"g":    "its backup's name %s is a folder; this backup is g.bak.~1~",
				"h":    "earlier backups are kept, up to %s.~2~; this one is h.bak.~3~",
			}
			for rel, w := range want {
				name := filepath.Join(to, rel) + ".bak"
				if dir == Upload {
					name = remote + "/" + rel + ".bak"
				}
				w = rel + ": " + strings.Replace(w, "%s", name, 1)
				found := false
				for _, msg := range n.msgs {
					found = found || msg == w
				}
				if !found {
					t.Errorf("no note %q in %q", w, n.msgs)
				}
			}
			for _, msg := range n.msgs {
				if strings.Contains(msg, "an earlier backup is kept") {
					t.Errorf("note %q", msg)
				}
			}
			if got := testsupport.ReadFile(filepath.Join(to, "d5/f.bak.~1~")); got != "old" {
				t.Errorf("d5/f.bak.~1~ = %q", got)
			}
		})
	}
}
