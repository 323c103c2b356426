package cmd_test

import (
	"context"
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ferry-ftp/ferry/cmd"
	"github.com/ferry-ftp/ferry/internal/ftptest"
	"github.com/ferry-ftp/ferry/internal/testsupport"
)

// ferryRun runs ferry in-process with cmd.Run, with home as its home
// folder and no configuration, and returns the exit code, stdout and
// stderr. Local paths in args should be absolute.
func ferryRun(t *testing.T, home string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut testsupport.LockedBuffer
	f := &cmd.Factory{
		IO:     &cmd.IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut},
		Opts:   &cmd.GlobalOptions{},
		Getenv: func(string) string { return "" },
		Home:   func() (string, error) { return home, nil },
	}
	full := append([]string{"--config", filepath.Join(home, "none.toml"), "--retries", "0"}, args...)
	code := cmd.Run(context.Background(), f, full)
	return code, out.String(), errOut.String()
}

// writeAt writes content to p with the modification time at.
func writeAt(t *testing.T, p, content string, at time.Time) {
	t.Helper()
	testsupport.WriteFile(t, p, content)
	if err := os.Chtimes(p, at, at); err != nil {
		t.Fatal(err)
	}
}

// A file of the same size whose time the listing gives only to the day
// (an old file in LIST) cannot be compared when the server has no MDTM
// (not in FEAT, or answered 500): check names it and exits 8, as it does
// when MDTM is refused for that file, and mirror keeps it with a reason
// that says the time is unknown and one warning (outside probe of issue
// 16: check said "the folders match", exit 0, and mirror's reason was
// "same size and time").
func TestCheckTimeNotComparable(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  ftptest.Config
	}{
		{"no MDTM in FEAT", ftptest.Config{Disable: []string{"MLSD", "MLST", "MDTM"}}},
		{"MDTM answered 500", ftptest.Config{Disable: []string{"MLSD", "MLST"}, Hook: func(c ftptest.Command) *ftptest.Reply {
			if c.Verb == "MDTM" {
				return &ftptest.Reply{Code: 500, Text: "Unknown command."}
			}
			return nil
		}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := ftptest.New(t, tc.cfg)
			home := t.TempDir()
			writeAt(t, filepath.Join(srv.Root(), "site/a"), "version 1", time.Date(2024, 3, 1, 10, 0, 0, 0, time.UTC))
			writeAt(t, filepath.Join(home, "dl/a"), "version 2", time.Date(2024, 3, 1, 17, 0, 0, 0, time.UTC))
			url := "ftp://user:pass@" + srv.Addr() + "/site"
			dl := filepath.Join(home, "dl")

			code, stdout, stderr := ferryRun(t, home, "check", url, dl)
			if code != 8 || !strings.Contains(stdout, "error: a (time known only to the day, and the server offers no MDTM)") {
				t.Errorf("check: exit %d, want 8\n%s%s", code, stdout, stderr)
			}

			code, stdout, stderr = ferryRun(t, home, "--json", "mirror", "--dry-run", url, dl)
			var out struct {
				Plan []struct{ Action, Path, Reason string }
			}
			if err := json.Unmarshal([]byte(stdout), &out); err != nil || code != 0 {
				t.Fatalf("mirror --dry-run: exit %d, %v\n%s%s", code, err, stdout, stderr)
			}
			if len(out.Plan) != 1 || out.Plan[0].Action != "keep" || out.Plan[0].Reason != "same size; time unknown (the same day)" {
				t.Errorf("plan %+v", out.Plan)
			}
			if n := strings.Count(stderr, "kept for their size alone"); n != 1 || !strings.Contains(stderr, "(the first: a)") {
				t.Errorf("%d warnings:\n%s", n, stderr)
			}
		})
	}
}

