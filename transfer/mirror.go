package transfer

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/ferry-ftp/ferry/client"
)

// Direction says which way a job copies.
type Direction int

const (
	// Download copies the remote tree to the local one.
	Download Direction = iota
	// Upload copies the local tree to the remote one.
	Upload
)

// MirrorOptions configure Pool.Mirror.
type MirrorOptions struct {
	Direction Direction
	// Update says which files present on both sides are copied.
	Update Update
	// Delete removes from the destination what the source lacks, and
	// what is in the way of a copy (a folder where the source has a
	// file). Only paths inside the mirrored tree that the filter keeps are
	// deleted; symbolic links are deleted, never followed; files under
	// ferry's temporary names (IsTempName) that the source lacks are
	// kept for a later run to resume.
	//
	// A source that lists empty while the destination holds files to
	// delete is taken for a mistake (a mistyped folder, a server that
	// lists nothing): the job asks ConfirmEmptySource, or fails with
	// ErrEmptySource, unless AllowEmptySource is set.
	Delete bool
	// AllowEmptySource lets Delete empty the destination when the source
	// is empty.
	AllowEmptySource bool
	// ConfirmEmptySource, when set, is asked whether Delete may remove the
	// n destination paths of an empty source; nil refuses.
	ConfirmEmptySource func(n int) bool
	// Filter selects the paths handled.
	Filter Filter
	// SizeOnly compares files present on both sides by size alone
	// (--size-only); OnlyMissing copies only the files the destination
	// lacks (--only-missing); OnlyExisting only those it has, and makes
	// no folder (--only-existing); Checksum compares files of the same
	// size by their digests: the server's (HASH, XSHA256, XMD5 or XCRC),
	// and the local file's hashed to match; a server that offers none
	// fails the job with ErrNoChecksum before anything is changed.
	SizeOnly, OnlyMissing, OnlyExisting, Checksum bool
	// DeleteExcluded, with Delete, also deletes from the destination what
	// the filter leaves out (see Filter); nothing else changes: what
	// could not be listed and ferry's partial files are spared, and a
	// source in which the filter keeps no file is an empty source.
	DeleteExcluded bool
	// MaxDelete, when positive or when LimitDeletes is set, is the most
	// destination paths the job deletes (0: none): the deletions past it
	// (in plan order, and all after the first one refused) become skips,
	// and so do the copies that wait for a deletion in their way.
	MaxDelete int
	// LimitDeletes makes MaxDelete a limit even when it is 0 (rclone's
	// --max-delete 0: delete nothing).
	LimitDeletes bool
	// BackupDir, when set, is a folder on the destination's side (local
	// for a download, remote for an upload) into which the destination's
	// files that would be replaced or deleted are moved first, at their
	// paths relative to the tree (a folder in the way is moved whole). A
	// move that fails stops that replacement or deletion; an earlier
	// backup of the same path is kept, and the new one takes a numbered
	// name (see backup.go). It must not overlap the destination
	// (ErrBackupInside).
	BackupDir string
	// Suffix, when set, ends the names of backups (a name suffix, without
	// a slash). Without BackupDir, the destination's files that would be
	// replaced or deleted are renamed to NAME+Suffix beside themselves,
	// and Delete keeps the destination's names that end in Suffix.
	Suffix string
	// RemoveSource deletes each source file that the job copies once its
	// copy is shown complete: the sizes match (and the digests, with
	// Verify), and an uploaded file did not change meanwhile. Files the
	// destination had already are kept, and so are all folders. A
	// failure to show it keeps the file and counts as a failure.
	RemoveSource bool
	// Perms gives each copied file the source's permission bits (rwx for
	// user, group and others; never set-id or sticky bits): with SITE
	// CHMOD on upload, from the listing's mode on download (a listing
	// without modes leaves the local default, which Notify is told once).
	// A failure counts as a failure of the file, which stays copied.
	Perms bool
	// NoEmptyDirs makes no folder in the destination that no copy fills
	// (folders the destination has are left as they are).
	NoEmptyDirs bool
	// MaxErrors, when positive, stops the job once that many actions
	// have failed: no further action starts, those under way end, and
	// Mirror returns an error that wraps ErrMaxErrors.
	MaxErrors int
	// DryRun plans and changes nothing: Report.Plan says what would be
	// done and why. Only listings (and MDTM where a time must be exact,
	// digest commands with Checksum) are sent.
	DryRun bool
	// Resume continues the partial files an earlier run left (see
	// GetOptions.Resume and PutOptions.Resume).
	Resume bool
	// Verify compares digests after each copy (see GetOptions.Verify).
	Verify bool
	// Limit caps the aggregate rate of the job.
	Limit *Limiter
	// Progress is told about each file transfer; when it implements
	// Totals, it is told the job's totals once planned.
	Progress Progress
	// OnEvent is told about each action as it ends, skips included. It is
	// called from several goroutines at once.
	OnEvent func(Event)
	// Notify is told about what deserves a line but is no failure: a
	// listing line that cannot be parsed. It may be called concurrently.
	Notify func(msg string)
}

