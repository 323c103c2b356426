package transfer

import (
	"io/fs"
	"os"
	"time"
)

// localFS is where a transfer reads and writes local files: the plain
// file system for single files, or an os.Root for trees, so that no name
// from a server can reach outside the target folder. *os.Root satisfies
// it.
type localFS interface {
	Open(name string) (*os.File, error)
	OpenFile(name string, flag int, perm os.FileMode) (*os.File, error)
	Lstat(name string) (fs.FileInfo, error)
	Stat(name string) (fs.FileInfo, error)
	Remove(name string) error
	Rename(oldname, newname string) error
	Chtimes(name string, atime, mtime time.Time) error
}

// osFS is the plain file system.
type osFS struct{}

func (osFS) Open(name string) (*os.File, error) { return os.Open(name) }
func (osFS) OpenFile(name string, flag int, perm os.FileMode) (*os.File, error) {
	return os.OpenFile(name, flag, perm)
}
func (osFS) Lstat(name string) (fs.FileInfo, error)    { return os.Lstat(name) }
func (osFS) Stat(name string) (fs.FileInfo, error)     { return os.Stat(name) }
func (osFS) Remove(name string) error                  { return os.Remove(name) }
func (osFS) Rename(oldname, newname string) error      { return os.Rename(oldname, newname) }
func (osFS) Chtimes(name string, a, m time.Time) error { return os.Chtimes(name, a, m) }

var (
	_ localFS = osFS{}
	_ localFS = (*os.Root)(nil)
)
