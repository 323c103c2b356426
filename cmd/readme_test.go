package cmd_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/ferry-ftp/ferry/internal/ftptest"
	"github.com/ferry-ftp/ferry/internal/testsupport"
)

// TestReadmeExamples runs every example command of README.md's code
// blocks, in the README's order, in one folder against one server that
// holds every file they name (example.org, with or without ftp., is the
// server; alice logs in with $FERRY_PASSWORD; the server's certificate is
// trusted through SSL_CERT_FILE). Each must exit 0 and do what it says:
// readmeExamples holds what each one must leave behind or print. A line of
// a code block that the test cannot run, or that has no expectation, fails
// the test, so a README example cannot silently do nothing.
func TestReadmeExamples(t *testing.T) {
	if raceEnabled {
		t.Skip("runs ferry once for each example: make test runs it without the race detector, which would only slow each start")
	}
	md, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	cmds := parseReadme(t, string(md))
	want := map[string]*readmeExample{}
	for i := range readmeExamples {
		want[readmeExamples[i].line] = &readmeExamples[i]
	}
	used := map[string]bool{}
	lookup := func(line int, text string) *readmeExample {
		ex := want[text]
		switch {
		case ex == nil:
			t.Errorf("README.md:%d: %q has no expectation in readmeExamples: add what it must do", line, text)
		case used[text]:
			t.Errorf("README.md:%d: %q appears twice; give each example an expectation of its own", line, text)
			ex = nil
		}
		used[text] = true
		return ex
	}
	e := newReadmeEnv(t)
	for _, c := range cmds {
		ex := lookup(c.line, c.text)
		var session []*readmeExample
		for _, s := range c.session {
			session = append(session, lookup(s.line, s.key))
		}
		if ex == nil || slices.Contains(session, nil) {
			continue
		}
		t.Run(c.text, func(t *testing.T) {
			for _, x := range append([]*readmeExample{ex}, session...) {
				if x.before != nil {
					x.before(t, e)
				}
			}
			r := e.run(t, c)
			if r.code != 0 {
				t.Fatalf("README.md:%d: exit code %d, want 0\nstdout:\n%s\nstderr:\n%s\nserver received: %q",
					c.line, r.code, r.stdout, r.stderr, r.commands)
			}
			checkReadmeLogin(t, ex, r)
			for _, x := range append([]*readmeExample{ex}, session...) {
				if x.check == nil {
					t.Errorf("%q: the expectation has no check", x.line)
					continue
				}
				x.check(t, e, r)
			}
			if t.Failed() {
				t.Logf("README.md:%d: stdout:\n%s\nstderr:\n%s\nserver received: %q", c.line, r.stdout, r.stderr, r.commands)
			}
		})
	}
	for _, ex := range readmeExamples {
		if !used[ex.line] {
			t.Errorf("readmeExamples has %q, which README.md no longer shows: remove or update it", ex.line)
		}
	}
}

// checkReadmeLogin checks that the server saw the example's login, over TLS
// when it should, or no connection at all.
func checkReadmeLogin(t *testing.T, ex *readmeExample, r *readmeRun) {
	t.Helper()
	if ex.login == "" {
		if len(r.commands) > 0 {
			t.Errorf("the example should not connect; the server received %q", r.commands)
		}
		return
	}
	if r.count("USER "+ex.login) == 0 || r.count("PASS ") == 0 {
		t.Errorf("the server saw no login as %s: %q", ex.login, r.commands)
	}
	if ex.login == "alice" && r.count("PASS "+readmePassword) == 0 {
		t.Errorf("alice did not log in with $FERRY_PASSWORD: %q", r.commands)
	}
	if tls := r.count("AUTH TLS") > 0 && r.count("PROT P") > 0; tls != ex.tls {
		t.Errorf("TLS (AUTH TLS and PROT P) used: %v, want %v", tls, ex.tls)
	}
}

// readmeEnv is the server and the folders the examples share.
type readmeEnv struct {
	bin, local, remote, home, ca string
	srv                          *ftptest.Server
}

// readmeRun is what one example did.
type readmeRun struct {
	code           int
	stdout, stderr string
	commands       []string // what the server received
	elapsed        time.Duration
}

