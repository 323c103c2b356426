package progress

import (
	"bytes"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/ferry-ftp/ferry/transfer"
)

// DefaultInterval is how often Bars redraws its live lines.
const DefaultInterval = 65 * time.Millisecond

// maxFileLines is the most files the live area shows at once; a line
// below them says how many more are running.
const maxFileLines = 8

// eol ends a live line: it clears the rest of the line, then moves to the
// start of the next one even when the terminal is in raw mode.
const eol = "\x1b[K\r\n"

// Bars shows the file transfers in flight on a terminal, usually the
// command's error stream: one line per file with its bar, under one line
// of totals once SetTotals is called, redrawn in place. It is safe for
// concurrent use. See the package documentation for what it draws and
// when.
type Bars struct {
	w        io.Writer
	fd       int // the terminal behind w, or -1
	live     bool
	verbose  bool
	width    int // columns, or 0 to ask the terminal
	height   int // rows, or 0 to ask the terminal; set by tests
	interval time.Duration
	now      func() time.Time

	mu         sync.Mutex
	active     []*fileBar   // running transfers with a live line, in Start order
	total      *fileBar     // the totals line, nil until SetTotals
	totalFiles int          // the files the job moves, from SetTotals
	tally      tally        // what finished transfers add to the totals
	lines      []string     // the live lines of the last frame
	above      bytes.Buffer // lines to print above the live area at the next frame
	partial    []byte       // the unfinished last line of Write
	drawn      int          // live lines on the screen above the cursor
	running    bool         // the redraw goroutine is running
	stop       chan struct{}
	exited     chan struct{}
	closed     bool
	err        error // the first write error; nothing is written after it
	buf        bytes.Buffer
}

var (
	_ transfer.Progress = (*Bars)(nil)
	_ transfer.Totals   = (*Bars)(nil)
	_ io.Writer         = (*Bars)(nil)
)

// Option configures Bars.
type Option func(*Bars)

// WithLive sets whether Bars draws live lines (true) or nothing but the
// lines WithVerbose asks for (false). By default it draws live lines when
// the writer is a terminal.
func WithLive(live bool) Option {
	return func(b *Bars) { b.live = live }
}

// WithVerbose sets whether each finished transfer leaves a line ("name
// 12.0 MiB  35.2 MiB/s  done"): above the live lines on a terminal, as a
// plain line elsewhere. By default finished transfers leave nothing: the
// caller prints failures and the summary.
func WithVerbose(verbose bool) Option {
	return func(b *Bars) { b.verbose = verbose }
}

// WithWidth sets the number of columns lines must fit in. By default live
// lines fit the terminal (80 columns when its size is unknown) and lines
// on a non-terminal are not shortened.
func WithWidth(columns int) Option {
	return func(b *Bars) { b.width = columns }
}

// WithInterval sets how often live lines are redrawn (DefaultInterval by
// default).
func WithInterval(d time.Duration) Option {
	return func(b *Bars) { b.interval = d }
}

// NewBars returns Bars that draw on w; a nil w means os.Stderr.
func NewBars(w io.Writer, opts ...Option) *Bars {
	if w == nil {
		w = os.Stderr
	}
	b := &Bars{w: w, fd: -1, interval: DefaultInterval, now: time.Now}
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		b.fd = int(f.Fd())
		b.live = true
	}
	for _, o := range opts {
		o(b)
	}
	if b.interval <= 0 {
		b.interval = DefaultInterval
	}
	return b
}

