package ops

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/ferry-ftp/ferry/transfer"
)

// PutOptions are the options of `ferry put`.
type PutOptions struct {
	F         *Env
	Locals    []string
	Address   string
	Continue  bool
	Direct    bool
	Recursive bool
	Engine    engineFlags
	Tree      treeFlags
	// ASCII transfers in ASCII type (-a).
	ASCII bool

	// rules are the rules the tree flags give each file (see
	// decideFiles), set by putRun.
	rules transfer.FileRules
}

var putCommand = Command{
	Name:    "put",
	Use:     "put PATH... URL [-c] [-r] [-a] [--direct]",
	Short:   "Upload files",
	MinArgs: 2, MaxArgs: -1,
	New: func() Operation { return &PutOptions{} },
	Long: `Upload local files. When URL names a folder (it ends in "/", or is a
folder on the server, or several files are given), each file keeps its
name inside it; otherwise URL is the remote file name. Several files are
uploaded --parallel at a time, over as many connections.

Each file is uploaded under a temporary name beside NAME,
.NAME.ferry-TAG.part, and renamed to NAME when complete and its size
checked, so a failed upload never leaves a truncated file under the final
name. The name is this process's own: two ferry processes uploading the
same file to the same name never write one file. A failed upload leaves
its partial file under the name whose TAG stands for the local file's
path, size and time; -c (in any later run) takes it over and resumes it,
and only a partial upload of the same version of the same file;
--retries retries and resumes on its own.

The old NAME is kept until the new file is complete and in place. A server
that refuses to rename over an existing file gets the old one moved aside
first and deleted once the new one has its name (or put back when that
fails); ferry deletes no file it did not create or move aside. A server
that cannot rename at all gets the file again under NAME, overwriting the
old one in place, with a warning. --direct writes straight to NAME, as
ferry does on its own, with a warning, when the server refuses the
temporary name (550 or 553: a folder where only NAME may be written).

A file that replaces another gets the old one's permissions (from MLST,
or from the server's STAT listing) with SITE CHMOD, given to the
temporary file before it takes NAME, and before any data when the old
permissions keep others from reading it; a server that does not tell
permissions or has no SITE CHMOD gets a warning, once. New files get the
server's default permissions.

-r uploads folders: ferry put -r dir URL/ makes URL/dir; a URL that does
not end in "/" (with a single folder) is the copy itself. Files already
there with the same size (and time, where the server sets times with MFMT)
are skipped, so running it again completes an interrupted upload.

-a (--ascii) uploads text files in ASCII mode (TYPE A), as lftp's put -a and
ftp's ascii command do: ferry sends each LF line end as CRLF (a CRLF the
file already has is sent as it is), and the server stores the line ends of
its system (vsftpd only with ascii_upload_enable set: without it, it keeps
the CRLFs). The size the server then reports is checked as far as line ends
allow. Nothing is resumed: -a does not go with -c, -r or --verify.

` + singleHelp + ` With -r, the same rules apply to a file
named. ` + singleRefused + `

` + treeHelp,
	Example: `  ferry put backup.tar.gz ftp://user@example.org/backups/
  ferry put -c big.iso ftp://user@example.org/incoming/big.iso
  ferry put *.log ftp://user@example.org/logs/
  ferry put -a notes.txt ftp://user@example.org/docs/
  ferry put -r --parallel 8 ./site ftp://user@example.org/www/
  ferry put -r --only-newer ./site ftp://user@example.org/www/site`,
}

// AddFlags defines put's flags.
func (o *PutOptions) AddFlags(fl *pflag.FlagSet) {
	fl.BoolVarP(&o.Continue, "continue", "c", false, "resume a partial upload")
	fl.BoolVar(&o.Direct, "direct", false, "write to the final name, without a temporary name")
	fl.BoolVarP(&o.Recursive, "recursive", "r", false, "upload folders and everything in them")
	fl.BoolVarP(&o.ASCII, "ascii", "a", false, "ASCII mode (TYPE A), for text files: LF line ends are sent as CRLF")
	o.Engine.add(fl)
	o.Tree.add(fl, false)
}

// Args takes the positional arguments and checks the flags.
func (o *PutOptions) Args(fl *pflag.FlagSet, args []string) error {
	o.Locals, o.Address = args[:len(args)-1], args[len(args)-1]
	return o.check(fl)
}

// Run does it.
func (o *PutOptions) Run(ctx context.Context, env *Env) error {
	o.F = env
	env.Opts.ASCII = env.Opts.ASCII || o.ASCII
	for i, l := range o.Locals {
		o.Locals[i] = env.local(l)
	}
	return putRun(ctx, o)
}

// check refuses combinations of flags that make no sense.
func (o *PutOptions) check(fl *pflag.FlagSet) error {
	if err := o.Engine.check(); err != nil {
		return err
	}
	for _, l := range o.Locals {
		if l == "-" {
			return usageErrorf("put reads files, not stdin")
		}
	}
	if err := checkASCII(o.ASCII, o.Continue, o.Recursive, o.Engine.Verify); err != nil {
		return err
	}
	if o.Direct && o.Recursive {
		return usageErrorf("--direct uploads single files; it cannot go with -r")
	}
	return checkSingle(fl, o.Recursive, false)
}

