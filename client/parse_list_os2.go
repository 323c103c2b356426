package client

import (
	"strings"
	"time"
)

// isOS2Line reports whether line starts with a size, after any spaces, as
// an OS/2 line does.
func isOS2Line(line string) bool {
	s := strings.TrimLeft(line, " ")
	return s != "" && s[0] >= '0' && s[0] <= '9'
}

// parseOS2Line parses a line of the OS/2 FTP server's LIST output:
//
//	     0           DIR   12-30-97   12:32  jbrekke
//	587823    RSA    DIR   01-08-97   13:58  OS2KRNL
//	 33280      A          02-09-97   13:49  OS2LDR
//	36611      A    04-23-103  10:57  file
//
// The size comes first, then attributes (A, R, S, H) and "DIR" for a
// folder, the date MM-DD-YY (some servers give years since 1900, "103"
// for 2003, or four digits), the time and the name, which starts at the
// first character after the time that is not a space.
func parseOS2Line(line string, _ time.Time, loc *time.Location) (Entry, string) {
	var f [7]listField
	n := splitListFields(line, f[:])
	tok := func(i int) string { return line[f[i].start:f[i].end] }
	if n < 4 {
		return Entry{}, "too few fields"
	}
	size, ok := parseListSize(tok(0))
	if !ok {
		return Entry{}, "bad size"
	}
	e := Entry{Type: EntryFile, Size: size}
	i := 1
	for ; i < n-2; i++ {
		if t := tok(i); t == "DIR" {
			e.Type = EntryDir
		} else if strings.Trim(t, "ARSH") != "" {
			break
		}
	}
	d := tok(i)
	if len(d) < 8 || d[2] != '-' || d[5] != '-' {
		return Entry{}, "bad date"
	}
	month, ok1 := parseDigits(d[:2], 2, 2)
	day, ok2 := parseDigits(d[3:5], 2, 2)
	year, ok3 := fullYear(d[6:])
	hour, minute, sec, _, ok4 := parseClockFull(tok(i + 1))
	if !ok1 || !ok2 || !ok3 || !ok4 || sec != 0 {
		return Entry{}, "bad date"
	}
	if e.ModTime, ok = listDate(year, time.Month(month), day, hour, minute, 0, 0, loc); !ok {
		return Entry{}, "bad date"
	}
	e.Precision = TimeMinute
	if e.Name = strings.TrimLeft(line[f[i+1].end:], " \t"); e.Name == "" {
		return Entry{}, "no name"
	}
	return e, ""
}
