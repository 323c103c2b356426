package transfer

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// localTarget is what a download finds under its local name.
type localTarget struct {
	// special is set for a character or block device, a FIFO or a socket,
	// or a symbolic link to one: the download writes into it (see
	// getInto) and never replaces it.
	special bool
	info    fs.FileInfo // the special file's, when special
	// exists is set when a regular file is there, which the download
	// replaces; mode holds its permission bits and uid and gid its owner
	// and group (-1 when unknown).
	exists   bool
	mode     fs.FileMode
	uid, gid int
}

// inspectTarget looks at the local name of a download. A symbolic link
// counts as special when it leads to a special file, and as nothing
// otherwise: a link is replaced, never written through. Whatever cannot
// be looked at counts as nothing.
func inspectTarget(fsys localFS, local string) localTarget {
	fi, err := fsys.Lstat(local)
	if err != nil {
		return localTarget{uid: -1, gid: -1}
	}
	if fi.Mode()&fs.ModeSymlink != 0 {
		to, err := fsys.Stat(local)
		if err != nil || !isSpecial(to.Mode()) {
			return localTarget{uid: -1, gid: -1}
		}
		fi = to
	}
	if isSpecial(fi.Mode()) {
		return localTarget{special: true, info: fi, uid: -1, gid: -1}
	}
	if !fi.Mode().IsRegular() {
		return localTarget{uid: -1, gid: -1}
	}
	uid, gid, ok := owner(fi)
	if !ok {
		uid, gid = -1, -1
	}
	return localTarget{exists: true, mode: fi.Mode().Perm(), uid: uid, gid: gid}
}

// isSpecial reports a device, a FIFO or a socket.
func isSpecial(m fs.FileMode) bool {
	return m&(fs.ModeDevice|fs.ModeCharDevice|fs.ModeNamedPipe|fs.ModeSocket) != 0
}

// createMode is the mode a temporary file is created with: for a new
// file, the usual 0666 less the umask; for one that replaces a file, the
// old file's permissions for group and others, so that the new data is
// never more readable than the old was, and read and write for its owner
// (the process itself), which the download needs (a resumed partial file
// is opened again). The exact old mode is set when the data is complete.
func (t localTarget) createMode() fs.FileMode {
	if !t.exists {
		return 0o666
	}
	return t.mode | 0o600
}

// partFile is the open file a download writes to: its temporary file, or
// with PutOptions.Direct (or when no temporary file can be made) the
// local file itself. It holds an advisory lock (flock) on the file from
// before its first byte is written until after it is renamed into place
// or removed, so that two processes never write one file.
type partFile struct {
	f    *os.File
	name string
	lock *fileLock
	// offset is where the download resumes; resumable says whether a
	// partial file left under name may be resumed by a later attempt.
	offset    int64
	resumable bool
	// direct is set when name is the final name.
	direct bool
	// mode is the mode to set when the data is complete, and keep says
	// whether to set it (a file that replaces another).
	mode fs.FileMode
	keep bool
}

// errBusy reports a file another process is writing.
var errBusy = errors.New("another process is writing it (it is locked)")

// createPart opens the temporary file part of a download to local, which
// finds tgt there, and locks it. When another process holds the lock on
// part, the download takes a random name beside local instead, which is
// never resumed: the two never write the same file. With resume and a
// resumable name, a partial file there of at most size bytes is kept and
// resumed; anything else there is cut to nothing, after the lock is
// taken. A symbolic link or other non-regular file in part's place is
// removed first, never written through.
func createPart(fsys localFS, local, part string, resumable, resume bool, size int64, tgt localTarget) (*partFile, error) {
	for range 8 {
		if fi, err := fsys.Lstat(part); err == nil && !fi.Mode().IsRegular() {
			if fi.IsDir() {
				return nil, localErr("create", part, fs.ErrExist)
			}
			if err := fsys.Remove(part); err != nil {
				return nil, localErr("remove", part, err)
			}
		}
		flags := os.O_WRONLY | os.O_CREATE
		if !resumable {
			flags |= os.O_EXCL // a random name: never a file that is there
		}
		f, err := fsys.OpenFile(part, flags, tgt.createMode())
		if err != nil {
			if !resumable && errors.Is(err, fs.ErrExist) {
				part = randomPart(local)
				continue
			}
			return nil, localErr("create", part, err)
		}
		pf, busy, err := lockOpen(fsys, f, part)
		switch {
		case err != nil:
			return nil, err
		case busy:
			part, resumable = randomPart(local), false
			continue
		case pf == nil:
			continue // replaced before the lock was taken: again
		}
		pf.resumable = resumable
		if err := pf.prepare(tgt, resume && resumable, size); err != nil {
			pf.abandon(fsys, true)
			return nil, err
		}
		return pf, nil
	}
	return nil, localErr("create", part, errors.New("the file kept being replaced by another process"))
}

