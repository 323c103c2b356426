package client

import (
	"strings"
	"time"
)

// namePad says where the name starts after a date.
type namePad uint8

const (
	// padNone: the name starts one separator after the date.
	padNone namePad = iota
	// padOne: the date ends with a year where other lines show a time
	// of day, and the server pads the year to the width of a time after
	// it ("Mar 11 2007  name" from AIX, "1. Dez 2023  name" from German
	// ls, "2023-12-01  name" from Polish ls): when two or more spaces
	// follow, one more is padding.
	padOne
	// padAll: a numeric date alone ("2004.07.15   name"), padded to a
	// width only the server knows: every space before the name is
	// padding.
	padAll
)

// unixDate is a date read from the fields of a LIST line.
type unixDate struct {
	t    time.Time
	prec TimePrecision
	last int // the index of the date's last field
	pad  namePad
}

// compKind is the kind of a part of a date.
type compKind uint8

const (
	compNone  compKind = iota
	compMonth          // a month name, or a number with a month unit ("3月")
	compDay            // a number with a day unit ("2日", "2일")
	compYear           // four digits, maybe with a year unit ("2024年")
	compNum            // one or two digits, maybe followed by "." or ","
	compTime           // H:MM, HH:MM or HH.MM; 24:00 is the end of the day
)

// dateComp is one part of a date: a field, or a part of a CJK field such
// as "2月29日".
type dateComp struct {
	kind  compKind
	n     int  // the number, the month, or the hour
	min   int  // the minute of a compTime
	field int  // the field it comes from
	dot   bool // followed by "." ("6.", "2024.")
	comma bool // followed by "," ("08,")
}

// isDateConnector reports whether tok is a word some locales put inside a
// date: Catalan "de" ("6 de des."), Serbian "у" ("6. дец. у 09:07").
func isDateConnector(tok string) bool {
	return tok == "de" || tok == "у"
}

// lexDate reads the parts of a date from the fields starting at i, up to
// len(out), and returns how many it read. It stops at the first field
// that is no part of a date.
func lexDate(line string, f []listField, i int, out *[4]dateComp) int {
	n := 0
	for j := i; j < len(f) && n < len(out); j++ {
		tok := line[f[j].start:f[j].end]
		k := lexDateField(tok, j, out[n:])
		if k == 0 {
			if n > 0 && isDateConnector(tok) {
				continue
			}
			break
		}
		n += k
	}
	return n
}

// lexDateField reads the parts of one field into dst and returns how many
// there are, or 0 when the field is no part of a date.
func lexDateField(tok string, field int, dst []dateComp) int {
	if tok == "" {
		return 0
	}
	if a, b, ok := strings.Cut(tok, "\u00a0"); ok {
		// Czech ls joins day and month with a no-break space: "6.\u00a0pro".
		k := lexDateField(a, field, dst)
		if k == 0 || k == len(dst) {
			return 0
		}
		if l := lexDateField(b, field, dst[k:]); l > 0 {
			return k + l
		}
		return 0
	}
	if tok[0] < '0' || tok[0] > '9' {
		if m := lookupMonth(tok); m != 0 {
			dst[0] = dateComp{kind: compMonth, n: int(m), field: field}
			return 1
		}
		return 0
	}
	d := 0
	for d < len(tok) && tok[d] >= '0' && tok[d] <= '9' {
		d++
	}
	num, rest := tok[:d], tok[d:]
	switch {
	case rest == "" || rest == "." || rest == ",":
		c := dateComp{kind: compNum, field: field, dot: rest == ".", comma: rest == ","}
		switch len(num) {
		case 1, 2:
		case 4:
			c.kind = compYear
		default:
			return 0
		}
		c.n, _ = parseDigits(num, 1, 4)
		dst[0] = c
		return 1
	case len(rest) == 3 && (rest[0] == ':' || rest[0] == '.'):
		hour, min, ok := parseClock(tok, true)
		if !ok {
			return 0
		}
		dst[0] = dateComp{kind: compTime, n: hour, min: min, field: field}
		return 1
	}
	// Numbers with CJK units: "2024年", "2月29日", "2023年10月15日".
	k := 0
	for s := tok; s != ""; k++ {
		if k == len(dst) {
			return 0
		}
		d := 0
		for d < len(s) && s[d] >= '0' && s[d] <= '9' {
			d++
		}
		v, ok := parseDigits(s[:d], 1, 4)
		if !ok {
			return 0
		}
		unit, rest := cutDateUnit(s[d:])
		c := dateComp{n: v, field: field}
		switch {
		case unit == unitYear && d == 4:
			c.kind = compYear
		case (unit == unitMonth || unit == unitUnknown) && d <= 2:
			c.kind = compMonth
		case unit == unitDay && d <= 2:
			c.kind = compDay
		default:
			return 0
		}
		dst[k] = c
		s = rest
	}
	return k
}

