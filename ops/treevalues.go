package ops

import (
	"bufio"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/ferry-ftp/ferry/transfer"
)

// readPatterns reads the globs of the pattern file name given to flag
// (--exclude-from, --include-from): one a line, blank lines and lines
// starting with # left out, surrounding spaces trimmed. A file that
// cannot be read is a local file error (exit 6), as any other local file
// a command cannot read, with a message that names the flag.
func readPatterns(flag, name string) ([]string, error) {
	b, err := os.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", flag, &transfer.LocalError{Op: "read pattern file", Path: name, Err: err})
	}
	var out []string
	sc := bufio.NewScanner(strings.NewReader(string(b)))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		out = append(out, line)
	}
	if err := sc.Err(); err != nil {
		return nil, usageErrorf("%s: %s: %v", flag, name, err)
	}
	return out, nil
}

// sizeUnits are the multipliers of a SIZE's suffix letter: binary, as in
// rclone and lftp.
var sizeUnits = map[byte]float64{'K': 1 << 10, 'M': 1 << 20, 'G': 1 << 30, 'T': 1 << 40, 'P': 1 << 50}

// parseSize parses the SIZE of a size flag: "" is none (0); a whole
// number of bytes, optionally followed by B, or a number with a suffix
// K, M, G, T or P (powers of 1024), which may be written Ki, KiB or KB,
// in any case, as rclone takes them. --min-size 0 is no minimum;
// --max-size must be at least 1 byte (0 would leave out every file that
// is not empty).
func parseSize(flag, s string) (int64, error) {
	t := strings.ToUpper(strings.TrimSpace(s))
	if t == "" {
		return 0, nil
	}
	i := len(t)
	for i > 0 && (t[i-1] < '0' || t[i-1] > '9') && t[i-1] != '.' {
		i--
	}
	num, unit := t[:i], t[i:]
	mult := 1.0
	if unit != "" && unit != "B" {
		m, ok := sizeUnits[unit[0]]
		if rest := unit[1:]; !ok || rest != "" && rest != "I" && rest != "IB" && rest != "B" {
			return 0, badSize(flag, s)
		}
		mult = m
	}
	if num == "" || strings.Trim(num, "0123456789.") != "" || strings.Count(num, ".") > 1 || mult == 1 && strings.Contains(num, ".") {
		return 0, badSize(flag, s)
	}
	v, err := strconv.ParseFloat(num, 64)
	if err != nil || v*mult >= math.MaxInt64/2 {
		return 0, badSize(flag, s)
	}
	n := int64(math.Round(v * mult))
	if n < 1 && flag == "--max-size" {
		return 0, usageErrorf("%s: want at least 1 byte, got %q (0 would leave out every file that is not empty)", flag, s)
	}
	return n, nil
}

func badSize(flag, s string) error {
	return usageErrorf("%s: want a number of bytes with an optional suffix B, K, M, G, T or P (powers of 1024; KiB, MiB... too), got %q", flag, s)
}

// whenLayouts are the layouts of a WHEN without a zone, taken in the
// local zone.
var whenLayouts = []string{"2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02"}

// whenZoned are the layouts of a WHEN that names its zone (RFC 3339: Z
// or an offset, with or without the colon).
var whenZoned = []string{"2006-01-02T15:04:05Z07:00", "2006-01-02T15:04Z07:00", "2006-01-02T15:04:05Z0700", "2006-01-02T15:04Z0700"}

// parseWhen parses a WHEN: "" is none (the zero time); a date, a date and
// time in the local zone, one with Z or an offset (RFC 3339, seconds
// optional, T or a space between date and time, in any case), or an age
// before now (a number and s, m, h, d or w, or a Go duration such as
// 1h30m).
func parseWhen(flag, s string, now time.Time) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	up := strings.ToUpper(strings.TrimSpace(s))
	if len(up) > 10 && up[10] == ' ' {
		up = up[:10] + "T" + up[11:]
	}
	for _, l := range whenZoned {
		if t, err := time.Parse(l, up); err == nil {
			return t, nil
		}
	}
	for _, l := range whenLayouts {
		if t, err := time.ParseInLocation(l, s, time.Local); err == nil {
			return t, nil
		}
	}
	if n := len(s); n > 1 && (s[n-1] == 'd' || s[n-1] == 'w') {
		if v, err := strconv.ParseFloat(s[:n-1], 64); err == nil && v >= 0 && v < 1e5 {
			unit := 24 * time.Hour
			if s[n-1] == 'w' {
				unit *= 7
			}
			return now.Add(-time.Duration(v * float64(unit))), nil
		}
	}
	if d, err := time.ParseDuration(s); err == nil && d >= 0 {
		return now.Add(-d), nil
	}
	return time.Time{}, usageErrorf("%s: want a date (2024-05-01), a date and time (2024-05-01T12:00, in the local zone, or 2024-05-01T12:00Z, 2024-05-01T12:00+02:00) or an age (7d, 12h, 30m), got %q", flag, s)
}
