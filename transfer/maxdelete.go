package transfer

import (
	"fmt"
	"strings"
)

// limitDeletes applies MirrorOptions.MaxDelete to a plan: deletions are
// granted in plan order (those in the way of a copy first, then what the
// source lacks, children before their folders), a folder in the way
// costing one for itself and one for each path below it in dst. Once
// one is refused, so are all that follow, so that no folder is deleted
// whose contents were kept. A refused deletion becomes a Skip naming
// the destination's path, and the folders and copies that waited for a
// deletion in their way become Skips too. It returns the plan and the
// number of deletions refused. A negative limit is none.
func limitDeletes(actions []Action, dst tree, limit int) ([]Action, int) {
	if limit < 0 {
		return actions, 0
	}
	used, refused := 0, 0
	var blocked []string
	out := make([]Action, 0, len(actions))
	for _, a := range actions {
		if a.Kind != Delete {
			out = append(out, a)
			continue
		}
		inWay := strings.HasPrefix(a.Reason, "in the way")
		cost := 1
		if inWay && a.Dir {
			for p := range dst {
				if strings.HasPrefix(p, a.Path+"/") {
					cost++
				}
			}
		}
		if refused == 0 && used+cost <= limit {
			used += cost
			out = append(out, a)
			continue
		}
		refused++
		if inWay {
			blocked = append(blocked, a.Path)
		}
		out = append(out, Action{Kind: Skip, Path: a.Path, Dir: a.Dir, InDest: true, dst: a.dst,
			Reason: fmt.Sprintf("not deleted (%s): --max-delete %d reached", a.Reason, limit)})
	}
	if len(blocked) == 0 {
		return out, refused
	}
	for i, a := range out {
		if (a.Kind == Copy || a.Kind == MakeDir) && underAny(blocked, a.Path) {
			out[i] = Action{Kind: Skip, Path: a.Path, Dir: a.Dir, src: a.src,
				Reason: "not copied: the destination's path in its way was not deleted (--max-delete)"}
		}
	}
	return out, refused
}

// deleteLimit returns the most paths the job may delete (see
// MirrorOptions.MaxDelete), or -1 for no limit.
func (o *MirrorOptions) deleteLimit() int {
	if o.MaxDelete > 0 || o.LimitDeletes && o.MaxDelete == 0 {
		return o.MaxDelete
	}
	return -1
}

// underAny reports whether p is one of dirs or lies below one.
func underAny(dirs []string, p string) bool {
	for _, d := range dirs {
		if p == d || strings.HasPrefix(p, d+"/") {
			return true
		}
	}
	return false
}
