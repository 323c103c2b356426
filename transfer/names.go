package transfer

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"unicode"
)

// ErrBadName reports a name from a server listing that ferry refuses to
// use as a local name. Test with errors.Is; the error is a *LocalError.
var ErrBadName = errors.New("refused name from the server")

// CheckName checks a name from a server listing before anything is
// written under it: it must be one path element that stays inside the
// target folder and cannot confuse a shell or a terminal. It refuses the
// empty name, "." and "..", names with "/" or "\", names with control
// characters (C0, DEL, C1), names that start with "|" (tnftp
// CVE-2014-8517), and anything filepath.IsLocal rejects (such as the
// reserved device names on Windows). The error is a *LocalError that
// matches ErrBadName.
func CheckName(name string) error {
	bad := func(why string) error {
		return &LocalError{Op: "refuse name", Path: name, Err: fmt.Errorf("%w: %s", ErrBadName, why)}
	}
	switch {
	case name == "" || name == "." || name == "..":
		return bad("not a file name")
	case strings.ContainsAny(name, `/\`):
		return bad("holds a path separator")
	case strings.HasPrefix(name, "|"):
		return bad("starts with |")
	}
	for _, r := range name {
		if unicode.IsControl(r) {
			return bad(fmt.Sprintf("holds control character %q", r))
		}
	}
	if !filepath.IsLocal(name) {
		return bad("not a local name")
	}
	return nil
}

// localRel turns a slash-separated path relative to a tree's root into a
// local one, refusing anything that is not local.
func localRel(rel string) (string, error) {
	p := filepath.FromSlash(rel)
	if rel == "" {
		return ".", nil
	}
	if !filepath.IsLocal(p) {
		return "", &LocalError{Op: "refuse name", Path: rel, Err: ErrBadName}
	}
	return p, nil
}
