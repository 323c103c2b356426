package client

import (
	"strings"
	"time"
)

// isNetWareLine reports whether line starts as a NetWare line does: a type
// ("d" or "-"), a space and the rights in brackets.
func isNetWareLine(line string) bool {
	return len(line) > 3 && (line[0] == 'd' || line[0] == '-') && line[1] == ' ' && line[2] == '['
}

// parseNetWareLine parses a line of Novell NetWare's LIST output:
//
//	d [RWCEAFMS] owner                 512 Mar 04 12:34 name
//	- [R----F--] rhesus             214059       Oct 20 15:27    name
//
// The rights in brackets are NetWare trustee rights, not Unix permission
// bits, so Mode stays zero. Some servers pad the columns after the size
// and the time with more spaces than one, so the name starts at the first
// character after the time or year that is not a space (NetWare names do
// not start with one).
func parseNetWareLine(line string, now time.Time, loc *time.Location) (Entry, string) {
	var f [7]listField
	if splitListFields(line, f[:]) < 7 {
		return Entry{}, "too few fields"
	}
	tok := func(i int) string { return line[f[i].start:f[i].end] }
	e := Entry{Type: EntryFile, Owner: tok(2)}
	if tok(0) == "d" {
		e.Type = EntryDir
	}
	rights := tok(1)
	if len(rights) != 10 || rights[0] != '[' || rights[9] != ']' {
		return Entry{}, "bad rights"
	}
	for i := 1; i < 9; i++ {
		if c := rights[i]; c != '-' && c != "RWCEAFMS"[i-1] {
			return Entry{}, "bad rights"
		}
	}
	size, ok := parseListSize(tok(3))
	if !ok {
		return Entry{}, "bad size"
	}
	e.Size = size
	month := parseMonthName(tok(4))
	day, ok := parseDigits(tok(5), 1, 2)
	if month == 0 || !ok {
		return Entry{}, "bad date"
	}
	if year, ok := parseDigits(tok(6), 4, 4); ok {
		e.ModTime, ok = listDate(year, month, day, 0, 0, 0, 0, loc)
		e.Precision = TimeDay
		if !ok {
			return Entry{}, "bad date"
		}
	} else {
		hour, minute, sec, _, ok := parseClockFull(tok(6))
		if !ok || sec != 0 || len(tok(6)) > 5 {
			return Entry{}, "bad time"
		}
		if e.ModTime, ok = inferYear(now, month, day, hour, minute, loc); !ok {
			return Entry{}, "bad date"
		}
		e.Precision = TimeMinute
	}
	if e.Name = strings.TrimLeft(line[f[6].end:], " \t"); e.Name == "" {
		return Entry{}, "no name"
	}
	return e, ""
}
