package progress

import (
	"strconv"
	"sync/atomic"

	"github.com/ferry-ftp/ferry/transfer"
)

// Overall adds to a Bars a line that totals a job of many files (a
// mirror, a recursive get or put): the files done of the total, the bytes
// moved of the total, the aggregate rate and the time left. The line
// appears when the engine calls SetTotals, before the files start, so it
// stays above their bars. Overall implements transfer.Progress and
// transfer.Totals; each file still gets its own bar from the Bars.
type Overall struct {
	bars  *Bars
	files atomic.Int64
	done  atomic.Int64
	total atomic.Pointer[fileBar] // nil until SetTotals
}

var (
	_ transfer.Progress = (*Overall)(nil)
	_ transfer.Totals   = (*Overall)(nil)
)

// NewOverall returns an Overall that draws on b.
func NewOverall(b *Bars) *Overall { return &Overall{bars: b} }

// SetTotals starts the total line for files files of bytes bytes in all.
// Calls after the first are ignored.
func (o *Overall) SetTotals(files int, bytes int64) {
	if o.total.Load() != nil || files == 0 {
		return
	}
	o.files.Store(int64(files))
	if fb, ok := o.bars.Start(o.label(), bytes, 0).(*fileBar); ok {
		o.total.Store(fb)
	}
}

// label names the total line: "total 12/2000 files".
func (o *Overall) label() string {
	return "total " + strconv.FormatInt(o.done.Load(), 10) + "/" + strconv.FormatInt(o.files.Load(), 10) + " files"
}

// Start begins one file's bar; its bytes count into the total.
func (o *Overall) Start(name string, size, offset int64) transfer.FileProgress {
	return &overallFile{o: o, fp: o.bars.Start(name, size, offset)}
}

// Close ends the total line and closes the Bars.
func (o *Overall) Close() error {
	if t := o.total.Load(); t != nil {
		t.Finish(nil)
	}
	return o.bars.Close()
}

type overallFile struct {
	o  *Overall
	fp transfer.FileProgress
}

func (f *overallFile) Add(n int64) {
	f.fp.Add(n)
	if t := f.o.total.Load(); t != nil {
		t.Add(n)
	}
}

func (f *overallFile) Finish(err error) {
	f.fp.Finish(err)
	if err != nil {
		return
	}
	f.o.done.Add(1)
	if t := f.o.total.Load(); t != nil {
		b := f.o.bars
		b.mu.Lock()
		t.name = f.o.label()
		b.mu.Unlock()
	}
}