// Event is the outcome of one action of a job.
type Event struct {
	Action Action
	// Result is the transfer's, for a Copy.
	Result Result
	// Err is nil for success.
	Err error
}

// Report sums up a job.
type Report struct {
	// Plan lists the actions decided, in order, skips and keeps last.
	Plan []Action
	// Copied files, Made folders, Deleted paths; Unchanged files (Keep);
	// Skipped paths that were asked for and not handled (Skip: links,
	// special files, type conflicts, listing lines that cannot be read);
	// Failed counts failed actions and paths that could not be handled
	// (refused names, folders that cannot be listed).
	Copied, Made, Deleted, Unchanged, Skipped, Failed int
	// SourcesRemoved counts the source files deleted after their copy
	// (MirrorOptions.RemoveSource).
	SourcesRemoved int
	// Bytes is what the copies moved.
	Bytes int64
	// Retries counts retries of transfers, listings and other commands.
	Retries int
	// Duration is the job's time.
	Duration time.Duration
}

// mirror is one run of Pool.Mirror.
type mirror struct {
	pool             *Pool
	opt              MirrorOptions
	filter           Filter
	remoteDir        string
	root             *os.Root
	files            *dirRoots // root, with a root per folder for the copies
	mu               sync.Mutex
	rep              *Report
	learned          bool
	canMFMT, canMDTM bool
	// unknown holds the source paths whose contents are unknown (see
	// unknownBelow), and unentered the destination's folders that were
	// not entered (see notEntered); guarded by mu.
	unknown, unentered map[string]bool
	// src is the source tree once scanned: its names are never taken
	// for temporary names (GetOptions.Avoid).
	src tree
	// untimed counts the listing lines whose dates the parser could not
	// read, and keeps the first (client.ListOptions.Untimed); guarded by
	// mu.
	untimed      int
	firstUntimed string
	// ran holds the actions counted, by kind and path: what a job that
	// MaxErrors stopped did not run is the rest of its plan (see
	// stopErr); guarded by mu.
	ran map[actionKey]bool
}

// actionKey identifies an action of a plan: no plan holds two of one
// kind for one path.
type actionKey struct {
	kind ActionKind
	path string
}

