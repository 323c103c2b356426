package client

import (
	"strings"
	"time"
)

// isVMSLine reports whether the first field of line holds a ";", as a VMS
// file name with its version does.
func isVMSLine(line string) bool {
	for i := 0; i < len(line); i++ {
		switch line[i] {
		case ';':
			return i > 0
		case ' ', '\t':
			return false
		}
	}
	return false
}

// parseVMSLine parses a line of OpenVMS "DIRECTORY/SIZE/DATE/OWNER/PROTECTION"
// output as MultiNet, TCPware, UCX and CMU send it:
//
//	README.TXT;4               2  18-APR-2000 10:40:39.90
//	ANNOUNCE.TXT;2          1/16  12-MAR-2005 08:44:57  [SYSTEM]  (RWED,RWED,RE,RE)
//	DATA.DIR;1               1/9   2-JUN-1998 07:32:04  [GROUP,OWNER]  (,RWED,RWED,RE)
//	NOTES.TXT;1   [SUMMARY]  1/3   2-AUG-2006 13:05  (RWE,RWE,RE,)
//
// The name is returned without its version; a name ending in ".DIR" is a
// folder and is returned without it. The size, in 512-byte blocks used and
// optionally allocated (or "******" when too large for the column), is not
// a size in bytes, so Size is -1. The time has no zone and may lack the
// time of day. The owner "[GROUP,OWNER]" or "[OWNER]" sets Group and Owner;
// the protection "(S,O,G,W)" is not Unix permission bits, so Mode stays
// zero. Size, date, owner and protection may come in other orders.
func parseVMSLine(line string, _ time.Time, loc *time.Location) (Entry, string) {
	var f [8]listField
	n := splitListFields(line, f[:])
	tok := func(i int) string { return line[f[i].start:f[i].end] }
	if n < 3 {
		return Entry{}, "too few fields"
	}
	name, version, ok := strings.Cut(tok(0), ";")
	if _, vok := parseDigits(version, 1, 5); !ok || !vok || name == "" {
		return Entry{}, "no name with a version"
	}
	e := Entry{Name: name, Type: EntryFile, Size: -1}
	if len(name) > 4 && strings.EqualFold(name[len(name)-4:], ".DIR") {
		e.Name, e.Type = name[:len(name)-4], EntryDir
	}
	var date string
	var clock, size, owner, protection bool
	for i := 1; i < n; i++ {
		t := tok(i)
		switch {
		case t[0] == '[' && !owner:
			// Some servers do not close the bracket of a long owner.
			uic := strings.TrimSuffix(t[1:], "]")
			if uic == "" {
				return Entry{}, "bad owner"
			}
			if g, o, ok := strings.Cut(uic, ","); ok {
				e.Group, e.Owner = g, o
			} else {
				e.Owner = uic
			}
			owner = true
		case t[0] == '(' && !protection:
			if !isVMSProtection(t) {
				return Entry{}, "bad protection"
			}
			protection = true
		case date == "" && isVMSDate(t):
			date = t
		case date != "" && !clock && t[0] >= '0' && t[0] <= '9' && strings.IndexByte(t, ':') > 0:
			hour, minute, sec, nsec, ok := parseClockFull(t)
			if !ok {
				return Entry{}, "bad time"
			}
			year, month, day, _ := parseVMSDate(date)
			if e.ModTime, ok = listDate(year, month, day, hour, minute, sec, nsec, loc); !ok {
				return Entry{}, "bad date"
			}
			e.Precision, clock = TimeMinute, true
		case !size && isVMSSize(t):
			size = true
		default:
			return Entry{}, "unknown field " + t
		}
	}
	if strings.TrimLeft(line[f[n-1].end:], " \t") != "" {
		return Entry{}, "too many fields"
	}
	if date == "" || !size {
		return Entry{}, "no size and date fields"
	}
	if !clock {
		year, month, day, _ := parseVMSDate(date)
		if e.ModTime, ok = listDate(year, month, day, 0, 0, 0, 0, loc); !ok {
			return Entry{}, "bad date"
		}
		e.Precision = TimeDay
	}
	return e, ""
}

// isVMSDate reports whether s is a VMS date such as "2-JUN-1998" or
// "18-APR-2000".
func isVMSDate(s string) bool {
	_, _, _, ok := parseVMSDate(s)
	return ok
}

// parseVMSDate parses a VMS date: a day, a three-letter English month and a
// four-digit year, separated by "-". The date may not exist (31-FEB-2000);
// listDate tells.
func parseVMSDate(s string) (year int, month time.Month, day int, ok bool) {
	d, rest, ok1 := strings.Cut(s, "-")
	m, y, ok2 := strings.Cut(rest, "-")
	if !ok1 || !ok2 {
		return 0, 0, 0, false
	}
	day, ok1 = parseDigits(d, 1, 2)
	year, ok2 = parseDigits(y, 4, 4)
	month = parseMonthName(m)
	return year, month, day, ok1 && ok2 && month != 0 && day > 0
}

