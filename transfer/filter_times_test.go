package transfer

import (
	"testing"
	"time"

	"github.com/ferry-ftp/ferry/client"
)

// TestFilterTimesAtListPrecision checks --newer-than and --older-than on
// LIST times, known to the minute or to the day in an unknown zone: a
// file whose true time may lie on either side of the limit is not
// copied, and not excluded either, so --delete-excluded never deletes it
// (outside probe of issue 16: a file dated 2023-03-03 10:00:10, listed
// as the day, was left out of --newer-than 2023-03-03T09:00 and its copy
// deleted).
func TestFilterTimesAtListPrecision(t *testing.T) {
	day := time.Date(2023, 3, 3, 0, 0, 0, 0, time.UTC)
	cut := time.Date(2023, 3, 3, 9, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name      string
		n         node
		newer     bool // the limit is --newer-than cut, else --older-than cut
		fits, out bool
	}{
		{"day, newer-than within it", node{mtime: day, prec: client.TimeDay}, true, false, false},
		{"day, older-than within it", node{mtime: day, prec: client.TimeDay}, false, false, false},
		{"day long before", node{mtime: day.AddDate(0, 0, -5), prec: client.TimeDay}, true, false, true},
		{"day long after", node{mtime: day.AddDate(0, 0, 5), prec: client.TimeDay}, true, true, false},
		{"minute before", node{mtime: cut.Add(-time.Minute), prec: client.TimeMinute}, true, false, true},
		{"minute at", node{mtime: cut, prec: client.TimeMinute}, true, true, false},
		{"minute straddling", node{mtime: cut.Add(-30 * time.Second).Truncate(time.Minute), prec: client.TimeMinute}, true, false, true},
		{"exact after", node{mtime: cut.Add(time.Hour), prec: client.TimeExact}, true, true, false},
		{"exact before, older-than", node{mtime: cut.Add(-time.Hour), prec: client.TimeExact}, false, true, false},
		{"unknown", node{prec: client.TimeUnknown}, true, false, false},
	} {
		tc.n.typ, tc.n.size = client.EntryFile, 1
		var l FilterLimits
		if tc.newer {
			l.NewerThan = cut
		} else {
			l.OlderThan = cut
		}
		if got := l.fits(&tc.n); got != tc.fits {
			t.Errorf("%s: fits = %v, want %v", tc.name, got, tc.fits)
		}
		if got := l.outside(&tc.n); got != tc.out {
			t.Errorf("%s: outside = %v, want %v", tc.name, got, tc.out)
		}
	}
}
