package transfer

import (
	"errors"
	"fmt"
	"os"
	"time"
)

// ErrSourceChanged reports a local file that changed while it was
// uploaded: what the server received may mix two versions of it. It is
// transient (see Transient): the retry sends the file again, whole.
var ErrSourceChanged = errors.New("the file changed while it was sent")

// fileState is what tells that an open local file changed: its size, its
// modification time and, where the system keeps one, its change time,
// which a writer cannot set back (a writer that restores the
// modification time after rewriting a file in place still moves it).
type fileState struct {
	size         int64
	mtime, ctime time.Time
}

// stateOf returns the state of the open file f.
func stateOf(f *os.File) (fileState, error) {
	fi, err := f.Stat()
	if err != nil {
		return fileState{}, err
	}
	return fileState{size: fi.Size(), mtime: fi.ModTime(), ctime: changeTime(f)}, nil
}

// checkSource compares the state of the upload's local file with the one
// it had when the upload opened it, and returns an error wrapping
// ErrSourceChanged when it changed.
func (j *putJob) checkSource() error {
	now, err := stateOf(j.f)
	if err != nil {
		return localErr("stat", j.local, err)
	}
	was := j.state
	switch {
	case now.size != was.size:
		return fmt.Errorf("%s: %w: %d bytes when it was opened, %d now", j.local, ErrSourceChanged, was.size, now.size)
	case !now.mtime.Equal(was.mtime) || !now.ctime.Equal(was.ctime):
		return fmt.Errorf("%s: %w: it was modified during the upload", j.local, ErrSourceChanged)
	}
	return nil
}
