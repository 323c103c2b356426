package transfer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/ferry-ftp/ferry/client"
)

// Backups (MirrorOptions.BackupDir and Suffix). The destination's path
// rel is backed up to BackupDir/rel+Suffix, or, without BackupDir, to
// rel+Suffix beside it in the destination. An earlier backup under that
// name is never replaced: the backup takes the next numbered name,
// NAME.~N~ with N one more than the highest there (as GNU cp
// --backup=numbered), and Notify says so. rclone overwrites it.

// backsUp reports whether the job backs up what it replaces or deletes.
func (o *MirrorOptions) backsUp() bool { return o.BackupDir != "" || o.Suffix != "" }

// backup moves the destination's path rel to its backup (see above),
// making the folders it needs: locally with a rename, remotely with RNFR
// and RNTO. Its error stops the replacement or deletion it was for.
func (m *mirror) backup(ctx context.Context, rel string) error {
	if m.opt.Direction == Download {
		lrel, err := localRel(rel)
		if err != nil {
			return err
		}
		if _, err := m.root.Lstat(lrel); err != nil {
			return localErr("back up", rel, err)
		}
		to, err := m.localBackup(rel, lrel)
		if err != nil {
			return err
		}
		if err := moveLocal(filepath.Join(m.root.Name(), lrel), to); err != nil {
			return localErr("back up", rel, fmt.Errorf("to %q: %w", to, err))
		}
		return nil
	}
	from, to := remoteJoin(m.remoteDir, rel), ""
	_, err := m.pool.Do(ctx, "back up "+rel, func(c *client.Conn, _ int) error {
		var err error
		if to, err = m.remoteBackup(ctx, c, rel); err != nil {
			return err
		}
		return c.Rename(ctx, from, to)
	})
	if err != nil {
		if to == "" {
			return fmt.Errorf("back up %s: %w", client.Sanitize(from), err)
		}
		return fmt.Errorf("back up %s to %s: %w", client.Sanitize(from), client.Sanitize(to), err)
	}
	return nil
}

// prepareBackup readies the backup of the destination file rel that a copy
// will replace. Remotely it makes the backup's folders and returns the
// free name the old file is to be moved to once the new one is complete
// (see PutOptions.backupTo). Locally it keeps a copy of the old file
// under its backup's name, which it returns; the download then replaces
// the old file only when it is complete. Its error stops the copy.
func (m *mirror) prepareBackup(ctx context.Context, rel string) (string, error) {
	if m.opt.Direction == Upload {
		var to string
		_, err := m.pool.Do(ctx, "back up "+rel, func(c *client.Conn, _ int) error {
			var err error
			to, err = m.remoteBackup(ctx, c, rel)
			return err
		})
		if err != nil {
			return "", fmt.Errorf("back up %s: %w", client.Sanitize(remoteJoin(m.remoteDir, rel)), err)
		}
		return to, nil
	}
	lrel, err := localRel(rel)
	if err != nil {
		return "", err
	}
	to, err := m.localBackup(rel, lrel)
	if err != nil {
		return "", err
	}
	// A copy, not a hard link: a download that must write in place
	// (--direct, or no room for a temporary name) would write through
	// a link into the backup too.
	if err := copyLocalFile(filepath.Join(m.root.Name(), lrel), to); err != nil {
		return "", localErr("back up", rel, err)
	}
	return to, nil
}

// localBackup returns the free local name to back up the destination's
// path rel (lrel in local form) to, making its folder.
func (m *mirror) localBackup(rel, lrel string) (string, error) {
	to := filepath.Join(m.root.Name(), lrel) + m.opt.Suffix
	if m.opt.BackupDir != "" {
		to = filepath.Join(m.opt.BackupDir, lrel) + m.opt.Suffix
	}
	dir := filepath.Dir(to)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", localErr("back up", rel, err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return "", localErr("back up", rel, err)
	}
	names := backupNames{name: filepath.Base(to)}
	for _, e := range entries {
		names.see(e.Name(), e.IsDir())
	}
	free := names.free()
	m.keptEarlier(rel, to, &names, free)
	return filepath.Join(dir, free), nil
}

// remoteBackup returns the free remote name to back up the destination's
// path rel to, on the connection c, making its folders. The backup's
// folder is listed to find the names taken; a listing with lines that
// cannot be read cannot tell, and fails.
func (m *mirror) remoteBackup(ctx context.Context, c *client.Conn, rel string) (string, error) {
	to := remoteJoin(m.remoteDir, rel) + m.opt.Suffix
	if m.opt.BackupDir != "" {
		to = path.Join(m.opt.BackupDir, rel) + m.opt.Suffix
		for _, d := range parents(path.Dir(to)) {
			if _, err := c.Mkd(ctx, d); err != nil && c.Err() != nil {
				return "", err
			}
		}
	}
	dir, base := path.Split(to)
	names := backupNames{name: base}
	unread := 0
	opt := client.ListOptions{Hidden: true, Unparsed: func(string) { unread++ }}
	err := c.ReadDirFunc(ctx, strings.TrimSuffix(dir, "/"), opt, func(e client.Entry) error {
		names.see(e.Name, e.Type == client.EntryDir)
		return nil
	})
	switch {
	case err != nil:
		return "", fmt.Errorf("listing the backup's folder to keep earlier backups: %w", err)
	case unread > 0:
		return "", fmt.Errorf("listing the backup's folder to keep earlier backups: %d line(s) cannot be read", unread)
	}
	free := names.free()
	m.keptEarlier(rel, to, &names, free)
	return dir + free, nil
}

