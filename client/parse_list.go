package client

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// ErrSkipLine is returned by ListParser.ParseLine for lines that hold no
// entry: blank lines and the "total N" line of Unix listings. Test for it
// with errors.Is.
var ErrSkipLine = errors.New("ftp: LIST line holds no entry")

// ListParser parses LIST output lines. The zero value uses time.Now and time.UTC.
//
// LIST output is not standardized (RFC 959, section 4.1.3, leaves it to the
// server). ListParser recognizes the formats real servers send:
//
//   - Unix "ls -l" and its variants (vsftpd, proftpd, pure-ftpd, FileZilla
//     Server, IIS in Unix mode, NetWare), with the "Mon DD HH:MM",
//     "Mon DD YYYY" and ISO ("2024-03-04 12:34") time styles;
//   - Microsoft IIS and DOS "dir" output ("03-04-25  10:05AM  <DIR>  name");
//   - EPLF ("+i8388621.48594,m825718503,r,s280,\tname").
//
// Times are read in Location. A Unix date that shows a time of day instead
// of a year is put in the year of Now; in the previous year when that would
// put it more than 180 days after Now (ls shows a time of day only for
// files up to six months old); and in the next year when that puts it at
// most three days after Now (a server clock or zone ahead of ours at New
// Year).
type ListParser struct {
	// Now is the clock used to infer the year of Unix entries that show a
	// time of day instead of a year; nil means time.Now.
	Now func() time.Time
	// Location is the zone LIST times are read in; nil means UTC. LIST
	// does not say which zone the server uses.
	Location *time.Location
}

// ParseLine parses one line of LIST output. A trailing CR or LF is ignored.
// It returns ErrSkipLine for blank lines and "total N" lines, and an error
// quoting the line when the line is in no format it knows. The "." and ".."
// entries are returned like any other.
func (p *ListParser) ParseLine(line string) (Entry, error) {
	return parseListEntry(line, p.now(), p.location())
}

// Parse parses the lines of a LIST reply. Lines that hold an entry but
// cannot be parsed are returned in unparsed, in order, so that callers can
// report them; blank lines, "total N" lines and the "." and ".." entries
// are dropped. Now is called once for all lines.
func (p *ListParser) Parse(lines []string) (entries []Entry, unparsed []string) {
	now, loc := p.now(), p.location()
	entries = make([]Entry, 0, len(lines))
	for _, line := range lines {
		e, err := parseListEntry(line, now, loc)
		switch {
		case errors.Is(err, ErrSkipLine):
		case err != nil:
			unparsed = append(unparsed, line)
		case e.Name == "." || e.Name == "..":
		default:
			entries = append(entries, e)
		}
	}
	return entries, unparsed
}

func (p *ListParser) now() time.Time {
	if p == nil || p.Now == nil {
		return time.Now()
	}
	return p.Now()
}

func (p *ListParser) location() *time.Location {
	if p == nil || p.Location == nil {
		return time.UTC
	}
	return p.Location
}

// parseListEntry parses one LIST line, choosing the format by its first
// byte. The parsers return a reason instead of an error so that the common
// path does not allocate.
func parseListEntry(line string, now time.Time, loc *time.Location) (Entry, error) {
	line = strings.TrimRight(line, "\r\n")
	if strings.TrimLeft(line, " \t") == "" || isTotalLine(line) {
		return Entry{}, ErrSkipLine
	}
	var e Entry
	var reason string
	switch c := line[0]; {
	case c == '+':
		e, reason = parseEPLFLine(line)
	case c >= '0' && c <= '9':
		e, reason = parseDOSLine(line, loc)
	default:
		e, reason = parseUnixLine(line, now.In(loc), loc)
	}
	if reason != "" {
		return Entry{}, fmt.Errorf("ftp: unparseable LIST line %q: %s", line, reason)
	}
	return e, nil
}

