package progress

import (
	"bytes"
	"strings"
	"testing"
)

func TestOverallTotalsLine(t *testing.T) {
	var out bytes.Buffer
	b := NewBars(&out, WithLive(true), WithWidth(100))
	o := NewOverall(b)
	o.SetTotals(2, 300)
	f1 := o.Start("a", 100, 0)
	f1.Add(100)
	f1.Finish(nil)
	f2 := o.Start("b", 200, 0)
	f2.Add(200)
	f2.Finish(nil)
	if err := o.Close(); err != nil {
		t.Fatal(err)
	}
	s := out.String()
	if !strings.Contains(s, "total 2/2 files") || !strings.Contains(s, "300 B") {
		t.Errorf("output %q", s)
	}
	if n := o.total.Load().moved.Load(); n != 300 {
		t.Errorf("total moved %d", n)
	}
}