// check --newer-than on a file whose day the listing gives: MDTM decides
// it, and it differs; without MDTM it is named, exit 8 (outside probe of
// issue 16: check --newer-than 2024-05-01T09:00Z said the folders match
// although the file of 11:30Z that day differed).
func TestCheckTimeLimitUndecided(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  ftptest.Config
		code int
		want string
	}{
		{"MDTM", ftptest.Config{Disable: []string{"MLSD", "MLST"}}, 1, "differs: b (size differs: 9, was 11)"},
		{"no MDTM", ftptest.Config{Disable: []string{"MLSD", "MLST", "MDTM"}}, 8, "error: b (time known only to the day: --newer-than cannot tell)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := ftptest.New(t, tc.cfg)
			home := t.TempDir()
			at := time.Date(2024, 5, 1, 11, 30, 0, 0, time.UTC)
			writeAt(t, filepath.Join(srv.Root(), "site/b"), "version 1", at)
			writeAt(t, filepath.Join(home, "dl/b"), "version two", at)
			url := "ftp://user:pass@" + srv.Addr() + "/site"
			code, stdout, stderr := ferryRun(t, home, "check", "--newer-than", "2024-05-01T09:00Z", url, filepath.Join(home, "dl"))
			if code != tc.code || !strings.Contains(stdout, tc.want) {
				t.Errorf("check: exit %d, want %d and %q\n%s%s", code, tc.code, tc.want, stdout, stderr)
			}
		})
	}
}

// A mirror that could not list some folders while other work succeeded
// (files compared and kept) is a partial success, exit 8, whatever the
// listing's failure; one that could read nothing keeps the failure's own
// code (outside probe of issue 16: a subfolder vsftpd could not read was
// exit 1, a LIST answered 450 exit 5, with the other files done).
func TestMirrorPartialListing(t *testing.T) {
	var fault atomic.Value // the reply to the listing of site/sub, or of site
	fault.Store("")
	srv := ftptest.New(t, ftptest.Config{Hook: func(c ftptest.Command) *ftptest.Reply {
		f := fault.Load().(string)
		if f == "" || c.Verb != "MLSD" && c.Verb != "LIST" {
			return nil
		}
		dir, reply, _ := strings.Cut(f, "=")
		if !strings.HasSuffix(c.Arg, dir) {
			return nil
		}
		code, text, _ := strings.Cut(reply, " ")
		n, _ := strconv.Atoi(code)
		return &ftptest.Reply{Code: n, Text: text}
	}})
	for p, data := range map[string]string{"site/a.txt": "a", "site/sub/b.txt": "b"} {
		testsupport.WriteFile(t, filepath.Join(srv.Root(), p), data)
	}
	home := t.TempDir()
	url, dl := "ftp://user:pass@"+srv.Addr()+"/site", filepath.Join(home, "dl")
	if code, _, stderr := ferryRun(t, home, "mirror", url, dl); code != 0 {
		t.Fatalf("mirror: exit %d\n%s", code, stderr)
	}
	for _, tc := range []struct {
		fault string
		code  int
	}{
		{"site/sub=550 Permission denied.", 8},
		{"site/sub=450 Try again later.", 8},
		{"site=550 Permission denied.", 5},
	} {
		fault.Store(tc.fault)
		code, _, stderr := ferryRun(t, home, "mirror", url, dl)
		if code != tc.code {
			t.Errorf("%s: exit %d, want %d\n%s", tc.fault, code, tc.code, stderr)
		}
	}
}

