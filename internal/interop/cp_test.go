package interop

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ferry-ftp/ferry/cmd"
	"github.com/ferry-ftp/ferry/internal/realserver"
	"github.com/ferry-ftp/ferry/internal/testsupport"
	"github.com/ferry-ftp/ferry/transfer"
)

// TestCopyBetweenServers runs ferry cp between vsftpd (on 127.0.0.1) and
// pure-ftpd (on 127.0.0.2), both ways, with files of 0 B, 1 B and 1 MiB
// and 3 bytes: by FXP between servers configured to allow it (vsftpd's
// port_promiscuous and pasv_promiscuous, pure-ftpd's -w), and, between
// servers in their default configuration, which refuse it (PORT only to
// the client's address, passive data connections only from it), streamed
// through ferry after one note saying so. Each copy must be byte-identical
// and leave no temporary file.
func TestCopyBetweenServers(t *testing.T) {
	skipShort(t)
	for _, fxp := range []bool{true, false} {
		t.Run(map[bool]string{true: "fxp", false: "default"}[fxp], func(t *testing.T) {
			t.Parallel()
			vs := realserver.StartOrSkip(t, realserver.Vsftpd, realserver.Options{FXP: fxp})
			pure := realserver.StartOrSkip(t, realserver.PureFTPd, realserver.Options{FXP: fxp, Host: "127.0.0.2"})
			files := cpFixtures(t)
			for _, s := range []*realserver.Server{vs, pure} {
				for _, f := range files {
					if err := os.WriteFile(filepath.Join(s.Home, f.name), f.data, 0o644); err != nil {
						t.Fatal(err)
					}
				}
				if err := s.Chown(s.Home); err != nil {
					t.Fatal(err)
				}
			}
			for _, pair := range [][2]*realserver.Server{{vs, pure}, {pure, vs}} {
				src, dst := pair[0], pair[1]
				t.Run(fmt.Sprintf("%s-to-%s", src.Kind, dst.Kind), func(t *testing.T) {
					folder := "from-" + string(src.Kind)
					if err := os.Mkdir(filepath.Join(dst.Home, folder), 0o755); err != nil {
						t.Fatal(err)
					}
					if err := dst.Chown(filepath.Join(dst.Home, folder)); err != nil {
						t.Fatal(err)
					}
					for i, f := range files {
						args := []string{"cp", serverURL(src, f.name), serverURL(dst, folder) + "/"}
						if fxp {
							args = append(args, "--fxp") // by FXP, or fail
						}
						code, _, stderr := cpRun(t, args...)
						note := strings.Count(stderr, "FXP not possible")
						switch {
						case code != 0:
							t.Errorf("%s: exit %d\n%s", f.name, code, stderr)
						case fxp && note != 0:
							t.Errorf("%s: %s", f.name, stderr)
						case !fxp && note != 1:
							t.Errorf("%s: %d notes of the fallback, want 1:\n%s", f.name, note, stderr)
						case !fxp && i == 0 && !strings.Contains(stderr, "500") && !strings.Contains(stderr, "425"):
							t.Errorf("%s: the note names no refusal:\n%s", f.name, stderr)
						}
						got, err := os.ReadFile(filepath.Join(dst.Home, folder, f.name))
						if err != nil || !bytes.Equal(got, f.data) {
							t.Errorf("%s: the copy holds %d bytes (%v), want %d, byte-identical", f.name, len(got), err, len(f.data))
						}
					}
					if !fxp {
						// Forced, FXP fails between these servers: exit 5,
						// and nothing is left behind.
						code, _, stderr := cpRun(t, "cp", "--fxp", serverURL(src, files[1].name), serverURL(dst, folder+"/forced.bin"))
						if code != 5 || !strings.Contains(stderr, "FXP refused") {
							t.Errorf("cp --fxp between default servers: exit %d\n%s", code, stderr)
						}
					}
					entries, _ := os.ReadDir(filepath.Join(dst.Home, folder))
					var names []string
					for _, e := range entries {
						names = append(names, e.Name())
						if transfer.IsTempName(e.Name()) {
							t.Errorf("a temporary file is left: %s", e.Name())
						}
					}
					if len(names) != len(files) {
						t.Errorf("%s holds %q", folder, names)
					}
				})
			}
		})
	}
}

// cpFile is a file cp copies.
type cpFile struct {
	name string
	data []byte
}

// cpFixtures returns files of 0 B, 1 B and 1 MiB and 3 bytes.
func cpFixtures(t *testing.T) []cpFile {
	t.Helper()
	rng := rand.NewChaCha8([32]byte{'c', 'p'})
	var out []cpFile
	for _, n := range []int{0, 1, mib + 3} {
		b := make([]byte, n)
		rng.Read(b)
		out = append(out, cpFile{name: fmt.Sprintf("cp-%d.bin", n), data: b})
	}
	return out
}

// serverURL returns the ftp:// URL of p on s, with its credentials.
func serverURL(s *realserver.Server, p string) string {
	return "ftp://" + url.UserPassword(s.User, s.Password).String() + "@" + s.Addr + "/" + p
}

// cpRun runs a ferry command line and returns its exit code and output.
func cpRun(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut testsupport.LockedBuffer
	f := &cmd.Factory{
		IO:     &cmd.IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut},
		Opts:   &cmd.GlobalOptions{},
		Getenv: func(string) string { return "" },
		Home:   func() (string, error) { return t.TempDir(), nil },
	}
	full := append([]string{args[0], "--config", filepath.Join(t.TempDir(), "none.toml"), "--no-progress", "--timeout", "20s", "--retries", "0"}, args[1:]...)
	code := cmd.Run(t.Context(), f, full)
	return code, out.String(), errOut.String()
}
