package interop

import (
	"bytes"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ferry-ftp/ferry/client"
	"github.com/ferry-ftp/ferry/cmd"
	"github.com/ferry-ftp/ferry/internal/realserver"
	"github.com/ferry-ftp/ferry/internal/testsupport"
	"github.com/ferry-ftp/ferry/ops"
)

// TestShellBatch runs an ftp> batch script through `ferry shell -b -`
// against vsftpd (plain, IPv4) in passive and active mode, and checks the
// files on both sides, the output and the exit codes.
func TestShellBatch(t *testing.T) {
	skipShort(t)
	s := realserver.StartOrSkip(t, realserver.Vsftpd, realserver.Options{})
	for _, mode := range modes {
		t.Run(mode.String(), func(t *testing.T) {
			t.Parallel()
			local := t.TempDir()
			dir := "shell-" + mode.String()
			up := []byte("uploaded by the shell, " + mode.String() + " mode\n")
			if err := os.WriteFile(filepath.Join(local, "up.txt"), up, 0o644); err != nil {
				t.Fatal(err)
			}
			for _, n := range []string{"m1.dat", "m2.dat", "m3.dat"} {
				if err := os.WriteFile(filepath.Join(local, n), []byte(n+" "+mode.String()), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			script := strings.Join([]string{
				"# a comment",
				"mkdir " + dir,
				"cd " + dir,
				"put " + filepath.Join(local, "up.txt") + " up.txt",
				"ls",
				"size up.txt",
				"get up.txt " + filepath.Join(local, "down.txt"),
				"lcd " + local,
				"mput m*.dat",
				"mget m*.dat",
				"mirror . " + filepath.Join(local, "tree"),
				"mdelete m*.dat",
				"rename up.txt moved.txt",
				"-get missing.txt " + filepath.Join(local, "missing.txt"),
				"delete moved.txt",
				"cdup",
				"rmdir " + dir,
				"bye",
			}, "\n") + "\n"
			code, out, errOut := runShell(t, s, mode, script)
			if code != ops.ExitOK {
				t.Fatalf("exit code %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
			}
			if got, _ := os.ReadFile(filepath.Join(local, "down.txt")); !bytes.Equal(got, up) {
				t.Errorf("downloaded %q, want %q", got, up)
			}
			for _, n := range []string{"m1.dat", "m2.dat", "m3.dat", "up.txt"} {
				want := []byte(n + " " + mode.String())
				if n == "up.txt" {
					want = up
				}
				if got, _ := os.ReadFile(filepath.Join(local, "tree", n)); !bytes.Equal(got, want) {
					t.Errorf("mirror: tree/%s holds %q, want %q", n, got, want)
				}
			}
			for _, want := range []string{"ftp> mput m*.dat\n3 file(s), ", "ftp> mget m*.dat\n3 file(s), ", "4 file(s), "} {
				if !strings.Contains(errOut, want) {
					t.Errorf("stderr lacks %q:\n%s", want, errOut)
				}
			}
			for _, want := range []string{"up.txt", "ftp> -get missing.txt", "550"} {
				if !strings.Contains(out+errOut, want) {
					t.Errorf("output lacks %q:\nstdout:\n%s\nstderr:\n%s", want, out, errOut)
				}
			}
			if _, err := os.Stat(filepath.Join(s.Home, dir)); !os.IsNotExist(err) {
				t.Errorf("folder %s left on the server: %v", dir, err)
			}
			// The first failing line without '-' stops the script with
			// its exit code (5: missing remote file).
			code, _, errOut = runShell(t, s, mode, "get missing.txt "+filepath.Join(local, "x")+"\nmkdir never\n")
			if code != ops.ExitRemote || strings.Contains(errOut, "ftp> mkdir never") {
				t.Errorf("exit code %d, want %d; stderr:\n%s", code, ops.ExitRemote, errOut)
			}
		})
	}
}

// runShell runs `ferry shell URL -b -` with script on stdin.
func runShell(t *testing.T, s *realserver.Server, mode client.DataMode, script string) (int, string, string) {
	var out, errOut testsupport.LockedBuffer // written by several goroutines (retry notes)
	home := t.TempDir()
	f := &cmd.Factory{
		IO:     &cmd.IOStreams{In: strings.NewReader(script), Out: &out, ErrOut: &errOut},
		Opts:   &cmd.GlobalOptions{},
		Getenv: func(k string) string { return map[string]string{"XDG_STATE_HOME": home}[k] },
		Home:   func() (string, error) { return home, nil },
	}
	args := []string{"shell", "--config", filepath.Join(home, "none.toml"), "--no-progress", "--timeout", "20s"}
	if mode == client.Active {
		args = append(args, "--active")
	}
	u := &url.URL{Scheme: "ftp", User: url.UserPassword(s.User, s.Password), Host: s.Addr, Path: "/"}
	args = append(args, u.String(), "-b", "-")
	code := cmd.Run(t.Context(), f, args)
	return code, out.String(), errOut.String()
}
