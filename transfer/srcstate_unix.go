//go:build unix

package transfer

import (
	"os"
	"time"

	"golang.org/x/sys/unix"
)

// changeTime returns the change time (ctime) of the open file f, or the
// zero time when it cannot be read.
func changeTime(f *os.File) time.Time {
	rc, err := f.SyscallConn()
	if err != nil {
		return time.Time{}
	}
	var st unix.Stat_t
	var serr error
	if err := rc.Control(func(fd uintptr) { serr = unix.Fstat(int(fd), &st) }); err != nil || serr != nil {
		return time.Time{}
	}
	return time.Unix(st.Ctim.Unix())
}
