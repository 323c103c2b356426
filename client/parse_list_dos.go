package client

import (
	"strings"
	"time"
)

// parseDOSLine parses Microsoft IIS and DOS or Windows "dir" output:
//
//	03-04-25  10:05AM       <DIR>          name
//	03-04-2025  22:05                 1234 name
//	2024-03-04  12:34            1,234,567 name
//	04.03.2024  12:34    <JUNCTION>     Documents and Settings [C:\Users]
//
// The date is month first with "-" or "/" (MM-DD-YY, MM/DD/YYYY, as IIS
// and US Windows write it), day first with "." (DD.MM.YYYY, as Windows
// writes it in much of Europe), or ISO (YYYY-MM-DD); two-digit years 69 to
// 99 are 19xx, the rest 20xx. The time has an optional AM or PM, glued to
// it or not, and optional seconds; with AM or PM, some servers write the
// hour after midnight or noon as 00 rather than 12. A size is right-aligned, may group its
// digits with "," or ".", and is followed by one space; "<DIR>" and the
// link tags ("<JUNCTION>", "<SYMLINKD>", "<SYMLINK>", whose target follows
// the name in brackets) fill a column of 15 characters. The name starts
// after that, so that its own leading spaces are kept.
func parseDOSLine(line string, _ time.Time, loc *time.Location) (Entry, string) {
	var f [4]listField
	n := splitListFields(line, f[:])
	tok := func(i int) string { return line[f[i].start:f[i].end] }
	if n < 3 {
		return Entry{}, "too few fields"
	}
	year, month, day, ok := parseDOSDate(tok(0))
	if !ok {
		return Entry{}, "bad date"
	}
	clock, next := tok(1), 2
	ampm := ""
	if c := clock[len(clock)-1] | 0x20; c == 'm' && len(clock) > 2 {
		clock, ampm = clock[:len(clock)-2], clock[len(clock)-2:]
	} else if a := tok(2); strings.EqualFold(a, "AM") || strings.EqualFold(a, "PM") {
		ampm, next = a, 3
	}
	hour, minute, sec, _, ok := parseClockFull(clock)
	switch {
	case !ok:
		return Entry{}, "bad time"
	case ampm == "":
	case hour > 12:
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
	t, ok := listDate(year, month, day, hour, minute, sec, 0, loc)
	if !ok {
		return Entry{}, "bad date"
	}
	e := Entry{ModTime: t, Precision: TimeMinute, Size: -1}
	rest := line[f[next].end:]
	if tag := tok(next); tag[0] == '<' {
		switch tag {
		case "<DIR>":
			e.Type = EntryDir
		case "<JUNCTION>", "<SYMLINKD>", "<SYMLINK>":
			e.Type = EntryLink
		default:
			return Entry{}, "unknown tag " + tag
		}
		pad := len(rest) - len(strings.TrimLeft(rest, " "))
		e.Name = rest[min(pad, max(1, 15-len(tag))):]
		if e.Type == EntryLink && strings.HasSuffix(e.Name, "]") {
			if i := strings.LastIndex(e.Name, " ["); i > 0 {
				e.Name, e.Target = e.Name[:i], e.Name[i+2:len(e.Name)-1]
			}
		}
	} else {
		size, ok := parseGroupedSize(tag)
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

// parseDOSDate parses the date of a DOS line: MM-DD-YY, MM/DD/YY and
// MM-DD-YYYY, DD.MM.YY and DD.MM.YYYY, or YYYY-MM-DD.
func parseDOSDate(d string) (year int, month time.Month, day int, ok bool) {
	var m, dd int
	var ok1, ok2, ok3 bool
	switch {
	case len(d) == 10 && d[4] == '-' && d[7] == '-':
		year, ok1 = parseDigits(d[:4], 4, 4)
		m, ok2 = parseDigits(d[5:7], 2, 2)
		dd, ok3 = parseDigits(d[8:], 2, 2)
	case (len(d) == 8 || len(d) == 10) && d[2] == d[5] && (d[2] == '-' || d[2] == '/'):
		m, ok1 = parseDigits(d[:2], 2, 2)
		dd, ok2 = parseDigits(d[3:5], 2, 2)
		year, ok3 = fullYear(d[6:])
	case (len(d) == 8 || len(d) == 10) && d[2] == '.' && d[5] == '.':
		dd, ok1 = parseDigits(d[:2], 2, 2)
		m, ok2 = parseDigits(d[3:5], 2, 2)
		year, ok3 = fullYear(d[6:])
	}
	return year, time.Month(m), dd, ok1 && ok2 && ok3
}

// parseGroupedSize parses a size whose digits may be grouped by thousands
// with "," or "." ("1,234,567", "1.234.567"), or a plain size.
func parseGroupedSize(s string) (int64, bool) {
	if len(s) < 5 || (s[len(s)-4] != ',' && s[len(s)-4] != '.') {
		return parseListSize(s)
	}
	sep := s[len(s)-4]
	var n int64
	group := 0 // digits since the last separator
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == sep && i > 0 && (group == 3 || (i <= 3 && group == i)):
			group = 0
			continue
		case c < '0' || c > '9':
			return 0, false
		}
		if n > (1<<63-1-int64(c-'0'))/10 {
			return 0, false
		}
		n = n*10 + int64(c-'0')
		group++
	}
	return n, group == 3
}
