package interop

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ferry-ftp/ferry/internal/realserver"
	"github.com/ferry-ftp/ferry/internal/testsupport"
	"github.com/ferry-ftp/ferry/ops"
)

// missingFolderFix names, for the servers on which ferry cannot yet put
// or mirror into a folder that does not exist, what ferry lacks. Both
// answer LIST of a missing path with 150, the error of the ls they run on
// the data connection, and 226:
//
//	> LIST -a x/tree
//	< 150 Opening BINARY mode data connection for '/bin/ls'.
//	x/tree: No such file or directory                                  (data)
//	< 226 Transfer complete.
//
// (ftpd-ssl-de: "/bin/ls: Zugriff auf 'x/tree' nicht möglich: Datei oder
// Verzeichnis nicht gefunden"), and ferry stops with exit code 1, "cannot
// read the listing: none of its 1 lines is in a format ferry knows".
var missingFolderFix = map[realserver.Kind]string{
	realserver.InetutilsFTPd: "a LIST whose only line is ls's \"No such file or directory\" counts as a missing folder (issue 14)",
	realserver.FtpdSSLDE:     "a LIST whose only line is ls's \"No such file or directory\" counts as a missing folder, in the server's language too (issue 14)",
}

// TestEveryServer runs the commands a user starts with through ferry's
// command line against every server (plain FTP, IPv4, passive mode):
// stat --json of a file, ls -l and ls --json of a folder, mirror of a tree
// down, and put -r and mirror -R into folders that do not exist yet. It
// checks exit codes, what the listings say and the trees on both sides.
func TestEveryServer(t *testing.T) {
	skipShort(t)
	for _, kind := range realserver.Kinds {
		t.Run(string(kind), func(t *testing.T) {
			t.Parallel()
			s := realserver.StartOrSkip(t, kind, realserver.Options{})
			everyServer(t, s)
		})
	}
}

