package completion

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Func completes the word under the cursor in the shell. line is the text
// before the cursor, as typed; word is the last word of line with its
// quoting removed, "" when line ends with a separator. Func returns full
// candidates that start with word (Remote, Local, URL and Names return
// such candidates). To learn which argument is being completed, split line
// with SplitWords: the word is words[len(words)-1] when lastStart <
// len(line), else a new word at index len(words).
type Func func(ctx context.Context, line, word string) []string

// Adapter adapts a Func to github.com/chzyer/readline's AutoCompleter
// interface, which it satisfies without this package importing readline.
type Adapter struct {
	f       Func
	timeout time.Duration

	// screen and notice, when set (WithScreen), make Do ask before it
	// lists more candidates than fit on the screen; asked is the line it
	// asked about.
	screen func() (cols, rows int)
	notice func(string)
	asked  string
}

// WithScreen makes a ask before listing more candidates than fit on the
// screen, as bash does: the first Tab shows, through notice, how many
// there are, and a second Tab on the same line lists them. screen
// returns the terminal's columns and rows (0 when unknown: no question).
// It returns a.
func (a *Adapter) WithScreen(screen func() (cols, rows int), notice func(string)) *Adapter {
	a.screen, a.notice = screen, notice
	return a
}

// ReadlineAdapter returns an Adapter that gives f at most timeout to
// answer (no limit when timeout is zero or less).
func ReadlineAdapter(f Func, timeout time.Duration) *Adapter {
	return &Adapter{f: f, timeout: timeout}
}

// Do implements readline's AutoCompleter. readline passes the whole line
// and the cursor position pos, in runes; Do returns what each candidate
// adds at the cursor and the length in runes of the word before the cursor
// that all of them extend. readline inserts a single candidate, or else
// the longest common beginning of the candidates when there is one, and
// otherwise lists them after that word.
//
// Each addition is written in the quoting style of the typed word
// ("my\ fi" continues with "le.txt", `"my fi` with `le.txt"`); a
// candidate that does not continue (see Continues) also closes its quote
// and ends with a space. Do returns nothing when f returns nothing or does
// not answer in time.
func (a *Adapter) Do(line []rune, pos int) (newLine [][]rune, length int) {
	if pos < 0 || pos > len(line) {
		return nil, 0
	}
	before := string(line[:pos])
	words, start, st := scan(before)
	word := ""
	if start < len(before) {
		word = words[len(words)-1]
	}

	ctx, cancel := context.Background(), context.CancelFunc(func() {})
	if a.timeout > 0 {
		ctx, cancel = context.WithTimeout(ctx, a.timeout)
	}
	defer cancel()
	cands, err := within(ctx, func(ctx context.Context) ([]string, error) {
		return a.f(ctx, before, word), nil
	})
	if err != nil {
		return nil, 0
	}

	seen := make(map[string]bool, len(cands))
	for _, c := range cands {
		if !strings.HasPrefix(c, word) || seen[c] {
			continue
		}
		seen[c] = true
		add, ok := continueWord(st, c[len(word):], !Continues(c))
		// readline edits runes: bytes that are not UTF-8 cannot be typed.
		if ok && utf8.ValidString(add) {
			newLine = append(newLine, []rune(add))
		}
	}
	if len(newLine) > 1 && a.tooMany(newLine, word) {
		if a.asked != before {
			a.asked = before
			a.notice(fmt.Sprintf("%d possibilities: press Tab again to list them all", len(newLine)))
			return nil, 0
		}
	}
	a.asked = ""
	if len(newLine) == 0 {
		return nil, 0
	}
	return newLine, utf8.RuneCountInString(before[start:])
}

// tooMany reports whether readline would list cands (they have no common
// beginning to insert) and the list would not fit on the screen: the
// columns readline lays them out in, on all rows but the prompt's.
func (a *Adapter) tooMany(cands [][]rune, word string) bool {
	if a.screen == nil || a.notice == nil {
		return false
	}
	cols, rows := a.screen()
	if cols <= 0 || rows <= 0 {
		return false
	}
	widest := 0
	common := len(cands[0])
	for _, c := range cands {
		widest = max(widest, len(c))
		n := 0
		for n < min(common, len(c)) && c[n] == cands[0][n] {
			n++
		}
		common = n
	}
	if common > 0 {
		return false // readline inserts the common beginning
	}
	perRow := max(cols/(widest+utf8.RuneCountInString(word)+1), 1)
	lines := (len(cands) + perRow - 1) / perRow
	return lines > rows-2
}