// count returns how many of the commands the server received start with
// prefix.
func (r *readmeRun) count(prefix string) int {
	n := 0
	for _, c := range r.commands {
		if strings.HasPrefix(c, prefix) {
			n++
		}
	}
	return n
}

// readmePassword is alice's password, given in $FERRY_PASSWORD.
const readmePassword = "s3cret"

// readmeTime dates every fixture file but two of www (see newReadmeEnv).
var readmeTime = time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)

// Generated fixtures: larger than txtar files are comfortable with.
var (
	readmeISO = readmeBytes(200_000, 1)
	readmeGz1 = readmeBytes(512<<10, 2)
	readmeGz2 = readmeBytes(512<<10, 3)
	readmeBig = readmeBytes(5<<20, 4) // four segments of at least 1 MiB
)

// readmeBytes returns n pseudo-random bytes from seed.
func readmeBytes(n int, seed uint32) string {
	b := make([]byte, n)
	x := 2463534242 ^ seed
	for i := range b {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		b[i] = byte(x)
	}
	return string(b)
}

// newReadmeEnv writes the fixture trees and starts the server: plain FTP,
// explicit TLS on request, anonymous logins and alice.
func newReadmeEnv(t *testing.T) *readmeEnv {
	t.Helper()
	base := t.TempDir()
	e := &readmeEnv{bin: ferryBinary(t), local: filepath.Join(base, "local"), remote: filepath.Join(base, "remote"),
		home: filepath.Join(base, "home"), ca: filepath.Join(base, "ca.pem")}
	ar, err := txtar.ParseFile("testdata/readme/fixture.txtar")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range ar.Files {
		testsupport.WriteFile(t, filepath.Join(base, f.Name), string(f.Data))
	}
	generated := map[string]string{
		"remote/pub/file.iso":  readmeISO,
		"remote/logs/app-1.gz": readmeGz1,
		"remote/logs/app-2.gz": readmeGz2,
		"remote/big.img":       readmeBig,
		"local/pub/file.iso":   readmeISO, // as the server has it: the mirror leaves it alone
	}
	for name, data := range generated {
		testsupport.WriteFile(t, filepath.Join(base, name), data)
	}
	for _, dir := range []string{"remote/backups", "remote/albums", "home"} {
		if err := os.MkdirAll(filepath.Join(base, dir), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	err = filepath.WalkDir(base, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		return os.Chtimes(p, readmeTime, readmeTime)
	})
	if err != nil {
		t.Fatal(err)
	}
	// ./site's files get the server's times from the first mirror; www
	// holds one file older than that and one newer.
	for name, tm := range map[string]time.Time{"www/index.html": readmeTime.Add(-24 * time.Hour),
		"www/css/style.css": readmeTime.Add(24 * time.Hour)} {
		if err := os.Chtimes(filepath.Join(e.remote, name), tm, tm); err != nil {
			t.Fatal(err)
		}
	}

	e.srv = ftptest.New(t, ftptest.Config{Root: e.remote, Anonymous: true, TLS: ftptest.TLSExplicit,
		Users: map[string]string{"alice": readmePassword}})
	if err := os.WriteFile(e.ca, e.srv.CertPEM(), 0o644); err != nil {
		t.Fatal(err)
	}
	return e
}

// run runs the example c in the local folder, with a shell session's
// lines on its stdin, as a pipe: the shell reads them as a batch script.
func (e *readmeEnv) run(t *testing.T, c readmeCommand) *readmeRun {
	t.Helper()
	port := e.srv.Addr()[strings.LastIndex(e.srv.Addr(), ":")+1:]
	var args []string
	for _, w := range c.words[1:] {
		args = append(args, readmeURL.ReplaceAllString(w, "${1}://${2}127.0.0.1:"+port+"${3}"))
	}
	var stdin strings.Builder
	for _, s := range c.session {
		stdin.WriteString(s.text + "\n")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, e.bin, args...)
	cmd.Dir = e.local
	cmd.Env = append(os.Environ(), "HOME="+e.home, "XDG_CONFIG_HOME="+filepath.Join(e.home, ".config"),
		"XDG_STATE_HOME="+filepath.Join(e.home, ".local", "state"), "FERRY_PASSWORD="+readmePassword,
		"SSL_CERT_FILE="+e.ca)
	cmd.Stdin = strings.NewReader(stdin.String())
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	e.srv.ResetCommands()
	start := time.Now()
	err := cmd.Run()
	r := &readmeRun{stdout: stdout.String(), stderr: stderr.String(), elapsed: time.Since(start)}
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		r.code = ee.ExitCode()
	case err != nil:
		t.Fatalf("ferry %s: %v", strings.Join(args, " "), err)
	}
	if ctx.Err() != nil {
		t.Fatalf("ferry %s: did not end within 30 s; stderr:\n%s", strings.Join(args, " "), r.stderr)
	}
	r.commands = e.srv.Commands()
	return r
}

