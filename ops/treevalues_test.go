package ops

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// Sizes take rclone's suffixes (B, K/Ki/KiB, M/Mi/MiB, G, T, P), in
// any case, as powers of 1024; a bare number is bytes. --min-size 0 is
// no minimum; anything else that is not a size is a usage error naming
// the flag (outside probe of issue 16: 10KiB was refused, 1T too).
func TestParseSize(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int64
	}{
		{"", 0}, {"0", 0}, {"1", 1}, {"10B", 10}, {"10b", 10},
		{"10k", 10 << 10}, {"10K", 10 << 10}, {"10KiB", 10 << 10}, {"10kib", 10 << 10}, {"10Ki", 10 << 10}, {"10KB", 10 << 10},
		{"1.5M", 3 << 19}, {"2MiB", 2 << 20}, {"3g", 3 << 30}, {"1GiB", 1 << 30}, {"1T", 1 << 40}, {"2tib", 2 << 40}, {"1P", 1 << 50},
		{" 7 ", 7},
	} {
		got, err := parseSize("--min-size", tc.in)
		if err != nil || got != tc.want {
			t.Errorf("parseSize(%q) = %d, %v; want %d", tc.in, got, err, tc.want)
		}
	}
	for _, in := range []string{"x", "-1", "10X", "10KiX", "10iB", "KiB", "1e3", "NaN", "Inf", "10kbb", "10 K B", "99999999P", "0.5"} {
		_, err := parseSize("--max-size", in)
		var ue *UsageError
		if !errors.As(err, &ue) || !strings.HasPrefix(err.Error(), "--max-size: ") {
			t.Errorf("parseSize(%q) = %v, want a usage error naming --max-size", in, err)
		}
	}
	// --max-size 0 would leave out every file that is not empty.
	if _, err := parseSize("--max-size", "0"); err == nil {
		t.Error("--max-size 0 accepted")
	}
}

// Times take RFC 3339 (Z or an offset), with or without seconds, a date
// and time in the local zone, a date, or an age.
func TestParseWhen(t *testing.T) {
	now := time.Date(2024, 6, 1, 12, 0, 0, 0, time.UTC)
	plus2 := time.FixedZone("", 2*3600)
	for _, tc := range []struct {
		in   string
		want time.Time
	}{
		{"2024-05-01T12:00:00Z", time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)},
		{"2024-05-01T12:00Z", time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)},
		{"2024-05-01t12:00:00z", time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)},
		{"2024-05-01T12:00:00+02:00", time.Date(2024, 5, 1, 12, 0, 0, 0, plus2)},
		{"2024-05-01T12:00+02:00", time.Date(2024, 5, 1, 12, 0, 0, 0, plus2)},
		{"2024-05-01 12:00:00Z", time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)},
		{"2024-05-01T12:00:00.5Z", time.Date(2024, 5, 1, 12, 0, 0, 5e8, time.UTC)},
		{"2024-05-01T12:00:00+0200", time.Date(2024, 5, 1, 12, 0, 0, 0, plus2)},
		{"2024-05-01T12:00", time.Date(2024, 5, 1, 12, 0, 0, 0, time.Local)},
		{"2024-05-01", time.Date(2024, 5, 1, 0, 0, 0, 0, time.Local)},
		{"7d", now.Add(-7 * 24 * time.Hour)},
		{"2w", now.Add(-14 * 24 * time.Hour)},
		{"90m", now.Add(-90 * time.Minute)},
	} {
		got, err := parseWhen("--newer-than", tc.in, now)
		if err != nil || !got.Equal(tc.want) {
			t.Errorf("parseWhen(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		}
	}
	for _, in := range []string{"yesterday", "2024-13-01", "2024-05-01T25:00Z", "-7d", "7x", "2024-05-01T12:00:00+25:00"} {
		_, err := parseWhen("--older-than", in, now)
		var ue *UsageError
		if !errors.As(err, &ue) || !strings.HasPrefix(err.Error(), "--older-than: ") {
			t.Errorf("parseWhen(%q) = %v, want a usage error naming --older-than", in, err)
		}
	}
}

// Size and time ranges that no file can pass are usage errors naming
// both flags; a --newer-than in the future is taken, with a warning
// (outside probe of issue 16: --min-size 10 --max-size 5 copied nothing,
// exit 0).
func TestFilterRanges(t *testing.T) {
	now := time.Date(2024, 6, 1, 12, 0, 0, 0, time.UTC)
	local := func(s string) string { return s }
	for _, tc := range []struct {
		flags treeFlags
		want  string // the error's start; "" for none
	}{
		{treeFlags{treeMore: treeMore{MinSize: "10", MaxSize: "5"}}, "--min-size 10 is more than --max-size 5"},
		{treeFlags{treeMore: treeMore{MinSize: "1K", MaxSize: "1000"}}, "--min-size 1K is more than --max-size 1000"},
		{treeFlags{treeMore: treeMore{MinSize: "5", MaxSize: "5"}}, ""},
		{treeFlags{treeMore: treeMore{NewerThan: "2024-05-01T00:00Z", OlderThan: "2024-05-01T00:00Z"}}, "--newer-than 2024-05-01T00:00Z is not before --older-than 2024-05-01T00:00Z"},
		{treeFlags{treeMore: treeMore{NewerThan: "1d", OlderThan: "7d"}}, "--newer-than 1d is not before --older-than 7d"},
		{treeFlags{treeMore: treeMore{NewerThan: "7d", OlderThan: "1d"}}, ""},
	} {
		_, err := tc.flags.buildFilter(local, now)
		var ue *UsageError
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%+v: %v", tc.flags.treeMore, err)
		case tc.want != "" && (!errors.As(err, &ue) || !strings.HasPrefix(err.Error(), tc.want)):
			t.Errorf("%+v: %v, want a usage error %q", tc.flags.treeMore, err, tc.want)
		}
	}
	flags := treeFlags{treeMore: treeMore{NewerThan: "2024-07-01"}}
	f, err := flags.buildFilter(local, now)
	if err != nil {
		t.Fatal(err)
	}
	if got := futureNote(f.FilterLimits, flags.NewerThan, now); got != "--newer-than 2024-07-01 lies in the future: only files dated after it are handled" {
		t.Errorf("future --newer-than: note %q", got)
	}
	if got := futureNote(f.FilterLimits, flags.NewerThan, now.AddDate(0, 2, 0)); got != "" {
		t.Errorf("past --newer-than: note %q", got)
	}
}
