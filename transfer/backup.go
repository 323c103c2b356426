package transfer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/ferry-ftp/ferry/client"
)

// backup moves the destination's path rel into BackupDir at the same
// relative path, making the folders it needs: locally with a rename,
// remotely with RNFR and RNTO (an earlier backup of the same path, which
// a server may refuse to rename over, is deleted first). Its error
// stops the replacement or deletion it was for.
func (m *mirror) backup(ctx context.Context, rel string) error {
	if m.opt.Direction == Download {
		lrel, err := localRel(rel)
		if err != nil {
			return err
		}
		if _, err := m.root.Lstat(lrel); err != nil {
			return localErr("back up", rel, err)
		}
		to := filepath.Join(m.opt.BackupDir, lrel)
		if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
			return localErr("back up", rel, err)
		}
		return localErr("back up", rel, os.Rename(filepath.Join(m.root.Name(), lrel), to))
	}
	from, to := remoteJoin(m.remoteDir, rel), path.Join(m.opt.BackupDir, rel)
	_, err := m.pool.Do(ctx, "back up "+rel, func(c *client.Conn, _ int) error {
		for _, d := range parents(path.Dir(to)) {
			if _, err := c.Mkd(ctx, d); err != nil && c.Err() != nil {
				return err
			}
		}
		err := c.Rename(ctx, from, to)
		if client.ReplyCode(err)/100 == 5 && c.Err() == nil {
			// The server may not rename over the last backup.
			if derr := c.Dele(ctx, to); derr == nil {
				err = c.Rename(ctx, from, to)
			}
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("back up %s to %s: %w", client.Sanitize(from), client.Sanitize(to), err)
	}
	return nil
}

// prepareBackup readies the backup of the destination file rel that a copy
// will replace. Remotely it makes the backup's folders and returns the
// path the old file is to be moved to once the new one is complete (see
// PutOptions.backupTo). Locally it keeps a copy of the old file in the
// backup folder and returns ""; the download then replaces the old file only when it is
// complete. Its error stops the copy.
func (m *mirror) prepareBackup(ctx context.Context, rel string) (string, error) {
	if m.opt.Direction == Upload {
		to := path.Join(m.opt.BackupDir, rel)
		_, err := m.pool.Do(ctx, "back up "+rel, func(c *client.Conn, _ int) error {
			for _, d := range parents(path.Dir(to)) {
				if _, err := c.Mkd(ctx, d); err != nil && c.Err() != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return "", fmt.Errorf("back up %s to %s: %w", client.Sanitize(remoteJoin(m.remoteDir, rel)), client.Sanitize(to), err)
		}
		return to, nil
	}
	lrel, err := localRel(rel)
	if err != nil {
		return "", err
	}
	from := filepath.Join(m.root.Name(), lrel)
	to := filepath.Join(m.opt.BackupDir, lrel)
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		return "", localErr("back up", rel, err)
	}
	// An earlier backup of the same path gives way.
	if err := os.Remove(to); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return "", localErr("back up", rel, err)
	}
	// A copy, not a hard link: a download that must write in place
	// (--direct, or no room for a temporary name) would write through
	// a link into the backup too.
	return "", localErr("back up", rel, copyLocalFile(from, to))
}

// copyLocalFile copies the regular file from to the new file to, with its
// mode and modification time.
func copyLocalFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	fi, err := in.Stat()
	if err != nil {
		return err
	}
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("%s is not a regular file", from)
	}
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, fi.Mode().Perm())
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		os.Remove(to)
		return err
	}
	if err := out.Close(); err != nil {
		os.Remove(to)
		return err
	}
	return os.Chtimes(to, fi.ModTime(), fi.ModTime())
}

// parents returns dir and its parents, outermost first, without "/" and
// ".".
func parents(dir string) []string {
	var out []string
	for d := dir; d != "" && d != "/" && d != "."; d = path.Dir(d) {
		out = append([]string{d}, out...)
	}
	return out
}

// markBackups adds to the reasons of the plan's replacements and
// deletions that the old copy goes to BackupDir.
func markBackups(actions []Action) {
	for i, a := range actions {
		switch {
		case a.Kind == Delete && !(a.Dir && !strings.HasPrefix(a.Reason, "in the way")):
			actions[i].Reason += "; moved to the backup folder"
		case a.Kind == Copy && a.dst != nil:
			actions[i].Reason += "; the old copy moved to the backup folder"
		}
	}
}
