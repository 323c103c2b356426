package client

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// ErrSkipLine is returned by ListParser.ParseLine for lines that hold no
// entry: blank lines, the "total N" line of Unix listings, and the headers
// and footers of VMS and MVS listings. Test for it with errors.Is.
var ErrSkipLine = errors.New("ftp: LIST line holds no entry")

// ListParser parses LIST output lines. The zero value uses time.Now and time.UTC.
//
// LIST output is not standardized (RFC 959, section 4.1.3, leaves it to the
// server). ListParser recognizes the formats real servers send (see
// listFamilies):
//
//   - Unix "ls -l" and its variants (vsftpd, proftpd, pure-ftpd, FileZilla
//     Server, IIS in Unix mode), with the "Mon DD HH:MM", "Mon DD YYYY" and
//     ISO ("2024-03-04 12:34") time styles, and AIX's day-first dates;
//   - Microsoft IIS and DOS "dir" output ("03-04-25  10:05AM  <DIR>  name"),
//     with 24-hour times, ISO and day-month-year dates and sizes with
//     thousands separators;
//   - EPLF ("+i8388621.48594,m825718503,r,s280,\tname");
//   - NetWare, OS/2, VMS, MVS data sets and PDS members, OS/400, z/VM CMS,
//     HP NonStop (Tandem Guardian) and VxWorks.
//
// A line is tried first in the format its first byte suggests and then in
// the others; the first that reads it wins.
//
// Times are read in Location. A Unix date that shows a time of day instead
// of a year is put in the year of Now; in the previous year when that would
// put it more than 180 days after Now (ls shows a time of day only for
// files up to six months old); and in the next year when that puts it at
// most three days after Now (a server clock or zone ahead of ours at New
// Year).
//
// Formats that say less than the Entry holds leave it unknown: VMS gives
// sizes in 512-byte blocks, MVS in tracks or records and z/VM CMS in
// records, so their Size is -1 (a size rounded up to a block would make every file look changed and
// could resume a download at the wrong offset); MVS data set lines show the
// date a data set was last referred to, not modified, so their time is
// unknown. VMS names are returned without their version (";3"), the name
// RETR and STOR use for the newest version, and a folder "NAME.DIR;1" as
// "NAME". A CMS file, listed as "NAME TYPE", is returned as "NAME.TYPE",
// the name FTP commands give it.
type ListParser struct {
	// Now is the clock used to infer the year of Unix entries that show a
	// time of day instead of a year; nil means time.Now.
	Now func() time.Time
	// Location is the zone LIST times are read in; nil means UTC. LIST
	// does not say which zone the server uses.
	Location *time.Location
}

// ParseLine parses one line of LIST output. A trailing CR or LF is ignored.
// It returns ErrSkipLine for lines that hold no entry (see ErrSkipLine), and
// an error quoting the line when the line is in no format it knows. The "."
// and ".." entries are returned like any other. A VMS entry split over two
// lines is an error here; Parse joins such lines.
func (p *ListParser) ParseLine(line string) (Entry, error) {
	var e Entry
	if _, err := parseListLine(line, p.now(), p.location(), &e); err != nil {
		return Entry{}, err
	}
	return e, nil
}

// Parse parses the lines of a LIST reply. Lines that hold an entry but
// cannot be parsed are returned in unparsed, in order, so that callers can
// report them; lines that hold no entry and the "." and ".." entries are
// dropped. Now is called once for all lines.
//
// Parse reads the lines as one listing: it joins a VMS entry whose name
// fills a line with the rest of the entry on the next line, keeps only the
// first (newest, as VMS lists them) version of a VMS file, and reads the
// lines after a PDS member header that hold only a name as members.
func (p *ListParser) Parse(lines []string) (entries []Entry, unparsed []string) {
	s := p.newListState()
	entries = make([]Entry, 0, len(lines))
	add := func(line string) {
		// Parse into the slice's next element: an Entry is large.
		entries = append(entries, Entry{})
		skip, err := s.parse(line, &entries[len(entries)-1])
		if err == errDateUnread {
			err = nil // an entry without its time
		}
		if err != nil || skip {
			entries = entries[:len(entries)-1]
		}
		if err != nil && !errors.Is(err, ErrSkipLine) {
			unparsed = append(unparsed, line)
		}
	}
	held := "" // a VMS name waiting for the rest of its entry
	for _, line := range lines {
		if held != "" {
			h := held
			held = ""
			if joined, ok := joinVMSLines(h, line); ok {
				add(joined)
				continue
			}
			add(h)
		}
		if vmsNameOnly(line) {
			held = line
			continue
		}
		add(line)
	}
	if held != "" {
		add(held)
	}
	return entries, unparsed
}

func (p *ListParser) now() time.Time {
	if p == nil || p.Now == nil {
		return time.Now()
	}
	return p.Now()
}

