package progress

import (
	"math"
	"testing"
	"time"
)

var formatBytesTests = []struct {
	in   int64
	want string
}{
	{0, "0 B"},
	{1, "1 B"},
	{1023, "1023 B"},
	{1024, "1.0 KiB"},
	{1536, "1.5 KiB"},
	{10*1024 - 1, "10.0 KiB"},
	{12*mib + 3*mib/10, "12.3 MiB"},
	{mib - 1, "1.0 MiB"}, // 1023.999 KiB rounds up to the next unit
	{mib - 52, "1023.9 KiB"},
	{1 << 30, "1.0 GiB"},
	{5 << 40, "5.0 TiB"},
	{math.MaxInt64, "8.0 EiB"},
	{-1, "-1 B"},
	{-2048, "-2.0 KiB"},
}

func TestFormatBytes(t *testing.T) {
	for _, tt := range formatBytesTests {
		if got := FormatBytes(tt.in); got != tt.want {
			t.Errorf("FormatBytes(%d) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

var formatRateTests = []struct {
	in   float64
	want string
}{
	{0, "0 B/s"},
	{512, "512 B/s"},
	{1023.4, "1023 B/s"},
	{1023.6, "1.0 KiB/s"},
	{35.2 * mib, "35.2 MiB/s"},
	{3e9, "2.8 GiB/s"},
	{-1, "-"},
	{math.NaN(), "-"},
	{math.Inf(1), "-"},
}

func TestFormatRate(t *testing.T) {
	for _, tt := range formatRateTests {
		if got := FormatRate(tt.in); got != tt.want {
			t.Errorf("FormatRate(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestFormatETA(t *testing.T) {
	for _, tt := range []struct {
		in   time.Duration
		want string
	}{
		{-1, "--"},
		{0, "0s"},
		{1499 * time.Millisecond, "1s"},
		{59 * time.Second, "59s"},
		{65 * time.Second, "1m05s"},
		{2*time.Hour + 10*time.Minute + 20*time.Second, "2h10m"},
		{100 * time.Hour, ">99h"},
	} {
		if got := formatETA(tt.in); got != tt.want {
			t.Errorf("formatETA(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestShorten(t *testing.T) {
	for _, tt := range []struct {
		in   string
		max  int
		want string
	}{
		{"short.txt", 20, "short.txt"},
		{"short.txt", 9, "short.txt"},
		{"backup-2025-01-02.tar.gz", 16, "backu…-02.tar.gz"},
		{"abcdef", 1, "…"},
		{"abcdef", 0, ""},
		{"日本語のファイル名.txt", 12, "日…ル名.txt"}, // wide characters take two columns
	} {
		got := shorten(tt.in, tt.max)
		if got != tt.want {
			t.Errorf("shorten(%q, %d) = %q, want %q", tt.in, tt.max, got, tt.want)
		}
		if w := width(got); w > max(tt.max, 0) {
			t.Errorf("shorten(%q, %d) = %q, %d columns", tt.in, tt.max, got, w)
		}
	}
}

func TestCut(t *testing.T) {
	for _, tt := range []struct {
		in   string
		max  int
		want string
	}{
		{"failed: timeout", 20, "failed: timeout"},
		{"failed: connection reset by peer", 16, "failed: connect…"},
		{"ab", 1, "…"},
	} {
		if got := cut(tt.in, tt.max); got != tt.want {
			t.Errorf("cut(%q, %d) = %q, want %q", tt.in, tt.max, got, tt.want)
		}
	}
}

func TestSanitize(t *testing.T) {
	for in, want := range map[string]string{
		"plain.txt":            "plain.txt",
		"a\nb\rc\td":           "a?b?c?d",
		"\x1b[31mred":          "?[31mred",
		"del\x7f c1\u009b end": "del? c1? end",
		"naïve €.txt":          "naïve €.txt",
	} {
		if got := sanitize(in); got != want {
			t.Errorf("sanitize(%q) = %q, want %q", in, got, want)
		}
	}
}
