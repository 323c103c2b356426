package transfer

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ferry-ftp/ferry/client"
	"github.com/ferry-ftp/ferry/internal/ftptest"
)

func TestCheckName(t *testing.T) {
	for _, name := range []string{"a", "a b", ".hidden", "ünïcødé", "a..b", "-rf", "caf\xe9"} {
		if err := CheckName(name); err != nil {
			t.Errorf("CheckName(%q) = %v", name, err)
		}
	}
	for _, name := range []string{"", ".", "..", "../x", "/abs", "a/b", `a\b`, "|cmd", "a\nb", "a\rb", "a\x00b", "esc\x1b[0m", "del\x7f", "c1\u0085"} {
		err := CheckName(name)
		var le *LocalError
		if !errors.Is(err, ErrBadName) || !errors.As(err, &le) {
			t.Errorf("CheckName(%q) = %v, want a refusal", name, err)
		}
	}
}

func TestParseRate(t *testing.T) {
	for in, want := range map[string]int64{"0": 0, "65536": 65536, "500K": 500 << 10, "10M": 10 << 20,
		"1.5m": 3 << 19, "2G": 2 << 30, "10MB": 10 << 20, "1k/s": 1024} {
		if got, err := ParseRate(in); err != nil || got != want {
			t.Errorf("ParseRate(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "x", "-1", "10T", "1e400"} {
		if _, err := ParseRate(in); err == nil {
			t.Errorf("ParseRate(%q) succeeded", in)
		}
	}
}

// The limit is shared: three parallel downloads of 256 KiB at 1 MiB/s
// take about 3/4 s in all, not 1/4 s each.
func TestLimiterCapsAggregateRate(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{})
	for _, n := range []string{"a", "b", "c"} {
		os.WriteFile(filepath.Join(srv.Root(), n), randomData(256<<10), 0o644)
	}
	p := testPool(t, srv, PoolOptions{Size: 3})
	l := NewLimiter(1 << 20)
	dir := t.TempDir()
	start := time.Now()
	done := make(chan error, 3)
	for _, n := range []string{"a", "b", "c"} {
		go func() {
			_, err := p.GetFile(testCtx(t), n, filepath.Join(dir, n), GetOptions{Limit: l})
			done <- err
		}()
	}
	for range 3 {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	// 768 KiB at 1 MiB/s, less the first burst of 1/8 s.
	if d := time.Since(start); d < 550*time.Millisecond || d > 5*time.Second {
		t.Errorf("took %v, want about 0.65 s", d)
	}
	sameTree(t, srv.Root(), dir)
	if NewLimiter(0) != nil {
		t.Error("a zero rate limits")
	}
}

func node1(size int64, t time.Time, p client.TimePrecision) *node {
	return &node{size: size, mtime: t, prec: p, typ: client.EntryFile}
}

func TestDecide(t *testing.T) {
	utc := time.Date(2025, 3, 4, 12, 34, 56, 789, time.UTC)
	est := time.FixedZone("EST", -5*3600)
	local := node1(10, utc, client.TimeExact)
	for _, tc := range []struct {
		name     string
		src, dst *node
		mode     Update
		keeps    bool
		copy     bool
		byTime   bool
	}{
		{"same exact", node1(10, utc.Add(300*time.Millisecond), client.TimeExact), local, UpdateChanged, true, false, false},
		{"minute, same", node1(10, utc.Truncate(time.Minute), client.TimeMinute), local, UpdateChanged, true, false, true}, // MDTM may tell a change
		{"minute, newer", node1(10, utc.Add(time.Minute), client.TimeMinute), local, UpdateChanged, true, true, true},
		{"day, same date", node1(10, time.Date(2025, 3, 4, 0, 0, 0, 0, time.UTC), client.TimeDay), local, UpdateNewer, true, false, true}, // MDTM may tell a change
		{"day in another zone", node1(10, time.Date(2025, 3, 4, 0, 0, 0, 0, est), client.TimeDay), local, UpdateNewer, true, false, true}, // MDTM may tell a change
		{"size differs", node1(11, utc, client.TimeExact), local, UpdateChanged, true, true, false},
		{"older, changed", node1(10, utc.Add(-time.Hour), client.TimeExact), local, UpdateChanged, true, true, false},
		{"older, only newer", node1(10, utc.Add(-time.Hour), client.TimeExact), local, UpdateNewer, true, false, false},
		{"older and bigger, only newer", node1(99, utc.Add(-time.Hour), client.TimeExact), local, UpdateNewer, true, false, false},
		{"older, no MFMT", node1(10, utc.Add(-time.Hour), client.TimeExact), local, UpdateChanged, false, false, false},
		{"no times, same size", node1(10, time.Time{}, client.TimeUnknown), local, UpdateChanged, true, false, true}, // MDTM may tell a change
		{"no size, no time", node1(-1, time.Time{}, client.TimeUnknown), local, UpdateChanged, true, true, false},
		// Nothing is unchanged that was not compared: the same time says
		// nothing of a size the listing did not give.
		{"no size, same time", node1(-1, utc, client.TimeExact), local, UpdateChanged, true, true, false},
		{"no size, same minute", node1(-1, utc.Truncate(time.Minute), client.TimeMinute), local, UpdateChanged, true, true, false},
		{"no size, older, only newer", node1(-1, utc.Add(-time.Hour), client.TimeExact), local, UpdateNewer, true, false, false},
		{"all", node1(10, utc, client.TimeExact), local, UpdateAll, true, true, false},
	} {
		d := decide(tc.src, tc.dst, tc.mode, tc.keeps)
		if d.copy != tc.copy || d.byTime != tc.byTime {
			t.Errorf("%s: %+v, want copy %v byTime %v", tc.name, d, tc.copy, tc.byTime)
		}
	}
}

func TestFilter(t *testing.T) {
	f := Filter{Include: []string{"*.txt", "docs/*"}, Exclude: []string{"tmp", "*~"}}
	for p, want := range map[string]bool{"a.txt": true, "x/a.txt": true, "docs/readme": true, "a.bin": false,
		"a.txt~": false, "tmp": false, "x/tmp": false} {
		if got := f.keeps(p); got != want {
			t.Errorf("keeps(%q) = %v", p, got)
		}
	}
	if !f.pruned("x/tmp") || f.pruned("docs") {
		t.Error("pruned")
	}
	if (Filter{Exclude: []string{"["}}).Check() == nil {
		t.Error("bad pattern accepted")
	}
}
