package ops

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/ferry-ftp/ferry/internal/ftpurl"
	"github.com/ferry-ftp/ferry/transfer"
)

// treeMore are the flags of tree jobs (get -r, put -r, mirror, check)
// that choose what counts as changed and which paths are handled.
type treeMore struct {
	SizeOnly     bool
	Checksum     bool
	OnlyMissing  bool
	OnlyExisting bool
	NewerThan    string
	OlderThan    string
	MinSize      string
	MaxSize      string
	ExcludeRx    []string
	IncludeRx    []string
	ExcludeFrom  []string
	IncludeFrom  []string
	MaxDepth     int
	NoEmptyDirs  bool
	Perms        bool
	MaxErrors    int
	Log          string
}

func (t *treeMore) add(fl *pflag.FlagSet) {
	t.addCompare(fl)
	fl.BoolVar(&t.OnlyMissing, "only-missing", false, "copy only files the destination lacks; leave the ones it has as they are")
	fl.BoolVar(&t.OnlyExisting, "only-existing", false, "update only files the destination has; copy no new file and make no folder")
	t.addFilters(fl, "copy")
	fl.BoolVar(&t.Perms, "perms", false, "give copied files the source's permission bits (rwx only): SITE CHMOD on upload, the listing's mode on download (a listing without modes: a warning, and the local default)")
	fl.BoolVar(&t.NoEmptyDirs, "no-empty-dirs", false, "make no folder that no copied file fills")
	fl.IntVar(&t.MaxErrors, "max-errors", 0, "stop after `N` failed files (no further file starts; exit 8); 0 for no limit")
	fl.StringVar(&t.Log, "log", "", "append one JSON line per action (what, why, bytes, result) to `FILE`")
}

// addCompare defines the flags that say what counts as changed, which
// check shares.
func (t *treeMore) addCompare(fl *pflag.FlagSet) {
	fl.BoolVar(&t.SizeOnly, "size-only", false, "compare files by size alone, ignoring their times")
	fl.BoolVar(&t.Checksum, "checksum", false, "compare files of the same size by digest: the server's (HASH, XSHA256, XMD5 or XCRC) against the local file's; a server with none fails (exit 5)")
}

// addFilters defines the filters beyond --exclude and --include, which
// check shares; verb says what the command does with the files it keeps
// ("copy", "compare").
func (t *treeMore) addFilters(fl *pflag.FlagSet, verb string) {
	fl.StringVar(&t.NewerThan, "newer-than", "", "handle only files modified at or after `WHEN`: a date (2024-05-01), a date and time (2024-05-01T12:00 local, 2024-05-01T12:00Z or +02:00 as in RFC 3339), or an age such as 7d, 12h, 30m")
	fl.StringVar(&t.OlderThan, "older-than", "", "handle only files modified before `WHEN` (as --newer-than)")
	fl.StringVar(&t.MinSize, "min-size", "", "handle only files of at least `SIZE` bytes; suffixes B, K, M, G, T, P (or KiB, MiB...) are powers of 1024; 0 is no minimum")
	fl.StringVar(&t.MaxSize, "max-size", "", "handle only files of at most `SIZE` bytes (at least 1); suffixes as --min-size")
	fl.StringArrayVar(&t.ExcludeRx, "exclude-rx", nil, "leave out paths matching the Go regular expression `RE` (relative path, folders with a trailing /; repeatable)")
	fl.StringArrayVar(&t.IncludeRx, "include-rx", nil, verb+" only files matching the Go regular expression `RE` (relative path; repeatable)")
	fl.StringArrayVar(&t.ExcludeFrom, "exclude-from", nil, "read --exclude globs from `FILE`, one a line (# starts a comment); a FILE that cannot be read is a local file error (exit 6)")
	fl.StringArrayVar(&t.IncludeFrom, "include-from", nil, "read --include globs from `FILE`, one a line (# starts a comment)")
	fl.IntVar(&t.MaxDepth, "max-depth", 0, "enter at most `N` folder levels (1: the files of the folder itself); 0 for no limit")
}

// filter builds the job's filter from the tree flags, reading the
// pattern files, at time now.
func (t *treeFlags) filter(f *Env, now time.Time) (transfer.Filter, error) {
	if t.MaxErrors < 0 {
		return transfer.Filter{}, usageErrorf("--max-errors must be 0 (no limit) or more, got %d", t.MaxErrors)
	}
	flt, err := t.buildFilter(f.local, now)
	if err == nil {
		if msg := futureNote(flt.FilterLimits, t.NewerThan, now); msg != "" {
			f.Warn("%s", msg)
		}
	}
	return flt, err
}