func everyServer(t *testing.T, s *realserver.Server) {
	st := &steps{t: t, s: s, out: &outcome{}, trace: &testsupport.LockedBuffer{}}
	base := "ftp://" + url.UserPassword(s.User, s.Password).String() + "@" + s.Addr + "/"
	local := t.TempDir()
	// The tree the server holds at first, made on its disk.
	seed := filepath.Join(local, "seed")
	files := map[string][]byte{
		"a.txt":          []byte("hello\n"),
		"sub dir/b.txt":  []byte("bee\n"),
		"sub dir/empty":  nil,
		"data ünï.bin":   mustRandom(100_003),
		"sub dir/c d.md": []byte("# c d\n"),
	}
	for name, data := range files {
		p := filepath.Join(seed, filepath.FromSlash(name))
		if err := errors.Join(os.MkdirAll(filepath.Dir(p), 0o755), writeFile(p, data)); err != nil {
			t.Fatal(err)
		}
	}
	old := time.Date(2024, time.March, 5, 10, 0, 0, 0, time.UTC)
	if err := os.Chtimes(filepath.Join(seed, "a.txt"), old, old); err != nil {
		t.Fatal(err)
	}
	if err := copyTree(seed, onDisk(s, "tree")); err != nil {
		t.Fatal(err)
	}
	if err := s.Chown(onDisk(s, "tree")); err != nil {
		t.Fatal(err)
	}
	ferry := func(want int, args ...string) (string, error) {
		code, stdout, stderr := runFerry(t, args...)
		st.trace.Write([]byte(fmt.Sprintf("$ ferry %s\n(exit %d)\n%s%s", strings.Join(redact(args), " "), code, stdout, stderr)))
		if code != want {
			return stdout, fmt.Errorf("ferry %s: exit code %d, want %d\n%s", args[0], code, want, stderr)
		}
		return stdout, nil
	}

	st.run("stat --json", func() error {
		out, err := ferry(ops.ExitOK, "stat", "--json", base+"tree/a.txt")
		if err != nil {
			return err
		}
		var e struct {
			Name, Type string
			Size       *int64
			Modified   time.Time
		}
		if err := json.Unmarshal([]byte(out), &e); err != nil {
			return fmt.Errorf("stat --json: %v in %q", err, out)
		}
		if e.Name != "a.txt" || e.Type != "file" || e.Size == nil || *e.Size != 6 || !e.Modified.Equal(old) {
			return fmt.Errorf("stat --json printed %s, want a.txt, a file of 6 bytes modified %s", out, old.Format(time.RFC3339))
		}
		return nil
	})
	st.run("ls -l", func() error {
		out, err := ferry(ops.ExitOK, "ls", "-l", base+"tree/")
		if err != nil {
			return err
		}
		return matchLines(out,
			`^\S+ +6 2024-03-05 .*a\.txt$`,
			`^\S+ +100003 \d{4}-\d\d-\d\d .*data ünï\.bin$`,
			`^d\S* .* sub dir$`)
	})
	st.run("ls --json", func() error {
		out, err := ferry(ops.ExitOK, "ls", "--json", base+"tree/sub dir/")
		if err != nil {
			return err
		}
		var entries []struct {
			Name, Type string
			Size       int64
		}
		if err := json.Unmarshal([]byte(out), &entries); err != nil {
			return fmt.Errorf("ls --json: %v in %q", err, out)
		}
		got := map[string]string{}
		for _, e := range entries {
			got[e.Name] = fmt.Sprintf("%s %d", e.Type, e.Size)
		}
		want := map[string]string{"b.txt": "file 4", "empty": "file 0", "c d.md": "file 6"}
		if !maps.Equal(got, want) {
			return fmt.Errorf("ls --json lists %v, want %v", got, want)
		}
		return nil
	})
	st.run("mirror", func() error {
		dst := filepath.Join(local, "down")
		if _, err := ferry(ops.ExitOK, "mirror", base+"tree", dst); err != nil {
			return err
		}
		return sameTreeErr(t, seed, dst)
	})
	if fix, ok := missingFolderFix[s.Kind]; ok {
		t.Skipf("put -r and mirror -R into a folder that does not exist: ferry needs this: %s", fix)
	}
	st.run("put -r into a new folder", func() error {
		if _, err := ferry(ops.ExitOK, "put", "-r", seed, base+"up/new/"); err != nil {
			return err
		}
		return sameTreeErr(t, seed, onDisk(s, "up/new/seed"))
	})
	st.run("mirror -R into a new folder", func() error {
		if _, err := ferry(ops.ExitOK, "mirror", "-R", seed, base+"back/new"); err != nil {
			return err
		}
		return sameTreeErr(t, seed, onDisk(s, "back/new"))
	})
}

// mustRandom returns n bytes of a fixed pseudo-random sequence.
func mustRandom(n int) []byte {
	all, err := fixtures()
	if err != nil || len(all[2].data) < n {
		panic(fmt.Sprintf("fixtures: %v", err))
	}
	return slices.Clone(all[2].data[:n])
}

// copyTree copies the folder src to dst, which must not exist.
func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		return errors.Join(os.WriteFile(target, data, 0o644), os.Chtimes(target, fi.ModTime(), fi.ModTime()))
	})
}

// sameTreeErr is sameTree returning the difference: the files and
// folders below a and b, byte for byte.
func sameTreeErr(t *testing.T, a, b string) error {
	wa, wb := testsupport.Tree(t, a), testsupport.Tree(t, b)
	if !slices.Equal(slices.Sorted(maps.Keys(wa)), slices.Sorted(maps.Keys(wb))) {
		return fmt.Errorf("%s holds %q, want %q as in %s", b, slices.Sorted(maps.Keys(wb)), slices.Sorted(maps.Keys(wa)), a)
	}
	for rel, data := range wa {
		if err := sameBytes(filepath.Join(b, rel), []byte(wb[rel]), []byte(data)); err != nil {
			return err
		}
	}
	return nil
}
