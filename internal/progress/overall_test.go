package progress

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// TestBarsTotals checks the totals line: above the files, counting the
// files done and the position reached, a failed attempt's bytes not
// counted twice when its retry resumes.
func TestBarsTotals(t *testing.T) {
	b, buf, c := newTestBars()
	b.SetTotals(3, 300)
	b.SetTotals(5, 900) // ignored
	a := b.Start("a", 100, 0)
	x := b.Start("b", 100, 0)
	a.Add(50)
	x.Add(50)
	c.Advance(time.Second)
	frame(b)
	got := screen(t, buf.String())
	if len(got) != 3 || !strings.HasPrefix(got[0], "total 0/3 files  100 B/300 B") ||
		!strings.HasPrefix(got[1], "a  ") || !strings.HasPrefix(got[2], "b  ") {
		t.Fatalf("screen = %q, want the totals line, then a and b", got)
	}
	a.Add(50)
	a.Finish(nil)
	x.Finish(errors.New("426 connection closed"))
	x = b.Start("b", 100, 50) // the retry resumes at 50
	x.Add(50)
	x.Finish(nil)
	z := b.Start("c", 100, 0)
	z.Add(100)
	c.Advance(time.Second)
	frame(b)
	got = screen(t, buf.String())
	if len(got) != 2 || !strings.HasPrefix(got[0], "total 2/3 files  300 B/300 B  100% |") || !strings.HasPrefix(got[1], "c  ") {
		t.Errorf("screen = %q, want the totals line at 2/3 files, 300 B/300 B, then c", got)
	}
	z.Finish(nil)
	frame(b)
	got = screen(t, buf.String())
	if len(got) != 1 || !strings.HasPrefix(got[0], "total 3/3 files  300 B/300 B") {
		t.Errorf("screen = %q, want the totals line alone at 3/3 files", got)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	if got := screen(t, buf.String()); len(got) != 0 {
		t.Errorf("screen after Close = %q, want it clear", got)
	}
}

// TestBarsTotalsOneFile checks that a job of one file draws no totals line.
func TestBarsTotalsOneFile(t *testing.T) {
	b, buf, _ := newTestBars()
	b.SetTotals(1, 100)
	b.Start("only", 100, 0).Add(10)
	frame(b)
	if got := screen(t, buf.String()); len(got) != 1 || !strings.HasPrefix(got[0], "only  ") {
		t.Errorf("screen = %q, want the file's line alone", got)
	}
}
