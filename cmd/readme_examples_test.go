package cmd_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ferry-ftp/ferry/internal/testsupport"
)

// readmeExample is what one example of README.md must do.
type readmeExample struct {
	// line is the example as README.md writes it without its trailing
	// comment: "ferry ..." or, for a line of a shell session, the
	// command after the prompt.
	line string
	// login is the user the server must see log in ("anonymous" for an
	// address without one); empty, the example must not connect. The
	// lines of a shell session leave it to their ferry shell.
	login string
	// tls says the session must be TLS (AUTH TLS, PROT P).
	tls bool
	// before prepares what the example changes, so that an example that
	// does nothing fails.
	before func(t *testing.T, e *readmeEnv)
	// check asserts what the example did.
	check func(t *testing.T, e *readmeEnv, r *readmeRun)
}

// readmeExamples are README.md's examples, in its order, each with what it
// must do. An example added to README.md needs an entry here (and the
// files it names in testdata/readme/fixture.txtar): TestReadmeExamples
// fails until it has one.
var readmeExamples = []readmeExample{
	// Everyday use.
	{line: "ferry ls ftp://ftp.example.org/pub/", login: "anonymous",
		check: func(t *testing.T, e *readmeEnv, r *readmeRun) {
			e.wantExact(t, r.stdout, "docs\nfile.iso\nwww\n")
		}},
	// With $FERRY_PASSWORD set it does not ask: TestPasswordPromptOnTerminal
	// checks the prompt.
	{line: "ferry ls -l ftp://alice@ftp.example.org/", login: "alice",
		check: func(t *testing.T, e *readmeEnv, r *readmeRun) {
			var got []string
			for _, l := range strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n") {
				f := strings.Fields(l)
				got = append(got, f[0][:1]+" "+f[len(f)-1])
			}
			want := []string{"d albums", "d backups", "- big.img", "d data", "d logs", "- notes.txt",
				"d projects", "d pub", "d site", "d www"}
			if !slices.Equal(got, want) {
				t.Errorf("listed %q, want %q", got, want)
			}
			e.wantOutput(t, r.stdout, "-rw-r--r--      5242880 2024-01-02 03:04 big.img\n", "!\n\n")
		}},
	{line: "ferry get ftp://ftp.example.org/pub/file.iso", login: "anonymous",
		check: func(t *testing.T, e *readmeEnv, r *readmeRun) {
			e.wantFile(t, filepath.Join(e.local, "file.iso"), readmeISO)
		}},
	{line: "ferry get 'ftp://example.org/logs/*.gz'", login: "anonymous",
		check: func(t *testing.T, e *readmeEnv, r *readmeRun) {
			e.wantFile(t, filepath.Join(e.local, "app-1.gz"), readmeGz1)
			e.wantFile(t, filepath.Join(e.local, "app-2.gz"), readmeGz2)
			e.wantFile(t, filepath.Join(e.local, "today.txt"), "<missing>")
		}},
	{line: "ferry put backup.tar.gz ftpes://alice@example.org/backups/", login: "alice", tls: true,
		check: func(t *testing.T, e *readmeEnv, r *readmeRun) {
			e.wantTree(t, filepath.Join(e.remote, "backups"), map[string]string{"backup.tar.gz": "a backup to upload\n"})
		}},
	{line: "ferry cat ftp://example.org/notes.txt | less", login: "anonymous",
		check: func(t *testing.T, e *readmeEnv, r *readmeRun) {
			e.wantExact(t, r.stdout, "Remember: the notes are read with ferry cat.\n")
		}},
	{line: "ferry stat --json ftp://example.org/pub/file.iso", login: "anonymous",
		check: func(t *testing.T, e *readmeEnv, r *readmeRun) {
			var got map[string]any
			if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
				t.Fatalf("stdout is not a JSON object: %v", err)
			}
			want := map[string]any{"name": "file.iso", "path": "pub/file.iso", "type": "file", "size": 200000.0,
				"modified": "2024-01-02T03:04:05Z", "mode": "0644"}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("stat --json gave %v, want %v", got, want)
			}
		}},
	{line: "ferry bookmark add work ftpes://alice@example.org/projects",
		check: func(t *testing.T, e *readmeEnv, r *readmeRun) {
			conf := testsupport.ReadFile(filepath.Join(e.home, ".config/ferry/config.toml"))
			e.wantOutput(t, conf, "[site.work]\nhost = '127.0.0.1'\n", "\nuser = 'alice'\ntls = 'explicit'\npath = 'projects'\n",
				"!"+readmePassword)
		}},
	{line: "ferry get work:reports/q3.pdf", login: "alice", tls: true,
		check: func(t *testing.T, e *readmeEnv, r *readmeRun) {
			e.wantFile(t, filepath.Join(e.local, "q3.pdf"), "%PDF-1.4 the third quarter\n")
		}},

	// Trees and big files.
	{line: "ferry mirror ftp://ftp.example.org/pub/ ./pub", login: "anonymous",
		check: func(t *testing.T, e *readmeEnv, r *readmeRun) {
			e.wantTree(t, filepath.Join(e.local, "pub"), e.remoteTree(t, "pub"))
			if r.count("RETR pub/file.iso") != 0 || r.count("RETR pub/docs/guide.txt") != 1 {
				t.Errorf("the mirror should fetch the changed guide.txt only, not file.iso: %q", r.commands)
			}
		}},
	{line: "ferry mirror --delete --parallel 8 ftp://example.org/site ./site", login: "anonymous",
		check: func(t *testing.T, e *readmeEnv, r *readmeRun) {
			e.wantTree(t, filepath.Join(e.local, "site"), e.remoteTree(t, "site")) // old.html deleted
		}},
	{line: "ferry mirror -R --only-newer ./site ftp://alice@example.org/www", login: "alice",
		check: func(t *testing.T, e *readmeEnv, r *readmeRun) {
			e.wantTree(t, filepath.Join(e.remote, "www"), map[string]string{
				"index.html": "<h1>site v2</h1>\n", "css/": "",
				"css/style.css": "body { color: red } /* newer than ./site's: --only-newer keeps it */\n",
				"extra.txt":     "only on the server; mirror without --delete keeps it\n"})
		}},
	{line: "ferry mirror --dry-run --exclude '*.tmp' ftp://example.org/data ./data", login: "anonymous",
		check: func(t *testing.T, e *readmeEnv, r *readmeRun) {
			e.wantExact(t, r.stdout, "get    a.csv (new)\nget    b.csv (new)\n")
			e.wantTree(t, filepath.Join(e.local, "data"), nil)
			if r.count("RETR") != 0 {
				t.Errorf("a dry run downloaded: %q", r.commands)
			}
		}},
	{line: "ferry get -r ftp://example.org/pub/docs -o mirror/", login: "anonymous",
		check: func(t *testing.T, e *readmeEnv, r *readmeRun) {
			e.wantTree(t, filepath.Join(e.local, "mirror"), map[string]string{"docs/": "", "docs/guide.txt": "guide, second edition\n",
				"docs/api/": "", "docs/api/index.html": "<h1>API</h1>\n"})
		}},
	{line: "ferry put -r ./photos ftp://alice@example.org/albums/", login: "alice",
		check: func(t *testing.T, e *readmeEnv, r *readmeRun) {
			e.wantTree(t, filepath.Join(e.remote, "albums"), map[string]string{"photos/": "", "photos/beach.jpg": "sand and sea\n",
				"photos/2024/": "", "photos/2024/snow.jpg": "snow\n"})
		}},
	{line: "ferry get --segments 4 --verify ftp://example.org/big.img", login: "anonymous",
		check: func(t *testing.T, e *readmeEnv, r *readmeRun) {
			e.wantFile(t, filepath.Join(e.local, "big.img"), readmeBig)
			if r.count("RETR big.img") != 4 || r.count("HASH big.img") != 1 {
				t.Errorf("want 4 RETR (one a segment) and a HASH to verify: %q", r.commands)
			}
		}},
	{line: "ferry mirror --limit-rate 2M ftp://example.org/logs ./logs", login: "anonymous",
		check: func(t *testing.T, e *readmeEnv, r *readmeRun) {
			e.wantTree(t, filepath.Join(e.local, "logs"), e.remoteTree(t, "logs"))
			// 1 MiB at 2 MiB/s, less the limiter's burst of 64 KiB.
			if r.elapsed < 400*time.Millisecond {
				t.Errorf("1 MiB at 2 MiB/s took %v", r.elapsed)
			}
		}},
	// One server stands for both: it sends the file to itself by FXP.
	{line: "ferry cp ftp://alice@example.org/big.img ftp://alice@example.org/backups/", login: "alice",
		check: func(t *testing.T, e *readmeEnv, r *readmeRun) {
			e.wantFile(t, filepath.Join(e.remote, "backups", "big.img"), readmeBig)
			if r.count("PASV") != 1 || r.count("PORT ") != 1 || r.count("RETR big.img") != 1 || r.count("STOR backups/.big.img.ferry-") != 1 {
				t.Errorf("want a copy by FXP: %q", r.commands)
			}
		}},

	// The ftp> shell: the session's lines are its input.
	{line: "ferry shell ftp://alice@example.org/", login: "alice",
		check: func(t *testing.T, e *readmeEnv, r *readmeRun) {
			e.wantOutput(t, r.stderr, "ftp> cd pub\nftp> get file.iso\n", "ftp> help\n")
		}},
	{line: "cd pub",
		check: func(t *testing.T, e *readmeEnv, r *readmeRun) {
			if r.count("CWD pub") != 1 {
				t.Errorf("no CWD pub: %q", r.commands)
			}
		}},
	{line: "get file.iso",
		before: func(t *testing.T, e *readmeEnv) {
			if err := os.Remove(filepath.Join(e.local, "file.iso")); err != nil {
				t.Fatal(err)
			}
		},
		check: func(t *testing.T, e *readmeEnv, r *readmeRun) {
			e.wantFile(t, filepath.Join(e.local, "file.iso"), readmeISO)
		}},
	{line: "mput *.log",
		check: func(t *testing.T, e *readmeEnv, r *readmeRun) {
			e.wantFile(t, filepath.Join(e.remote, "pub/a.log"), "log a\n")
			e.wantFile(t, filepath.Join(e.remote, "pub/b.log"), "log b\n")
		}},
	{line: "mirror -R --delete site www",
		check: func(t *testing.T, e *readmeEnv, r *readmeRun) {
			e.wantTree(t, filepath.Join(e.remote, "pub/www"), testsupport.Tree(t, filepath.Join(e.local, "site"))) // stale.html deleted
		}},
	// help lists every command README says the shell has.
	{line: "help",
		check: func(t *testing.T, e *readmeEnv, r *readmeRun) {
			md := strings.Join(strings.Fields(testsupport.ReadFile("../README.md")), " ")
			m := regexp.MustCompile(`The shell has the classic commands \(([^)]*)\)`).FindStringSubmatch(md)
			if m == nil {
				t.Fatal(`README.md no longer says "The shell has the classic commands (...)"`)
			}
			for _, name := range strings.Split(m[1], ", ") {
				name = strings.Trim(name, "`")
				if !regexp.MustCompile(`(?m)^ +` + regexp.QuoteMeta(name) + ` `).MatchString(r.stdout) {
					t.Errorf("help does not list %q, which README.md names", name)
				}
			}
		}},
}

