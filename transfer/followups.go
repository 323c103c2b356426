package transfer

import "fmt"

// What a copy brings after it: the chmod of Perms and the removal of the
// source of RemoveSource. A real run takes them as each copy ends (see
// copyAll); a dry run's plan lists them after their copies, so that it
// shows every action the run would take.

// permsAction returns the chmod that Perms makes after the copy a, and
// whether there is one (the source's mode is known).
func permsAction(a Action) (Action, bool) {
	if a.src == nil || a.src.mode == 0 {
		return Action{}, false
	}
	return Action{Kind: Chmod, Path: a.Path, src: a.src,
		Reason: fmt.Sprintf("mode %04o from the source, --perms", a.src.mode.Perm())}, true
}

// removeSourceAction returns the removal of the source file that
// RemoveSource makes after the copy a.
func removeSourceAction(a Action) Action {
	return Action{Kind: RemoveSource, Path: a.Path, Size: a.Size, Reason: "copied, --remove-source-files"}
}

// withFollowUps returns the plan with the chmods and source removals of
// its copies after each copy.
func withFollowUps(actions []Action, opt *MirrorOptions) []Action {
	if !opt.Perms && !opt.RemoveSource {
		return actions
	}
	out := make([]Action, 0, len(actions))
	for _, a := range actions {
		out = append(out, a)
		if a.Kind != Copy {
			continue
		}
		if c, ok := permsAction(a); ok && opt.Perms {
			out = append(out, c)
		}
		if opt.RemoveSource {
			out = append(out, removeSourceAction(a))
		}
	}
	return out
}
