package ops

import (
	"context"
	"fmt"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/ferry-ftp/ferry/client"
	"github.com/ferry-ftp/ferry/internal/ftpurl"
	"github.com/ferry-ftp/ferry/transfer"
)

// engineFlags are the transfer engine's flags that get, put and mirror
// share.
type engineFlags struct {
	Parallel  int
	LimitRate string
	Verify    bool

	limit *transfer.Limiter // parsed by check
}

func (e *engineFlags) add(fl *pflag.FlagSet) {
	fl.IntVarP(&e.Parallel, "parallel", "P", transfer.DefaultParallel, "transfer up to `N` files at once, over N connections (config: parallel)")
	fl.StringVar(&e.LimitRate, "limit-rate", "", "cap the total rate of the command at `RATE` bytes/s; K, M, G suffixes are powers of 1024 (500K, 10M)")
	fl.BoolVar(&e.Verify, "verify", false, "after each file, compare its digest with the server's (HASH, XSHA256, XMD5 or XCRC); sizes are always checked")
}

// check validates the flags and parses the rate.
func (e *engineFlags) check() error {
	if e.Parallel < 1 {
		return usageErrorf("--parallel must be at least 1, got %d", e.Parallel)
	}
	if e.LimitRate != "" {
		rate, err := transfer.ParseRate(e.LimitRate)
		if err != nil {
			return usageErrorf("--limit-rate: %v", err)
		}
		e.limit = transfer.NewLimiter(rate)
	}
	return nil
}

// pool returns a connection pool of size connections to site, retrying as
// --retries says.
func (e *engineFlags) pool(f *Env, site transfer.Site, size int) *transfer.Pool {
	return transfer.NewPool(site, transfer.PoolOptions{Size: size, Retries: f.Opts.Retries, NoPipeline: f.Opts.NoPipeline,
		Notify: func(msg string) { f.Status("%s", msg) }})
}

// treeFlags are the flags of jobs on folders: get -r, put -r, mirror.
type treeFlags struct {
	OnlyNewer bool
	Delete    bool
	Continue  bool
	DryRun    bool
	Exclude   []string
	Include   []string
	// AllowEmptySource lets --delete empty the destination of an empty
	// source.
	AllowEmptySource bool
	treeMore
	mirrorMore
}

func (t *treeFlags) add(fl *pflag.FlagSet, mirror bool) {
	fl.BoolVarP(&t.OnlyNewer, "only-newer", "n", false, "copy only files that are new, newer, or of another size at the same time; keep newer destination files")
	addGlobFlags(fl, &t.Exclude, &t.Include, "copy")
	fl.BoolVar(&t.DryRun, "dry-run", false, "print what would be copied, made and deleted, and why; change nothing")
	t.treeMore.add(fl)
	if mirror {
		fl.BoolVar(&t.Delete, "delete", false, "delete destination files and folders that the source lacks (only inside the mirrored folder)")
		fl.BoolVarP(&t.Continue, "continue", "c", false, "resume partial files left by an earlier run of the same files")
		fl.BoolVar(&t.AllowEmptySource, "allow-empty-source", false, "let --delete empty the destination when the source folder is empty (otherwise asked on a terminal, refused in scripts)")
		t.mirrorMore.add(fl)
	}
}

// addGlobFlags defines --exclude and --include, whose files the command
// (verb: "copy", "compare") handles.
func addGlobFlags(fl *pflag.FlagSet, exclude, include *[]string, verb string) {
	fl.StringArrayVarP(exclude, "exclude", "x", nil, "leave out paths matching `GLOB` (relative path or base name; a final / for folders only, a leading / for the root only; repeatable)")
	fl.StringArrayVarP(include, "include", "i", nil, verb+" only files matching `GLOB` (relative path or base name; repeatable)")
}

