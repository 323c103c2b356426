package transfer

import (
	"errors"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ferry-ftp/ferry/internal/ftptest"
	"github.com/ferry-ftp/ferry/internal/testsupport"
)

// checksumTrees writes the trees of the checksum tests: from holds the
// source, to the destination, with a file of each kind.
func checksumTrees(t *testing.T, from, to string) {
	t.Helper()
	mt := time.Now().Add(-time.Hour).Truncate(time.Second)
	for root, files := range map[string]map[string]string{
		from: {"same.txt": "same", "diff.txt": "new!", "sized.txt": "longer", "new.txt": "new"},
		to:   {"same.txt": "same", "diff.txt": "old!", "sized.txt": "short"},
	} {
		for p, data := range files {
			testsupport.WriteFile(t, filepath.Join(root, p), data)
			os.Chtimes(filepath.Join(root, p), mt, mt)
		}
	}
	// A newer destination copy of the same file: by digest, unchanged.
	later := mt.Add(time.Minute)
	os.Chtimes(filepath.Join(to, "same.txt"), later, later)
}

// Checksum compares files of the same size by digest, both ways: the
// server's HASH against the local file's SHA-256.
func TestMirrorChecksum(t *testing.T) {
	for _, dir := range []Direction{Download, Upload} {
		t.Run(map[Direction]string{Download: "download", Upload: "upload"}[dir], func(t *testing.T) {
			srv := ftptest.New(t, ftptest.Config{})
			local := filepath.Join(t.TempDir(), "l")
			from, to, remote := filepath.Join(srv.Root(), "src"), local, "src"
			if dir == Upload {
				from, to, remote = local, filepath.Join(srv.Root(), "dst"), "dst"
			}
			checksumTrees(t, from, to)
			p := testPool(t, srv, PoolOptions{Size: 2})

			// Without it, diff.txt (same size and time) is called unchanged.
			rep, err := p.Mirror(testCtx(t), remote, local, MirrorOptions{Direction: dir, Update: UpdateChanged, DryRun: true})
			if err != nil || slices.Contains(planLines(rep, dir), "get    diff.txt") || slices.Contains(planLines(rep, dir), "put    diff.txt") {
				t.Fatalf("without --checksum: %q, %v", planLines(rep, dir), err)
			}

			srv.ResetCommands()
			rep, err = p.Mirror(testCtx(t), remote, local, MirrorOptions{Direction: dir, Update: UpdateChanged, Checksum: true})
			if err != nil || rep.Failed != 0 || rep.Copied != 3 || rep.Unchanged != 1 {
				t.Fatalf("Mirror = %+v, %v", rep, err)
			}
			verb := map[Direction]string{Download: "get", Upload: "put"}[dir]
			want := []string{verb + "    diff.txt (SHA-256 differs)", verb + "    sized.txt (size differs: 6, was 5)", verb + "    new.txt (new)"}
			if got := planLines(rep, dir); !sameSet(got, want) {
				t.Errorf("plan %q, want %q", got, want)
			}
			for _, a := range rep.Plan {
				if a.Path == "same.txt" && (a.Kind != Keep || a.Reason != "same SHA-256") {
					t.Errorf("same.txt: %+v", a)
				}
			}
			var hashed []string
			for _, c := range srv.Commands() {
				if strings.HasPrefix(c, "HASH ") {
					hashed = append(hashed, c)
				}
			}
			slices.Sort(hashed)
			if w := []string{"HASH " + remote + "/diff.txt", "HASH " + remote + "/same.txt"}; !slices.Equal(hashed, w) {
				t.Errorf("sent %q, want %q", hashed, w)
			}
			sameTree(t, from, to)
		})
	}
}

// A server without digest commands fails a Checksum job before anything
// is changed; a file whose digest is refused is skipped, not copied nor
// called unchanged.
func TestMirrorChecksumRefused(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{Disable: []string{"HASH"}})
	checksumTrees(t, filepath.Join(srv.Root(), "src"), filepath.Join(srv.Root(), "dst"))
	dst := filepath.Join(srv.Root(), "dst")
	before := testsupport.Tree(t, dst)
	p := testPool(t, srv, PoolOptions{Size: 2})
	rep, err := p.Mirror(testCtx(t), "src", dst, MirrorOptions{Update: UpdateChanged, Checksum: true})
	if !errors.Is(err, ErrNoChecksum) || rep.Copied != 0 {
		t.Fatalf("Mirror = %+v, %v; want ErrNoChecksum", rep, err)
	}
	if got := testsupport.Tree(t, dst); !maps.Equal(got, before) {
		t.Fatalf("destination changed: %q", files(got))
	}
	if n := countVerb(srv.Commands(), "RETR"); n != 0 {
		t.Errorf("%d RETR sent", n)
	}

	srv = ftptest.New(t, ftptest.Config{Hook: func(c ftptest.Command) *ftptest.Reply {
		if c.Verb == "HASH" && strings.HasSuffix(c.Arg, "diff.txt") {
			return &ftptest.Reply{Code: 550, Text: "Permission denied."}
		}
		return nil
	}})
	local := t.TempDir()
	checksumTrees(t, filepath.Join(srv.Root(), "src"), local)
	p = testPool(t, srv, PoolOptions{Size: 2, Retries: 0})
	rep, err = p.Mirror(testCtx(t), "src", local, MirrorOptions{Update: UpdateChanged, Checksum: true})
	if err != nil || rep.Copied != 2 || rep.Skipped != 1 || rep.Unchanged != 1 {
		t.Fatalf("refused HASH: %+v, %v", rep, err)
	}
	if got := testsupport.ReadFile(filepath.Join(local, "diff.txt")); got != "old!" {
		t.Errorf("diff.txt = %q", got)
	}
	for _, a := range rep.Plan {
		if a.Path == "diff.txt" && (a.Kind != Skip || !strings.HasPrefix(a.Reason, "cannot compare digests: ")) {
			t.Errorf("diff.txt: %+v", a)
		}
	}
}
