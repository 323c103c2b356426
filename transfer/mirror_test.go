package transfer

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ferry-ftp/ferry/client"
	"github.com/ferry-ftp/ferry/internal/ftptest"
	"github.com/ferry-ftp/ferry/internal/testsupport"
)

// events collects a job's events.
type events struct {
	mu  sync.Mutex
	all []Event
}

func (e *events) add(ev Event) {
	e.mu.Lock()
	e.all = append(e.all, ev)
	e.mu.Unlock()
}

func (e *events) failed() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []string
	for _, ev := range e.all {
		if ev.Err != nil {
			out = append(out, ev.Action.Path)
		}
	}
	slices.Sort(out)
	return out
}

// planLines formats a plan, skips and keeps left out.
func planLines(rep *Report, dir Direction) []string {
	var out []string
	for _, a := range rep.Plan {
		if a.Kind != Skip && a.Kind != Keep {
			out = append(out, a.String(dir))
		}
	}
	return out
}

func exists(p string) bool {
	_, err := os.Lstat(p)
	return err == nil
}

// The acceptance test of the issue: 2,000 files in 20 folders, mirrored
// in parallel both ways, end identical; a second run copies nothing.
func TestMirror2000FilesBothWays(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{})
	src := filepath.Join(srv.Root(), "tree")
	makeTree(t, src, 20, 100, 20000, 21)
	p := testPool(t, srv, PoolOptions{Size: 8})

	local := filepath.Join(t.TempDir(), "copy")
	start := time.Now()
	rep, err := p.Mirror(testCtx(t), "tree", local, MirrorOptions{Update: UpdateChanged})
	if err != nil || rep.Failed != 0 || rep.Copied != 2000 || rep.Made != 20 {
		t.Fatalf("download: %+v, %v", rep, err)
	}
	t.Logf("download of 2,000 files: %v", time.Since(start))
	sameTree(t, src, local)

	start = time.Now()
	rep, err = p.Mirror(testCtx(t), "back", local, MirrorOptions{Direction: Upload, Update: UpdateChanged})
	if err != nil || rep.Failed != 0 || rep.Copied != 2000 {
		t.Fatalf("upload: %+v, %v", rep, err)
	}
	t.Logf("upload of 2,000 files: %v", time.Since(start))
	sameTree(t, local, filepath.Join(srv.Root(), "back"))

	srv.ResetCommands()
	for _, dir := range []Direction{Download, Upload} {
		remote := map[Direction]string{Download: "tree", Upload: "back"}[dir]
		rep, err := p.Mirror(testCtx(t), remote, local, MirrorOptions{Direction: dir, Update: UpdateChanged})
		if err != nil || rep.Copied != 0 || rep.Unchanged != 2000 {
			t.Fatalf("second run %v: %+v, %v", dir, rep, err)
		}
	}
	if n := countVerb(srv.Commands(), "RETR") + countVerb(srv.Commands(), "STOR"); n != 0 {
		t.Errorf("second runs moved %d files", n)
	}
}

func TestMirrorDelete(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{})
	root := srv.Root()
	testsupport.WriteFile(t, filepath.Join(root, "src/a.txt"), "a")
	testsupport.WriteFile(t, filepath.Join(root, "src/sub/b.txt"), "b")
	testsupport.WriteFile(t, filepath.Join(root, "src/file-or-dir"), "now a file")
	local := t.TempDir()
	dst := filepath.Join(local, "dst")
	testsupport.WriteFile(t, filepath.Join(dst, "a.txt"), "a")
	testsupport.WriteFile(t, filepath.Join(dst, "stale.txt"), "gone")
	testsupport.WriteFile(t, filepath.Join(dst, "old/deep/x.txt"), "gone")
	testsupport.WriteFile(t, filepath.Join(dst, "keep.log"), "excluded: kept")
	testsupport.WriteFile(t, filepath.Join(dst, "file-or-dir/inner"), "in the way")
	testsupport.WriteFile(t, filepath.Join(local, "outside.txt"), "never touched")
	os.Symlink(filepath.Join(local, "outside.txt"), filepath.Join(dst, "link"))
	p := testPool(t, srv, PoolOptions{Size: 3})
	opt := MirrorOptions{Update: UpdateChanged, Delete: true, Filter: Filter{Exclude: []string{"*.log"}}}

	opt.DryRun = true
	rep, err := p.Mirror(testCtx(t), "src", dst, opt)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"rmdir  file-or-dir/ (in the way of a file)",
		"mkdir  sub/ (new)",
		"get    file-or-dir (new)",
		"get    sub/b.txt (new)",
		"delete stale.txt (not in source)",
		"rmdir  old/ (not in source)",
		"delete old/deep/x.txt (not in source)",
		"rmdir  old/deep/ (not in source)",
		"delete link (not in source)",
	}
	got := planLines(rep, Download)
	if !sameSet(got, want) {
		t.Fatalf("plan:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if !exists(filepath.Join(dst, "stale.txt")) {
		t.Fatal("dry run deleted")
	}

	opt.DryRun = false
	rep, err = p.Mirror(testCtx(t), "src", dst, opt)
	if err != nil || rep.Failed != 0 {
		t.Fatalf("Mirror = %+v, %v", rep, err)
	}
	testsupport.WriteFile(t, filepath.Join(root, "src/keep.log"), "excluded: kept") // for the comparison
	sameTree(t, filepath.Join(root, "src"), dst)
	if testsupport.ReadFile(filepath.Join(local, "outside.txt")) != "never touched" {
		t.Error("file outside the tree changed")
	}
	if rep.Deleted != 6 {
		t.Errorf("deleted %d, want 6", rep.Deleted)
	}
}