// Start begins a bar for one file transfer.
func (b *Bars) Start(name string, size, offset int64) transfer.FileProgress {
	offset = max(offset, 0)
	if size >= 0 {
		offset = min(offset, size)
	}
	fb := &fileBar{bars: b, name: sanitize(name), size: size, offset: offset, start: b.now()}
	for i := range fb.ring {
		fb.ring[i].t = fb.start
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.live || b.closed {
		return fb
	}
	cols, _ := b.size()
	fb.widget = newWidget(fb.size, fb.offset, barColumns(cols))
	b.active = append(b.active, fb)
	b.runLocked()
	return fb
}

// Write prints p above the live lines: it clears them, writes p and draws
// them again below, so that a message printed while transfers run (a
// failure, a warning) neither garbles them nor is overwritten. Only whole
// lines are printed at once; text after the last newline waits for the
// next Write or for Close. On a terminal, control characters other than
// tabs are written as '?', since they would break the redraw. When Bars
// draws no live lines (not a terminal, or closed), p goes to the writer
// unchanged. Write returns the first error met writing to the writer.
func (b *Bars) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.live || b.closed {
		b.write(p)
	} else {
		b.partial = append(b.partial, p...)
		if i := bytes.LastIndexByte(b.partial, '\n'); i >= 0 {
			for l := range strings.Lines(string(b.partial[:i+1])) {
				b.above.WriteString(sanitizeLine(strings.TrimRight(l, "\r\n")))
				b.above.WriteString(eol)
			}
			b.partial = append(b.partial[:0], b.partial[i+1:]...)
			b.drawLocked(false)
		}
	}
	if b.err != nil {
		return 0, b.err
	}
	return len(p), nil
}

// Close stops redrawing and clears the live lines, leaving the cursor
// where they began, so that what the caller prints next (the summary) is
// all that remains of them. Text written with Write and not yet printed
// is printed. Transfers still running draw nothing more. Close returns
// the first error met writing to the writer.
func (b *Bars) Close() error {
	b.mu.Lock()
	var exited chan struct{}
	if !b.closed {
		b.closed = true
		if b.running {
			close(b.stop)
			exited = b.exited
			b.running = false
		}
		if len(b.partial) > 0 {
			b.above.WriteString(sanitizeLine(string(b.partial)))
			b.partial = nil
		}
		b.lines = nil
		b.drawLocked(false)
		b.active, b.total, b.drawn = nil, nil, 0
	}
	err := b.err
	b.mu.Unlock()
	if exited != nil {
		<-exited
	}
	return err
}

// runLocked starts the redraw goroutine unless it runs. The caller holds
// b.mu.
func (b *Bars) runLocked() {
	if b.running {
		return
	}
	b.running = true
	b.stop, b.exited = make(chan struct{}), make(chan struct{})
	go b.loop(b.stop, b.exited)
}

// loop redraws the live lines every interval until stop is closed or no
// transfer is running.
func (b *Bars) loop(stop <-chan struct{}, exited chan<- struct{}) {
	defer close(exited)
	tick := time.NewTicker(b.interval)
	defer tick.Stop()
	for {
		select {
		case <-stop:
			return
		case <-tick.C:
		}
		b.mu.Lock()
		if b.closed || !b.running {
			b.mu.Unlock()
			return
		}
		b.drawLocked(true)
		if len(b.active) == 0 {
			b.running = false
			b.mu.Unlock()
			return
		}
		b.mu.Unlock()
	}
}

// size returns the columns lines must fit in (0 for no limit) and the
// terminal's height (0 when unknown).
func (b *Bars) size() (cols, rows int) {
	cols, rows = b.width, b.height
	if b.fd >= 0 {
		if w, h, err := term.GetSize(b.fd); err == nil {
			if cols == 0 {
				cols = w
			}
			if rows == 0 {
				rows = h
			}
		}
	}
	if cols == 0 && b.live {
		cols = 80
	}
	return cols, rows
}

// write sends p to w, unless an earlier write failed.
func (b *Bars) write(p []byte) {
	if b.err != nil {
		return
	}
	if _, err := b.w.Write(p); err != nil {
		b.err = err
	}
}

// drawLocked draws one frame in one Write: it moves the cursor back to the
// first live line, prints the lines waiting above the live area, then the
// live lines (laid out anew when render is set, else those of the last
// frame), and clears what is left below. The caller holds b.mu.
func (b *Bars) drawLocked(render bool) {
	if render {
		b.lines = b.layoutLocked()
	}
	if b.drawn == 0 && b.above.Len() == 0 && len(b.lines) == 0 {
		return
	}
	buf := &b.buf
	buf.Reset()
	if b.drawn > 0 {
		buf.WriteString("\x1b[" + strconv.Itoa(b.drawn) + "A")
	}
	buf.WriteByte('\r')
	buf.Write(b.above.Bytes())
	b.above.Reset()
	for _, l := range b.lines {
		buf.WriteString(l)
		buf.WriteString(eol)
	}
	buf.WriteString("\x1b[J")
	b.drawn = len(b.lines)
	b.write(buf.Bytes())
}