// parseClock parses "H:MM" or "HH:MM" in 24-hour time, and "HH.MM" too
// when dot is set. "24:00" is allowed: the end of the day.
func parseClock(s string, dot bool) (hour, min int, ok bool) {
	sep := strings.IndexByte(s, ':')
	if sep < 0 && dot {
		sep = strings.IndexByte(s, '.')
	}
	if sep < 0 {
		return 0, 0, false
	}
	hour, ok1 := parseDigits(s[:sep], 1, 2)
	min, ok2 := parseDigits(s[sep+1:], 2, 2)
	if !ok1 || !ok2 || min > 59 || hour > 24 || hour == 24 && min != 0 {
		return 0, 0, false
	}
	return hour, min, true
}

// dayTime returns the time of day on a date, moving 24:00 to the start of
// the next day.
func dayTime(year int, month time.Month, day, hour, min int, loc *time.Location) (time.Time, bool) {
	if hour == 24 {
		t, ok := listDate(year, month, day, 0, 0, 0, 0, loc)
		return t.AddDate(0, 0, 1), ok
	}
	return listDate(year, month, day, hour, min, 0, 0, loc)
}

// recentTime places a date shown with a time of day in a year (see
// inferYear), moving 24:00 to the start of the next day.
func recentTime(now time.Time, month time.Month, day, hour, min int, loc *time.Location) (time.Time, bool) {
	if hour == 24 {
		return endOfDay(now, month, day, loc)
	}
	return inferYear(now, month, day, hour, min, loc)
}

// endOfDay is recentTime for 24:00.
func endOfDay(now time.Time, month time.Month, day int, loc *time.Location) (time.Time, bool) {
	t, ok := inferYear(now, month, day, 0, 0, loc)
	return t.AddDate(0, 0, 1), ok
}

// parseLocalDate parses a date in the forms that ls and FTP servers print
// in other languages than English, starting at field i. Day first:
// "6. Dez 09:07", "26. Juli, 20:10", "2.   Okt.  2003", "9 de set.  00:00".
// Month first: "szept  9 00.00", "Oct 08, 2002 09:47", "3月 2日 15:13",
// "2月 29  2024". Year first: "2023 jan    8", "2023年 1月 8日",
// "2024년  2월 29일". Numbers: "29. 2.  2024", "3 29 03:26" and the forms
// of parseNumericDate. Month names are those of lookupMonth; times may use
// a dot ("09.07").
func parseLocalDate(line string, f []listField, i int, now time.Time, loc *time.Location) (unixDate, bool) {
	var c [4]dateComp
	n := lexDate(line, f, i, &c)
	if n == 0 {
		return parseNumericDate(line, f, i, now, loc)
	}
	if n < 3 {
		return unixDate{}, false
	}
	isDay := func(c dateComp) bool { return c.kind == compDay || c.kind == compNum }
	var month time.Month
	var day int
	switch {
	case c[0].kind == compMonth && isDay(c[1]):
		// Month first. "Oct 08, 2002 09:47" (VShell) shows both.
		month, day = time.Month(c[0].n), c[1].n
		if c[1].comma && c[2].kind == compYear && n > 3 && c[3].kind == compTime {
			t, ok := dayTime(c[2].n, month, day, c[3].n, c[3].min, loc)
			return unixDate{t, TimeMinute, c[3].field, padNone}, ok
		}
	case isDay(c[0]) && !c[0].comma && c[1].kind == compMonth:
		day, month = c[0].n, time.Month(c[1].n)
	case c[0].kind == compNum && c[1].kind == compNum && c[0].dot && c[1].dot:
		// Finnish: "29. 2.  2024", " 9. 9. 00:00".
		day, month = c[0].n, time.Month(c[1].n)
	case c[0].kind == compNum && c[1].kind == compNum && !c[0].dot && !c[1].dot &&
		!c[0].comma && !c[1].comma && c[2].kind == compTime:
		// Month and day as numbers: "3 29 03:26".
		month, day = time.Month(c[0].n), c[1].n
	case c[0].kind == compYear && !c[0].dot && !c[0].comma && c[1].kind == compMonth && isDay(c[2]):
		// Year first, without a time: "2023 jan    8", "2023年 1月 8日".
		// A time or year after it means that the year was a size.
		if c[0].n < 1900 || c[0].n > 2199 || n > 3 && c[3].field > c[2].field && (c[3].kind == compTime || c[3].kind == compYear) {
			return unixDate{}, false
		}
		t, ok := listDate(c[0].n, time.Month(c[1].n), c[2].n, 0, 0, 0, 0, loc)
		return unixDate{t, TimeDay, c[2].field, padNone}, ok
	default:
		return unixDate{}, false
	}
	return endDate(line, f, c[2], month, day, c[0].dot, now, loc)
}