func TestMirrorDeleteRemote(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{})
	local := t.TempDir()
	testsupport.WriteFile(t, filepath.Join(local, "a"), "a")
	testsupport.WriteFile(t, filepath.Join(srv.Root(), "dst/a"), "a")
	testsupport.WriteFile(t, filepath.Join(srv.Root(), "dst/extra/x"), "x")
	testsupport.WriteFile(t, filepath.Join(srv.Root(), "dst/y"), "y")
	testsupport.WriteFile(t, filepath.Join(srv.Root(), "other/z"), "outside the tree")
	p := testPool(t, srv, PoolOptions{Size: 2})
	rep, err := p.Mirror(testCtx(t), "dst", local, MirrorOptions{Direction: Upload, Delete: true, Update: UpdateChanged})
	if err != nil || rep.Deleted != 3 || rep.Failed != 0 {
		t.Fatalf("Mirror = %+v, %v", rep, err)
	}
	sameTree(t, local, filepath.Join(srv.Root(), "dst"))
	if !exists(filepath.Join(srv.Root(), "other/z")) {
		t.Fatal("deleted outside the tree")
	}
	cmds := srv.Commands()
	for _, want := range []string{"DELE dst/y", "DELE dst/extra/x", "RMD dst/extra"} {
		if !slices.Contains(cmds, want) {
			t.Errorf("no %q in %q", want, cmds)
		}
	}
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// --only-newer, over MLSD (exact UTC times) and over LIST (to the minute,
// no zone): a second run sends no RETR; a newer source file is fetched, a
// newer destination file kept.
func TestMirrorOnlyNewer(t *testing.T) {
	for _, list := range []string{"MLSD", "LIST"} {
		t.Run(list, func(t *testing.T) {
			var cfg ftptest.Config
			if list == "LIST" {
				cfg.Disable = []string{"MLSD", "MLST"}
			}
			srv := ftptest.New(t, cfg)
			src := filepath.Join(srv.Root(), "src")
			makeTree(t, src, 2, 10, 3000, 31)
			old := time.Now().Add(-2 * time.Hour).Truncate(time.Minute)
			filepath.WalkDir(src, func(p string, _ os.DirEntry, _ error) error { return os.Chtimes(p, old, old) })
			p := testPool(t, srv, PoolOptions{Size: 3})
			dst := t.TempDir()
			opt := MirrorOptions{Update: UpdateNewer}
			if rep, err := p.Mirror(testCtx(t), "src", dst, opt); err != nil || rep.Copied != 20 {
				t.Fatalf("first run: %+v, %v", rep, err)
			}
			fi, _ := os.Stat(filepath.Join(dst, "d00/f0000.bin"))
			if !fi.ModTime().Equal(old) {
				t.Errorf("local time %v, want the server's %v", fi.ModTime(), old)
			}

			srv.ResetCommands()
			rep, err := p.Mirror(testCtx(t), "src", dst, opt)
			if err != nil || rep.Copied != 0 || rep.Unchanged != 20 {
				t.Fatalf("second run: %+v, %v", rep, err)
			}
			if n := countVerb(srv.Commands(), "RETR"); n != 0 {
				t.Errorf("second run sent %d RETR", n)
			}
			// LIST shows the minute: the same minute may hide a change of
			// the same size, so each file's MDTM (in pipelined batches)
			// confirms it. MLSD times are exact.
			wantMDTM := 0
			if list == "LIST" {
				wantMDTM = 20
			}
			if n := countVerb(srv.Commands(), "MDTM"); n != wantMDTM {
				t.Errorf("second run sent %d MDTM, want %d", n, wantMDTM)
			}
			if n := countVerb(srv.Commands(), "SIZE"); n != 0 {
				t.Errorf("second run sent %d SIZE", n)
			}

			// A newer file on the server is fetched; a newer local one
			// is kept even though its size differs.
			newer := time.Now().Add(-time.Hour).Truncate(time.Minute)
			testsupport.WriteFile(t, filepath.Join(src, "d00/f0001.bin"), "changed on the server")
			os.Chtimes(filepath.Join(src, "d00/f0001.bin"), newer, newer)
			testsupport.WriteFile(t, filepath.Join(dst, "d01/f0002.bin"), "changed here, later")
			srv.ResetCommands()
			rep, err = p.Mirror(testCtx(t), "src", dst, opt)
			if err != nil || rep.Copied != 1 {
				t.Fatalf("third run: %+v, %v", rep, err)
			}
			if got := srv.Commands(); countVerb(got, "RETR") != 1 || !slices.Contains(got, "RETR src/d00/f0001.bin") {
				t.Errorf("third run commands %q", got)
			}
			if testsupport.ReadFile(filepath.Join(dst, "d01/f0002.bin")) != "changed here, later" {
				t.Error("newer local file replaced")
			}
		})
	}
}