const treeHelp = `Trees are compared by size and modification time. LIST times carry no zone
and often no year: they are compared only as far as both sides know them (the
minute or the day); MDTM, asked in batches of pipelined commands, gives the
exact times of the files a download copies and of those whose copy would rest
on such a time. Where MDTM is not offered or refused, a file of the same size
whose listed time matches to the minute or the day is kept with the reason
"same size; time unknown", said once (check names each such file and exits
8). MLSD and MDTM times are UTC. Downloaded files get the server's time, and
uploaded ones the local time where the server offers MFMT, so that the next
run skips them. A file whose size is not known on both sides is copied, never
called unchanged. Symbolic links are never followed or created. Names from the
server that could escape the target folder (empty, ".", "..", with / or \,
control characters, or a leading |) are refused and reported, and the rest is
copied. What is asked for and not copied is skipped and reported on stderr
with its reason (and in --json): links and special files in the source, a
file on one side where the other has a folder (without --delete), listing
lines that cannot be read; the command then exits 8.

--exclude and --include take path.Match globs (*, ?, [a-z]) matched against
both the path relative to the folder ("logs/*.gz") and the base name
("*.tmp"). An excluded folder is not entered; with --include, only matching
files are copied. Paths left out are never deleted, nor is anything at or
below a source folder that could not be listed or whose listing had lines that
cannot be read, nor ferry's own partial files (".NAME.ferry-TAG.part", kept
for a later run to resume). When the source folder is empty and --delete
would empty the destination, mirror asks on a terminal and refuses in a
script (exit 1), unless --allow-empty-source says it is meant. Trees are
entered at most 64 folder levels deep.

What counts as changed: --size-only compares sizes alone; --checksum
compares files of the same size by the server's digest (HASH, XSHA256, XMD5
or XCRC) against the local file's, and fails (exit 5) on a server with none;
--only-missing copies only what the destination lacks, --only-existing only
what it has (making no folder). More filters: --exclude-rx and --include-rx
(Go regular expressions on the relative path, folders with a trailing /),
--exclude-from and --include-from (one glob a line, # comments), ** in globs
(any number of folders), --min-size and --max-size, --newer-than and
--older-than (a date, a date and time, or an age such as 7d; a file whose
listed time, known to the minute or the day, cannot tell is asked MDTM, and
one still undecided, or of unknown size, is copied and named: never left out
in silence; with --remove-source-files it is skipped instead), --max-depth,
--no-empty-dirs. A --min-size above --max-size, or a --newer-than not
before --older-than, is a usage error.
--perms copies rwx bits (SITE CHMOD on upload, the listing's mode on
download). --max-errors N starts nothing more after N failures (exit 8),
and names each planned action it did not run.
--log FILE appends one JSON line per action. With --dry-run --json the
whole plan is printed, each action with its reason.

Transient failures (a lost connection, a timeout, a 4xx reply such as 425)
are retried with backoff and resumed, 5 times unless --retries says otherwise
(--retries 0: never); the command goes on with the others and exits 8 when
some failed, or when a folder could not be listed while other files were
handled. --verify compares digests; a mismatch is
a failure (exit 1 for a single file) and the damaged file is not renamed into
place.`

// MirrorOptions are the options of `ferry mirror`.
type MirrorOptions struct {
	F       *Env
	Reverse bool
	Source  string
	Target  string
	Engine  engineFlags
	Tree    treeFlags
}

var mirrorCommand = Command{
	Name:    "mirror",
	Use:     "mirror URL DIR | mirror -R DIR URL",
	Short:   "Make a local folder a copy of a remote one, or the reverse",
	MinArgs: 2, MaxArgs: 2,
	New: func() Operation { return &MirrorOptions{} },
	Long: `Make the local folder DIR a copy of the remote folder URL, or with -R the
remote folder a copy of DIR: new files are copied, changed ones (another size
or time) copied again, unchanged ones skipped, and with --delete what the
source lacks is deleted. Folders are listed and files copied over --parallel
connections at once.

Safety nets: --delete-excluded also deletes what the filters leave out (a
filter that keeps no source file counts as an empty source); --max-delete N
deletes at most N paths (0: none), then skips the rest and exits 8 naming
them; --backup-dir DIR moves each file that would be replaced or deleted
into DIR first, on the destination's side (a local folder, or a remote one
for -R), and a failed move stops that replacement; DIR must not be the
destination, hold it or lie inside it (unless a filter leaves it out);
--suffix SUFFIX ends the backups' names with SUFFIX, and alone keeps each
backup beside its file (--delete then keeps names ending in SUFFIX, and
folders holding files). An earlier backup is never replaced: the next one
takes a numbered name, NAME.~N~, and a note says so (rclone overwrites
it). --remove-source-files deletes each copied source file once its copy
is shown complete (size; digest with --verify), never a folder, and not
with --delete. --loop runs again until a pass changes nothing, at most 10
passes (then exit 1).

` + treeHelp,
	Example: `  ferry mirror ftp://ftp.example.org/pub/ ./pub
  ferry mirror --delete --parallel 8 ftp://example.org/site ./site
  ferry mirror -R --only-newer ./site ftp://user@example.org/www
  ferry mirror --exclude '*.tmp' --exclude cache ftp://example.org/data ./data
  ferry mirror --dry-run --delete ftp://example.org/pub ./pub
  ferry mirror --limit-rate 2M --verify ftp://example.org/isos ./isos
  ferry mirror --delete --max-delete 100 --backup-dir ./attic ftp://example.org/pub ./pub
  ferry mirror -R --delete --suffix .bak ./site ftp://example.org/www
  ferry mirror --include 'logs/**/*.gz' --newer-than 7d ftp://example.org/ ./recent
  ferry mirror -R --remove-source-files ./outbox ftp://example.org/inbox`,
}

