package ops

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/pflag"

	"github.com/ferry-ftp/ferry/client"
	"github.com/ferry-ftp/ferry/internal/pattern"
	"github.com/ferry-ftp/ferry/transfer"
)

// LsOptions are the options of `ferry ls`.
type LsOptions struct {
	F         *Env
	Address   string
	Long      bool
	All       bool
	Recursive bool
	// Human prints sizes in the long format with units (-h); ByTime
	// sorts each folder newest first (-t).
	Human, ByTime bool
}

var lsCommand = Command{
	Name:    "ls",
	Use:     "ls [-l] [-a] [-R] [-h] [-t] URL",
	Short:   "List a remote folder",
	MinArgs: 1, MaxArgs: 1,
	New: func() Operation { return &LsOptions{} },
	Long: `List a remote folder, or show one remote file.

ferry reads MLSD where the server offers it and parses LIST output
otherwise (Unix, Windows/IIS and EPLF styles); -l prints one format
whatever the server's style. Names starting with "." are shown with -a.
A pattern in the last path element ('*.txt') lists the entries it matches
(a name the folder holds as written is that name). Entries are printed as
they arrive, in the server's order; with -t each
folder is read whole and printed newest first (entries without a time
last). -h prints the long format's sizes with units.`,
	Example: `  ferry ls ftp://ftp.example.org/pub/
  ferry ls -l ftp://user@example.org/
  ferry ls -R --json ftp://example.org/pub/docs`,
}

// AddFlags defines ls's flags.
func (o *LsOptions) AddFlags(fl *pflag.FlagSet) {
	fl.BoolVarP(&o.Long, "long", "l", false, "long format: type, permissions, size, time, name")
	fl.BoolVarP(&o.All, "all", "a", false, "include names that start with a dot")
	fl.BoolVarP(&o.Recursive, "recursive", "R", false, "list sub-folders too")
	fl.BoolVarP(&o.Human, "human-readable", "h", false, "with -l, sizes with units (KiB, MiB, ...)")
	fl.BoolVarP(&o.ByTime, "sort-time", "t", false, "each folder's entries newest first (read whole before printing)")
}

// Args takes the positional arguments and checks the flags.
func (o *LsOptions) Args(fl *pflag.FlagSet, args []string) error {
	o.Address = args[0]
	return nil
}

// Run does it.
func (o *LsOptions) Run(ctx context.Context, env *Env) error {
	o.F = env
	return lsRun(ctx, o)
}

func lsRun(ctx context.Context, o *LsOptions) error {
	f := o.F
	r, s, c, err := f.connect(ctx, o.Address)
	if err != nil {
		return err
	}
	defer f.release(ctx, s)
	// The listing is printed as it is read, in the server's order, so
	// that a folder of any size costs no memory.
	out := bufio.NewWriterSize(f.IO.Out, 64<<10)
	p := f.printer().list(out, o.Long, o.Human)
	dir := r.Path()
	var refused int // folders not entered because of their names, and lines not read
	var unread int  // of those, the lines not read (not printed)
	var untimed untimedLines
	defer untimed.end(f)
	if pattern.Has(dir) {
		// ls '*.txt': the entries the pattern matches, as a shell's ls
		// shows them (a name the folder holds as written is that name).
		res, err := pattern.Expand(ctx, c, dir, pattern.Options{Mode: pattern.Auto, Dirs: true,
			Budget: f.ListBudget(), Unparsed: f.warnUnparsed})
		switch {
		case errors.Is(err, pattern.ErrBadPattern):
			return &UsageError{Err: err}
		case err != nil:
			return err
		case !res.Literal:
			if len(res.Matches) == 0 {
				return fmt.Errorf("%w %q", ErrNoMatch, dir)
			}
			for _, m := range res.Matches {
				p.entry(m.Entry, m.Path)
			}
			p.end()
			return out.Flush()
		}
	}
	isDir, err := isRemoteDir(ctx, s, c, dir)
	if err != nil {
		return err
	}
	if !isDir {
		e, err := statEntry(ctx, f, c, dir)
		if transfer.IsNotFound(err) {
			// Neither a folder (isRemoteDir) nor a file.
			return &noSuchPathError{path: dir, err: err}
		}
		if err != nil {
			return err
		}
		p.entry(e, e.Name)
	} else {
		w := &lsWalk{f: f, s: s, all: o.All, recursive: o.Recursive, byTime: o.ByTime, emit: p.entry, refused: &refused, unread: &unread, untimed: &untimed,
			times: o.Long || o.ByTime || f.Opts.JSON}
		// Only a folder named with a final "/" is not known to exist:
		// isRemoteDir took the name's word for it.
		confirm := strings.HasSuffix(dir, "/") && dir != "/"
		err := w.walk(ctx, dir, "", confirm)
		if ferr := out.Flush(); err == nil {
			err = ferr
		}
		if err != nil {
			return err
		}
	}
	p.end()
	if err := out.Flush(); err != nil {
		return err
	}
	if refused > 0 {
		// Lines that could not be read are items too, not printed.
		return &PartialError{Failed: refused, Total: p.count() + unread}
	}
	return nil
}

