package transfer

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ferry-ftp/ferry/internal/ftptest"
	"github.com/ferry-ftp/ferry/internal/testsupport"
)

// Perms on a download from a server whose listing gives no permission
// bits (MLSD without unix.mode, as many servers send it) says so once,
// naming the server's lack and how many files it concerns, also in a
// dry run; the copies keep the local default. Outside probe of issue 16:
// --perms did nothing without a word.
func TestMirrorPermsUnknown(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{Hook: func(c ftptest.Command) *ftptest.Reply {
		if c.Verb == "MLSD" && strings.HasSuffix(c.Arg, "src") {
			return &ftptest.Reply{Transfer: &ftptest.Transfer{Data: []byte(
				"type=file;size=1;modify=20240101000000; a.sh\r\ntype=file;size=1;modify=20240101000000; b.sh\r\n")}}
		}
		return nil
	}})
	for _, p := range []string{"a.sh", "b.sh"} {
		testsupport.WriteFile(t, filepath.Join(srv.Root(), "src", p), "x")
		os.Chmod(filepath.Join(srv.Root(), "src", p), 0o700)
	}
	local := filepath.Join(t.TempDir(), "l")
	p := testPool(t, srv, PoolOptions{Size: 2})
	for _, dry := range []bool{true, false} {
		var n notes
		rep, err := p.Mirror(testCtx(t), "src", local, MirrorOptions{Update: UpdateChanged, Perms: true, DryRun: dry, Notify: n.add})
		if err != nil || rep.Copied != 2 || rep.Failed != 0 {
			t.Fatalf("Mirror = %+v, %v", rep, err)
		}
		var warned []string
		for _, m := range n.msgs {
			if strings.Contains(m, "--perms") {
				warned = append(warned, m)
			}
		}
		if len(warned) != 1 || !strings.Contains(warned[0], "the server's listing gives no permission bits for 2 file(s)") {
			t.Errorf("dry run %v: notes %q: want one --perms warning for 2 files", dry, n.msgs)
		}
	}
	if fi, err := os.Stat(filepath.Join(local, "a.sh")); err != nil || fi.Mode().Perm() == 0o700 {
		t.Errorf("a.sh: %v, %v", fi, err)
	}
}
