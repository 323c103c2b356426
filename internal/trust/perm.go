package trust

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// PermError is a trust store that others could have written to: its file
// or its folder is writable by group or others, or not owned by the user.
// ferry refuses to use it, as ssh refuses such files, since whoever can
// write it can make ferry trust any certificate.
type PermError struct {
	// Path is the file or folder at fault.
	Path string
	// Problem says what is wrong with it.
	Problem string
	// Fix is the command that fixes it.
	Fix string
}

func (e *PermError) Error() string {
	return fmt.Sprintf("trust store: %q is %s, so anyone could have added a certificate to it: ferry will not use it (fix: %s)",
		e.Path, e.Problem, e.Fix)
}

// CheckPerms returns a *PermError when the trust store at path, or the
// folder it is in, is writable by group or others or not owned by the
// user. A missing file is no error (there is nothing to trust), whatever
// its folder. On systems without Unix modes (Windows) it checks nothing.
func CheckPerms(path string) error {
	if !checkModes {
		return nil
	}
	fi, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if err := checkOne(path, fi); err != nil {
		return err
	}
	dir := filepath.Dir(path)
	di, err := os.Stat(dir)
	if err != nil {
		return err
	}
	return checkOne(dir, di)
}

// checkOne checks one file or folder.
func checkOne(path string, fi fs.FileInfo) error {
	if uid, ok := ownerOf(fi); ok && uid != os.Getuid() {
		return &PermError{Path: path, Problem: fmt.Sprintf("owned by another user (uid %d)", uid),
			Fix: fmt.Sprintf("chown %d %q", os.Getuid(), path)}
	}
	if fi.Mode().Perm()&0o022 != 0 {
		who := "group and others"
		switch fi.Mode().Perm() & 0o022 {
		case 0o020:
			who = "group"
		case 0o002:
			who = "others"
		}
		return &PermError{Path: path, Problem: "writable by " + who, Fix: fmt.Sprintf("chmod go-w %q", path)}
	}
	return nil
}

// tightenDir makes dir, the trust store's folder, mode 0700 when the user
// owns it and it is open to anyone else.
func tightenDir(dir string) error {
	fi, err := os.Stat(dir)
	if err != nil {
		return err
	}
	if uid, ok := ownerOf(fi); ok && uid != os.Getuid() {
		return nil
	}
	if fi.Mode().Perm()&0o077 == 0 {
		return nil
	}
	return os.Chmod(dir, 0o700)
}
