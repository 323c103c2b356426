package cmd_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
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
