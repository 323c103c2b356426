package transfer

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/ferry-ftp/ferry/client"
)

// ErrBackupInside reports a backup folder that overlaps the destination
// (MirrorOptions.BackupDir): it is the destination, lies inside it
// without a filter that leaves it out, or holds it.
var ErrBackupInside = errors.New("the backup folder must not overlap the destination")

// checkBackupDir refuses a BackupDir that overlaps the destination, as
// rclone does: one that is the destination or holds it, and one inside
// it, unless the destination's scan does not enter it (a filter leaves
// it out, and DeleteExcluded does not delete it). A local backup folder
// is compared after resolving the symbolic links of the nearest folder of
// each path that exists; a remote one on clean absolute paths, a
// relative path taken from the login folder (PWD).
func (m *mirror) checkBackupDir(ctx context.Context, localDir string) error {
	opt := &m.opt
	if opt.BackupDir == "" {
		return nil
	}
	var backup, dest string
	if opt.Direction == Download {
		var err error
		if backup, err = resolveLocal(opt.BackupDir); err != nil {
			return localErr("find folder", opt.BackupDir, err)
		}
		if dest, err = resolveLocal(localDir); err != nil {
			return localErr("find folder", localDir, err)
		}
	} else {
		backup, dest = path.Clean(opt.BackupDir), path.Clean(m.remoteDir)
		if !path.IsAbs(backup) || !path.IsAbs(dest) {
			var wd string
			_, err := m.pool.Do(ctx, "PWD", func(c *client.Conn, _ int) error {
				var err error
				wd, err = c.Pwd(ctx)
				return err
			})
			if err != nil {
				return fmt.Errorf("--backup-dir: finding the login folder: %w", err)
			}
			// A login folder that is no slash path (VMS, MVS) leaves
			// paths as they are: both relative ones are still compared.
			if path.IsAbs(wd) {
				backup, dest = absPath(wd, backup), absPath(wd, dest)
			}
			if path.IsAbs(backup) != path.IsAbs(dest) {
				return nil
			}
		}
	}
	shown := client.Sanitize(opt.BackupDir)
	switch {
	case backup == dest:
		return fmt.Errorf("%w: --backup-dir %s is the destination %s", ErrBackupInside, shown, client.Sanitize(dest))
	case within(dest, backup):
		return fmt.Errorf("%w: --backup-dir %s holds the destination %s", ErrBackupInside, shown, client.Sanitize(dest))
	case within(backup, dest):
		rel := strings.TrimPrefix(strings.TrimPrefix(backup, dest), "/")
		if m.leftOut(rel) {
			return nil
		}
		if m.filterPrunes(rel) {
			// The filter leaves it out, and --delete-excluded would
			// delete it from the destination.
			return fmt.Errorf("%w: --backup-dir %s lies inside the destination %s, where --delete-excluded would delete it: choose a folder outside the destination, or leave out --delete-excluded",
				ErrBackupInside, shown, client.Sanitize(dest))
		}
		return fmt.Errorf("%w: --backup-dir %s lies inside the destination %s: choose a folder outside it, or leave it out with a filter (--exclude /%s/)",
			ErrBackupInside, shown, client.Sanitize(dest), client.Sanitize(rel))
	}
	return nil
}

// leftOut reports whether the scan of the destination does not enter
// the folder rel: a filter prunes it, or a folder above it.
func (m *mirror) leftOut(rel string) bool {
	remote := m.opt.Direction == Upload
	for d := rel; d != "." && d != "/" && d != ""; d = path.Dir(d) {
		if m.prunes(d, remote) {
			return true
		}
	}
	return false
}

// filterPrunes reports whether the filter leaves out the folder rel, or
// a folder above it.
func (m *mirror) filterPrunes(rel string) bool {
	for d := rel; d != "." && d != "/" && d != ""; d = path.Dir(d) {
		if m.filter.pruned(d) {
			return true
		}
	}
	return false
}

// absPath returns p, or p joined to the absolute folder wd when it is
// relative.
func absPath(wd, p string) string {
	if path.IsAbs(p) {
		return p
	}
	return path.Join(wd, p)
}

// within reports whether the clean slash path p lies below dir.
func within(p, dir string) bool {
	return p != dir && (dir == "/" || strings.HasPrefix(p, strings.TrimSuffix(dir, "/")+"/"))
}

// resolveLocal returns the absolute, slash-separated form of the local
// path p with the symbolic links of its nearest part that exists
// resolved (a link whose target is missing is followed by its text), and
// the rest of p joined to it.
func resolveLocal(p string) (string, error) {
	return resolveLinks(p, 0)
}

// maxLinks bounds the links resolveLinks follows, as the kernel's
// ELOOP does.
const maxLinks = 40

func resolveLinks(p string, links int) (string, error) {
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", err
	}
	rest := ""
	for dir := abs; ; {
		fi, err := os.Lstat(dir)
		switch {
		case err == nil && fi.Mode()&fs.ModeSymlink != 0:
			if resolved, err := filepath.EvalSymlinks(dir); err == nil {
				return filepath.ToSlash(filepath.Join(resolved, rest)), nil
			}
			if links >= maxLinks {
				return "", fmt.Errorf("%s: too many levels of symbolic links", dir)
			}
			target, err := os.Readlink(dir)
			if err != nil {
				return "", err
			}
			if !filepath.IsAbs(target) {
				target = filepath.Join(filepath.Dir(dir), target)
			}
			return resolveLinks(filepath.Join(target, rest), links+1)
		case err == nil:
			resolved, err := filepath.EvalSymlinks(dir)
			if err != nil {
				return "", err
			}
			return filepath.ToSlash(filepath.Join(resolved, rest)), nil
		case !errors.Is(err, fs.ErrNotExist):
			return "", err
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return filepath.ToSlash(abs), nil
		}
		rest = filepath.Join(filepath.Base(dir), rest)
		dir = parent
	}
}
