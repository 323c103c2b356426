package netrc

import "strings"

// token is one word of a netrc file.
type token struct {
	text   string
	line   int  // the line the token starts on, from 1
	quoted bool // written as "..."; a quoted token is never a keyword
}

// lexer splits a netrc file into tokens separated by white space. A token
// that starts with '"' runs to the next unescaped '"' on the same line;
// inside it, \n, \r and \t stand for newline, carriage return and tab, and a
// backslash before any other character stands for that character, as curl
// reads them.
type lexer struct {
	src  string
	pos  int
	line int
}

func newLexer(src string) *lexer { return &lexer{src: src, line: 1} }

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

// next returns the next token, or ok false at the end of the input.
func (l *lexer) next() (tok token, ok bool, err error) {
	for l.pos < len(l.src) && isSpace(l.src[l.pos]) {
		if l.src[l.pos] == '\n' {
			l.line++
		}
		l.pos++
	}
	if l.pos >= len(l.src) {
		return token{}, false, nil
	}
	if l.src[l.pos] == '"' {
		tok, err := l.quoted()
		return tok, err == nil, err
	}
	start := l.pos
	for l.pos < len(l.src) && !isSpace(l.src[l.pos]) {
		l.pos++
	}
	return token{text: l.src[start:l.pos], line: l.line}, true, nil
}

// quoted reads a quoted token; l.pos is at its opening quote.
func (l *lexer) quoted() (token, error) {
	line := l.line
	var b strings.Builder
	for l.pos++; l.pos < len(l.src); l.pos++ {
		c := l.src[l.pos]
		switch c {
		case '"':
			l.pos++
			return token{text: b.String(), line: line, quoted: true}, nil
		case '\n':
			return token{}, &ParseError{Line: line, Msg: "unterminated quoted string"}
		case '\\':
			if l.pos+1 >= len(l.src) || l.src[l.pos+1] == '\n' {
				return token{}, &ParseError{Line: line, Msg: "unterminated quoted string"}
			}
			l.pos++
			switch e := l.src[l.pos]; e {
			case 'n':
				b.WriteByte('\n')
			case 'r':
				b.WriteByte('\r')
			case 't':
				b.WriteByte('\t')
			default:
				b.WriteByte(e)
			}
		default:
			b.WriteByte(c)
		}
	}
	return token{}, &ParseError{Line: line, Msg: "unterminated quoted string"}
}

// skipLine moves past the end of the current line.
func (l *lexer) skipLine() {
	i := strings.IndexByte(l.src[l.pos:], '\n')
	if i < 0 {
		l.pos = len(l.src)
		return
	}
	l.pos += i + 1
	l.line++
}

// skipMacro skips the rest of the macdef line and the macro body, which
// ends at a blank line (one holding only white space) or at the end of the
// input.
func (l *lexer) skipMacro() {
	l.skipLine()
	for l.pos < len(l.src) {
		end := strings.IndexByte(l.src[l.pos:], '\n')
		var text string
		if end < 0 {
			text = l.src[l.pos:]
		} else {
			text = l.src[l.pos : l.pos+end]
		}
		l.skipLine()
		if strings.TrimSpace(text) == "" {
			return
		}
	}
}