// mirror --max-errors names each planned action it did not run, in
// --json's skips and in --log, as --max-delete names its refusals
// (outside probe of issue 16: only "N planned action(s) not run").
func TestMirrorMaxErrorsListed(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{Hook: func(c ftptest.Command) *ftptest.Reply {
		if c.Verb == "RETR" && strings.Contains(c.Arg, "bad") {
			return &ftptest.Reply{Code: 550, Text: "Permission denied."}
		}
		return nil
	}})
	for _, p := range []string{"bad1", "good2", "good3"} {
		testsupport.WriteFile(t, filepath.Join(srv.Root(), "site", p), p)
	}
	home := t.TempDir()
	dl, logFile := filepath.Join(home, "dl"), filepath.Join(home, "log.jsonl")
	testsupport.WriteFile(t, filepath.Join(dl, "stale"), "not in source")
	code, stdout, stderr := ferryRun(t, home, "--json", "mirror", "--parallel", "1", "--delete", "--max-errors", "1", "--log", logFile,
		"ftp://user:pass@"+srv.Addr()+"/site", dl)
	if code != 8 || !strings.Contains(stderr, "3 planned action(s) not run") {
		t.Fatalf("mirror: exit %d\n%s", code, stderr)
	}
	want := map[string]string{
		"good2": "not copied (new): --max-errors 1 reached",
		"good3": "not copied (new): --max-errors 1 reached",
		"stale": "not deleted (not in source): --max-errors 1 reached",
	}
	var out struct {
		Skips []struct{ Action, Path, Reason string }
	}
	if err := json.Unmarshal([]byte(stdout), &out); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, s := range out.Skips {
		got[filepath.Base(s.Path)] = s.Reason
	}
	if !maps.Equal(got, want) {
		t.Errorf("--json skips %q, want %q", got, want)
	}
	logged := map[string]string{}
	for line := range strings.Lines(testsupport.ReadFile(logFile)) {
		var l struct{ Path, Reason, Result string }
		if err := json.Unmarshal([]byte(line), &l); err != nil {
			t.Fatal(err)
		}
		if l.Result == "skipped" {
			logged[l.Path] = l.Reason
		}
	}
	if !maps.Equal(logged, want) {
		t.Errorf("--log skipped %q, want %q", logged, want)
	}
}

// logLines reads the --log file name: its lines by path.
func logLines(t *testing.T, name string) map[string]struct{ Reason, Result string } {
	t.Helper()
	out := map[string]struct{ Reason, Result string }{}
	for line := range strings.Lines(testsupport.ReadFile(name)) {
		var l struct{ Path, Reason, Result string }
		if err := json.Unmarshal([]byte(line), &l); err != nil {
			t.Fatal(err)
		}
		out[l.Path] = struct{ Reason, Result string }{l.Reason, l.Result}
	}
	return out
}

// A copy that fails with --backup-dir logs what became of the old file:
// left in place, with a copy in the backup folder for a download (the
// copy is made before the download), not moved for an upload (outside
// probe of issue 16: "the old copy moved to the backup folder").
func TestMirrorBackupFailedLogged(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{Hook: func(c ftptest.Command) *ftptest.Reply {
		if c.Verb == "RETR" || c.Verb == "STOR" {
			return &ftptest.Reply{Code: 550, Text: "Permission denied."}
		}
		return nil
	}})
	home := t.TempDir()
	testsupport.WriteFile(t, filepath.Join(srv.Root(), "site/a.txt"), "new version")
	testsupport.WriteFile(t, filepath.Join(home, "dl/a.txt"), "old")
	testsupport.WriteFile(t, filepath.Join(home, "up/a.txt"), "new version")
	testsupport.WriteFile(t, filepath.Join(srv.Root(), "www/a.txt"), "old")
	url := "ftp://user:pass@" + srv.Addr()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--backup-dir", filepath.Join(home, "bak"), url + "/site", filepath.Join(home, "dl")},
			"size differs: 11, was 3; the old file left in place, and a copy of it kept as " + filepath.Join(home, "bak", "a.txt")},
		{[]string{"-R", "--backup-dir", "/attic", filepath.Join(home, "up"), url + "/www"},
			"size differs: 11, was 3; the old file left in place"},
	} {
		logFile := filepath.Join(home, "log.jsonl")
		os.Remove(logFile)
		code, _, stderr := ferryRun(t, home, append([]string{"mirror", "--log", logFile}, tc.args...)...)
		if code != 5 {
			t.Errorf("mirror %q: exit %d, want 5\n%s", tc.args, code, stderr)
		}
		if got := logLines(t, logFile)["a.txt"]; got.Result != "failed" || got.Reason != tc.want {
			t.Errorf("mirror %q: logged %+v, want %q", tc.args, got, tc.want)
		}
	}
	if got := testsupport.ReadFile(filepath.Join(home, "dl/a.txt")); got != "old" {
		t.Errorf("dl/a.txt = %q", got)
	}
	if got := testsupport.ReadFile(filepath.Join(srv.Root(), "www/a.txt")); got != "old" {
		t.Errorf("www/a.txt = %q", got)
	}
}

