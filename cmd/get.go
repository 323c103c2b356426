package cmd

import (
	"context"
	"errors"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ferry-ftp/ferry/client"
	"github.com/ferry-ftp/ferry/transfer"
)

// GetOptions are the options of `ferry get`.
type GetOptions struct {
	F         *Factory
	Addresses []string
	Output    string
	Continue  bool
	Direct    bool
	Recursive bool
	Segments  int
	Engine    engineFlags
	Tree      treeFlags
}

// NewCmdGet returns `ferry get`.
func NewCmdGet(f *Factory, runF func(context.Context, *GetOptions) error) *cobra.Command {
	o := &GetOptions{F: f}
	c := &cobra.Command{
		Use:   "get URL... [-o PATH|-] [-c] [-r] [--segments N] [--direct]",
		Short: "Download files",
		Long: `Download remote files. A pattern in the last path element ('*.txt')
is matched against the folder's listing (quote it from your shell). Several
files are downloaded --parallel at a time, over as many connections.

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

-r downloads folders: ferry get -r URL/dir makes ./dir; with -o PATH the
copy is PATH, or PATH/dir when PATH ends in a separator (or several folders
are given). Files already there with the same size and time are skipped,
so running it again completes an interrupted download.

` + treeHelp,
		Example: `  ferry get ftp://ftp.example.org/pub/file.iso
  ferry get -c ftp://ftp.example.org/pub/file.iso
  ferry get ftp://ftp.example.org/pub/file.iso -o /dev/null
  ferry get 'ftp://example.org/logs/*.gz' -o logs/
  ferry get ftp://example.org/notes.txt -o - | less
  ferry get --segments 4 ftp://example.org/big.img
  ferry get -r --parallel 8 ftp://example.org/pub/docs -o mirror/
  ferry get -r --exclude '*.tmp' --dry-run ftp://example.org/site`,
		Args: minArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			o.Addresses = args
			if err := o.check(c); err != nil {
				return err
			}
			if runF != nil {
				return runF(c.Context(), o)
			}
			return getRun(c.Context(), o)
		},
	}
	fl := c.Flags()
	fl.StringVarP(&o.Output, "output", "o", "", "write to PATH (a file, or a folder for several files), or - for stdout")
	fl.BoolVarP(&o.Continue, "continue", "c", false, "resume a partial download")
	fl.BoolVarP(&o.Recursive, "recursive", "r", false, "download folders and everything in them")
	fl.IntVar(&o.Segments, "segments", 1, "download one file over `N` connections at once, a range each")
	fl.BoolVar(&o.Direct, "direct", false, "write straight to the file, without a temporary file")
	o.Engine.add(fl)
	o.Tree.add(fl, false)
	return c
}

// check refuses combinations of flags that make no sense.
func (o *GetOptions) check(c *cobra.Command) error {
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
	if !o.Recursive {
		for _, name := range []string{"only-newer", "exclude", "include", "dry-run"} {
			if c.Flags().Changed(name) {
				return usageErrorf("--%s works on folders: add -r", name)
			}
		}
	}
	return nil
}

// item is one remote file of a multi-file command.
type item struct {
	remote Remote
	path   string
	// listed is the file's listing entry, when a pattern found it.
	listed *client.Entry
}

// expandAll resolves the addresses and expands their patterns, opening
// sessions as needed. Failures to expand are reported and counted.
func expandAll(ctx context.Context, f *Factory, ss *sessions, addrs []string, glob, dirs bool) ([]item, []error, error) {
	var items []item
	var failed []error
	for _, a := range addrs {
		r, err := f.Resolve(a)
		if err != nil {
			return nil, nil, err
		}
		s, err := ss.get(ctx, r)
		if err != nil {
			return nil, nil, err
		}
		if !glob || !hasGlob(r.Path()) {
			items = append(items, item{remote: r, path: r.Path()})
			continue
		}
		c, err := s.Conn(ctx)
		if err != nil {
			return nil, nil, err
		}
		entries, err := expandEntries(ctx, f, c, r.Path(), dirs)
		if err != nil {
			var fe *FlagError
			if errors.As(err, &fe) || c.Err() != nil {
				return nil, nil, err
			}
			f.Warn("%s: %v", r.Target, err)
			failed = append(failed, err)
			continue
		}
		for _, e := range entries {
			it := item{remote: r, path: e.Name}
			if e.Type == client.EntryFile {
				it.listed = &e // a link's size is its own, not its target's
			}
			items = append(items, it)
		}
	}
	return items, failed, nil
}

