package progress

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/ferry-ftp/ferry/transfer"
)

func TestSummaryFiles(t *testing.T) {
	s := NewSummary()
	c := newClock()
	s.now = c.Now
	errDenied := errors.New("ftp: 550 permission denied")

	a := s.Start("a.bin", 10*kib, 2*kib)
	c.Advance(time.Second)
	b := s.Start("b.bin", -1, 0)
	running := s.Start("c.bin", 5, 0)
	running.Add(1)
	a.Add(4 * kib)
	b.Add(100)
	c.Advance(time.Second)
	b.Finish(errDenied)
	a.Add(4 * kib)
	c.Advance(time.Second)
	a.Finish(nil)
	a.Finish(errors.New("ignored")) // only the first Finish counts

	got := s.Files()
	want := []FileResult{
		{Name: "a.bin", Size: 10 * kib, Offset: 2 * kib, Bytes: 8 * kib, Duration: 3 * time.Second},
		{Name: "b.bin", Size: -1, Bytes: 100, Err: errDenied, Duration: time.Second},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("Files() = %+v\nwant %+v", got, want)
	}
	tot := s.Totals()
	if want := (Totals{Files: 2, Failed: 1, Bytes: 8*kib + 100, Duration: 3 * time.Second}); tot != want {
		t.Errorf("Totals() = %+v, want %+v", tot, want)
	}
}

func TestSummaryEmpty(t *testing.T) {
	s := NewSummary()
	if fs := s.Files(); len(fs) != 0 {
		t.Errorf("Files() = %v, want none", fs)
	}
	if tot := s.Totals(); tot != (Totals{}) {
		t.Errorf("Totals() = %+v, want zero", tot)
	}
}

func TestSummaryConcurrent(t *testing.T) {
	s := NewSummary()
	const files, chunks, chunk = 16, 100, 256 * kib
	var wg sync.WaitGroup
	for i := range files {
		wg.Add(1)
		go func() {
			defer wg.Done()
			fp := s.Start(fmt.Sprintf("f%02d", i), chunks*chunk, 0)
			for range chunks {
				fp.Add(chunk)
			}
			var err error
			if i%4 == 0 {
				err = errors.New("boom")
			}
			fp.Finish(err)
		}()
	}
	// Read while the transfers run: the race detector checks the locking.
	for range 10 {
		s.Totals()
		s.Files()
	}
	wg.Wait()
	tot := s.Totals()
	if tot.Files != files || tot.Failed != files/4 || tot.Bytes != files*chunks*chunk {
		t.Errorf("Totals() = %+v, want %d files, %d failed, %d bytes", tot, files, files/4, files*chunks*chunk)
	}
	seen := map[string]bool{}
	for _, f := range s.Files() {
		if f.Bytes != chunks*chunk || seen[f.Name] {
			t.Errorf("file %+v: wrong bytes, or repeated", f)
		}
		seen[f.Name] = true
	}
	if len(seen) != files {
		t.Errorf("Files() has %d files, want %d", len(seen), files)
	}
}

func TestTee(t *testing.T) {
	s1, s2 := NewSummary(), NewSummary()
	p := Tee(s1, nil, s2)
	fp := p.Start("x.txt", 3, 1)
	fp.Add(2)
	fp.Finish(nil)
	for i, s := range []*Summary{s1, s2} {
		fs := s.Files()
		if len(fs) != 1 || fs[0].Name != "x.txt" || fs[0].Size != 3 || fs[0].Offset != 1 || fs[0].Bytes != 2 || fs[0].Err != nil {
			t.Errorf("summary %d: Files() = %+v", i+1, fs)
		}
	}
}

func TestTeeDegenerate(t *testing.T) {
	if p := Tee(); p != (transfer.Discard{}) {
		t.Errorf("Tee() = %#v, want transfer.Discard", p)
	}
	if p := Tee(nil, nil); p != (transfer.Discard{}) {
		t.Errorf("Tee(nil, nil) = %#v, want transfer.Discard", p)
	}
	s := NewSummary()
	if p := Tee(nil, s); p != s {
		t.Errorf("Tee(nil, s) = %#v, want s itself", p)
	}
}

func TestTeeWithBars(t *testing.T) {
	b, buf, _ := newTestBars(WithLive(false))
	s := NewSummary()
	fp := Tee(b, s).Start("both.txt", 10, 0)
	fp.Add(10)
	fp.Finish(nil)
	if got := buf.String(); len(got) < 10 || got[:10] != "both.txt  " {
		t.Errorf("bars output = %q, want the final line", got)
	}
	if tot := s.Totals(); tot.Files != 1 || tot.Bytes != 10 {
		t.Errorf("Totals() = %+v, want one file of 10 bytes", tot)
	}
}
