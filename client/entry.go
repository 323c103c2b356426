package client

import (
	"os"
	"time"
)

// EntryType says what kind of object a listing entry names.
type EntryType int

const (
	// EntryFile is a regular file.
	EntryFile EntryType = iota
	// EntryDir is a folder.
	EntryDir
	// EntryLink is a symbolic link; Entry.Target holds its target when the
	// listing shows it.
	EntryLink
	// EntryOther is anything else: a device, socket, pipe, or an MLSx type
	// this package does not know (such as "OS.unix=chr").
	EntryOther
)

// String returns "file", "dir", "link" or "other".
func (t EntryType) String() string {
	switch t {
	case EntryFile:
		return "file"
	case EntryDir:
		return "dir"
	case EntryLink:
		return "link"
	}
	return "other"
}

// TimePrecision says how much of Entry.ModTime the server actually told.
// LIST output has no time zone and often no year or no time of day; MLSx
// facts are exact and in UTC (RFC 3659, section 2.3). Mirrors use it to
// compare times only as far as both sides know them.
type TimePrecision int

const (
	// TimeUnknown means the listing gave no time; ModTime is zero.
	TimeUnknown TimePrecision = iota
	// TimeDay means only the date is known (a Unix listing that shows a
	// year instead of a time of day).
	TimeDay
	// TimeMinute means date and time to the minute, in the location the
	// parser was given, since LIST does not say which zone it uses.
	TimeMinute
	// TimeExact means a UTC time to the second or better (MLSx, MDTM, EPLF).
	TimeExact
)

// Entry is one object from a listing: a line of MLSD or LIST output, or the
// reply to MLST.
type Entry struct {
	// Name is the name as the server sent it, without any folder part for
	// MLSD and LIST. For MLST it is the pathname the server returned.
	Name string
	// Type is the kind of object.
	Type EntryType
	// Size is the size in bytes, or -1 when the listing does not give one.
	Size int64
	// ModTime is the last modification time; see Precision.
	ModTime time.Time
	// Precision says how much of ModTime is known.
	Precision TimePrecision
	// Target is the target of a symbolic link, when known.
	Target string
	// Mode holds the permission bits when the listing shows them (Unix
	// "rwxr-xr-x" or the MLSx "unix.mode" fact), and zero otherwise.
	Mode os.FileMode
	// Owner and Group are the owner names shown by a Unix listing or the
	// "unix.owner"/"unix.group" facts, when present.
	Owner, Group string
	// Facts holds the raw MLSx facts, with lower-case names. It is nil for
	// LIST entries.
	Facts map[string]string
}

// fileYear reports whether a year from an exact time (MDTM, MLSx) can be a
// file's: 1900 to 2200. Go's file times run from 1678 to 2262 only (a
// year-9999 time set on a local file wraps round to 1901), and year 0 or
// 9999 is a server's placeholder rather than a time; such a time is taken
// as none.
func fileYear(y int) bool { return y >= 1900 && y <= 2200 }
