package client

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// ParseMLSxLine parses one line of MLSD output, or the entry line of an
// MLST reply (RFC 3659, section 7.2):
//
//	type=file;size=1234;modify=20250304123456;UNIX.mode=0644; name
//
// Facts are "name=value;" pairs; their names are case-insensitive and are
// stored lower-case in Entry.Facts, with the values as sent, except that
// the type values file, dir, cdir and pdir are stored lower-case. A single
// space separates the facts from the name, which runs to the end of the
// line and may hold spaces and semicolons. The leading space of an MLST
// entry line is tolerated. A trailing CR or LF is ignored.
//
// The facts used are type (file; dir, cdir and pdir as EntryDir;
// "OS.unix=slink:target" and "OS.unix=symlink" as EntryLink; anything else
// as EntryOther; EntryFile when absent), size (or sizd), modify (UTC, to
// TimeExact), unix.mode (octal), unix.ownername, unix.owner or unix.uid,
// and unix.groupname, unix.group or unix.gid. Size is -1 when the line has
// no size. Use SkipMLSx to leave out the entries for the folder itself and
// its parent.
//
// ParseMLSxLine is lenient where that is safe: a fact without "=", a fact
// with an empty value and a fact whose value it cannot read (size=abc,
// modify=yesterday) are dropped, and the entry keeps what the other facts
// say (an empty type makes it EntryOther); facts that do not end with ";"
// (as drafts of RFC 3659 wrote them), and a tab instead of the space before
// the name, are accepted. A line with facts of which none has a name and
// "=" is no MLSx line and an error, as is a line without a name.
func ParseMLSxLine(line string) (Entry, error) {
	line = strings.TrimRight(line, "\r\n")
	e, reason := parseMLSx(line)
	if reason != "" {
		return Entry{}, fmt.Errorf("ftp: unparseable MLSx line %q: %s", line, reason)
	}
	return e, nil
}

// SkipMLSx reports whether e stands for the listed folder itself or its
// parent rather than for something in it: an entry with a type fact of
// cdir or pdir, or named "." or "..". Callers of MLSD skip such entries.
func SkipMLSx(e Entry) bool {
	t := e.Facts["type"]
	return strings.EqualFold(t, "cdir") || strings.EqualFold(t, "pdir") || e.Name == "." || e.Name == ".."
}

// parseMLSx parses an MLSx line and returns the reason when it cannot.
func parseMLSx(line string) (Entry, string) {
	if line == "" {
		return Entry{}, "empty line"
	}
	body := line
	if line[0] == ' ' {
		// Either the leading space of an MLST entry line, or an entry
		// without facts: the line is then " name". Read it as the former
		// when facts follow.
		rest := line[1:]
		if sp := strings.IndexByte(rest, ' '); sp > 0 && rest[sp-1] == ';' && strings.IndexByte(rest[:sp], '=') > 0 {
			body = rest
		}
	}
	sp := strings.IndexAny(body, " \t")
	if sp < 0 {
		return Entry{}, "no space before the name"
	}
	facts, name := body[:sp], body[sp+1:]
	if name == "" {
		return Entry{}, "empty name"
	}
	e := Entry{Name: name, Size: -1, Facts: make(map[string]string, strings.Count(facts, ";")+1)}
	wellFormed := false
	emptyType := false
	for facts != "" {
		var fact string
		fact, facts, _ = strings.Cut(facts, ";")
		key, value, ok := strings.Cut(fact, "=")
		if !ok || key == "" {
			continue // ";;" or an odd fact
		}
		wellFormed = true
		key = factName(key)
		if value == "" {
			emptyType = emptyType || key == "type"
			delete(e.Facts, key)
			continue
		}
		e.Facts[key] = value
	}
	if !wellFormed && body[:sp] != "" {
		return Entry{}, "no facts"
	}

	setMLSxType(&e)
	if emptyType {
		e.Type = EntryOther
	}
	if v, ok := e.Facts["size"]; ok {
		if e.Size, ok = parseFactSize(v); !ok {
			e.Size = -1
			delete(e.Facts, "size")
		}
	}
	if v, ok := e.Facts["sizd"]; ok {
		size, ok := parseFactSize(v)
		switch {
		case !ok:
			delete(e.Facts, "sizd")
		case e.Size < 0:
			e.Size = size
		}
	}
	if v, ok := e.Facts["modify"]; ok {
		if t, ok := parseFactTime(v); ok {
			e.ModTime, e.Precision = t, TimeExact
		} else {
			delete(e.Facts, "modify")
		}
	}
	if v, ok := e.Facts["unix.mode"]; ok {
		if e.Mode, ok = parseUnixModeOctal(v); !ok {
			delete(e.Facts, "unix.mode")
		}
	}
	e.Owner = firstFact(e.Facts, "unix.ownername", "unix.owner", "unix.uid")
	e.Group = firstFact(e.Facts, "unix.groupname", "unix.group", "unix.gid")
	return e, ""
}

