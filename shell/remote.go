package shell

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/ferry-ftp/ferry/client"
	"github.com/ferry-ftp/ferry/internal/pattern"
	"github.com/ferry-ftp/ferry/transfer"
)

// absRemote returns p as an absolute remote path, relative paths taken
// from the remote folder.
func (s *Shell) absRemote(p string) string {
	if strings.HasPrefix(p, "/") || s.cwd == "" {
		return path.Clean(p)
	}
	return path.Join(s.cwd, p)
}

// changed tells the completion cache that the folders holding each of
// paths have changed; a changed folder's own listing is dropped too.
func (s *Shell) changed(paths ...string) {
	if s.cache == nil {
		return
	}
	for _, p := range paths {
		abs := s.absRemote(p)
		s.cache.Invalidate(path.Dir(abs))
	}
}

// expandRemote returns the remote paths p stands for (see
// pattern.Expand), and the folders it matched, which the shell's commands
// on files skip. A name the remote folder holds as it is stands for
// itself, and the paths a pattern matches are sorted.
func (s *Shell) expandRemote(ctx context.Context, c *client.Conn, p string, mode pattern.Mode) (paths, folders []string, err error) {
	res, err := pattern.Expand(ctx, c, p, pattern.Options{Mode: mode, Budget: s.listBudget(),
		Unparsed: func(line string) { s.warn("cannot parse listing line %q", line) }})
	if errors.Is(err, pattern.ErrBadPattern) {
		return nil, nil, &UsageError{Err: err}
	}
	if err != nil {
		return nil, nil, err
	}
	if len(res.Matches) == 0 && len(res.Folders) == 0 {
		return nil, nil, fmt.Errorf("%w %q", ErrNoMatch, p)
	}
	if res.Literal && res.Also > 0 {
		s.status("%q names a file that exists: taken as that name, not as a pattern (--glob matches %d more)", p, res.Also)
	}
	for _, m := range res.Matches {
		paths = append(paths, m.Path)
	}
	for _, m := range res.Folders {
		folders = append(folders, m.Path)
	}
	sort.Strings(paths)
	sort.Strings(folders)
	return paths, folders, nil
}

// patternArgs takes the leading --literal or --glob (and "--", after
// which every word is a pattern) off the arguments of mget and mdelete.
func patternArgs(args []string) (pattern.Mode, []string, error) {
	mode := pattern.Auto
	for len(args) > 0 {
		switch args[0] {
		case "--literal", "--glob":
			m := map[string]pattern.Mode{"--literal": pattern.Literal, "--glob": pattern.Glob}[args[0]]
			if mode != pattern.Auto && mode != m {
				return 0, nil, usageErrorf("--literal and --glob exclude each other")
			}
			mode, args = m, args[1:]
			continue
		case "--":
			args = args[1:]
		}
		break
	}
	if len(args) == 0 {
		return 0, nil, usageErrorf("no pattern given")
	}
	return mode, args, nil
}

func (s *Shell) cmdLs(ctx context.Context, args []string) error {
	long, all := false, false
	var paths []string
	for _, a := range args {
		if strings.HasPrefix(a, "-") && len(a) > 1 {
			for _, f := range a[1:] {
				switch f {
				case 'l':
					long = true
				case 'a':
					all = true
				default:
					return usageErrorf("ls: unknown option -%c; usage: ls [-l] [-a] [PATH]", f)
				}
			}
			continue
		}
		paths = append(paths, a)
	}
	if len(paths) > 1 {
		return usageErrorf("usage: ls [-l] [-a] [PATH]")
	}
	dir := ""
	if len(paths) == 1 {
		dir = paths[0]
	}
	c, err := s.client(ctx)
	if err != nil {
		return err
	}
	// The listing is printed as it is read, in the server's order, so
	// that a folder of any size costs no memory; a folder given by name
	// is checked to exist when its listing is empty.
	out := bufio.NewWriterSize(s.out, 64<<10)
	defer out.Flush()
	opt := client.ListOptions{Hidden: all, Confirm: dir != "",
		Unparsed: func(line string) {
			out.Flush()
			s.warn("cannot parse listing line %q", line)
		}}
	return c.ReadDirFunc(ctx, dir, opt, func(e client.Entry) error {
		if !all && strings.HasPrefix(e.Name, ".") {
			return nil
		}
		// Names come from the server: escape control characters so that
		// they cannot drive the terminal.
		if long {
			fmt.Fprintln(out, client.Sanitize(longLine(e)))
		} else {
			fmt.Fprintln(out, client.Sanitize(e.Name))
		}
		return nil
	})
}

