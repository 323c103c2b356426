package completion

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"
)

// shellFunc completes command names in the first word and remote paths
// from l after them, as the shell does.
func shellFunc(l Lister) Func {
	commands := []string{"get", "put", "ls", "lcd", "lls", "open"}
	return func(ctx context.Context, line, word string) []string {
		words, start := SplitWords(line)
		n := len(words)
		if start < len(line) {
			n-- // word is words[n]
		}
		if n == 0 {
			return Names(word, commands)
		}
		c, _ := Remote(ctx, l, "", word)
		return c
	}
}

func runes(ss []string) [][]rune {
	var out [][]rune
	for _, s := range ss {
		out = append(out, []rune(s))
	}
	return out
}

func TestAdapterDo(t *testing.T) {
	a := ReadlineAdapter(shellFunc(newTree()), time.Second)
	tests := []struct {
		line   string
		pos    int // -1: end of line
		want   []string
		length int
	}{
		// The readline contract's own example, with commands.
		{"l", -1, []string{"cd ", "ls ", "s "}, 1},
		{"ls", -1, []string{" "}, 2},
		{"", -1, []string{"get ", "lcd ", "lls ", "ls ", "open ", "put "}, 0},
		{"get pa", -1, []string{"ck.tgz ", "tches/"}, 2},
		{"get ", -1, []string{"Readme ", "latest ", `my\ dir/`, `my\ file.txt `, "pack.tgz ", "patches/", "pub/", "readme.md "}, 0},
		{"get pub/", -1, []string{`a\ b.txt `, "a.txt ", "alpha/"}, 4},
		{"get pack.tgz", -1, []string{" "}, 8},
		{"get pub", -1, []string{"/"}, 3},
		// Quoting styles are continued.
		{"get my", -1, []string{`\ dir/`, `\ file.txt `}, 2},
		{`get my\ f`, -1, []string{"ile.txt "}, 5},
		{`get my\`, -1, []string{" dir/", " file.txt "}, 3},
		{`get "my`, -1, []string{" dir/", ` file.txt" `}, 3},
		{`get "my dir/`, -1, []string{`inner" `}, 8},
		{`get 'my f`, -1, []string{`ile.txt' `}, 5},
		{`get m"y f`, -1, []string{`ile.txt" `}, 5},
		// The cursor, not the end of the line, ends the word.
		{"get pa rest", 6, []string{"ck.tgz ", "tches/"}, 2},
		{"get pa rest", 5, []string{"ack.tgz ", "atches/", "ub/"}, 1},
		{"get zzz", -1, nil, 0},
		{"get nowhere/x", -1, nil, 0},
	}
	for _, tt := range tests {
		line := []rune(tt.line)
		pos := tt.pos
		if pos < 0 {
			pos = len(line)
		}
		got, length := a.Do(line, pos)
		if !slices.EqualFunc(got, runes(tt.want), slices.Equal) || length != tt.length {
			t.Errorf("Do(%q, %d) = %q, %d; want %q, %d", tt.line, pos, got, length, tt.want, tt.length)
		}
	}
}

func TestAdapterRunes(t *testing.T) {
	f := func(ctx context.Context, line, word string) []string {
		return Names(word, []string{"naïve.txt", "naïf/", "other", "bad\xffname"})
	}
	a := ReadlineAdapter(f, time.Second)
	got, length := a.Do([]rune("get naï"), 7)
	want := runes([]string{"f/", "ve.txt "})
	if !slices.EqualFunc(got, want, slices.Equal) || length != 3 {
		t.Errorf("Do = %q, %d; want %q, 3", got, length, want)
	}
	// Bytes that are not UTF-8 cannot be typed into a rune buffer.
	if got, _ := a.Do([]rune("get ba"), 6); got != nil {
		t.Errorf("Do offered %q", got)
	}
}

func TestAdapterBadInput(t *testing.T) {
	a := ReadlineAdapter(shellFunc(newTree()), time.Second)
	for _, pos := range []int{-1, 4} {
		if got, n := a.Do([]rune("get"), pos); got != nil || n != 0 {
			t.Errorf("Do(get, %d) = %q, %d", pos, got, n)
		}
	}
	// Candidates that do not extend the word are dropped, duplicates too.
	f := func(ctx context.Context, line, word string) []string {
		return []string{"x/a", "b", "x/a", "x/b"}
	}
	got, n := ReadlineAdapter(f, 0).Do([]rune("cd x/"), 5)
	if want := runes([]string{"a ", "b "}); !slices.EqualFunc(got, want, slices.Equal) || n != 2 {
		t.Errorf("Do = %q, %d; want %q, 2", got, n, want)
	}
}

// TestAdapterTimeout checks that a Func that ignores its context and
// blocks does not hold the shell: Do returns nothing at the timeout.
func TestAdapterTimeout(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	f := func(ctx context.Context, line, word string) []string {
		<-release
		return []string{"late"}
	}
	start := time.Now()
	got, n := ReadlineAdapter(f, 50*time.Millisecond).Do([]rune("get l"), 5)
	if elapsed := time.Since(start); elapsed > 2*time.Second {
		t.Errorf("Do took %v with a 50ms timeout", elapsed)
	}
	if got != nil || n != 0 {
		t.Errorf("Do = %q, %d; want nothing", got, n)
	}

	// A blocking Lister under Remote gives the same result.
	l := newTree()
	l.block = make(chan struct{})
	defer close(l.block)
	start = time.Now()
	got, _ = ReadlineAdapter(shellFunc(l), 50*time.Millisecond).Do([]rune("get pa"), 6)
	if elapsed := time.Since(start); elapsed > 2*time.Second || got != nil {
		t.Errorf("Do = %q after %v; want nothing at once", got, elapsed)
	}
}

// tab applies one Tab press to a line with the cursor at its end, as
// readline does: it inserts a single candidate, or the candidates' common
// beginning, and otherwise leaves the line (readline then lists them).
func tab(a *Adapter, line string) string {
	rs := []rune(line)
	cands, _ := a.Do(rs, len(rs))
	if len(cands) == 0 {
		return line
	}
	common := cands[0]
	for _, c := range cands[1:] {
		n := 0
		for n < len(common) && n < len(c) && common[n] == c[n] {
			n++
		}
		common = common[:n]
	}
	return line + string(common)
}

// TestAdapterSession types lines and presses Tab as a user would, checking
// the line after each press.
func TestAdapterSession(t *testing.T) {
	a := ReadlineAdapter(shellFunc(newTree()), time.Second)
	steps := []struct{ typed, want string }{
		{"g", "get "},
		{"my", `get my\ `},
		{"d", `get my\ dir/`},
		{"", `get my\ dir/inner `},
	}
	line := ""
	for _, s := range steps {
		line = tab(a, line+s.typed)
		if line != s.want {
			t.Fatalf("after typing %q and Tab: %q, want %q", s.typed, line, s.want)
		}
	}
	if words, _ := SplitWords(line); !slices.Equal(words, []string{"get", "my dir/inner"}) {
		t.Errorf("final line splits into %q", words)
	}

	for _, tt := range []struct{ typed, want string }{
		{`get "my f`, `get "my file.txt" `},
		{"get pub/al", "get pub/alpha/"},
		{"get pub/a", "get pub/a"}, // "a b.txt", "a.txt", "alpha/": nothing in common
		{"get .s", "get .ssh/"},
		{"get pa", "get pa"},
	} {
		if got := tab(a, tt.typed); got != tt.want {
			t.Errorf("%q + Tab = %q, want %q", tt.typed, got, tt.want)
		}
	}
}

// TestAdapterAsksBeforeScreenful checks that more candidates than fit on
// the screen are listed only at the second Tab, after a notice saying how
// many there are, as bash asks first; fewer are listed at once, and a
// common beginning is inserted without a question.
func TestAdapterAsksBeforeScreenful(t *testing.T) {
	var many, few []string
	for i := range 300 {
		many = append(many, fmt.Sprintf("%c%03d.txt", 'a'+i%26, i))
	}
	few = many[:5]
	var notices []string
	cands := many
	a := ReadlineAdapter(func(context.Context, string, string) []string { return cands }, 0).
		WithScreen(func() (int, int) { return 80, 24 }, func(msg string) { notices = append(notices, msg) })
	line := []rune("get ")
	if got, _ := a.Do(line, len(line)); got != nil || len(notices) != 1 || notices[0] != "300 possibilities: press Tab again to list them all" {
		t.Fatalf("first Tab: %d candidates, notices %q; want none and the question", len(got), notices)
	}
	if got, _ := a.Do(line, len(line)); len(got) != 300 || len(notices) != 1 {
		t.Errorf("second Tab: %d candidates, %d notices; want all 300, no new notice", len(got), len(notices))
	}
	if got, _ := a.Do(line, len(line)); got != nil || len(notices) != 2 {
		t.Errorf("third Tab asks again: %d candidates, %d notices", len(got), len(notices))
	}
	cands = few
	if got, _ := a.Do(line, len(line)); len(got) != 5 || len(notices) != 2 {
		t.Errorf("a screenful: %d candidates, %d notices; want 5 at once", len(got), len(notices))
	}
	cands = nil
	for i := range 300 {
		cands = append(cands, fmt.Sprintf("common%03d", i))
	}
	if got, _ := a.Do(line, len(line)); len(got) != 300 || len(notices) != 2 {
		t.Errorf("a common beginning: %d candidates, %d notices; want them for readline to insert it", len(got), len(notices))
	}
}
