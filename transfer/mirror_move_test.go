package transfer

import (
	"errors"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/ferry-ftp/ferry/internal/ftptest"
	"github.com/ferry-ftp/ferry/internal/testsupport"
)

// RemoveSource deletes each source file the job copied, once its copy is
// complete, both ways; files the destination had, and folders, stay.
func TestMirrorRemoveSource(t *testing.T) {
	for _, dir := range []Direction{Download, Upload} {
		t.Run(map[Direction]string{Download: "download", Upload: "upload"}[dir], func(t *testing.T) {
			srv := ftptest.New(t, ftptest.Config{})
			local := filepath.Join(t.TempDir(), "l")
			from, to, remote := filepath.Join(srv.Root(), "src"), local, "src"
			if dir == Upload {
				from, to, remote = local, filepath.Join(srv.Root(), "dst"), "dst"
			}
			src := map[string]string{"a.txt": "a", "sub/deep/c.txt": "ccc", "kept.txt": "same", "empty/": ""}
			for p, data := range src {
				if strings.HasSuffix(p, "/") {
					testsupport.WriteFile(t, filepath.Join(from, p, "x"), "")
					continue
				}
				testsupport.WriteFile(t, filepath.Join(from, p), data)
			}
			testsupport.WriteFile(t, filepath.Join(to, "kept.txt"), "same")
			if err := os.Remove(filepath.Join(from, "empty", "x")); err != nil {
				t.Fatal(err)
			}
			p := testPool(t, srv, PoolOptions{Size: 2})
			var ev events
			rep, err := p.Mirror(testCtx(t), remote, local, MirrorOptions{Direction: dir, Update: UpdateChanged, SizeOnly: true, RemoveSource: true, Verify: true, OnEvent: ev.add})
			if err != nil || rep.Failed != 0 || rep.Copied != 2 || rep.SourcesRemoved != 2 || rep.Unchanged != 1 {
				t.Fatalf("Mirror = %+v, %v", rep, err)
			}
			want := map[string]string{"kept.txt": "same", "a.txt": "a", "sub/": "", "sub/deep/": "", "sub/deep/c.txt": "ccc", "empty/": ""}
			if got := testsupport.Tree(t, to); !maps.Equal(got, want) {
				t.Errorf("destination %q", got)
			}
			wantSrc := map[string]string{"kept.txt": "same", "sub/": "", "sub/deep/": "", "empty/": ""}
			if got := testsupport.Tree(t, from); !maps.Equal(got, wantSrc) {
				t.Errorf("source %q", got)
			}
		})
	}
}

