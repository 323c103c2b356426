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

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/ferry-ftp/ferry/transfer"
)

// DefaultInterval is how often Bars redraws its live lines.
const DefaultInterval = 65 * time.Millisecond

// rateWindow is how many frames the live rate is averaged over: about two
// seconds at the default interval.
const rateWindow = 32

// eol ends a live line: it clears the rest of the line, then moves to the
// start of the next one even when the terminal is in raw mode.
const eol = "\x1b[K\r\n"

// minNameWidth is the fewest columns a live line gives a file name.
const minNameWidth = 8

// barNameWidth is the fewest columns a live line gives a file name before
// it drops the bar to make room.
const barNameWidth = 20

// Bars draws one progress bar per running transfer on a writer, usually the
// command's error stream when it is a terminal. It is safe for concurrent use.
// See the package documentation for how parallel transfers are drawn.
type Bars struct {
	w        io.Writer
	fd       int // the terminal behind w, or -1
	live     bool
	width    int // columns, or 0 to ask the terminal
	height   int // rows, or 0 to ask the terminal; set by tests
	interval time.Duration
	now      func() time.Time

	mu      sync.Mutex
	active  []*fileBar // running transfers with a live line, in Start order
	pending []*fileBar // finished transfers whose final line is not yet drawn
	drawn   int        // live lines on the screen above the cursor
	running bool       // the redraw goroutine is running
	stop    chan struct{}
	exited  chan struct{}
	closed  bool
	err     error // the first write error; nothing is written after it
	buf     bytes.Buffer
}

var _ transfer.Progress = (*Bars)(nil)

// Option configures Bars.
type Option func(*Bars)

// WithLive sets whether Bars redraws live lines (true) or only prints each
// transfer's final line (false). By default it draws live lines when the
// writer is a terminal.
func WithLive(live bool) Option {
	return func(b *Bars) { b.live = live }
}

// WithWidth sets the number of columns lines must fit in. By default live
// lines fit the terminal (80 columns when its size is unknown) and final
// lines on a non-terminal are not shortened.
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
	fb.widget = newWidget(fb.size, fb.offset, min(max(cols-80, 10), 30))
	b.active = append(b.active, fb)
	if !b.running {
		b.running = true
		b.stop, b.exited = make(chan struct{}), make(chan struct{})
		go b.loop(b.stop, b.exited)
	}
	return fb
}

// Close stops redrawing and leaves the cursor below the bars. Transfers
// still running keep their last drawn line; when they finish, their final
// line is printed below. Close returns the first error met writing to w.
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
		b.drawLocked()
		b.active, b.drawn = nil, 0
	}
	err := b.err
	b.mu.Unlock()
	if exited != nil {
		<-exited
	}
	return err
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
		b.drawLocked()
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

