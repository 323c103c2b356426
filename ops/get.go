package ops

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/ferry-ftp/ferry/client"
	"github.com/ferry-ftp/ferry/transfer"
)

// GetOptions are the options of `ferry get`.
type GetOptions struct {
	F         *Env
	Addresses []string
	Output    string
	Continue  bool
	Direct    bool
	Recursive bool
	Segments  int
	Engine    engineFlags
	Tree      treeFlags
	Patterns  patternFlags
	// ASCII transfers in ASCII type (-a).
	ASCII bool

	// rules are the rules the tree flags give each file (see
	// decideFiles), set by getRun and getTreeRun.
	rules transfer.FileRules
}

var getCommand = Command{
	Name:    "get",
	Use:     "get URL... [-o PATH|-] [-c] [-r] [-a] [--segments N] [--direct]",
	Short:   "Download files",
	MinArgs: 1, MaxArgs: -1,
	New: func() Operation { return &GetOptions{} },
	Long: `Download remote files. A pattern in the last path element ('*.txt')
is matched against the folder's listing (see Patterns below). Several
files are downloaded --parallel at a time, over as many connections.
The sizes and times the listing does not tell are asked in batches (SIZE
and MDTM for many files in one write), and each connection sends the
next file's data command (EPSV, or EPRT/PORT in active mode) and RETR
as soon as the current file's data has arrived, before its final reply
(lookahead); a server
that cannot take that is served without it. --no-pipeline sends every
command after the reply to the one before.

The data goes to a hidden temporary file beside the target,
.NAME.ferry-TAG.part, which is renamed to NAME only when complete, so an
existing file is never replaced by a partial one. TAG names the server's
file by its site, path, size and time: after a failure or an interrupt,
-c resumes from the temporary file of the same version of the same file
only, and --retries retries and resumes on its own. When the server does
not tell the file's size and time, nothing is resumed and the temporary
file is removed on failure. The local modification time is set from the
server's.

A file that replaces another keeps the old one's permissions (and, where
ferry may give them, its owner and group); its temporary file never lets
group or others read more than the old file did. New files get 0666 less
the umask. The temporary file is locked while it is written: a second
ferry downloading to the same name writes to a temporary file of its own,
so the two never mix. A device, a FIFO or a socket as the target is
written into, never replaced: ferry get URL /dev/null is a speed test.

--direct writes straight to the file, without a temporary file, as wget
and lftp do: a failed download leaves it partly overwritten, and -c then
continues it from its size, whatever it holds. ferry does so on its own,
with a warning, when the temporary file cannot be made: a folder that may
not be written while the file may, say.

The data must be as long as the server announced (with SIZE, in the
listing, or in its reply to RETR): a download that ends short fails and is
retried; one that goes on past the size stops there, writes nothing more
and fails with exit code 9. With -o - the bytes already written to stdout
stay written, but the exit code says the file was not whole.

--segments N fetches one large file over N connections at once, each
reading a range of it (REST), as lftp's pget does.

-a (--ascii) downloads text files in ASCII mode (TYPE A), as lftp's get -a
and ftp's ascii command do: line ends cross the network as CRLF, and ferry
writes each CRLF as LF (a CR that ends no line is kept). The file then
differs from the server's bytes, so its size is checked against what the
server announced as far as line ends allow: no longer than any size
announced, and the data received, before conversion, no shorter. Offsets
differ between the two sides, so nothing is resumed: -a does not go with
-c, --segments, -r or --verify.

A folder needs -r: without it, get of a folder fails (exit code 5), and
the folders a pattern matches are each reported as skipped (exit code 8).
A file named with -r is downloaded as without it. Two files that would
land on one local name are not both written: the second is refused
(exit code 8).

-r downloads folders: ferry get -r URL/dir makes ./dir; with -o PATH the
copy is PATH, or PATH/dir when PATH ends in a separator (or several folders
are given). Files already there with the same size and time are skipped,
so running it again completes an interrupted download. With a pattern,
-r downloads each folder it matches so, into ./NAME (or PATH/NAME), and
each file as get does without -r, into . (or PATH); --exclude and
--include apply to the names matched too. Symbolic links are skipped and
reported: -r follows none.

` + singleHelp + ` With -r, the same rules apply to a file
named and to the files a pattern matches. ` + singleRefused + `

` + patternHelp + `

` + treeHelp,
	Example: `  ferry get ftp://ftp.example.org/pub/file.iso
  ferry get -c ftp://ftp.example.org/pub/file.iso
  ferry get ftp://ftp.example.org/pub/file.iso -o /dev/null
  ferry get 'ftp://example.org/logs/*.gz' -o ~/Downloads/
  ferry get ftp://example.org/notes.txt -o - | less
  ferry get -a ftp://example.org/pub/README.txt
  ferry get --segments 4 ftp://example.org/big.img
  ferry get -r --parallel 8 ftp://example.org/pub/docs -o mirror/
  ferry get -r 'ftp://example.org/pub/release-*' -o releases/
  ferry get --literal 'ftp://example.org/pub/report-[draft].txt'
  ferry get -r --exclude '*.tmp' --dry-run ftp://example.org/site`,
}

