package transfer

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/ferry-ftp/ferry/internal/ftptest"
	"github.com/ferry-ftp/ferry/internal/testsupport"
)

// A dry run's plan holds every action the real run would take, with its
// reason: with Perms the chmod after each copy, with RemoveSource the
// removal of each copied source file; nothing is changed. Outside probe of
// issue 16: the plan left both out.
func TestMirrorDryRunFollowUps(t *testing.T) {
	for _, dir := range []Direction{Download, Upload} {
		t.Run(map[Direction]string{Download: "download", Upload: "upload"}[dir], func(t *testing.T) {
			srv := ftptest.New(t, ftptest.Config{})
			local := filepath.Join(t.TempDir(), "l")
			from, to, remote := filepath.Join(srv.Root(), "src"), local, "src"
			if dir == Upload {
				from, to, remote = local, filepath.Join(srv.Root(), "dst"), "dst"
			}
			testsupport.WriteFile(t, filepath.Join(from, "run.sh"), "#!/bin/sh")
			os.Chmod(filepath.Join(from, "run.sh"), 0o751)
			testsupport.WriteFile(t, filepath.Join(from, "same.txt"), "same")
			testsupport.WriteFile(t, filepath.Join(to, "same.txt"), "same")
			before := testsupport.Tree(t, from)
			p := testPool(t, srv, PoolOptions{Size: 1})
			rep, err := p.Mirror(testCtx(t), remote, local, MirrorOptions{Direction: dir, Update: UpdateChanged, SizeOnly: true,
				Perms: true, RemoveSource: true, DryRun: true})
			if err != nil {
				t.Fatal(err)
			}
			verb := map[Direction]string{Download: "get", Upload: "put"}[dir]
			want := []string{
				verb + "    run.sh (new)",
				"chmod  run.sh (mode 0751 from the source, --perms)",
				"remove-source run.sh (copied, --remove-source-files)",
			}
			if rep.SourcesRemoved != 0 {
				t.Errorf("a dry run counts %d sources removed", rep.SourcesRemoved)
			}
			if got := planLines(rep, dir); !slices.Equal(got, want) {
				t.Errorf("plan\n%q\nwant\n%q", got, want)
			}
			if got := testsupport.Tree(t, from); len(got) != len(before) {
				t.Errorf("source changed: %q", got)
			}
			if exists(filepath.Join(to, "run.sh")) {
				t.Error("run.sh copied in a dry run")
			}
		})
	}
}