func (p *ListParser) location() *time.Location {
	if p == nil || p.Location == nil {
		return time.UTC
	}
	return p.Location
}

// listFamily is one LIST format.
type listFamily struct {
	name string
	// maybe is a cheap test of whether a line can be in this format at
	// all; nil means it can.
	maybe func(line string) bool
	// parse reads a line, with now in loc, and returns the reason when it
	// cannot.
	parse func(line string, now time.Time, loc *time.Location) (Entry, string)
}

// The families, by their index in listFamilies.
const (
	famEPLF = iota
	famNetWare
	famDOS
	famUnix
	famVMS
	famOS2
	famOS400
	famMVS
	famPDS
	famAIX
	famCMS
	famNonStop
	famVxWorks
	numFamilies
)

// listFamilies are the LIST formats ListParser knows. A line is tried
// first in the family leadFamily picks, and then in the others, in this
// order, that its maybe test lets through.
var listFamilies = [numFamilies]listFamily{
	famEPLF:    {name: "EPLF", maybe: isEPLFLine, parse: parseEPLFLine},
	famNetWare: {name: "NetWare", maybe: isNetWareLine, parse: parseNetWareLine},
	famDOS:     {name: "DOS", maybe: startsWithDigit, parse: parseDOSLine},
	famUnix:    {name: "Unix", parse: parseUnixLine},
	famVMS:     {name: "VMS", maybe: isVMSLine, parse: parseVMSLine},
	famOS2:     {name: "OS/2", maybe: isOS2Line, parse: parseOS2Line},
	famOS400:   {name: "OS/400", maybe: isOS400Line, parse: parseOS400Line},
	famMVS:     {name: "MVS", parse: parseMVSLine},
	famPDS:     {name: "PDS member", parse: parsePDSMemberLine},
	famAIX:     {name: "AIX", maybe: isAIXLine, parse: parseAIXLine},
	famCMS:     {name: "z/VM CMS", maybe: isCMSLine, parse: parseCMSLine},
	famNonStop: {name: "HP NonStop", maybe: isNonStopLine, parse: parseNonStopLine},
	famVxWorks: {name: "VxWorks", maybe: isVxWorksLine, parse: parseVxWorksLine},
}

// parseListLine parses one LIST line with now in loc into *e and returns
// the index of its family in listFamilies. The line is tried first in the
// family its start suggests, which reads nearly every line of nearly every
// listing, and then in the others. When none reads it, the error gives the
// Unix parser's reason. The parsers return a reason instead of an error so
// that the common path does not allocate.
func parseListLine(line string, now time.Time, loc *time.Location, e *Entry) (int, error) {
	line = strings.TrimRight(line, "\r\n")
	if strings.TrimLeft(line, " \t") == "" || isTotalLine(line) || isLocalTotalLine(line) {
		return 0, ErrSkipLine
	}
	now = now.In(loc)
	lead := leadFamily(line)
	var reason string
	if *e, reason = listFamilies[lead].parse(line, now, loc); reason == "" {
		return lead, nil
	}
	if isListHeader(line) {
		return 0, ErrSkipLine
	}
	unixReason := reason
	for i := range listFamilies {
		f := &listFamilies[i]
		if i == lead || (f.maybe != nil && !f.maybe(line)) {
			continue
		}
		if *e, reason = f.parse(line, now, loc); reason == "" {
			return i, nil
		}
		if i == famUnix {
			unixReason = reason
		}
	}
	return 0, fmt.Errorf("ftp: unparseable LIST line %q: %s", line, unixReason)
}

// leadFamily returns the family a line is tried in first, by its first
// bytes: EPLF for "+", DOS for a digit, NetWare for "d [" and "- [", and
// Unix for the rest.
func leadFamily(line string) int {
	switch c := line[0]; {
	case c == '+':
		return famEPLF
	case c >= '0' && c <= '9':
		return famDOS
	case (c == 'd' || c == '-') && isNetWareLine(line):
		return famNetWare
	}
	return famUnix
}

// isListHeader reports whether line is a header or footer that VMS, MVS,
// CMS, NonStop and VxWorks servers put around their entries.
func isListHeader(line string) bool {
	return isVMSHeader(line) || isMVSHeader(line) || isPDSHeader(line) ||
		isCMSHeader(line) || isNonStopHeader(line) || isVxWorksHeader(line)
}

// isEPLFLine reports whether line starts as an EPLF line does.
func isEPLFLine(line string) bool { return line[0] == '+' }

// startsWithDigit reports whether line starts with a decimal digit.
func startsWithDigit(line string) bool { return line[0] >= '0' && line[0] <= '9' }

