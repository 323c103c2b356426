package client

import "os"

// unixHead is what the first field of a Unix line tells: the type and
// permissions of the entry, and where the other fields start.
type unixHead struct {
	typ  EntryType
	mode os.FileMode
	// first is the index of the first field after the mode.
	first int
	// links is false when the link count is glued to the mode
	// ("drwxr-x---+1464"), so that f[first] is the owner.
	links   bool
	netware bool
	device  bool
}

// parseUnixHead reads the mode field (and NetWare's rights field) of a
// Unix line.
func parseUnixHead(line string, f []listField) (unixHead, bool) {
	tok := func(i int) string { return line[f[i].start:f[i].end] }
	m := tok(0)
	if (m == "d" || m == "-") && len(tok(1)) > 1 && tok(1)[0] == '[' && tok(1)[len(tok(1))-1] == ']' {
		// NetWare: the rights in brackets are not Unix permission bits.
		h := unixHead{typ: EntryFile, first: 2, netware: true}
		if m == "d" {
			h.typ = EntryDir
		}
		return h, true
	}
	h := unixHead{first: 1, links: true}
	var ok bool
	switch {
	case len(m) > 10 && m[10] >= '0' && m[10] <= '9':
		// The link count glued to the mode: "-rw-r--r--12".
		h.typ, h.mode, ok = parseUnixMode(m[:10])
		h.links = false
		_, digits := parseListSize(m[10:])
		ok = ok && digits
	case len(m) > 11 && isModeMark(m[10]):
		// After an ACL mark: "drwxr-x---+1464".
		h.typ, h.mode, ok = parseUnixMode(m[:11])
		h.links = false
		_, digits := parseListSize(m[11:])
		ok = ok && digits
	case len(m) == 9:
		h.typ, h.mode, ok = parseShortMode(m)
	default:
		h.typ, h.mode, ok = parseUnixMode(m)
	}
	h.device = ok && h.typ == EntryOther && (m[0] == 'c' || m[0] == 'b')
	return h, ok
}

// isModeMark reports whether c is a mark ls puts after the permissions:
// '+' for an ACL, '@' for extended attributes (macOS), '.' for an SELinux
// context.
func isModeMark(c byte) bool { return c == '+' || c == '@' || c == '.' }

// parseShortMode parses a mode of nine characters. Some servers leave out
// the file type ("rw-rw-rw-", StingRay FTP Server) and some the last
// permission ("drw-r--rw"): nine valid permissions are a file, and
// otherwise the first character is the type.
func parseShortMode(s string) (EntryType, os.FileMode, bool) {
	if t, m, ok := parseUnixMode("-" + s); ok {
		return t, m, true
	}
	return parseUnixMode(s + "-")
}

// parseUnixMode parses a mode such as "drwxr-sr-t" with an optional
// trailing ACL or attribute marker ('+', '@' or '.'). It returns the
// permission bits with the setuid, setgid and sticky bits; the file type
// goes to the EntryType.
func parseUnixMode(s string) (EntryType, os.FileMode, bool) {
	if len(s) == 11 && isModeMark(s[10]) {
		s = s[:10]
	}
	if len(s) != 10 {
		return 0, 0, false
	}
	var t EntryType
	switch s[0] {
	case '-':
		t = EntryFile
	case 'd':
		t = EntryDir
	case 'l':
		t = EntryLink
	case 'b', 'c', 'p', 's', 'D':
		t = EntryOther
	default:
		return 0, 0, false
	}
	var m os.FileMode
	special := [3]os.FileMode{os.ModeSetuid, os.ModeSetgid, os.ModeSticky}
	for i := 0; i < 9; i++ {
		c, bit := s[1+i], os.FileMode(1)<<(8-i)
		switch {
		case c == '-':
		case i%3 == 0 && c == 'r', i%3 == 1 && c == 'w', i%3 == 2 && c == 'x':
			m |= bit
		case i == 2 && c == 's', i == 5 && c == 's', i == 8 && c == 't':
			m |= bit | special[i/3]
		case i == 2 && c == 'S', i == 5 && c == 'S', i == 8 && c == 'T':
			m |= special[i/3]
		case i == 5 && c == 'l': // Solaris: mandatory locking, setgid without x
			m |= os.ModeSetgid
		default:
			return 0, 0, false
		}
	}
	return t, m, true
}