// AddFlags defines mirror's flags.
func (o *MirrorOptions) AddFlags(fl *pflag.FlagSet) {
	fl.BoolVarP(&o.Reverse, "reverse", "R", false, "upload: make the remote folder URL a copy of the local DIR")
	o.Engine.add(fl)
	o.Tree.add(fl, true)
}

// Args takes the positional arguments and checks the flags.
func (o *MirrorOptions) Args(fl *pflag.FlagSet, args []string) error {
	o.Source, o.Target = args[0], args[1]
	return o.Tree.checkGiven(fl)
}

// Run does it.
func (o *MirrorOptions) Run(ctx context.Context, env *Env) error {
	o.F = env
	if o.Reverse {
		o.Source = env.local(o.Source)
	} else {
		o.Target = env.local(o.Target)
	}
	return mirrorRun(ctx, o)
}

func mirrorRun(ctx context.Context, o *MirrorOptions) error {
	url, local, dir := o.Source, o.Target, transfer.Download
	if o.Reverse {
		url, local, dir = o.Target, o.Source, transfer.Upload
	}
	if !o.F.Shared && !ftpurl.IsRemote(url) {
		return usageErrorf("%q is not a remote address (ftp://host/path or NAME:/path)", url)
	}
	r, err := o.F.Resolve(url)
	if err != nil {
		return err
	}
	return runTree(ctx, o.F, &o.Engine, &o.Tree, dir, r, r.Path(), local)
}