// readmeCommand is a "ferry ..." line of README.md's code blocks.
type readmeCommand struct {
	line  int      // README.md's line number
	text  string   // as written, without its trailing comment
	words []string // as sh splits it, without a pager it is piped into
	// session are the "ftp HOST:/DIR> CMD" lines that follow a ferry
	// shell example: they run as its input.
	session []readmeSessionLine
}

// readmeSessionLine is a line typed at the ftp> prompt.
type readmeSessionLine struct {
	line int
	text string // the command after the prompt, as written
	key  string // text without its trailing comment
}

// readmeURL matches the example addresses, which all stand for the test
// server: $1 is the scheme, $2 the user with its "@", $3 the path.
var readmeURL = regexp.MustCompile(`^(ftp|ftpes)://([A-Za-z0-9._-]+@)?(?:ftp\.)?example\.org(/.*)?$`)

// readmePrompt matches a line of an ftp> session.
var readmePrompt = regexp.MustCompile(`^ftp [^ >]+> (.*)$`)

// readmeOther are the lines of README.md's code blocks that are not
// examples of ferry's commands: installing and testing it.
var readmeOther = []string{
	"go install github.com/ferry-ftp/ferry/cmd/ferry@latest",
	"make",
	"sudo make install",
	"make demo", // the demo runs ferry's commands itself
	"make test",
}

// parseReadme returns the ferry commands of md's code blocks. Every other
// line of a code block must be one of readmeOther, a line of a shell
// session after its ferry shell, or the batch script that
// testdata/script/readme_batch.txtar runs.
func parseReadme(t *testing.T, md string) []readmeCommand {
	t.Helper()
	var cmds []readmeCommand
	for _, b := range readmeBlocks(md) {
		if isBatchScript(t, b) {
			continue
		}
		first := len(cmds) // the block's first command
		for i, raw := range b.lines {
			line := b.start + i
			text := strings.TrimSpace(raw)
			if text == "" {
				continue
			}
			if m := readmePrompt.FindStringSubmatch(text); m != nil {
				key, err := cutReadmeComment(m[1])
				switch {
				case err != nil:
					t.Errorf("README.md:%d: %v", line, err)
				case len(cmds) == first || cmds[len(cmds)-1].words[1] != "shell" || strings.Contains(m[1], "example.org"):
					t.Errorf("README.md:%d: cannot run %q: a session line must follow its ferry shell in the same block and name no host", line, text)
				default:
					c := &cmds[len(cmds)-1]
					c.session = append(c.session, readmeSessionLine{line: line, text: m[1], key: key})
				}
				continue
			}
			words, err := splitReadmeCommand(text)
			if err == nil && (len(words) < 2 || words[0] != "ferry") {
				if stripped, _ := cutReadmeComment(text); slices.Contains(readmeOther, stripped) {
					continue
				}
				err = errors.New("not a ferry command, a session line, nor one of readmeOther")
			}
			for _, w := range words {
				if err == nil && (strings.Contains(w, "://") || strings.Contains(w, "example.org")) && !readmeURL.MatchString(w) {
					err = fmt.Errorf("%q is not an address the test can map to its server", w)
				}
			}
			if err != nil {
				t.Errorf("README.md:%d: cannot run %q: %v", line, text, err)
				continue
			}
			stripped, _ := cutReadmeComment(text)
			cmds = append(cmds, readmeCommand{line: line, text: stripped, words: words})
		}
	}
	if len(cmds) == 0 {
		t.Fatal("README.md shows no ferry command: is the parser broken?")
	}
	return cmds
}

