package client

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// lockedWriter serialises trace writes: the data-connection setup runs
// in its own goroutine while the reply is read.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// tracef writes a comment line to the trace.
func (c *Conn) tracef(format string, args ...any) {
	if c.opts.trace != nil {
		fmt.Fprintf(c.opts.trace, "* %s\n", Sanitize(fmt.Sprintf(format, args...)))
	}
}

// traceSend traces a command line as it was sent, with names shown in
// UTF-8 when the server's charset is another (see WithCharset).
func (c *Conn) traceSend(line string) {
	if c.opts.trace != nil {
		if c.opts.charset != nil && !loginVerb(commandName(line)) {
			line, _ = c.text([]byte(line))
		}
		fmt.Fprintf(c.opts.trace, "> %s\n", Sanitize(maskedLine(line)))
	}
}

func (c *Conn) traceReply(r *Reply) {
	if c.opts.trace == nil {
		return
	}
	code := strconv.Itoa(r.Code)
	for i, l := range r.Lines {
		l = Sanitize(l)
		sep := "-"
		if i == len(r.Lines)-1 {
			sep = " "
		}
		if i > 0 && i < len(r.Lines)-1 {
			fmt.Fprintf(c.opts.trace, "< %s\n", l)
			continue
		}
		fmt.Fprintf(c.opts.trace, "< %s%s%s\n", code, sep, l)
	}
}

// Sanitize returns s with every control character except tab (C0, DEL and
// C1, so also CR and LF), every Unicode bidirectional control and every
// byte that is not valid UTF-8 replaced by a Go-style escape ("\x1b",
// "\u202e"), so that text from a server (reply text, file names) cannot
// drive the terminal it is printed on. Error strings and traces of this
// package are sanitised already; Reply, ReplyError.Msg and listings are
// not.
func Sanitize(s string) string {
	return sanitize(s, false)
}

// sanitize is Sanitize, keeping LF when keepLF is set: in error strings LF
// only separates the lines of a multi-line reply (lines are split on LF,
// and arguments holding one are never sent).
func sanitize(s string, keepLF bool) string {
	clean := true
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if unsafeRune(r, size, keepLF) {
			clean = false
			break
		}
		i += size
	}
	if clean {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case !unsafeRune(r, size, keepLF):
			b.WriteString(s[i : i+size])
		case strings.ContainsRune("\a\b\f\n\r\v", r):
			b.WriteString(strconv.QuoteRune(r)[1:3])
		case r < 0x100:
			fmt.Fprintf(&b, `\x%02x`, r)
		default:
			fmt.Fprintf(&b, `\u%04x`, r)
		}
		i += size
	}
	return b.String()
}

func unsafeRune(r rune, size int, keepLF bool) bool {
	switch {
	case r == utf8.RuneError && size == 1:
		return true
	case r == '\t', r == '\n' && keepLF:
		return false
	}
	return unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) || r == '\u2028' || r == '\u2029'
}
