package transfer

import (
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ferry-ftp/ferry/internal/ftptest"
	"github.com/ferry-ftp/ferry/internal/testsupport"
)

// filterSource is the server's tree of the filter tests: path, content,
// age in days.
var filterSource = []struct {
	path, data string
	days       int
}{
	{"a.txt", "aaaa", 1},
	{"old.txt", "old", 400},
	{"big.bin", strings.Repeat("b", 2000), 1},
	{"logs/x.gz", "x", 1},
	{"logs/2024/y.gz", "yy", 1},
	{"logs/2024/05/z.gz", "zzz", 1},
	{"logs/note.txt", "note", 1},
	{"cache/c.dat", "c", 1},
}

// writeFilterSource writes filterSource below dir, with the times its
// ages say, and returns the time of "now".
func writeFilterSource(t *testing.T, dir string) time.Time {
	t.Helper()
	now := time.Now().Truncate(time.Second)
	for _, f := range filterSource {
		p := filepath.Join(dir, filepath.FromSlash(f.path))
		testsupport.WriteFile(t, p, f.data)
		mt := now.Add(-time.Duration(f.days) * 24 * time.Hour)
		if err := os.Chtimes(p, mt, mt); err != nil {
			t.Fatal(err)
		}
	}
	return now
}

// files returns the paths of the files (not folders) of a tree.
func files(tree map[string]string) []string {
	var out []string
	for p := range tree {
		if !strings.HasSuffix(p, "/") {
			out = append(out, p)
		}
	}
	slices.Sort(out)
	return out
}

// Each filter, alone, downloads exactly the files it keeps, both ways,
// and the folders it does not enter are neither listed nor made.
func TestMirrorFilters(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{})
	now := writeFilterSource(t, filepath.Join(srv.Root(), "src"))
	p := testPool(t, srv, PoolOptions{Size: 2})
	cases := []struct {
		name     string
		filter   Filter
		want     []string
		unlisted string // a folder that must not be listed, or made
	}{
		{"double star", Filter{Include: []string{"logs/**/*.gz"}}, []string{"logs/2024/05/z.gz", "logs/2024/y.gz", "logs/x.gz"}, ""},
		{"double star exclude", Filter{Exclude: []string{"logs/**/2024"}}, []string{"a.txt", "big.bin", "cache/c.dat", "logs/note.txt", "logs/x.gz", "old.txt"}, "logs/2024"},
		{"exclude rx", Filter{FilterLimits: FilterLimits{ExcludeRx: []*regexp.Regexp{regexp.MustCompile(`^cache/$`), regexp.MustCompile(`\.gz$`)}}},
			[]string{"a.txt", "big.bin", "logs/note.txt", "old.txt"}, "cache"},
		{"include rx", Filter{FilterLimits: FilterLimits{IncludeRx: []*regexp.Regexp{regexp.MustCompile(`^logs/.*\.(gz|txt)$`)}}},
			[]string{"logs/2024/05/z.gz", "logs/2024/y.gz", "logs/note.txt", "logs/x.gz"}, ""},
		{"min size", Filter{FilterLimits: FilterLimits{MinSize: 4}}, []string{"a.txt", "big.bin", "logs/note.txt"}, ""},
		{"max size", Filter{FilterLimits: FilterLimits{MaxSize: 3}}, []string{"cache/c.dat", "logs/2024/05/z.gz", "logs/2024/y.gz", "logs/x.gz", "old.txt"}, ""},
		{"newer than", Filter{FilterLimits: FilterLimits{NewerThan: now.Add(-30 * 24 * time.Hour)}},
			[]string{"a.txt", "big.bin", "cache/c.dat", "logs/2024/05/z.gz", "logs/2024/y.gz", "logs/note.txt", "logs/x.gz"}, ""},
		{"older than", Filter{FilterLimits: FilterLimits{OlderThan: now.Add(-30 * 24 * time.Hour)}}, []string{"old.txt"}, ""},
		{"max depth 1", Filter{FilterLimits: FilterLimits{MaxDepth: 1}}, []string{"a.txt", "big.bin", "old.txt"}, "logs"},
		{"max depth 2", Filter{FilterLimits: FilterLimits{MaxDepth: 2}}, []string{"a.txt", "big.bin", "cache/c.dat", "logs/note.txt", "logs/x.gz", "old.txt"}, "logs/2024"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv.ResetCommands()
			dst := filepath.Join(t.TempDir(), "dl")
			rep, err := p.Mirror(testCtx(t), "src", dst, MirrorOptions{Update: UpdateChanged, Filter: c.filter})
			if err != nil || rep.Failed != 0 || rep.Copied != len(c.want) {
				t.Fatalf("Mirror = %+v, %v", rep, err)
			}
			got := testsupport.Tree(t, dst)
			if f := files(got); !slices.Equal(f, c.want) {
				t.Fatalf("downloaded %q, want %q", f, c.want)
			}
			if c.unlisted != "" {
				if _, ok := got[c.unlisted+"/"]; ok {
					t.Errorf("made %s/", c.unlisted)
				}
				if slices.Contains(srv.Commands(), "MLSD src/"+c.unlisted) {
					t.Errorf("listed %s", c.unlisted)
				}
			}
			// The same filter uploads the same files back.
			up := "up-" + strings.ReplaceAll(c.name, " ", "-")
			local := filepath.Join(srv.Root(), "src")
			rep, err = p.Mirror(testCtx(t), up, local, MirrorOptions{Direction: Upload, Update: UpdateChanged, Filter: c.filter})
			if err != nil || rep.Failed != 0 || rep.Copied != len(c.want) {
				t.Fatalf("upload = %+v, %v", rep, err)
			}
			if f := files(testsupport.Tree(t, filepath.Join(srv.Root(), up))); !slices.Equal(f, c.want) {
				t.Fatalf("uploaded %q, want %q", f, c.want)
			}
		})
	}
	for _, bad := range []string{"a**", "[x", "logs/**x/y"} {
		if _, err := p.Mirror(testCtx(t), "src", t.TempDir(), MirrorOptions{Filter: Filter{Exclude: []string{bad}}}); err == nil {
			t.Errorf("pattern %q accepted", bad)
		}
	}
}