// A source file that --remove-source-files could not remove fails its
// file's entry in --json: two files are two entries, one failed, and the
// exit code says partial success (outside probe of issue 16: three
// entries, "count": 3, for two files).
func TestMirrorRemoveSourceCount(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{Hook: func(c ftptest.Command) *ftptest.Reply {
		if c.Verb == "DELE" && strings.HasSuffix(c.Arg, "refused.txt") {
			return &ftptest.Reply{Code: 550, Text: "Permission denied."}
		}
		return nil
	}})
	for _, f := range []string{"refused.txt", "ok.txt"} {
		testsupport.WriteFile(t, filepath.Join(srv.Root(), "out", f), "data")
	}
	home := t.TempDir()
	code, stdout, stderr := ferryRun(t, home, "--json", "mirror", "--remove-source-files",
		"ftp://user:pass@"+srv.Addr()+"/out", filepath.Join(home, "dl"))
	var out struct {
		Files []struct {
			Remote, Error string
			Bytes         int64
		}
		Count, Failed  int
		SourcesRemoved int `json:"sources_removed"`
	}
	if err := json.Unmarshal([]byte(stdout), &out); err != nil {
		t.Fatal(err)
	}
	if code != 8 || out.Count != 2 || out.Failed != 1 || len(out.Files) != 2 || out.SourcesRemoved != 1 {
		t.Fatalf("exit %d, %+v\n%s", code, out, stderr)
	}
	for _, f := range out.Files {
		refused := strings.HasSuffix(f.Remote, "refused.txt")
		if f.Bytes != 4 || refused != strings.HasPrefix(f.Error, "source kept: ") {
			t.Errorf("entry %+v", f)
		}
	}
}

// mirror --dry-run --delete of a source that holds only empty folders is
// refused in a script as the real run is: the same message, exit 1
// (outside probe of issue 16: the dry run listed the deletions, exit 0).
func TestMirrorDryRunEmptySource(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{})
	if err := os.MkdirAll(filepath.Join(srv.Root(), "site/empty/deeper"), 0o755); err != nil {
		t.Fatal(err)
	}
	home := t.TempDir()
	dl := filepath.Join(home, "dl")
	testsupport.WriteFile(t, filepath.Join(dl, "a.txt"), "a")
	url := "ftp://user:pass@" + srv.Addr() + "/site"
	var msgs []string
	for _, dry := range []bool{true, false} {
		args := []string{"mirror", "--delete", url, dl}
		if dry {
			args = append(args, "--dry-run")
		}
		code, stdout, stderr := ferryRun(t, home, args...)
		if code != 1 || stdout != "" {
			t.Errorf("%q: exit %d, want 1\n%s%s", args, code, stdout, stderr)
		}
		msgs = append(msgs, stderr)
	}
	if msgs[0] != msgs[1] || !strings.Contains(msgs[0], "the source folder is empty: --delete would delete all 1 path(s) of the destination; nothing was changed") {
		t.Errorf("dry run said %q, the real run %q", msgs[0], msgs[1])
	}
	if got := testsupport.ReadFile(filepath.Join(dl, "a.txt")); got != "a" {
		t.Errorf("a.txt = %q", got)
	}
}
