package shell

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ferry-ftp/ferry/internal/ftptest"
	"github.com/ferry-ftp/ferry/internal/testsupport"
)

// TestMirror runs mirror both ways, with --dry-run, --delete and
// --exclude, and checks the trees on both sides.
func TestMirror(t *testing.T) {
	h := newHarness(t, ftptest.Config{})
	files := map[string]string{"index.html": "home", "css/main.css": "body{}", "img/a/logo.txt": "logo"}
	for n, c := range files {
		h.write("site/"+n, c)
	}
	_, errOut := h.run("mirror site")
	for n, c := range files {
		if got := testsupport.ReadFile(filepath.Join(h.local, "site", n)); got != c {
			t.Errorf("mirror: local site/%s holds %q, want %q", n, got, c)
		}
	}
	if !strings.Contains(errOut, "3 file(s), ") {
		t.Errorf("mirror summary: %q", errOut)
	}
	if _, errOut := h.run("mirror site"); !strings.Contains(errOut, "3 unchanged") {
		t.Errorf("second mirror: %q", errOut)
	}

	h.writeLocal("site/extra.txt", "extra")
	out := h.runOK("mirror --dry-run --delete site")
	if !strings.Contains(out, "delete extra.txt") {
		t.Errorf("dry run printed %q", out)
	}
	if testsupport.ReadFile(filepath.Join(h.local, "site", "extra.txt")) != "extra" {
		t.Fatal("the dry run deleted a file")
	}
	h.runOK("mirror --delete site")
	if _, err := os.Stat(filepath.Join(h.local, "site", "extra.txt")); !os.IsNotExist(err) {
		t.Errorf("--delete kept extra.txt: %v", err)
	}

	h.runOK("mirror -x '*.css' -x img site ex/")
	if testsupport.ReadFile(filepath.Join(h.local, "ex", "site", "index.html")) != "home" ||
		testsupport.ReadFile(filepath.Join(h.local, "ex", "site", "css", "main.css")) != "<missing>" ||
		testsupport.ReadFile(filepath.Join(h.local, "ex", "site", "img", "a", "logo.txt")) != "<missing>" {
		t.Error("mirror -x copied excluded files or missed others")
	}

	h.runOK("mkdir back")
	h.runOK("cd back")
	h.runOK("mirror -R -P 2 site copy")
	for n, c := range files {
		if got := testsupport.ReadFile(filepath.Join(h.srv.Root(), "back", "copy", n)); got != c {
			t.Errorf("mirror -R: remote back/copy/%s holds %q, want %q", n, got, c)
		}
	}
	if out := h.runOK("ls copy"); !strings.Contains(out, "index.html") {
		t.Errorf("the listing cache kept the old folder: %q", out)
	}

	if _, errOut := h.run("mirror --bogus"); !strings.Contains(errOut, "unknown flag") {
		t.Errorf("mirror --bogus: %q", errOut)
	}
	if _, errOut := h.run("mirror nothere"); !strings.Contains(errOut, "ferry: ") || !strings.Contains(errOut, "nothere") {
		t.Errorf("mirror of a missing folder: %q", errOut)
	}
}

// TestMgetAndMputInParallel checks that several files go over a pool of
// connections (more than one login) and arrive whole.
func TestMgetAndMputInParallel(t *testing.T) {
	h := newHarness(t, ftptest.Config{}, func(c *Config) { c.Parallel = 3 })
	h.runOK("prompt")
	for _, n := range []string{"1", "2", "3", "4", "5", "6"} {
		h.write("pub/f"+n+".bin", strings.Repeat(n, 100000))
		h.writeLocal("up/u"+n+".dat", strings.Repeat(n, 50000))
	}
	h.runOK("cd pub")
	before := h.srv.Sessions()
	_, errOut := h.run("mget *.bin")
	if !strings.Contains(errOut, "6 file(s), ") {
		t.Errorf("mget summary: %q", errOut)
	}
	for _, n := range []string{"1", "2", "3", "4", "5", "6"} {
		if testsupport.ReadFile(filepath.Join(h.local, "f"+n+".bin")) != strings.Repeat(n, 100000) {
			t.Errorf("f%s.bin differs", n)
		}
	}
	if got := h.srv.Sessions() - before; got < 1 || got > 2 {
		// The session's own connection is the pool's third.
		t.Errorf("mget of 6 files opened %d connections, want 1 or 2 (--parallel 3)", got)
	}
	h.runOK("lcd up")
	h.runOK("mput *.dat")
	for _, n := range []string{"1", "2", "3", "4", "5", "6"} {
		if testsupport.ReadFile(filepath.Join(h.srv.Root(), "pub", "u"+n+".dat")) != strings.Repeat(n, 50000) {
			t.Errorf("u%s.dat differs", n)
		}
	}
	if out := h.runOK("ls"); !strings.Contains(out, "u6.dat") {
		t.Errorf("ls after mput: %q", out)
	}
}

// TestCheck runs check both ways over the shell's current folders: a
// match, then the differences listed, with nothing copied.
func TestCheck(t *testing.T) {
	h := newHarness(t, ftptest.Config{})
	h.write("site/a.txt", "a")
	h.write("site/sub/b.txt", "b")
	h.runOK("mirror site")
	if _, errOut := h.run("check site"); !strings.Contains(errOut, "the folders match: 2 file(s) the same") {
		t.Errorf("check: %q", errOut)
	}
	h.writeLocal("site/extra.txt", "extra")
	out, errOut := h.run("check site")
	if out != "missing on the server: extra.txt\n" || !strings.Contains(errOut, "the folders differ") {
		t.Errorf("check: %q, %q", out, errOut)
	}
	out, _ = h.run("check -R site site")
	if out != "missing on the server: extra.txt\n" {
		t.Errorf("check -R: %q", out)
	}
	if got := testsupport.ReadFile(filepath.Join(h.srv.Root(), "site", "extra.txt")); got != "<missing>" {
		t.Errorf("check copied extra.txt: %q", got)
	}
}
