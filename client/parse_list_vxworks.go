package client

import (
	"strings"
	"time"
)

// isVxWorksLine reports whether line starts with a size, after any spaces,
// and holds a time, as VxWorks lines do.
func isVxWorksLine(line string) bool {
	s := strings.TrimLeft(line, " ")
	return s != "" && s[0] >= '0' && s[0] <= '9' && strings.IndexByte(s, ':') > 0
}

// parseVxWorksLine parses a line of the LIST output of the FTP server of
// Wind River VxWorks (ftpdLib, found in routers and embedded systems):
//
//	6775    Jan-01-1980  00:00:00   ABCports.tcl
//	 512    May-05-2003  14:20:44   BOOT              <DIR>
//
// The server prints each entry as "%8d    %s-%02d-%04d  %02d:%02d:%02d
// %-16s  %s": the size in bytes, the date with an English month (in upper
// case in some versions), the time, three spaces, the name padded with
// spaces to sixteen characters, two spaces and "<DIR>" for a folder. The
// name starts after the three spaces, so a name's leading spaces are kept;
// the padding makes trailing spaces and a name ending in " <DIR>" unknowable,
// so trailing spaces are removed and such a line is a folder.
func parseVxWorksLine(line string, _ time.Time, loc *time.Location) (Entry, string) {
	var f [3]listField
	if splitListFields(line, f[:]) < 3 {
		return Entry{}, "too few fields"
	}
	tok := func(i int) string { return line[f[i].start:f[i].end] }
	size, ok := parseListSize(tok(0))
	if !ok {
		return Entry{}, "bad size"
	}
	year, month, day, ok := parseVxWorksDate(tok(1))
	if !ok {
		return Entry{}, "bad date"
	}
	if len(tok(2)) != 8 {
		return Entry{}, "bad time"
	}
	e := Entry{Type: EntryFile, Size: size, Precision: TimeMinute}
	var reason string
	if e.ModTime, reason = dateAtHMS(year, month, day, tok(2), loc); reason != "" {
		return Entry{}, reason
	}
	name, ok := strings.CutPrefix(line[f[2].end:], "   ")
	if !ok {
		return Entry{}, "no name"
	}
	name = strings.TrimRight(name, " ")
	if rest, ok := strings.CutSuffix(name, "<DIR>"); ok && strings.HasSuffix(rest, " ") {
		name, e.Type = strings.TrimRight(rest, " "), EntryDir
	}
	if strings.Trim(name, " ") == "" {
		return Entry{}, "no name"
	}
	e.Name = name
	return e, ""
}

// parseVxWorksDate parses Mon-DD-YYYY with an English month in any case.
// The date may not exist; listDate tells.
func parseVxWorksDate(s string) (year int, month time.Month, day int, ok bool) {
	if len(s) != 11 || s[3] != '-' || s[6] != '-' {
		return 0, 0, 0, false
	}
	month = parseMonthName(s[:3])
	day, ok1 := parseDigits(s[4:6], 2, 2)
	year, ok2 := parseDigits(s[7:], 4, 4)
	return year, month, day, ok1 && ok2 && month != 0
}

// isVxWorksHeader reports whether line is one of the two header lines of a
// VxWorks listing: "size date time name" and dashes under each word.
func isVxWorksHeader(line string) bool {
	return fieldsAre(line, "size", "date", "time", "name") ||
		fieldsAre(line, "--------", "------", "------", "--------")
}
