package ops

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/ferry-ftp/ferry/client"
	"github.com/ferry-ftp/ferry/internal/progress"
	"github.com/ferry-ftp/ferry/transfer"
)

// reporter shows the progress of a multi-file transfer command and its
// summary: bars on a terminal, a one-line summary, --json output, and the
// exit status.
type reporter struct {
	f        *Env
	progress transfer.Progress
	bars     *progress.Bars
	start    time.Time
	// quietData is set when the data itself goes to stdout.
	quietData bool

	mu      sync.Mutex // done and fail run on parallel workers
	results []jsonResult
	errs    []error
	// retries counts retries of transfers and other commands; the tree
	// counts are set by tree jobs (mirror, get -r, put -r).
	retries                        int
	unchanged, skipped, made, gone int
	// sourcesRemoved counts the source files mirror
	// --remove-source-files deleted.
	sourcesRemoved int
	// copiedThenFailed counts the files copied whose follow-up failed
	// (see failAfter).
	copiedThenFailed int
	plan             []jsonAction
	// skips lists what a tree job skipped, with the reasons; deleted
	// what it deleted.
	skips   []jsonAction
	deleted []string
	// kept lists the files get and put left alone by their rules.
	kept                 []jsonAction
	dryRun, unverifiable bool
	// verify is set when --verify asked for digests.
	verify bool
}

// jsonAction is the JSON shape of one step of a tree job's plan.
type jsonAction struct {
	Action string `json:"action"`
	Path   string `json:"path"`
	Reason string `json:"reason,omitempty"`
}

// jsonResult is the JSON shape of one file of a transfer summary.
type jsonResult struct {
	Remote  string  `json:"remote"`
	Local   string  `json:"local,omitempty"`
	Target  string  `json:"target,omitempty"` // cp: the copy's path on the other server
	Size    int64   `json:"size"`
	Offset  int64   `json:"offset,omitempty"`
	Bytes   int64   `json:"bytes"`
	Seconds float64 `json:"seconds"`
	Retries int     `json:"retries,omitempty"`
	// Verified names the digest the file was checked with (--verify).
	Verified string `json:"verified,omitempty"`
	Error    string `json:"error,omitempty"`
}

// jsonSummary is the JSON shape of a transfer command's result.
type jsonSummary struct {
	Files   []jsonResult `json:"files"`
	Count   int          `json:"count"`
	Failed  int          `json:"failed"`
	Bytes   int64        `json:"bytes"`
	Seconds float64      `json:"seconds"`
	Retries int          `json:"retries"`
	// Tree jobs: files compared and left as they were, paths skipped
	// (asked for and not handled, with the reasons), folders made, paths
	// deleted; with --dry-run, the plan instead of files.
	Unchanged int          `json:"unchanged,omitempty"`
	Skipped   int          `json:"skipped,omitempty"`
	Skips     []jsonAction `json:"skips,omitempty"`
	// Kept lists the files get and put left alone by their rules
	// (--only-missing, --size-only, the limits...), with the reasons.
	Kept []jsonAction `json:"kept,omitempty"`
	// DeletedPaths lists the paths deleted (mirror --delete).
	DeletedPaths jsonTexts `json:"deleted_paths,omitempty"`
	Folders      int       `json:"folders,omitempty"`
	Deleted      int       `json:"deleted,omitempty"`
	DryRun       bool      `json:"dry_run,omitempty"`
	// SourcesRemoved counts the source files deleted after their copy
	// (mirror --remove-source-files).
	SourcesRemoved int          `json:"sources_removed,omitempty"`
	Plan           []jsonAction `json:"plan,omitempty"`
}

func newReporter(f *Env, dataOnStdout bool) *reporter {
	r := &reporter{f: f, start: time.Now(), quietData: dataOnStdout, progress: transfer.Discard{}}
	// No bars when the data itself goes to stdout, which is often the
	// same terminal.
	if f.IO.StderrTTY && !dataOnStdout && !f.Opts.Quiet && !f.Opts.NoProgress && !f.Opts.JSON && !f.Opts.Verbose {
		r.bars = progress.NewBars(f.IO.ErrOut)
		r.progress = r.bars
		// Warnings and status lines go above the bars while they show.
		f.live = r.bars
	}
	return r
}

// done records one file's outcome; failures are printed as they happen.
func (r *reporter) done(remote, local string, res transfer.Result, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	j := jsonResult{Remote: remote, Local: local, Size: res.Size, Offset: res.Offset, Bytes: res.Bytes,
		Seconds: res.Duration.Seconds(), Retries: res.Retries, Verified: res.Digest}
	r.retries += res.Retries
	if r.verify && err == nil && res.Digest == "" {
		r.unverifiable = true
	}
	if err != nil && res.Partial != "" && ExitCode(err) == ExitInterrupted {
		err = &Interrupted{Err: err, Note: fmt.Sprintf("%s keeps %d bytes: get -c (reget in the shell) resumes it",
			res.Partial, res.PartialSize)}
	}
	if err != nil {
		j.Error = err.Error()
		r.errs = append(r.errs, err)
		if ExitCode(err) != ExitInterrupted {
			r.f.warnFailed(remote, err) // a name from a listing may hold control characters
		}
	}
	r.results = append(r.results, j)
}

