package shell

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/ferry-ftp/ferry/client"
	"github.com/ferry-ftp/ferry/internal/pattern"
	"github.com/ferry-ftp/ferry/ops"
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
		return nil, nil, &ops.UsageError{Err: err}
	}
	if err != nil {
		return nil, nil, err
	}
	if len(res.Matches) == 0 && len(res.Folders) == 0 {
		return nil, nil, fmt.Errorf("%w %q", ops.ErrNoMatch, p)
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

func (s *Shell) cmdDir(ctx context.Context, args []string) error {
	c, err := s.client(ctx)
	if err != nil {
		return err
	}
	out := bufio.NewWriterSize(s.out, 64<<10)
	defer out.Flush()
	n := 0
	p := strings.Join(args, " ")
	if err := c.ListLinesFunc(ctx, p, func(l string) error {
		n++
		_, err := fmt.Fprintln(out, client.Sanitize(l)) // server text: no terminal control
		return err
	}); err != nil {
		return err
	}
	return s.checkEmpty(ctx, c, p, n)
}

// checkEmpty makes sure that an empty listing of path is of a folder
// that exists: vsftpd lists a missing one as empty (and a file lists as
// one line). A missing path fails as ls fails.
func (s *Shell) checkEmpty(ctx context.Context, c *client.Conn, path string, lines int) error {
	if lines > 0 || path == "" || strings.HasPrefix(path, "-") {
		return nil
	}
	return c.CheckDir(ctx, path)
}

func (s *Shell) cmdNlist(ctx context.Context, args []string) error {
	c, err := s.client(ctx)
	if err != nil {
		return err
	}
	out := bufio.NewWriterSize(s.out, 64<<10)
	defer out.Flush()
	lines := 0
	p := strings.Join(args, " ")
	if err := c.NameListFunc(ctx, p, func(n string) error {
		lines++
		_, err := fmt.Fprintln(out, client.Sanitize(n)) // server text: no terminal control
		return err
	}); err != nil {
		return err
	}
	return s.checkEmpty(ctx, c, p, lines)
}

func (s *Shell) cmdCd(ctx context.Context, args []string) error {
	dir := args[0]
	if dir == "-" {
		if s.prevCwd == "" {
			return usageErrorf("cd -: no previous remote folder")
		}
		dir = s.prevCwd
	}
	prev := s.cwd
	if err := s.chdir(ctx, dir); err != nil {
		return err
	}
	s.prevCwd = prev
	if args[0] == "-" {
		return s.result(s.cwd, map[string]any{"path": s.cwd})
	}
	return nil
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
	return s.result(wd, map[string]any{"path": wd})
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
	return s.result(fmt.Sprint(n), map[string]any{"path": args[0], "size": n})
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
	when := t.UTC().Format(time.RFC3339)
	return s.result(when, map[string]any{"path": args[0], "modified": when})
}

// sessionStat prints the server's STAT reply about the session.
func (s *Shell) sessionStat(ctx context.Context) error {
	if s.sess == nil {
		return ops.ErrNotConnected
	}
	c, err := s.client(ctx)
	if err != nil {
		return err
	}
	text, err := c.Stat(ctx, "")
	if err != nil {
		return err
	}
	return s.result(client.Sanitize(text), map[string]any{"lines": strings.Split(text, "\n")})
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
	return s.result(client.Sanitize(text), map[string]any{"lines": strings.Split(text, "\n")})
}

// result prints a command's result: text for people, or with --json one
// JSON object per line, as the operations print theirs.
func (s *Shell) result(text string, v any) error {
	if s.cfg.JSON {
		return json.NewEncoder(s.out).Encode(v)
	}
	_, err := fmt.Fprintln(s.out, text)
	return err
}