// AddFlags defines get's flags.
func (o *GetOptions) AddFlags(fl *pflag.FlagSet) {
	fl.StringVarP(&o.Output, "output", "o", "", "write to PATH (a file, or a folder for several files), or - for stdout")
	fl.BoolVarP(&o.Continue, "continue", "c", false, "resume a partial download")
	fl.BoolVarP(&o.Recursive, "recursive", "r", false, "download folders and everything in them")
	fl.IntVar(&o.Segments, "segments", 1, "download one file over `N` connections at once, a range each")
	fl.BoolVarP(&o.ASCII, "ascii", "a", false, "ASCII mode (TYPE A), for text files: CRLF line ends are written as LF")
	fl.BoolVar(&o.Direct, "direct", false, "write straight to the file, without a temporary file")
	o.Engine.add(fl)
	o.Tree.add(fl, false)
	o.Patterns.add(fl)
}

// Args takes the addresses and checks the flags.
func (o *GetOptions) Args(fl *pflag.FlagSet, args []string) error {
	o.Addresses = args
	return o.check(fl)
}

// Run downloads.
func (o *GetOptions) Run(ctx context.Context, env *Env) error {
	o.F = env
	env.Opts.ASCII = env.Opts.ASCII || o.ASCII
	o.Output = env.local(o.Output)
	return getRun(ctx, o)
}

// check refuses combinations of flags that make no sense.
func (o *GetOptions) check(fl *pflag.FlagSet) error {
	if err := o.Engine.check(); err != nil {
		return err
	}
	switch {
	case o.Segments < 1:
		return usageErrorf("--segments must be at least 1, got %d", o.Segments)
	case o.Segments > 1 && (o.Recursive || o.Output == "-"):
		return usageErrorf("--segments downloads one file to a file; it cannot go with -r or -o -")
	case o.Recursive && o.Output == "-":
		return usageErrorf("-r cannot write to stdout")
	case o.Direct && (o.Recursive || o.Segments > 1):
		return usageErrorf("--direct downloads single files; it cannot go with -r or --segments")
	case o.Output == "-" && o.Continue:
		return usageErrorf("-c cannot resume output to stdout")
	}
	if err := checkASCII(o.ASCII, o.Continue, o.Recursive, o.Engine.Verify); err != nil {
		return err
	}
	if o.ASCII && o.Segments > 1 {
		return usageErrorf("-a cannot go with --segments: ranges are byte offsets, which ASCII mode changes")
	}
	return checkSingle(fl, o.Recursive, o.Output == "-")
}

func getRun(ctx context.Context, o *GetOptions) error {
	if o.Recursive {
		return getTreeRun(ctx, o)
	}
	mode, err := o.Patterns.mode()
	if err != nil {
		return err
	}
	f := o.F
	if o.rules, err = o.Tree.fileRules(f, time.Now()); err != nil {
		return err
	}
	ss := newSessions(f)
	defer ss.closeAll()
	x, err := expandAll(ctx, f, ss, o.Addresses, mode, false)
	if err != nil {
		return err
	}
	if o.Output == "-" {
		return fetchAll(ctx, f, ss, x, "only files can go to stdout")
	}
	if x.items, err = confirmItems(f, x.items); err != nil {
		return err
	}
	n := len(x.items) + len(x.failed)
	if o.Segments > 1 && n > 1 {
		return usageErrorf("--segments downloads one file; %d match", n)
	}
	outDir, err := outputFolder(o.Output, n > 1)
	if err != nil {
		return err
	}
	rep := newManyReporter(f, &o.Engine, len(x.items))
	skipFolders(rep, x.folders, "get -r downloads folders")
	err = downloadFiles(ctx, o, ss, x.items, outDir, rep)
	if ferr := rep.finish(x.failed); err == nil || errors.As(ferr, new(*Interrupted)) {
		err = ferr
	}
	return err
}

