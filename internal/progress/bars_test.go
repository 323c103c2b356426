package progress

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ferry-ftp/ferry/internal/testsupport"
	"github.com/ferry-ftp/ferry/transfer"
)

const (
	kib = 1 << 10
	mib = 1 << 20
)

// clock is a fake time source that moves only when told.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// newTestBars returns live Bars on a buffer, 100 columns wide, with a fake
// clock and a redraw interval long enough that frames are drawn only by
// frame and Finish.
func newTestBars(opts ...Option) (*Bars, *bytes.Buffer, *clock) {
	var buf bytes.Buffer
	c := newClock()
	opts = append([]Option{WithLive(true), WithWidth(100), WithInterval(time.Hour)}, opts...)
	b := NewBars(&buf, opts...)
	b.now = c.Now
	return b, &buf, c
}

// frame draws one frame, as the redraw goroutine does at each tick.
func frame(b *Bars) {
	b.mu.Lock()
	b.drawLocked(true)
	b.mu.Unlock()
}

// screen replays the output on an emulated terminal and returns the lines
// left on it.
func screen(t *testing.T, out string) []string { return testsupport.Replay(t, out).Lines() }

func TestBarsDone(t *testing.T) {
	b, buf, c := newTestBars(WithVerbose(true))
	fp := b.Start("file.bin", 12*mib, 0)
	for range 4 * 6 { // 6 MiB in 256 KiB chunks over 6 s
		fp.Add(256 * kib)
		c.Advance(time.Second / 4)
	}
	frame(b)
	live := screen(t, buf.String())
	if len(live) != 1 {
		t.Fatalf("live screen = %q, want one line", live)
	}
	for _, want := range []string{"file.bin", "6.0 MiB/12.0 MiB", "50% |", "1.0 MiB/s", "ETA 6s"} {
		if !strings.Contains(live[0], want) {
			t.Errorf("live line %q lacks %q", live[0], want)
		}
	}
	for range 6 {
		fp.Add(mib)
		c.Advance(time.Second)
	}
	fp.Finish(nil)
	fp.Finish(errors.New("ignored")) // only the first Finish counts
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	got := screen(t, buf.String())
	want := []string{"file.bin  12.0 MiB  1.0 MiB/s  done"}
	if !slicesEqual(got, want) {
		t.Errorf("final screen = %q, want %q", got, want)
	}
}

func TestBarsFailed(t *testing.T) {
	b, buf, c := newTestBars(WithVerbose(true))
	fp := b.Start("big.iso", 12*mib, 0)
	fp.Add(3 * mib)
	c.Advance(2 * time.Second)
	frame(b)
	fp.Finish(errors.New("ftp: 550 \"big.iso\": permission denied\nsecond line"))
	got := screen(t, buf.String())
	want := []string{`big.iso  3.0 MiB/12.0 MiB  1.5 MiB/s  failed: ftp: 550 "big.iso": permission denied`}
	if !slicesEqual(got, want) {
		t.Errorf("screen = %q, want %q", got, want)
	}
}

func TestBarsUnknownSize(t *testing.T) {
	b, buf, c := newTestBars(WithVerbose(true))
	fp := b.Start("stream.log", -1, 0)
	fp.Add(5 * mib)
	c.Advance(time.Second)
	frame(b)
	live := screen(t, buf.String())
	if len(live) != 1 {
		t.Fatalf("live screen = %q, want one line", live)
	}
	if !regexp.MustCompile(`^stream\.log  5\.0 MiB  [⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]  5\.0 MiB/s$`).MatchString(live[0]) {
		t.Errorf("live line = %q, want name, bytes, spinner and rate", live[0])
	}
	fp.Add(5 * mib)
	c.Advance(time.Second)
	fp.Finish(nil)
	got := screen(t, buf.String())
	want := []string{"stream.log  10.0 MiB  5.0 MiB/s  done"}
	if !slicesEqual(got, want) {
		t.Errorf("final screen = %q, want %q", got, want)
	}
}

func TestBarsResumed(t *testing.T) {
	b, buf, c := newTestBars(WithVerbose(true))
	fp := b.Start("part.tar", 10*mib, 5*mib)
	frame(b)
	first := screen(t, buf.String())
	if len(first) != 1 || !strings.Contains(first[0], "5.0 MiB/10.0 MiB") || !strings.Contains(first[0], "50% |") {
		t.Fatalf("first screen = %q, want the bar to start at the offset", first)
	}
	fp.Add(mib)
	c.Advance(time.Second)
	frame(b)
	live := screen(t, buf.String())
	// The rate counts only the bytes moved now, not the 5 MiB already there.
	for _, want := range []string{"6.0 MiB/10.0 MiB", "60% |", "1.0 MiB/s", "ETA 4s"} {
		if !strings.Contains(live[0], want) {
			t.Errorf("live line %q lacks %q", live[0], want)
		}
	}
	fp.Add(4 * mib)
	c.Advance(4 * time.Second)
	fp.Finish(nil)
	got := screen(t, buf.String())
	want := []string{"part.tar  10.0 MiB  1.0 MiB/s  done (resumed at 5.0 MiB)"}
	if !slicesEqual(got, want) {
		t.Errorf("final screen = %q, want %q", got, want)
	}
}