// Mirror copies the tree below remoteDir to the local folder localDir
// (Download) or the other way (Upload), with the pool's connections:
//
//  1. Both trees are scanned at once; remote folders are listed in
//     parallel (up to the pool's limit), local ones walked without
//     following symbolic links.
//  2. The trees are compared into a plan (see MirrorOptions.Update); when a
//     copy rests on a LIST time, known only to the minute or day and in
//     an unknown zone, MDTM gives the exact time first, where offered;
//     with Checksum, digests settle the files of the same size; MaxDelete
//     trims the deletions.
//  3. Unless DryRun, the plan runs: deletions in the way, folders (in
//     parallel, level by level), copies (by the pool's workers, each
//     retried and resumed), deletions of what the source lacks
//     (deepest first).
//
// Every name from the server is checked with CheckName, and local files
// are written through an os.Root at localDir, so nothing lands outside it
// and no symbolic link is created or followed out of it. Symbolic links
// and special files in the source are skipped (see Report.Plan).
//
// Failures of single paths are counted in the report and told to
// OnEvent; Mirror returns an error only when the job cannot run at all:
// the source cannot be listed or read, the local folder cannot be made,
// or ctx is done.
func (p *Pool) Mirror(ctx context.Context, remoteDir, localDir string, opt MirrorOptions) (*Report, error) {
	start := time.Now()
	rep := &Report{}
	if err := opt.Filter.Check(); err != nil {
		return rep, err
	}
	if opt.RemoveSource && opt.Delete {
		return rep, ErrMoveDelete
	}
	if opt.Suffix != "" && (strings.Contains(opt.Suffix, "/") || CheckName("x"+opt.Suffix) != nil) {
		return rep, fmt.Errorf("backup suffix %q: not a name suffix", client.Sanitize(opt.Suffix))
	}
	opt.Notify = NotifyOnce(opt.Notify) // the same warning for every file is said once
	m := &mirror{pool: p, opt: opt, filter: opt.Filter, remoteDir: remoteDir, rep: rep}
	if err := m.checkBackupDir(ctx, localDir); err != nil {
		return rep, err
	}
	retries0 := p.Retries()
	defer func() {
		rep.Retries = int(p.Retries() - retries0)
		rep.Duration = time.Since(start)
	}()

	root, err := m.openLocal(localDir)
	var notFolder error
	if err != nil && opt.Direction == Download && isLocalFile(localDir) {
		// A file where the download's folder would go: the remote
		// source may be a file too (get -r of a file, run again), which
		// its scan tells first; the local error stands otherwise.
		notFolder, err = err, nil
	}
	if err != nil {
		return rep, err
	}
	defer func() {
		if m.root != nil {
			m.files.Close()
			m.root.Close()
		}
	}()
	m.setRoot(root)

	var remote, local tree
	var missing bool
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		var err error
		remote, missing, err = m.scanRemote(gctx, remoteDir, opt.Direction == Upload)
		return err
	})
	g.Go(func() error {
		var err error
		local, err = m.scanLocal(root)
		return err
	})
	if err := g.Wait(); err != nil {
		return rep, err
	}
	if notFolder != nil {
		return rep, notFolder
	}
	m.learnZone(ctx, remote, remoteDir)
	src, dst := remote, local
	keepsTimes := true
	if opt.Direction == Upload {
		src, dst = local, remote
		keepsTimes = m.canMFMT
	}
	m.src = src
	if m.untimed > 0 {
		how := "compared by size"
		if m.canMDTM {
			how += ", and their times asked with MDTM"
		}
		m.note("%d listing lines have dates ferry cannot read (the first: %q): their files are %s", m.untimed, m.firstUntimed, how)
	}
	actions := plan(src, dst, &opt, keepsTimes, m.unknown, m.unentered)
	if err := m.guardEmptySource(src, actions); err != nil {
		return rep, err
	}
	actions, refused := limitDeletes(actions, dst, opt.deleteLimit())
	if refused > 0 {
		m.note("--max-delete %d reached: %d deletion(s) not done", opt.MaxDelete, refused)
	}
	if opt.Checksum {
		if actions, err = m.compareDigests(ctx, actions); err != nil {
			return rep, err
		}
	}
	actions = m.refine(ctx, actions, keepsTimes)
	settleUntimed(actions, opt.Update)
	if opt.backsUp() {
		markBackups(actions, &opt)
	}
	if opt.NoEmptyDirs {
		actions = dropEmptyDirs(actions)
	}
	m.notePerms(actions)
	if opt.DryRun {
		actions = withFollowUps(actions, &opt)
	}
	rep.Plan = actions
	if opt.DryRun {
		for _, a := range actions {
			if a.Kind != RemoveSource { // nothing is removed
				m.count(a, nil)
			}
		}
		return rep, ctx.Err()
	}
	if m.root == nil {
		// A download's folder is made once the source is known to
		// exist, so that a missing source leaves nothing behind.
		if root, err = m.makeLocal(localDir); err != nil {
			return rep, err
		}
		m.setRoot(root)
	}
	if opt.Direction == Upload && (missing || len(remote) == 0) {
		m.makeRemoteRoot(ctx)
	}
	var files int
	var bytes int64
	for _, a := range actions {
		if a.Kind == Copy {
			files++
			bytes += max(a.Size, 0)
		}
	}
	setTotals(opt.Progress, files, bytes)
	if err := m.run(ctx, actions, dst); err != nil {
		return rep, err
	}
	return rep, m.stopErr(actions)
}