func putRun(ctx context.Context, o *PutOptions) error {
	f := o.F
	r, err := f.Resolve(o.Address)
	if err != nil {
		return err
	}
	if o.rules, err = o.Tree.fileRules(f, time.Now()); err != nil {
		return err
	}
	ss := newSessions(f)
	defer ss.closeAll()
	s, err := ss.get(ctx, r)
	if err != nil {
		return err
	}
	c, err := s.Conn(ctx)
	if err != nil {
		return err
	}
	dest := r.Path()
	intoDir := len(o.Locals) > 1 || dest == "" || strings.HasSuffix(dest, "/")
	var files, dirs []string
	for _, l := range o.Locals {
		if fi, err := os.Stat(l); err == nil && fi.IsDir() && o.Recursive {
			dirs = append(dirs, l)
		} else {
			files = append(files, l)
		}
	}
	keep, err := f.confirm(files)
	if err != nil {
		return err
	}
	for i, k := range keep {
		files[i] = files[k]
	}
	files = files[:len(keep)]
	if !intoDir && len(files) == 1 {
		if intoDir, err = isRemoteDir(ctx, s, c, dest); err != nil {
			return err
		}
	}
	var failed, total int
	var last error
	var errs []error
	if len(files) > 0 {
		total++
		if err := putFiles(ctx, o, ss, r, files, intoDir); err != nil {
			failed, last = failed+1, err
			errs = append(errs, err)
		}
	}
	o.Tree.Continue = o.Continue
	for _, d := range dirs {
		total++
		remote := dest
		if base := filepath.Base(filepath.Clean(d)); intoDir && base != "." && base != string(filepath.Separator) {
			remote = JoinRemote(dest, base)
		}
		err := runTree(ctx, f, &o.Engine, &o.Tree, transfer.Upload, r, remote, d)
		if err != nil {
			if ExitCode(err) == ExitInterrupted {
				return err
			}
			failed, last = failed+1, err
			errs = append(errs, err)
			if len(o.Locals) > 1 && !errors.As(err, new(Shown)) {
				f.Warn("%s: %v", d, err)
			}
		}
	}
	switch {
	case failed == 0:
		return nil
	case total == 1:
		return last
	case failed == total && !slices.ContainsFunc(errs, func(err error) bool { return errors.As(err, new(*PartialError)) }):
		// Nothing succeeded: the failure's own code, not exit 8.
		return Shown{commonest(errs)}
	}
	return &PartialError{Failed: failed, Total: total}
}

// putFiles uploads local files to dest on r's server, --parallel at a
// time: into the folder dest when intoDir is set, else as the file dest.
func putFiles(ctx context.Context, o *PutOptions, ss *sessions, r Remote, locals []string, intoDir bool) error {
	f := o.F
	ps := newPools(f, &o.Engine, ss, 1)
	defer ps.closeAll()
	rep := newManyReporter(f, &o.Engine, len(locals))
	if rep.bars != nil {
		rep.bars.SetTotals(len(locals), localBytes(locals))
	}
	notify := transfer.NotifyOnce(func(msg string) { f.Warn("%s", msg) })
	remotes := make([]string, len(locals))
	for i, local := range locals {
		remotes[i] = r.Path()
		if intoDir {
			remotes[i] = JoinRemote(remotes[i], filepath.Base(local))
		}
	}
	// The rules (--only-missing, --size-only, the limits...) decide
	// which files are copied, before any is.
	left := make([]bool, len(locals))
	failed := make([]error, len(locals))
	if o.rules.Active() {
		files := make([]singleFile, len(locals))
		for i, local := range locals {
			files[i] = singleFile{index: i, remote: remotes[i], local: local,
				pool: func(ctx context.Context) (*transfer.Pool, error) { return ps.get(ctx, r) }}
		}
		ds, err := decideFiles(ctx, transfer.Upload, o.rules, o.Engine.Parallel, files)
		if err != nil {
			rep.finish(nil)
			return err
		}
		for i := range ds {
			failed[i] = ds[i].err
			left[i] = !ds[i].report(f, rep, locals[i])
		}
	}
	err := transfer.Each(ctx, len(locals), o.Engine.Parallel, func(ctx context.Context, i int) {
		local, remote := locals[i], remotes[i]
		switch {
		case left[i]:
			return
		case failed[i] != nil:
			rep.fail(remote, local, failed[i])
			return
		}
		if fi, err := os.Stat(local); err != nil || fi.IsDir() {
			if err == nil {
				err = &transfer.LocalError{Op: "open", Path: local, Err: errIsFolder}
			} else {
				err = &transfer.LocalError{Op: "open", Path: local, Err: err}
			}
			rep.fail(remote, local, err)
			return
		}
		p, err := ps.get(ctx, r)
		if err != nil {
			rep.fail(remote, local, err)
			return
		}
		res, err := p.PutFile(ctx, local, remote, transfer.PutOptions{Resume: o.Continue, Direct: o.Direct,
			Progress: rep.progress, Limit: o.Engine.limit, Verify: o.Engine.Verify,
			Notify: notify})
		rep.done(remote, local, res, err)
	})
	if ferr := rep.finish(nil); err == nil {
		err = ferr
	}
	return err
}

// localBytes sums the sizes of local files, or returns -1 when one cannot
// be read.
func localBytes(locals []string) int64 {
	var n int64
	for _, l := range locals {
		fi, err := os.Stat(l)
		if err != nil || !fi.Mode().IsRegular() {
			return -1
		}
		n += fi.Size()
	}
	return n
}