// TestBarsNotLiveVerbose checks that on a non-terminal, WithVerbose prints
// each finished transfer's final line, and nothing else.
func TestBarsNotLiveVerbose(t *testing.T) {
	var buf bytes.Buffer
	b := NewBars(&buf, WithVerbose(true)) // a buffer is not a terminal: final lines only
	c := newClock()
	b.now = c.Now
	a := b.Start("a.txt", 2*kib, 0)
	z := b.Start("z.txt", -1, 0)
	a.Add(2 * kib)
	z.Add(100)
	c.Advance(time.Second)
	z.Finish(io.ErrUnexpectedEOF)
	a.Finish(nil)
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	want := "z.txt  100 B  100 B/s  failed: unexpected EOF\na.txt  2.0 KiB  2.0 KiB/s  done\n"
	if got := buf.String(); got != want {
		t.Errorf("output = %q, want %q", got, want)
	}
}

func TestBarsShortenName(t *testing.T) {
	b, buf, _ := newTestBars(WithWidth(60))
	name := "a-very-long-file-name-that-does-not-fit-2025-01-02.tar.gz"
	b.Start(name, 100*mib, 0).Add(mib)
	frame(b)
	live := screen(t, buf.String())
	if len(live) != 1 {
		t.Fatalf("live screen = %q, want one line", live)
	}
	l := live[0]
	if w := width(l); w > 59 {
		t.Errorf("live line %q is %d columns wide, want at most 59", l, w)
	}
	if !strings.Contains(l, "…") || !strings.Contains(l, ".tar.gz") || !strings.HasPrefix(l, "a-") {
		t.Errorf("live line %q: want the name shortened in the middle", l)
	}
	if !strings.Contains(l, "1.0 MiB/100.0 MiB") || !strings.Contains(l, "ETA") {
		t.Errorf("live line %q lacks the bytes or the ETA", l)
	}
}

func TestBarsSanitizeName(t *testing.T) {
	var buf bytes.Buffer
	b := NewBars(&buf, WithVerbose(true))
	b.Start("evil\x1b[2J\nname", 1, 0).Finish(errors.New("bad\x07bell"))
	if strings.ContainsAny(buf.String()[:len(buf.String())-1], "\x1b\n\x07") {
		t.Errorf("output %q holds control characters", buf.String())
	}
}

func TestBarsTooManyForTerminal(t *testing.T) {
	b, buf, _ := newTestBars()
	b.height = 5
	for i := range 7 {
		b.Start("f"+strconv.Itoa(i), mib, 0)
	}
	frame(b)
	got := screen(t, buf.String())
	if len(got) != 4 || !strings.HasPrefix(got[2], "f2") || got[3] != "… 4 more" {
		t.Errorf("screen = %q, want 3 bars and \"… 4 more\"", got)
	}
}

func TestBarsCloseWhileRunning(t *testing.T) {
	for _, verbose := range []bool{false, true} {
		b, buf, c := newTestBars(WithVerbose(verbose))
		fp := b.Start("slow.bin", 4*mib, 0)
		fp.Add(mib)
		c.Advance(time.Second)
		frame(b)
		if err := b.Close(); err != nil {
			t.Fatal(err)
		}
		if got := screen(t, buf.String()); len(got) != 0 {
			t.Errorf("verbose %v: screen after Close = %q, want it clear", verbose, got)
		}
		fp.Add(mib)
		c.Advance(time.Second)
		fp.Finish(errors.New("interrupted"))
		got := screen(t, buf.String())
		var want []string
		if verbose {
			want = []string{"slow.bin  2.0 MiB/4.0 MiB  1.0 MiB/s  failed: interrupted"}
		}
		if !slicesEqual(got, want) {
			t.Errorf("verbose %v: screen = %q, want %q", verbose, got, want)
		}
	}
}