// runTree runs a tree job and reports it: progress with a total line on a
// terminal, the plan of a dry run on stdout, the summary on stderr or as
// JSON.
func runTree(ctx context.Context, f *Env, e *engineFlags, t *treeFlags, dir transfer.Direction, r Remote, remoteDir, localDir string) error {
	if err := e.check(); err != nil {
		return err
	}
	filter, err := t.filter(f, time.Now())
	if err != nil {
		return err
	}
	if err := t.mirrorMore.check(t); err != nil {
		return err
	}
	site, err := f.Site(r)
	if err != nil {
		return err
	}
	backup, err := t.backupDir(f, r, dir)
	if err != nil {
		return err
	}
	alog, err := openActionLog(f.local(t.Log), localDir, dir)
	if err != nil {
		return err
	}
	p := e.pool(f, site, e.Parallel)
	defer p.Close()
	rep := newReporter(f, false)
	rep.verify = e.Verify
	update := transfer.UpdateChanged
	if t.OnlyNewer {
		update = transfer.UpdateNewer
	}
	opt := transfer.MirrorOptions{Direction: dir, Update: update, Delete: t.Delete, Filter: filter,
		AllowEmptySource: t.AllowEmptySource, ConfirmEmptySource: confirmEmptySource(f, remoteDir, localDir, dir),
		SizeOnly: t.SizeOnly, Checksum: t.Checksum, OnlyMissing: t.OnlyMissing, OnlyExisting: t.OnlyExisting,
		DeleteExcluded: t.DeleteExcluded, MaxDelete: t.MaxDelete, LimitDeletes: t.MaxDelete >= 0, BackupDir: backup, Suffix: t.Suffix, RemoveSource: t.RemoveSource, NoEmptyDirs: t.NoEmptyDirs, Perms: t.Perms, MaxErrors: t.MaxErrors,
		DryRun: t.DryRun, Resume: t.Continue, Verify: e.Verify, Limit: e.limit, Progress: rep.progress,
		Notify: func(msg string) { f.Warn("%s", msg) },
		OnEvent: func(ev transfer.Event) {
			a := ev.Action
			remote, local := path.Join(remoteDir, a.Path), filepath.Join(localDir, filepath.FromSlash(a.Path))
			alog.write(a, remote, local, ev.Result.Bytes, ev.Err, false)
			switch {
			case a.Kind == transfer.Copy:
				rep.done(remote, local, ev.Result, ev.Err)
			case a.Kind == transfer.Chmod && ev.Err != nil:
				rep.failAfter(remote, local, fmt.Errorf("%s: %w", a.Reason, ev.Err))
			case a.Kind == transfer.RemoveSource:
				src := map[transfer.Direction]string{transfer.Download: remote, transfer.Upload: local}[dir]
				if ev.Err != nil {
					rep.failAfter(remote, local, fmt.Errorf("source kept: %w", ev.Err))
				} else {
					f.Status("removed source %s", client.Sanitize(src))
				}
			case a.Kind == transfer.Skip && ev.Err == nil:
				rep.skip(map[bool]string{true: remote, false: local}[(dir == transfer.Download) != a.InDest], a.Reason)
			case ev.Err != nil:
				rep.fail(remote, local, ev.Err)
			case a.Kind == transfer.Delete && !t.DryRun:
				p := map[transfer.Direction]string{transfer.Download: local, transfer.Upload: remote}[dir]
				rep.mu.Lock()
				rep.deleted = append(rep.deleted, p)
				rep.mu.Unlock()
				switch {
				case backup != "":
					f.Status("moved %s into %s", client.Sanitize(p), client.Sanitize(backup))
				case t.Suffix != "":
					f.Status("renamed %s to %s", client.Sanitize(p), client.Sanitize(p+t.Suffix))
				default:
					f.Status("deleted %s", client.Sanitize(p))
				}
			}
		}}
	res, err := loopMirror(ctx, f, p, t, remoteDir, localDir, opt)
	if t.DryRun {
		for _, a := range res.Plan {
			alog.write(a, path.Join(remoteDir, a.Path), filepath.Join(localDir, filepath.FromSlash(a.Path)), 0, nil, true)
		}
	}
	if lerr := alog.close(); lerr != nil && err == nil {
		err = lerr
	}
	rep.mu.Lock()
	rep.unchanged, rep.skipped, rep.made, rep.gone, rep.retries = res.Unchanged, res.Skipped, res.Made, res.Deleted, res.Retries
	rep.sourcesRemoved = res.SourcesRemoved
	rep.dryRun = t.DryRun
	rep.mu.Unlock()
	if err != nil {
		rep.finish(nil)
		return err
	}
	if t.DryRun {
		printPlan(f, rep, res, dir)
	}
	return rep.finish(nil)
}

// printPlan prints a dry run's plan: the actions on stdout (or in the
// JSON summary, with the skips and their reasons), a count on stderr.
func printPlan(f *Env, rep *reporter, res *transfer.Report, dir transfer.Direction) {
	counts := map[string]int{}
	var verbs []string
	for _, a := range res.Plan {
		v := a.Verb(dir)
		if counts[v] == 0 {
			verbs = append(verbs, v)
		}
		counts[v]++
		rep.plan = append(rep.plan, jsonAction{Action: v, Path: a.Path, Reason: a.Reason})
		if a.Kind != transfer.Keep {
			f.printer().planStep(a.String(dir))
		}
	}
	var parts []string
	for _, v := range verbs {
		parts = append(parts, fmt.Sprintf("%d to %s", counts[v], v))
	}
	if len(parts) == 0 {
		parts = []string{"nothing to do"}
	}
	f.printer().planDone(strings.Join(parts, ", "))
}

// confirmEmptySource returns the question a mirror with --delete asks
// before it empties the destination of an empty source: on a terminal
// the user answers; elsewhere (a script) nil refuses.
func confirmEmptySource(f *Env, remoteDir, localDir string, dir transfer.Direction) func(n int) bool {
	ask := f.ask()
	if ask == nil {
		return nil
	}
	src, dst := remoteDir, localDir
	if dir == transfer.Upload {
		src, dst = localDir, remoteDir
	}
	return func(n int) bool {
		line, err := ask(transfer.EmptySourceQuestion(src, dst, n))
		answer := strings.ToLower(strings.TrimSpace(line))
		return err == nil && (answer == "y" || answer == "yes")
	}
}
