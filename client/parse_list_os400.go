package client

import (
	"strings"
	"time"
)

// isOS400Line reports whether line has an object type field, as OS/400
// lines do ("*DIR", "*STMF").
func isOS400Line(line string) bool {
	return strings.Contains(line, " *")
}

// parseOS400Line parses a line of IBM i (OS/400, AS/400) LIST output:
//
//	QSYS            77824 02/23/00 15:09:55 *DIR       QDOC/
//	ASUSER         365255 02/28/01 15:41:40 *STMF      readme.txt
//	QPGMR        16347136 29.06.13 15:45:09 *FILE      RPGUNIT.SAVF
//	QPGMR                                   *MEM       RPGUNITC1.FILE/RUCALLTST.MBR
//
// The fields are the owner, the size, the date and time (in the job's date
// format: month first with "/" or "-", the US default, unless the first
// number cannot be a month; day first with "."), the object type and the
// name. Members (*MEM) show no size or time. Folders end in "/", which is
// removed, as is any path before the name. *DIR and *LIB are folders, as is
// a *FILE other than a save file (.SAVF): a database file holds members.
// *STMF, *DSTMF, *DOC, *MEM and save files are files; other object types
// are EntryOther.
func parseOS400Line(line string, _ time.Time, loc *time.Location) (Entry, string) {
	var f [6]listField
	n := splitListFields(line, f[:])
	tok := func(i int) string { return line[f[i].start:f[i].end] }
	if n < 3 {
		return Entry{}, "too few fields"
	}
	e := Entry{Owner: tok(0), Size: -1}
	typeAt := 1
	if tok(1)[0] != '*' {
		if n < 6 {
			return Entry{}, "too few fields"
		}
		size, ok := parseListSize(tok(1))
		if !ok {
			return Entry{}, "bad size"
		}
		year, month, day, ok := parseOS400Date(tok(2))
		if !ok {
			return Entry{}, "bad date"
		}
		hour, minute, sec, _, ok := parseClockFull(tok(3))
		if !ok || len(tok(3)) != 8 {
			return Entry{}, "bad time"
		}
		if e.ModTime, ok = listDate(year, month, day, hour, minute, sec, 0, loc); !ok {
			return Entry{}, "bad date"
		}
		e.Size, e.Precision, typeAt = size, TimeMinute, 4
	}
	objType := tok(typeAt)
	if len(objType) < 2 || objType[0] != '*' {
		return Entry{}, "no object type"
	}
	name := strings.TrimLeft(line[f[typeAt].end:], " ")
	name = strings.TrimSuffix(name, "/")
	if i := strings.LastIndexByte(name, '/'); i >= 0 {
		name = name[i+1:]
	}
	if name == "" {
		return Entry{}, "no name"
	}
	e.Name = name
	switch strings.ToUpper(objType) {
	case "*DIR", "*LIB":
		e.Type = EntryDir
	case "*FILE":
		e.Type = EntryDir
		if len(name) > 5 && strings.EqualFold(name[len(name)-5:], ".SAVF") {
			e.Type = EntryFile
		}
	case "*STMF", "*DSTMF", "*DOC", "*MEM":
		e.Type = EntryFile
	default:
		e.Type = EntryOther
	}
	return e, ""
}

// parseOS400Date parses a date of two-digit or four-digit year in the
// orders IBM i shows (see parseOS400Line).
func parseOS400Date(d string) (year int, month time.Month, day int, ok bool) {
	if (len(d) != 8 && len(d) != 10) || d[2] != d[5] || strings.IndexByte("/-.", d[2]) < 0 {
		return 0, 0, 0, false
	}
	a, ok1 := parseDigits(d[:2], 2, 2)
	b, ok2 := parseDigits(d[3:5], 2, 2)
	year, ok3 := fullYear(d[6:])
	if d[2] == '.' || a > 12 {
		a, b = b, a
	}
	return year, time.Month(a), b, ok1 && ok2 && ok3
}
