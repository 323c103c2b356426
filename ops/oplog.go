package ops

import (
	"context"
	"sync"

	"github.com/ferry-ftp/ferry/client"
	"github.com/ferry-ftp/ferry/internal/pattern"
	"github.com/ferry-ftp/ferry/transfer"
)

// jsonOp is the JSON shape of one thing a command on remote paths did
// (rm, rmdir, mkdir, chmod), or failed to do.
type jsonOp struct {
	Action string `json:"action,omitempty"`
	Path   string `json:"path"`
	To     string `json:"to,omitempty"` // mv's new path
	Reason string `json:"reason,omitempty"`
	Error  string `json:"error,omitempty"`
}

// jsonOps is the JSON shape of such a command's result: every path acted
// on (a whole tree for rm -r), and every failure.
type jsonOps struct {
	Done   []jsonOp `json:"done"`
	Failed []jsonOp `json:"failed"`
	// Skipped lists the folders patterns matched for a command on files.
	Skipped []jsonOp `json:"skipped,omitempty"`
}

// expandOptions say how eachRemote expands its addresses.
type expandOptions struct {
	mode pattern.Mode
	// dirs lets patterns match folders; else the folders they match are
	// skipped and reported, with folderHint.
	dirs       bool
	folderHint string
}

// eachRemote runs op on every remote path the addresses name, their
// patterns expanded as x says. op tells did about each path it changed.
// Failures and skipped folders are printed as they happen; with --json
// the paths done, failed and skipped are printed at the end. The error
// follows the reporter's rules: a single item's own error, the failure's
// own code when every item failed, else a PartialError.
func eachRemote(ctx context.Context, f *Env, addrs []string, x expandOptions, op func(ctx context.Context, s *transfer.Session, p string, did func(action, path string)) error) error {
	ss := newSessions(f)
	defer ss.closeAll()
	exp, err := expandAll(ctx, f, ss, addrs, x.mode, x.dirs)
	if err != nil {
		return err
	}
	items, err := confirmItems(f, exp.items)
	if err != nil {
		return err
	}
	failed := exp.failed
	var mu sync.Mutex
	out := jsonOps{Done: []jsonOp{}, Failed: []jsonOp{}}
	did := func(action, p string) {
		mu.Lock()
		out.Done = append(out.Done, jsonOp{Action: action, Path: p})
		mu.Unlock()
	}
	for _, err := range failed {
		out.Failed = append(out.Failed, jsonOp{Path: patternOf(err), Error: err.Error()})
	}
	for _, it := range exp.folders {
		reason := "a folder (" + x.folderHint + ")"
		f.Warn("skipped %s: %s", client.Sanitize(it.path), reason)
		out.Skipped = append(out.Skipped, jsonOp{Action: "skip", Path: it.path, Reason: reason})
	}
	skipped := len(exp.folders)
	total := len(items) + len(failed) + skipped
	errs := append([]error(nil), failed...)
	for _, it := range items {
		s, err := ss.get(ctx, it.remote)
		if err == nil {
			err = op(ctx, s, it.path, did)
		}
		if err == nil {
			continue
		}
		if ExitCode(err) == ExitInterrupted {
			return err
		}
		out.Failed = append(out.Failed, jsonOp{Path: it.path, Error: err.Error()})
		errs = append(errs, err)
		if total > 1 {
			f.warnFailed(it.path, err)
		}
	}
	if err := f.printer().changes(out); err != nil {
		return err
	}
	switch n := len(errs); {
	case n == 0 && skipped == 0:
		return nil
	case n == 0:
		return &PartialError{Skipped: skipped, Total: total}
	case total == 1 && len(failed) == 1:
		return Shown{failed[0]}
	case total == 1:
		return errs[0]
	case n == total:
		return Shown{commonest(errs)}
	default:
		return &PartialError{Failed: n, Skipped: skipped, Total: total}
	}
}
