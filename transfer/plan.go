package transfer

import (
	"fmt"
	"path"
	"strings"
	"time"

	"github.com/ferry-ftp/ferry/client"
)

// ActionKind says what a job does with one path.
type ActionKind int

const (
	// Copy transfers a file from the source to the destination.
	Copy ActionKind = iota
	// MakeDir creates a folder in the destination.
	MakeDir
	// Delete removes from the destination what the source lacks
	// (MirrorOptions.Delete), or what is in the way of a copy.
	Delete
	// Skip leaves a path alone that the job was asked to handle and did
	// not: a symbolic link or special file, a type conflict, a listing
	// line that cannot be read. Reason says why. A job with skips is not
	// a full success (exit code 8).
	Skip
	// Keep leaves a file alone that was compared with its copy in the
	// destination and found unchanged (or kept by --only-newer); Reason
	// says on what grounds.
	Keep
	// RemoveSource deletes a source file after its copy was shown
	// complete (MirrorOptions.RemoveSource). A real run tells it to
	// OnEvent as it happens; a dry run's plan lists it after its copy.
	RemoveSource
	// Chmod gives a copied file the source's permission bits
	// (MirrorOptions.Perms). A real run tells it to OnEvent as it happens;
	// a dry run's plan lists it after its copy.
	Chmod
)

// Action is one step of a job's plan.
type Action struct {
	Kind ActionKind
	// Path is slash-separated and relative to the trees' roots.
	Path string
	// Dir is set for folders.
	Dir bool
	// InDest is set on a Skip whose Path names the destination's path
	// (a deletion refused), not the source's.
	InDest bool
	// Size is the size of the file to copy, -1 when unknown.
	Size int64
	// Reason says why, in a few words: "new", "size differs", "newer",
	// "not in source", "same size and time"...
	Reason string
	// Unsure, on a Copy or Keep, says why the comparison behind it could
	// not be made in full: a size or time that one side does not give, or
	// an MDTM that failed for the path where the listing's time could not
	// tell. A mirror acts on the decision all the same (a copy, or a keep
	// as far as the listing's time tells); ferry check reports the path
	// as not compared.
	Unsure string

	src, dst *node
	byTime   bool // see decision.byTime
	byHash   bool // see decision.byHash
	// undecided is set while the source file's listed size or time
	// cannot tell whether it passes the filter's limits (see
	// settleLimits).
	undecided bool
}

// Verb names what the action does in a direction: "get", "put",
// "mkdir", "delete", "rmdir", "keep", "skip", "remove-source" or "chmod".
func (a Action) Verb(dir Direction) string {
	switch a.Kind {
	case Copy:
		if dir == Upload {
			return "put"
		}
		return "get"
	case MakeDir:
		return "mkdir"
	case Delete:
		if a.Dir {
			return "rmdir"
		}
		return "delete"
	case Keep:
		return "keep"
	case RemoveSource:
		return "remove-source"
	case Chmod:
		return "chmod"
	}
	return "skip"
}

// String formats the action as the plan of a dry run prints it.
func (a Action) String(dir Direction) string {
	p := a.Path
	if a.Dir {
		p += "/"
	}
	s := fmt.Sprintf("%-6s %s", a.Verb(dir), client.Sanitize(p))
	if a.Reason != "" {
		s += " (" + a.Reason + ")"
	}
	return s
}

// Update says which files a job copies when the destination has them
// already.
type Update int

const (
	// UpdateAll copies every file, whatever the destination holds.
	UpdateAll Update = iota
	// UpdateChanged copies files whose size or modification time differs
	// (mirror).
	UpdateChanged
	// UpdateNewer copies files that are newer in the source, or of another
	// size at the same time; a newer destination is kept (--only-newer).
	UpdateNewer
)

