package shell

import (
	"io"
	"maps"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ferry-ftp/ferry/internal/ftptest"
	"github.com/ferry-ftp/ferry/internal/testsupport"
	"github.com/ferry-ftp/ferry/transfer"
)

// tempName returns the temporary name of a download of the served file
// remote (an absolute path) to the local base name local, as the shell's
// session names it: by the file's absolute path, size and time to the
// second.
func (h *harness) tempName(remote, local string) string {
	h.t.Helper()
	fi, err := os.Stat(filepath.Join(h.srv.Root(), filepath.FromSlash(path.Clean(remote))))
	if err != nil {
		h.t.Fatal(err)
	}
	src := transfer.Source{Site: h.srv.Addr(), Path: remote, Size: fi.Size(), ModTime: fi.ModTime().Truncate(time.Second)}
	name, ok := transfer.TempName(local, src, nil)
	if !ok {
		h.t.Fatalf("no resumable temporary name for %s", remote)
	}
	return name
}

// TestMgetNeverTakesAFileForAPartialOne: the remote folder holds a.txt, a
// real a.txt.part and a file named exactly as a.txt's temporary name.
// mget's download of a.txt is cut: the other two arrive whole, and a.txt
// leaves no partial file (its temporary name changed to avoid the other
// file's, and a changed name is never resumed); reget then fetches a.txt
// whole, from neither of the other files.
func TestMgetNeverTakesAFileForAPartialOne(t *testing.T) {
	for _, parallel := range []int{1, 4} {
		t.Run(strconv.Itoa(parallel), func(t *testing.T) {
			var mu sync.Mutex
			cut := false
			h := newHarness(t, ftptest.Config{Hook: func(c ftptest.Command) *ftptest.Reply {
				mu.Lock()
				defer mu.Unlock()
				if c.Verb == "RETR" && path.Base(c.Arg) == "a.txt" && !cut {
					cut = true
					return &ftptest.Reply{Transfer: &ftptest.Transfer{DropAfter: 5}}
				}
				return nil
			}}, func(c *Config) { c.Parallel = parallel })
			files := map[string]string{"a.txt": "the real a.txt, longer than the others", "a.txt.part": "a foreign a.txt.part"}
			for name, data := range files {
				h.write("dir/"+name, data)
			}
			temp := h.tempName("/dir/a.txt", "a.txt")
			files[temp] = "named as a.txt's partial"
			h.write("dir/"+temp, files[temp])
			os.Mkdir(filepath.Join(h.local, "out"), 0o755)
			h.runOK("cd dir")
			h.runOK("lcd out")
			h.runOK("prompt") // no questions

			if _, errOut := h.run("mget .* *"); !strings.Contains(errOut, "ferry: a.txt:") && !strings.Contains(errOut, "ferry: /dir/a.txt:") {
				t.Fatalf("mget: the cut download of a.txt was not reported: %q", errOut)
			}
			partial := map[string]string{"a.txt.part": files["a.txt.part"], temp: files[temp]}
			if got := testsupport.Tree(t, filepath.Join(h.local, "out")); !maps.Equal(got, partial) {
				t.Fatalf("after mget: %q, want %q", got, partial)
			}
			h.runOK("reget a.txt")
			if got := testsupport.Tree(t, filepath.Join(h.local, "out")); !maps.Equal(got, files) {
				t.Fatalf("after reget: %q, want %q", got, files)
			}
		})
	}
}

// TestCatChecksAnnouncedSize: the shell's cat writes no more than the
// size the server announced and says the file was not whole, when the
// data runs long or ends short.
func TestCatChecksAnnouncedSize(t *testing.T) {
	h := newHarness(t, ftptest.Config{Hook: func(c ftptest.Command) *ftptest.Reply {
		if c.Verb != "RETR" {
			return nil
		}
		data := strings.Repeat("0123456789", 1<<20) // 10 MiB
		if c.Arg == "short.txt" {
			data = "0123456789"
		}
		return &ftptest.Reply{Transfer: &ftptest.Transfer{Source: func() io.Reader { return strings.NewReader(data) }}}
	}})
	h.write("long.txt", "abcdefghij")
	h.write("short.txt", strings.Repeat("x", 1000))
	out, errOut := h.run("cat long.txt")
	if out != "0123456789" || !strings.Contains(errOut, "stopped after the 10 bytes the server announced: file longer than announced") {
		t.Errorf("cat of a file that runs long: %d bytes on stdout, stderr %q", len(out), errOut)
	}
	out, errOut = h.run("cat short.txt")
	if out != "0123456789" || !strings.Contains(errOut, "received 10 bytes, but the server announced 1000: transfer incomplete") {
		t.Errorf("cat of a file that ends short: %q on stdout, stderr %q", out, errOut)
	}
}
