package client

import (
	"errors"
	"strings"
	"time"
)

// listState reads the lines of one LIST listing in order, remembering what
// earlier lines tell about later ones:
//
//   - VMS lists every version of a file, newest first; the name without its
//     version stands for the newest, so only the first entry of a name is
//     returned and later ones are skipped;
//   - after the header of a PDS member listing ("Name VV.MM Created ..."),
//     a line of only a name is a member without statistics.
//
// Lines that VMS splits in two are joined before they reach it (see
// joinVMSLines and lineJoiner).
type listState struct {
	now     time.Time
	loc     *time.Location
	members bool                // a PDS member header was read
	vms     map[vmsKey]struct{} // VMS entries returned
}

// vmsKey identifies a VMS entry without its version.
type vmsKey struct {
	name string
	dir  bool
}

// newListState returns the state for one listing, with the clock read once.
func (p *ListParser) newListState() *listState {
	return &listState{now: p.now(), loc: p.location()}
}

// parse parses one line of the listing into *e. It returns ErrSkipLine
// for a line that holds no entry, and skip for an entry to leave out: "."
// and "..", and older versions of a VMS file. *e is undefined unless both
// are false and nil.
func (s *listState) parse(line string, e *Entry) (skip bool, err error) {
	fam, err := parseListLine(line, s.now, s.loc, e)
	if err == nil && fam == famUnix && e.Precision == TimeUnknown {
		// A Unix line always shows a date: this one is in no form
		// the parser knows (see parseUntimed).
		return e.Name == "." || e.Name == "..", errDateUnread
	}
	if err == nil && fam != famVMS {
		return e.Name == "." || e.Name == "..", nil
	}
	switch {
	case err == nil: // VMS
		k := vmsKey{e.Name, e.Type == EntryDir}
		if _, dup := s.vms[k]; dup {
			return true, nil
		}
		if s.vms == nil {
			s.vms = make(map[vmsKey]struct{})
		}
		s.vms[k] = struct{}{}
		return false, nil
	case errors.Is(err, ErrSkipLine):
		if !s.members && isPDSHeader(line) {
			s.members = true
		}
	case s.members:
		name := strings.TrimRight(line, " \t\r\n")
		if name != "" && name[0] != ' ' && !strings.ContainsAny(name, " \t") {
			*e = Entry{Name: name, Type: EntryFile, Size: -1}
			return false, nil
		}
	}
	return false, err
}

// entryParser returns the parse function of an entryReader.
func (s *listState) entryParser() func(string) (Entry, bool, error) {
	return func(line string) (Entry, bool, error) {
		var e Entry
		skip, err := s.parse(line, &e)
		return e, skip, err
	}
}

// lineJoiner passes the lines of a listing on to next as they are read,
// joining a VMS entry split over two lines into one (see joinVMSLines). It
// holds a line that may be the first half of such an entry until the next
// line is read; flush passes on a line still held at the end.
type lineJoiner struct {
	next func(line []byte) error
	held string
}

// line reads one line, which is valid only during the call.
func (j *lineJoiner) line(b []byte) error {
	if j.held != "" {
		held := j.held
		j.held = ""
		if joined, ok := joinVMSLines(held, string(b)); ok {
			return j.next([]byte(joined))
		}
		if err := j.next([]byte(held)); err != nil {
			return err
		}
	}
	if vmsNameOnly(b) {
		j.held = string(b)
		return nil
	}
	return j.next(b)
}

// flush passes on the line held, if any.
func (j *lineJoiner) flush() error {
	if j.held == "" {
		return nil
	}
	held := j.held
	j.held = ""
	return j.next([]byte(held))
}
