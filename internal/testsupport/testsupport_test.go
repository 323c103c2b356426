package testsupport

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
)

// Writes from many goroutines all land, whole (run with -race).
func TestLockedBufferConcurrentWrites(t *testing.T) {
	var b LockedBuffer
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for range 100 {
				fmt.Fprintf(&b, "%d\n", i)
				_ = b.String()
			}
		})
	}
	wg.Wait()
	if n := strings.Count(b.String(), "\n"); n != 800 {
		t.Errorf("%d lines, want 800", n)
	}
}

func TestWriteReadTree(t *testing.T) {
	root := t.TempDir()
	WriteFile(t, filepath.Join(root, "a", "b", "f.txt"), "deep")
	WriteFile(t, filepath.Join(root, "top"), "")
	WriteFile(t, filepath.Join(root, "top"), "replaced")
	if err := os.Mkdir(filepath.Join(root, "empty"), 0o755); err != nil {
		t.Fatal(err)
	}

	if got := ReadFile(filepath.Join(root, "a", "b", "f.txt")); got != "deep" {
		t.Errorf("ReadFile = %q, want %q", got, "deep")
	}
	for _, p := range []string{"missing", "a"} {
		if got := ReadFile(filepath.Join(root, p)); got != "<missing>" {
			t.Errorf("ReadFile(%s) = %q, want <missing>", p, got)
		}
	}
	want := map[string]string{"a/": "", "a/b/": "", "a/b/f.txt": "deep", "top": "replaced", "empty/": ""}
	if got := Tree(t, root); !maps.Equal(got, want) {
		t.Errorf("Tree = %q, want %q", got, want)
	}
	if got := Tree(t, filepath.Join(root, "empty")); len(got) != 0 {
		t.Errorf("Tree of an empty folder = %q", got)
	}
}

// fatalTB records a call of Fatal or Fatalf and ends the goroutine, as testing does.
type fatalTB struct {
	testing.TB
	failed bool
}

func (f *fatalTB) Helper() {}

func (f *fatalTB) Fatal(...any) {
	f.failed = true
	runtime.Goexit()
}

func (f *fatalTB) Fatalf(string, ...any) { f.Fatal() }

// fails reports whether f called Fatal or Fatalf on a fatalTB.
func fails(f func(testing.TB)) bool {
	tb := &fatalTB{}
	done := make(chan struct{})
	go func() {
		defer close(done)
		f(tb)
	}()
	<-done
	return tb.failed
}

// WriteFile and Tree fail the test instead of going on.
func TestHelpersFailTheTest(t *testing.T) {
	root := t.TempDir()
	WriteFile(t, filepath.Join(root, "file"), "x")
	if !fails(func(tb testing.TB) { WriteFile(tb, filepath.Join(root, "file", "below"), "x") }) {
		t.Error("WriteFile below a file did not fail the test")
	}
	if !fails(func(tb testing.TB) { Tree(tb, filepath.Join(root, "missing")) }) {
		t.Error("Tree of a missing folder did not fail the test")
	}
	if fails(func(tb testing.TB) { Tree(tb, root) }) {
		t.Error("Tree of a readable folder failed the test")
	}
}
