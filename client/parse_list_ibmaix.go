// The name is not parse_list_aix.go: the suffix _aix would build the file only on AIX.

package client

import (
	"strings"
	"time"
)

// isAIXLine reports whether line starts with a Unix file type letter.
func isAIXLine(line string) bool {
	return strings.IndexByte("-dlbcps", line[0]) >= 0
}

// parseAIXLine parses an "ls -l" line whose date puts the day before the
// month, as AIX's ls does in several locales (Apache commons-net bug 27437)
// and some other servers do:
//
//	-rw-r-----   1 ravensm  sca          814 02 Mar 16:27 ZMIR2.m
//	drwxr-xr-x   3 user     group        512 01 oct  2004 old dir
//
// The day, an English month name and a time of day or a year follow the
// size; the fields before the size are read as parseUnixLine reads them.
// The name starts one separator after the time or year.
func parseAIXLine(line string, now time.Time, loc *time.Location) (Entry, string) {
	var buf [16]listField
	f := buf[:splitListFields(line, buf[:])]
	if len(f) < 6 {
		return Entry{}, "too few fields"
	}
	tok := func(i int) string { return line[f[i].start:f[i].end] }
	typ, mode, ok := parseUnixMode(tok(0))
	if !ok {
		return Entry{}, "unknown file mode"
	}
	for i := 3; i+2 < len(f); i++ {
		month := parseMonthName(tok(i))
		if month == 0 {
			continue
		}
		day, ok1 := parseDigits(tok(i-1), 1, 2)
		sizeAt := i - 2
		size, ok2 := parseListSize(tok(sizeAt))
		if c := line[0]; c == 'c' || c == 'b' {
			// A device shows "major, minor" or "major,minor".
			major, minor, glued := strings.Cut(tok(sizeAt), ",")
			if !glued && sizeAt > 1 && strings.HasSuffix(tok(sizeAt-1), ",") {
				sizeAt, major, minor = sizeAt-1, strings.TrimSuffix(tok(sizeAt-1), ","), tok(sizeAt)
			}
			_, okMaj := parseListSize(major)
			_, okMin := parseListSize(minor)
			size, ok2 = -1, okMaj && okMin
		}
		if !ok1 || !ok2 {
			continue
		}
		e := Entry{Type: typ, Mode: mode, Size: size}
		if year, ok := parseDigits(tok(i+1), 4, 4); ok {
			e.ModTime, ok = listDate(year, month, day, 0, 0, 0, 0, loc)
			e.Precision = TimeDay
			if !ok {
				continue
			}
		} else {
			hour, minute, sec, _, ok := parseClockFull(tok(i + 1))
			if !ok || sec != 0 || len(tok(i+1)) > 5 {
				continue
			}
			if e.ModTime, ok = inferYear(now, month, day, hour, minute, loc); !ok {
				continue
			}
			e.Precision = TimeMinute
		}
		if f[i+1].end+1 >= len(line) {
			return Entry{}, "no name"
		}
		setOwnerGroup(&e, line, f[1:sizeAt], &unixHead{links: true})
		e.Name = line[f[i+1].end+1:]
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
	return Entry{}, "no size, day and month fields"
}
