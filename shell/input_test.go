package shell

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ferry-ftp/ferry/internal/ftptest"
	"github.com/ferry-ftp/ferry/internal/testsupport"
)

func TestRedact(t *testing.T) {
	tests := []struct{ line, masked, kept string }{
		{"user bob secret", "user bob ****", "user bob"},
		{"user bob", "user bob", "user bob"},
		{"-user bob secret", "-user bob ****", "-user bob"},
		{"open ftp://bob:secret@example.org/pub", "open ftp://bob:****@example.org/pub", "open ftp://bob@example.org/pub"},
		{"open ftp://bob@example.org/", "open ftp://bob@example.org/", "open ftp://bob@example.org/"},
		{"open work:", "open work:", "open work:"},
		{"open ftp://bob:se%zzcret@example.org/", "open ****", "open ****"},
		{"quote PASS secret", "quote PASS ****", ""},
		{"quote acct secret", "quote acct ****", ""},
		{"quote SYST", "quote SYST", "quote SYST"},
		{"get 'my file'", "get 'my file'", "get 'my file'"},
		{"user 'bob smith' 'se cret'", `user bob\ smith ****`, `user bob\ smith`},
	}
	for _, tt := range tests {
		if got := redact(tt.line, true); got != tt.masked {
			t.Errorf("redact(%q, mask) = %q, want %q", tt.line, got, tt.masked)
		}
		if got := redact(tt.line, false); got != tt.kept {
			t.Errorf("redact(%q) = %q, want %q", tt.line, got, tt.kept)
		}
	}
}

// TestHistory checks that the history file is private, holds no
// password, and that a new shell recalls its lines with the up arrow.
func TestHistory(t *testing.T) {
	file := filepath.Join(t.TempDir(), "state", "ferry", "history")
	withHistory := func(c *Config) { c.HistoryFile = file }
	srvCfg := ftptest.Config{}

	h := newHarness(t, srvCfg, withHistory)
	h.write("pub/x", "x")
	h.run("user user pass")
	h.run("quote PASS pass")
	h.run("cd pub")
	h.typeKeys("bye\n")
	<-h.done
	h.done <- nil
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(b), "user user\ncd pub\nbye\n"; got != want {
		t.Errorf("history file holds %q, want %q", got, want)
	}
	if fi, _ := os.Stat(file); fi.Mode().Perm() != 0o600 {
		t.Errorf("history file mode %v", fi.Mode().Perm())
	}

	// An older file readable by others is made private.
	os.WriteFile(file, []byte("user user\ncd pub\n"), 0o644)
	os.Chmod(file, 0o644)
	h2 := startHarness(t, ftptest.Config{}, true, withHistory)
	h2.write("pub/x", "x")
	if fi, _ := os.Stat(file); fi.Mode().Perm() != 0o600 {
		t.Errorf("history file mode %v after opening", fi.Mode().Perm())
	}
	// Up arrow, Enter: cd pub again.
	h2.run("\x1b[A")
	if got := h2.prompt(); got != "ftp 127.0.0.1:/pub> " {
		t.Errorf("up arrow did not recall cd pub: prompt %q, screen %q", got, h2.screen.String())
	}
}

func TestHistoryIsTrimmed(t *testing.T) {
	file := filepath.Join(t.TempDir(), "history")
	var b strings.Builder
	for i := range historyLimit + 10 {
		b.WriteString("lpwd " + strings.Repeat("x", i%3) + "\n")
	}
	os.WriteFile(file, []byte(b.String()), 0o644)
	var mem []string
	h, err := openHistory(file, func(s string) error { mem = append(mem, s); return nil })
	if err != nil {
		t.Fatal(err)
	}
	h.close()
	if len(mem) != historyLimit {
		t.Errorf("loaded %d lines, want %d", len(mem), historyLimit)
	}
	data, _ := os.ReadFile(file)
	if n := strings.Count(string(data), "\n"); n != historyLimit {
		t.Errorf("file keeps %d lines, want %d", n, historyLimit)
	}
	if fi, _ := os.Stat(file); fi.Mode().Perm() != 0o600 {
		t.Errorf("rewritten file mode %v", fi.Mode().Perm())
	}
}

