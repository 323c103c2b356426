package transfer

import (
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"
)

// uploadTemp returns the temporary name on the server of an upload of the
// local file local to the remote path remote.
func uploadTemp(t testing.TB, local, remote string) string {
	t.Helper()
	fi, err := os.Stat(local)
	if err != nil {
		t.Fatal(err)
	}
	abs, err := filepath.Abs(local)
	if err != nil {
		t.Fatal(err)
	}
	dir, base := path.Split(remote)
	name, _ := TempName(base, Source{Site: "local", Path: abs, Size: fi.Size(), ModTime: fi.ModTime()}, nil)
	return dir + name
}

// untemp returns the final path of a temporary path ("d/.f.ferry-TAG.part"
// gives "d/f"), or p itself when it is not one.
func untemp(p string) string {
	dir, base := path.Split(p)
	if !IsTempName(base) {
		return p
	}
	base = strings.TrimPrefix(base, tempPrefix)
	return dir + base[:strings.LastIndex(base, tempInfix)]
}
