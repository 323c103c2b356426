package ops

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/pflag"

	"github.com/ferry-ftp/ferry/client"
	"github.com/ferry-ftp/ferry/internal/pattern"
	"github.com/ferry-ftp/ferry/transfer"
)

// patternHelp explains, in the help of each command that takes patterns,
// when a name is one.
const patternHelp = `Patterns: '*', '?' and '[...]' in the last element of a path are matched
against the folder's listing (quote them from your shell), and '\' takes
the character after it as it is. A name the folder holds exactly as
written is that file, never a pattern: 'qm?.txt' is the file qm?.txt when
there is one, and a pattern only when there is none. --literal takes every
name as it is, without reading the listing; --glob expands a pattern even
where a file has that very name.`

// patternFlags are the --literal and --glob flags of the commands that
// take patterns.
type patternFlags struct {
	literal, glob bool
}

func (p *patternFlags) add(fl *pflag.FlagSet) {
	fl.BoolVar(&p.literal, "literal", false, "take names as they are, never as patterns")
	fl.BoolVar(&p.glob, "glob", false, "expand patterns even where a file has that very name")
}

// mode returns the pattern mode the flags select.
func (p *patternFlags) mode() (pattern.Mode, error) {
	switch {
	case p.literal && p.glob:
		return 0, usageErrorf("--literal and --glob exclude each other")
	case p.literal:
		return pattern.Literal, nil
	case p.glob:
		return pattern.Glob, nil
	}
	return pattern.Auto, nil
}

// item is one remote path of a multi-item command.
type item struct {
	remote Remote
	path   string
	// entry is the path's listing entry, when a pattern's listing was
	// read to find it.
	entry *client.Entry
	// matched is set when a pattern found the path, rather than the
	// path being named as it is.
	matched bool
}

// listed returns the item's listing entry when it lists a file (a link's
// size is its own, not its target's), for transfer.GetOptions.Listed.
func (it item) listed() *client.Entry {
	if it.entry != nil && it.entry.Type == client.EntryFile {
		return it.entry
	}
	return nil
}

// isDir reports whether the listing showed the item as a folder.
func (it item) isDir() bool { return it.entry != nil && it.entry.Type == client.EntryDir }

// expansion is what the addresses of a command stand for.
type expansion struct {
	// items are the paths to act on.
	items []item
	// folders are folders that patterns matched for a command on files:
	// the caller reports them as skipped.
	folders []item
	// failed are patterns that matched nothing or could not be listed;
	// they were printed.
	failed []error
}

// expandAll resolves the addresses and expands their patterns (see
// pattern.Expand), opening sessions as needed; dirs says whether the
// command takes folders. Patterns that fail to expand are printed and
// counted in failed; usage errors, broken connections and interrupts are
// returned.
func expandAll(ctx context.Context, f *Env, ss *sessions, addrs []string, mode pattern.Mode, dirs bool) (expansion, error) {
	var x expansion
	for _, a := range addrs {
		r, err := f.Resolve(a)
		if err != nil {
			return expansion{}, err
		}
		s, err := ss.get(ctx, r)
		if err != nil {
			return expansion{}, err
		}
		if err := expandOne(ctx, f, s, r, mode, dirs, &x); err != nil {
			return expansion{}, err
		}
	}
	return x, nil
}

// needsListing reports whether the path of r is a pattern to look up in
// its folder's listing.
func needsListing(r Remote, mode pattern.Mode) bool {
	return mode != pattern.Literal && pattern.Has(r.Path())
}

