package progress

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/ferry-ftp/ferry/transfer"
)

// FileResult is the outcome of one file transfer.
type FileResult struct {
	Name   string
	Size   int64 // the file's full size, or -1 when unknown
	Offset int64 // how much of the file was already in place (a resumed transfer)
	Bytes  int64 // bytes moved by this transfer, not counting Offset
	Err    error // nil when the transfer succeeded
	// Duration is the time from Start to Finish.
	Duration time.Duration
}

// Totals adds up the finished transfers of a Summary.
type Totals struct {
	Files  int   // files finished, with or without an error
	Failed int   // files finished with an error
	Bytes  int64 // bytes moved, not counting resume offsets
	// Duration is the wall-clock time from the first Start to the last
	// Finish. Transfers run in parallel, so it is less than the sum of
	// their durations.
	Duration time.Duration
}

// Summary is a transfer.Progress that draws nothing and records per-file
// results for the end-of-command summary and the --json output. It is safe
// for concurrent use. The zero value is not ready; use NewSummary.
type Summary struct {
	now func() time.Time

	mu    sync.Mutex
	files []*summaryFile // in the order Start was called
	first time.Time      // the earliest start of a finished file
	last  time.Time      // the latest finish
}

var _ transfer.Progress = (*Summary)(nil)

// NewSummary returns an empty Summary.
func NewSummary() *Summary {
	return &Summary{now: time.Now}
}

// Start records the beginning of a file transfer.
func (s *Summary) Start(name string, size, offset int64) transfer.FileProgress {
	f := &summaryFile{s: s, name: name, size: size, offset: offset, start: s.now()}
	s.mu.Lock()
	s.files = append(s.files, f)
	s.mu.Unlock()
	return f
}

// Files returns the results of the transfers that have finished, in the
// order they started.
func (s *Summary) Files() []FileResult {
	s.mu.Lock()
	defer s.mu.Unlock()
	var rs []FileResult
	for _, f := range s.files {
		if f.done {
			rs = append(rs, FileResult{
				Name:     f.name,
				Size:     f.size,
				Offset:   f.offset,
				Bytes:    f.bytes.Load(),
				Err:      f.err,
				Duration: f.duration,
			})
		}
	}
	return rs
}

// Totals adds up the transfers that have finished.
func (s *Summary) Totals() Totals {
	s.mu.Lock()
	defer s.mu.Unlock()
	var t Totals
	for _, f := range s.files {
		if !f.done {
			continue
		}
		t.Files++
		if f.err != nil {
			t.Failed++
		}
		t.Bytes += f.bytes.Load()
	}
	if t.Files > 0 {
		t.Duration = s.last.Sub(s.first)
	}
	return t
}

// summaryFile follows one transfer for a Summary.
type summaryFile struct {
	s            *Summary
	name         string
	size, offset int64
	start        time.Time
	bytes        atomic.Int64

	// Guarded by s.mu.
	done     bool
	err      error
	duration time.Duration
}

// Add counts n more bytes moved.
func (f *summaryFile) Add(n int64) { f.bytes.Add(n) }

// Finish records the end of the transfer. Calls after the first are ignored.
func (f *summaryFile) Finish(err error) {
	end := f.s.now()
	s := f.s
	s.mu.Lock()
	defer s.mu.Unlock()
	if f.done {
		return
	}
	f.done, f.err, f.duration = true, err, end.Sub(f.start)
	if s.first.IsZero() || f.start.Before(s.first) {
		s.first = f.start
	}
	if end.After(s.last) {
		s.last = end
	}
}

// Tee returns a Progress that reports to all of ps, in order. Nil entries
// are skipped; with nothing left it returns transfer.Discard.
func Tee(ps ...transfer.Progress) transfer.Progress {
	var t tee
	for _, p := range ps {
		if p != nil {
			t = append(t, p)
		}
	}
	switch len(t) {
	case 0:
		return transfer.Discard{}
	case 1:
		return t[0]
	}
	return t
}

type tee []transfer.Progress

func (t tee) Start(name string, size, offset int64) transfer.FileProgress {
	fs := make(teeFile, len(t))
	for i, p := range t {
		fs[i] = p.Start(name, size, offset)
	}
	return fs
}

type teeFile []transfer.FileProgress

func (fs teeFile) Add(n int64) {
	for _, f := range fs {
		f.Add(n)
	}
}

func (fs teeFile) Finish(err error) {
	for _, f := range fs {
		f.Finish(err)
	}
}
