package shell

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/ferry-ftp/ferry/completion"
	"github.com/ferry-ftp/ferry/internal/ftpurl"
)

// history keeps the interactive shell's command lines in a file of mode
// 0600, one a line, and feeds them to readline for recall. Lines that hold
// a password are stored without it (see redact).
type history struct {
	f   *os.File
	mem func(string) error // readline's in-memory history
}

// openHistory opens (creating) the history file at path, keeping its last
// historyLimit lines, and gives them to mem.
func openHistory(path string, mem func(string) error) (*history, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, err
	}
	data, err := os.ReadFile(path)
	if err != nil && !os.IsNotExist(err) {
		return nil, err
	}
	var lines []string
	for _, l := range strings.Split(string(data), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	if len(lines) > historyLimit {
		lines = lines[len(lines)-historyLimit:]
		if err := rewriteHistory(path, lines); err != nil {
			return nil, err
		}
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	// A file made by something else keeps no wider mode.
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return nil, err
	}
	for _, l := range lines {
		mem(l)
	}
	return &history{f: f, mem: mem}, nil
}

// rewriteHistory replaces the history file with lines, through a
// temporary file of mode 0600.
func rewriteHistory(path string, lines []string) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".history-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	var b bytes.Buffer
	for _, l := range lines {
		b.WriteString(l + "\n")
	}
	if _, err := tmp.Write(b.Bytes()); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// add records a command line, without its password.
func (h *history) add(line string) {
	kept := redact(line, false)
	if kept == "" {
		return
	}
	h.mem(kept)
	fmt.Fprintln(h.f, kept)
}

func (h *history) close() error { return h.f.Close() }

// redact returns a command line without the passwords it holds: the
// PASSWORD of "user NAME PASSWORD", the password of a URL given to open or
// pasted where any other command takes a path, and the argument of "quote PASS" and "quote ACCT". With mask, for echoes
// and messages, each password becomes "****". Without, for the history,
// the password is left out ("user NAME", the URL without it) and a quoted
// PASS or ACCT line is not kept at all: redact returns "".
func redact(line string, mask bool) string {
	prefix := ""
	if strings.HasPrefix(line, "-") {
		prefix, line = "-", strings.TrimSpace(line[1:])
	}
	name, args := parseLine(line)
	c := lookup(name)
	if c == nil || len(args) == 0 {
		return prefix + line
	}
	changed := false
	switch c.name {
	case "user":
		if len(args) >= 2 {
			args, changed = args[:1], true
			if mask {
				args = append(args, "****")
			}
		}
	default:
		// Any word of any command: a URL pasted where a path goes.
		// open also takes "user:password@host" without a scheme; elsewhere
		// only a word with "://" is taken for an address, so that a name
		// such as "@" or "me@home.txt" is left as it is.
		for i := range args {
			if c.name != "open" && !strings.Contains(args[i], "://") {
				continue
			}
			if a, ok := urlWithoutPassword(args[i], mask); ok {
				args[i], changed = a, true
			}
		}
	case "quote":
		if isSecretVerb(args[0]) && len(args) > 1 {
			if !mask {
				return ""
			}
			args, changed = []string{args[0], "****"}, true
		}
	}
	if !changed {
		return prefix + line
	}
	words := []string{name}
	for _, a := range args {
		words = append(words, completion.Quote(a))
	}
	return prefix + strings.Join(words, " ")
}

// urlWithoutPassword returns a URL argument with its password masked
// ("****") or removed, and whether it held one. An address that does not
// parse but looks like it holds user information is replaced whole.
func urlWithoutPassword(a string, mask bool) (string, bool) {
	t, err := ftpurl.Parse(a)
	if err != nil {
		if strings.Contains(a, "@") {
			return "****", true
		}
		return a, false
	}
	if !t.HasPassword {
		return a, false
	}
	if !mask {
		t.Password, t.HasPassword = "", false
	}
	return t.String(), true
}

// isSecretVerb reports whether an FTP verb carries a secret argument.
func isSecretVerb(verb string) bool {
	v := strings.ToUpper(verb)
	return v == "PASS" || v == "ACCT"
}

// redactURL returns a with its password masked when it is a URL.
func redactURL(a string) string {
	if r, ok := urlWithoutPassword(a, true); ok {
		return r
	}
	return a
}