// downloadFiles downloads the items, --parallel at a time, into outDir,
// or to -o's file, or into the current folder, reporting each to rep.
// The sizes and times the listing does not tell are asked first, in
// batches (Pool.Describe); then each connection sends the RETR of the
// file it fetches next before the final reply of the one before
// (lookahead, see transfer.EachAhead).
func downloadFiles(ctx context.Context, o *GetOptions, ss *sessions, items []item, outDir string, rep *reporter) error {
	ps := newPools(o.F, &o.Engine, ss, o.Segments)
	defer ps.closeAll()
	// The files' names are never taken for another's temporary name.
	names := make([]string, len(items))
	for i, it := range items {
		names[i] = baseName(it.path)
	}
	avoid := transfer.AvoidNames(names)
	notify := transfer.NotifyOnce(func(msg string) { o.F.Warn("%s", msg) })
	// Each file's local name; two files for one name would race for it,
	// so the second (and further) are refused.
	locals := make([]string, len(items))
	bad := make([]error, len(items))
	first := map[string]string{}
	for i, it := range items {
		name := baseName(it.path)
		local := o.Output
		if outDir != "" || local == "" {
			// The local name is the server's: it must be a plain name.
			// With -o FILE the user named the file.
			if bad[i] = transfer.CheckName(name); bad[i] != nil {
				continue
			}
			local = filepath.Join(outDir, name)
		}
		locals[i] = local
		if other, ok := first[local]; ok {
			bad[i] = &transfer.LocalError{Op: "write", Path: local, Err: fmt.Errorf("%s downloads to it too", client.Sanitize(other))}
			continue
		}
		first[local] = it.path
	}
	// The rules (--only-missing, --size-only, the limits...) decide
	// which files are copied, before any is.
	rules := o.rules
	listed := make([]*client.Entry, len(items))
	for i, it := range items {
		listed[i] = it.listed()
	}
	left := make([]bool, len(items)) // the files the rules leave alone
	if rules.Active() {
		var files []singleFile
		for i, it := range items {
			if bad[i] == nil {
				files = append(files, singleFile{index: i, remote: it.path, local: locals[i], listed: listed[i],
					pool: func(ctx context.Context) (*transfer.Pool, error) { return ps.get(ctx, it.remote) }})
			}
		}
		ds, err := decideFiles(ctx, transfer.Download, rules, o.Engine.Parallel, files)
		if err != nil {
			return err
		}
		for j := range ds {
			d, i := &ds[j], files[j].index
			switch {
			case d.err != nil:
				bad[i] = d.err
			case !d.report(o.F, rep, items[i].path):
				left[i] = true
			case d.Listed != nil:
				listed[i] = d.Listed
			}
		}
	}
	jobs, pls := describeAll(ctx, ps, items, locals, bad, left, func(i int) transfer.GetOptions {
		return transfer.GetOptions{Resume: o.Continue, Progress: rep.progress, Listed: listed[i],
			Avoid: avoid, Limit: o.Engine.limit, Verify: o.Engine.Verify, Direct: o.Direct, Notify: notify}
	})
	if rep.bars != nil {
		rep.bars.SetTotals(len(items), jobBytes(jobs, bad, left))
	}
	return transfer.EachAhead(ctx, len(items), o.Engine.Parallel, func(ctx context.Context, i int, take func() (int, bool)) {
		it, local := items[i], locals[i]
		if left[i] {
			return
		}
		if bad[i] != nil {
			rep.fail(it.path, local, bad[i])
			return
		}
		p, opt := pls[i], jobs[i].Opt
		var res transfer.Result
		var err error
		if o.Segments > 1 {
			res, err = p.GetSegmented(ctx, it.path, local, o.Segments, opt)
		} else {
			opt.Next = func() (transfer.GetJob, bool) {
				j, ok := take()
				if !ok || bad[j] != nil || left[j] || pls[j] != p {
					return transfer.GetJob{}, false
				}
				return jobs[j], true
			}
			res, err = p.GetFile(ctx, it.path, local, opt)
		}
		err = explainFolder(ctx, it, err, "add -r to download it", withPool(ctx, p))
		rep.done(it.path, local, res, err)
	})
}