// parseDOSLine parses Microsoft IIS and DOS "dir" output:
//
//	03-04-25  10:05AM       <DIR>          name
//	03-04-2025  22:05                 1234 name
//
// The date is MM-DD-YY or MM-DD-YYYY (two-digit years 69 to 99 are 19xx,
// the rest 20xx), the time has an optional AM or PM. A size is
// right-aligned and followed by one space; IIS puts "<DIR>" in a column
// followed by ten spaces. The name starts after them, so that its own
// leading spaces are kept.
func parseDOSLine(line string, loc *time.Location) (Entry, string) {
	var f [4]listField
	n := splitListFields(line, f[:])
	tok := func(i int) string { return line[f[i].start:f[i].end] }
	if n < 3 {
		return Entry{}, "too few fields"
	}
	d := tok(0)
	if len(d) != 8 && len(d) != 10 || d[2] != d[5] || (d[2] != '-' && d[2] != '/') {
		return Entry{}, "unknown format"
	}
	month, ok1 := parseDigits(d[:2], 2, 2)
	day, ok2 := parseDigits(d[3:5], 2, 2)
	year, ok3 := parseDigits(d[6:], 2, 4)
	if !ok1 || !ok2 || !ok3 {
		return Entry{}, "bad date"
	}
	if len(d) == 8 {
		year += 2000
		if year >= 2069 {
			year -= 100
		}
	}
	clock, next := tok(1), 2
	ampm := ""
	if len(clock) > 2 && (clock[len(clock)-1] == 'M' || clock[len(clock)-1] == 'm') {
		clock, ampm = clock[:len(clock)-2], clock[len(clock)-2:]
	} else if a := tok(2); strings.EqualFold(a, "AM") || strings.EqualFold(a, "PM") {
		ampm, next = a, 3
	}
	hour, min, ok := parseHHMM(clock)
	switch {
	case !ok:
		return Entry{}, "bad time"
	case ampm == "":
	case hour < 1 || hour > 12:
		return Entry{}, "bad time"
	case strings.EqualFold(ampm, "AM"):
		hour %= 12
	case strings.EqualFold(ampm, "PM"):
		hour = hour%12 + 12
	default:
		return Entry{}, "bad time"
	}
	if next >= n {
		return Entry{}, "too few fields"
	}
	t, ok := listDate(year, time.Month(month), day, hour, min, 0, 0, loc)
	if !ok {
		return Entry{}, "bad date"
	}
	e := Entry{ModTime: t, Precision: TimeMinute, Size: -1}
	rest := line[f[next].end:]
	if tok(next) == "<DIR>" {
		e.Type = EntryDir
		pad := len(rest) - len(strings.TrimLeft(rest, " "))
		if pad > 10 {
			pad = 10
		}
		e.Name = rest[pad:]
	} else {
		size, ok := parseListSize(tok(next))
		if !ok {
			return Entry{}, "bad size"
		}
		e.Type, e.Size = EntryFile, size
		if rest != "" && rest[0] == ' ' {
			e.Name = rest[1:]
		}
	}
	if e.Name == "" || rest[0] != ' ' {
		return Entry{}, "no name"
	}
	return e, ""
}

// parseEPLFLine parses an EPLF line (https://cr.yp.to/ftp/list/eplf.html):
// "+" and comma-terminated facts, a tab, and the name. The facts used are
// "/" (a folder), "r" (a file), "s" (size), "m" (modification time in Unix
// seconds) and "up" (octal permissions).
func parseEPLFLine(line string) (Entry, string) {
	facts, name, ok := strings.Cut(line[1:], "\t")
	if !ok || name == "" {
		return Entry{}, "no name"
	}
	e := Entry{Name: name, Type: EntryOther, Size: -1}
	dir, file := false, false
	for facts != "" {
		var fact string
		fact, facts, _ = strings.Cut(facts, ",")
		if fact == "" {
			continue
		}
		switch fact[0] {
		case '/':
			dir = true
		case 'r':
			file = true
		case 's':
			size, ok := parseListSize(fact[1:])
			if !ok || size < 0 {
				return Entry{}, "bad size"
			}
			e.Size = size
		case 'm':
			secs, ok := parseListSize(fact[1:])
			if !ok || secs < 0 {
				return Entry{}, "bad time"
			}
			e.ModTime, e.Precision = time.Unix(secs, 0).UTC(), TimeExact
		case 'u':
			if len(fact) > 2 && fact[1] == 'p' {
				mode, ok := parseUnixModeOctal(fact[2:])
				if !ok {
					return Entry{}, "bad permissions"
				}
				e.Mode = mode
			}
		}
	}
	if dir {
		e.Type = EntryDir
	} else if file {
		e.Type = EntryFile
	}
	return e, ""
}

// isTotalLine reports whether line is the "total N" line of ls -l.
func isTotalLine(line string) bool {
	if len(line) < 7 || !strings.EqualFold(line[:5], "total") || (line[5] != ' ' && line[5] != '\t') {
		return false
	}
	_, ok := parseListSize(strings.TrimLeft(line[5:], " \t"))
	return ok
}

// listField is the position of a field in a line: line[start:end].
type listField struct{ start, end int }

// splitListFields fills dst with the first len(dst) fields of line, separated
// by spaces or tabs, and returns how many it found.
func splitListFields(line string, dst []listField) int {
	n, i := 0, 0
	for n < len(dst) {
		for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
			i++
		}
		if i == len(line) {
			break
		}
		start := i
		for i < len(line) && line[i] != ' ' && line[i] != '\t' {
			i++
		}
		dst[n] = listField{start, i}
		n++
	}
	return n
}

// listDate returns the time and whether the date exists (time.Date would
// turn February 30 into March 2).
func listDate(year int, month time.Month, day, hour, min, sec, nsec int, loc *time.Location) (time.Time, bool) {
	if month < time.January || month > time.December || hour > 23 || min > 59 {
		return time.Time{}, false
	}
	t := time.Date(year, month, day, hour, min, sec, nsec, loc)
	return t, t.Day() == day && t.Month() == month
}

// parseDigits parses a decimal number of minLen to maxLen digits (at most 9).
func parseDigits(s string, minLen, maxLen int) (int, bool) {
	if len(s) < minLen || len(s) > maxLen {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, true
}

// parseListSize parses a non-empty string of decimal digits. A number too
// large for int64 (some servers show 18446744073709551615, an unsigned -1)
// gives -1, which Entry.Size uses for "unknown".
func parseListSize(s string) (int64, bool) {
	if s == "" {
		return 0, false
	}
	var n int64
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		if n >= 0 {
			if n > (1<<63-1-int64(s[i]-'0'))/10 {
				n = -1 // keep checking that the rest are digits
			} else {
				n = n*10 + int64(s[i]-'0')
			}
		}
	}
	return n, true
}
