// Package netrc reads netrc files (~/.netrc), the store of login names and
// passwords that ftp(1), curl and many other clients share.
//
// The format is a sequence of white-space-separated tokens: "machine NAME"
// or "default" starts an entry, and "login", "password" and "account" each
// take a value for the current entry. "macdef NAME" defines an ftp(1) macro,
// whose body runs to the next blank line; ferry skips it. A token may be
// quoted as "..." with backslash escapes, as curl accepts. Where a keyword
// is expected, a token starting with '#' begins a comment that runs to the
// end of the line; where a value is expected, '#' is an ordinary character,
// so "password #x" is the password "#x".
package netrc

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
)

// maxSize bounds the size of a netrc file that Parse reads.
const maxSize = 1 << 20

// Machine is one entry of a netrc file.
type Machine struct {
	// Name is the host name after "machine"; it is empty for the default
	// entry.
	Name string
	// Login is the user name, "" when the entry names none.
	Login string
	// Password is the password, "" when the entry names none.
	Password string
	// Account is the ACCT argument (RFC 959 section 4.1.1), rarely used.
	Account string
	// Default is true for the "default" entry, which matches any host.
	Default bool
}

// ParseError is a malformed netrc file.
type ParseError struct {
	// File is the file's path, empty when the input was not a named file.
	File string
	// Line is the line of the error, counted from 1.
	Line int
	// Msg describes the problem.
	Msg string
}

func (e *ParseError) Error() string {
	if e.File == "" {
		return fmt.Sprintf("netrc: line %d: %s", e.Line, e.Msg)
	}
	return fmt.Sprintf("netrc: %q, line %d: %s", e.File, e.Line, e.Msg)
}

// Parse reads a netrc file and returns its entries in file order. A
// malformed file gives a *ParseError naming the line.
func Parse(r io.Reader) ([]Machine, error) {
	src, err := readAll(r)
	if err != nil {
		return nil, fmt.Errorf("netrc: %w", err)
	}
	return parse(src)
}

// readAll reads at most maxSize bytes.
func readAll(r io.Reader) (string, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxSize+1))
	if err != nil {
		return "", fmt.Errorf("read: %w", err)
	}
	if len(data) > maxSize {
		return "", fmt.Errorf("file larger than %d bytes", maxSize)
	}
	return string(data), nil
}

func parse(src string) ([]Machine, error) {
	l := newLexer(src)
	var ms []Machine
	for {
		tok, ok, err := l.next()
		if err != nil {
			return nil, err
		}
		if !ok {
			return ms, nil
		}
		if !tok.quoted && strings.HasPrefix(tok.text, "#") {
			l.skipLine()
			continue
		}
		keyword := strings.ToLower(tok.text)
		if tok.quoted {
			keyword = ""
		}
		switch keyword {
		case "machine":
			name, err := l.value(tok)
			if err != nil {
				return nil, err
			}
			if name == "" {
				return nil, &ParseError{Line: tok.line, Msg: "empty machine name"}
			}
			ms = append(ms, Machine{Name: name})
		case "default":
			ms = append(ms, Machine{Default: true})
		case "login", "password", "account":
			if len(ms) == 0 {
				return nil, &ParseError{Line: tok.line, Msg: fmt.Sprintf("%q before the first machine or default entry", tok.text)}
			}
			v, err := l.value(tok)
			if err != nil {
				return nil, err
			}
			m := &ms[len(ms)-1]
			switch keyword {
			case "login":
				m.Login = v
			case "password":
				m.Password = v
			default:
				m.Account = v
			}
		case "macdef":
			if _, err := l.value(tok); err != nil {
				return nil, err
			}
			l.skipMacro()
		default:
			return nil, &ParseError{Line: tok.line, Msg: fmt.Sprintf("unexpected %q: want machine, default, login, password, account or macdef", tok.text)}
		}
	}
}

// value reads the value that follows the keyword kw. A value may not hold
// CR, LF or NUL: no FTP command could carry it.
func (l *lexer) value(kw token) (string, error) {
	tok, ok, err := l.next()
	if err != nil {
		return "", err
	}
	if !ok {
		return "", &ParseError{Line: kw.line, Msg: fmt.Sprintf("%q at the end of the file needs a value", kw.text)}
	}
	if strings.ContainsAny(tok.text, "\r\n\x00") {
		return "", &ParseError{Line: tok.line, Msg: fmt.Sprintf("the value of %q holds CR, LF or NUL", kw.text)}
	}
	return tok.text, nil
}

// Find returns the first entry whose machine name equals host, ignoring
// case, and, when login is not empty, whose login is login or unset (as
// ftp(1) does, an entry without a login gives its password to any user).
// When no machine entry matches, it returns the first default entry that
// passes the same login test.
func Find(ms []Machine, host, login string) (Machine, bool) {
	matches := func(m Machine) bool { return login == "" || m.Login == "" || m.Login == login }
	for _, m := range ms {
		if !m.Default && strings.EqualFold(m.Name, host) && matches(m) {
			return m, true
		}
	}
	for _, m := range ms {
		if m.Default && matches(m) {
			return m, true
		}
	}
	return Machine{}, false
}

// Load reads and parses the netrc file at path. A missing file gives an
// error that matches fs.ErrNotExist; a *ParseError names path.
func Load(path string) ([]Machine, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("netrc: %w", err)
	}
	defer f.Close()
	src, err := readAll(f)
	if err != nil {
		return nil, fmt.Errorf("netrc: %q: %w", path, err)
	}
	ms, err := parse(src)
	if err != nil {
		var pe *ParseError
		if errors.As(err, &pe) {
			pe.File = path
		}
		return nil, err
	}
	return ms, nil
}

// InsecurePerm reports whether the group or others may read the file at
// path, as ftp(1) warns for a netrc file that holds passwords. It is always
// false on Windows, where the Unix permission bits mean nothing.
func InsecurePerm(path string) (bool, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return false, fmt.Errorf("netrc: %w", err)
	}
	if runtime.GOOS == "windows" {
		return false, nil
	}
	return fi.Mode().Perm()&0o044 != 0, nil
}