func getRun(ctx context.Context, o *GetOptions) error {
	if o.Recursive {
		return getTreeRun(ctx, o)
	}
	f := o.F
	ss := newSessions(f)
	defer ss.closeAll()
	items, failed, err := expandAll(ctx, f, ss, o.Addresses, true, false)
	if err != nil {
		return err
	}
	if o.Output == "-" {
		return fetchAll(ctx, f, ss, items, failed)
	}
	if o.Segments > 1 && len(items)+len(failed) > 1 {
		return usageErrorf("--segments downloads one file; %d match", len(items)+len(failed))
	}
	outDir, err := outputFolder(o.Output, len(items)+len(failed) > 1)
	if err != nil {
		return err
	}
	ps := newPools(f, &o.Engine, ss, o.Segments)
	defer ps.closeAll()
	// The files' names are never taken for another's temporary name.
	names := make([]string, len(items))
	for i, it := range items {
		names[i] = baseName(it.path)
	}
	avoid := transfer.AvoidNames(names)
	notify := transfer.NotifyOnce(func(msg string) { f.Warn("%s", msg) })
	rep := newManyReporter(f, &o.Engine, len(items))
	if rep.overall != nil {
		rep.overall.SetTotals(len(items), listedBytes(items))
	}
	err = transfer.Each(ctx, len(items), o.Engine.Parallel, func(ctx context.Context, i int) {
		it := items[i]
		name := baseName(it.path)
		if err := transfer.CheckName(name); err != nil {
			rep.fail(it.path, "", err)
			return
		}
		local := o.Output
		if outDir != "" {
			local = filepath.Join(outDir, name)
		} else if local == "" {
			local = name
		}
		p, err := ps.get(ctx, it.remote)
		if err != nil {
			rep.fail(it.path, local, err)
			return
		}
		opt := transfer.GetOptions{Resume: o.Continue, Progress: rep.progress, Listed: it.listed,
			Avoid: avoid, Limit: o.Engine.limit, Verify: o.Engine.Verify, Direct: o.Direct, Notify: notify}
		var res transfer.Result
		if o.Segments > 1 {
			res, err = p.GetSegmented(ctx, it.path, local, o.Segments, opt)
		} else {
			res, err = p.GetFile(ctx, it.path, local, opt)
		}
		rep.done(it.path, local, res, err)
	})
	if ferr := rep.finish(failed); err == nil {
		err = ferr
	}
	return err
}

// listedBytes sums the sizes the listing gave, or returns -1 when some
// are unknown.
func listedBytes(items []item) int64 {
	var n int64
	for _, it := range items {
		if it.listed == nil || it.listed.Size < 0 {
			return -1
		}
		n += it.listed.Size
	}
	return n
}

// fetchAll writes the files to stdout one after the other, for get -o -.
func fetchAll(ctx context.Context, f *Factory, ss *sessions, items []item, failed []error) error {
	rep := newReporter(f, true)
	for _, it := range items {
		s, err := ss.get(ctx, it.remote)
		if err != nil {
			return err
		}
		c, err := s.Conn(ctx)
		if err == nil {
			_, err = transfer.Fetch(ctx, c, it.path, f.IO.Out, rep.progress)
		}
		rep.done(it.path, "-", transfer.Result{Remote: it.path, Local: "-"}, err)
		if err != nil && ExitCode(err) == ExitInterrupted {
			return err
		}
	}
	return rep.finish(failed)
}

// getTreeRun downloads folders, as get -r.
func getTreeRun(ctx context.Context, o *GetOptions) error {
	f := o.F
	out := o.Output
	into := out == "" || len(o.Addresses) > 1 || strings.HasSuffix(out, "/") ||
		strings.HasSuffix(out, string(filepath.Separator))
	if out == "" {
		out = "."
	}
	o.Tree.Continue = o.Continue
	var remotes []Remote
	for _, a := range o.Addresses {
		r, err := f.Resolve(a)
		if err != nil {
			return err
		}
		if hasGlob(r.Path()) {
			return usageErrorf("-r takes folders, not patterns: %s", a)
		}
		remotes = append(remotes, r)
	}
	var failed int
	for _, r := range remotes {
		local := out
		if base := remoteBase(r.Path()); into && base != "" {
			if err := transfer.CheckName(base); err != nil {
				return err
			}
			local = filepath.Join(out, base)
		}
		err := runTree(ctx, f, &o.Engine, &o.Tree, transfer.Download, r, r.Path(), local)
		switch {
		case err == nil:
		case len(remotes) == 1 || ExitCode(err) == ExitInterrupted:
			return err
		default:
			failed++
			if !errors.As(err, new(silent)) {
				f.Warn("%s: %v", r.Target, err)
			}
		}
	}
	if failed > 0 {
		return &PartialError{Failed: failed, Total: len(remotes)}
	}
	return nil
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
