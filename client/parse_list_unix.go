package client

import (
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
//	-rw-r--r--   1 u     g         29  6. Dez 09:07 name   (German ls)
//	d [RWCEAFMS] owner            512 Mar  4 12:34 name   (NetWare)
//
// The date is the first one found at least two fields after the mode: an
// English month name (or an ISO date) followed by a day and a time or
// year, or failing that one of the forms of parseLocalDate. The size is
// the field before it, owner and group are the fields between. The name
// starts one separator after the date, so that leading, repeated and
// trailing spaces in names are kept, except where the server pads a year
// (see namePad).
//
// A line whose date is in no form it knows still gives its entry, with
// Precision TimeUnknown and a zero ModTime, when the rest of the line is
// unambiguous: see parseUntimed.
func parseUnixLine(line string, now time.Time, loc *time.Location) (Entry, string) {
	var e Entry
	var buf [16]listField
	n := splitListFields(line, buf[:])
	reason := parseUnixFields(&e, line, buf[:n], now, loc)
	if reason == reasonNoDate && n == len(buf) {
		reason = parseLongUnixLine(&e, line, now, loc)
	}
	if reason != "" {
		return Entry{}, reason
	}
	return e, ""
}

// parseLongUnixLine parses a line whose date may lie beyond its first 16
// fields (a group name with many spaces).
func parseLongUnixLine(e *Entry, line string, now time.Time, loc *time.Location) string {
	var buf [64]listField
	return parseUnixFields(e, line, buf[:splitListFields(line, buf[:])], now, loc)
}

const reasonNoDate = "no size and date fields"

// parseUnixFields parses the fields f of line into e and returns why it
// cannot, or "".
func parseUnixFields(e *Entry, line string, f []listField, now time.Time, loc *time.Location) string {
	if len(f) < 5 {
		return "too few fields"
	}
	h, ok := unixHead{}, false
	if m := line[f[0].start:f[0].end]; len(m) == 10 {
		// The common case, "-rw-r--r--", without a call.
		h.typ, h.mode, ok = parseUnixMode(m)
		h.first, h.links, h.device = 1, true, h.typ == EntryOther && (m[0] == 'c' || m[0] == 'b')
	} else {
		h, ok = parseUnixHead(line, f)
	}
	if !ok {
		return "unknown file mode"
	}
	// English and ISO dates first: they are the common case, and a
	// localized reading must not win over them.
	var d unixDate
	for i := h.first + 2; i+1 < len(f); i++ {
		if parseUnixDate(&d, line, f, i, now, loc) {
			if reason, done := h.entry(e, line, f, i, &d); done {
				return reason
			}
		}
	}
	for i := h.first + 2; i+1 < len(f); i++ {
		if d, ok := parseLocalDate(line, f, i, now, loc); ok {
			if reason, done := h.entry(e, line, f, i, &d); done {
				return reason
			}
		}
	}
	if h.parseUntimed(e, line, f) {
		return ""
	}
	return reasonNoDate
}

// entry fills e from a line whose date starts at field i. It returns done
// false, and leaves e alone, when the fields before the date hold no size,
// so that the search for a date goes on; and done true with the reason
// when the line cannot be read, or "".
func (h *unixHead) entry(e *Entry, line string, f []listField, i int, d *unixDate) (reason string, done bool) {
	tok := func(i int) string { return line[f[i].start:f[i].end] }
	size := int64(-1)
	sizeAt := i - 1
	glued := 0 // the length of a group name glued to the size
	switch n, ok := parseListSize(tok(sizeAt)); {
	case h.device:
		// "1, 3" or "1,3" (major, minor) instead of a size.
		// Some servers show a plain number.
		maj, min, comma := strings.Cut(tok(sizeAt), ",")
		if !comma && sizeAt-1 > h.first && strings.HasSuffix(tok(sizeAt-1), ",") {
			sizeAt, maj, min, comma = sizeAt-1, strings.TrimSuffix(tok(sizeAt-1), ","), tok(sizeAt), true
		}
		_, ok1 := parseListSize(maj)
		_, ok2 := parseListSize(min)
		if !ok1 || (comma && !ok2) {
			return "", false
		}
	case ok:
		size = n
	default:
		// A long group name runs into the size: "longgroup123456".
		group, n, ok := cutGluedSize(tok(sizeAt))
		if !ok {
			return "", false
		}
		size, glued = n, len(group)
	}
	start := f[d.last].end + 1
	if start >= len(line) {
		return "no name", true
	}
	switch {
	case d.pad == padOne || h.netware:
		// NetWare pads names too: "Jan 16 18:53    name".
		if line[start] == ' ' && start+1 < len(line) {
			start++
		}
		for h.netware && line[start] == ' ' && start+1 < len(line) {
			start++
		}
	case d.pad == padAll:
		for (line[start] == ' ' || line[start] == '\t') && start+1 < len(line) {
			start++
		}
	}
	// e is still zero.
	e.Type, e.Mode, e.Size, e.ModTime, e.Precision = h.typ, h.mode, size, d.t, d.prec
	if glued > 0 {
		h.setGluedOwnerGroup(e, line, f[h.first:sizeAt+1], glued)
	} else {
		setOwnerGroup(e, line, f[h.first:sizeAt], h)
	}
	if !setUnixName(e, line[start:]) {
		*e = Entry{}
		return "no name", true
	}
	return "", true
}

// setGluedOwnerGroup is setOwnerGroup for fields whose last one holds the
// group name, glued bytes long, and the size.
func (h *unixHead) setGluedOwnerGroup(e *Entry, line string, f []listField, glued int) {
	var buf [16]listField
	if len(f) > len(buf) {
		return
	}
	g := buf[:copy(buf[:], f)]
	g[len(g)-1].end = g[len(g)-1].start + glued
	setOwnerGroup(e, line, g, h)
}

// setUnixName sets the name, and the target of a link shown as
// "name -> target". It reports whether the name is not empty.
func setUnixName(e *Entry, name string) bool {
	e.Name = name
	if e.Type == EntryLink {
		if name, target, ok := strings.Cut(e.Name, " -> "); ok {
			e.Name, e.Target = name, target
		}
	}
	return e.Name != ""
}

// cutGluedSize splits a field in which a group name without digits runs
// into the size, such as "longgroup123456", into the name and the size.
func cutGluedSize(s string) (group string, size int64, ok bool) {
	i := strings.IndexAny(s, "0123456789")
	if i <= 0 {
		return "", 0, false
	}
	size, ok = parseListSize(s[i:])
	return s[:i], size, ok
}

// setOwnerGroup reads the fields between the mode and the size, which are
// "links owner group", "links owner", "owner group" or "owner" on Unix
// servers ("owner group" when the link count is glued to the mode), and
// the owner alone on NetWare.
func setOwnerGroup(e *Entry, line string, f []listField, h *unixHead) {
	tok := func(i int) string { return line[f[i].start:f[i].end] }
	switch {
	case len(f) == 0:
	case h.netware:
		e.Owner = line[f[0].start:f[len(f)-1].end]
	case len(f) == 1:
		e.Owner = tok(0)
	case !h.links:
		// The link count is glued to the mode: owner and group.
		e.Owner, e.Group = tok(0), line[f[1].start:f[len(f)-1].end]
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

// parseUntimed reads a line whose date is in no known form, such as
// "-rw-r--r-- 1 u g 29 6. დეკ. 09:07 name" from a locale without a month
// table, or "Feb 30 12:34" and "Mar  4 25:61", impossible dates, when
// every other field is where it belongs: the link count, owner, group and
// size, then a date of three fields (one or two digits and a word without
// digits, in either order, then a time or a year of that shape), then
// the name. The entry has Precision TimeUnknown and a zero ModTime.
func (h *unixHead) parseUntimed(e *Entry, line string, f []listField) bool {
	if h.netware || h.device {
		return false
	}
	tok := func(i int) string { return line[f[i].start:f[i].end] }
	j := h.first
	if h.links {
		if _, ok := parseListSize(tok(j)); !ok {
			return false
		}
		j++
	}
	// f[j] owner, f[j+1] group, f[j+2] size, f[j+3:j+6] date, then the name.
	if len(f) < j+7 {
		return false
	}
	size, ok := parseListSize(tok(j + 2))
	if !ok {
		return false
	}
	a, b, c := tok(j+3), tok(j+4), tok(j+5)
	if !(isDayShape(a) && isMonthShape(b) || isMonthShape(a) && isDayShape(b)) {
		return false
	}
	if _, _, ok := parseClock(c, true); !ok && !isClockShape(c) && !isYearField(c) {
		return false
	}
	*e = Entry{Type: h.typ, Mode: h.mode, Size: size}
	setOwnerGroup(e, line, f[h.first:j+2], h)
	if !setUnixName(e, line[f[j+5].end+1:]) {
		*e = Entry{}
		return false
	}
	return true
}

// isDayField reports whether s is a day of the month: one or two digits
// and an optional dot.
func isDayField(s string) bool {
	s = strings.TrimSuffix(s, ".")
	d, ok := parseDigits(s, 1, 2)
	return ok && d >= 1 && d <= 31
}

// isDayShape reports whether s has the shape of a day of the month, one
// or two digits and an optional dot, whatever its value: "32" is a date
// that cannot be read, not a sign of other columns.
func isDayShape(s string) bool {
	_, ok := parseDigits(strings.TrimSuffix(s, "."), 1, 2)
	return ok
}

// isMonthShape reports whether s has the shape of a month name: a word
// without digits or colons, known ("Feb" of an impossible "Feb 30") or not.
func isMonthShape(s string) bool {
	return s != "" && !strings.ContainsAny(s, "0123456789:")
}

// isClockShape reports whether s has the shape of a time of day, one or
// two digits, ":" or ".", two digits, whatever its value ("25:61").
func isClockShape(s string) bool {
	h, m, ok := strings.Cut(s, ":")
	if !ok {
		h, m, ok = strings.Cut(s, ".")
	}
	_, hok := parseDigits(h, 1, 2)
	_, mok := parseDigits(m, 2, 2)
	return ok && hok && mok
}

// isYearField reports whether s is four digits with an optional dot.
func isYearField(s string) bool {
	_, ok := parseDigits(strings.TrimSuffix(s, "."), 4, 4)
	return ok
}

// isUnknownWord reports whether s could be a month name that lookupMonth
// does not know: a word without digits or colons that names no month.
func isUnknownWord(s string) bool {
	if strings.ContainsAny(s, "0123456789:") {
		return false
	}
	return parseMonthName(s) == 0 && lookupMonth(s) == 0
}

// parseUnixDate parses the date that starts at field i: "Mon DD HH:MM",
// "Mon DD YYYY", "YYYY-MM-DD HH:MM" or "YYYY-MM-DD HH:MM:SS[.frac] [±hhmm]",
// with English month names, into d.
func parseUnixDate(d *unixDate, line string, f []listField, i int, now time.Time, loc *time.Location) bool {
	tok := func(i int) string { return line[f[i].start:f[i].end] }
	if month := parseMonthName(tok(i)); month != 0 {
		if i+2 >= len(f) {
			return false
		}
		day, ok := parseDigits(tok(i+1), 1, 2)
		if !ok {
			return false
		}
		if year, ok := parseDigits(tok(i+2), 4, 4); ok {
			t, ok := listDate(year, month, day, 0, 0, 0, 0, loc)
			*d = unixDate{t, TimeDay, i + 2, padNone}
			if f[i+2].start-f[i+1].end == 1 {
				// "Mar 11 2007  name" (AIX): the padding follows the year.
				d.pad = padOne
			}
			return ok
		}
		hour, min, ok := parseClock(tok(i+2), false)
		if !ok {
			return false
		}
		t, ok := recentTime(now, month, day, hour, min, loc)
		*d = unixDate{t, TimeMinute, i + 2, padNone}
		return ok
	}
	iso := tok(i)
	if len(iso) != 10 || iso[4] != '-' || iso[7] != '-' {
		return false
	}
	year, ok1 := parseDigits(iso[:4], 4, 4)
	month, ok2 := parseDigits(iso[5:7], 2, 2)
	day, ok3 := parseDigits(iso[8:], 2, 2)
	c := tok(i + 1)
	if !ok1 || !ok2 || !ok3 || len(c) < 5 {
		return false
	}
	hour, min, ok := parseHHMM(c[:5])
	if !ok {
		return false
	}
	if len(c) == 5 {
		t, ok := listDate(year, time.Month(month), day, hour, min, 0, 0, loc)
		*d = unixDate{t, TimeMinute, i + 1, padNone}
		return ok
	}
	// Full ISO: seconds, an optional fraction, and maybe a zone offset.
	sec, nsec, ok := parseISOSeconds(c[5:])
	if !ok {
		return false
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
					*d = unixDate{t.UTC(), TimeExact, i + 2, padNone}
					return ok
				}
			}
		}
	}
	t, ok := listDate(year, time.Month(month), day, hour, min, sec, nsec, loc)
	*d = unixDate{t, TimeMinute, i + 1, padNone}
	return ok
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