// openDirect opens the local file itself for a direct download
// (GetOptions.Direct), creating it with the usual mode when it is not
// there, and locks it: a second process that finds it locked fails with
// errBusy. With resume, data it holds up to size bytes is kept and
// resumed, as wget -c does; otherwise it is cut to nothing once locked.
// A file that is replaced keeps its mode and owner (it is the same file).
func openDirect(fsys localFS, local string, resume bool, size int64) (*partFile, error) {
	for range 8 {
		f, err := fsys.OpenFile(local, os.O_WRONLY|os.O_CREATE, 0o666)
		if err != nil {
			return nil, localErr("open", local, err)
		}
		pf, busy, err := lockOpen(fsys, f, local)
		switch {
		case err != nil:
			return nil, err
		case busy:
			return nil, localErr("open", local, errBusy)
		case pf == nil:
			continue
		}
		pf.direct, pf.resumable = true, true
		if err := pf.prepare(localTarget{}, resume, size); err != nil {
			pf.abandon(fsys, false)
			return nil, err
		}
		return pf, nil
	}
	return nil, localErr("open", local, errors.New("the file kept being replaced by another process"))
}

// lockOpen locks f, just opened as name. When another open file holds
// the lock, it closes f and reports busy; when name no longer leads to f
// (another process renamed or removed it before the lock was taken), it
// closes f and returns nil, for the caller to open name again.
func lockOpen(fsys localFS, f *os.File, name string) (pf *partFile, busy bool, err error) {
	lock, err := tryLock(f)
	if err != nil {
		f.Close()
		return nil, false, localErr("lock", name, err)
	}
	if lock == nil {
		f.Close()
		return nil, true, nil
	}
	fi, err := f.Stat()
	now, lerr := fsys.Lstat(name)
	if err != nil || lerr != nil || !os.SameFile(fi, now) {
		lock.Unlock()
		f.Close()
		return nil, false, nil
	}
	return &partFile{f: f, name: name, lock: lock}, false, nil
}

// prepare gives a temporary file that replaces the file tgt its owner and
// restricted mode (see createMode) before any data is written, and cuts
// the file to nothing unless resume finds a partial file of at most size
// bytes to continue.
func (pf *partFile) prepare(tgt localTarget, resume bool, size int64) error {
	if tgt.exists {
		pf.mode, pf.keep = tgt.mode, true
		if tgt.uid >= 0 && !keepOwner(pf.f, tgt.uid, tgt.gid) {
			// Another group: what the old mode gave its group would go
			// to this one.
			pf.mode &^= 0o070
		}
		if err := pf.f.Chmod(pf.mode | 0o600); err != nil {
			return localErr("chmod", pf.name, err)
		}
	}
	fi, err := pf.f.Stat()
	if err != nil {
		return localErr("stat", pf.name, err)
	}
	if resume && size >= 0 && fi.Size() <= size {
		pf.offset = fi.Size() // longer is not a prefix of this file: start again
		return nil
	}
	if fi.Size() > 0 {
		return localErr("write", pf.name, pf.f.Truncate(0))
	}
	return nil
}

// finish ends the writing: the replaced file's mode is set, exactly, and
// the file closed (which reports late write errors). The lock stays until
// release.
func (pf *partFile) finish() error {
	if pf.keep {
		if err := pf.f.Chmod(pf.mode); err != nil {
			pf.f.Close()
			pf.f = nil
			return localErr("chmod", pf.name, err)
		}
	}
	err := pf.f.Close()
	pf.f = nil
	return localErr("write", pf.name, err)
}

// release closes the file if still open and lets the lock go.
func (pf *partFile) release() {
	if pf.f != nil {
		pf.f.Close()
		pf.f = nil
	}
	pf.lock.Unlock()
}

// abandon releases the file, and removes it first when remove is set.
func (pf *partFile) abandon(fsys localFS, remove bool) {
	if pf.f != nil {
		pf.f.Close()
		pf.f = nil
	}
	if remove {
		fsys.Remove(pf.name)
	}
	pf.lock.Unlock()
}

// randomPart returns a random temporary name beside local, which no
// download resumes.
func randomPart(local string) string {
	p, _ := partPath(local, Source{Size: -1}, nil)
	return p
}

// canDirect reports whether err, from creating a temporary file, calls
// for writing to the final name instead: the temporary name is too long
// for the file system, or the folder may not be written (where the file
// itself may be).
func canDirect(err error) bool {
	return errors.Is(err, syscall.ENAMETOOLONG) || errors.Is(err, fs.ErrPermission)
}

// directNote says that a download writes to local directly because its
// temporary file part could not be made (err).
func directNote(local, part string, err error, replaces bool) string {
	why := err
	var pe *fs.PathError
	if errors.As(err, &pe) {
		why = pe.Err
	}
	what := "writing straight to it"
	if replaces {
		what = "writing straight to it, overwriting the old file in place"
	}
	return fmt.Sprintf("%s: cannot create the temporary file %s (%v): %s", local, filepath.Base(part), why, what)
}
