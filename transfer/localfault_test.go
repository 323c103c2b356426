package transfer

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ferry-ftp/ferry/internal/ftptest"
	"github.com/ferry-ftp/ferry/internal/testsupport"
)

// TestGetPartIsFolder: a folder where the partial file goes is a local
// create error; the old file and the folder stay, and nothing is fetched.
func TestGetPartIsFolder(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{})
	os.WriteFile(filepath.Join(srv.Root(), "f"), []byte("new"), 0o644)
	local := filepath.Join(t.TempDir(), "f")
	os.WriteFile(local, []byte("old"), 0o644)
	part := partFor(t, srv, "f", local)
	os.Mkdir(part, 0o755)
	c := connect(t, srv)
	_, err := Get(testCtx(t), c, "f", local, GetOptions{})
	var le *LocalError
	if !errors.As(err, &le) || le.Op != "create" || le.Path != part {
		t.Fatalf("Get = %v, want a local create error for the partial file", err)
	}
	if got := testsupport.ReadFile(local); got != "old" {
		t.Errorf("old file changed to %q", got)
	}
	if fi, err := os.Lstat(part); err != nil || !fi.IsDir() {
		t.Errorf("the folder in the way was touched: %v", err)
	}
	if n := countVerb(srv.SessionCommands(1), "RETR"); n != 0 {
		t.Errorf("RETR sent %d times", n)
	}
}

// TestPutFolderAsFile: uploading a folder as a file is a local error that
// sends nothing.
func TestPutFolderAsFile(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{})
	c := connect(t, srv)
	dir := t.TempDir()
	_, err := Put(testCtx(t), c, dir, "x", PutOptions{})
	var le *LocalError
	if !errors.As(err, &le) || !strings.Contains(err.Error(), "not a regular file") {
		t.Fatalf("Put = %v, want a local error: not a regular file", err)
	}
	if n := countVerb(srv.SessionCommands(1), "STOR"); n != 0 {
		t.Errorf("STOR sent %d times", n)
	}
}