// isVMSSize reports whether s is a VMS size: blocks used, optionally
// "/allocated", asterisks for a number too wide for its column, or a size
// with a unit ("2KB").
func isVMSSize(s string) bool {
	if strings.Trim(s, "*") == "" {
		return true
	}
	used, alloc, found := strings.Cut(s, "/")
	if found {
		_, ok1 := parseListSize(used)
		_, ok2 := parseListSize(alloc)
		return ok1 && ok2
	}
	for _, unit := range [...]string{"KB", "MB", "GB"} {
		if len(s) > 2 && strings.EqualFold(s[len(s)-2:], unit) {
			s = s[:len(s)-2]
			break
		}
	}
	_, ok := parseListSize(s)
	return ok
}

// isVMSProtection reports whether s is a VMS protection such as
// "(RWED,RWED,RE,)": four groups, for system, owner, group and world, of
// the letters R, W, E and D in that order, each group possibly empty.
func isVMSProtection(s string) bool {
	if len(s) < 5 || s[0] != '(' || s[len(s)-1] != ')' {
		return false
	}
	groups := strings.Split(s[1:len(s)-1], ",")
	if len(groups) != 4 {
		return false
	}
	for _, g := range groups {
		next := 0 // index in "RWED" of the next letter allowed
		for i := 0; i < len(g); i++ {
			j := strings.IndexByte("RWED"[next:], g[i])
			if j < 0 {
				return false
			}
			next += j + 1
		}
	}
	return true
}

// vmsNameOnly reports whether line holds only a VMS file name with its
// version ("MAIL_ARCHIVES.DIR;1"): VMS puts a name too long for its column
// alone on a line and the rest of the entry on the next.
func vmsNameOnly[T string | []byte](line T) bool {
	semi := -1
	end := len(line)
	for end > 0 && (line[end-1] == '\r' || line[end-1] == '\n' || line[end-1] == ' ') {
		end--
	}
	if end == 0 || line[end-1] < '0' || line[end-1] > '9' {
		return false // most lines: no version at the end
	}
	for i := 0; i < end; i++ {
		switch c := line[i]; {
		case c == ' ' || c == '\t':
			return false
		case c == ';':
			semi = i
		}
	}
	if semi < 1 || semi == end-1 {
		return false
	}
	for i := semi + 1; i < end; i++ {
		if line[i] < '0' || line[i] > '9' {
			return false
		}
	}
	return true
}

// joinVMSLines joins held, a line that vmsNameOnly accepted, with line
// when line holds the rest of its entry: it starts with white space, and
// the two make a VMS entry, or a VMS error message ("<%SYSTEM-F-NOPRIV,
// ...>") that then is reported as one unparsable line.
func joinVMSLines(held, line string) (string, bool) {
	if line == "" || (line[0] != ' ' && line[0] != '\t') {
		return "", false
	}
	rest := strings.TrimRight(strings.TrimLeft(line, " \t"), "\r\n")
	if rest == "" {
		return "", false
	}
	joined := strings.TrimRight(held, "\r\n ") + " " + rest
	if _, reason := parseVMSLine(joined, time.Time{}, time.UTC); reason != "" && rest[0] != '<' {
		return "", false
	}
	return joined, true
}

// isVMSHeader reports whether line is a header or footer of a VMS listing:
// "Directory DISK$USER:[NAME]", "DISK$USER:[NAME]", "Total of 3 files, 12
// blocks.", "Total 3 files", "Grand total of 2 directories, 30 files", or
// the line "*.*;0 <%RMS-E-FNF, file not found>" of an empty folder.
func isVMSHeader(line string) bool {
	line = strings.TrimRight(line, " \t")
	spec := strings.TrimPrefix(line, "Directory ")
	if i := strings.Index(spec, ":["); i > 0 && strings.HasSuffix(spec, "]") && !strings.ContainsAny(spec, " \t") {
		return true
	}
	if strings.HasPrefix(line, "Total of ") || strings.HasPrefix(line, "Grand total of ") {
		return true
	}
	if rest, ok := strings.CutPrefix(line, "Total "); ok {
		n, files, _ := strings.Cut(rest, " ")
		if _, isNum := parseListSize(n); isNum && strings.HasPrefix(strings.ToLower(files), "file") {
			return true
		}
	}
	name, rest, _ := strings.Cut(line, " ")
	return strings.HasPrefix(name, "*.*;") && strings.HasPrefix(strings.TrimLeft(rest, " "), "<%RMS-E-FNF")
}
