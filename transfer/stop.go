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

// stopErr returns the error of a job that stopped at MaxErrors, naming
// how many of its planned actions were not run, or nil.
func (m *mirror) stopErr(planned int) error {
	if !m.stopped() {
		return nil
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	r := m.rep
	left := planned - (r.Copied + r.Made + r.Deleted + r.Unchanged + r.Skipped + r.Failed)
	return fmt.Errorf("%w: stopped after %d failed action(s) (--max-errors %d); %d planned action(s) not run",
		ErrMaxErrors, r.Failed, m.opt.MaxErrors, max(left, 0))
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
