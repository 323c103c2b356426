package completion

import "strings"

// The shell's quoting, shared by SplitWords, Quote and Adapter:
//
//   - spaces, tabs and line breaks separate words;
//   - outside quotes a backslash takes the next byte literally ("my\ file");
//   - double quotes group ("my file"); inside them a backslash escapes only
//     '"' and '\' and is otherwise kept;
//   - single quotes group with no escapes at all ('my file').
//
// Quotes may start or end within a word: a"b c"d is the one word "ab cd".

// scanState is where a scan stopped inside the last word.
type scanState struct {
	quote  byte // 0, '"' or '\''
	escape bool // a backslash waits for the byte it escapes
}

// SplitWords splits line into words by the shell's quoting and removes
// the quoting. lastStart is the byte offset in line where the last word
// begins, or len(line) when line is empty or ends with a separator: then
// the word being typed is a new, empty one and is not in words. An
// unterminated quote runs to the end of line and a trailing lone backslash
// is dropped, so that a line being typed splits as it will once finished.
func SplitWords(line string) (words []string, lastStart int) {
	words, lastStart, _ = scan(line)
	return words, lastStart
}

// Unterminated reports whether line ends inside a quote, or with a lone
// backslash: a command line that is not finished.
func Unterminated(line string) bool {
	_, _, st := scan(line)
	return st.quote != 0 || st.escape
}

// scan is SplitWords that also reports the quoting state at the end.
func scan(line string) (words []string, lastStart int, st scanState) {
	var cur strings.Builder
	inWord := false
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case st.escape:
			st.escape = false
			if st.quote == '"' && c != '"' && c != '\\' {
				cur.WriteByte('\\')
			}
			cur.WriteByte(c)
		case st.quote == '\'':
			if c == '\'' {
				st.quote = 0
			} else {
				cur.WriteByte(c)
			}
		case st.quote == '"':
			switch c {
			case '"':
				st.quote = 0
			case '\\':
				st.escape = true
			default:
				cur.WriteByte(c)
			}
		case isSeparator(c):
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			if !inWord {
				inWord, lastStart = true, i
			}
			switch c {
			case '\\':
				st.escape = true
			case '"', '\'':
				st.quote = c
			default:
				cur.WriteByte(c)
			}
		}
	}
	if !inWord {
		return words, len(line), st
	}
	return append(words, cur.String()), lastStart, st
}

// Quote returns s written so that SplitWords reads it back as one word:
// separators, quotes and backslashes get a backslash ("my\ file.txt"), and
// the empty string becomes "".
func Quote(s string) string {
	if s == "" {
		return `""`
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if special(s[i]) {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// continueWord returns the raw text that, typed after a word that stopped
// in state st, adds rest to the word's value, in the same quoting style:
// "my\ fi" goes on with "le\ name", `"my fi` with `le name`. When final it
// also closes an open quote and ends the word with a space. ok is false
// when a pending backslash cannot be followed to give rest.
func continueWord(st scanState, rest string, final bool) (raw string, ok bool) {
	var b strings.Builder
	for i := 0; i < len(rest); i++ {
		c := rest[i]
		switch {
		case st.escape:
			// The backslash already typed escapes c.
			st.escape = false
			if st.quote == '"' && c != '"' && c != '\\' {
				return "", false
			}
			b.WriteByte(c)
		case st.quote == '\'':
			if c == '\'' {
				b.WriteString(`'\''`)
			} else {
				b.WriteByte(c)
			}
		case st.quote == '"':
			if c == '"' || c == '\\' {
				b.WriteByte('\\')
			}
			b.WriteByte(c)
		default:
			if special(c) {
				b.WriteByte('\\')
			}
			b.WriteByte(c)
		}
	}
	if final {
		if st.escape {
			// The space would be escaped into the word.
			return "", false
		}
		if st.quote != 0 {
			b.WriteByte(st.quote)
		}
		b.WriteByte(' ')
	}
	return b.String(), true
}

// isSeparator reports whether c separates words.
func isSeparator(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r'
}

// special reports whether c needs a backslash outside quotes.
func special(c byte) bool {
	return isSeparator(c) || c == '"' || c == '\'' || c == '\\'
}
