package bench

import (
	"math"
	"testing"
	"time"
)

// TestRoundTrips checks the count of round trips per file: the fastest
// time over the fastest baseline's, per round trip, per file on each
// connection.
func TestRoundTrips(t *testing.T) {
	d := fullData
	runs := func(tool string, secs ...float64) *series {
		s := &series{tool: tool}
		for _, x := range secs {
			s.samples = append(s.samples, sample{wall: time.Duration(x * float64(time.Second))})
		}
		return s
	}
	var results []*result
	for _, rtt := range []time.Duration{0, 20 * time.Millisecond} {
		for _, sc := range distanceScenarios(rtt) {
			res := &result{sc: sc}
			switch sc.group {
			case "wan-mirror": // 2,000 files over 8 connections
				if rtt == 0 {
					res.series = []*series{runs("ferry", 3, 2, 9), runs("lftp", 2, 2, 2)}
				} else {
					res.series = []*series{runs("ferry", 22, 23, 30), runs("lftp", 22, 12, 12)}
				}
			case "wan-ls":
				if rtt == 0 {
					res.series = []*series{runs("ferry", 0.1, 0.1, 0.1)}
				} else {
					res.series = []*series{runs("ferry", 0.34, 0.3, 0.3)}
				}
			}
			results = append(results, res)
		}
	}
	r := &report{data: d, results: results}
	want := map[string]float64{
		"wan-mirror@20ms ferry": (22.0 - 2) / 0.020 * 8 / 2000, // 4
		"wan-mirror@20ms lftp":  (12.0 - 2) / 0.020 * 8 / 2000, // 2
		"wan-ls@20ms ferry":     (0.3 - 0.1) / 0.020,           // 10, in all
	}
	for _, res := range results {
		for _, s := range res.series {
			got, ok := r.roundTrips(res, s)
			key := res.sc.id + " " + s.tool
			w, wantOK := want[key]
			if ok != wantOK || math.Abs(got-w) > 1e-9 {
				t.Errorf("%s: round trips per file %v, %v; want %v, %v", key, got, ok, w, wantOK)
			}
		}
	}
}

func TestRTTList(t *testing.T) {
	for _, tt := range []struct {
		rtts []time.Duration
		want string
	}{
		{[]time.Duration{20 * time.Millisecond}, "20ms"},
		{[]time.Duration{20 * time.Millisecond, 100 * time.Millisecond}, "20ms and 100ms"},
		{[]time.Duration{time.Millisecond, 2 * time.Millisecond, 3 * time.Millisecond}, "1ms, 2ms and 3ms"},
	} {
		if got := rttList(tt.rtts); got != tt.want {
			t.Errorf("rttList(%v) = %q, want %q", tt.rtts, got, tt.want)
		}
	}
}