// wantFile checks that the file at p holds want.
func (e *readmeEnv) wantFile(t *testing.T, p, want string) {
	t.Helper()
	if got := testsupport.ReadFile(p); got != want {
		t.Errorf("%s: %d bytes %.40q, want %d bytes %.40q", p, len(got), got, len(want), want)
	}
}

// wantTree checks that the folder at p holds exactly want (see
// testsupport.Tree).
func (e *readmeEnv) wantTree(t *testing.T, p string, want map[string]string) {
	t.Helper()
	got := map[string]string{}
	if _, err := os.Stat(p); err == nil {
		got = testsupport.Tree(t, p)
	}
	for name, data := range want {
		if g, ok := got[name]; !ok {
			t.Errorf("%s: %s is missing", p, name)
		} else if g != data {
			t.Errorf("%s: %s holds %d bytes %.40q, want %d bytes %.40q", p, name, len(g), g, len(data), data)
		}
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			t.Errorf("%s: %s should not be there", p, name)
		}
	}
}

// remoteTree returns what the remote folder p holds now, read from the
// server's disk.
func (e *readmeEnv) remoteTree(t *testing.T, p string) map[string]string {
	t.Helper()
	return testsupport.Tree(t, filepath.Join(e.remote, p))
}

// wantOutput checks that out holds each of the strings and none of those
// that start with "!".
func (e *readmeEnv) wantOutput(t *testing.T, out string, want ...string) {
	t.Helper()
	for _, w := range want {
		if no, ok := strings.CutPrefix(w, "!"); ok {
			if strings.Contains(out, no) {
				t.Errorf("%q should not hold %q", out, no)
			}
		} else if !strings.Contains(out, w) {
			t.Errorf("%q should hold %q", out, w)
		}
	}
}

// wantExact checks that out is want.
func (e *readmeEnv) wantExact(t *testing.T, out, want string) {
	t.Helper()
	if out != want {
		t.Errorf("got %q, want %q", out, want)
	}
}