// A copy that cannot be shown complete keeps its source: a refused
// DELE, a size the server reports otherwise, --verify without digests.
func TestMirrorRemoveSourceKeeps(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{Disable: []string{"HASH"}, Hook: func(c ftptest.Command) *ftptest.Reply {
		switch {
		case c.Verb == "DELE" && strings.HasSuffix(c.Arg, "refused.txt"):
			return &ftptest.Reply{Code: 550, Text: "Permission denied."}
		case c.Verb == "SIZE" && strings.HasSuffix(c.Arg, "short.txt"):
			return &ftptest.Reply{Code: 213, Text: "3"}
		}
		return nil
	}})
	for _, f := range []string{"refused.txt", "ok.txt"} {
		testsupport.WriteFile(t, filepath.Join(srv.Root(), "src", f), "data")
	}
	p := testPool(t, srv, PoolOptions{Size: 1})
	var ev events
	rep, err := p.Mirror(testCtx(t), "src", t.TempDir(), MirrorOptions{Update: UpdateChanged, RemoveSource: true, OnEvent: ev.add})
	if err != nil || rep.Copied != 2 || rep.SourcesRemoved != 1 || rep.Failed != 1 {
		t.Fatalf("download: %+v, %v", rep, err)
	}
	if f := files(testsupport.Tree(t, filepath.Join(srv.Root(), "src"))); !slices.Equal(f, []string{"refused.txt"}) {
		t.Errorf("source holds %q", f)
	}

	// Upload: the server reports another size.
	local := t.TempDir()
	testsupport.WriteFile(t, filepath.Join(local, "short.txt"), "data")
	testsupport.WriteFile(t, filepath.Join(local, "ok.txt"), "data")
	ev = events{}
	rep, err = p.Mirror(testCtx(t), "up", local, MirrorOptions{Direction: Upload, Update: UpdateChanged, RemoveSource: true, OnEvent: ev.add})
	if err != nil || rep.Copied != 2 || rep.SourcesRemoved != 1 || rep.Failed != 1 {
		t.Fatalf("upload: %+v, %v", rep, err)
	}
	for _, e := range ev.all {
		if e.Err != nil && !errors.Is(e.Err, ErrNotVerified) {
			t.Errorf("%s: %v", e.Action.Path, e.Err)
		}
	}
	if f := files(testsupport.Tree(t, local)); !slices.Equal(f, []string{"short.txt"}) {
		t.Errorf("local holds %q", f)
	}

	// --verify against a server without digests: nothing is removed.
	testsupport.WriteFile(t, filepath.Join(local, "v.txt"), "verify me")
	rep, err = p.Mirror(testCtx(t), "up2", local, MirrorOptions{Direction: Upload, Update: UpdateChanged, RemoveSource: true, Verify: true})
	if err != nil || rep.SourcesRemoved != 0 || rep.Failed != 2 {
		t.Fatalf("verify: %+v, %v", rep, err)
	}
	if f := files(testsupport.Tree(t, local)); !slices.Equal(f, []string{"short.txt", "v.txt"}) {
		t.Errorf("local holds %q", f)
	}
}

// RemoveSource and Delete together are refused before anything is done:
// the next run would delete the copies of the moved files.
func TestMirrorRemoveSourceRefusesDelete(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{})
	testsupport.WriteFile(t, filepath.Join(srv.Root(), "src/a.txt"), "a")
	p := testPool(t, srv, PoolOptions{Size: 1})
	rep, err := p.Mirror(testCtx(t), "src", t.TempDir(), MirrorOptions{Update: UpdateChanged, RemoveSource: true, Delete: true})
	if !errors.Is(err, ErrMoveDelete) || rep.Copied != 0 {
		t.Fatalf("Mirror = %+v, %v", rep, err)
	}
	if got := testsupport.ReadFile(filepath.Join(srv.Root(), "src/a.txt")); got != "a" {
		t.Errorf("a.txt = %q", got)
	}
}

// A server file that changes after its download, before it would be
// deleted, is kept (outside probe of issue 16: a file that grew during a
// slow copy was deleted with the new bytes, exit 0): its size is asked
// again just before DELE.
func TestMirrorRemoveSourceChangedAfterCopy(t *testing.T) {
	var root string
	var retrieved atomic.Bool
	srv := ftptest.New(t, ftptest.Config{Hook: func(c ftptest.Command) *ftptest.Reply {
		switch {
		case c.Verb == "RETR":
			retrieved.Store(true)
		case c.Verb == "SIZE" && retrieved.Load():
			f, err := os.OpenFile(filepath.Join(root, "src", "grow.bin"), os.O_APPEND|os.O_WRONLY, 0)
			if err == nil {
				f.WriteString(" and more")
				f.Close()
			}
		}
		return nil
	}})
	root = srv.Root()
	testsupport.WriteFile(t, filepath.Join(root, "src", "grow.bin"), "first part")
	local := t.TempDir()
	p := testPool(t, srv, PoolOptions{Size: 1})
	rep, err := p.Mirror(testCtx(t), "src", local, MirrorOptions{Update: UpdateChanged, RemoveSource: true})
	if err != nil || rep.SourcesRemoved != 0 || rep.Failed != 1 {
		t.Fatalf("Mirror = %+v, %v; want the source kept and the file failed", rep, err)
	}
	if got := testsupport.ReadFile(filepath.Join(root, "src", "grow.bin")); got != "first part and more" {
		t.Errorf("source = %q", got)
	}
	if n := countVerb(srv.Commands(), "DELE"); n != 0 {
		t.Errorf("%d DELE sent", n)
	}
}