// keptEarlier tells Notify that the backup of rel goes to the numbered
// name free, and why: its backup's name (to) holds an earlier backup, or
// earlier numbered backups exist; or the name is taken by a folder, or
// (with Suffix alone, beside the files) by a file of the source, which
// is no backup.
func (m *mirror) keptEarlier(rel, to string, names *backupNames, free string) {
	if free == names.name {
		return
	}
	r, name, this := client.Sanitize(rel), client.Sanitize(to), client.Sanitize(free)
	switch {
	case names.takenDir:
		m.note("%s: its backup's name %s is a folder; this backup is %s", r, name, this)
	case names.taken && besideBackups(&m.opt) && m.src[rel+m.opt.Suffix] != nil:
		m.note("%s: its backup's name %s is a file of the source, not a backup; this backup is %s", r, name, this)
	case names.taken:
		m.note("%s: an earlier backup is kept as %s; this one is %s", r, name, this)
	default:
		m.note("%s: earlier backups are kept, up to %s.~%d~; this one is %s", r, name, names.high, this)
	}
}

// backupNames finds a free name for a backup among the names of its
// folder, seen one at a time.
type backupNames struct {
	name     string // the backup's own name
	taken    bool   // the folder holds name
	takenDir bool   // ... as a folder
	high     int    // the highest N of name.~N~ in the folder
}

// see notes one name of the folder, a folder when dir is set.
func (b *backupNames) see(n string, dir bool) {
	if n == b.name {
		b.taken, b.takenDir = true, dir
		return
	}
	num, ok := strings.CutPrefix(n, b.name+".~")
	if !ok {
		return
	}
	if num, ok = strings.CutSuffix(num, "~"); ok {
		if v, err := strconv.Atoi(num); err == nil && v > b.high && strconv.Itoa(v) == num {
			b.high = v
		}
	}
}

// free returns the backup's name when the folder does not hold it, and
// otherwise name.~N~, N one more than the highest such number taken.
func (b *backupNames) free() string {
	if !b.taken && b.high == 0 {
		return b.name
	}
	return fmt.Sprintf("%s.~%d~", b.name, b.high+1)
}

// besideBackups reports whether backups lie in the destination, beside
// the files (Suffix without BackupDir): Delete then keeps them, and the
// folders that hold files, which become backups.
func besideBackups(opt *MirrorOptions) bool { return opt.BackupDir == "" && opt.Suffix != "" }

// underBackup reports whether the destination's path p, or a folder
// above it, has a backup's name (see isBackupName).
func underBackup(p, suffix string) bool {
	for q := p; q != "." && q != "/" && q != ""; q = path.Dir(q) {
		if isBackupName(path.Base(q), suffix) {
			return true
		}
	}
	return false
}

// holdsFiles reports whether the tree t holds a path other than a folder
// below dir.
func holdsFiles(t tree, dir string) bool {
	for p, n := range t {
		if n.typ != client.EntryDir && strings.HasPrefix(p, dir+"/") {
			return true
		}
	}
	return false
}

// isBackupName reports a destination name that Suffix alone made a
// backup of (NAME+Suffix, or its numbered form): Delete keeps it.
func isBackupName(name, suffix string) bool {
	if suffix == "" {
		return false
	}
	if i := strings.LastIndex(name, ".~"); i > 0 && strings.HasSuffix(name, "~") {
		if _, err := strconv.Atoi(name[i+2 : len(name)-1]); err == nil {
			name = name[:i]
		}
	}
	return len(name) > len(suffix) && strings.HasSuffix(name, suffix)
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
// deletions where the old copy goes.
func markBackups(actions []Action, opt *MirrorOptions) {
	for i, a := range actions {
		where := "the backup folder"
		if opt.BackupDir == "" {
			where = client.Sanitize(path.Base(a.Path) + opt.Suffix)
		}
		switch {
		case a.Kind == Delete && !(a.Dir && !strings.HasPrefix(a.Reason, "in the way")):
			actions[i].Reason += "; moved to " + where
		case a.Kind == Copy && a.dst != nil:
			actions[i].Reason += oldCopyNote(where)
		}
	}
}

// oldCopyNote is what markBackups adds to the reason of a copy that
// replaces a file it backs up to where.
func oldCopyNote(where string) string { return "; the old copy moved to " + where }

// failedBackup returns the reason of a copy that failed, of a file the
// job backs up (see markBackups): what became of the old file instead of
// where it was to go. to is the backup readied (see prepareBackup), ""
// when that failed.
func failedBackup(a *Action, to string, dir Direction, err error) string {
	reason := a.Reason
	if i := strings.Index(reason, oldCopyNote("")); i >= 0 {
		reason = reason[:i]
	}
	var pe *PlaceError
	switch {
	case to == "":
		return reason + "; the old file left in place, not backed up"
	case dir == Download:
		return reason + "; the old file left in place, and a copy of it kept as " + client.Sanitize(to)
	case errors.As(err, &pe) && pe.Aside != "":
		return reason + "; the old file may be in " + client.Sanitize(pe.Aside) + " (see the error)"
	}
	return reason + "; the old file left in place"
}