// setMLSxType sets e.Type (and e.Target for links) from the type fact and
// stores the standard type values in lower case (RFC 3659, section 7.5.1).
func setMLSxType(e *Entry) {
	t, ok := e.Facts["type"]
	if !ok {
		e.Type = EntryFile
		return
	}
	for _, std := range [...]string{"file", "dir", "cdir", "pdir"} {
		if strings.EqualFold(t, std) {
			e.Facts["type"] = std
			e.Type = EntryDir
			if std == "file" {
				e.Type = EntryFile
			}
			return
		}
	}
	// proftpd and others: "OS.unix=slink:/target" or "OS.unix=symlink".
	for _, link := range [...]string{"os.unix=slink", "os.unix=symlink"} {
		if len(t) >= len(link) && strings.EqualFold(t[:len(link)], link) {
			if rest := t[len(link):]; rest == "" || rest[0] == ':' {
				e.Type = EntryLink
				if rest != "" {
					e.Target = rest[1:]
				}
				return
			}
		}
	}
	e.Type = EntryOther
}

// factName returns a fact name in lower case, without allocating for the
// names of RFC 3659 and the common extensions.
func factName(name string) string {
	if strings.IndexFunc(name, func(r rune) bool { return 'A' <= r && r <= 'Z' || r >= utf8.RuneSelf }) < 0 {
		return name // ASCII without capitals
	}
	known := [...]string{
		"type", "size", "sizd", "modify", "create", "perm", "perms", "unique",
		"lang", "media-type", "charset", "unix.mode", "unix.owner", "unix.group",
		"unix.uid", "unix.gid", "unix.ownername", "unix.groupname",
	}
	for _, k := range known {
		if strings.EqualFold(name, k) {
			return k
		}
	}
	return strings.ToLower(name)
}

// firstFact returns the value of the first of the named facts present.
func firstFact(facts map[string]string, names ...string) string {
	for _, n := range names {
		if v, ok := facts[n]; ok {
			return v
		}
	}
	return ""
}

// parseFactSize parses a size fact: decimal digits that fit an int64.
func parseFactSize(s string) (int64, bool) {
	n, ok := parseListSize(s)
	return n, ok && n >= 0
}

// parseFactTime parses a time-val (RFC 3659, section 2.3):
// YYYYMMDDHHMMSS with an optional fraction of a second, in UTC.
func parseFactTime(s string) (time.Time, bool) {
	if len(s) < 14 {
		return time.Time{}, false
	}
	year, ok1 := parseDigits(s[0:4], 4, 4)
	month, ok2 := parseDigits(s[4:6], 2, 2)
	day, ok3 := parseDigits(s[6:8], 2, 2)
	hour, ok4 := parseDigits(s[8:10], 2, 2)
	min, ok5 := parseDigits(s[10:12], 2, 2)
	sec, ok6 := parseDigits(s[12:14], 2, 2)
	if !ok1 || !ok2 || !ok3 || !ok4 || !ok5 || !ok6 || sec > 59 || !fileYear(year) {
		return time.Time{}, false
	}
	nsec := 0
	if frac := s[14:]; frac != "" {
		// Digits past nanoseconds are dropped.
		if frac[0] != '.' || len(frac) < 2 {
			return time.Time{}, false
		}
		digits := frac[1:]
		if len(digits) > 9 {
			if _, ok := parseListSize(digits[9:]); !ok {
				return time.Time{}, false
			}
			digits = digits[:9]
		}
		var ok bool
		if nsec, ok = parseDigits(digits, 1, 9); !ok {
			return time.Time{}, false
		}
		for n := len(digits); n < 9; n++ {
			nsec *= 10
		}
	}
	return listDate(year, time.Month(month), day, hour, min, sec, nsec, time.UTC)
}

// parseUnixModeOctal parses octal permissions such as "0755" or "4755"
// (the unix.mode fact, the EPLF "up" fact) into permission bits with the
// setuid, setgid and sticky bits. File type bits above 07777 are ignored.
func parseUnixModeOctal(s string) (os.FileMode, bool) {
	if s == "" || s[0] == '+' || s[0] == '-' {
		return 0, false
	}
	v, err := strconv.ParseUint(s, 8, 32)
	if err != nil {
		return 0, false
	}
	m := os.FileMode(v & 0o777)
	if v&0o4000 != 0 {
		m |= os.ModeSetuid
	}
	if v&0o2000 != 0 {
		m |= os.ModeSetgid
	}
	if v&0o1000 != 0 {
		m |= os.ModeSticky
	}
	return m, true
}
