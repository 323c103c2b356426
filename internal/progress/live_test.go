package progress

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/ferry-ftp/ferry/transfer"
)

// TestBarsNoFinishedLines checks that without WithVerbose a finished
// transfer leaves the live area at the next frame and leaves no line, on a
// terminal and elsewhere.
func TestBarsNoFinishedLines(t *testing.T) {
	b, buf, c := newTestBars()
	a := b.Start("a.bin", 2*kib, 0)
	z := b.Start("z.bin", 2*kib, 0)
	a.Add(kib)
	z.Add(kib)
	c.Advance(time.Second)
	frame(b)
	if got := screen(t, buf.String()); len(got) != 2 {
		t.Fatalf("screen = %q, want two live lines", got)
	}
	a.Add(kib)
	a.Finish(nil)
	frame(b)
	got := screen(t, buf.String())
	if len(got) != 1 || !strings.HasPrefix(got[0], "z.bin  1.0 KiB/2.0 KiB") {
		t.Errorf("screen = %q, want z.bin's live line alone", got)
	}
	z.Finish(errors.New("550 gone"))
	frame(b)
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	if got := screen(t, buf.String()); len(got) != 0 {
		t.Errorf("screen = %q, want it clear", got)
	}
	if strings.Contains(buf.String(), "done") || strings.Contains(buf.String(), "failed") {
		t.Errorf("output %q holds a final line", buf.String())
	}

	var plain bytes.Buffer
	nb := NewBars(&plain) // not a terminal
	fp := nb.Start("a.txt", 10, 0)
	fp.Add(10)
	fp.Finish(nil)
	nb.Start("b.txt", 10, 0).Finish(io.ErrUnexpectedEOF)
	if err := nb.Close(); err != nil {
		t.Fatal(err)
	}
	if plain.Len() != 0 {
		t.Errorf("output on a non-terminal = %q, want nothing", plain.String())
	}
}

// TestBarsWriteAbove checks that lines written through Bars appear above
// the live lines, which are drawn again intact below them, that an
// unfinished line waits for its end, and that they stay after Close.
func TestBarsWriteAbove(t *testing.T) {
	b, buf, c := newTestBars()
	b.SetTotals(3, 3*mib)
	a := b.Start("a.bin", mib, 0)
	z := b.Start("z.bin", mib, 0)
	a.Add(kib)
	c.Advance(time.Second)
	frame(b)
	before := screen(t, buf.String())
	if len(before) != 3 {
		t.Fatalf("screen = %q, want three live lines", before)
	}
	z.Finish(errors.New("550 denied"))
	fmt.Fprintf(b, "ferry: z.bin: 550 denied\n")
	got := screen(t, buf.String())
	want := append([]string{"ferry: z.bin: 550 denied"}, before...)
	if !slicesEqual(got, want) {
		t.Errorf("screen = %q, want %q", got, want)
	}
	io.WriteString(b, "ferry: part")
	if got := screen(t, buf.String()); !slicesEqual(got, want) {
		t.Errorf("screen after an unfinished line = %q, want %q", got, want)
	}
	io.WriteString(b, "ly\r\nferry: evil \x1b[2J\tname\n")
	frame(b)
	got = screen(t, buf.String())
	if len(got) != 5 || got[1] != "ferry: partly" || got[2] != "ferry: evil ?[2J\tname" ||
		!strings.HasPrefix(got[3], "total 0/3 files") || !strings.HasPrefix(got[4], "a.bin  ") {
		t.Errorf("screen = %q, want the three messages, then the totals and a.bin", got)
	}
	io.WriteString(b, "ferry: last words")
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	got = screen(t, buf.String())
	want = []string{"ferry: z.bin: 550 denied", "ferry: partly", "ferry: evil ?[2J\tname", "ferry: last words"}
	if !slicesEqual(got, want) {
		t.Errorf("screen after Close = %q, want %q", got, want)
	}
	io.WriteString(b, "\nsummary\n") // after Close, as is
	if !strings.HasSuffix(buf.String(), "ferry: last words\x1b[J\nsummary\n") {
		t.Errorf("output after Close ends %q", buf.String()[max(len(buf.String())-40, 0):])
	}
}

// TestBarsBounded checks that however many transfers run, the live area
// keeps to the totals line, maxFileLines files and "… N more", and to one
// line less than the terminal's height.
func TestBarsBounded(t *testing.T) {
	for _, tt := range []struct {
		height, lines int
		more          string
	}{
		{0, 1 + maxFileLines + 1, "… 42 more"},
		{40, 1 + maxFileLines + 1, "… 42 more"},
		{7, 6, "… 46 more"},
	} {
		b, buf, c := newTestBars()
		b.height = tt.height
		b.SetTotals(100, 100*mib)
		var fps []transfer.FileProgress
		for i := range 50 {
			fps = append(fps, b.Start(fmt.Sprintf("f%02d", i), mib, 0))
		}
		for range 10 {
			for _, fp := range fps {
				fp.Add(kib)
			}
			c.Advance(time.Second)
			frame(b)
		}
		got := screen(t, buf.String())
		if len(got) != tt.lines || !strings.HasPrefix(got[0], "total 0/100 files") ||
			!strings.HasPrefix(got[1], "f00  ") || got[len(got)-1] != tt.more {
			t.Errorf("height %d: screen = %q, want %d lines: the totals, files from f00, %q", tt.height, got, tt.lines, tt.more)
		}
		for _, fp := range fps {
			fp.Finish(nil)
		}
		b.Close()
	}
}

// TestBarsTinyTerminal checks that on a terminal of 3 rows or fewer the
// live area never reaches the last row, which would scroll the terminal
// at each frame (outside probe of issue 13: 38 lines for 200 files).
func TestBarsTinyTerminal(t *testing.T) {
	for height := 1; height <= 3; height++ {
		b, buf, c := newTestBars()
		b.height = height
		b.SetTotals(100, 100*mib)
		for i := range 8 {
			b.Start(fmt.Sprintf("f%02d", i), mib, 0).Add(kib)
		}
		c.Advance(time.Second)
		frame(b)
		if got := screen(t, buf.String()); len(got) > max(height-1, 0) {
			t.Errorf("height %d: %d live lines %q, want at most %d", height, len(got), got, max(height-1, 0))
		}
		b.Close()
	}
}

// TestBarsCloseClean checks that Close leaves no live line behind and the
// cursor where they began, and that Bars draws nothing after it.
func TestBarsCloseClean(t *testing.T) {
	b, buf, c := newTestBars()
	b.SetTotals(2, 2*mib)
	fp := b.Start("a.bin", mib, 0)
	b.Start("b.bin", mib, 0).Add(mib)
	fp.Add(kib)
	c.Advance(time.Second)
	frame(b)
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(buf.String(), "\x1b[3A\r\x1b[J") {
		t.Errorf("output ends %q, want the cursor moved up to the first live line and the rest cleared",
			buf.String()[max(buf.Len()-20, 0):])
	}
	n := buf.Len()
	fp.Add(kib)
	b.Start("late.bin", 10, 0).Finish(nil)
	b.SetTotals(3, 3)
	frame(b)
	fp.Finish(nil)
	if buf.Len() != n {
		t.Errorf("output after Close: %q", buf.String()[n:])
	}
	if err := b.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}
