package transfer

import (
	"context"
	"fmt"
	"path"
	"strings"

	"github.com/ferry-ftp/ferry/client"
)

// Lstat returns the type of the remote path p without following a
// symbolic link: what p's parent folder lists it as (MLSD, or LIST -a,
// whose "l" and "OS.unix=slink"/"OS.unix=symlink" entries mark links).
// MLST and CWD are no help there: proftpd's MLST and every server's CWD
// follow links. A folder, as listed, is checked with DirOrLink, since
// some servers' listings follow links too; and when the parent's listing
// does not show p (a server that hides some names), DirOrLink decides. A
// trailing "/" on p is ignored. A missing p is ErrNotFound or an error
// with the server's reply.
func (s *Session) Lstat(ctx context.Context, p string) (client.EntryType, error) {
	clean := strings.TrimSuffix(p, "/")
	if clean == "" || clean == "." {
		return client.EntryDir, nil
	}
	c, err := s.Conn(ctx)
	if err != nil {
		return 0, err
	}
	parent, name := path.Dir(clean), path.Base(clean)
	if !strings.Contains(clean, "/") {
		parent = ""
	}
	entries, err := s.ReadDirNoFollow(ctx, parent)
	if err != nil && c.Err() != nil {
		return 0, err
	}
	for _, e := range entries {
		if (e.Name == name || strings.TrimSuffix(e.Name, "/") == clean) && e.Type != client.EntryDir {
			return e.Type, nil
		}
	}
	return s.DirOrLink(ctx, clean)
}

// ReadDirNoFollow lists dir so that symbolic links show as links. Unix
// "ls -l" output marks a link with "l" where some servers' MLSD lists a
// link to a folder as the folder (pyftpdlib): the entries come from MLSD
// where the server has it (it shows dot files), each marked a link when
// LIST -a (or plain LIST, where a server refuses -a with a path) shows it
// as one, and from LIST otherwise. "." and ".." are left out.
func (s *Session) ReadDirNoFollow(ctx context.Context, dir string) ([]client.Entry, error) {
	c, err := s.Conn(ctx)
	if err != nil {
		return nil, err
	}
	return readDirNoFollow(ctx, c, dir)
}

// readDirNoFollow is ReadDirNoFollow on the connection c.
func readDirNoFollow(ctx context.Context, c *client.Conn, dir string) ([]client.Entry, error) {
	lines, err := c.ListLines(ctx, strings.TrimSpace("-a "+client.ListPath(dir)))
	if err != nil && c.Err() == nil && client.ReplyCode(err)/100 == 5 {
		lines, err = c.ListLines(ctx, client.ListPath(dir))
	}
	if err != nil && c.Err() != nil {
		return nil, err
	}
	p := client.ListParser{}
	listed, unparsed := p.Parse(lines)
	if !c.HasFeature("MLST") && err == nil && len(unparsed) == 0 {
		return listed, nil
	}
	entries, _, merr := c.ReadDir(ctx, dir)
	if merr != nil {
		return nil, merr
	}
	links := map[string]bool{}
	for _, e := range listed {
		if e.Type == client.EntryLink {
			links[e.Name] = true
		}
	}
	for i := range entries {
		if links[entries[i].Name] {
			entries[i].Type = client.EntryLink
		}
	}
	return entries, nil
}

// ErrNotFound reports a remote path that neither its parent's listing nor
// the server's CWD and SIZE know.
var ErrNotFound = fmt.Errorf("no such file or folder")

// DirOrLink tells a folder from a link to one by entering it (CWD): the
// folder the server then reports (PWD) must be the one asked for, where a
// link resolves to its target. It returns to the current folder. A path
// that cannot be entered is a file when SIZE knows it, and ErrNotFound
// otherwise.
func (s *Session) DirOrLink(ctx context.Context, p string) (client.EntryType, error) {
	c, err := s.Conn(ctx)
	if err != nil {
		return 0, err
	}
	wd, err := s.Getwd(ctx)
	if err != nil {
		return 0, err
	}
	if cerr := c.Cwd(ctx, p); cerr != nil {
		if c.Err() != nil {
			return 0, cerr
		}
		if _, serr := c.Size(ctx, p); serr == nil {
			return client.EntryFile, nil
		} else if c.Err() != nil {
			return 0, serr
		}
		return 0, fmt.Errorf("%s: %w (%v)", p, ErrNotFound, cerr)
	}
	got, err := c.Pwd(ctx)
	if err != nil {
		return 0, err
	}
	if err := c.Cwd(ctx, wd); err != nil {
		return 0, err
	}
	want := p
	if !strings.HasPrefix(p, "/") {
		want = path.Join(wd, p)
	}
	if path.Clean(got) != path.Clean(want) {
		return client.EntryLink, nil
	}
	return client.EntryDir, nil
}
