package transfer

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ferry-ftp/ferry/internal/ftptest"
	"github.com/ferry-ftp/ferry/internal/testsupport"
)

// MaxDelete deletes at most N paths, children before their folders, and
// turns the rest into skips that name the destination's paths; a folder
// in the way of a file costs its whole contents, and its copy waits.
func TestMirrorMaxDelete(t *testing.T) {
	for _, dir := range []Direction{Download, Upload} {
		t.Run(map[Direction]string{Download: "download", Upload: "upload"}[dir], func(t *testing.T) {
			srv := ftptest.New(t, ftptest.Config{})
			local := filepath.Join(t.TempDir(), "l")
			from, to, remote := filepath.Join(srv.Root(), "src"), local, "src"
			if dir == Upload {
				from, to, remote = local, filepath.Join(srv.Root(), "dst"), "dst"
			}
			testsupport.WriteFile(t, filepath.Join(from, "keep.txt"), "k")
			testsupport.WriteFile(t, filepath.Join(from, "x"), "a file where a folder was")
			for _, p := range []string{"keep.txt", "a/1", "a/2", "b", "c", "d", "x/one", "x/two"} {
				testsupport.WriteFile(t, filepath.Join(to, p), "old "+p)
			}
			p := testPool(t, srv, PoolOptions{Size: 2})
			var ev events
			opt := MirrorOptions{Direction: dir, Update: UpdateChanged, Delete: true, MaxDelete: 3, OnEvent: ev.add}
			rep, err := p.Mirror(testCtx(t), remote, local, opt)
			// x/ costs 3: it is deleted, and nothing after it.
			if err != nil || rep.Deleted != 1 || rep.Copied != 2 || rep.Skipped != 6 || rep.Failed != 0 {
				t.Fatalf("Mirror = %+v, %v", rep, err)
			}
			got := testsupport.Tree(t, to)
			if f := files(got); !slices.Equal(f, []string{"a/1", "a/2", "b", "c", "d", "keep.txt", "x"}) {
				t.Fatalf("left %q", f)
			}
			var skipped []string
			for _, e := range ev.all {
				if e.Action.Kind == Skip {
					if !e.Action.InDest || !strings.Contains(e.Action.Reason, "--max-delete 3 reached") {
						t.Errorf("skip %+v", e.Action)
					}
					skipped = append(skipped, e.Action.Path)
				}
			}
			slices.Sort(skipped)
			if want := []string{"a", "a/1", "a/2", "b", "c", "d"}; !slices.Equal(skipped, want) {
				t.Errorf("skipped %q, want %q", skipped, want)
			}

			// Two at a time: the children go before their folder.
			opt.MaxDelete = 2
			rep, err = p.Mirror(testCtx(t), remote, local, opt)
			if err != nil || rep.Deleted != 2 || rep.Skipped != 4 {
				t.Fatalf("second run = %+v, %v", rep, err)
			}
			if f := files(testsupport.Tree(t, to)); !slices.Equal(f, []string{"a/1", "a/2", "b", "keep.txt", "x"}) {
				t.Fatalf("second run left %q", f)
			}

			// A folder in the way that the limit does not cover stays,
			// its copy is skipped, and so is the deletion after it.
			testsupport.WriteFile(t, filepath.Join(from, "a"), "now a file")
			opt.MaxDelete = 2
			rep, err = p.Mirror(testCtx(t), remote, local, opt)
			if err != nil || rep.Deleted != 0 || rep.Copied != 0 || rep.Skipped != 3 {
				t.Fatalf("third run = %+v, %v", rep, err)
			}
			if got := testsupport.ReadFile(filepath.Join(to, "a/1")); got != "old a/1" {
				t.Errorf("a/1 = %q", got)
			}
		})
	}
}
