package cmd_test

import (
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ferry-ftp/ferry/internal/ftptest"
	"github.com/ferry-ftp/ferry/internal/testsupport"
)

// get and put without -r (named files, patterns) apply the rules of tree
// jobs to each file, as rclone's copy --ignore-existing and its filters
// do: what counts as changed (--only-missing, --only-existing,
// --size-only, --checksum) and the limits (--newer-than, --older-than,
// --min-size, --max-size), each file left alone named on stderr and in
// --json's "kept", exit 0; the flags that need folders are refused
// (outside probe of issue 16: every one of them was silently ignored,
// and --only-missing overwrote the file).
func TestSingleFileRules(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{})
	old := time.Date(2024, 4, 30, 12, 0, 0, 0, time.UTC)
	recent := time.Date(2024, 5, 2, 12, 0, 0, 0, time.UTC)
	server := map[string]string{"same.txt": "same", "samesize.txt": "abcd", "longer.txt": "longer on the server", "new.txt": "new", "old.log": "old log", "recent.log": "recent log, longer"}
	for name, data := range server {
		at := recent
		if name == "old.log" {
			at = old
		}
		writeAt(t, filepath.Join(srv.Root(), "d", name), data, at)
	}
	url := "ftp://user:pass@" + srv.Addr() + "/d/"
	type result struct {
		code  int
		local map[string]string // the local folder afterwards, or the remote one for put
		notes []string          // on stderr
	}
	local := map[string]string{"same.txt": "same", "samesize.txt": "wxyz", "longer.txt": "short", "mine.txt": "mine"}
	for _, tc := range []struct {
		name string
		args []string // URL/NAME for a file, "*" for a pattern
		want result
	}{
		{"only-missing", []string{"--only-missing", "*.txt"}, result{0,
			map[string]string{"same.txt": "same", "samesize.txt": "wxyz", "longer.txt": "short", "mine.txt": "mine", "new.txt": "new"},
			[]string{"skipped d/same.txt: exists (--only-missing)", "skipped d/longer.txt: exists (--only-missing)", ", 3 unchanged"}}},
		{"only-existing", []string{"--only-existing", "*.txt"}, result{0,
			map[string]string{"same.txt": "same", "samesize.txt": "abcd", "longer.txt": "longer on the server", "mine.txt": "mine"},
			[]string{"skipped d/new.txt: not in the destination (--only-existing)"}}},
		{"size-only", []string{"--size-only", "*.txt"}, result{0,
			map[string]string{"same.txt": "same", "samesize.txt": "wxyz", "longer.txt": "longer on the server", "mine.txt": "mine", "new.txt": "new"},
			[]string{"skipped d/samesize.txt: same size (--size-only)"}}},
		{"checksum", []string{"--checksum", "*.txt"}, result{0,
			map[string]string{"same.txt": "same", "samesize.txt": "abcd", "longer.txt": "longer on the server", "mine.txt": "mine", "new.txt": "new"},
			[]string{"skipped d/same.txt: same SHA-256"}}},
		{"newer-than", []string{"--newer-than", "2024-05-01T00:00Z", "*.log"}, result{0,
			map[string]string{"same.txt": "same", "samesize.txt": "wxyz", "longer.txt": "short", "mine.txt": "mine", "recent.log": "recent log, longer"},
			[]string{"skipped d/old.log: modified 2024-04-30T12:00:00Z, before --newer-than"}}},
		{"older-than, a named file", []string{"--older-than", "2024-05-01T00:00Z", "recent.log"}, result{0, local,
			[]string{"skipped d/recent.log: modified 2024-05-02T12:00:00Z, not before --older-than"}}},
		{"min-size", []string{"--min-size", "10", "*.log"}, result{0,
			map[string]string{"same.txt": "same", "samesize.txt": "wxyz", "longer.txt": "short", "mine.txt": "mine", "recent.log": "recent log, longer"},
			[]string{"skipped d/old.log: 7 bytes, less than --min-size"}}},
		{"max-size", []string{"--max-size", "10", "*.log"}, result{0,
			map[string]string{"same.txt": "same", "samesize.txt": "wxyz", "longer.txt": "short", "mine.txt": "mine", "old.log": "old log"},
			[]string{"skipped d/recent.log: 18 bytes, more than --max-size"}}},
		{"max-depth", []string{"--max-depth", "1", "same.txt"}, result{2, local, []string{"--max-depth works on folders: add -r"}}},
		{"exclude-rx", []string{"--exclude-rx", "x", "same.txt"}, result{2, local, []string{"--exclude-rx works on folders: add -r"}}},
		{"stdout", []string{"--only-missing", "-o", "-", "same.txt"}, result{2, local, []string{"--only-missing cannot go with -o -"}}},
	} {
		t.Run("get/"+tc.name, func(t *testing.T) {
			home := t.TempDir()
			dl := filepath.Join(home, "dl")
			for name, data := range local {
				writeAt(t, filepath.Join(dl, name), data, recent)
			}
			args := append([]string{"get", "-o", dl + "/"}, tc.args[:len(tc.args)-1]...)
			args = append(args, url+tc.args[len(tc.args)-1])
			code, _, stderr := ferryRun(t, home, args...)
			if code != tc.want.code {
				t.Errorf("exit %d, want %d\n%s", code, tc.want.code, stderr)
			}
			if got := testsupport.Tree(t, dl); !maps.Equal(got, tc.want.local) {
				t.Errorf("local %q\nwant %q", got, tc.want.local)
			}
			for _, n := range tc.want.notes {
				if !strings.Contains(stderr, n) {
					t.Errorf("stderr lacks %q:\n%s", n, stderr)
				}
			}
		})
	}

	// put: the remote file is the destination.
	for _, tc := range []struct {
		name  string
		args  []string
		want  map[string]string // the remote folder up/ afterwards
		notes []string
	}{
		{"only-missing", []string{"--only-missing"}, map[string]string{"a.txt": "remote a", "b.txt": "bb", "c.txt": "local c", "s.txt": "same"},
			[]string{"a.txt: exists (--only-missing)", "b.txt: exists (--only-missing)"}},
		{"only-existing", []string{"--only-existing"}, map[string]string{"a.txt": "local a, longer", "b.txt": "zz", "s.txt": "same"},
			[]string{"c.txt: not in the destination (--only-existing)"}},
		{"size-only", []string{"--size-only"}, map[string]string{"a.txt": "local a, longer", "b.txt": "bb", "c.txt": "local c", "s.txt": "same"},
			[]string{"b.txt: same size (--size-only)", "s.txt: same size (--size-only)"}},
		{"checksum", []string{"--checksum"}, map[string]string{"a.txt": "local a, longer", "b.txt": "zz", "c.txt": "local c", "s.txt": "same"},
			[]string{"s.txt: same SHA-256"}},
		{"min-size", []string{"--min-size", "3"}, map[string]string{"a.txt": "local a, longer", "b.txt": "bb", "c.txt": "local c", "s.txt": "same"},
			[]string{"b.txt: 2 bytes, less than --min-size"}},
	} {
		t.Run("put/"+tc.name, func(t *testing.T) {
			home := t.TempDir()
			for name, data := range map[string]string{"a.txt": "local a, longer", "b.txt": "zz", "c.txt": "local c", "s.txt": "same"} {
				testsupport.WriteFile(t, filepath.Join(home, name), data)
			}
			up := filepath.Join(srv.Root(), "up-"+strings.ReplaceAll(tc.name, " ", "-"))
			for name, data := range map[string]string{"a.txt": "remote a", "b.txt": "bb", "s.txt": "same"} {
				testsupport.WriteFile(t, filepath.Join(up, name), data)
			}
			args := append([]string{"--json", "put"}, tc.args...)
			for _, name := range []string{"a.txt", "b.txt", "c.txt", "s.txt"} {
				args = append(args, filepath.Join(home, name))
			}
			args = append(args, "ftp://user:pass@"+srv.Addr()+"/"+filepath.Base(up)+"/")
			code, stdout, stderr := ferryRun(t, home, args...)
			if code != 0 {
				t.Errorf("exit %d\n%s", code, stderr)
			}
			if got := testsupport.Tree(t, up); !maps.Equal(got, tc.want) {
				t.Errorf("remote %q\nwant %q", got, tc.want)
			}
			var out struct {
				Kept []struct{ Action, Path, Reason string }
			}
			if err := json.Unmarshal([]byte(stdout), &out); err != nil {
				t.Fatal(err)
			}
			var kept []string
			for _, k := range out.Kept {
				kept = append(kept, filepath.Base(k.Path)+": "+k.Reason)
			}
			for _, n := range tc.notes {
				if !strings.Contains(stderr, n) || !strings.Contains(strings.Join(kept, "\n"), n) {
					t.Errorf("%q not on stderr and in --json's kept %q:\n%s", n, kept, stderr)
				}
			}
		})
	}
}

