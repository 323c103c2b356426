package transfer

import (
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// dirRoots is the localFS of a tree job: an os.Root at the tree's top,
// with an os.Root of its own for each folder a file is handled in, opened
// once and kept. os.Root resolves a path one element at a time, opening
// each folder on the way; with a root per folder, each operation on a
// file is one system call on its name, which matters for thousands of
// small files. Paths are relative to the top; nothing resolves outside
// it, as with a single os.Root. dirRoots is safe for concurrent use.
type dirRoots struct {
	top *os.Root

	mu    sync.Mutex
	roots map[string]*os.Root // by folder, relative to top
}

var _ localFS = (*dirRoots)(nil)

func newDirRoots(top *os.Root) *dirRoots {
	return &dirRoots{top: top, roots: map[string]*os.Root{}}
}

// at returns the root of name's folder and name's last element.
func (d *dirRoots) at(name string) (*os.Root, string, error) {
	dir, base := filepath.Split(name)
	dir = filepath.Clean(dir)
	if dir == "." {
		return d.top, base, nil
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if r, ok := d.roots[dir]; ok {
		return r, base, nil
	}
	r, err := d.top.OpenRoot(dir)
	if err != nil {
		return nil, "", err
	}
	d.roots[dir] = r
	return r, base, nil
}

// Close closes the folders' roots, not the top.
func (d *dirRoots) Close() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, r := range d.roots {
		r.Close()
	}
	d.roots = map[string]*os.Root{}
	return nil
}

func (d *dirRoots) Open(name string) (*os.File, error) {
	r, base, err := d.at(name)
	if err != nil {
		return nil, err
	}
	return r.Open(base)
}

func (d *dirRoots) OpenFile(name string, flag int, perm os.FileMode) (*os.File, error) {
	r, base, err := d.at(name)
	if err != nil {
		return nil, err
	}
	return r.OpenFile(base, flag, perm)
}

func (d *dirRoots) Lstat(name string) (fs.FileInfo, error) {
	r, base, err := d.at(name)
	if err != nil {
		return nil, err
	}
	return r.Lstat(base)
}

func (d *dirRoots) Stat(name string) (fs.FileInfo, error) {
	r, base, err := d.at(name)
	if err != nil {
		return nil, err
	}
	return r.Stat(base)
}

func (d *dirRoots) Remove(name string) error {
	r, base, err := d.at(name)
	if err != nil {
		return err
	}
	return r.Remove(base)
}

// Rename renames within one folder with that folder's root, and across
// folders with the top's.
func (d *dirRoots) Rename(oldname, newname string) error {
	if filepath.Dir(oldname) != filepath.Dir(newname) {
		return d.top.Rename(oldname, newname)
	}
	r, oldBase, err := d.at(oldname)
	if err != nil {
		return err
	}
	return r.Rename(oldBase, filepath.Base(newname))
}

func (d *dirRoots) Chtimes(name string, atime, mtime time.Time) error {
	r, base, err := d.at(name)
	if err != nil {
		return err
	}
	return r.Chtimes(base, atime, mtime)
}
