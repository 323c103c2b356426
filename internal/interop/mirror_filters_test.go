package interop

import (
	"context"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ferry-ftp/ferry/client"
	"github.com/ferry-ftp/ferry/internal/realserver"
	"github.com/ferry-ftp/ferry/internal/testsupport"
	"github.com/ferry-ftp/ferry/transfer"
)

// TestMirrorFiltersDelete runs mirrors with filters and --delete against
// vsftpd (LIST times, no MLSD), both ways, and checks the whole trees on
// both sides: what was copied, deleted and kept, and that
// DeleteExcluded, MaxDelete and BackupDir do what they say there.
func TestMirrorFiltersDelete(t *testing.T) {
	skipShort(t)
	s := realserver.StartOrSkip(t, realserver.Vsftpd, realserver.Options{})
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	p := transfer.NewPool(site(s, client.Passive, s.Password, nil, nil), transfer.PoolOptions{Size: 4, Retries: 2})
	defer p.Close()

	src := t.TempDir()
	for name, data := range map[string]string{
		"index.html": "home", "keep/a.txt": "a", "keep/b.log": "log", "logs/2024/x.gz": "x",
		"logs/2024/05/y.gz": "y", "big.bin": strings.Repeat("b", 5000), "cache/c.dat": "c",
	} {
		testsupport.WriteFile(t, filepath.Join(src, name), data)
	}
	remote := onDisk(s, "filtered")
	// The server's side is seeded through the server, whose files its
	// own user owns.
	seed := t.TempDir()
	for name, data := range map[string]string{"stale.txt": "stale", "old.log": "excluded: kept", "cache/old": "excluded folder: kept"} {
		testsupport.WriteFile(t, filepath.Join(seed, name), data)
	}
	if rep, err := p.Mirror(ctx, "filtered", seed, transfer.MirrorOptions{Direction: transfer.Upload, Update: transfer.UpdateChanged}); err != nil || rep.Failed != 0 {
		t.Fatalf("seeding: %s, %v", summary(rep), err)
	}
	filter := transfer.Filter{Exclude: []string{"*.log", "logs/**/05"}, FilterLimits: transfer.FilterLimits{
		ExcludeRx: []*regexp.Regexp{regexp.MustCompile(`^cache/$`)}, MaxSize: 1000}}
	opt := transfer.MirrorOptions{Direction: transfer.Upload, Update: transfer.UpdateChanged, Delete: true, Filter: filter}
	rep, err := p.Mirror(ctx, "filtered", src, opt)
	if err != nil || rep.Failed != 0 || rep.Copied != 3 || rep.Deleted != 1 {
		t.Fatalf("upload: %s, %v", summary(rep), err)
	}
	want := map[string]string{"index.html": "home", "keep/": "", "keep/a.txt": "a", "logs/": "", "logs/2024/": "", "logs/2024/x.gz": "x",
		"old.log": "excluded: kept", "cache/": "", "cache/old": "excluded folder: kept"}
	if got := testsupport.Tree(t, remote); !maps.Equal(got, want) {
		t.Fatalf("server tree after upload:\n%v\nwant:\n%v", got, want)
	}

	// DeleteExcluded, at most 2 deletions (the files; the emptied cache/
	// would be the third), each moved to a backup folder.
	opt.DeleteExcluded, opt.MaxDelete, opt.BackupDir = true, 2, "attic"
	rep, err = p.Mirror(ctx, "filtered", src, opt)
	if err != nil || rep.Failed != 0 || rep.Deleted != 2 || rep.Skipped != 1 {
		t.Fatalf("--delete-excluded: %s, %v", summary(rep), err)
	}
	delete(want, "old.log")
	delete(want, "cache/old")
	if got := testsupport.Tree(t, remote); !maps.Equal(got, want) {
		t.Fatalf("server tree after --delete-excluded:\n%v\nwant:\n%v", got, want)
	}
	backup := map[string]string{"old.log": "excluded: kept", "cache/": "", "cache/old": "excluded folder: kept"}
	if got := testsupport.Tree(t, onDisk(s, "attic")); !maps.Equal(got, backup) {
		t.Errorf("backup folder: %v", got)
	}

	// Download with ** and a size limit, deleting a local extra; a second
	// run copies nothing.
	dst := t.TempDir()
	testsupport.WriteFile(t, filepath.Join(dst, "extra.txt"), "not on the server")
	down := transfer.MirrorOptions{Update: transfer.UpdateChanged, Delete: true,
		Filter: transfer.Filter{Include: []string{"**/*.gz", "*.html"}, FilterLimits: transfer.FilterLimits{MinSize: 1}}}
	rep, err = p.Mirror(ctx, "filtered", dst, down)
	if err != nil || rep.Failed != 0 || rep.Copied != 2 || rep.Deleted != 0 {
		t.Fatalf("download: %s, %v", summary(rep), err)
	}
	wantLocal := map[string]string{"extra.txt": "not on the server", "index.html": "home", "cache/": "", "keep/": "", "logs/": "", "logs/2024/": "", "logs/2024/x.gz": "x"}
	if got := testsupport.Tree(t, dst); !maps.Equal(got, wantLocal) {
		t.Fatalf("local tree:\n%v\nwant:\n%v", got, wantLocal)
	}
	down.Filter = transfer.Filter{}
	rep, err = p.Mirror(ctx, "filtered", dst, down)
	if err != nil || rep.Failed != 0 || rep.Copied != 1 || rep.Deleted != 1 {
		t.Fatalf("download without filters: %s, %v", summary(rep), err)
	}
	rep, err = p.Mirror(ctx, "filtered", dst, down)
	if err != nil || rep.Copied != 0 || rep.Deleted != 0 {
		t.Errorf("second download: %s, %v; first action: %s", summary(rep), err, firstAction(rep))
	}
	if err := os.RemoveAll(remote); err != nil {
		t.Error(err)
	}
}