// longLine formats an entry in ferry's long format, as `ferry ls -l`
// does: type and permissions, size, time, name.
func longLine(e client.Entry) string {
	typ := map[client.EntryType]byte{client.EntryFile: '-', client.EntryDir: 'd', client.EntryLink: 'l'}[e.Type]
	if typ == 0 {
		typ = '?'
	}
	perm := "?????????"
	if e.Mode != 0 {
		perm = e.Mode.Perm().String()[1:]
	}
	size := "-"
	if e.Size >= 0 {
		size = strconv.FormatInt(e.Size, 10)
	}
	when := strings.Repeat(" ", 16)
	switch e.Precision {
	case client.TimeDay:
		when = e.ModTime.Format("2006-01-02") + "      "
	case client.TimeMinute, client.TimeExact:
		when = e.ModTime.Format("2006-01-02 15:04")
	}
	line := fmt.Sprintf("%c%s %12s %s %s", typ, perm, size, when, e.Name)
	if e.Type == client.EntryLink && e.Target != "" {
		line += " -> " + e.Target
	}
	return line
}

func (s *Shell) cmdDir(ctx context.Context, args []string) error {
	c, err := s.client(ctx)
	if err != nil {
		return err
	}
	out := bufio.NewWriterSize(s.out, 64<<10)
	defer out.Flush()
	return c.ListLinesFunc(ctx, strings.Join(args, " "), func(l string) error {
		_, err := fmt.Fprintln(out, client.Sanitize(l)) // server text: no terminal control
		return err
	})
}

func (s *Shell) cmdNlist(ctx context.Context, args []string) error {
	c, err := s.client(ctx)
	if err != nil {
		return err
	}
	out := bufio.NewWriterSize(s.out, 64<<10)
	defer out.Flush()
	return c.NameListFunc(ctx, strings.Join(args, " "), func(n string) error {
		_, err := fmt.Fprintln(out, client.Sanitize(n)) // server text: no terminal control
		return err
	})
}

func (s *Shell) cmdCd(ctx context.Context, args []string) error {
	return s.chdir(ctx, args[0])
}

func (s *Shell) cmdCdup(ctx context.Context, _ []string) error {
	return s.chdir(ctx, "..")
}

// chdir changes the remote folder through the session, which remembers
// it for reconnections.
func (s *Shell) chdir(ctx context.Context, dir string) error {
	if _, err := s.client(ctx); err != nil {
		return err
	}
	if err := s.sess.Chdir(ctx, dir); err != nil {
		return err
	}
	wd, err := s.sess.Getwd(ctx)
	if err != nil {
		return err
	}
	s.cwd = wd
	return nil
}