// checkRanges refuses size and time limits that no file can pass: a
// --min-size above --max-size, a --newer-than at or after --older-than.
func checkRanges(l transfer.FilterLimits, t *treeFlags) error {
	if l.MinSize > 0 && l.MaxSize > 0 && l.MinSize > l.MaxSize {
		return usageErrorf("--min-size %s is more than --max-size %s: no file would be handled", t.MinSize, t.MaxSize)
	}
	if !l.NewerThan.IsZero() && !l.OlderThan.IsZero() && !l.NewerThan.Before(l.OlderThan) {
		return usageErrorf("--newer-than %s is not before --older-than %s: no file would be handled", t.NewerThan, t.OlderThan)
	}
	return nil
}

// futureNote returns the warning for a --newer-than (given as when) that
// lies after now, or "". rclone takes such a limit without a word; it is
// no usage error, since files may carry times ahead of this clock (a
// server's clock runs fast), but it leaves out every other file.
func futureNote(l transfer.FilterLimits, when string, now time.Time) string {
	if l.NewerThan.IsZero() || !l.NewerThan.After(now) {
		return ""
	}
	return fmt.Sprintf("--newer-than %s lies in the future: only files dated after it are handled", when)
}

func (t *treeFlags) buildFilter(local func(string) string, now time.Time) (transfer.Filter, error) {
	f := transfer.Filter{Include: t.Include, Exclude: t.Exclude}
	if t.OnlyMissing && t.OnlyExisting {
		return f, usageErrorf("--only-missing and --only-existing cannot go together: nothing would be copied")
	}
	if t.Checksum && (t.SizeOnly || t.OnlyNewer) {
		return f, usageErrorf("--checksum cannot go with --size-only or --only-newer: it compares sizes and digests")
	}
	if t.SizeOnly && t.OnlyNewer {
		return f, usageErrorf("--size-only and --only-newer cannot go together: --only-newer compares times")
	}
	for _, name := range t.ExcludeFrom {
		p, err := readPatterns("--exclude-from", local(name))
		if err != nil {
			return f, err
		}
		f.Exclude = append(append([]string(nil), f.Exclude...), p...)
	}
	for _, name := range t.IncludeFrom {
		p, err := readPatterns("--include-from", local(name))
		if err != nil {
			return f, err
		}
		f.Include = append(append([]string(nil), f.Include...), p...)
	}
	for _, s := range t.ExcludeRx {
		re, err := regexp.Compile(s)
		if err != nil {
			return f, usageErrorf("--exclude-rx: %v", err)
		}
		f.ExcludeRx = append(f.ExcludeRx, re)
	}
	for _, s := range t.IncludeRx {
		re, err := regexp.Compile(s)
		if err != nil {
			return f, usageErrorf("--include-rx: %v", err)
		}
		f.IncludeRx = append(f.IncludeRx, re)
	}
	var err error
	if f.MinSize, err = parseSize("--min-size", t.MinSize); err != nil {
		return f, err
	}
	if f.MaxSize, err = parseSize("--max-size", t.MaxSize); err != nil {
		return f, err
	}
	if f.NewerThan, err = parseWhen("--newer-than", t.NewerThan, now); err != nil {
		return f, err
	}
	if f.OlderThan, err = parseWhen("--older-than", t.OlderThan, now); err != nil {
		return f, err
	}
	if err := checkRanges(f.FilterLimits, t); err != nil {
		return f, err
	}
	if t.MaxDepth < 0 {
		return f, usageErrorf("--max-depth must be 0 (no limit) or more, got %d", t.MaxDepth)
	}
	f.MaxDepth = t.MaxDepth
	if err := f.Check(); err != nil {
		return f, &UsageError{Err: err}
	}
	return f, nil
}

// mirrorMore are the flags of mirror alone: deleting and moving.
type mirrorMore struct {
	DeleteExcluded bool
	MaxDelete      int
	BackupDir      string
	Suffix         string
	RemoveSource   bool
	Loop           bool
}

func (m *mirrorMore) add(fl *pflag.FlagSet) {
	fl.BoolVar(&m.DeleteExcluded, "delete-excluded", false, "with --delete, also delete destination paths that the filters leave out")
	fl.StringVar(&m.BackupDir, "backup-dir", "", "move destination files that would be replaced or deleted into `DIR` first, at their relative paths (a local folder for a download, a remote one for mirror -R; not overlapping the destination unless a filter leaves it out); a failed move stops that replacement; on another file system, copied there and then removed; an earlier backup is never replaced: the new one is NAME.~N~")
	fl.StringVar(&m.Suffix, "suffix", "", "add `SUFFIX` to the names of backups: in --backup-dir, or alone beside each file in the destination (as rclone's), where --delete then keeps names ending in SUFFIX")
	fl.BoolVar(&m.RemoveSource, "remove-source-files", false, "move mode: delete each source file the mirror copies once its copy is shown complete (size; digest with --verify); folders and files the destination had stay")
	fl.BoolVar(&m.Loop, "loop", false, fmt.Sprintf("run again until a pass changes nothing, at most %d passes (then exit 1)", maxLoopPasses))
	fl.IntVar(&m.MaxDelete, "max-delete", -1, "delete at most `N` paths, then stop deleting and exit 8 naming what was left; 0 deletes nothing, -1 is no limit (as rclone's)")
}

