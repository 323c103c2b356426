package transfer

import (
	"errors"
	"fmt"
)

// ErrMaxErrors reports a job stopped by MirrorOptions.MaxErrors.
var ErrMaxErrors = errors.New("too many failures")

// stopped reports whether the job has had MaxErrors failures, so that
// no further action starts.
func (m *mirror) stopped() bool {
	if m.opt.MaxErrors <= 0 {
		return false
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.rep.Failed >= m.opt.MaxErrors
}

// stopErr returns the error of a job that stopped at MaxErrors, or nil.
// Each action of its plan that did not run is a Skip that names what it
// would have done, told to OnEvent and counted as skipped, as MaxDelete's
// refusals are; the error says how many.
func (m *mirror) stopErr(plan []Action) error {
	if !m.stopped() {
		return nil
	}
	m.mu.Lock()
	var left []Action
	for _, a := range plan {
		if !m.ran[actionKey{a.Kind, a.Path}] {
			left = append(left, a)
		}
	}
	failed := m.rep.Failed
	m.mu.Unlock()
	for _, a := range left {
		m.skip(notRun(a, m.opt.MaxErrors))
	}
	return fmt.Errorf("%w: stopped after %d failed action(s) (--max-errors %d); %d planned action(s) not run",
		ErrMaxErrors, failed, m.opt.MaxErrors, len(left))
}

// notRun returns the Skip of a planned action that a job stopped by
// MaxErrors (max) did not run.
func notRun(a Action, max int) Action {
	what := map[ActionKind]string{Copy: "copied", MakeDir: "made", Delete: "deleted"}[a.Kind]
	if what == "" {
		what = "run"
	}
	return Action{Kind: Skip, Path: a.Path, Dir: a.Dir, InDest: a.Kind == Delete, Size: a.Size, src: a.src, dst: a.dst,
		Reason: fmt.Sprintf("not %s (%s): --max-errors %d reached", what, a.Reason, max)}
}

// dropEmptyDirs leaves out of a plan the folders to make that no copy
// fills (MirrorOptions.NoEmptyDirs).
func dropEmptyDirs(actions []Action) []Action {
	filled := map[string]bool{}
	for _, a := range actions {
		if a.Kind == Copy {
			for d := parentDir(a.Path); d != ""; d = parentDir(d) {
				filled[d] = true
			}
		}
	}
	out := actions[:0:0]
	for _, a := range actions {
		if a.Kind == MakeDir && !filled[a.Path] {
			continue
		}
		out = append(out, a)
	}
	return out
}

// parentDir returns the folder of a relative path, "" at the root.
func parentDir(p string) string {
	for i := len(p) - 1; i >= 0; i-- {
		if p[i] == '/' {
			return p[:i]
		}
	}
	return ""
}