func TestCompletion(t *testing.T) {
	h := newHarness(t, ftptest.Config{}, func(c *Config) {
		c.Bookmarks = func() ([]Bookmark, error) { return []Bookmark{{Name: "work", URL: "ftp://w/"}}, nil }
	})
	h.write("pub/hello.txt", "hello")
	h.write("pub/sub/x", "x")
	h.write("readme", "r")
	h.writeLocal("local.txt", "l")
	h.writeLocal("ldir/y", "y")
	ctx := context.Background()
	complete := func(line string) []string {
		_, start := splitForTest(line)
		return h.sh.complete(ctx, line, line[start:])
	}
	tests := []struct {
		line string
		want []string
	}{
		{"mg", []string{"mget"}},
		{"r", []string{"reget", "rename", "reput", "rm", "rmdir"}},
		{"get ", []string{"pub/", "readme"}},
		{"get pu", []string{"pub/"}},
		{"get pub/", []string{"pub/hello.txt", "pub/sub/"}},
		{"cd /pub/s", []string{"/pub/sub/"}},
		{"cd ", []string{"pub/"}},                                   // folders only: not readme
		{"cd pub/", []string{"pub/sub/"}},                           // not pub/hello.txt
		{"rmdir pub/", []string{"pub/sub/"}},                        // folders only
		{"lcd ", []string{"ldir/"}},                                 // not local.txt
		{"get --seg", []string{"--segments"}},                       // the operation's flags
		{"mirror --del", []string{"--delete", "--delete-excluded"}}, // the same as ferry mirror's
		{"get -r --exclude x pu", []string{"pub/"}},                 // flags are not arguments
		{"get -rx x pu", []string{"pub/"}},
		{"get -P8 pu", []string{"pub/"}},
		{"get pub/hello.txt -o l", []string{"ldir/", "local.txt"}},
		{"ls -l pub/h", []string{"pub/hello.txt"}},
		{"get readme l", []string{"ldir/", "local.txt"}},
		{"put l", []string{"ldir/", "local.txt"}},
		{"put local.txt p", []string{"pub/"}},
		{"lcd ld", []string{"ldir/"}},
		{"!cat lo", []string{"local.txt"}},
		{"open w", []string{"work"}},
		{"open ftp", []string{"ftp://", "ftpes://", "ftps://"}},
		{"help mk", []string{"mkdir"}},
		{"pwd ", nil},
		{"frob ", nil},
	}
	for _, tt := range tests {
		if got := complete(tt.line); !slices.Equal(got, tt.want) {
			t.Errorf("complete(%q) = %q, want %q", tt.line, got, tt.want)
		}
	}
	// Completion lists through a cache that changes invalidate.
	h.runOK("cd pub")
	listings := func() int {
		n := 0
		for _, c := range h.srv.Commands() {
			if c == "MLSD /pub" {
				n++
			}
		}
		return n
	}
	complete("get ")
	complete("get ")
	if n := listings(); n != 1 {
		t.Errorf("two completions listed /pub %d times, want once", n)
	}
	h.writeLocal("new.txt", "n")
	h.runOK("put new.txt")
	if got := complete("get n"); !slices.Equal(got, []string{"new.txt"}) {
		t.Errorf("after put, complete(get n) = %q", got)
	}
	h.runOK("mkdir made")
	h.runOK("rename new.txt made/new.txt")
	if got := complete("get made/"); !slices.Equal(got, []string{"made/new.txt"}) {
		t.Errorf("after rename, complete(get made/) = %q", got)
	}
	h.runOK("delete made/new.txt")
	h.runOK("rmdir made")
	if got := complete("get m"); got != nil {
		t.Errorf("after rmdir, complete(get m) = %q", got)
	}

	// Tab through readline: the single candidate is inserted.
	h.runOK("prompt")
	h.run("get hel\t")
	if testsupport.ReadFile(filepath.Join(h.local, "hello.txt")) != "hello" {
		t.Errorf("tab completion did not give get hello.txt; screen %q", h.screen.String())
	}
}

// splitForTest returns the words of line and where its last word starts.
func splitForTest(line string) ([]string, int) {
	if strings.HasSuffix(line, " ") || line == "" {
		return nil, len(line)
	}
	i := strings.LastIndexByte(line, ' ')
	return nil, i + 1
}

func TestStripComment(t *testing.T) {
	for line, want := range map[string]string{
		"-delete old.zip       # may fail":    "-delete old.zip       ",
		"# a whole line":                      "",
		"get a#b.txt":                         "get a#b.txt",
		`get 'a #b.txt'`:                      `get 'a #b.txt'`,
		`get "a #b.txt" # c`:                  `get "a #b.txt" `,
		`get a\ \#b.txt`:                      `get a\ \#b.txt`,
		"!echo hi # kept for the local shell": "!echo hi # kept for the local shell",
		"ls\t#tab":                            "ls\t",
	} {
		if got := stripComment(line); got != want {
			t.Errorf("stripComment(%q) = %q, want %q", line, got, want)
		}
	}
}
