package client

import (
	"strings"
	"time"
)

// isCMSLine reports whether line has a record format or folder field
// standing alone (" F ", " V " or " DIR "), as z/VM CMS lines do.
func isCMSLine(line string) bool {
	return strings.Contains(line, " V ") || strings.Contains(line, " F ") || strings.Contains(line, " DIR ")
}

// parseCMSLine parses a line of IBM z/VM (VM/CMS, VM/ESA) LIST output for
// a minidisk or a Shared File System folder:
//
//	README   ANONYMOU V         71         26          1 1997-04-02 12:33:20 TCP291
//	$README  $FIRST   F         80          7          1 11/21/97 23:26:08 FTP301
//	AUTHORS           DIR        -          -          - 1999-09-20 10:31:11 -
//
// and the same columns with the file mode after the file type, as CMS
// FILELIST shows them:
//
//	PROFILE  EXEC     A1 V         71         37          1  4/25/13  8:00:57
//	AUTHORS            A1 DIR    -      -      -       9/20/99   10:31:11
//
// A file has a file name and a file type, which FTP commands name as
// "NAME.TYPE", the Name returned. A folder
// shows "DIR" and dashes for the file type, record format and counts. The
// record format (F or V), record length, record count and block count do
// not tell a file's size in bytes, which depends on the transfer type, so
// Size is -1. The date is YYYY-MM-DD or M/DD/YY (the year may count from
// 1900: "1/03/100"), the time H:MM:SS. The last field, "-" or the owner
// and minidisk address, is not an owner name and is left out.
func parseCMSLine(line string, _ time.Time, loc *time.Location) (Entry, string) {
	var f [10]listField
	n := splitListFields(line, f[:])
	tok := func(i int) string { return line[f[i].start:f[i].end] }
	if n < 8 || n > 9 || strings.ContainsRune(line, '\t') {
		// CMS pads its columns with blanks, never tabs.
		return Entry{}, "not a CMS line"
	}
	e := Entry{Type: EntryFile, Size: -1}
	var at int // the index of the date field
	switch {
	case n == 8 && tok(1) == "DIR" && isCMSDashes(tok(2), tok(3), tok(4)):
		e.Name, e.Type, at = tok(0), EntryDir, 5
	case n == 8 && isCMSFileMode(tok(1)) && tok(2) == "DIR" && isCMSDashes(tok(3), tok(4), tok(5)):
		e.Name, e.Type, at = tok(0), EntryDir, 6
	case n == 9 && isCMSRecordFormat(tok(2)) && isCMSCounts(tok(3), tok(4), tok(5)):
		e.Name, at = tok(0)+"."+tok(1), 6
	case n == 9 && isCMSFileMode(tok(2)) && isCMSRecordFormat(tok(3)) && isCMSCounts(tok(4), tok(5), tok(6)):
		e.Name, at = tok(0)+"."+tok(1), 7
	default:
		return Entry{}, "not a CMS line"
	}
	if !isCMSName(tok(0)) || (e.Type == EntryFile && !isCMSName(tok(1))) {
		return Entry{}, "bad CMS name"
	}
	if at == n-3 && !isCMSName(tok(n-1)) {
		return Entry{}, "bad CMS owner"
	}
	year, month, day, ok := parseCMSDate(tok(at))
	if !ok {
		return Entry{}, "bad date"
	}
	var reason string
	if e.ModTime, reason = dateAtHMS(year, month, day, tok(at+1), loc); reason != "" {
		return Entry{}, reason
	}
	e.Precision = TimeMinute
	return e, ""
}

// isCMSName reports whether s can be a CMS file name, file type or Shared
// File System folder name: up to sixteen letters, digits and $ # @ + - : _.
// (File names and types have at most eight, but FileZilla's tests and
// perhaps some servers show longer ones.)
func isCMSName(s string) bool {
	if s == "" || len(s) > 16 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || strings.IndexByte("$#@+-:_", c) >= 0) {
			return false
		}
	}
	return true
}