// drawLocked draws one frame: the final lines of the transfers that finished
// since the last frame, then one line per running transfer. The caller holds
// b.mu.
func (b *Bars) drawLocked() {
	if b.drawn == 0 && len(b.pending) == 0 && len(b.active) == 0 {
		return
	}
	now := b.now()
	cols, rows := b.size()
	buf := &b.buf
	buf.Reset()
	if b.drawn > 0 {
		buf.WriteString("\x1b[" + strconv.Itoa(b.drawn) + "A")
	}
	buf.WriteByte('\r')
	for _, fb := range b.pending {
		buf.WriteString(fb.finalLine(cols))
		buf.WriteString(eol)
	}
	clear(b.pending)
	b.pending = b.pending[:0]

	shown, hidden := b.active, 0
	if rows > 1 && len(shown) > rows-1 {
		shown = shown[:max(rows-2, 1)]
		hidden = len(b.active) - len(shown)
	}
	lines := liveLines(shown, now, cols)
	if hidden > 0 {
		lines = append(lines, cut("… "+strconv.Itoa(hidden)+" more", cols-1))
	}
	for _, l := range lines {
		buf.WriteString(l)
		buf.WriteString(eol)
	}
	buf.WriteString("\x1b[J")
	b.drawn = len(lines)
	b.write(buf.Bytes())
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

type sample struct {
	t     time.Time
	moved int64
}

// Add counts n more bytes moved. It only adds to an atomic counter: the
// drawing goroutine reads it at its next frame.
func (fb *fileBar) Add(n int64) { fb.moved.Add(n) }

// Finish ends the transfer's bar and leaves its final line. Calls after the
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
	if i := slices.Index(b.active, fb); i >= 0 && !b.closed {
		b.active = slices.Delete(b.active, i, i+1)
		b.pending = append(b.pending, fb)
		b.drawLocked()
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

// bar updates the widget to the transfer's position and returns its text.
func (fb *fileBar) bar(moved int64) string {
	if fb.widget == nil {
		return ""
	}
	if fb.size > 0 {
		_ = fb.widget.Set64(min(fb.offset+moved, fb.size))
	} else if moved != fb.lastSeen {
		_ = fb.widget.RenderBlank() // one step of the spinner
	}
	return strings.TrimSpace(fb.widget.String())
}

// rate records a sample and returns the bytes per second over the last
// rateWindow frames, or since the start before that many.
func (fb *fileBar) rate(now time.Time, moved int64) float64 {
	fb.ring[fb.next] = sample{now, moved}
	fb.next = (fb.next + 1) % rateWindow
	old := fb.ring[fb.next]
	d := now.Sub(old.t).Seconds()
	if d <= 0 {
		return 0
	}
	return float64(moved-old.moved) / d
}

// columns returns a live line's columns after the name: bytes, bar, rate
// and ETA.
func (fb *fileBar) columns(now time.Time) [4]string {
	moved := fb.moved.Load()
	pos := fb.offset + moved
	r := fb.rate(now, moved)
	bar := fb.bar(moved)
	fb.lastSeen = moved
	if fb.size < 0 {
		return [4]string{FormatBytes(pos), bar, FormatRate(r), ""}
	}
	eta := time.Duration(-1)
	if r > 0 {
		eta = time.Duration(float64(max(fb.size-pos, 0)) / r * float64(time.Second))
	}
	return [4]string{
		FormatBytes(pos) + "/" + FormatBytes(fb.size),
		bar,
		FormatRate(r),
		"ETA " + formatETA(eta),
	}
}

// liveLines lays out the lines of running transfers as a table that fits in
// cols columns: the name, then the bytes and rate right-aligned, the bar and
// the ETA. When names would get fewer than barNameWidth columns, the bar is
// dropped; names are then shortened to fit.
func liveLines(fbs []*fileBar, now time.Time, cols int) []string {
	if len(fbs) == 0 {
		return nil
	}
	type cell struct {
		s string
		w int
	}
	rows := make([][4]cell, len(fbs))
	nameW := 0
	var colW [4]int
	for i, fb := range fbs {
		nameW = max(nameW, width(fb.name))
		for c, s := range fb.columns(now) {
			rows[i][c] = cell{s, width(s)}
			colW[c] = max(colW[c], rows[i][c].w)
		}
	}
	rest := func() int {
		n := 0
		for _, w := range colW {
			if w > 0 {
				n += 2 + w
			}
		}
		return n
	}
	if cols > 0 && cols-1-rest() < min(nameW, barNameWidth) {
		colW[1] = 0 // the name needs the room more than the bar does
	}
	if cols > 0 {
		nameW = min(nameW, max(cols-1-rest(), minNameWidth))
	}
	lines := make([]string, len(fbs))
	for i, fb := range fbs {
		var l strings.Builder
		name := shorten(fb.name, nameW)
		l.WriteString(pad(name, width(name), nameW, false))
		for c, cl := range rows[i] {
			if colW[c] > 0 {
				l.WriteString("  ")
				l.WriteString(pad(cl.s, cl.w, colW[c], c == 0 || c == 2))
			}
		}
		line := strings.TrimRight(l.String(), " ")
		if cols > 0 && nameW+rest() > cols-1 {
			line = cut(line, cols-1)
		}
		lines[i] = line
	}
	return lines
}

// finalLine returns the line left when the transfer ends, fitted into cols
// columns (0 for no limit): "name  12.0 MiB  35.2 MiB/s  done", or with
// "failed: <error>".
func (fb *fileBar) finalLine(cols int) string {
	moved := fb.moved.Load()
	pos := fb.offset + moved
	size := FormatBytes(pos)
	if fb.err != nil && fb.size > 0 && pos != fb.size {
		size += "/" + FormatBytes(fb.size)
	}
	status := "done"
	if fb.err != nil {
		msg, _, _ := strings.Cut(fb.err.Error(), "\n")
		status = "failed: " + sanitize(msg)
	} else if fb.offset > 0 {
		status += " (resumed at " + FormatBytes(fb.offset) + ")"
	}
	rest := "  " + size + "  " + FormatRate(float64(moved)/fb.end.Sub(fb.start).Seconds()) + "  " + status
	if cols <= 0 {
		return fb.name + rest
	}
	// The name keeps barNameWidth columns; a long error is cut instead.
	name := shorten(fb.name, max(cols-1-width(rest), barNameWidth))
	return cut(name+rest, cols-1)
}
