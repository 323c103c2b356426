package completion

import (
	"slices"
	"strings"
	"testing"
)

func TestSplitWords(t *testing.T) {
	tests := []struct {
		line      string
		words     []string
		lastStart int
	}{
		{"", nil, 0},
		{"   ", nil, 3},
		{"get", []string{"get"}, 0},
		{"get ", []string{"get"}, 4},
		{"get  a.txt", []string{"get", "a.txt"}, 5},
		{"get\ta b\t", []string{"get", "a", "b"}, 8},
		{`get my\ file.txt`, []string{"get", "my file.txt"}, 4},
		{`get "my file.txt"`, []string{"get", "my file.txt"}, 4},
		{`get 'my file.txt'`, []string{"get", "my file.txt"}, 4},
		{`get a"b c"d`, []string{"get", "ab cd"}, 4},
		{`get "open quote`, []string{"get", "open quote"}, 4},
		{`get 'open`, []string{"get", "open"}, 4},
		{`get ""`, []string{"get", ""}, 4},
		{`get "" `, []string{"get", ""}, 7},
		{`get trailing\`, []string{"get", "trailing"}, 4},
		{`get a\\b`, []string{"get", `a\b`}, 4},
		{`get "a\"b\\c\d"`, []string{"get", `a"b\c\d`}, 4},
		{`get 'a\b'`, []string{"get", `a\b`}, 4},
		{`get it\'s`, []string{"get", `it's`}, 4},
		{`get "it's"`, []string{"get", `it's`}, 4},
		{"put ünï\\ côdé", []string{"put", "ünï côdé"}, 4},
	}
	for _, tt := range tests {
		words, start := SplitWords(tt.line)
		if !slices.Equal(words, tt.words) || start != tt.lastStart {
			t.Errorf("SplitWords(%q) = %q, %d; want %q, %d", tt.line, words, start, tt.words, tt.lastStart)
		}
	}
}

func TestQuote(t *testing.T) {
	for in, want := range map[string]string{
		"plain":       "plain",
		"my file.txt": `my\ file.txt`,
		`say "hi"`:    `say\ \"hi\"`,
		"it's":        `it\'s`,
		`C:\dir`:      `C:\\dir`,
		"":            `""`,
		"tab\tx":      "tab\\\tx",
	} {
		if got := Quote(in); got != want {
			t.Errorf("Quote(%q) = %q, want %q", in, got, want)
		}
	}
}

// quoteCases are words that must survive Quote and SplitWords.
var quoteCases = []string{
	"", "a", "my file.txt", `"`, `'`, `\`, `\\ "' `, "  lead", "trail  ",
	"tab\tnew\nline\r", "ünï côdé", `a"b'c\d e`, "100%", "#x", "-",
}

func TestQuoteRoundTrip(t *testing.T) {
	for _, s := range quoteCases {
		checkQuoteRoundTrip(t, s)
	}
	// All the words at once, as one line.
	var quoted []string
	for _, s := range quoteCases {
		quoted = append(quoted, Quote(s))
	}
	if words, _ := SplitWords(strings.Join(quoted, " ")); !slices.Equal(words, quoteCases) {
		t.Errorf("joined line splits into %q, want %q", words, quoteCases)
	}
}

func FuzzQuoteRoundTrip(f *testing.F) {
	for _, s := range quoteCases {
		f.Add(s)
	}
	f.Fuzz(checkQuoteRoundTrip)
}

func checkQuoteRoundTrip(t *testing.T, s string) {
	q := Quote(s)
	words, start := SplitWords("cmd " + q)
	if len(words) != 2 || words[1] != s || start != 4 {
		t.Errorf("SplitWords(%q) = %q, %d; want [cmd %q], 4", "cmd "+q, words, start, s)
	}
}

// TestContinueWord checks that the text continueWord adds gives the
// intended word, whatever quoting the typed part used.
func TestContinueWord(t *testing.T) {
	typed := []string{`my`, `"my`, `'my`, `m"y`, `my\`, `"my\`}
	rests := []string{"", " file.txt", `"quoted"`, `it's`, `back\slash`, "tab\t"}
	for _, ty := range typed {
		_, _, st := scan(ty)
		words, _ := SplitWords(ty)
		for _, rest := range rests {
			for _, final := range []bool{false, true} {
				add, ok := continueWord(st, rest, final)
				if !ok {
					if !st.escape {
						t.Errorf("continueWord(%q, %q) refused", ty, rest)
					}
					continue
				}
				line := ty + add
				got, start := SplitWords(line)
				want := words[0]
				if len(got) != 1 || got[0] != want+rest {
					t.Errorf("%q + %q splits into %q, want [%q]", ty, add, got, want+rest)
				}
				if final != (start == len(line)) {
					t.Errorf("%q + %q (final %v): lastStart %d of %d", ty, add, final, start, len(line))
				}
			}
		}
	}
}