// lsWalk is one walk of ls over a remote tree.
type lsWalk struct {
	f              *Env
	s              *transfer.Session
	all, recursive bool
	byTime         bool // each folder read whole, then printed newest first
	// times says that the output shows times: the first folder whose
	// listing has LIST times is then held whole until the session has
	// learned the zone they are in (client.Conn.LearnListZone).
	times   bool
	emit    func(client.Entry, string)
	refused *int // folders not entered because of their names, and lines not read
	unread  *int // listing lines that could not be read
	untimed *untimedLines
}

// walk lists dir and, when recursive, its sub-folders depth first,
// calling emit with each entry, as it is read, and its path relative to
// the listed root. The names of the sub-folders are kept, and count
// against the command's budget, until they have been walked.
// Symbolic links are not followed. A sub-folder whose name
// transfer.CheckName refuses (it could hold CR or LF, or lead elsewhere)
// is not entered: walk warns and counts it in refused. With confirm, an
// empty listing is checked to be of a folder that exists.
func (w *lsWalk) walk(ctx context.Context, dir, rel string, confirm bool) error {
	c, err := w.s.Conn(ctx)
	if err != nil {
		return err
	}
	budget := w.f.ListBudget()
	var subs []string
	opt := client.ListOptions{Hidden: w.all, Confirm: confirm, Unparsed: func(line string) {
		// A line that cannot be read may be an entry: not listed,
		// so not a full success (exit 8).
		w.f.warnUnparsed(line)
		*w.refused++
		*w.unread++
	}, Untimed: func(line string) { w.untimed.add(w.f, line) }}
	// With byTime, or until the zone of LIST times is known, the
	// folder's entries are held and printed after the listing.
	hold := w.byTime || w.times && !c.ZoneAsked() && !c.HasFeature("MLSD")
	var held []client.Entry
	defer func() {
		for _, e := range held {
			budget.ReleasePath(e.Name)
		}
	}()
	err = c.ReadDirFunc(ctx, dir, opt, func(e client.Entry) error {
		if !w.all && strings.HasPrefix(e.Name, ".") {
			return nil
		}
		if hold {
			if err := budget.KeepPath(e.Name); err != nil {
				return err
			}
			e.Name = strings.Clone(e.Name)
			held = append(held, e)
		} else {
			w.emit(e, JoinRemote(rel, e.Name))
		}
		if !w.recursive || e.Type != client.EntryDir {
			return nil
		}
		if err := budget.KeepPath(e.Name); err != nil {
			return err
		}
		subs = append(subs, strings.Clone(e.Name))
		return nil
	})
	if err != nil {
		return err
	}
	w.learnZone(ctx, c, dir, held)
	if !w.byTime {
		for _, e := range held {
			w.emit(e, JoinRemote(rel, e.Name))
		}
		held = held[:0]
	}
	// Newest first; entries without a time last, then by name.
	slices.SortStableFunc(held, func(a, b client.Entry) int {
		ka, kb := a.Precision != client.TimeUnknown, b.Precision != client.TimeUnknown
		switch {
		case ka != kb:
			if ka {
				return -1
			}
			return 1
		case ka && !a.ModTime.Equal(b.ModTime):
			return b.ModTime.Compare(a.ModTime)
		}
		return strings.Compare(a.Name, b.Name)
	})
	for _, e := range held {
		w.emit(e, JoinRemote(rel, e.Name))
	}
	defer func() {
		for _, name := range subs {
			budget.ReleasePath(name)
		}
	}()
	for _, name := range subs {
		child := JoinRemote(rel, name)
		if err := transfer.CheckName(name); err != nil {
			w.f.Warn("%s: %v", client.Sanitize(child), err)
			*w.refused++
			continue
		}
		if strings.Count(child, "/")+1 > transfer.MaxDepth {
			w.f.Warn("%s: %v", client.Sanitize(child), transfer.ErrTooDeep)
			*w.refused++
			continue
		}
		if err := w.walk(ctx, JoinRemote(dir, name), child, false); err != nil {
			return err
		}
	}
	return nil
}

// learnZone learns the zone of the session's LIST times from the first
// file of held (entries of dir) listed to the minute, and moves the
// held entries' LIST times into it. A session that has tried once, or
// entries without LIST times, leave held as it is.
func (w *lsWalk) learnZone(ctx context.Context, c *client.Conn, dir string, held []client.Entry) {
	if c.ZoneAsked() {
		return
	}
	for _, e := range held {
		if e.Type != client.EntryFile || e.Precision != client.TimeMinute {
			continue
		}
		loc, err := c.LearnListZone(ctx, JoinRemote(dir, e.Name), e)
		if err != nil {
			if c.ZoneAsked() && w.f.Opts.Verbose {
				w.f.Status("LIST times are read as UTC: %v", err)
			}
			return
		}
		for i := range held {
			held[i] = client.InZone(held[i], loc)
		}
		return
	}
}

// noSuchPathError reports a remote path that is neither a folder nor a
// file: the server refused to enter it and to describe it. It unwraps to
// the server's reply, for the exit code.
type noSuchPathError struct {
	path string
	err  error
}

func (e *noSuchPathError) Error() string {
	return fmt.Sprintf("%s: no such file or folder", client.Sanitize(strconv.Quote(e.path)))
}

func (e *noSuchPathError) Unwrap() error { return e.err }
