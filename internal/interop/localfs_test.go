package interop

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ferry-ftp/ferry/cmd"
	"github.com/ferry-ftp/ferry/internal/realserver"
	"github.com/ferry-ftp/ferry/internal/testsupport"
	"github.com/ferry-ftp/ferry/ops"
)

// TestReplacedFiles runs get and put of ferry's command line over files
// that exist, against vsftpd, pure-ftpd and proftpd (issue 12): the new
// file keeps the old one's permissions on both sides (the servers tell
// them by STAT's listing, vsftpd, or MLST's UNIX.mode, pure-ftpd and
// proftpd, and all three set them with SITE CHMOD), and names of 255
// bytes, whose temporary name of the usual form the servers refuse (553
// or 550, "File name too long"), are copied both ways.
func TestReplacedFiles(t *testing.T) {
	skipShort(t)
	for _, kind := range []realserver.Kind{realserver.Vsftpd, realserver.PureFTPd, realserver.ProFTPD} {
		t.Run(string(kind), func(t *testing.T) {
			t.Parallel()
			s := realserver.StartOrSkip(t, kind, realserver.Options{})
			if err := replacedFiles(t, s); err != nil {
				t.Fatalf("%v\nserver log:\n%s", err, s.LogTail(30))
			}
		})
	}
}

func replacedFiles(t *testing.T, s *realserver.Server) error {
	home, local := t.TempDir(), t.TempDir()
	base := "ftp://" + url.UserPassword(s.User, s.Password).String() + "@" + s.Addr + "/"
	run := func(args ...string) error {
		var out, errOut testsupport.LockedBuffer // written by several goroutines (retry notes)
		f := &cmd.Factory{
			IO:     &cmd.IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut},
			Opts:   &cmd.GlobalOptions{},
			Getenv: func(string) string { return "" },
			Home:   func() (string, error) { return home, nil },
		}
		full := append([]string{args[0], "--config", filepath.Join(home, "none.toml"), "--no-progress", "--retries", "0", "-q"}, args[1:]...)
		if code := cmd.Run(t.Context(), f, full); code != ops.ExitOK || errOut.String() != "" {
			return fmt.Errorf("ferry %s: exit code %d\n%s%s", strings.Join(args, " "), code, out.String(), errOut.String())
		}
		return nil
	}
	dir := "replaced"
	disk := onDisk(s, dir)
	if err := errors.Join(os.Mkdir(disk, 0o755), s.Chown(disk)); err != nil {
		return err
	}
	mode := func(p string, want os.FileMode) error {
		fi, err := os.Stat(p)
		if err != nil {
			return err
		}
		if fi.Mode().Perm() != want {
			return fmt.Errorf("%s: mode %04o, want %04o", p, fi.Mode().Perm(), want)
		}
		return nil
	}

	// put over a 600 file and a 755 script.
	for name, m := range map[string]os.FileMode{"secret.txt": 0o600, "run.sh": 0o755} {
		p := filepath.Join(disk, name)
		if err := errors.Join(os.WriteFile(p, []byte("old\n"), 0o644), s.Chown(p), os.Chmod(p, m),
			os.WriteFile(filepath.Join(local, name), []byte("new "+name+"\n"), 0o644)); err != nil {
			return err
		}
		if err := run("put", filepath.Join(local, name), base+dir+"/"+name); err != nil {
			return err
		}
		if err := errors.Join(sameFile(p, []byte("new "+name+"\n")), mode(p, m)); err != nil {
			return fmt.Errorf("put over a %04o file: %w", m, err)
		}
	}
	// get -o over a local 600 file.
	got := filepath.Join(local, "got.txt")
	if err := errors.Join(os.WriteFile(got, []byte("old\n"), 0o600), run("get", base+dir+"/secret.txt", "-o", got)); err != nil {
		return err
	}
	if err := errors.Join(sameFile(got, []byte("new secret.txt\n")), mode(got, 0o600)); err != nil {
		return fmt.Errorf("get over a 0600 file: %w", err)
	}
	// A name of 255 bytes, up and down.
	long := strings.Repeat("n", 255-len("-end.txt")) + "-end.txt"
	if err := os.WriteFile(filepath.Join(local, long), []byte("long\n"), 0o644); err != nil {
		return err
	}
	if err := run("put", filepath.Join(local, long), base+dir+"/"); err != nil {
		return fmt.Errorf("put of a name of 255 bytes: %w", err)
	}
	down := filepath.Join(local, "down")
	if err := errors.Join(os.Mkdir(down, 0o755), run("get", base+dir+"/"+long, "-o", down+"/")); err != nil {
		return fmt.Errorf("get of a name of 255 bytes: %w", err)
	}
	return errors.Join(sameFile(filepath.Join(disk, long), []byte("long\n")), sameFile(filepath.Join(down, long), []byte("long\n")),
		noTempFiles(disk), noTempFiles(down))
}
