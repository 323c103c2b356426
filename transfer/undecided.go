package transfer

import (
	"strings"

	"github.com/ferry-ftp/ferry/client"
)

// Files the limits cannot decide on. A LIST time is known only to the
// minute or the day (in a zone that may be unknown), so a file listed
// near --newer-than or --older-than may lie on either side of it; a
// listing may give no size or no time at all. plan keeps such a file
// (Action.undecided) rather than leave it out in silence, refine asks
// MDTM for its exact time, and settleLimits decides on what is then
// known.

// settleLimits settles the actions whose source files the filter's
// limits could not decide on from the listing: those that the exact time
// (MDTM, see refine) shows outside the limits are left out of the plan,
// as the filter leaves out any other; those inside are planned as they
// are. A file still undecided (MDTM refused or not offered, a size the
// listing does not give) is copied all the same, since leaving it out
// could lose it, with an Unsure that names why and a note naming it;
// with RemoveSource, which would delete the source of a file that may
// lie outside the limits, it is skipped instead and counted. A keep
// stays a keep either way.
func (m *mirror) settleLimits(actions []Action) []Action {
	out := actions[:0]
	for _, a := range actions {
		if !a.undecided {
			out = append(out, a)
			continue
		}
		a.undecided = false
		in, known := m.filter.check(a.src)
		switch {
		case known && !in:
			continue // outside the limits: left out, as by the listing
		case known, a.Kind != Copy:
			out = append(out, a)
			continue
		}
		why := m.filter.undecidedWhy(a.src)
		if m.opt.RemoveSource {
			out = append(out, Action{Kind: Skip, Path: a.Path, Size: a.Size, src: a.src, dst: a.dst,
				Reason: why + ": not moved (--remove-source-files)"})
			continue
		}
		a.Unsure = why
		m.note("%s: %s: copied all the same", client.Sanitize(a.Path), why)
		out = append(out, a)
	}
	return out
}

// undecidedWhy says why the limits cannot decide on the file n: its size
// or its time is unknown, or its time is known only to the minute or the
// day, which may lie on either side of a limit.
func (l *FilterLimits) undecidedWhy(n *node) string {
	var flags []string
	sizes := l.MinSize > 0 || l.MaxSize > 0
	if sizes && n.size < 0 {
		if l.MinSize > 0 {
			flags = append(flags, "--min-size")
		}
		if l.MaxSize > 0 {
			flags = append(flags, "--max-size")
		}
		return "size unknown: " + strings.Join(flags, " and ") + " cannot tell"
	}
	if !l.NewerThan.IsZero() {
		flags = append(flags, "--newer-than")
	}
	if !l.OlderThan.IsZero() {
		flags = append(flags, "--older-than")
	}
	what := "time unknown"
	switch n.prec {
	case client.TimeDay:
		what = "time known only to the day"
	case client.TimeMinute:
		what = "time known only to the minute"
	}
	return what + ": " + strings.Join(flags, " and ") + " cannot tell"
}