// get -r applies the rules to a file named and to the files a pattern
// matches as get does, in a dry run too; the limits say what they leave
// out.
func TestSingleFileRulesRecursive(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{})
	for name, data := range map[string]string{"d/a.txt": "server a", "d/b.txt": "server b", "d/sub/c.txt": "c"} {
		testsupport.WriteFile(t, filepath.Join(srv.Root(), name), data)
	}
	home := t.TempDir()
	dl := filepath.Join(home, "dl")
	testsupport.WriteFile(t, filepath.Join(dl, "a.txt"), "mine")
	url := "ftp://user:pass@" + srv.Addr() + "/d/"
	code, stdout, stderr := ferryRun(t, home, "get", "-r", "--only-missing", "--dry-run", url+"*", "-o", dl+"/")
	if code != 0 || strings.Contains(stdout, "a.txt") || !strings.Contains(stdout, "get    d/b.txt (new)") {
		t.Errorf("dry run: exit %d\n%s%s", code, stdout, stderr)
	}
	code, _, stderr = ferryRun(t, home, "get", "-r", "--only-missing", url+"*", url+"a.txt", "-o", dl+"/")
	want := map[string]string{"a.txt": "mine", "b.txt": "server b", "sub/": "", "sub/c.txt": "c"}
	if got := testsupport.Tree(t, dl); code != 0 || !maps.Equal(got, want) {
		t.Errorf("exit %d, local %q\n%s", code, got, stderr)
	}
	if n := strings.Count(stderr, "a.txt: exists (--only-missing)"); n != 2 {
		t.Errorf("%d notes for a.txt:\n%s", n, stderr)
	}
}

