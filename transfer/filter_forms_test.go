package transfer

import (
	"path/filepath"
	"testing"

	"github.com/ferry-ftp/ferry/internal/ftptest"
	"github.com/ferry-ftp/ferry/internal/testsupport"
)

// TestFilterPatternForms checks lftp's and rsync's forms of patterns: a
// final "/" for folders only, a leading "/" or "./" for the tree's root
// only (outside probe of issue 16: -x 'cache/' matched nothing, and
// --remove-source-files then deleted the source's cache/state.db).
func TestFilterPatternForms(t *testing.T) {
	for _, tc := range []struct {
		pattern, rel string
		dir, want    bool
	}{
		{"cache/", "cache", true, true},
		{"cache/", "sub/cache", true, true},
		{"cache/", "cache", false, false}, // a file named cache
		{"cache/", "cache/state.db", false, true},
		{"cache/", "sub/cache/deep/x", false, true},
		{"/cache", "cache", true, true},
		{"/cache", "sub/cache", true, false},
		{"./cache", "cache", true, true},
		{"./cache", "sub/cache", true, false},
		{"/cache/", "cache/x", false, true},
		{"/cache/", "sub/cache/x", false, false},
		{"*.log", "a/b.log", false, true},
		{"/", "x", true, false},
	} {
		if got := matchAny([]string{tc.pattern}, tc.rel, tc.dir); got != tc.want {
			t.Errorf("matchAny(%q, %q, dir %v) = %v, want %v", tc.pattern, tc.rel, tc.dir, got, tc.want)
		}
	}
}

// TestMirrorExcludeFolderSyntax uploads with -x 'cache/' and
// --remove-source-files: the folder is neither sent nor removed.
func TestMirrorExcludeFolderSyntax(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{})
	local := t.TempDir()
	testsupport.WriteFile(t, filepath.Join(local, "a.txt"), "a")
	testsupport.WriteFile(t, filepath.Join(local, "cache", "state.db"), "state")
	p := testPool(t, srv, PoolOptions{Size: 1})
	rep, err := p.Mirror(testCtx(t), "dst", local, MirrorOptions{Direction: Upload, Update: UpdateChanged, RemoveSource: true,
		Filter: Filter{Exclude: []string{"cache/"}}})
	if err != nil || rep.Copied != 1 || rep.SourcesRemoved != 1 {
		t.Fatalf("Mirror = %+v, %v", rep, err)
	}
	if got := testsupport.ReadFile(filepath.Join(local, "cache", "state.db")); got != "state" {
		t.Errorf("cache/state.db = %q, want it kept", got)
	}
	if got := testsupport.ReadFile(filepath.Join(srv.Root(), "dst", "cache", "state.db")); got != "<missing>" {
		t.Errorf("the server got cache/state.db (%q)", got)
	}
}
