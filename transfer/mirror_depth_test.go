package transfer

import (
	"maps"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ferry-ftp/ferry/internal/ftptest"
	"github.com/ferry-ftp/ferry/internal/testsupport"
)

// Delete never deletes a destination folder that holds paths the job does
// not enter (beyond MaxDepth, or a folder a filter leaves out), nor
// replaces such a folder in the way of a file; what lies beyond MaxDepth
// is neither compared nor deleted, DeleteExcluded or not. Outside probe of
// issue 16: --delete --max-depth 2 sent RMD for a folder that was not
// empty, and failed.
func TestMirrorDeleteSparesUnentered(t *testing.T) {
	for _, dir := range []Direction{Download, Upload} {
		for _, tc := range []struct {
			name string
			opt  MirrorOptions
			want map[string]string // the destination afterwards
		}{
			{name: "max-depth", opt: MirrorOptions{Filter: Filter{FilterLimits: FilterLimits{MaxDepth: 2}}},
				want: map[string]string{"a.txt": "a", "extra/": "", "extra/deep/": "", "extra/deep/y.txt": "y",
					"way": "a file now", "way2/": "", "way2/deep/": "", "way2/deep/z": "z", "way2/seen": "s"}},
			{name: "max-depth delete-excluded", opt: MirrorOptions{DeleteExcluded: true, Filter: Filter{FilterLimits: FilterLimits{MaxDepth: 2}}},
				want: map[string]string{"a.txt": "a", "extra/": "", "extra/deep/": "", "extra/deep/y.txt": "y",
					"way": "a file now", "way2/": "", "way2/deep/": "", "way2/deep/z": "z", "way2/seen": "s"}},
			{name: "excluded folder", opt: MirrorOptions{Filter: Filter{Exclude: []string{"deep/"}}},
				want: map[string]string{"a.txt": "a", "extra/": "", "extra/deep/": "", "extra/deep/y.txt": "y",
					"way": "a file now", "way2/": "", "way2/deep/": "", "way2/deep/z": "z", "way2/seen": "s"}},
		} {
			name := map[Direction]string{Download: "download", Upload: "upload"}[dir] + "/" + tc.name
			t.Run(name, func(t *testing.T) {
				srv := ftptest.New(t, ftptest.Config{})
				local := filepath.Join(t.TempDir(), "l")
				from, to, remote := filepath.Join(srv.Root(), "src"), local, "src"
				if dir == Upload {
					from, to, remote = local, filepath.Join(srv.Root(), "dst"), "dst"
				}
				testsupport.WriteFile(t, filepath.Join(from, "a.txt"), "a")
				testsupport.WriteFile(t, filepath.Join(from, "way"), "a file now")
				testsupport.WriteFile(t, filepath.Join(from, "way2"), "a file now")
				for p, data := range map[string]string{"a.txt": "a", "gone.txt": "gone", "extra/x.txt": "x", "extra/deep/y.txt": "y",
					"way/w": "w", "way2/deep/z": "z", "way2/seen": "s"} {
					testsupport.WriteFile(t, filepath.Join(to, p), data)
				}
				p := testPool(t, srv, PoolOptions{Size: 2})
				var ev events
				opt := tc.opt
				opt.Direction, opt.Update, opt.Delete, opt.OnEvent = dir, UpdateChanged, true, ev.add
				srv.ResetCommands()
				rep, err := p.Mirror(testCtx(t), remote, local, opt)
				if err != nil || rep.Failed != 0 {
					t.Fatalf("Mirror = %+v, %v; failed %q", rep, err, ev.failed())
				}
				// way2 holds a folder the job does not enter: it is not
				// replaced by the file, which is skipped.
				if rep.Copied != 1 || rep.Deleted != 3 || rep.Skipped != 1 {
					t.Errorf("Mirror = %+v, want 1 copied (way), 3 deleted (gone.txt, extra/x.txt, way/w... way), 1 skipped", rep)
				}
				if got := testsupport.Tree(t, to); !maps.Equal(got, tc.want) {
					t.Errorf("destination holds %q\nwant %q", got, tc.want)
				}
				for _, c := range srv.Commands() {
					if strings.Contains(c, "deep") && !strings.HasPrefix(c, "MLSD") && !strings.HasPrefix(c, "LIST") || strings.HasPrefix(c, "RMD") && strings.HasSuffix(c, "extra") {
						t.Errorf("sent %q", c)
					}
				}
			})
		}
	}
}
