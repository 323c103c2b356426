package transfer

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ferry-ftp/ferry/internal/ftptest"
	"github.com/ferry-ftp/ferry/internal/testsupport"
)

// MaxErrors stops a job after N failed files: no further copy starts,
// and the deletions that would follow are not made.
func TestMirrorMaxErrors(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{Hook: func(c ftptest.Command) *ftptest.Reply {
		if c.Verb == "RETR" && strings.Contains(c.Arg, "bad") {
			return &ftptest.Reply{Code: 550, Text: "Permission denied."}
		}
		return nil
	}})
	for i := range 6 {
		testsupport.WriteFile(t, filepath.Join(srv.Root(), fmt.Sprintf("src/bad%d", i)), "x")
	}
	for i := range 4 {
		testsupport.WriteFile(t, filepath.Join(srv.Root(), fmt.Sprintf("src/good%d", i)), "x")
	}
	dst := t.TempDir()
	testsupport.WriteFile(t, filepath.Join(dst, "stale"), "not in source")
	p := testPool(t, srv, PoolOptions{Size: 1, Retries: 0})
	rep, err := p.Mirror(testCtx(t), "src", dst, MirrorOptions{Update: UpdateChanged, Delete: true, MaxErrors: 2})
	if !errors.Is(err, ErrMaxErrors) || rep.Failed != 2 || rep.Copied != 0 || rep.Deleted != 0 {
		t.Fatalf("Mirror = %+v, %v", rep, err)
	}
	if !strings.Contains(err.Error(), "9 planned action(s) not run") {
		t.Errorf("error %q does not count what was left", err)
	}
	if n := countVerb(srv.Commands(), "RETR"); n != 2 {
		t.Errorf("%d RETR sent, want 2", n)
	}
	if got := files(testsupport.Tree(t, dst)); !slices.Equal(got, []string{"stale"}) {
		t.Errorf("destination holds %q", got)
	}
	// Without the limit, the job goes on past the failures.
	rep, err = p.Mirror(testCtx(t), "src", dst, MirrorOptions{Update: UpdateChanged, Delete: true})
	if err != nil || rep.Failed != 6 || rep.Copied != 4 || rep.Deleted != 1 {
		t.Fatalf("without --max-errors: %+v, %v", rep, err)
	}
}

// NoEmptyDirs makes only the folders that copies fill.
func TestMirrorNoEmptyDirs(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{})
	writeFilterSource(t, filepath.Join(srv.Root(), "src"))
	testsupport.WriteFile(t, filepath.Join(srv.Root(), "src/empty/deeper/.keep.gz"), "")
	p := testPool(t, srv, PoolOptions{Size: 2})
	dst := filepath.Join(t.TempDir(), "dl")
	opt := MirrorOptions{Update: UpdateChanged, NoEmptyDirs: true, Filter: Filter{Exclude: []string{"*.gz"}}}
	rep, err := p.Mirror(testCtx(t), "src", dst, opt)
	if err != nil || rep.Failed != 0 || rep.Made != 2 {
		t.Fatalf("Mirror = %+v, %v", rep, err)
	}
	var dirs []string
	for p := range testsupport.Tree(t, dst) {
		if strings.HasSuffix(p, "/") {
			dirs = append(dirs, p)
		}
	}
	slices.Sort(dirs)
	if want := []string{"cache/", "logs/"}; !slices.Equal(dirs, want) {
		t.Errorf("made %q, want %q", dirs, want)
	}
}
