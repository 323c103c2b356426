package transfer

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ferry-ftp/ferry/internal/testsupport"
)

// mirrorUp mirrors the local folder src to the remote folder "dst" over a
// pool of two connections and fails the test unless every action worked.
func mirrorUp(t *testing.T, p *Pool, src string, opt MirrorOptions) {
	t.Helper()
	opt.Direction = Upload
	var ev events
	opt.OnEvent = ev.add
	rep, err := p.Mirror(testCtx(t), "dst", src, opt)
	if err != nil || rep.Failed != 0 {
		t.Fatalf("Mirror = %+v, %v; failed %q", rep, err, ev.failed())
	}
}

// mirror -R onto a server that refuses to rename over existing files:
// changed files replace the old ones without any DELE of a target, and
// nothing else is left on the server.
func TestMirrorUploadWhereRenameCannotOverwrite(t *testing.T) {
	src := t.TempDir()
	testsupport.WriteFile(t, filepath.Join(src, "a.txt"), "new a")
	testsupport.WriteFile(t, filepath.Join(src, "d", "b.txt"), "new b, longer")
	testsupport.WriteFile(t, filepath.Join(src, "c.txt"), "brand new c")
	srv := putServer(t, map[string]string{"dst/a.txt": "old", "dst/d/b.txt": "old b"}, refuseOverwrite)
	mirrorUp(t, testPool(t, srv, PoolOptions{Size: 2}), src, MirrorOptions{Update: UpdateChanged})
	sameTree(t, src, filepath.Join(srv.Root(), "dst"))
	cmds := srv.Commands()
	for _, target := range []string{"dst/a.txt", "dst/d/b.txt"} {
		if slices.Contains(cmds, "DELE "+target) {
			t.Errorf("%s was deleted:\n%s", target, strings.Join(cmds, "\n"))
		}
		if !slices.Contains(cmds, "RNFR "+target) {
			t.Errorf("%s was not moved aside:\n%s", target, strings.Join(cmds, "\n"))
		}
	}
}

// A real file named NAME.part in the tree is a file like any other: an
// upload of NAME, resumed, neither continues nor consumes it.
func TestMirrorUploadLeavesRealPartFilesAlone(t *testing.T) {
	src := t.TempDir()
	when := time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)
	testsupport.WriteFile(t, filepath.Join(src, "a.txt"), "version two of a.txt")
	testsupport.WriteFile(t, filepath.Join(src, "a.txt.part"), "a file of its own")
	srv := putServer(t, map[string]string{"dst/a.txt": "version one", "dst/a.txt.part": "a file of its own"}, nil)
	for _, p := range []string{filepath.Join(src, "a.txt.part"), filepath.Join(srv.Root(), "dst", "a.txt.part")} {
		os.Chtimes(p, when, when)
	}
	mirrorUp(t, testPool(t, srv, PoolOptions{Size: 2}), src, MirrorOptions{Update: UpdateChanged, Resume: true})
	sameTree(t, src, filepath.Join(srv.Root(), "dst"))
}

// A file of the tree whose name is the temporary name of another file's
// upload is never taken for a partial upload: the upload takes another
// temporary name (PutOptions.Avoid, from the listing).
func TestMirrorUploadAvoidsNamesItLists(t *testing.T) {
	src := t.TempDir()
	when := time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)
	local := filepath.Join(src, "a.txt")
	testsupport.WriteFile(t, local, "the contents of a.txt")
	tmp := uploadTemp(t, local, "a.txt")
	testsupport.WriteFile(t, filepath.Join(src, tmp), "real")
	os.Chtimes(filepath.Join(src, tmp), when, when)
	srv := putServer(t, map[string]string{"dst/" + tmp: "real"}, nil)
	os.Chtimes(filepath.Join(srv.Root(), "dst", tmp), when, when)
	mirrorUp(t, testPool(t, srv, PoolOptions{Size: 2}), src, MirrorOptions{Update: UpdateChanged, Resume: true})
	sameTree(t, src, filepath.Join(srv.Root(), "dst"))
	counted := "dst/" + strings.TrimSuffix(tmp, ".part") + "-1.part"
	if cmds := srv.Commands(); !slices.Contains(cmds, "STOR "+counted) {
		t.Errorf("no upload to %s:\n%s", counted, strings.Join(cmds, "\n"))
	}
}
