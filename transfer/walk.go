package transfer

import (
	"errors"
	"io/fs"
	"os"
	"path"
	"slices"
	"strings"
)

// walkRoot walks the tree of root as fs.WalkDir walks root.FS(), in
// lexical order, with the same rules for fn's errors, fs.SkipDir and
// fs.SkipAll, but without io/fs's rule that paths are UTF-8: local names
// are bytes, and a folder named in latin1 ("d\xe9j\xe0") must be entered
// like any other, so that it round-trips to and from a server byte for
// byte. Symbolic links are not followed. Paths are slash-separated and
// relative to root, "." for root itself.
func walkRoot(root *os.Root, fn fs.WalkDirFunc) error {
	info, err := root.Lstat(".")
	if err != nil {
		err = fn(".", nil, err)
	} else {
		err = walkRootDir(root, ".", fs.FileInfoToDirEntry(info), fn)
	}
	if errors.Is(err, fs.SkipDir) || errors.Is(err, fs.SkipAll) {
		return nil
	}
	return err
}

// walkRootDir walks name, whose entry is d, and below it.
func walkRootDir(root *os.Root, name string, d fs.DirEntry, fn fs.WalkDirFunc) error {
	if err := fn(name, d, nil); err != nil || !d.IsDir() {
		if errors.Is(err, fs.SkipDir) && d.IsDir() {
			err = nil
		}
		return err
	}
	entries, err := readRootDir(root, name)
	if err != nil {
		// A second call reports the error, as fs.WalkDir does.
		if err = fn(name, d, err); err != nil {
			if errors.Is(err, fs.SkipDir) {
				err = nil
			}
			return err
		}
	}
	for _, e := range entries {
		if err := walkRootDir(root, path.Join(name, e.Name()), e, fn); err != nil {
			if errors.Is(err, fs.SkipDir) {
				break
			}
			return err
		}
	}
	return nil
}

// readRootDir reads the folder name of root, sorted by name.
func readRootDir(root *os.Root, name string) ([]fs.DirEntry, error) {
	f, err := root.Open(name)
	if err != nil {
		return nil, err
	}
	entries, err := f.ReadDir(-1)
	f.Close()
	slices.SortFunc(entries, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	return entries, err
}
