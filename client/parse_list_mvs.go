package client

import (
	"strings"
	"time"
)

// parseMVSLine parses a line of z/OS (MVS) LIST output for data sets, under
// the header "Volume Unit Referred Ext Used Recfm Lrecl BlkSz Dsorg Dsname":
//
//	SAVE00 3390   2004/06/23  1    1  FB     128  6144  PS    INCOMING.RPTBM023.D061704
//	WPTA01 3290   2004/03/04  1    3  FB      80  3125  PO    MVS.DATASET
//	NRP004 3390   **NONE**    1   15  NONE     0     0  PO    MVS.NONEDATE
//	Migrated                                                  SOME.FILE
//	V43525 Tape                                               TAPE.FILE
//	TSO004 3390   VSAM                                        VSAM.FILE
//
// A partitioned data set (Dsorg PO or PO-E) holds members, as a folder holds
// files, and is EntryDir; other data sets are files. The size (in tracks)
// and the date (when the data set was last referred to, not modified) are
// not what Entry holds, so Size is -1 and the time is unknown.
func parseMVSLine(line string, _ time.Time, _ *time.Location) (Entry, string) {
	var f [11]listField
	n := splitListFields(line, f[:])
	tok := func(i int) string { return line[f[i].start:f[i].end] }
	if n < 2 || n == len(f) {
		return Entry{}, "not a data set line"
	}
	e := Entry{Name: tok(n - 1), Type: EntryFile, Size: -1}
	switch {
	case n == 2 && tok(0) == "Migrated":
		return e, ""
	case n == 6 && tok(1) == "Not" && tok(2) == "Direct" && tok(3) == "Access" && tok(4) == "Device":
		return e, ""
	case n < 3 || !isMVSVolume(tok(0)) || !isMVSUnit(tok(1)):
		return Entry{}, "not a data set line"
	case n == 3 && strings.EqualFold(tok(1), "Tape"):
		return e, ""
	case n == 4 && tok(2) == "VSAM":
		return e, ""
	case n < 8:
		return Entry{}, "not a data set line"
	}
	if d := tok(2); d != "**NONE**" {
		if _, _, _, ok := parseSlashDate(d); !ok {
			return Entry{}, "bad date"
		}
	}
	switch dsorg := tok(n - 2); dsorg {
	case "PO", "PO-E":
		e.Type = EntryDir
	case "PS", "DA", "IS", "VS", "U", "PS-E", "POU", "PSU", "DAU":
	default:
		return Entry{}, "unknown Dsorg " + dsorg
	}
	return e, ""
}

// isMVSVolume reports whether s can be a volume serial: one to six
// letters, digits or national characters.
func isMVSVolume(s string) bool {
	if len(s) > 6 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '@' || c == '#' || c == '$') {
			return false
		}
	}
	return true
}

// isMVSUnit reports whether s is a device type: four digits (3390) or
// "Tape".
func isMVSUnit(s string) bool {
	_, ok := parseDigits(s, 4, 4)
	return ok || strings.EqualFold(s, "Tape")
}

// parseSlashDate parses YYYY/MM/DD. The date may not exist; listDate tells.
func parseSlashDate(s string) (year int, month time.Month, day int, ok bool) {
	if len(s) != 10 || s[4] != '/' || s[7] != '/' {
		return 0, 0, 0, false
	}
	year, ok1 := parseDigits(s[:4], 4, 4)
	m, ok2 := parseDigits(s[5:7], 2, 2)
	day, ok3 := parseDigits(s[8:], 2, 2)
	return year, time.Month(m), day, ok1 && ok2 && ok3 && m >= 1 && m <= 12 && day >= 1
}

// isMVSHeader reports whether line is the header of an MVS data set listing.
func isMVSHeader(line string) bool {
	return strings.HasPrefix(line, "Volume Unit") && strings.HasSuffix(strings.TrimRight(line, " "), "Dsname")
}

// parsePDSMemberLine parses a line of z/OS LIST output for the members of
// a partitioned data set, under the header "Name VV.MM Created Changed Size
// Init Mod Id", or of a load library, under "Name Size TTR Alias-of AC
// Attributes Amode Rmode":
//
//	SAVE03    01.03 2002/09/12 2002/10/11 09:37    11    11     0 KIL001
//	PROG1     00B308 000411  00 FO             31    ANY
//
// Members are files. A source member's size is in records (lines), not
// bytes, so Size is -1; its time is the Changed date and time. A load
// module's size is in bytes, in hexadecimal, and it shows no time. A line
// of only a name, for a member without statistics, is read by a listing's
// listState after the member header.
func parsePDSMemberLine(line string, _ time.Time, loc *time.Location) (Entry, string) {
	var f [10]listField
	n := splitListFields(line, f[:])
	tok := func(i int) string { return line[f[i].start:f[i].end] }
	if n < 3 || n == len(f) {
		return Entry{}, "not a member line"
	}
	e := Entry{Name: tok(0), Type: EntryFile, Size: -1}
	if v := tok(1); len(v) == 5 && v[2] == '.' && n >= 5 {
		_, ok1 := parseDigits(v[:2], 2, 2)
		_, ok2 := parseDigits(v[3:], 2, 2)
		_, _, _, ok3 := parseSlashDate(tok(2))
		year, month, day, ok4 := parseSlashDate(tok(3))
		hour, minute, sec, _, ok5 := parseClockFull(tok(4))
		if !ok1 || !ok2 || !ok3 || !ok4 || !ok5 {
			return Entry{}, "not a member line"
		}
		var ok bool
		if e.ModTime, ok = listDate(year, month, day, hour, minute, sec, 0, loc); !ok {
			return Entry{}, "bad date"
		}
		e.Precision = TimeMinute
		return e, ""
	}
	// A load module: size, TTR, the module it is an alias of (if it is
	// one), the authorization code and attributes, and Amode and Rmode.
	size, ok1 := parseHex6(tok(1))
	_, ok2 := parseHex6(tok(2))
	ac := 3
	if n > 4 && !isHex2(tok(3)) {
		ac = 4
	}
	switch tok(n - 1) {
	case "24", "31", "64", "ANY":
	default:
		ok2 = false
	}
	if !ok1 || !ok2 || n < ac+3 || !isHex2(tok(ac)) {
		return Entry{}, "not a member line"
	}
	e.Size = size
	return e, ""
}

// isHex2 reports whether s is two hexadecimal digits.
func isHex2(s string) bool {
	_, ok := parseHex6("0000" + s)
	return len(s) == 2 && ok
}

// parseHex6 parses six hexadecimal digits.
func parseHex6(s string) (int64, bool) {
	if len(s) != 6 {
		return 0, false
	}
	var n int64
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			n = n<<4 | int64(c-'0')
		case c >= 'A' && c <= 'F':
			n = n<<4 | int64(c-'A'+10)
		default:
			return 0, false
		}
	}
	return n, true
}

// isPDSHeader reports whether line is the header of a PDS member or load
// library listing.
func isPDSHeader(line string) bool {
	var f [3]listField
	if splitListFields(line, f[:]) < 3 || line[f[0].start:f[0].end] != "Name" {
		return false
	}
	second := line[f[1].start:f[1].end]
	third := line[f[2].start:f[2].end]
	return second == "VV.MM" && third == "Created" || second == "Size" && third == "TTR"
}
