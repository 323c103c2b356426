//go:build !unix

package transfer

import "os"

// fileLock stands for an advisory lock where ferry takes none.
type fileLock struct{}

// tryLock takes no lock on systems without flock.
func tryLock(*os.File) (*fileLock, error) { return &fileLock{}, nil }

// Unlock does nothing.
func (*fileLock) Unlock() {}

// owner knows no owners here.
func owner(os.FileInfo) (uid, gid int, ok bool) { return -1, -1, false }

// keepOwner changes nothing here.
func keepOwner(*os.File, int, int) bool { return true }
