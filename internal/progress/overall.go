package progress

import "strconv"

// tally adds up the finished transfers of a Bars for its totals line.
type tally struct {
	files int   // files moved without an error
	moved int64 // bytes moved, failed transfers included, offsets not
	pos   int64 // the position reached by files moved: their offsets and bytes
}

// add counts a finished transfer. A failed transfer's bytes count into
// the rate only: the same file's retry starts again or resumes (its offset
// then counts), and counting them into the position too would count them
// twice.
func (t *tally) add(fb *fileBar) {
	m := fb.moved.Load()
	t.moved += m
	if fb.err == nil {
		t.files++
		t.pos += fb.offset + m
	}
}

// SetTotals tells Bars that the job (a mirror, a recursive or multi-file
// get or put) moves files files of bytes bytes in all. From then on the
// live area starts with a totals line: the files done of the total, the
// bytes of the total, its bar, the aggregate rate and the time left. Only
// the first call with more than one file counts; with one file, the file's
// own line says it all.
func (b *Bars) SetTotals(files int, bytes int64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if files <= 1 || b.total != nil || !b.live || b.closed {
		return
	}
	b.total = &fileBar{bars: b, size: max(bytes, 0), start: b.now()}
	for i := range b.total.ring {
		b.total.ring[i].t = b.total.start
	}
	b.total.name = totalLabel(0, files)
	cols, _ := b.size()
	b.total.widget = newWidget(b.total.size, 0, barColumns(cols))
	b.totalFiles = files
	b.runLocked()
}

// updateTotalLocked sets the totals line's name, bytes moved and position
// from the finished transfers and the running ones. The caller holds b.mu.
func (b *Bars) updateTotalLocked() {
	moved, pos := b.tally.moved, b.tally.pos
	for _, fb := range b.active {
		m := fb.moved.Load()
		moved += m
		pos += fb.offset + m
	}
	t := b.total
	t.name = totalLabel(b.tally.files, b.totalFiles)
	t.moved.Store(moved)
	t.offset = pos - moved // so that its position is pos and its rate counts moved
}

// totalLabel names the totals line: "total 12/2000 files".
func totalLabel(done, files int) string {
	return "total " + strconv.Itoa(done) + "/" + strconv.Itoa(files) + " files"
}
