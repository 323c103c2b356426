package transfer

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

// moveLocal moves the local file or folder from to the free name to, for
// a backup: with a rename, or, when to lies on another file system
// (EXDEV), by copying from to to and then removing from, as the backup of
// a replaced file copies it. A copy that fails is removed again, and from
// is left as it was.
func moveLocal(from, to string) error {
	err := os.Rename(from, to)
	if !errors.Is(err, syscall.EXDEV) {
		return err
	}
	made, err := copyLocalTree(from, to)
	if err != nil {
		if made {
			os.RemoveAll(to)
		}
		return fmt.Errorf("copying across file systems: %w", err)
	}
	if err := os.RemoveAll(from); err != nil {
		return fmt.Errorf("copied across file systems, but removing the original: %w", err)
	}
	return nil
}

// copyLocalTree copies the regular file or the folder from, with all it
// holds, to the new path to, keeping modes and modification times. made
// says whether to was created. Symbolic links and special files are not
// copied: ferry makes no link, so a folder holding one fails.
func copyLocalTree(from, to string) (made bool, err error) {
	fi, err := os.Lstat(from)
	switch {
	case err != nil:
		return false, err
	case fi.Mode().IsRegular():
		if err := copyLocalFile(from, to); err != nil {
			_, serr := os.Lstat(to)
			return serr == nil && !errors.Is(err, os.ErrExist), err
		}
		return true, nil
	case !fi.IsDir():
		return false, fmt.Errorf("%s is not a regular file or folder: not copied", from)
	}
	if err := os.Mkdir(to, fi.Mode().Perm()|0o700); err != nil {
		return false, err
	}
	entries, err := os.ReadDir(from)
	if err != nil {
		return true, err
	}
	for _, e := range entries {
		if _, err := copyLocalTree(filepath.Join(from, e.Name()), filepath.Join(to, e.Name())); err != nil {
			return true, err
		}
	}
	if err := os.Chmod(to, fi.Mode().Perm()); err != nil {
		return true, err
	}
	return true, os.Chtimes(to, fi.ModTime(), fi.ModTime())
}