// A LIST time that looks newer only because LIST has no zone is checked
// with MDTM before the file is fetched again.
func TestMirrorChecksListTimeWithMDTM(t *testing.T) {
	est := time.FixedZone("EST", -5*3600)
	srv := ftptest.New(t, ftptest.Config{Disable: []string{"MLSD", "MLST"}})
	testsupport.WriteFile(t, filepath.Join(srv.Root(), "src/f"), "data")
	mtime := time.Now().Add(-3 * time.Hour).Truncate(time.Second)
	os.Chtimes(filepath.Join(srv.Root(), "src/f"), mtime, mtime)
	dst := t.TempDir()
	testsupport.WriteFile(t, filepath.Join(dst, "f"), "data")
	os.Chtimes(filepath.Join(dst, "f"), mtime, mtime)
	// The listing is read as if the server were 5 hours behind: its
	// times look 5 hours newer than they are.
	s := site(srv)
	s.Options = append(s.Options, listClock(est))
	p := NewPool(s, PoolOptions{Size: 1, Backoff: noWait})
	defer p.Close()
	srv.ResetCommands()
	rep, err := p.Mirror(testCtx(t), "src", dst, MirrorOptions{Update: UpdateChanged})
	if err != nil || rep.Copied != 0 || rep.Unchanged != 1 {
		t.Fatalf("Mirror = %+v, %v", rep, err)
	}
	if got := srv.Commands(); !slices.Contains(got, "MDTM src/f") || countVerb(got, "RETR") != 0 {
		t.Errorf("commands %q, want MDTM and no RETR", got)
	}
	if !strings.Contains(rep.Plan[0].Reason, "MDTM") {
		t.Errorf("plan %+v", rep.Plan)
	}
}

func TestMirrorIncludeExclude(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{})
	for _, f := range []string{"a.txt", "b.log", "c.txt", "skip/d.txt", "sub/e.txt", "sub/f.bin", "sub/skip.txt"} {
		testsupport.WriteFile(t, filepath.Join(srv.Root(), "src", f), f)
	}
	p := testPool(t, srv, PoolOptions{Size: 2})
	dst := t.TempDir()
	rep, err := p.Mirror(testCtx(t), "src", dst, MirrorOptions{Filter: Filter{Include: []string{"*.txt"}, Exclude: []string{"skip", "sub/skip.*"}}})
	if err != nil || rep.Failed != 0 {
		t.Fatalf("Mirror = %+v, %v", rep, err)
	}
	got := treeSums(t, dst)
	var paths []string
	for p, s := range got {
		if s != "dir" {
			paths = append(paths, p)
		}
	}
	if want := []string{"a.txt", "c.txt", "sub/e.txt"}; !sameSet(paths, want) {
		t.Errorf("copied %q, want %q", paths, want)
	}
	if got := srv.Commands(); slices.Contains(got, "MLSD src/skip") {
		t.Error("listed an excluded folder")
	}
	if _, err := p.Mirror(testCtx(t), "src", dst, MirrorOptions{Filter: Filter{Exclude: []string{"[x"}}}); err == nil {
		t.Error("bad pattern accepted")
	}
}

