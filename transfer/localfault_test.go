package transfer

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/ferry-ftp/ferry/internal/ftptest"
)

// fullDiskFS is the plain file system, except that a partial file opened
// for writing is /dev/full under the partial file's name: every write
// fails with ENOSPC, as on a full disk. The partial file's real path is
// never written.
type fullDiskFS struct{ osFS }

func (fullDiskFS) OpenFile(name string, flag int, perm os.FileMode) (*os.File, error) {
	if IsTempName(filepath.Base(name)) && flag&(os.O_WRONLY|os.O_RDWR) != 0 {
		fd, err := syscall.Open("/dev/full", syscall.O_WRONLY|syscall.O_CLOEXEC, 0)
		if err != nil {
			return nil, &os.PathError{Op: "open", Path: "/dev/full", Err: err}
		}
		return os.NewFile(uintptr(fd), name), nil
	}
	return os.OpenFile(name, flag, perm)
}

func needDevFull(t *testing.T) {
	t.Helper()
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skipf("no /dev/full to stand for a full disk: %v", err)
	}
}

// TestGetDiskFull: a download onto a full disk fails with a local error
// that names the partial file and says the disk is full; the old file is
// intact, no empty partial file is left, the transfer was aborted and the
// connection still works.
func TestGetDiskFull(t *testing.T) {
	needDevFull(t)
	srv := ftptest.New(t, ftptest.Config{})
	os.WriteFile(filepath.Join(srv.Root(), "f.bin"), randomData(2<<20), 0o644)
	local := filepath.Join(t.TempDir(), "f.bin")
	old := []byte("the old file")
	os.WriteFile(local, old, 0o644)
	c := connect(t, srv)

	_, err := get(testCtx(t), c, fullDiskFS{}, "f.bin", local, GetOptions{})
	var le *LocalError
	if !errors.As(err, &le) || !errors.Is(err, syscall.ENOSPC) || le.Op != "write" {
		t.Fatalf("get = %v, want a local write error with ENOSPC", err)
	}
	if msg := err.Error(); !strings.Contains(msg, partFor(t, srv, "f.bin", local)) || !strings.Contains(msg, "no space left on device") {
		t.Errorf("message %q does not name the partial file and the full disk", msg)
	}
	wantTree(t, filepath.Dir(local), map[string]string{"f.bin": string(old)})
	if err := c.Noop(testCtx(t)); err != nil {
		t.Fatalf("connection unusable after the failed download: %v", err)
	}
	if cmds := srv.SessionCommands(1); countVerb(cmds, "ABOR") != 1 {
		t.Errorf("the download was not aborted once: %q", cmds)
	}
}

// TestGetDiskFullKeepsPartForResume: when a resumed download meets a full
// disk, the data already in the partial file is kept for the next attempt.
func TestGetDiskFullKeepsPartForResume(t *testing.T) {
	needDevFull(t)
	data := randomData(1<<20 + 11)
	srv := ftptest.New(t, ftptest.Config{})
	os.WriteFile(filepath.Join(srv.Root(), "f.bin"), data, 0o644)
	local := filepath.Join(t.TempDir(), "f.bin")
	part := partFor(t, srv, "f.bin", local)
	os.WriteFile(part, data[:1000], 0o644)
	c := connect(t, srv)

	res, err := get(testCtx(t), c, fullDiskFS{}, "f.bin", local, GetOptions{Resume: true})
	if !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("get = %v, want ENOSPC", err)
	}
	if res.Partial != part || res.PartialSize != 1000 {
		t.Errorf("Result.Partial %q of %d bytes, want %q of 1000", res.Partial, res.PartialSize, part)
	}
	if got, _ := os.ReadFile(part); !bytes.Equal(got, data[:1000]) {
		t.Fatalf("partial file holds %d bytes, want the first 1000 kept", len(got))
	}
	if _, err := os.Lstat(local); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("target created: %v", err)
	}
	// With room again, the download resumes from the kept data.
	res, err = Get(testCtx(t), c, "f.bin", local, GetOptions{Resume: true})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(local); !bytes.Equal(got, data) || res.Offset != 1000 {
		t.Fatalf("resumed file of %d bytes from offset %d", len(got), res.Offset)
	}
}

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
	if got, _ := os.ReadFile(local); string(got) != "old" {
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
