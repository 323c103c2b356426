package client

import (
	"strings"
	"time"
)

// isNonStopLine reports whether line ends in a double quote, after any
// spaces, as the security string of an HP NonStop line does.
func isNonStopLine(line string) bool {
	line = strings.TrimRight(line, " \t")
	return line != "" && line[len(line)-1] == '"'
}

// parseNonStopLine parses a line of HP NonStop (Tandem) LIST output for a
// Guardian subvolume, under the header "File Code EOF Last Modification
// Owner RWEP":
//
//	ALV           101             2522 27-Aug-02 13:57:10 155,106 "nnnn"
//	IARPTS        101            16354 18-Mar-08 15:09:12 244, 10 "nnnn"
//	TACLCSTM   O  101             101  4-Mar-01  23:50:06 255,255 "oooo"
//
// The fields are the name, an "O" when the file is open, the file code
// (101 an edit file, 0 unstructured, 100 a program), the end-of-file
// position in bytes (the size), the date (DD-Mon-YY) and time of the last
// modification, the owner as group and user numbers (Group and Owner), and
// the security string for read, write, execute and purge in quotes, which
// is not Unix permission bits. A subvolume holds only files.
func parseNonStopLine(line string, _ time.Time, loc *time.Location) (Entry, string) {
	var f [10]listField
	n := splitListFields(line, f[:])
	tok := func(i int) string { return line[f[i].start:f[i].end] }
	if n < 7 || n == len(f) {
		return Entry{}, "not a NonStop line"
	}
	if !isNonStopSecurity(tok(n - 1)) {
		return Entry{}, "no security string"
	}
	e := Entry{Name: tok(0), Type: EntryFile}
	if e.Name[0] == '"' {
		return Entry{}, "bad name"
	}
	i := 1
	if tok(i) == "O" {
		i++
	}
	// The code, EOF, date and time, then one or two owner fields.
	switch rest := n - 1 - i; {
	case rest == 5:
		g, u, ok := strings.Cut(tok(i+4), ",")
		if !ok || !isNonStopID(g) || !isNonStopID(u) {
			return Entry{}, "bad owner"
		}
		e.Group, e.Owner = g, u
	case rest == 6:
		g, ok := strings.CutSuffix(tok(i+4), ",")
		if !ok || !isNonStopID(g) || !isNonStopID(tok(i+5)) {
			return Entry{}, "bad owner"
		}
		e.Group, e.Owner = g, tok(i+5)
	default:
		return Entry{}, "not a NonStop line"
	}
	if _, ok := parseDigits(tok(i), 1, 5); !ok {
		return Entry{}, "bad file code"
	}
	size, ok := parseListSize(tok(i + 1))
	if !ok {
		return Entry{}, "bad size"
	}
	e.Size = size
	year, month, day, ok := parseNonStopDate(tok(i + 2))
	if !ok {
		return Entry{}, "bad date"
	}
	var reason string
	if e.ModTime, reason = dateAtHMS(year, month, day, tok(i+3), loc); reason != "" {
		return Entry{}, reason
	}
	e.Precision = TimeMinute
	return e, ""
}

// isNonStopSecurity reports whether s is a quoted Guardian security string:
// four of A (any local user), G (group), O (owner), N (any user on the
// network), C (community), U (user on the network) and - (super ID only).
func isNonStopSecurity(s string) bool {
	if len(s) != 6 || s[0] != '"' || s[5] != '"' {
		return false
	}
	for i := 1; i < 5; i++ {
		if strings.IndexByte("AGONCU-agoncu", s[i]) < 0 {
			return false
		}
	}
	return true
}

// isNonStopID reports whether s is a Guardian group or user number.
func isNonStopID(s string) bool {
	_, ok := parseDigits(s, 1, 3)
	return ok
}

// parseNonStopDate parses DD-Mon-YY with an English month and a two- or
// four-digit year. The date may not exist; listDate tells.
func parseNonStopDate(s string) (year int, month time.Month, day int, ok bool) {
	d, rest, ok1 := strings.Cut(s, "-")
	m, y, ok2 := strings.Cut(rest, "-")
	if !ok1 || !ok2 || (len(y) != 2 && len(y) != 4) {
		return 0, 0, 0, false
	}
	day, ok1 = parseDigits(d, 1, 2)
	year, ok2 = fullYear(y)
	month = parseMonthName(m)
	return year, month, day, ok1 && ok2 && month != 0
}

// isNonStopHeader reports whether line is the header of a NonStop listing.
func isNonStopHeader(line string) bool {
	return fieldsAre(line, "File", "Code", "EOF", "Last", "Modification", "Owner", "RWEP")
}