// Filter selects the paths a job handles, with path.Match patterns
// matched against both the slash-separated path relative to the tree's
// root and the base name. A path that matches an Exclude pattern is left
// out, and an excluded folder is not entered. When Include is not empty,
// a file is handled only when it matches an Include pattern (folders are
// always entered). Paths left out are never deleted (unless
// MirrorOptions.DeleteExcluded). A ** path element matches any number of
// folders. As in lftp and rsync, a pattern that ends in "/" matches
// folders only (a file below such a folder matches it as an Include), and
// one that starts with "/" or "./" matches the path from the tree's root
// only, never a base name. FilterLimits add regular expressions, sizes,
// times and depth.
type Filter struct {
	Include, Exclude []string
	FilterLimits
}

// Check reports a malformed pattern.
func (f Filter) Check() error {
	for _, p := range append(append([]string(nil), f.Include...), f.Exclude...) {
		if err := checkGlob(p); err != nil {
			return err
		}
	}
	return nil
}

// matchAny reports whether one of the patterns matches rel, a folder when
// dir is set (see Filter for the forms of patterns). For a file, a
// folder-only pattern matches when it matches a folder above it.
func matchAny(patterns []string, rel string, dir bool) bool {
	for _, p := range patterns {
		folderOnly := len(p) > 1 && strings.HasSuffix(p, "/")
		p = strings.TrimRight(p, "/")
		anchored := strings.HasPrefix(p, "./") || strings.HasPrefix(p, "/")
		p = strings.TrimLeft(strings.TrimPrefix(p, "./"), "/")
		if p == "" {
			continue
		}
		match := func(r string) bool {
			return matchGlob(p, r) || !anchored && matchGlob(p, path.Base(r))
		}
		switch {
		case !folderOnly || dir:
			if match(rel) {
				return true
			}
		default:
			for d := path.Dir(rel); d != "." && d != "/"; d = path.Dir(d) {
				if match(d) {
					return true
				}
			}
		}
	}
	return false
}

// pruned reports a folder the job does not enter.
func (f Filter) pruned(dir string) bool {
	return matchAny(f.Exclude, dir, true) || matchRx(f.ExcludeRx, dir+"/") || f.tooDeep(dir)
}

// keeps reports whether the job handles the file rel.
func (f Filter) keeps(rel string) bool {
	if matchAny(f.Exclude, rel, false) || matchRx(f.ExcludeRx, rel) {
		return false
	}
	if len(f.Include) == 0 && len(f.IncludeRx) == 0 {
		return true
	}
	return matchAny(f.Include, rel, false) || matchRx(f.IncludeRx, rel)
}

// cmpTimes compares the times of a source and a destination node at the
// precision both know: -1 when the source is older, 0 when equal, 1 when
// newer; ok is false when either time is unknown. Dates are compared in
// the zone of the less precise time (the listing's).
func cmpTimes(src, dst *node) (c int, ok bool) {
	p := min(src.prec, dst.prec)
	if p == client.TimeUnknown || src.mtime.IsZero() || dst.mtime.IsZero() {
		return 0, false
	}
	a, b := src.mtime, dst.mtime
	switch p {
	case client.TimeDay:
		loc := a.Location()
		if dst.prec < src.prec {
			loc = b.Location()
		}
		ya, ma, da := a.In(loc).Date()
		yb, mb, db := b.In(loc).Date()
		a = time.Date(ya, ma, da, 0, 0, 0, 0, time.UTC)
		b = time.Date(yb, mb, db, 0, 0, 0, 0, time.UTC)
	case client.TimeMinute:
		a, b = a.Truncate(time.Minute), b.Truncate(time.Minute)
	default:
		a, b = a.Truncate(time.Second), b.Truncate(time.Second)
	}
	return a.Compare(b), true
}

// decision is what decide makes of a file present on both sides.
type decision struct {
	copy   bool
	reason string
	// byTime is set when the copy, or the keep, rests on a time
	// comparison made at less than exact precision (a LIST time, to the
	// minute or the day, or none): an exact time (MDTM) may change it.
	byTime bool
	// byHash is set when the files are to be compared by their digests
	// (MirrorOptions.Checksum): the keep is provisional.
	byHash bool
	// unsure is Action.Unsure.
	unsure string
}

