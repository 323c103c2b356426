//go:build linux

package transfer

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/ferry-ftp/ferry/internal/ftptest"
)

// fullDisk mounts a small tmpfs and fills it up but for free bytes (whole
// pages), as a full disk where writes fail with ENOSPC. It returns a folder
// on it, and a function that makes room again. It needs the right to
// mount (root), and skips the test otherwise: a fake that swapped the
// partial file for /dev/full would no longer do, since a download checks
// that the file it locked is the one under its name, and sets its mode.
func fullDisk(t *testing.T, free int64) (dir string, makeRoom func()) {
	t.Helper()
	const size = 4 << 20
	mnt := t.TempDir()
	if err := syscall.Mount("tmpfs", mnt, "tmpfs", 0, fmt.Sprintf("size=%d,mode=0755", size)); err != nil {
		t.Skipf("cannot mount a small tmpfs to stand for a full disk (needs root): %v", err)
	}
	t.Cleanup(func() { syscall.Unmount(mnt, syscall.MNT_DETACH) })
	filler := filepath.Join(mnt, "filler")
	if err := os.WriteFile(filler, make([]byte, size-free), 0o644); err != nil {
		t.Fatal(err)
	}
	dir = filepath.Join(mnt, "d")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir, func() { os.Remove(filler) }
}

// TestGetDiskFull: a download onto a full disk fails with a local error
// that names the partial file and says the disk is full; the old file is
// intact, no partial file is left (the source's time is unknown, so it
// could not be resumed), the transfer was aborted and the connection
// still works.
func TestGetDiskFull(t *testing.T) {
	dir, _ := fullDisk(t, 64<<10)
	srv := ftptest.New(t, ftptest.Config{Disable: []string{"MDTM", "MLST"}}) // no time: no resume
	os.WriteFile(filepath.Join(srv.Root(), "f.bin"), randomData(2<<20), 0o644)
	local := filepath.Join(dir, "f.bin")
	old := []byte("the old file")
	os.WriteFile(local, old, 0o644)
	c := connect(t, srv)

	_, err := Get(testCtx(t), c, "f.bin", local, GetOptions{})
	var le *LocalError
	if !errors.As(err, &le) || !errors.Is(err, syscall.ENOSPC) || le.Op != "write" {
		t.Fatalf("get = %v, want a local write error with ENOSPC", err)
	}
	if msg := err.Error(); !strings.Contains(msg, filepath.Join(dir, ".f.bin.ferry-")) || !strings.Contains(msg, "no space left on device") {
		t.Errorf("message %q does not name the partial file and the full disk", msg)
	}
	wantTree(t, dir, map[string]string{"f.bin": string(old)})
	if err := c.Noop(testCtx(t)); err != nil {
		t.Fatalf("connection unusable after the failed download: %v", err)
	}
	if cmds := srv.SessionCommands(1); countVerb(cmds, "ABOR") != 1 {
		t.Errorf("the download was not aborted once: %q", cmds)
	}
}

// TestGetDiskFullKeepsPartForResume: when a resumed download meets a full
// disk, the data in the partial file, what it held and what the attempt
// added before the disk filled, is kept for the next attempt, which
// resumes it once there is room.
func TestGetDiskFullKeepsPartForResume(t *testing.T) {
	dir, makeRoom := fullDisk(t, 64<<10)
	data := randomData(1<<20 + 11)
	srv := ftptest.New(t, ftptest.Config{})
	os.WriteFile(filepath.Join(srv.Root(), "f.bin"), data, 0o644)
	local := filepath.Join(dir, "f.bin")
	part := partFor(t, srv, "f.bin", local)
	os.WriteFile(part, data[:1000], 0o644)
	c := connect(t, srv)

	res, err := Get(testCtx(t), c, "f.bin", local, GetOptions{Resume: true})
	if !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("get = %v, want ENOSPC", err)
	}
	got, _ := os.ReadFile(part)
	if res.Partial != part || res.PartialSize != int64(len(got)) || len(got) < 1000 || !bytes.Equal(got, data[:len(got)]) {
		t.Fatalf("Result.Partial %q of %d bytes; the file holds %d bytes; want at least the first 1000 kept", res.Partial, res.PartialSize, len(got))
	}
	if _, err := os.Lstat(local); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("target created: %v", err)
	}
	// With room again, the download resumes from the kept data.
	makeRoom()
	res, err = Get(testCtx(t), c, "f.bin", local, GetOptions{Resume: true})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(local); !bytes.Equal(got, data) || res.Offset < 1000 {
		t.Fatalf("resumed file of %d bytes from offset %d", len(got), res.Offset)
	}
}