// parseEPLFLine parses an EPLF line (https://cr.yp.to/ftp/list/eplf.html):
// "+" and comma-terminated facts, a tab, and the name. The facts used are
// "/" (a folder), "r" (a file), "s" (size), "m" (modification time in Unix
// seconds) and "up" (octal permissions).
func parseEPLFLine(line string, _ time.Time, _ *time.Location) (Entry, string) {
	facts, name, ok := strings.Cut(line[1:], "\t")
	if !ok || name == "" {
		return Entry{}, "no name"
	}
	e := Entry{Name: name, Type: EntryOther, Size: -1}
	dir, file := false, false
	for facts != "" {
		var fact string
		fact, facts, _ = strings.Cut(facts, ",")
		if fact == "" {
			continue
		}
		switch fact[0] {
		case '/':
			dir = true
		case 'r':
			file = true
		case 's':
			size, ok := parseListSize(fact[1:])
			if !ok || size < 0 {
				return Entry{}, "bad size"
			}
			e.Size = size
		case 'm':
			secs, ok := parseListSize(fact[1:])
			if !ok || secs < 0 {
				return Entry{}, "bad time"
			}
			e.ModTime, e.Precision = time.Unix(secs, 0).UTC(), TimeExact
		case 'u':
			if len(fact) > 2 && fact[1] == 'p' {
				mode, ok := parseUnixModeOctal(fact[2:])
				if !ok {
					return Entry{}, "bad permissions"
				}
				e.Mode = mode
			}
		}
	}
	if dir {
		e.Type = EntryDir
	} else if file {
		e.Type = EntryFile
	}
	return e, ""
}

// isTotalLine reports whether line is the "total N" line of ls -l.
func isTotalLine(line string) bool {
	if len(line) < 7 || !strings.EqualFold(line[:5], "total") || (line[5] != ' ' && line[5] != '\t') {
		return false
	}
	_, ok := parseListSize(strings.TrimLeft(line[5:], " \t"))
	return ok
}

// listField is the position of a field in a line: line[start:end].
type listField struct{ start, end int }

// splitListFields fills dst with the first len(dst) fields of line, separated
// by spaces or tabs, and returns how many it found.
func splitListFields(line string, dst []listField) int {
	n, i := 0, 0
	for n < len(dst) {
		for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
			i++
		}
		if i == len(line) {
			break
		}
		start := i
		for i < len(line) && line[i] != ' ' && line[i] != '\t' {
			i++
		}
		dst[n] = listField{start, i}
		n++
	}
	return n
}

// listDate returns the time and whether the date exists (time.Date would
// turn February 30 into March 2).
func listDate(year int, month time.Month, day, hour, min, sec, nsec int, loc *time.Location) (time.Time, bool) {
	if month < time.January || month > time.December || hour > 23 || min > 59 {
		return time.Time{}, false
	}
	t := time.Date(year, month, day, hour, min, sec, nsec, loc)
	return t, t.Day() == day && t.Month() == month
}

// parseDigits parses a decimal number of minLen to maxLen digits (at most 9).
func parseDigits(s string, minLen, maxLen int) (int, bool) {
	if len(s) < minLen || len(s) > maxLen {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, true
}

// parseListSize parses a non-empty string of decimal digits. A number too
// large for int64 (some servers show 18446744073709551615, an unsigned -1)
// gives -1, which Entry.Size uses for "unknown".
func parseListSize(s string) (int64, bool) {
	if s == "" {
		return 0, false
	}
	var n int64
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		if n >= 0 {
			if n > (1<<63-1-int64(s[i]-'0'))/10 {
				n = -1 // keep checking that the rest are digits
			} else {
				n = n*10 + int64(s[i]-'0')
			}
		}
	}
	return n, true
}

// parseClockFull parses "H:MM", "HH:MM" or "HH:MM:SS" with an optional
// fraction of a second of up to nine digits ("10:40:39.90"), in 24-hour time.
func parseClockFull(s string) (hour, min, sec, nsec int, ok bool) {
	h, rest, found := strings.Cut(s, ":")
	if !found || len(rest) < 2 {
		return 0, 0, 0, 0, false
	}
	hour, ok1 := parseDigits(h, 1, 2)
	min, ok2 := parseDigits(rest[:2], 2, 2)
	if !ok1 || !ok2 || hour > 23 || min > 59 {
		return 0, 0, 0, 0, false
	}
	if rest = rest[2:]; rest == "" {
		return hour, min, 0, 0, true
	}
	sec, nsec, ok = parseISOSeconds(rest)
	return hour, min, sec, nsec, ok
}

// fullYear returns the year of a date that shows two digits (69 to 99 are
// 19xx, the rest 20xx), three (years since 1900, as some servers that were
// not ready for 2000 show them) or four.
func fullYear(s string) (int, bool) {
	y, ok := parseDigits(s, 2, 4)
	switch {
	case !ok:
		return 0, false
	case len(s) == 2 && y >= 69:
		return 1900 + y, true
	case len(s) == 2:
		return 2000 + y, true
	case len(s) == 3:
		return 1900 + y, true
	}
	return y, true
}