// readmeBlock is an indented or fenced code block of a Markdown file.
type readmeBlock struct {
	start int // line number of lines[0]
	lines []string
}

// readmeBlocks returns md's code blocks: indented ones that follow a
// blank line, and fenced ones.
func readmeBlocks(md string) []readmeBlock {
	var blocks []readmeBlock
	var cur *readmeBlock
	fenced, prevBlank := false, true
	for i, l := range strings.Split(md, "\n") {
		switch {
		case strings.HasPrefix(strings.TrimSpace(l), "```"):
			if fenced = !fenced; fenced {
				blocks = append(blocks, readmeBlock{start: i + 2})
				cur = &blocks[len(blocks)-1]
			} else {
				cur = nil
			}
		case fenced:
			cur.lines = append(cur.lines, l)
		case strings.HasPrefix(l, "    ") || strings.HasPrefix(l, "\t"):
			if cur == nil && prevBlank {
				blocks = append(blocks, readmeBlock{start: i + 1})
				cur = &blocks[len(blocks)-1]
			}
			if cur != nil {
				cur.lines = append(cur.lines, l)
			}
		case strings.TrimSpace(l) == "":
			// A blank line may lie inside an indented block.
		default:
			cur = nil
		}
		prevBlank = strings.TrimSpace(l) == ""
	}
	return blocks
}

// isBatchScript reports whether b is README's batch script example, and
// checks that readme_batch.txtar runs it as written.
func isBatchScript(t *testing.T, b readmeBlock) bool {
	t.Helper()
	var lines []string
	for _, l := range b.lines {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	if len(lines) == 0 || !strings.HasPrefix(lines[0], "cd ") {
		return false
	}
	ar, err := txtar.ParseFile("testdata/script/readme_batch.txtar")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range ar.Files {
		if f.Name == "readme.ftp" {
			if got := strings.TrimSpace(string(f.Data)); got != strings.Join(lines, "\n") {
				t.Errorf("README.md:%d: the batch script differs from readme.ftp in testdata/script/readme_batch.txtar, which runs it:\n%s\nwant:\n%s",
					b.start, strings.Join(lines, "\n"), got)
			}
			return true
		}
	}
	t.Fatal("readme_batch.txtar has no readme.ftp")
	return false
}

// splitReadmeCommand splits a command line as sh does for the forms the
// README uses: words separated by blanks, '...' quoting, a "#" that starts
// a word begins a comment, and "| less" or "| head ..." at the end only
// pages the output and is dropped. Anything else that sh would treat
// specially is an error: the test could not run it as written.
func splitReadmeCommand(s string) ([]string, error) {
	var words []string
	var w strings.Builder
	inWord, quoted := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quoted && c == '\'':
			quoted = false
		case quoted:
			w.WriteByte(c)
		case c == '\'':
			quoted, inWord = true, true
		case c == ' ' || c == '\t':
			if inWord {
				words = append(words, w.String())
				w.Reset()
				inWord = false
			}
		case c == '#' && !inWord:
			return words, nil
		case c == '|' && !inWord:
			pager, err := splitReadmeCommand(s[i+1:])
			if err != nil || len(pager) == 0 || !slices.Contains([]string{"less", "more", "head"}, pager[0]) {
				return nil, fmt.Errorf("piped into %q, not a pager", s[i+1:])
			}
			return words, nil
		case strings.IndexByte("\"\\$`;&|<>(){}*?[]~", c) >= 0:
			return nil, fmt.Errorf("%q is special to sh: the test would not run it as sh does", c)
		default:
			w.WriteByte(c)
			inWord = true
		}
	}
	if quoted {
		return nil, errors.New("unterminated quote")
	}
	if inWord {
		words = append(words, w.String())
	}
	return words, nil
}

// cutReadmeComment returns s without a trailing comment (a "#" that starts a
// word outside quotes), trimmed.
func cutReadmeComment(s string) (string, error) {
	quoted := false
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '\'':
			quoted = !quoted
		case !quoted && s[i] == '#' && (i == 0 || s[i-1] == ' ' || s[i-1] == '\t'):
			return strings.TrimSpace(s[:i]), nil
		}
	}
	if quoted {
		return "", errors.New("unterminated quote")
	}
	return strings.TrimSpace(s), nil
}