// With --delete, what a filter leaves out of the destination is kept;
// with DeleteExcluded it is deleted too, folders the source scan does not
// enter included, and nothing else changes.
func TestMirrorDeleteExcluded(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{})
	writeFilterSource(t, filepath.Join(srv.Root(), "src"))
	p := testPool(t, srv, PoolOptions{Size: 2})
	dst := filepath.Join(t.TempDir(), "dl")
	if _, err := p.Mirror(testCtx(t), "src", dst, MirrorOptions{Update: UpdateChanged}); err != nil {
		t.Fatal(err)
	}
	testsupport.WriteFile(t, filepath.Join(dst, "extra.gz"), "not in source, excluded")
	testsupport.WriteFile(t, filepath.Join(dst, "extra.txt"), "not in source")
	testsupport.WriteFile(t, filepath.Join(dst, ".x.ferry-0123abcd.part"), "a partial file")
	before := testsupport.Tree(t, dst)
	filter := Filter{Exclude: []string{"*.gz", "cache"}, FilterLimits: FilterLimits{MaxSize: 1000}}

	rep, err := p.Mirror(testCtx(t), "src", dst, MirrorOptions{Update: UpdateChanged, Delete: true, Filter: filter})
	if err != nil || rep.Deleted != 1 || rep.Copied != 0 {
		t.Fatalf("--delete: %+v, %v", rep, err)
	}
	want := maps.Clone(before)
	delete(want, "extra.txt")
	if got := testsupport.Tree(t, dst); !maps.Equal(got, want) {
		t.Fatalf("--delete left %q", files(got))
	}

	opt := MirrorOptions{Update: UpdateChanged, Delete: true, DeleteExcluded: true, Filter: filter, DryRun: true}
	rep, err = p.Mirror(testCtx(t), "src", dst, opt)
	if err != nil {
		t.Fatal(err)
	}
	wantPlan := []string{
		"delete extra.gz (excluded)",
		"delete big.bin (excluded)",
		"delete logs/x.gz (excluded)",
		"delete logs/2024/y.gz (excluded)",
		"delete logs/2024/05/z.gz (excluded)",
		"delete cache/c.dat (not in source)",
		"rmdir  cache/ (excluded)",
	}
	if got := planLines(rep, Download); !sameSet(got, wantPlan) {
		t.Fatalf("plan:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(wantPlan, "\n"))
	}
	opt.DryRun = false
	rep, err = p.Mirror(testCtx(t), "src", dst, opt)
	if err != nil || rep.Deleted != 7 || rep.Failed != 0 {
		t.Fatalf("--delete-excluded: %+v, %v", rep, err)
	}
	wantFiles := []string{".x.ferry-0123abcd.part", "a.txt", "logs/note.txt", "old.txt"}
	got := testsupport.Tree(t, dst)
	if f := files(got); !slices.Equal(f, wantFiles) {
		t.Fatalf("--delete-excluded left %q, want %q", f, wantFiles)
	}
	if _, ok := got["logs/2024/05/"]; !ok {
		t.Error("deleted logs/2024/05/, a folder of the source")
	}
	// The source is as it was.
	if f := files(testsupport.Tree(t, filepath.Join(srv.Root(), "src"))); len(f) != len(filterSource) {
		t.Errorf("source changed: %q", f)
	}
}

// A filter that keeps no file of the source is an empty source for
// DeleteExcluded: the destination is not emptied.
func TestMirrorDeleteExcludedEmptySource(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{})
	writeFilterSource(t, filepath.Join(srv.Root(), "src"))
	p := testPool(t, srv, PoolOptions{Size: 2})
	dst := t.TempDir()
	testsupport.WriteFile(t, filepath.Join(dst, "mine.txt"), "mine")
	before := testsupport.Tree(t, dst)
	opt := MirrorOptions{Update: UpdateChanged, Delete: true, DeleteExcluded: true, Filter: Filter{Include: []string{"*.TXT"}}}
	rep, err := p.Mirror(testCtx(t), "src", dst, opt)
	if err == nil || !strings.Contains(err.Error(), ErrEmptySource.Error()) || rep.Deleted != 0 {
		t.Fatalf("Mirror = %+v, %v; want ErrEmptySource", rep, err)
	}
	if got := testsupport.Tree(t, dst); !maps.Equal(got, before) {
		t.Fatalf("destination changed: %q", files(got))
	}
}