// TestBarsConcurrent runs transfers in parallel with the real redraw
// goroutine and checks that the screen ends with one intact final line each.
func TestBarsConcurrent(t *testing.T) {
	var out testsupport.LockedBuffer
	b := NewBars(&out, WithLive(true), WithVerbose(true), WithWidth(100), WithInterval(time.Millisecond))
	const n = 8
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			fp := b.Start(fmt.Sprintf("file-%d.dat", i), 64*256*kib, 0)
			for range 64 {
				fp.Add(256 * kib)
				time.Sleep(100 * time.Microsecond)
			}
			var err error
			if i%4 == 3 {
				err = errors.New("boom")
			}
			fp.Finish(err)
		}()
	}
	wg.Wait()
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	got := screen(t, out.String())
	if len(got) != n {
		t.Fatalf("screen = %q, want %d final lines", got, n)
	}
	line := regexp.MustCompile(`^file-(\d)\.dat  16\.0 MiB  \S+ \S+  (done|failed: boom)$`)
	seen := map[string]bool{}
	for _, l := range got {
		m := line.FindStringSubmatch(l)
		if m == nil || seen[m[1]] {
			t.Errorf("line %q is garbled or repeated", l)
			continue
		}
		seen[m[1]] = true
		if i, _ := strconv.Atoi(m[1]); (i%4 == 3) != (m[2] != "done") {
			t.Errorf("line %q: wrong status", l)
		}
	}
	if !strings.Contains(out.String(), "ETA") {
		t.Errorf("the redraw goroutine drew no live line")
	}
}

// TestBarsRestartsLoop checks that the redraw goroutine, which stops when no
// transfer runs, starts again with the next one.
func TestBarsRestartsLoop(t *testing.T) {
	var out testsupport.LockedBuffer
	b := NewBars(&out, WithLive(true), WithInterval(time.Millisecond))
	for i := range 2 {
		name := "round" + strconv.Itoa(i)
		fp := b.Start(name, 10, 0)
		deadline := time.Now().Add(5 * time.Second)
		for !strings.Contains(out.String(), name+"  ") {
			if time.Now().After(deadline) {
				t.Fatalf("no live line for %s after 5s", name)
			}
			time.Sleep(time.Millisecond)
		}
		fp.Finish(nil)
		deadline = time.Now().Add(5 * time.Second)
		for {
			b.mu.Lock()
			running := b.running
			b.mu.Unlock()
			if !running {
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("the redraw goroutine still runs 5s after the last transfer")
			}
			time.Sleep(time.Millisecond)
		}
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
}

type failWriter struct{ n int }

func (w *failWriter) Write(p []byte) (int, error) {
	w.n++
	return 0, errors.New("disk full")
}

func TestBarsWriteError(t *testing.T) {
	w := &failWriter{}
	b := NewBars(w, WithVerbose(true))
	b.Start("a", 1, 0).Finish(nil)
	b.Start("b", 1, 0).Finish(nil)
	if err := b.Close(); err == nil || err.Error() != "disk full" {
		t.Errorf("Close() = %v, want the write error", err)
	}
	if w.n != 1 {
		t.Errorf("%d writes, want none after the first failure", w.n)
	}
}

func slicesEqual(a, b []string) bool {
	return strings.Join(a, "\n") == strings.Join(b, "\n") && len(a) == len(b)
}

// BenchmarkAdd measures FileProgress.Add, called for every chunk a transfer
// moves, with the redraw goroutine running.
func BenchmarkAdd(b *testing.B) {
	b.Run("Bars", func(b *testing.B) {
		bars := NewBars(io.Discard, WithLive(true))
		fp := bars.Start("bench.bin", -1, 0)
		b.ReportAllocs()
		for b.Loop() {
			fp.Add(256 * kib)
		}
		b.StopTimer()
		fp.Finish(nil)
		bars.Close()
	})
	b.Run("BarsParallel", func(b *testing.B) {
		bars := NewBars(io.Discard, WithLive(true))
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			fp := bars.Start("bench.bin", -1, 0)
			for pb.Next() {
				fp.Add(256 * kib)
			}
			fp.Finish(nil)
		})
		bars.Close()
	})
}

// BenchmarkFrame measures one redraw of eight running transfers, the work
// the redraw goroutine does every interval. Every frame moves each bar by one
// percent, so progressbar renders every bar every frame; every hundred
// frames the transfers finish and new ones start.
func BenchmarkFrame(b *testing.B) {
	bars := NewBars(io.Discard, WithLive(true), WithWidth(120), WithInterval(time.Hour))
	var fps []transfer.FileProgress
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if i%100 == 0 {
			for _, fp := range fps {
				fp.Finish(nil)
			}
			fps = fps[:0]
			for j := range 8 {
				fps = append(fps, bars.Start(fmt.Sprintf("file-%d.dat", j), 100*4*mib, 0))
			}
		}
		i++
		for _, fp := range fps {
			fp.Add(4 * mib)
		}
		frame(bars)
	}
	b.StopTimer()
	bars.Close()
}