// endDate finishes a date of which month and day are known with its last
// part, a time of day or a year. dayDot tells that the day was written
// with a dot, as in German ("1. Dez 2023  name"), whose ls pads the year
// after it.
func endDate(line string, f []listField, last dateComp, month time.Month, day int, dayDot bool, now time.Time, loc *time.Location) (unixDate, bool) {
	switch last.kind {
	case compTime:
		t, ok := recentTime(now, month, day, last.n, last.min, loc)
		return unixDate{t, TimeMinute, last.field, padNone}, ok
	case compYear:
		t, ok := listDate(last.n, month, day, 0, 0, 0, 0, loc)
		d := unixDate{t, TimeDay, last.field, padNone}
		if start := f[last.field].start; dayDot && !last.dot && start >= 2 && line[start-2] != ' ' && line[start-2] != '\t' {
			// One separator before the year: the padding comes after it.
			d.pad = padOne
		}
		return d, ok
	}
	return unixDate{}, false
}

// parseNumericDate parses a date written in one field with numbers, at
// field i: "2024-02-29", "1999/10/12", "2004.07.15", "24-04-2003",
// "01-jun-99", followed by an optional time of day; or "06-20", "09-26"
// (month and day) and the Finnish "6.12." (day and month), followed by a
// time of day or a year. In "AA-BB-YYYY", AA is the day when it is over
// 12 or the separator is a dot, and the month otherwise.
func parseNumericDate(line string, f []listField, i int, now time.Time, loc *time.Location) (unixDate, bool) {
	tok := line[f[i].start:f[i].end]
	if tok == "" || tok[0] < '0' || tok[0] > '9' {
		return unixDate{}, false
	}
	sep := byte(0)
	var parts [4]string
	n := 0
	for s := tok; ; n++ {
		if n == len(parts) {
			return unixDate{}, false
		}
		j := strings.IndexAny(s, "-/.")
		if j < 0 {
			parts[n] = s
			n++
			break
		}
		if sep != 0 && s[j] != sep {
			return unixDate{}, false
		}
		sep, parts[n], s = s[j], s[:j], s[j+1:]
	}
	num := func(s string) (int, bool) { return parseDigits(s, 1, 4) }
	var year, day int
	var month time.Month
	switch {
	case n == 2 && sep != '.' || n == 3 && sep == '.' && parts[2] == "":
		return numericMonthDay(line, f, i, parts[0], parts[1], sep == '.', now, loc)
	case n == 3 && len(parts[0]) == 4:
		y, ok1 := num(parts[0])
		m, ok2 := num(parts[1])
		d, ok3 := num(parts[2])
		if !ok1 || !ok2 || !ok3 {
			return unixDate{}, false
		}
		year, month, day = y, time.Month(m), d
	case n == 3 && len(parts[0]) <= 2:
		a, ok1 := num(parts[0])
		y, ok3 := num(parts[2])
		if !ok1 || !ok3 || len(parts[2]) != 2 && len(parts[2]) != 4 {
			return unixDate{}, false
		}
		if len(parts[2]) == 2 {
			y = twoDigitYear(y)
		}
		year = y
		if m := lookupMonth(parts[1]); m != 0 && (parts[1][0] < '0' || parts[1][0] > '9') {
			day, month = a, m
		} else if b, ok := num(parts[1]); !ok || len(parts[1]) > 2 {
			return unixDate{}, false
		} else if sep == '.' || a > 12 {
			day, month = a, time.Month(b)
		} else {
			month, day = time.Month(a), b
		}
	default:
		return unixDate{}, false
	}
	if i+1 < len(f) {
		if hour, min, ok := parseClock(line[f[i+1].start:f[i+1].end], false); ok {
			t, ok := dayTime(year, month, day, hour, min, loc)
			return unixDate{t, TimeMinute, i + 1, padNone}, ok
		}
	}
	t, ok := listDate(year, month, day, 0, 0, 0, 0, loc)
	d := unixDate{t, TimeDay, i, padAll}
	if sep == '-' && len(parts[0]) == 4 {
		// Polish ls prints "%Y-%m-%d " where others show a time.
		d.pad = padOne
	}
	return d, ok
}

// numericMonthDay parses "06-20" (month and day) or, when dayFirst,
// "6.12." at field i, followed by a time of day or a year.
func numericMonthDay(line string, f []listField, i int, a, b string, dayFirst bool, now time.Time, loc *time.Location) (unixDate, bool) {
	x, ok1 := parseDigits(a, 1, 2)
	y, ok2 := parseDigits(b, 1, 2)
	if !ok1 || !ok2 || i+1 >= len(f) {
		return unixDate{}, false
	}
	month, day := time.Month(x), y
	if dayFirst {
		day, month = x, time.Month(y)
	}
	var c [1]dateComp
	if lexDateField(line[f[i+1].start:f[i+1].end], i+1, c[:]) != 1 || c[0].dot || c[0].comma {
		return unixDate{}, false
	}
	return endDate(line, f, c[0], month, day, dayFirst, now, loc)
}

// twoDigitYear reads a two-digit year as DOS listings do: 69 to 99 are
// 19xx, the rest 20xx.
func twoDigitYear(y int) int {
	if y >= 69 {
		return 1900 + y
	}
	return 2000 + y
}