func TestMirrorDryRunChangesNothing(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{})
	testsupport.WriteFile(t, filepath.Join(srv.Root(), "src/new.txt"), "new")
	testsupport.WriteFile(t, filepath.Join(srv.Root(), "src/d/changed.txt"), "changed!")
	testsupport.WriteFile(t, filepath.Join(srv.Root(), "dst/gone.txt"), "gone")
	local := t.TempDir()
	testsupport.WriteFile(t, filepath.Join(local, "d/changed.txt"), "old")
	testsupport.WriteFile(t, filepath.Join(local, "gone.txt"), "gone")
	before := treeSums(t, srv.Root())
	localBefore := treeSums(t, local)
	p := testPool(t, srv, PoolOptions{Size: 2})
	for _, dir := range []Direction{Download, Upload} {
		remote := map[Direction]string{Download: "src", Upload: "dst"}[dir]
		srv.ResetCommands()
		rep, err := p.Mirror(testCtx(t), remote, local, MirrorOptions{Direction: dir, Delete: true, DryRun: true})
		if err != nil || rep.Copied == 0 {
			t.Fatalf("%v: %+v, %v", dir, rep, err)
		}
		for _, c := range srv.Commands() {
			switch strings.Fields(c)[0] {
			case "RETR", "STOR", "APPE", "DELE", "RMD", "MKD", "RNFR", "RNTO", "MFMT":
				t.Errorf("dry run sent %q", c)
			}
		}
		t.Logf("%v plan:\n%s", dir, strings.Join(planLines(rep, dir), "\n"))
	}
	if !maps2Equal(before, treeSums(t, srv.Root())) || !maps2Equal(localBefore, treeSums(t, local)) {
		t.Error("dry run changed a tree")
	}
	// A dry run into a folder that does not exist creates nothing.
	missing := filepath.Join(t.TempDir(), "nope")
	if _, err := p.Mirror(testCtx(t), "src", missing, MirrorOptions{DryRun: true}); err != nil || exists(missing) {
		t.Errorf("dry run into a missing folder: %v, exists %v", err, exists(missing))
	}
}