// get --newer-than on files whose days alone the listing gives: MDTM
// decides; without MDTM the file that the day cannot decide on is copied
// and named, never left out in silence.
func TestSingleFileTimeUndecided(t *testing.T) {
	for _, tc := range []struct {
		name  string
		cfg   ftptest.Config
		want  map[string]string
		notes []string
	}{
		{"MDTM", ftptest.Config{Disable: []string{"MLSD", "MLST"}}, map[string]string{"0501.log": "b", "0502.log": "c"},
			[]string{"skipped d/0430.log: modified 2024-04-30T12:00:00Z, before --newer-than"}},
		{"no MDTM", ftptest.Config{Disable: []string{"MLSD", "MLST", "MDTM"}}, map[string]string{"0430.log": "a", "0501.log": "b", "0502.log": "c"},
			[]string{"d/0430.log: time known only to the day: --newer-than cannot tell: copied all the same",
				"d/0501.log: time known only to the day: --newer-than cannot tell: copied all the same"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := ftptest.New(t, tc.cfg)
			for name, at := range map[string]time.Time{
				"0430.log:a": time.Date(2024, 4, 30, 12, 0, 0, 0, time.UTC),
				"0501.log:b": time.Date(2024, 5, 1, 11, 30, 0, 0, time.UTC),
				"0502.log:c": time.Date(2024, 5, 2, 12, 0, 0, 0, time.UTC),
			} {
				name, data, _ := strings.Cut(name, ":")
				writeAt(t, filepath.Join(srv.Root(), "d", name), data, at)
			}
			home := t.TempDir()
			dl := filepath.Join(home, "dl")
			if err := os.Mkdir(dl, 0o755); err != nil {
				t.Fatal(err)
			}
			code, _, stderr := ferryRun(t, home, "get", "--newer-than", "2024-05-01T00:00Z", "ftp://user:pass@"+srv.Addr()+"/d/*.log", "-o", dl+"/")
			if got := testsupport.Tree(t, dl); code != 0 || !maps.Equal(got, tc.want) {
				t.Errorf("exit %d, local %q, want %q\n%s", code, got, tc.want, stderr)
			}
			for _, n := range tc.notes {
				if !strings.Contains(stderr, n) {
					t.Errorf("stderr lacks %q:\n%s", n, stderr)
				}
			}
		})
	}
}
