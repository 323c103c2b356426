package transfer

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Temporary names. A transfer writes to a temporary name beside its
// target and renames it into place only when the copy is complete:
//
//	.NAME.ferry-TAG.part
//
// TAG is eight hex digits. For a source whose size and modification time
// are known, TAG is derived from the source's identity (its site, path,
// size and time), so a later attempt finds the same name exactly when it
// copies the same version of the same file, and only then resumes it:
// the name is the record of what the partial file holds a prefix of. A
// source that cannot be identified gets a random TAG, and its partial file
// is never resumed by another run.
//
// A file of the source or the destination that merely looks like a
// temporary name is an ordinary file: callers that know the names of the
// folder (a listing) pass them as Avoid, and a name in it is never used as
// a temporary name.
//
// A temporary name is never longer than maxNameBytes: for a NAME of more
// than 235 bytes, the temporary name holds only as much of NAME as fits
// (cut at a character boundary), so that a file whose own name is close
// to the file system's limit can still be copied under a temporary name.
// TAG, which covers the whole path, tells such names apart.
//
// Uploads write to a name of their own process (see Source.ProcessName):
// the server offers no lock, and two processes must never write one file.

// Source identifies the version of a file a transfer copies.
type Source struct {
	// Site names the server (host and port, or "local"); Path is the
	// file's path there.
	Site, Path string
	// Size is the file's size, -1 when unknown.
	Size int64
	// ModTime is the file's modification time, zero when unknown.
	ModTime time.Time
}

// Resumable reports whether the source is identified well enough that a
// partial copy of it can be recognised: its size and time are known.
func (s Source) Resumable() bool { return s.Size >= 0 && !s.ModTime.IsZero() }

// tag returns the eight hex digits of the source's temporary name: a
// digest of its identity when it is resumable, random otherwise.
func (s Source) tag() string {
	if !s.Resumable() {
		var b [4]byte
		rand.Read(b[:])
		return hex.EncodeToString(b[:])
	}
	h := sha256.New()
	for _, f := range []string{s.Site, s.Path, strconv.FormatInt(s.Size, 10), strconv.FormatInt(s.ModTime.UnixNano(), 10)} {
		h.Write([]byte(f))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:4])
}

const (
	tempPrefix = "."
	tempInfix  = ".ferry-"
	tempSuffix = ".part"
)

// maxNameBytes is the longest name most file systems (and FTP servers on
// them) accept: NAME_MAX on Linux, the BSDs and macOS.
const maxNameBytes = 255

// TempName returns the temporary name for a copy of src to the base name
// name, avoiding every name for which avoid (when not nil) reports true:
// a name the folder holds as a real file is never taken for a partial
// file. The second result reports whether a file found under the name may
// be resumed (see Source.Resumable); it is false when the name had to
// change to avoid a collision.
func TempName(name string, src Source, avoid func(string) bool) (string, bool) {
	return tempName(name, src.tag(), src.Resumable(), avoid)
}

// ProcessName returns the temporary name under which this process
// uploads src to the base name name: a name of the same form as TempName's
// whose TAG is derived from src's identity and from a value drawn at
// random when the process starts. Another process never uploads to it, so
// that two ferry processes copying one file to one name never write the
// same file, while this process's retries find their own partial upload.
// A source that cannot be identified gets a random name, as with TempName;
// the second result is false then, and when the name had to change to
// avoid a collision.
func (s Source) ProcessName(name string, avoid func(string) bool) (string, bool) {
	if !s.Resumable() {
		return TempName(name, s, avoid)
	}
	own := s
	own.Site = s.Site + "\x00" + processNonce
	return tempName(name, own.tag(), true, avoid)
}

// processNonce sets this process's upload names apart (ProcessName). It
// is drawn once and never changes.
var processNonce = func() string {
	var b [8]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}()

// tempName builds a temporary name from name and tag (see TempName).
func tempName(name, tag string, resumable bool, avoid func(string) bool) (string, bool) {
	t := tempPrefix + fitName(name, tag) + tempInfix + tag + tempSuffix
	if avoid == nil || !avoid(t) {
		return t, resumable
	}
	for i := 1; ; i++ {
		n := tag + "-" + strconv.Itoa(i)
		t = tempPrefix + fitName(name, n) + tempInfix + n + tempSuffix
		if !avoid(t) {
			return t, false
		}
	}
}

// fitName returns as much of name as fits in a temporary name with the
// given tag, cut at a character boundary (see maxNameBytes).
func fitName(name, tag string) string {
	room := maxNameBytes - len(tempPrefix) - len(tempInfix) - len(tag) - len(tempSuffix)
	if len(name) <= room {
		return name
	}
	// Cut before the start of a character: back up over at most three
	// continuation bytes. A name that is not UTF-8 is cut at the byte.
	cut := room
	for cut > room-(utf8.UTFMax-1) && !utf8.RuneStart(name[cut]) {
		cut--
	}
	if !utf8.RuneStart(name[cut]) {
		cut = room
	}
	return name[:cut]
}

// IsTempName reports whether name has the form of ferry's temporary names
// (see TempName). Such a file left in a destination by an interrupted run
// is resumable, not a stray: a mirror neither deletes nor counts it unless
// the source holds a file of that name.
func IsTempName(name string) bool {
	if !strings.HasPrefix(name, tempPrefix) || !strings.HasSuffix(name, tempSuffix) {
		return false
	}
	i := strings.LastIndex(name, tempInfix)
	if i < len(tempPrefix)+1 {
		return false
	}
	tag := name[i+len(tempInfix) : len(name)-len(tempSuffix)]
	tag, n, counted := strings.Cut(tag, "-")
	if counted {
		if _, err := strconv.Atoi(n); err != nil || n == "" || n[0] == '0' {
			return false
		}
	}
	if len(tag) != 8 {
		return false
	}
	_, err := hex.DecodeString(tag)
	return err == nil && strings.ToLower(tag) == tag
}

// AvoidNames returns a function for GetOptions.Avoid that reports the
// given names: those of the files a job puts into one folder.
func AvoidNames(names []string) func(string) bool {
	set := make(map[string]bool, len(names))
	for _, n := range names {
		set[n] = true
	}
	return func(name string) bool { return set[name] }
}
