//go:build unix

package transfer

import (
	"errors"
	"os"
	"syscall"

	"golang.org/x/sys/unix"
)

// fileLock is an advisory lock (flock) on an open file, held by a
// duplicate of its descriptor: the file itself may be closed (and its
// write errors seen) while the lock stays until Unlock.
type fileLock struct{ fd int }

// tryLock takes an exclusive advisory lock on f without waiting. It
// returns nil and no error when another open file holds one: another
// ferry process (or another transfer of this one) is writing the file.
func tryLock(f *os.File) (*fileLock, error) {
	rc, err := f.SyscallConn()
	if err != nil {
		return nil, err
	}
	fd := -1
	var lerr error
	if err := rc.Control(func(raw uintptr) {
		fd, lerr = unix.FcntlInt(raw, unix.F_DUPFD_CLOEXEC, 0)
		if lerr != nil {
			fd = -1
			return
		}
		lerr = unix.Flock(fd, unix.LOCK_EX|unix.LOCK_NB)
	}); err != nil {
		return nil, err
	}
	switch {
	case lerr == nil:
		return &fileLock{fd: fd}, nil
	case fd >= 0:
		unix.Close(fd)
	}
	if errors.Is(lerr, unix.EWOULDBLOCK) {
		return nil, nil
	}
	if errors.Is(lerr, unix.ENOLCK) || errors.Is(lerr, unix.ENOTSUP) || errors.Is(lerr, unix.EOPNOTSUPP) {
		return &fileLock{fd: -1}, nil // a file system without locks: go on unlocked
	}
	return nil, lerr
}

// Unlock releases the lock. It is safe on a nil lock.
func (l *fileLock) Unlock() {
	if l != nil && l.fd >= 0 {
		unix.Close(l.fd)
		l.fd = -1
	}
}

// owner returns the owner and group of a file from its FileInfo.
func owner(fi os.FileInfo) (uid, gid int, ok bool) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return -1, -1, false
	}
	return int(st.Uid), int(st.Gid), true
}

// keepOwner gives f the owner uid and group gid where it may (root may
// give any; others only their own groups), and reports whether f then
// has the group gid.
func keepOwner(f *os.File, uid, gid int) bool {
	fi, err := f.Stat()
	if err != nil {
		return false
	}
	u, g, ok := owner(fi)
	if !ok || u == uid && g == gid {
		return ok
	}
	if f.Chown(uid, gid) != nil && g != gid {
		f.Chown(-1, gid)
	}
	if fi, err = f.Stat(); err != nil {
		return false
	}
	_, g, _ = owner(fi)
	return g == gid
}
