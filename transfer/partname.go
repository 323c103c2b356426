package transfer

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"time"
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

// TempName returns the temporary name for a copy of src to the base name
// name, avoiding every name for which avoid (when not nil) reports true:
// a name the folder holds as a real file is never taken for a partial
// file. The second result reports whether a file found under the name may
// be resumed (see Source.Resumable); it is false when the name had to
// change to avoid a collision.
func TempName(name string, src Source, avoid func(string) bool) (string, bool) {
	tag := src.tag()
	t := tempPrefix + name + tempInfix + tag + tempSuffix
	if avoid == nil || !avoid(t) {
		return t, src.Resumable()
	}
	for i := 1; ; i++ {
		t = tempPrefix + name + tempInfix + tag + "-" + strconv.Itoa(i) + tempSuffix
		if !avoid(t) {
			return t, false
		}
	}
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
