package progress

import (
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/rivo/uniseg"
)

// units are the binary (IEC) units after bytes.
var units = [...]string{"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"}

// FormatBytes formats n bytes in binary units with one decimal: "0 B",
// "512 B", "1.0 KiB", "12.3 MiB".
func FormatBytes(n int64) string {
	if n > -1024 && n < 1024 {
		return strconv.FormatInt(n, 10) + " B"
	}
	return formatUnits(float64(n))
}

// FormatRate formats a transfer rate in bytes per second: "0 B/s",
// "512 B/s", "35.2 MiB/s". A rate that is negative or not a finite number
// formats as "-".
func FormatRate(bytesPerSecond float64) string {
	switch {
	case math.IsNaN(bytesPerSecond) || math.IsInf(bytesPerSecond, 0) || bytesPerSecond < 0:
		return "-"
	case bytesPerSecond < 1023.5:
		return strconv.FormatFloat(bytesPerSecond, 'f', 0, 64) + " B/s"
	}
	return formatUnits(bytesPerSecond) + "/s"
}

// formatUnits formats v, at least 1024 in magnitude, in the largest binary
// unit that keeps it under 1024 once rounded to one decimal.
func formatUnits(v float64) string {
	sign := ""
	if v < 0 {
		sign, v = "-", -v
	}
	v /= 1024
	u := 0
	for v >= 1023.95 && u < len(units)-1 {
		v /= 1024
		u++
	}
	return sign + strconv.FormatFloat(v, 'f', 1, 64) + " " + units[u]
}

// formatETA formats a remaining time compactly: "7s", "3m05s", "2h10m".
// A negative duration, meaning unknown, formats as "--".
func formatETA(d time.Duration) string {
	if d < 0 {
		return "--"
	}
	s := int64((d + time.Second/2) / time.Second)
	switch {
	case s < 60:
		return strconv.FormatInt(s, 10) + "s"
	case s < 3600:
		return strconv.FormatInt(s/60, 10) + "m" + twoDigits(s%60) + "s"
	case s < 100*3600:
		return strconv.FormatInt(s/3600, 10) + "h" + twoDigits(s/60%60) + "m"
	}
	return ">99h"
}

func twoDigits(n int64) string {
	if n < 10 {
		return "0" + strconv.FormatInt(n, 10)
	}
	return strconv.FormatInt(n, 10)
}

// sanitize replaces control characters with '?', so that a file name or an
// error message from a server can neither break a line nor send escape
// sequences to the terminal.
func sanitize(s string) string {
	if strings.IndexFunc(s, unicode.IsControl) < 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return '?'
		}
		return r
	}, s)
}

// width returns the number of terminal columns s takes.
func width(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return uniseg.StringWidth(s)
		}
	}
	return len(s) // ASCII, and sanitize has removed control characters
}

// pad returns s, which takes sw columns, followed by spaces up to w
// columns, or preceded by them when right is set.
func pad(s string, sw, w int, right bool) string {
	n := w - sw
	if n <= 0 {
		return s
	}
	if right {
		return strings.Repeat(" ", n) + s
	}
	return s + strings.Repeat(" ", n)
}

// cluster is one user-perceived character and the columns it takes.
type cluster struct {
	s string
	w int
}

func clusters(s string) []cluster {
	var cs []cluster
	state := -1
	for s != "" {
		var c string
		var w int
		c, s, w, state = uniseg.FirstGraphemeClusterInString(s, state)
		cs = append(cs, cluster{c, w})
	}
	return cs
}

// shorten fits s into max columns by replacing its middle with "…". It keeps
// more of the end than of the start, since the end of a file name (a date, a
// version, an extension) tells files apart more often than its start.
func shorten(s string, max int) string {
	if width(s) <= max {
		return s
	}
	if max <= 1 {
		return ellipsis(max)
	}
	cs := clusters(s)
	budget := max - 1
	var head strings.Builder
	used, i := 0, 0
	for ; i < len(cs) && used+cs[i].w <= budget/3; i++ {
		head.WriteString(cs[i].s)
		used += cs[i].w
	}
	j := len(cs)
	for j > i && used+cs[j-1].w <= budget {
		j--
		used += cs[j].w
	}
	head.WriteString("…")
	for _, c := range cs[j:] {
		head.WriteString(c.s)
	}
	return head.String()
}

// cut fits s into max columns by replacing its end with "…".
func cut(s string, max int) string {
	if width(s) <= max {
		return s
	}
	if max <= 1 {
		return ellipsis(max)
	}
	var b strings.Builder
	used := 0
	for _, c := range clusters(s) {
		if used+c.w > max-1 {
			break
		}
		b.WriteString(c.s)
		used += c.w
	}
	b.WriteString("…")
	return b.String()
}

// ellipsis returns "…" when it fits in max columns, or "" when it does not.
func ellipsis(max int) string {
	if max < 1 {
		return ""
	}
	return "…"
}