func maps2Equal(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// A hostile server's listing: nothing is written outside the target,
// each bad name is reported, and the rest is mirrored.
func TestMirrorHostileNames(t *testing.T) {
	for _, list := range []string{"MLSD", "LIST"} {
		t.Run(list, func(t *testing.T) {
			mlsd := "type=file;size=4;modify=20200101000000; ../evil\r\n" +
				"type=file;size=4;modify=20200101000000; /abs\r\n" +
				"type=file;size=4;modify=20200101000000; a\\b\r\n" +
				"type=file;size=4;modify=20200101000000; |cmd\r\n" +
				"type=file;size=4;modify=20200101000000; esc\x1b[31mred\r\n" +
				"type=file;size=4;modify=20200101000000; ..\r\n" +
				"type=OS.unix=slink:/etc/passwd;modify=20200101000000; link\r\n" +
				"type=dir;modify=20200101000000; ../../up\r\n" +
				"type=file;size=4;modify=20200101000000; good.txt\r\n"
			ls := "-rw-r--r-- 1 u g 4 Jan 01  2020 ../evil\r\n" +
				"-rw-r--r-- 1 u g 4 Jan 01  2020 /abs\r\n" +
				"-rw-r--r-- 1 u g 4 Jan 01  2020 a\\b\r\n" +
				"-rw-r--r-- 1 u g 4 Jan 01  2020 |cmd\r\n" +
				"-rw-r--r-- 1 u g 4 Jan 01  2020 esc\x1b[31mred\r\n" +
				"lrwxrwxrwx 1 u g 11 Jan 01  2020 link -> /etc/passwd\r\n" +
				"drwxr-xr-x 2 u g 4096 Jan 01  2020 ../../up\r\n" +
				"-rw-r--r-- 1 u g 4 Jan 01  2020 good.txt\r\n"
			cfg := ftptest.Config{}
			if list == "LIST" {
				cfg.Disable = []string{"MLSD", "MLST"}
			}
			cfg.Hook = func(c ftptest.Command) *ftptest.Reply {
				switch {
				case c.Verb == "MLSD" && c.Arg == "src":
					return &ftptest.Reply{Transfer: &ftptest.Transfer{Data: []byte(mlsd)}}
				case c.Verb == "LIST" && strings.TrimPrefix(c.Arg, "-a ") == "src":
					return &ftptest.Reply{Transfer: &ftptest.Transfer{Data: []byte(ls)}}
				}
				return nil
			}
			srv := ftptest.New(t, cfg)
			testsupport.WriteFile(t, filepath.Join(srv.Root(), "src/good.txt"), "good")
			base := t.TempDir()
			dst := filepath.Join(base, "a", "b", "dst")
			p := testPool(t, srv, PoolOptions{Size: 2})
			var ev events
			rep, err := p.Mirror(testCtx(t), "src", dst, MirrorOptions{OnEvent: ev.add})
			if err != nil {
				t.Fatal(err)
			}
			if testsupport.ReadFile(filepath.Join(dst, "good.txt")) != "good" {
				t.Error("the good file was not mirrored")
			}
			want := 6 // ".." is the parent's entry, left out, not refused
			if rep.Failed != want || len(ev.failed()) != want {
				t.Errorf("failed %d (%q), want %d", rep.Failed, ev.failed(), want)
			}
			for _, e := range ev.all {
				if e.Err != nil && !errors.Is(e.Err, ErrBadName) {
					t.Errorf("%s: %v", e.Action.Path, e.Err)
				}
			}
			// Nothing but the tree below dst, and no symbolic link.
			var found []string
			filepath.WalkDir(base, func(p string, d os.DirEntry, _ error) error {
				if d.Type()&os.ModeSymlink != 0 {
					t.Errorf("symlink created: %s", p)
				}
				found = append(found, p)
				return nil
			})
			for _, f := range found {
				if f != base && !strings.HasPrefix(f, filepath.Join(base, "a")) {
					t.Errorf("written outside the target: %s", f)
				}
			}
			if n := countVerb(srv.Commands(), "RETR"); n != 1 {
				t.Errorf("%d RETR: %q", n, srv.Commands())
			}
		})
	}
}

// A local symbolic link in the destination is neither followed nor
// replaced without --delete.
func TestMirrorDoesNotFollowLocalSymlinks(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{})
	testsupport.WriteFile(t, filepath.Join(srv.Root(), "src/escape/x"), "x")
	testsupport.WriteFile(t, filepath.Join(srv.Root(), "src/f"), "f")
	base := t.TempDir()
	outside := filepath.Join(base, "outside")
	os.Mkdir(outside, 0o755)
	dst := filepath.Join(base, "dst")
	os.Mkdir(dst, 0o755)
	os.Symlink(outside, filepath.Join(dst, "escape"))
	os.Symlink(filepath.Join(outside, "f"), filepath.Join(dst, "f"))
	p := testPool(t, srv, PoolOptions{Size: 2})
	rep, err := p.Mirror(testCtx(t), "src", dst, MirrorOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(outside); len(entries) != 0 {
		t.Fatalf("wrote through a symlink: %v", entries)
	}
	if rep.Copied != 0 || rep.Skipped < 2 {
		t.Errorf("report %+v", rep)
	}
	// Upload: local links in the source are skipped, not followed.
	testsupport.WriteFile(t, filepath.Join(outside, "secret"), "secret")
	rep, err = p.Mirror(testCtx(t), "up", dst, MirrorOptions{Direction: Upload})
	if err != nil || exists(filepath.Join(srv.Root(), "up/escape")) || exists(filepath.Join(srv.Root(), "up/f")) {
		t.Fatalf("upload followed a link: %+v, %v", rep, err)
	}
}

// A tree deeper than MaxDepth (a link loop the server follows) is
// mirrored down to that depth; the folder below is reported, not entered.
func TestMirrorStopsAtMaxDepth(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{})
	deep := filepath.Join(srv.Root(), "src")
	for range MaxDepth + 2 {
		deep = filepath.Join(deep, "d")
	}
	if err := os.MkdirAll(deep, 0o755); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(deep, "bottom.txt"), []byte("x"), 0o644)
	p := testPool(t, srv, PoolOptions{Size: 2})
	dst := t.TempDir()
	var failed []Event
	var mu sync.Mutex
	rep, err := p.Mirror(testCtx(t), "src", dst, MirrorOptions{OnEvent: func(ev Event) {
		if ev.Err != nil {
			mu.Lock()
			failed = append(failed, ev)
			mu.Unlock()
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Failed != 1 || len(failed) != 1 || !errors.Is(failed[0].Err, ErrTooDeep) || depth(failed[0].Action.Path) != MaxDepth+1 {
		t.Fatalf("report %+v, failures %+v", rep, failed)
	}
	if fi, err := os.Stat(filepath.Join(dst, filepath.FromSlash(strings.Repeat("d/", MaxDepth)))); err != nil || !fi.IsDir() {
		t.Errorf("the folder at the greatest depth is missing: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dst, filepath.FromSlash(strings.Repeat("d/", MaxDepth+1)))); !os.IsNotExist(err) {
		t.Errorf("a folder below MaxDepth was made: %v", err)
	}
}

// --delete spares the destination below a source folder whose listing
// failed: what it holds is unknown, not gone.
func TestMirrorDeleteSparesUnlistedFolders(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{Hook: func(c ftptest.Command) *ftptest.Reply {
		if c.Verb == "MLSD" && c.Arg == "src/keep" {
			return &ftptest.Reply{Code: 550, Text: "Permission denied."}
		}
		return nil
	}})
	for _, f := range []string{"src/a.txt", "src/keep/b.txt"} {
		testsupport.WriteFile(t, filepath.Join(srv.Root(), f), "server")
	}
	dst := t.TempDir()
	for _, f := range []string{"keep/old.txt", "keep/deep/older.txt", "extra.txt"} {
		testsupport.WriteFile(t, filepath.Join(dst, f), "local")
	}
	p := testPool(t, srv, PoolOptions{Size: 2})
	rep, err := p.Mirror(testCtx(t), "src", dst, MirrorOptions{Delete: true, Update: UpdateChanged})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Failed != 1 || rep.Deleted != 1 || rep.Copied != 1 {
		t.Errorf("report %+v, want 1 copied, 1 deleted, 1 failed", rep)
	}
	for _, f := range []string{"keep/old.txt", "keep/deep/older.txt", "a.txt"} {
		if _, err := os.Stat(filepath.Join(dst, f)); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
	if _, err := os.Stat(filepath.Join(dst, "extra.txt")); !os.IsNotExist(err) {
		t.Errorf("extra.txt, which the source lacks, was kept: %v", err)
	}
}

// Over LIST, a download asks the exact times of all its files in
// pipelined batches before the copies, not with an MDTM of its own before
// each RETR, and the local files get those times.
func TestMirrorBatchesMDTM(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{Disable: []string{"MLSD", "MLST"}})
	const n = client.MaxModTimes + 6 // two batches
	times := map[string]time.Time{}
	for i := range n {
		name := fmt.Sprintf("f%03d", i)
		p := filepath.Join(srv.Root(), "src", name)
		testsupport.WriteFile(t, p, name)
		tm := time.Date(2024, 1, 1, 0, 0, i, 0, time.UTC)
		os.Chtimes(p, tm, tm)
		times[name] = tm
	}
	p := testPool(t, srv, PoolOptions{Size: 1})
	dst := t.TempDir()
	srv.ResetCommands()
	rep, err := p.Mirror(testCtx(t), "src", dst, MirrorOptions{Update: UpdateChanged})
	if err != nil || rep.Copied != n {
		t.Fatalf("Mirror = %+v, %v", rep, err)
	}
	cmds := srv.Commands()
	if countVerb(cmds, "MDTM") != n || countVerb(cmds, "RETR") != n || countVerb(cmds, "SIZE") != 0 {
		t.Errorf("%d MDTM, %d RETR, %d SIZE for %d files", countVerb(cmds, "MDTM"), countVerb(cmds, "RETR"), countVerb(cmds, "SIZE"), n)
	}
	if i := slices.IndexFunc(cmds, func(c string) bool { return strings.HasPrefix(c, "RETR") }); countVerb(cmds[:max(i, 0)], "MDTM") != n {
		t.Errorf("not every MDTM came before the first RETR: %q", cmds)
	}
	for name, tm := range times {
		fi, err := os.Stat(filepath.Join(dst, name))
		if err != nil || !fi.ModTime().Equal(tm) {
			t.Errorf("%s: %v, want time %v", name, err, tm)
		}
	}
}