// skipFolders reports the folders that patterns matched for a command on
// files, each as skipped: asked for and not handled (exit code 8).
func skipFolders(rep *reporter, folders []item, hint string) {
	for _, it := range folders {
		rep.skip(it.path, "a folder ("+hint+")")
		rep.mu.Lock()
		rep.skipped++
		rep.mu.Unlock()
	}
}

// describeAll returns each item's pool and download job (with options
// from opts, given the item's index), asking each pool, in batches, for
// the sizes and times the listing does not tell (transfer.Pool.Describe).
// An item whose pool cannot be had, or whose batch failed, gets that error
// in bad, as do those bad already names; those left names (left alone by
// the rules) are passed over.
func describeAll(ctx context.Context, ps *pools, items []item, locals []string, bad []error, left []bool, opts func(int) transfer.GetOptions) ([]transfer.GetJob, []*transfer.Pool) {
	jobs := make([]transfer.GetJob, len(items))
	pls := make([]*transfer.Pool, len(items))
	byPool := map[*transfer.Pool][]int{} // indexes into items
	var order []*transfer.Pool
	for i, it := range items {
		if bad[i] != nil || left[i] {
			continue
		}
		p, err := ps.get(ctx, it.remote)
		if err != nil {
			bad[i] = err
			continue
		}
		pls[i] = p
		jobs[i] = transfer.GetJob{Remote: it.path, Local: locals[i], Opt: opts(i)}
		if byPool[p] == nil {
			order = append(order, p)
		}
		byPool[p] = append(byPool[p], i)
	}
	for _, p := range order {
		idx := byPool[p]
		ptrs := make([]*transfer.GetJob, len(idx))
		for k, i := range idx {
			ptrs[k] = &jobs[i]
		}
		for k, err := range p.Describe(ctx, ptrs) {
			if err != nil {
				bad[idx[k]] = err
			}
		}
	}
	return jobs, pls
}

// jobBytes sums the sizes the jobs know (but those bad or left name),
// or returns -1 when some are unknown.
func jobBytes(jobs []transfer.GetJob, bad []error, left []bool) int64 {
	var n int64
	for i, j := range jobs {
		if bad[i] != nil || left[i] {
			continue
		}
		l := j.Opt.Listed
		if l == nil || l.Size < 0 {
			return -1
		}
		n += l.Size
	}
	return n
}

// fetchAll writes the files to stdout one after the other, for get -o -
// and cat. The folders patterns matched are reported as skipped, and a
// folder named as a file is explained, with hint.
func fetchAll(ctx context.Context, f *Env, ss *sessions, x expansion, hint string) error {
	rep := newReporter(f, true)
	skipFolders(rep, x.folders, hint)
	for _, it := range x.items {
		s, err := ss.get(ctx, it.remote)
		if err != nil {
			return err
		}
		c, err := s.Conn(ctx)
		var n int64
		if err == nil {
			n, err = transfer.Fetch(ctx, c, it.path, f.IO.Out, rep.progress)
		}
		err = explainFolder(ctx, it, err, hint, withSession(ctx, s))
		rep.done(it.path, "-", transfer.Result{Remote: it.path, Local: "-", Size: n, Bytes: n}, err)
		if err != nil && ExitCode(err) == ExitInterrupted {
			return err
		}
	}
	return rep.finish(x.failed)
}

// remoteBase returns the last element of a remote folder's path, or ""
// for the login or root folder.
func remoteBase(p string) string {
	base := path.Base(strings.TrimSuffix(p, "/"))
	if base == "." || base == "/" {
		return ""
	}
	return base
}

// outputFolder returns the folder -o names when the files go into a
// folder: with several files, or when -o is an existing folder or ends in
// a separator. It returns "" when -o names the file itself or is unset.
func outputFolder(out string, many bool) (string, error) {
	if out == "" || out == "-" {
		return "", nil
	}
	fi, err := os.Stat(out)
	isDir := err == nil && fi.IsDir()
	if !isDir && (strings.HasSuffix(out, "/") || strings.HasSuffix(out, string(filepath.Separator))) {
		if err == nil {
			err = errors.New("not a folder")
		}
		return "", &transfer.LocalError{Op: "open folder", Path: out, Err: err}
	}
	if isDir {
		return out, nil
	}
	if many {
		return "", usageErrorf("-o %s must be an existing folder when several files are downloaded", out)
	}
	return "", nil
}