// expandOne adds what the address r stands for to x.
func expandOne(ctx context.Context, f *Env, s *transfer.Session, r Remote, mode pattern.Mode, dirs bool, x *expansion) error {
	if !needsListing(r, mode) {
		x.items = append(x.items, item{remote: r, path: r.Path()})
		return nil
	}
	c, err := s.Conn(ctx)
	if err != nil {
		return err
	}
	res, err := pattern.Expand(ctx, c, r.Path(), pattern.Options{Mode: mode, Dirs: dirs,
		Budget: f.ListBudget(), Unparsed: f.warnUnparsed})
	switch {
	case errors.Is(err, pattern.ErrBadPattern):
		return &UsageError{Err: err}
	case err != nil && (c.Err() != nil || ctx.Err() != nil):
		return err
	case err != nil:
		err = fmt.Errorf("cannot list its folder to match the pattern (--literal takes the name as it is, unlisted): %w", err)
	case len(res.Matches) == 0 && len(res.Folders) == 0:
		err = fmt.Errorf("%w %q", ErrNoMatch, r.Path())
	}
	if err != nil {
		name := r.Target.String()
		if f.Shared {
			name = r.Path() // a path on the front end's session
		}
		f.Warn("%s: %v", client.Sanitize(name), err)
		x.failed = append(x.failed, &patternError{pattern: r.Path(), err: err})
		return nil
	}
	if res.Literal && res.Also > 0 {
		f.Status("%s names a file that exists: taken as that name, not as a pattern (--glob matches %d more)",
			client.Sanitize(fmt.Sprintf("%q", r.Path())), res.Also)
	}
	for _, m := range res.Matches {
		e := m.Entry
		e.Name = m.Path // as the rest of ferry names listed entries
		x.items = append(x.items, item{remote: r, path: m.Path, entry: &e, matched: !res.Literal})
	}
	for _, m := range res.Folders {
		e := m.Entry
		e.Name = m.Path
		x.folders = append(x.folders, item{remote: r, path: m.Path, entry: &e, matched: true})
	}
	return nil
}

// folderError is a file command on a remote folder: the server's refusal
// (exit code 5), explained. Its message leaves the path to the caller,
// which names it already.
type folderError struct {
	hint string
	link bool // a symbolic link to a folder
	err  error
}

func (e *folderError) Error() string {
	if e.link {
		return "a link to a folder, not a file: " + e.hint
	}
	return "a folder, not a file: " + e.hint
}

func (e *folderError) Unwrap() error { return e.err }

// explainFolder returns err as a *folderError when it is the server's
// refusal (5yz) of a file command on the item and the item is a folder:
// the listing said so, or CheckDir does on a connection that with lends
// (for a path not listed, or listed as a link). Other errors are returned
// as they are.
func explainFolder(ctx context.Context, it item, err error, hint string, with func(func(*client.Conn) error) error) error {
	if err == nil || client.ReplyCode(err)/100 != 5 && !errors.Is(err, transfer.ErrNotFound) {
		return err
	}
	if it.entry != nil && it.entry.Type == client.EntryFile {
		return err
	}
	if !it.isDir() {
		derr := with(func(c *client.Conn) error {
			err := c.CheckDir(ctx, it.path)
			if err != nil && !errors.As(err, new(*client.NoFolderError)) {
				// Checked halfway: the connection may be in another
				// folder, so it is not used again.
				c.Close()
			}
			return err
		})
		if derr != nil {
			return err
		}
	}
	return &folderError{hint: hint, link: it.entry != nil && it.entry.Type == client.EntryLink, err: err}
}

// withPool lends explainFolder a connection of p.
func withPool(ctx context.Context, p *transfer.Pool) func(func(*client.Conn) error) error {
	return func(fn func(*client.Conn) error) error {
		c, err := p.Get(ctx)
		if err != nil {
			return err
		}
		err = fn(c)
		p.Put(c, err)
		return err
	}
}

// withSession lends explainFolder the connection of s.
func withSession(ctx context.Context, s *transfer.Session) func(func(*client.Conn) error) error {
	return func(fn func(*client.Conn) error) error {
		c, err := s.Conn(ctx)
		if err != nil {
			return err
		}
		return fn(c)
	}
}

// confirmItems returns the items Env.Confirm agrees to, in order.
func confirmItems(f *Env, items []item) ([]item, error) {
	names := make([]string, len(items))
	for i, it := range items {
		names[i] = it.path
	}
	keep, err := f.confirm(names)
	if err != nil {
		return nil, err
	}
	out := make([]item, len(keep))
	for i, k := range keep {
		out[i] = items[k]
	}
	return out, nil
}

// patternError is a pattern that matched nothing or could not be listed:
// it names the pattern for --json.
type patternError struct {
	pattern string
	err     error
}

func (e *patternError) Error() string { return e.err.Error() }
func (e *patternError) Unwrap() error { return e.err }

// patternOf returns the pattern a failure of expansion names, or "".
func patternOf(err error) string {
	var pe *patternError
	if errors.As(err, &pe) {
		return pe.pattern
	}
	return ""
}