// SizeOnly, OnlyMissing and OnlyExisting choose what counts as changed,
// both ways.
func TestMirrorCompareModes(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{})
	src := filepath.Join(srv.Root(), "src")
	old := time.Now().Add(-48 * time.Hour).Truncate(time.Second)
	write := func(root, p, data string, mt time.Time) {
		testsupport.WriteFile(t, filepath.Join(root, p), data)
		os.Chtimes(filepath.Join(root, p), mt, mt)
	}
	cases := []struct {
		name   string
		opt    MirrorOptions
		copied []string
	}{
		{"default", MirrorOptions{}, []string{"new.txt", "newdir/n.txt", "sametime-size.txt", "touched.txt"}},
		{"size only", MirrorOptions{SizeOnly: true}, []string{"new.txt", "newdir/n.txt", "sametime-size.txt"}},
		{"only missing", MirrorOptions{OnlyMissing: true}, []string{"new.txt", "newdir/n.txt"}},
		{"only existing", MirrorOptions{OnlyExisting: true}, []string{"sametime-size.txt", "touched.txt"}},
	}
	for _, dir := range []Direction{Download, Upload} {
		for _, c := range cases {
			t.Run(map[Direction]string{Download: "get ", Upload: "put "}[dir]+c.name, func(t *testing.T) {
				os.RemoveAll(src)
				os.RemoveAll(filepath.Join(srv.Root(), "dst"))
				local := filepath.Join(t.TempDir(), "l")
				from, to := src, local
				remote := "src"
				if dir == Upload {
					from, to, remote = local, filepath.Join(srv.Root(), "dst"), "dst"
				}
				for _, root := range []string{from, to} {
					write(root, "same.txt", "same", old)
					write(root, "touched.txt", "size", old)
					write(root, "sametime-size.txt", "longer", old)
				}
				os.Chtimes(filepath.Join(from, "touched.txt"), time.Now(), time.Now())
				write(to, "sametime-size.txt", "short", old)
				write(from, "new.txt", "new", old)
				write(from, "newdir/n.txt", "n", old)
				before := testsupport.Tree(t, to)
				p := testPool(t, srv, PoolOptions{Size: 2})
				opt := c.opt
				opt.Direction, opt.Update = dir, UpdateChanged
				rep, err := p.Mirror(testCtx(t), remote, local, opt)
				if err != nil || rep.Failed != 0 || rep.Copied != len(c.copied) {
					t.Fatalf("Mirror = %+v, %v", rep, err)
				}
				got := testsupport.Tree(t, to)
				for p, data := range testsupport.Tree(t, from) {
					if slices.Contains(c.copied, p) {
						if got[p] != data {
							t.Errorf("%s not copied: %q", p, got[p])
						}
					} else if got[p] != before[p] {
						t.Errorf("%s changed: %q, was %q", p, got[p], before[p])
					}
				}
				if _, ok := got["newdir/"]; ok != slices.Contains(c.copied, "newdir/n.txt") {
					t.Errorf("newdir/ made: %v", ok)
				}
			})
		}
	}
}

// DeleteExcluded keeps the guards of Delete: nothing at or below a source
// folder that could not be listed is deleted, excluded or not.
func TestMirrorDeleteExcludedSparesUnlisted(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{Hook: func(c ftptest.Command) *ftptest.Reply {
		if c.Verb == "MLSD" && c.Arg == "src/locked" {
			return &ftptest.Reply{Code: 550, Text: "Permission denied."}
		}
		return nil
	}})
	testsupport.WriteFile(t, filepath.Join(srv.Root(), "src/a.txt"), "a")
	testsupport.WriteFile(t, filepath.Join(srv.Root(), "src/locked/b.txt"), "b")
	dst := t.TempDir()
	for _, f := range []string{"a.txt", "locked/b.txt", "locked/c.gz", "gone.gz"} {
		testsupport.WriteFile(t, filepath.Join(dst, f), "local")
	}
	p := testPool(t, srv, PoolOptions{Size: 2})
	opt := MirrorOptions{Update: UpdateChanged, Delete: true, DeleteExcluded: true, Filter: Filter{Exclude: []string{"*.gz"}}}
	rep, err := p.Mirror(testCtx(t), "src", dst, opt)
	if err != nil || rep.Failed != 1 || rep.Deleted != 1 {
		t.Fatalf("Mirror = %+v, %v", rep, err)
	}
	if f := files(testsupport.Tree(t, dst)); !slices.Equal(f, []string{"a.txt", "locked/b.txt", "locked/c.gz"}) {
		t.Errorf("destination holds %q", f)
	}
}