// openLocal opens the local tree's root. For a download, a missing
// folder is an empty tree (nil), made by makeLocal once the source has
// been listed.
func (m *mirror) openLocal(dir string) (*os.Root, error) {
	if dir == "" {
		dir = "."
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		if m.opt.Direction == Download && errors.Is(err, os.ErrNotExist) {
			return nil, nil
		}
		return nil, localErr("open folder", dir, err)
	}
	return root, nil
}

// isLocalFile reports whether the local path p exists and is not a
// folder (symbolic links followed).
func isLocalFile(p string) bool {
	if p == "" {
		return false
	}
	fi, err := os.Stat(p)
	return err == nil && !fi.IsDir()
}

// makeLocal makes a download's local folder, with its parents, and opens
// it.
func (m *mirror) makeLocal(dir string) (*os.Root, error) {
	if dir == "" {
		dir = "."
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, localErr("create folder", dir, err)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, localErr("open folder", dir, err)
	}
	return root, nil
}

// setRoot makes root the local tree's root, with a root per folder for
// the copies.
func (m *mirror) setRoot(root *os.Root) {
	m.root = root
	if root != nil {
		m.files = newDirRoots(root)
	}
}

// learn records what the server offers, from the first connection seen.
func (m *mirror) learn(c *client.Conn) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if !m.learned {
		m.learned = true
		// MDTM is tried where FEAT was refused: a refusal is recorded
		// and not asked again (see refine).
		m.canMFMT, m.canMDTM = c.HasFeature("MFMT"), c.Offers("MDTM")
	}
}

// note passes a message to Notify.
func (m *mirror) note(format string, args ...any) {
	if m.opt.Notify != nil {
		m.opt.Notify(fmt.Sprintf(format, args...))
	}
}

// skip records a path that was asked for and is not handled.
func (m *mirror) skip(a Action) {
	m.count(a, nil)
	m.event(Event{Action: a})
}

// itemFailed records a path that could not be handled.
func (m *mirror) itemFailed(a Action, err error) {
	m.count(a, err)
	m.event(Event{Action: a, Err: err})
}

func (m *mirror) event(e Event) {
	if m.opt.OnEvent != nil {
		m.opt.OnEvent(e)
	}
}

// count adds an action's outcome to the report.
func (m *mirror) count(a Action, err error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.opt.MaxErrors > 0 {
		if m.ran == nil {
			m.ran = map[actionKey]bool{}
		}
		m.ran[actionKey{a.Kind, a.Path}] = true
	}
	switch {
	case err != nil:
		m.rep.Failed++
	case a.Kind == Copy:
		m.rep.Copied++
	case a.Kind == MakeDir:
		m.rep.Made++
	case a.Kind == Delete:
		m.rep.Deleted++
	case a.Kind == Skip:
		m.rep.Skipped++
	case a.Kind == Keep:
		m.rep.Unchanged++
	case a.Kind == RemoveSource:
		m.rep.SourcesRemoved++
	}
}

// makeRemoteRoot creates the remote root folder and its parents; errors
// are left for the copies to report.
func (m *mirror) makeRemoteRoot(ctx context.Context) {
	dir := strings.TrimSuffix(m.remoteDir, "/")
	if dir == "" || dir == "." {
		return
	}
	var parts []string
	for d := dir; d != "" && d != "/" && d != "."; d = path.Dir(d) {
		parts = append(parts, d)
	}
	m.pool.Do(ctx, "MKD "+dir, func(c *client.Conn, _ int) error {
		for i := len(parts) - 1; i >= 0; i-- {
			if _, err := c.Mkd(ctx, parts[i]); err != nil && c.Err() != nil {
				return err
			}
		}
		return nil
	})
}
