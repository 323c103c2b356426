package shell

import (
	"os"
	"path"
	"path/filepath"
	"time"

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