// checkGiven validates the mirror flags that must not be given empty.
func (m *mirrorMore) checkGiven(fl *pflag.FlagSet) error {
	if fl.Changed("backup-dir") && strings.TrimSpace(m.BackupDir) == "" {
		return usageErrorf("--backup-dir: want a folder, got %q", m.BackupDir)
	}
	if fl.Changed("suffix") && (m.Suffix == "" || strings.ContainsAny(m.Suffix, `/\`) || transfer.CheckName("x"+m.Suffix) != nil) {
		return usageErrorf("--suffix: want the end of a file name (no / or control characters), got %q", m.Suffix)
	}
	return nil
}

// check validates the mirror flags against the tree flags.
func (m *mirrorMore) check(t *treeFlags) error {
	if m.DeleteExcluded && !t.Delete {
		return usageErrorf("--delete-excluded needs --delete")
	}
	if m.RemoveSource && t.Delete {
		// The moved files are gone from the source: the next run, or
		// the next --loop pass, would delete their copies.
		return usageErrorf("--remove-source-files cannot go with --delete: a later run would delete the files it moved")
	}
	if m.MaxDelete < -1 {
		return usageErrorf("--max-delete must be 0 (delete nothing) or more, or -1 (no limit), got %d", m.MaxDelete)
	}
	return nil
}

// backupDir returns the --backup-dir of a job on the destination's side:
// a local path for a download; for an upload a remote path, resolved as
// other remote paths are (in the shell, from the current folder; on the
// command line, from the login folder, or a URL of the same server).
func (m *mirrorMore) backupDir(f *Env, r Remote, dir transfer.Direction) (string, error) {
	switch {
	case m.BackupDir == "":
		return "", nil
	case dir == transfer.Download && strings.Contains(m.BackupDir, "://") && ftpurl.IsRemote(m.BackupDir):
		return "", usageErrorf("--backup-dir: a download's backup folder is a local folder, not an address")
	case dir == transfer.Download:
		return f.local(m.BackupDir), nil
	case !f.Shared && !ftpurl.IsRemote(m.BackupDir):
		return m.BackupDir, nil
	}
	b, err := f.Resolve(m.BackupDir)
	if err != nil {
		return "", err
	}
	if b.key() != r.key() {
		return "", usageErrorf("--backup-dir must be on the destination's server")
	}
	return b.Path(), nil
}

// maxLoopPasses bounds the passes of mirror --loop: a source that changes
// faster than it is copied would otherwise keep it running for ever.
const maxLoopPasses = 10

// ErrLoopBound reports a mirror --loop whose last pass still changed the
// destination.
var ErrLoopBound = fmt.Errorf("--loop: the destination still changed after %d passes (is the source changing all the time?)", maxLoopPasses)

// loopMirror runs the mirror once, or with --loop again until a pass
// changes nothing, fails, or maxLoopPasses have run. The report is the
// last pass's, with the copies, folders, deletions and removals of all
// passes summed.
func loopMirror(ctx context.Context, f *Env, p *transfer.Pool, t *treeFlags, remoteDir, localDir string, opt transfer.MirrorOptions) (*transfer.Report, error) {
	var sum transfer.Report
	limit := opt.MaxDelete // for all passes together
	for pass := 1; ; pass++ {
		if opt.LimitDeletes {
			opt.MaxDelete = limit - sum.Deleted // >= 0: a pass that spent it ended the loop
		}
		res, err := p.Mirror(ctx, remoteDir, localDir, opt)
		sum.Copied += res.Copied
		sum.Made += res.Made
		sum.Deleted += res.Deleted
		sum.SourcesRemoved += res.SourcesRemoved
		sum.Bytes += res.Bytes
		sum.Retries += res.Retries
		sum.Duration += res.Duration
		res.Copied, res.Made, res.Deleted, res.SourcesRemoved = sum.Copied, sum.Made, sum.Deleted, sum.SourcesRemoved
		res.Bytes, res.Retries, res.Duration = sum.Bytes, sum.Retries, sum.Duration
		changed := res.Plan != nil && changes(res.Plan)
		// --max-delete holds for the whole run: a pass that spent it
		// ends the loop, else each pass would delete N more.
		spent := opt.LimitDeletes && sum.Deleted >= limit
		if err != nil || !t.Loop || opt.DryRun || res.Failed > 0 || !changed || spent {
			return res, err
		}
		if pass == maxLoopPasses {
			return res, ErrLoopBound
		}
		f.Status("--loop: pass %d changed the destination; running again", pass)
	}
}

// changes reports whether a plan changes the destination.
func changes(plan []transfer.Action) bool {
	for _, a := range plan {
		if a.Kind != transfer.Keep && a.Kind != transfer.Skip {
			return true
		}
	}
	return false
}
