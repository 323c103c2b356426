package completion

import (
	"context"
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
	if len(newLine) == 0 {
		return nil, 0
	}
	return newLine, utf8.RuneCountInString(before[start:])
}