func (s *Shell) cmdPwd(ctx context.Context, _ []string) error {
	c, err := s.client(ctx)
	if err != nil {
		return err
	}
	wd, err := c.Pwd(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintln(s.out, wd)
	return nil
}

func (s *Shell) cmdDelete(ctx context.Context, args []string) error {
	c, err := s.client(ctx)
	if err != nil {
		return err
	}
	defer s.changed(args[0])
	return c.Dele(ctx, args[0])
}

func (s *Shell) cmdMdelete(ctx context.Context, args []string) error {
	c, err := s.client(ctx)
	if err != nil {
		return err
	}
	rep := s.newReport("deleted")
	items, err := s.expandAll(ctx, c, args, rep)
	if err != nil {
		return err
	}
	all := false
	for _, p := range items {
		ok, err := s.confirm("delete", p, &all)
		if err != nil {
			rep.stopped = err
			break
		}
		if !ok {
			continue
		}
		err = c.Dele(ctx, p)
		s.changed(p)
		rep.done(p, transfer.Result{}, err)
		if ctx.Err() != nil {
			break
		}
	}
	return rep.finish(ctx)
}

// expandAll expands remote patterns, after a leading --literal or
// --glob (see patternArgs); patterns that match nothing are reported and
// counted as failures, and the folders they match as skipped. A broken
// connection or an interrupt stops it.
func (s *Shell) expandAll(ctx context.Context, c *client.Conn, args []string, rep *report) ([]string, error) {
	mode, patterns, err := patternArgs(args)
	if err != nil {
		return nil, err
	}
	hint := map[string]string{"downloaded": "mirror downloads folders", "deleted": "rmdir removes empty folders"}[rep.verb]
	var items []string
	for _, p := range patterns {
		paths, folders, err := s.expandRemote(ctx, c, p, mode)
		if err != nil {
			if c.Err() != nil || ctx.Err() != nil {
				return nil, err
			}
			if len(patterns) == 1 {
				return nil, err
			}
			rep.done(p, transfer.Result{}, err)
			continue
		}
		for _, f := range folders {
			s.warn("skipped %s: a folder (%s)", client.Sanitize(f), hint)
			rep.skipped++
		}
		items = append(items, paths...)
	}
	if rep.skipped > 0 {
		rep.extra += fmt.Sprintf(", %d skipped", rep.skipped)
	}
	return items, nil
}

func (s *Shell) cmdMkdir(ctx context.Context, args []string) error {
	c, err := s.client(ctx)
	if err != nil {
		return err
	}
	defer s.changed(args[0])
	_, err = c.Mkd(ctx, args[0])
	return err
}

func (s *Shell) cmdRmdir(ctx context.Context, args []string) error {
	c, err := s.client(ctx)
	if err != nil {
		return err
	}
	defer s.changed(args[0], path.Join(args[0], "x"))
	return c.Rmd(ctx, args[0])
}

func (s *Shell) cmdRename(ctx context.Context, args []string) error {
	c, err := s.client(ctx)
	if err != nil {
		return err
	}
	defer s.changed(args[0], args[1], path.Join(args[0], "x"))
	return c.Rename(ctx, args[0], args[1])
}

func (s *Shell) cmdChmod(ctx context.Context, args []string) error {
	m, err := strconv.ParseUint(args[0], 8, 32)
	if err != nil || m > 0o7777 {
		return usageErrorf("mode %q is not an octal mode such as 644", args[0])
	}
	c, err := s.client(ctx)
	if err != nil {
		return err
	}
	for _, p := range args[1:] {
		if err := c.Chmod(ctx, p, os.FileMode(m)); err != nil {
			return err
		}
		s.changed(p)
	}
	return nil
}

func (s *Shell) cmdSize(ctx context.Context, args []string) error {
	c, err := s.client(ctx)
	if err != nil {
		return err
	}
	n, err := c.Size(ctx, args[0])
	if err != nil {
		return err
	}
	fmt.Fprintf(s.out, "%d\n", n)
	return nil
}

func (s *Shell) cmdModtime(ctx context.Context, args []string) error {
	c, err := s.client(ctx)
	if err != nil {
		return err
	}
	t, err := c.ModTime(ctx, args[0])
	if err != nil {
		return err
	}
	fmt.Fprintln(s.out, t.UTC().Format(time.RFC3339))
	return nil
}

func (s *Shell) cmdStat(ctx context.Context, args []string) error {
	c, err := s.client(ctx)
	if err != nil {
		return err
	}
	if len(args) == 0 {
		text, err := c.Stat(ctx, "")
		if err != nil {
			return err
		}
		fmt.Fprintln(s.out, text)
		return nil
	}
	p := args[0]
	var e client.Entry
	if c.HasFeature("MLST") {
		if e, err = c.MLST(ctx, p); err != nil {
			return err
		}
	} else {
		size, err := c.Size(ctx, p)
		if err != nil {
			return err
		}
		e = client.Entry{Type: client.EntryFile, Size: size}
		if t, err := c.ModTime(ctx, p); err == nil {
			e.ModTime, e.Precision = t, client.TimeExact
		}
	}
	w := s.out
	fmt.Fprintf(w, "Name:     %s\n", p)
	fmt.Fprintf(w, "Type:     %s\n", e.Type)
	if e.Size >= 0 {
		fmt.Fprintf(w, "Size:     %d\n", e.Size)
	}
	if e.Precision != client.TimeUnknown {
		fmt.Fprintf(w, "Modified: %s\n", e.ModTime.UTC().Format(time.RFC3339))
	}
	if e.Mode != 0 {
		fmt.Fprintf(w, "Mode:     %04o\n", e.Mode.Perm())
	}
	if e.Target != "" {
		fmt.Fprintf(w, "Target:   %s\n", e.Target)
	}
	return nil
}

func (s *Shell) cmdCat(ctx context.Context, args []string) error {
	c, err := s.client(ctx)
	if err != nil {
		return err
	}
	_, err = transfer.Fetch(ctx, c, args[0], s.out, nil)
	return err
}

func (s *Shell) cmdQuote(ctx context.Context, args []string) error {
	c, err := s.client(ctx)
	if err != nil {
		return err
	}
	line := strings.Join(args, " ")
	code, text, err := c.Quote(ctx, line)
	if errors.Is(err, client.ErrQuoteRefused) {
		return usageErrorf("%v; use get, put, ls or cat for transfers and listings", err)
	}
	if err != nil {
		return err
	}
	for _, l := range strings.Split(text, "\n") {
		fmt.Fprintf(s.out, "%d %s\n", code, l)
	}
	if code >= 400 {
		if isSecretVerb(args[0]) {
			line = args[0] + " ****"
		}
		return shownError{&client.ReplyError{Cmd: line, Code: code, Msg: text}}
	}
	return nil
}

func (s *Shell) cmdSite(ctx context.Context, args []string) error {
	c, err := s.client(ctx)
	if err != nil {
		return err
	}
	text, err := c.Site(ctx, strings.Join(args, " "))
	if err != nil {
		return err
	}
	fmt.Fprintln(s.out, text)
	return nil
}
