package transfer

import (
	"fmt"
	"path"
	"regexp"
	"strings"
	"time"

	"github.com/ferry-ftp/ferry/client"
)

// FilterLimits are the filters of a Filter that look at more than a
// file's name. The zero value leaves every file in.
type FilterLimits struct {
	// IncludeRx and ExcludeRx are regular expressions matched against
	// the slash-separated path relative to the tree's root, with a
	// trailing slash for folders (lftp's -i and -x): an ExcludeRx match
	// leaves a file out, or a folder unentered; with IncludeRx (or
	// Filter.Include) set, a file is handled only when one of them
	// matches.
	IncludeRx, ExcludeRx []*regexp.Regexp
	// MinSize and MaxSize, when positive, leave out files smaller or
	// larger than them, and files whose size is not known.
	MinSize, MaxSize int64
	// NewerThan and OlderThan, when set, leave out files modified before
	// NewerThan or at and after OlderThan, and files whose time is not
	// known. A LIST time is known only to the minute or the day.
	NewerThan, OlderThan time.Time
	// MaxDepth, when positive, is the number of folder levels entered: 1
	// handles the files of the root only.
	MaxDepth int
}

// checkGlob reports a malformed pattern: one that path.Match refuses, or
// a ** that is not a whole path element.
func checkGlob(p string) error {
	for _, seg := range strings.Split(p, "/") {
		if strings.Contains(seg, "**") && seg != "**" {
			return fmt.Errorf("bad pattern %q: ** must be a whole path element (a/**/b)", p)
		}
		if _, err := path.Match(seg, ""); err != nil {
			return fmt.Errorf("bad pattern %q: %w", p, err)
		}
	}
	return nil
}

// matchGlob matches name against a path.Match pattern in which a ** path
// element matches any number of folders, none included.
func matchGlob(pattern, name string) bool {
	if !strings.Contains(pattern, "**") {
		ok, _ := path.Match(pattern, name)
		return ok
	}
	return matchSegs(strings.Split(pattern, "/"), strings.Split(name, "/"))
}

func matchSegs(pat, name []string) bool {
	for len(pat) > 0 {
		if pat[0] == "**" {
			for i := 0; i <= len(name); i++ {
				if matchSegs(pat[1:], name[i:]) {
					return true
				}
			}
			return false
		}
		if len(name) == 0 {
			return false
		}
		if ok, _ := path.Match(pat[0], name[0]); !ok {
			return false
		}
		pat, name = pat[1:], name[1:]
	}
	return len(name) == 0
}

// matchRx reports whether one of res matches rel.
func matchRx(res []*regexp.Regexp, rel string) bool {
	for _, re := range res {
		if re.MatchString(rel) {
			return true
		}
	}
	return false
}

// fits reports whether the file n is known to pass the size and time
// limits; a file whose size or time is unknown, or whose LIST time may lie
// on either side of a limit, does not fit (it is not copied).
func (l *FilterLimits) fits(n *node) bool {
	in, known := l.check(n)
	return in && known
}

// outside reports whether the file n is known to fail the size or time
// limits: only such a file counts as excluded for DeleteExcluded, so that
// an unknown size or a LIST time near a limit never deletes anything.
func (l *FilterLimits) outside(n *node) bool {
	in, known := l.check(n)
	return known && !in
}

// check reports whether the file n passes the size and time limits, and
// whether that is known.
func (l *FilterLimits) check(n *node) (in, known bool) {
	if n == nil || n.typ != client.EntryFile {
		return true, true
	}
	if l.MinSize > 0 || l.MaxSize > 0 {
		if n.size < 0 {
			return false, false
		}
		if l.MinSize > 0 && n.size < l.MinSize || l.MaxSize > 0 && n.size > l.MaxSize {
			return false, true
		}
	}
	if l.NewerThan.IsZero() && l.OlderThan.IsZero() {
		return true, true
	}
	if n.mtime.IsZero() || n.prec == client.TimeUnknown {
		return false, false
	}
	// The true time lies in [lo, hi): a LIST time is known to the
	// minute, or to the day in the server's zone (UTC-12 to UTC+14).
	lo, hi := n.mtime, n.mtime.Add(time.Second)
	switch n.prec {
	case client.TimeMinute:
		hi = n.mtime.Add(time.Minute)
	case client.TimeDay:
		lo, hi = n.mtime.Add(-14*time.Hour), n.mtime.Add(38*time.Hour)
	}
	if !l.NewerThan.IsZero() {
		switch {
		case !hi.After(l.NewerThan):
			return false, true // before it, whatever the true time
		case lo.Before(l.NewerThan):
			return false, false // on either side
		}
	}
	if !l.OlderThan.IsZero() {
		switch {
		case !lo.Before(l.OlderThan):
			return false, true
		case hi.After(l.OlderThan):
			return false, false
		}
	}
	return true, true
}

// tooDeep reports a folder below the levels MaxDepth lets the job enter.
func (l *FilterLimits) tooDeep(dir string) bool {
	return l.MaxDepth > 0 && depth(dir) >= l.MaxDepth
}

// keepsNode reports whether the job handles the file n: its name passes
// keeps, and it passes the size and time limits.
func (f Filter) keepsNode(n *node) bool {
	return f.keeps(n.rel) && f.fits(n)
}

// excluded reports a destination path that the filter leaves out, for
// MirrorOptions.DeleteExcluded: a file it does not keep (by its own size
// and time, or by the source's copy of it), a folder it does not enter.
func excluded(f Filter, p string, s, d *node) bool {
	if d.typ == client.EntryDir {
		return f.pruned(p)
	}
	if !f.keeps(d.rel) || f.outside(d) {
		return true
	}
	return s != nil && s.typ == client.EntryFile && (!f.keeps(s.rel) || f.outside(s))
}

// prunes reports a folder that the scan of the remote (or local) tree
// does not enter: one the filter prunes, unless the tree is the
// destination of a job that deletes what the filter leaves out. A folder
// below MaxDepth is never entered, on either side: what lies there is
// neither compared nor deleted.
func (m *mirror) prunes(rel string, remote bool) bool {
	dest := remote == (m.opt.Direction == Upload)
	if dest && m.opt.Delete && m.opt.DeleteExcluded {
		return m.filter.tooDeep(rel)
	}
	return m.filter.pruned(rel)
}

// KeepsName reports whether the filter's names (globs and regular
// expressions) keep a file named name at a tree's root.
func (f Filter) KeepsName(name string) bool { return f.keeps(name) }

// Prunes reports whether the filter leaves out the folder name at a
// tree's root.
func (f Filter) Prunes(name string) bool { return f.pruned(name) }
