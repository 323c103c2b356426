package transfer

import (
	"errors"
	"fmt"
)

// LocalError is a failure of the local file system: a folder that cannot
// be written, a full disk, a missing file to upload. Commands map it to
// its own exit code.
type LocalError struct {
	Op   string // "create", "write", "open", "rename"...
	Path string
	Err  error
}

func (e *LocalError) Error() string {
	return fmt.Sprintf("local %s %q: %v", e.Op, e.Path, e.Err)
}

func (e *LocalError) Unwrap() error { return e.Err }

func localErr(op, path string, err error) error {
	if err == nil {
		return nil
	}
	return &LocalError{Op: op, Path: path, Err: err}
}

// isLocal reports whether err is a LocalError.
func isLocal(err error) bool {
	var le *LocalError
	return errors.As(err, &le)
}
