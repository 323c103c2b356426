package cmd_test

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ferry-ftp/ferry/internal/ftptest"
)

// TestOutputDiskFull runs cat and get -o - with stdout on /dev/full, where
// every write fails with ENOSPC as on a full disk: ferry exits 6 (a local
// error) and says that no space is left.
func TestOutputDiskFull(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary")
	}
	full, err := os.OpenFile("/dev/full", os.O_WRONLY, 0)
	if err != nil {
		t.Skipf("no /dev/full to stand for a full disk: %v", err)
	}
	defer full.Close()
	srv := ftptest.New(t, ftptest.Config{})
	if err := os.WriteFile(filepath.Join(srv.Root(), "f.bin"), bytes.Repeat([]byte("x"), 1<<20), 0o644); err != nil {
		t.Fatal(err)
	}
	url := "ftp://user:pass@" + srv.Addr() + "/f.bin"
	bin := ferryBinary(t)
	for _, args := range [][]string{{"cat", url}, {"get", "-q", url, "-o", "-"}} {
		cmd := exec.Command(bin, args...)
		cmd.Dir = t.TempDir()
		cmd.Stdout = full
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		err := cmd.Run()
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != 6 {
			t.Errorf("ferry %s: %v, want exit code 6; stderr:\n%s", args[0], err, stderr.String())
			continue
		}
		if !strings.Contains(stderr.String(), "no space left on device") {
			t.Errorf("ferry %s: stderr %q does not say the disk is full", args[0], stderr.String())
		}
		if entries, _ := os.ReadDir(cmd.Dir); len(entries) != 0 {
			t.Errorf("ferry %s left files: %v", args[0], entries)
		}
	}
}
