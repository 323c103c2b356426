package transfer

import (
	"errors"
	"fmt"

	"github.com/ferry-ftp/ferry/client"
)

// ErrEmptySource reports a mirror with Delete whose source is empty while
// the destination is not (see MirrorOptions.Delete).
var ErrEmptySource = errors.New("the source folder is empty")

// EmptySourceQuestion is what a front end asks before ConfirmEmptySource
// lets Delete empty the destination dst of the empty source src: n paths.
func EmptySourceQuestion(src, dst string, n int) string {
	return fmt.Sprintf("The source folder %s is empty: delete all %d path(s) of %s? [y/N] ", client.Sanitize(src), n, client.Sanitize(dst))
}

// guardEmptySource stops a job that would delete everything in the
// destination because its source is empty, unless that was confirmed. A
// dry run stops as the real run would without a question to ask (in a
// script), and otherwise only warns.
func (m *mirror) guardEmptySource(src tree, actions []Action) error {
	if !m.opt.Delete || m.opt.AllowEmptySource || len(m.unknown) > 0 {
		return nil
	}
	// Folders alone do not make a source: one that holds nothing but
	// empty folders is as empty as one that lists nothing.
	for _, n := range src {
		if n.typ != client.EntryDir && (!m.opt.DeleteExcluded || m.filter.keepsNode(n)) {
			return nil
		}
	}
	n := 0
	for _, a := range actions {
		if a.Kind == Delete {
			n++
		}
	}
	if n == 0 {
		return nil
	}
	if m.opt.ConfirmEmptySource != nil && m.opt.DryRun {
		// The real run will ask; the dry run shows what a yes would do.
		m.note("the source folder is empty: --delete would delete all %d path(s) of the destination (the real run asks first)", n)
		return nil
	}
	if m.opt.ConfirmEmptySource != nil && m.opt.ConfirmEmptySource(n) {
		return nil
	}
	return fmt.Errorf("%w: --delete would delete all %d path(s) of the destination; nothing was changed (a mistyped folder? --allow-empty-source says it is meant)", ErrEmptySource, n)
}
