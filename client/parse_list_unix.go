package client

import (
	"os"
	"strings"
	"time"
)

// Year inference for "Mon DD HH:MM" dates. ls shows a time of day instead
// of a year only for files at most six months (about 182.6 days) old; some
// servers (proftpd) also do it for files dated in the future. So the date
// goes in the current year (in the parser's Location) unless that puts it
// more than maxFuture after Now, and then in the previous year: an ls date
// never falls between Now and 182 days later in the current year, so a
// limit just under that reads every ls date right and still reads future
// dates up to six months ahead. A date at most nextYearSlack into the next
// year goes there: around New Year the server's clock or zone can be ahead
// of ours.
const (
	maxFuture     = 180 * 24 * time.Hour
	nextYearSlack = 3 * 24 * time.Hour
)

// parseUnixLine parses an "ls -l" line:
//
//	-rw-r--r--   1 owner group   1234 Mar  4 12:34 name
//	crw-rw-rw-   1 root  root    1,  3 Mar  4  2019 null
//	d [RWCEAFMS] owner            512 Mar  4 12:34 name   (NetWare)
//
// The date is the first month name (or ISO date) followed by a day and a
// time or year, at least two fields after the mode; the size is the field
// before it, owner and group are the fields between. The name starts one
// separator after the time field, so that leading, repeated and trailing
// spaces in names are kept.
func parseUnixLine(line string, now time.Time, loc *time.Location) (Entry, string) {
	var buf [16]listField
	f := buf[:splitListFields(line, buf[:])]
	if len(f) < 5 {
		return Entry{}, "too few fields"
	}
	tok := func(i int) string { return line[f[i].start:f[i].end] }
	e := Entry{Size: -1}
	first := 1 // the first field after the mode
	if m := tok(0); (m == "d" || m == "-") && strings.HasPrefix(tok(1), "[") && strings.HasSuffix(tok(1), "]") {
		// NetWare: the rights in brackets are not Unix permission bits.
		e.Type, first = EntryFile, 2
		if m == "d" {
			e.Type = EntryDir
		}
	} else {
		var ok bool
		if e.Type, e.Mode, ok = parseUnixMode(m); !ok {
			return Entry{}, "unknown file mode"
		}
	}
	device := e.Type == EntryOther && (tok(0)[0] == 'c' || tok(0)[0] == 'b')

	for i := first + 2; i+1 < len(f); i++ {
		t, prec, last, ok := parseUnixDate(line, f, i, now, loc)
		if !ok {
			continue
		}
		sizeAt := i - 1
		if device {
			// "1, 3" or "1,3" (major, minor) instead of a size.
			// Some servers show a plain number.
			maj, min, comma := strings.Cut(tok(i-1), ",")
			if !comma && i-2 > first && strings.HasSuffix(tok(i-2), ",") {
				sizeAt, maj, min, comma = i-2, strings.TrimSuffix(tok(i-2), ","), tok(i-1), true
			}
			_, ok1 := parseListSize(maj)
			_, ok2 := parseListSize(min)
			if !ok1 || (comma && !ok2) {
				continue
			}
		} else {
			size, ok := parseListSize(tok(sizeAt))
			if !ok {
				continue
			}
			e.Size = size
		}
		if f[last].end+1 >= len(line) {
			return Entry{}, "no name"
		}
		e.ModTime, e.Precision = t, prec
		setOwnerGroup(&e, line, f[first:sizeAt], first == 2)
		e.Name = line[f[last].end+1:]
		if e.Type == EntryLink {
			if name, target, ok := strings.Cut(e.Name, " -> "); ok {
				e.Name, e.Target = name, target
			}
		}
		if e.Name == "" {
			return Entry{}, "no name"
		}
		return e, ""
	}
	return Entry{}, "no size and date fields"
}

// setOwnerGroup reads the fields between the mode and the size, which are
// "links owner group", "links owner", "owner group" or "owner" on Unix
// servers, and the owner alone on NetWare.
func setOwnerGroup(e *Entry, line string, f []listField, netware bool) {
	tok := func(i int) string { return line[f[i].start:f[i].end] }
	switch {
	case len(f) == 0:
	case netware:
		e.Owner = line[f[0].start:f[len(f)-1].end]
	case len(f) == 1:
		e.Owner = tok(0)
	case len(f) == 2:
		if _, ok := parseListSize(tok(0)); ok {
			e.Owner = tok(1)
		} else {
			e.Owner, e.Group = tok(0), tok(1)
		}
	default:
		// A group name with spaces (a Windows domain group) is kept whole.
		e.Owner, e.Group = tok(1), line[f[2].start:f[len(f)-1].end]
	}
}