// decide compares a source file with the destination's. keepsTimes says
// whether the destination gets the source's times after a copy (always
// for local files, with MFMT for remote ones); without it a destination
// newer than the source counts as the same file.
func decide(src, dst *node, mode Update, keepsTimes bool) decision {
	if mode == UpdateAll {
		return decision{copy: true, reason: "replace"}
	}
	sizeKnown := src.size >= 0 && dst.size >= 0
	if !sizeKnown {
		// Nothing is called unchanged that was not compared: a listing
		// without sizes leaves only the time, which cannot tell.
		if c, ok := cmpTimes(src, dst); mode == UpdateNewer && ok && c < 0 {
			return decision{reason: "destination is newer"}
		}
		return decision{copy: true, reason: "size unknown", unsure: "size unknown"}
	}
	if src.size != dst.size {
		if c, ok := cmpTimes(src, dst); mode == UpdateNewer && ok && c < 0 {
			return decision{reason: "destination is newer"}
		}
		return decision{copy: true, reason: fmt.Sprintf("size differs: %d, was %d", src.size, dst.size)}
	}
	c, ok := cmpTimes(src, dst)
	inexact := min(src.prec, dst.prec) < client.TimeExact
	switch {
	case !ok:
		return decision{reason: "same size", byTime: true}
	case c == 0:
		// The same minute (or day) of a LIST time may hide a change of
		// the same size: MDTM tells.
		return decision{reason: "same size and time", byTime: inexact}
	case c > 0:
		return decision{copy: true, reason: "newer", byTime: inexact}
	case mode == UpdateNewer:
		return decision{reason: "destination is newer"}
	case !keepsTimes:
		return decision{reason: "same size, destination is newer"}
	}
	return decision{copy: true, reason: "older", byTime: inexact}
}

