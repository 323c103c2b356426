package ops

import (
	"context"
	"errors"
	"fmt"
	"path"
	"strconv"
	"strings"

	"github.com/spf13/pflag"

	"github.com/ferry-ftp/ferry/client"
	"github.com/ferry-ftp/ferry/transfer"
)

// RmOptions are the options of `ferry rm`.
type RmOptions struct {
	F         *Env
	Addresses []string
	Recursive bool
	Patterns  patternFlags
}

var rmCommand = Command{
	Name:    "rm",
	Use:     "rm [-r] [--literal|--glob] URL...",
	Short:   "Delete remote files",
	MinArgs: 1, MaxArgs: -1,
	New: func() Operation { return &RmOptions{} },
	Long: `Delete remote files. A pattern in the last path element ('*.tmp') is
matched against the folder's listing (see Patterns below). With -r,
folders are deleted with everything in them; symbolic links are deleted,
never followed. Without -r, a folder named is not deleted (exit code 5),
and those a pattern matches are reported as skipped (exit code 8).

` + patternHelp,
	Example: `  ferry rm ftp://user@example.org/incoming/old.zip
  ferry rm 'ftp://user@example.org/tmp/*.tmp'
  ferry rm --literal 'ftp://user@example.org/tmp/report-[draft].txt'
  ferry rm -r ftp://user@example.org/old-release/`,
}

// AddFlags defines rm's flags.
func (o *RmOptions) AddFlags(fl *pflag.FlagSet) {
	fl.BoolVarP(&o.Recursive, "recursive", "r", false, "delete folders and their contents")
	o.Patterns.add(fl)
}

// Args takes the positional arguments and checks the flags.
func (o *RmOptions) Args(fl *pflag.FlagSet, args []string) error {
	o.Addresses = args
	_, err := o.Patterns.mode()
	return err
}

// Run does it.
func (o *RmOptions) Run(ctx context.Context, env *Env) error {
	o.F = env
	return rmRun(ctx, o)
}

func rmRun(ctx context.Context, o *RmOptions) error {
	mode, err := o.Patterns.mode()
	if err != nil {
		return err
	}
	x := expandOptions{mode: mode, dirs: o.Recursive, folderHint: "rm -r deletes folders"}
	return eachRemote(ctx, o.F, o.Addresses, x, func(ctx context.Context, s *transfer.Session, p string, did func(action, path string)) error {
		c, err := s.Conn(ctx)
		if err != nil {
			return err
		}
		if o.Recursive {
			if err := checkTreeRoot(p); err != nil {
				return err
			}
			if err := spareLogin(ctx, o.F, s, p); err != nil {
				return err
			}
			// Decide by what the parent lists: CWD and MLST follow a
			// link, and a link to a folder must go as a link, never
			// with the files of the folder it points to.
			typ, err := s.Lstat(ctx, p)
			if err != nil {
				return err
			}
			switch typ {
			case client.EntryDir:
				return removeTree(ctx, o.F, s, strings.TrimSuffix(p, "/"), did)
			case client.EntryLink:
				return removeLink(ctx, c, strings.TrimSuffix(p, "/"), did)
			}
		}
		if err := c.Dele(ctx, p); err != nil {
			err = explainFolder(ctx, item{path: p}, err, "add -r to delete it with everything in it", withSession(ctx, s))
			if errors.As(err, new(*folderError)) {
				err = fmt.Errorf("%s: %w", client.Sanitize(p), err)
			}
			return err
		}
		did("delete", p)
		return nil
	})
}

// removeLink deletes a symbolic link with DELE, which removes the link
// itself on Unix servers. A server that refuses is reported as such: the
// folder the link points to is never touched.
func removeLink(ctx context.Context, c *client.Conn, p string, did func(action, path string)) error {
	if err := c.Dele(ctx, p); err != nil {
		return fmt.Errorf("%s is a symbolic link, and the server refused to delete it (the folder it points to was left alone): %w", p, err)
	}
	did("delete", p)
	return nil
}

// removeTree deletes a remote folder and everything below it, depth
// first; symbolic links in it are deleted as links (removeLink), never
// entered. Names from the listing that could leave the tree are refused.
func removeTree(ctx context.Context, f *Env, s *transfer.Session, dir string, did func(action, path string)) error {
	if err := checkTreeRoot(dir); err != nil {
		return err
	}
	c, err := s.Conn(ctx)
	if err != nil {
		return err
	}
	// Types as LIST shows them: a link to a folder is a link there,
	// where some servers' MLSD lists it as the folder.
	entries, err := s.ReadDirNoFollow(ctx, dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if e.Name == "." || e.Name == ".." || e.Name == "" || strings.Contains(e.Name, "/") {
			continue
		}
		p := JoinRemote(dir, e.Name)
		typ := e.Type
		if typ == client.EntryDir {
			// Some listings show a link to a folder as the folder.
			if typ, err = s.DirOrLink(ctx, p); err != nil {
				return err
			}
		}
		switch typ {
		case client.EntryDir:
			err = removeTree(ctx, f, s, p, did)
		case client.EntryLink:
			err = removeLink(ctx, c, p, did)
		default:
			if err = c.Dele(ctx, p); err == nil {
				did("delete", p)
			}
		}
		if err != nil {
			return err
		}
	}
	if err := c.Rmd(ctx, dir); err != nil {
		return err
	}
	did("rmdir", dir)
	return nil
}

// checkTreeRoot refuses, as GNU rm does, a tree to delete that is named
// "." or ".." (the current folder, its parent, or a path that ends so:
// "sub/.." is the folder holding sub), and one that is the login or root
// folder however it is written.
func checkTreeRoot(p string) error {
	trimmed := strings.TrimRight(p, "/")
	switch base := path.Base(trimmed); {
	case trimmed != "" && (base == "." || base == ".."):
		return usageErrorf("refusing to delete %s: name the folder itself, not . or ..", client.Sanitize(strconv.Quote(p)))
	case trimmed == "" || path.Clean(trimmed) == "/" || path.Clean(trimmed) == ".":
		return usageErrorf("refusing to delete the login or root folder")
	}
	return nil
}

// spareLogin refuses a tree to delete that is the login folder, or holds
// it, however its path is written (absolute, "//home//u", "../u"): the
// path is made absolute from the session's folder and cleaned.
func spareLogin(ctx context.Context, f *Env, s *transfer.Session, p string) error {
	wd, err := s.Getwd(ctx)
	if err != nil {
		return err
	}
	login := f.Login
	if login == "" {
		login = wd // the command line's sessions stay in the login folder
	}
	abs := p
	if !strings.HasPrefix(p, "/") {
		abs = path.Join(wd, p)
	}
	abs = path.Clean(abs)
	if abs == path.Clean(login) || strings.HasPrefix(path.Clean(login)+"/", strings.TrimSuffix(abs, "/")+"/") {
		return usageErrorf("refusing to delete %s: it is, or holds, the login folder %s",
			client.Sanitize(strconv.Quote(p)), client.Sanitize(strconv.Quote(login)))
	}
	return nil
}
