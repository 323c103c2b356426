package shell

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/ferry-ftp/ferry/internal/ftptest"
	"github.com/ferry-ftp/ferry/internal/testsupport"
)

// help mirror says what mirror does without arguments, as it does it:
// the local current folder itself becomes the copy of the remote one, so
// that --delete alone deletes there; with SOURCE alone, a folder of its
// name (outside probe of issue 16: the help said TARGET was the source's
// name in the other side's folder).
func TestMirrorHelpSaysWhatHappens(t *testing.T) {
	h := newHarness(t, ftptest.Config{})
	help := strings.Join(strings.Fields(h.runOK("help mirror")), " ")
	for _, want := range []string{
		"Without arguments, mirror makes the local current folder itself a copy of the remote current folder",
		`"mirror --delete" alone deletes from the local current folder whatever the remote current folder lacks`,
		`given alone, its copy is a folder of its name in the other side's current folder ("mirror site" makes ./site)`,
	} {
		if !strings.Contains(help, want) {
			t.Errorf("help mirror lacks %q:\n%s", want, help)
		}
	}
	h.write("site/a.txt", "a")
	h.writeLocal("here/old.txt", "old")
	h.runOK("cd site")
	h.runOK("lcd here")
	h.runOK("mirror --delete")
	if got, want := testsupport.Tree(t, filepath.Join(h.local, "here")), map[string]string{"a.txt": "a"}; len(got) != 1 || got["a.txt"] != want["a.txt"] {
		t.Errorf("mirror --delete without arguments left %q", got)
	}
	h.runOK("cd /")
	h.runOK("mirror site")
	if got := testsupport.ReadFile(filepath.Join(h.local, "here", "site", "a.txt")); got != "a" {
		t.Errorf("mirror site: here/site/a.txt = %q", got)
	}
}
