//go:build unix

package trust

import (
	"io/fs"
	"syscall"
)

// checkModes says that files have Unix modes and owners to check.
const checkModes = true

// ownerOf returns the user id that owns fi.
func ownerOf(fi fs.FileInfo) (int, bool) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, false
	}
	return int(st.Uid), true
}