// layoutLocked returns the live lines: the totals line when there is one,
// then one line per running transfer, as many as the terminal's height
// and maxFileLines allow, in the order they started, and "… N more" for
// the others. The caller holds b.mu.
func (b *Bars) layoutLocked() []string {
	now := b.now()
	cols, rows := b.size()
	var fbs []*fileBar
	if b.total != nil {
		b.updateTotalLocked()
		fbs = append(fbs, b.total)
	}
	// room is the number of lines the files may take, "… N more" included.
	room := maxFileLines + 1
	if rows > 1 {
		room = min(room, rows-1-len(fbs))
	}
	shown, hidden := b.active, 0
	if len(shown) > min(room, maxFileLines) {
		shown = shown[:max(min(room-1, maxFileLines), 1)]
		hidden = len(b.active) - len(shown)
	}
	lines := liveLines(append(fbs, shown...), now, cols)
	if hidden > 0 {
		lines = append(lines, cut("… "+strconv.Itoa(hidden)+" more", cols-1))
	}
	if rows > 0 && len(lines) > rows-1 {
		// A terminal of a few rows: the live area must never reach its
		// last row, or each frame would scroll it.
		lines = lines[:max(rows-1, 0)]
	}
	return lines
}

// fileBar follows one transfer for Bars.
type fileBar struct {
	bars         *Bars
	name         string
	size, offset int64
	start        time.Time
	moved        atomic.Int64 // bytes moved by this transfer, not counting offset

	// Guarded by bars.mu.
	widget   *progressbar.ProgressBar // nil without a live line or bar
	ring     [rateWindow]sample       // recent (time, moved) samples
	next     int                      // the oldest sample in ring
	lastSeen int64                    // moved at the previous frame
	done     bool
	err      error
	end      time.Time
}

// Add counts n more bytes moved. It only adds to an atomic counter: the
// drawing goroutine reads it at its next frame.
func (fb *fileBar) Add(n int64) { fb.moved.Add(n) }

// Finish ends the transfer: its line leaves the live area at the next
// frame, and with WithVerbose its final line is printed. Calls after the
// first are ignored.
func (fb *fileBar) Finish(err error) {
	b := fb.bars
	end := b.now()
	b.mu.Lock()
	defer b.mu.Unlock()
	if fb.done {
		return
	}
	fb.done, fb.err, fb.end = true, err, end
	b.tally.add(fb)
	i := slices.Index(b.active, fb)
	if i >= 0 {
		b.active = slices.Delete(b.active, i, i+1)
	}
	if !b.verbose {
		return
	}
	if i >= 0 && !b.closed {
		cols, _ := b.size()
		b.above.WriteString(fb.finalLine(cols))
		b.above.WriteString(eol)
		b.drawLocked(true)
		return
	}
	cols := b.width
	if b.live {
		cols, _ = b.size()
	}
	b.write([]byte(fb.finalLine(cols) + "\n"))
}

// newWidget returns the progressbar that draws the bar of a live line: a
// bar of cols columns with its percentage for a known size, or a spinner for
// an unknown one. It returns nil for an empty file.
func newWidget(size, offset int64, cols int) *progressbar.ProgressBar {
	if size == 0 {
		return nil
	}
	pb := progressbar.NewOptions64(size,
		progressbar.OptionSetWriter(io.Discard), // drawLocked writes pb.String()
		progressbar.OptionSetWidth(cols),
		progressbar.OptionSetPredictTime(false),
		progressbar.OptionSetElapsedTime(false),
		progressbar.OptionSetSpinnerChangeInterval(0), // no goroutine of its own
		progressbar.OptionSpinnerType(14),
	)
	if size > 0 && offset > 0 {
		_ = pb.Set64(min(offset, size))
	}
	_ = pb.RenderBlank()
	return pb
}

// barColumns is the width of a bar on a terminal of cols columns.
func barColumns(cols int) int { return min(max(cols-80, 10), 30) }

// sanitizeLine replaces the control characters of s, but tabs, with '?'.
func sanitizeLine(s string) string {
	return strings.Map(func(r rune) rune {
		if r != '\t' && unicode.IsControl(r) {
			return '?'
		}
		return r
	}, s)
}
