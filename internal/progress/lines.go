package progress

import (
	"strings"
	"time"
)

// rateWindow is how many frames the live rate is averaged over: about two
// seconds at the default interval.
const rateWindow = 32

// minNameWidth is the fewest columns a live line gives a file name.
const minNameWidth = 8

// barNameWidth is the fewest columns a live line gives a file name before
// it drops the bar to make room.
const barNameWidth = 20

// sample is the bytes a transfer had moved at one frame.
type sample struct {
	t     time.Time
	moved int64
}

// bar updates the widget to the transfer's position and returns its text.
func (fb *fileBar) bar(moved int64) string {
	if fb.widget == nil {
		return ""
	}
	if fb.size > 0 {
		_ = fb.widget.Set64(min(fb.offset+moved, fb.size))
	} else if moved != fb.lastSeen {
		_ = fb.widget.RenderBlank() // one step of the spinner
	}
	return strings.TrimSpace(fb.widget.String())
}

// rate records a sample and returns the bytes per second over the last
// rateWindow frames, or since the start before that many.
func (fb *fileBar) rate(now time.Time, moved int64) float64 {
	fb.ring[fb.next] = sample{now, moved}
	fb.next = (fb.next + 1) % rateWindow
	old := fb.ring[fb.next]
	d := now.Sub(old.t).Seconds()
	if d <= 0 {
		return 0
	}
	return float64(moved-old.moved) / d
}

// columns returns a live line's columns after the name: bytes, bar, rate
// and ETA.
func (fb *fileBar) columns(now time.Time) [4]string {
	moved := fb.moved.Load()
	pos := fb.offset + moved
	r := fb.rate(now, moved)
	bar := fb.bar(moved)
	fb.lastSeen = moved
	if fb.size < 0 {
		return [4]string{FormatBytes(pos), bar, FormatRate(r), ""}
	}
	eta := time.Duration(-1)
	if r > 0 {
		eta = time.Duration(float64(max(fb.size-pos, 0)) / r * float64(time.Second))
	}
	return [4]string{
		FormatBytes(pos) + "/" + FormatBytes(fb.size),
		bar,
		FormatRate(r),
		"ETA " + formatETA(eta),
	}
}

// liveLines lays out the lines of running transfers as a table that fits in
// cols columns: the name, then the bytes and rate right-aligned, the bar and
// the ETA. When names would get fewer than barNameWidth columns, the bar is
// dropped; names are then shortened to fit.
func liveLines(fbs []*fileBar, now time.Time, cols int) []string {
	if len(fbs) == 0 {
		return nil
	}
	type cell struct {
		s string
		w int
	}
	rows := make([][4]cell, len(fbs))
	nameW := 0
	var colW [4]int
	for i, fb := range fbs {
		nameW = max(nameW, width(fb.name))
		for c, s := range fb.columns(now) {
			rows[i][c] = cell{s, width(s)}
			colW[c] = max(colW[c], rows[i][c].w)
		}
	}
	rest := func() int {
		n := 0
		for _, w := range colW {
			if w > 0 {
				n += 2 + w
			}
		}
		return n
	}
	if cols > 0 && cols-1-rest() < min(nameW, barNameWidth) {
		colW[1] = 0 // the name needs the room more than the bar does
	}
	if cols > 0 {
		nameW = min(nameW, max(cols-1-rest(), minNameWidth))
	}
	lines := make([]string, len(fbs))
	for i, fb := range fbs {
		var l strings.Builder
		name := shorten(fb.name, nameW)
		l.WriteString(pad(name, width(name), nameW, false))
		for c, cl := range rows[i] {
			if colW[c] > 0 {
				l.WriteString("  ")
				l.WriteString(pad(cl.s, cl.w, colW[c], c == 0 || c == 2))
			}
		}
		line := strings.TrimRight(l.String(), " ")
		if cols > 0 && nameW+rest() > cols-1 {
			line = cut(line, cols-1)
		}
		lines[i] = line
	}
	return lines
}

// finalLine returns the line left when the transfer ends, fitted into cols
// columns (0 for no limit): "name  12.0 MiB  35.2 MiB/s  done", or with
// "failed: <error>".
func (fb *fileBar) finalLine(cols int) string {
	moved := fb.moved.Load()
	pos := fb.offset + moved
	size := FormatBytes(pos)
	if fb.err != nil && fb.size > 0 && pos != fb.size {
		size += "/" + FormatBytes(fb.size)
	}
	status := "done"
	if fb.err != nil {
		msg, _, _ := strings.Cut(fb.err.Error(), "\n")
		status = "failed: " + sanitize(msg)
	} else if fb.offset > 0 {
		status += " (resumed at " + FormatBytes(fb.offset) + ")"
	}
	rest := "  " + size + "  " + FormatRate(float64(moved)/fb.end.Sub(fb.start).Seconds()) + "  " + status
	if cols <= 0 {
		return fb.name + rest
	}
	// The name keeps barNameWidth columns; a long error is cut instead.
	name := shorten(fb.name, max(cols-1-width(rest), barNameWidth))
	return cut(name+rest, cols-1)
}
