package shell

import (
	"bufio"
	"errors"
	"io"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/ferry-ftp/ferry/completion"
	"github.com/ferry-ftp/ferry/internal/ftpurl"
)

// batchSeeds are lines of batch scripts and typed commands: quoting,
// escapes, the "-" and "!" prefixes, and each kind of secret redact hides.
var batchSeeds = []string{
	"", "   ", "# comment", "cd /incoming", "-delete old.zip", "put new.zip",
	`get "my file.txt" 'other file'`, `get my\ file`, `get "unterminated`, `get trailing\`,
	"!ls -l", "!", "! ", "user bob secret", "-user bob secret", "user 'bob smith' 'se cret' extra",
	"open ftp://bob:secret@example.org/pub", "open ftp://bob:se%zzcret@example.org/",
	"open 'ftp://bob:a b@example.org/'", "quote PASS secret", `quote "acct" x y`,
	"mput *.log\r", "a\tb\r\nc", "get a\x00b",
}

// FuzzParseLine checks the shell's command-line parser: a line without
// words gives no command; a "!" line is one shell
// command; any other line splits as completion.SplitWords does; and words
// written with completion.Quote read back unchanged.
func FuzzParseLine(f *testing.F) {
	for _, s := range batchSeeds {
		f.Add(s, "x")
	}
	f.Add("get", "a b\\c\"d'e")
	f.Add("put", "")
	f.Fuzz(func(t *testing.T, line, word string) {
		name, args := parseLine(line)
		if strings.HasPrefix(line, "!") {
			rest := strings.TrimSpace(line[1:])
			if name != "!" || (rest == "") != (len(args) == 0) || len(args) > 1 || len(args) == 1 && args[0] != rest {
				t.Fatalf("parseLine(%q) = %q, %q", line, name, args)
			}
		} else {
			words, _ := completion.SplitWords(line)
			if len(words) == 0 && (name != "" || args != nil) || len(words) > 0 && (name != words[0] || !slices.Equal(args, words[1:])) {
				t.Fatalf("parseLine(%q) = %q, %q; SplitWords gives %q", line, name, args, words)
			}
		}

		// A command line built from quoted words reads back as those words.
		if name == "" || strings.HasPrefix(name, "!") {
			return
		}
		in := []string{name, word, line}
		quoted := make([]string, len(in))
		for i, w := range in {
			quoted[i] = completion.Quote(w)
		}
		built := strings.Join(quoted, " ")
		gotName, gotArgs := parseLine(built)
		if gotName != name || !slices.Equal(gotArgs, in[1:]) {
			t.Fatalf("parseLine(%q) = %q, %q; want %q", built, gotName, gotArgs, in)
		}
	})
}

// FuzzScriptReader checks the batch script reader: it returns each line of
// the script in order, without its line ending (LF, CRLF, or a last line
// with none), never a line holding LF, and then io.EOF.
func FuzzScriptReader(f *testing.F) {
	f.Add(strings.Join(batchSeeds, "\n"))
	f.Add(strings.Join(batchSeeds, "\r\n") + "\r\n")
	f.Add("no newline at the end")
	f.Add("\n\n\r\n")
	f.Add("a\r\r\nb\rc\n")
	f.Fuzz(func(t *testing.T, script string) {
		r := &scriptReader{r: bufio.NewReaderSize(strings.NewReader(script), 16)}
		var got []string
		for {
			line, err := r.readLine("")
			if errors.Is(err, io.EOF) {
				if line != "" {
					t.Fatalf("script %q: line %q with io.EOF", script, line)
				}
				break
			}
			if err != nil {
				t.Fatalf("script %q: %v", script, err)
			}
			if strings.Contains(line, "\n") || strings.HasSuffix(line, "\r") {
				t.Fatalf("script %q: line %q keeps a line ending", script, line)
			}
			got = append(got, line)
			if len(got) > len(script) {
				t.Fatalf("script %q: more lines than bytes", script)
			}
		}
		want := strings.Split(script, "\n")
		if want[len(want)-1] == "" {
			want = want[:len(want)-1]
		}
		for i := range want {
			want[i] = strings.TrimRight(want[i], "\r")
		}
		if !slices.Equal(got, want) {
			t.Fatalf("script %q: lines %q, want %q", script, got, want)
		}
	})
}

// FuzzRedact checks that batch echoes, messages and the history never keep
// a password: after redact, a "user" line keeps only its name (and
// "****" when masked), a "quote PASS" or "quote ACCT" line keeps "****"
// or nothing, an "open" URL has no password but "****", and any other
// line is unchanged. The "-" prefix of a batch line is kept, and
// redacting twice changes nothing more.
func FuzzRedact(f *testing.F) {
	for _, s := range batchSeeds {
		f.Add(s, "bob", "s3cr3t")
	}
	f.Add("open", "bob", "p@ss:w/rd")
	f.Add("user", "", "")
	f.Add("quote PASS", "x", "y")
	f.Fuzz(func(t *testing.T, line, user, pass string) {
		checkRedact(t, line)
		// The same with secrets from the fuzzer in every secret position.
		u := url.URL{Scheme: "ftp", User: url.UserPassword(user, pass), Host: "example.org", Path: "/" + line}
		for _, l := range []string{
			"user " + completion.Quote(user) + " " + completion.Quote(pass),
			"-user " + completion.Quote(user) + " " + completion.Quote(pass),
			"open " + completion.Quote(u.String()),
			"quote PASS " + completion.Quote(pass),
			"quote acct " + pass,
		} {
			checkRedact(t, l)
		}
	})
}

// checkRedact checks redact's promises for one line.
func checkRedact(t *testing.T, line string) {
	t.Helper()
	trimmed := line // as redact reads it
	if strings.HasPrefix(line, "-") {
		trimmed = strings.TrimSpace(line[1:])
	}
	name, args := parseLine(trimmed)
	c := lookup(name)
	for _, mask := range []bool{true, false} {
		got := redact(line, mask)
		// (A line ending in an escaped blank may lose it: redact, like
		// Run, trims the line after a "-".)
		if again := redact(got, mask); again != got && strings.TrimRight(got, " \t\r\n\v\f") == got {
			t.Fatalf("redact(%q, %v) = %q, but redact of that gives %q", line, mask, got, again)
		}
		if got == "" && line != "" {
			if mask || c == nil || c.name != "quote" || len(args) < 2 || !isSecretVerb(args[0]) {
				t.Fatalf("redact(%q, %v) dropped the line", line, mask)
			}
			continue
		}
		if strings.HasPrefix(line, "-") != strings.HasPrefix(got, "-") {
			t.Fatalf("redact(%q, %v) = %q: the \"-\" prefix changed", line, mask, got)
		}
		gotName, gotArgs := parseLine(strings.TrimPrefix(got, "-"))
		if c == nil || len(args) == 0 {
			if got != line && got != "-"+trimmed {
				t.Fatalf("redact(%q, %v) = %q changed a line without secrets", line, mask, got)
			}
			continue
		}
		if gotName != name {
			t.Fatalf("redact(%q, %v) = %q: command %q became %q", line, mask, got, name, gotName)
		}
		var want []string
		switch {
		case c.name == "user" && len(args) >= 2:
			want = []string{args[0]}
			if mask {
				want = append(want, "****")
			}
		case c.name == "quote" && len(args) >= 2 && isSecretVerb(args[0]):
			want = []string{args[0], "****"}
		case c.name == "open":
			if len(gotArgs) != len(args) {
				t.Fatalf("redact(%q, %v) = %q: %d arguments, want %d", line, mask, got, len(gotArgs), len(args))
			}
			if tg, err := ftpurl.Parse(gotArgs[0]); err == nil && tg.HasPassword && (!mask || tg.Password != "****") {
				t.Fatalf("redact(%q, %v) = %q keeps a password", line, mask, got)
			} else if err != nil && gotArgs[0] != args[0] && gotArgs[0] != "****" {
				t.Fatalf("redact(%q, %v) = %q: an address that does not parse became %q", line, mask, got, gotArgs[0])
			}
			if _, err := ftpurl.Parse(args[0]); err != nil && strings.Contains(args[0], "@") && gotArgs[0] != "****" {
				t.Fatalf("redact(%q, %v) = %q keeps user information that does not parse", line, mask, got)
			}
			continue
		default:
			// A word that is not an address is kept; an address loses
			// its password.
			if len(gotArgs) != len(args) {
				t.Fatalf("redact(%q, %v) = %q: %d arguments, want %d", line, mask, got, len(gotArgs), len(args))
			}
			for i, a := range args {
				if !strings.Contains(a, "://") {
					if gotArgs[i] != a {
						t.Fatalf("redact(%q, %v) = %q: argument %q became %q", line, mask, got, a, gotArgs[i])
					}
					continue
				}
				if tg, err := ftpurl.Parse(gotArgs[i]); err == nil && tg.HasPassword && (!mask || tg.Password != "****") {
					t.Fatalf("redact(%q, %v) = %q keeps a password", line, mask, got)
				}
			}
			continue
		}
		if !slices.Equal(gotArgs, want) {
			t.Fatalf("redact(%q, %v) = %q: arguments %q, want %q", line, mask, got, gotArgs, want)
		}
	}
}