// plan compares the scanned trees and returns the actions, in the order
// they run: deletions in the way of a copy, folders to make (parents
// first), copies, then deletions of what the source lacks (children
// first). Skips are included, for the dry run's record.
//
// unknown holds source paths whose contents are unknown (a folder that
// could not be listed, a refused name): Delete never touches the
// destination at or below them. unentered holds the destination's
// folders that were not entered (MaxDepth, or a folder the filter leaves
// out): Delete never deletes a folder that holds one, nor replaces it
// with a file.
func plan(src, dst tree, opt *MirrorOptions, keepsTimes bool, unknown, unentered map[string]bool) []Action {
	var before, dirs, copies, skips, after []Action
	// doomed holds the destination paths of type conflicts: deleted as in
	// the way with Delete, left alone (with all below) without.
	doomed := map[string]bool{}
	for _, p := range src.sortedPaths() {
		s := src[p]
		d := dst[p]
		switch s.typ {
		case client.EntryLink, client.EntryOther:
			skips = append(skips, Action{Kind: Skip, Path: p, Reason: "not a regular file or folder (" + s.typ.String() + ")", src: s})
			continue
		}
		if opt.OnlyExisting && (d == nil || d.typ != s.typ) {
			continue // nothing new is made, folders included, and nothing replaced
		}
		if d != nil && d.typ != s.typ && !underDoomed(doomed, p) {
			if hides := d.typ == client.EntryDir && holdsUnknown(unentered, p); !opt.Delete || hides {
				reason := fmt.Sprintf("destination is a %s (use --delete to replace it)", d.typ)
				if hides {
					reason = "destination is a folder holding folders not entered (--max-depth or a filter): not replaced"
				}
				skips = append(skips, Action{Kind: Skip, Path: p, Dir: s.typ == client.EntryDir, Reason: reason, src: s, dst: d})
				if s.typ == client.EntryDir || hides {
					doomed[p] = true // do not descend: nothing below can be made, or deleted
				}
				continue
			}
			before = append(before, Action{Kind: Delete, Path: p, Dir: d.typ == client.EntryDir, Reason: "in the way of a " + s.typ.String(), dst: d})
			doomed[p] = true
			d = nil
		}
		if underDoomed(doomed, p) && !opt.Delete {
			continue
		}
		if underDoomed(doomed, p) {
			d = nil
		}
		if s.typ == client.EntryDir {
			if d == nil {
				dirs = append(dirs, Action{Kind: MakeDir, Path: p, Dir: true, Reason: "new", src: s})
			}
			continue
		}
		// A file whose listed size or time cannot tell whether it
		// passes the limits is planned as if it did, and settled by
		// refine (see undecided.go).
		in, known := opt.Filter.check(s)
		if !opt.Filter.keeps(s.rel) || known && !in {
			continue
		}
		a := Action{Kind: Copy, Path: p, Size: s.size, src: s, dst: d, undecided: !known}
		if d == nil {
			a.Reason = "new"
		} else if dec := compare(s, d, opt, keepsTimes); dec.copy {
			a.Reason, a.byTime, a.Unsure = dec.reason, dec.byTime, dec.unsure
		} else {
			skips = append(skips, Action{Kind: Keep, Path: p, Size: s.size, Reason: dec.reason, Unsure: dec.unsure, src: s, dst: d, byTime: dec.byTime, byHash: dec.byHash, undecided: !known})
			continue
		}
		copies = append(copies, a)
	}
	if opt.Delete {
		paths := dst.sortedPaths()
		for i := len(paths) - 1; i >= 0; i-- {
			p := paths[i]
			d := dst[p]
			s, inSrc := src[p]
			if underDoomed(doomed, p) || underDoomed(unknown, p) || leftover(p, d) || besideBackups(opt) && underBackup(p, opt.Suffix) {
				continue
			}
			reason := "not in source"
			switch {
			case opt.DeleteExcluded && excluded(opt.Filter, p, s, d):
				reason = "excluded"
			case inSrc,
				d.typ != client.EntryDir && !opt.Filter.keepsNode(d),
				d.typ == client.EntryDir && !opt.DeleteExcluded && keepsSomething(dst, p, opt.Filter):
				continue
			}
			if d.typ == client.EntryDir && (holdsUnknown(unknown, p) || holdsUnknown(unentered, p) || besideBackups(opt) && holdsFiles(dst, p)) {
				continue
			}
			after = append(after, Action{Kind: Delete, Path: p, Dir: d.typ == client.EntryDir, Reason: reason, dst: d})
		}
	}
	out := append(before, dirs...)
	out = append(out, copies...)
	out = append(out, after...)
	return append(out, skips...)
}

// leftover reports a destination file that an interrupted run of ferry
// left under a temporary name (see TempName), which the source lacks: a
// later run resumes it, so --delete leaves it alone.
func leftover(p string, d *node) bool {
	return d.typ == client.EntryFile && IsTempName(path.Base(p))
}

// underDoomed reports whether p lies below (or at) a doomed path.
func underDoomed(doomed map[string]bool, p string) bool {
	for q := p; q != "." && q != "/" && q != ""; q = path.Dir(q) {
		if doomed[q] {
			return true
		}
	}
	return doomed[""]
}

// holdsUnknown reports whether the folder dir holds a path in unknown,
// which it must keep.
func holdsUnknown(unknown map[string]bool, dir string) bool {
	for p := range unknown {
		if strings.HasPrefix(p, dir+"/") {
			return true
		}
	}
	return false
}

// keepsSomething reports whether the destination folder dir holds a path
// that the deletion must spare: one the filter leaves out.
func keepsSomething(dst tree, dir string, f Filter) bool {
	prefix := dir + "/"
	for p, n := range dst {
		if !strings.HasPrefix(p, prefix) {
			continue
		}
		if n.typ != client.EntryDir && !f.keepsNode(n) {
			return true
		}
	}
	return f.pruned(dir)
}