// failAfter records a failure of what follows a file's copy (the removal
// of its source, its permissions): the file's entry, recorded by done,
// takes the error, so that the file is not counted twice.
func (r *reporter) failAfter(remote, local string, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errs = append(r.errs, err)
	r.f.warnFailed(remote, err)
	for i := len(r.results) - 1; i >= 0; i-- {
		if j := &r.results[i]; j.Remote == remote && j.Local == local {
			if j.Error == "" {
				r.copiedThenFailed++
			} else {
				j.Error += "; "
			}
			j.Error += err.Error()
			return
		}
	}
	r.results = append(r.results, jsonResult{Remote: remote, Local: local, Size: -1, Error: err.Error()})
}

// fail records a file that could not start.
func (r *reporter) fail(remote, local string, err error) {
	r.done(remote, local, transfer.Result{Size: -1}, err)
}

// finish prints the summary and returns the command's error: nil, the
// error of a single failed file, or a PartialError.
func (r *reporter) finish(earlier []error) error {
	if r.bars != nil {
		r.bars.Close()
		r.f.live = nil
	}
	for _, err := range earlier {
		// The patterns that matched nothing, named.
		r.results = append(r.results, jsonResult{Remote: patternOf(err), Size: -1, Error: err.Error()})
	}
	var bytes int64
	for _, j := range r.results {
		bytes += j.Bytes
	}
	total := len(r.results)
	failed := 0 // files, not errors: a file's copy and its follow-up may both fail
	for _, j := range r.results {
		if j.Error != "" {
			failed++
		}
	}
	elapsed := time.Since(r.start)
	if !r.quietData {
		// Parallel transfers end in any order; the summary lists them by
		// remote path.
		slices.SortStableFunc(r.results, func(a, b jsonResult) int { return strings.Compare(a.Remote, b.Remote) })
		slices.Sort(r.deleted)
		s := jsonSummary{Files: r.results, Count: total, Failed: failed, Bytes: bytes, Seconds: elapsed.Seconds(),
			Retries: r.retries, Unchanged: r.unchanged, Skipped: r.skipped, Skips: r.skips, Kept: r.kept, Folders: r.made, Deleted: r.gone, DeletedPaths: r.deleted,
			DryRun: r.dryRun, Plan: r.plan, SourcesRemoved: r.sourcesRemoved}
		if err := r.f.printer().summary(s, r.unverifiable); err != nil {
			return err
		}
	}
	var interrupted []*Interrupted
	for _, err := range r.errs {
		var ie *Interrupted
		if errors.As(err, &ie) {
			interrupted = append(interrupted, ie)
		}
	}
	if len(interrupted) > 1 {
		return &Interrupted{Err: interrupted[0].Err, Note: fmt.Sprintf(
			"%d partial files kept: get -c (mget -c in the shell) resumes them", len(interrupted))}
	}
	for _, err := range r.errs {
		if ExitCode(err) == ExitInterrupted {
			return err
		}
	}
	// The items that succeeded without a transfer of their own: files
	// compared and kept, paths deleted, sources removed, copies whose
	// follow-up failed. A job that did some, and failed elsewhere (a
	// folder it could not list), is a partial success; folders made do
	// not count, so that a job whose every file failed keeps the
	// failure's own code.
	others := r.unchanged + r.gone + r.sourcesRemoved + r.copiedThenFailed
	switch {
	case failed == 0 && r.skipped == 0:
		return nil
	case failed == 0:
		return &PartialError{Skipped: r.skipped, Total: total + r.skipped}
	case others > 0 && failed == total:
		return &PartialError{Failed: failed, Skipped: r.skipped, Total: total + others - r.copiedThenFailed}
	case total == 1 && len(r.errs) == 1 && r.skipped == 0:
		return Shown{r.errs[0]}
	case total == 1 && len(earlier) == 1 && r.skipped == 0:
		return Shown{earlier[0]}
	}
	if failed == total && r.skipped == 0 {
		// Nothing succeeded: not a partial success, but the failure's
		// own code (the commonest, when they differ).
		return Shown{commonest(append(append([]error(nil), earlier...), r.errs...))}
	}
	return &PartialError{Failed: failed, Skipped: r.skipped, Total: total}
}

// commonest returns the first of errs whose exit code is the most
// frequent among them (the lowest code on a tie).
func commonest(errs []error) error {
	count := map[int]int{}
	for _, err := range errs {
		count[ExitCode(err)]++
	}
	var best error
	for _, err := range errs {
		c := ExitCode(err)
		if best == nil || count[c] > count[ExitCode(best)] || (count[c] == count[ExitCode(best)] && c < ExitCode(best)) {
			best = err
		}
	}
	return best
}

// leave reports a file that the rules of get or put left alone (see
// decideFiles), with the reason, as it happens: counted as unchanged,
// and listed in --json's "kept".
func (r *reporter) leave(p, reason string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.unchanged++
	r.kept = append(r.kept, jsonAction{Action: "keep", Path: p, Reason: reason})
	r.f.Status("skipped %s: %s", client.Sanitize(p), reason)
}

// skip reports a path a tree job was asked to handle and did not, with
// the reason, as it happens.
func (r *reporter) skip(p, reason string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.skips = append(r.skips, jsonAction{Action: "skip", Path: p, Reason: reason})
	r.f.Warn("skipped %s: %s", client.Sanitize(p), reason)
}
