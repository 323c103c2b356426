package ops

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/ferry-ftp/ferry/transfer"
)

// actionLog writes --log FILE: one JSON line per action of a tree job,
// appended to the file.
type actionLog struct {
	mu   sync.Mutex
	file *os.File
	enc  *json.Encoder
	err  error // the first write error
	dir  transfer.Direction
	name string
}

// logLine is the JSON shape of one line of --log.
type logLine struct {
	Time string `json:"time"`
	// Action is get, put, mkdir, delete, rmdir, keep or skip; Path is
	// relative to the trees' roots, Remote and Local are in full.
	Action string `json:"action"`
	Path   string `json:"path"`
	Remote string `json:"remote"`
	Local  string `json:"local"`
	Reason string `json:"reason,omitempty"`
	Bytes  int64  `json:"bytes"`
	// Result is ok, failed, skipped, kept, or planned (--dry-run).
	Result string `json:"result"`
	Error  string `json:"error,omitempty"`
}

// openActionLog opens name for appending, or returns nil for "". The
// log must lie outside the local tree localDir: a mirror would copy it
// while it grows, or delete it with --delete.
func openActionLog(name, localDir string, dir transfer.Direction) (*actionLog, error) {
	if name == "" {
		return nil, nil
	}
	if a, err := filepath.Abs(name); err == nil {
		if b, err := filepath.Abs(localDir); err == nil && strings.HasPrefix(a, strings.TrimSuffix(b, string(filepath.Separator))+string(filepath.Separator)) {
			return nil, usageErrorf("--log %s lies inside the local folder %s: the job would copy or delete it", name, localDir)
		}
	}
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return nil, &transfer.LocalError{Op: "open log", Path: name, Err: err}
	}
	return &actionLog{file: f, enc: json.NewEncoder(f), dir: dir, name: name}, nil
}

// write logs one action; a nil log does nothing.
func (l *actionLog) write(a transfer.Action, remote, local string, bytes int64, err error, planned bool) {
	if l == nil {
		return
	}
	line := logLine{Time: time.Now().UTC().Format(time.RFC3339Nano), Action: a.Verb(l.dir), Path: a.Path,
		Remote: remote, Local: local, Reason: a.Reason, Bytes: bytes, Result: "ok"}
	switch {
	case planned:
		line.Result = "planned"
	case err != nil:
		line.Result, line.Error = "failed", err.Error()
	case a.Kind == transfer.Skip:
		line.Result = "skipped"
	case a.Kind == transfer.Keep:
		line.Result = "kept"
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if werr := l.enc.Encode(line); werr != nil && l.err == nil {
		l.err = werr
	}
}

// close closes the log and returns the first error writing it had.
func (l *actionLog) close() error {
	if l == nil {
		return nil
	}
	err := l.file.Close()
	if l.err != nil {
		err = l.err
	}
	if err != nil {
		return &transfer.LocalError{Op: "write log", Path: l.name, Err: err}
	}
	return nil
}