// isCMSFileMode reports whether s is a CMS file mode: a disk letter and a
// mode number ("A1").
func isCMSFileMode(s string) bool {
	return len(s) == 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= '0' && s[1] <= '6'
}

// isCMSRecordFormat reports whether s is a CMS record format: fixed or
// variable.
func isCMSRecordFormat(s string) bool { return s == "F" || s == "V" }

// isCMSCounts reports whether the record length, record count and block
// count are numbers.
func isCMSCounts(lrecl, records, blocks string) bool {
	_, ok1 := parseDigits(lrecl, 1, 5)
	_, ok2 := parseListSize(records)
	_, ok3 := parseListSize(blocks)
	return ok1 && ok2 && ok3
}

// isCMSDashes reports whether the three fields are the dashes a folder
// shows for its record format and counts.
func isCMSDashes(a, b, c string) bool { return a == "-" && b == "-" && c == "-" }

// parseCMSDate parses YYYY-MM-DD, or M/DD/YY with a two-, three- (years
// since 1900) or four-digit year. The date may not exist; listDate tells.
func parseCMSDate(s string) (year int, month time.Month, day int, ok bool) {
	if len(s) == 10 && s[4] == '-' && s[7] == '-' {
		y, ok1 := parseDigits(s[:4], 4, 4)
		m, ok2 := parseDigits(s[5:7], 2, 2)
		d, ok3 := parseDigits(s[8:], 2, 2)
		return y, time.Month(m), d, ok1 && ok2 && ok3
	}
	ms, rest, ok1 := strings.Cut(s, "/")
	ds, ys, ok2 := strings.Cut(rest, "/")
	if !ok1 || !ok2 {
		return 0, 0, 0, false
	}
	m, ok1 := parseDigits(ms, 1, 2)
	d, ok2 := parseDigits(ds, 1, 2)
	y, ok3 := fullYear(ys)
	return y, time.Month(m), d, ok1 && ok2 && ok3
}

// dateAtHMS returns the time of a date and an "H:MM:SS" clock in loc, or
// why it cannot be read ("bad time", "bad date").
func dateAtHMS(year int, month time.Month, day int, hms string, loc *time.Location) (time.Time, string) {
	hour, minute, sec, ok := parseHMS(hms)
	if !ok {
		return time.Time{}, "bad time"
	}
	t, ok := listDate(year, month, day, hour, minute, sec, 0, loc)
	if !ok {
		return time.Time{}, "bad date"
	}
	return t, ""
}

// parseHMS parses "H:MM:SS" or "HH:MM:SS" in 24-hour time.
func parseHMS(s string) (hour, min, sec int, ok bool) {
	if len(s) < 7 || len(s) > 8 || s[len(s)-3] != ':' {
		return 0, 0, 0, false
	}
	hour, min, ok = parseHHMM(s[:len(s)-3])
	sec, okSec := parseDigits(s[len(s)-2:], 2, 2)
	return hour, min, sec, ok && okSec && sec <= 59
}

// isCMSHeader reports whether line is the column header of a CMS FILELIST
// ("Filename FileType Fm Format Lrecl Records Blocks Date Time", after a
// "Cmd" column on the screen).
func isCMSHeader(line string) bool {
	return fieldsAre(strings.TrimPrefix(strings.TrimLeft(line, " "), "Cmd "),
		"Filename", "FileType", "Fm", "Format", "Lrecl", "Records", "Blocks", "Date", "Time")
}

// fieldsAre reports whether the fields of line, separated by spaces or
// tabs, are words, in any case.
func fieldsAre(line string, words ...string) bool {
	var f [12]listField
	n := splitListFields(line, f[:])
	if n != len(words) {
		return false
	}
	for i, w := range words {
		if !strings.EqualFold(line[f[i].start:f[i].end], w) {
			return false
		}
	}
	return true
}