// parseUnixMode parses a mode such as "drwxr-sr-t" with an optional
// trailing ACL or attribute marker ('+', '@' or '.'). It returns the
// permission bits with the setuid, setgid and sticky bits; the file type
// goes to the EntryType.
func parseUnixMode(s string) (EntryType, os.FileMode, bool) {
	if len(s) == 11 && (s[10] == '+' || s[10] == '@' || s[10] == '.') {
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

// parseUnixDate parses the date that starts at field i: "Mon DD HH:MM",
// "Mon DD YYYY", "YYYY-MM-DD HH:MM" or "YYYY-MM-DD HH:MM:SS[.frac] [±hhmm]".
// It returns the time, its precision and the index of the last field used.
func parseUnixDate(line string, f []listField, i int, now time.Time, loc *time.Location) (time.Time, TimePrecision, int, bool) {
	tok := func(i int) string { return line[f[i].start:f[i].end] }
	if month := parseMonthName(tok(i)); month != 0 {
		if i+2 >= len(f) {
			return time.Time{}, 0, 0, false
		}
		day, ok := parseDigits(tok(i+1), 1, 2)
		if !ok {
			return time.Time{}, 0, 0, false
		}
		if year, ok := parseDigits(tok(i+2), 4, 4); ok {
			t, ok := listDate(year, month, day, 0, 0, 0, 0, loc)
			return t, TimeDay, i + 2, ok
		}
		hour, min, ok := parseHHMM(tok(i + 2))
		if !ok {
			return time.Time{}, 0, 0, false
		}
		t, ok := inferYear(now, month, day, hour, min, loc)
		return t, TimeMinute, i + 2, ok
	}
	d := tok(i)
	if len(d) != 10 || d[4] != '-' || d[7] != '-' {
		return time.Time{}, 0, 0, false
	}
	year, ok1 := parseDigits(d[:4], 4, 4)
	month, ok2 := parseDigits(d[5:7], 2, 2)
	day, ok3 := parseDigits(d[8:], 2, 2)
	c := tok(i + 1)
	if !ok1 || !ok2 || !ok3 || len(c) < 5 {
		return time.Time{}, 0, 0, false
	}
	hour, min, ok := parseHHMM(c[:5])
	if !ok {
		return time.Time{}, 0, 0, false
	}
	if len(c) == 5 {
		t, ok := listDate(year, time.Month(month), day, hour, min, 0, 0, loc)
		return t, TimeMinute, i + 1, ok
	}
	// Full ISO: seconds, an optional fraction, and maybe a zone offset.
	sec, nsec, ok := parseISOSeconds(c[5:])
	if !ok {
		return time.Time{}, 0, 0, false
	}
	if i+2 < len(f) {
		if z := tok(i + 2); len(z) == 5 && (z[0] == '+' || z[0] == '-') {
			if zh, ok := parseDigits(z[1:3], 2, 2); ok {
				if zm, ok := parseDigits(z[3:], 2, 2); ok {
					off := (zh*60 + zm) * 60
					if z[0] == '-' {
						off = -off
					}
					t, ok := listDate(year, time.Month(month), day, hour, min, sec, nsec, time.FixedZone("", off))
					return t.UTC(), TimeExact, i + 2, ok
				}
			}
		}
	}
	t, ok := listDate(year, time.Month(month), day, hour, min, sec, nsec, loc)
	return t, TimeMinute, i + 1, ok
}

// parseISOSeconds parses ":SS" with an optional ".fraction" of up to nine digits.
func parseISOSeconds(s string) (sec, nsec int, ok bool) {
	if len(s) < 3 || s[0] != ':' {
		return 0, 0, false
	}
	if sec, ok = parseDigits(s[1:3], 2, 2); !ok || sec > 59 {
		return 0, 0, false
	}
	frac := s[3:]
	if frac == "" {
		return sec, 0, true
	}
	if frac[0] != '.' || len(frac) < 2 || len(frac) > 10 {
		return 0, 0, false
	}
	nsec, ok = parseDigits(frac[1:], 1, 9)
	for n := len(frac) - 1; n < 9; n++ {
		nsec *= 10
	}
	return sec, nsec, ok
}

// inferYear places "Mon DD HH:MM" in a year; see maxFuture.
func inferYear(now time.Time, month time.Month, day, hour, min int, loc *time.Location) (time.Time, bool) {
	y := now.Year()
	if t, ok := listDate(y+1, month, day, hour, min, 0, 0, loc); ok && !t.After(now.Add(nextYearSlack)) {
		return t, true
	}
	if t, ok := listDate(y, month, day, hour, min, 0, 0, loc); ok && !t.After(now.Add(maxFuture)) {
		return t, true
	}
	// Going back more than one year only happens for February 29.
	for year := y - 1; year >= y-8; year-- {
		if t, ok := listDate(year, month, day, hour, min, 0, 0, loc); ok {
			return t, true
		}
	}
	return time.Time{}, false
}

// parseMonthName returns the month of a three-letter English abbreviation in
// any case, or 0.
func parseMonthName(s string) time.Month {
	if len(s) != 3 {
		return 0
	}
	const names = "janfebmaraprmayjunjulaugsepoctnovdec"
	var b [3]byte
	for i := 0; i < 3; i++ {
		b[i] = s[i] | 0x20 // ASCII lower case; non-letters fail below
	}
	for m := 0; m < 12; m++ {
		if names[3*m] == b[0] && names[3*m+1] == b[1] && names[3*m+2] == b[2] {
			return time.Month(m + 1)
		}
	}
	return 0
}

// parseHHMM parses "H:MM" or "HH:MM" in 24-hour time.
func parseHHMM(s string) (hour, min int, ok bool) {
	h, m, found := strings.Cut(s, ":")
	if !found {
		return 0, 0, false
	}
	hour, ok1 := parseDigits(h, 1, 2)
	min, ok2 := parseDigits(m, 2, 2)
	if !ok1 || !ok2 || hour > 23 || min > 59 {
		return 0, 0, false
	}
	return hour, min, true
}
