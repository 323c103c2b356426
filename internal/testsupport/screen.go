package testsupport

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// csi matches a control sequence: CSI, a decimal parameter, a final letter.
var csi = regexp.MustCompile(`^\x1b\[(\d*)([A-Za-z])`)

// Screen is a terminal of unlimited width and height replayed from a
// program's output, for tests of what a live display leaves on a
// terminal. It knows only what a progress display writes: printable text,
// CR, LF, and the control sequences cursor up (CSI n A), erase to the end
// of the line (CSI K) and erase to the end of the display (CSI J).
type Screen struct {
	grid [][]rune
	rows int // rows text has been written on
}

// Replay interprets out on an empty Screen; it fails the test on an escape
// sequence Screen does not know.
func Replay(t testing.TB, out string) *Screen {
	t.Helper()
	s := &Screen{}
	row, col := 0, 0
	at := func() {
		for len(s.grid) <= row {
			s.grid = append(s.grid, nil)
		}
	}
	for i := 0; i < len(out); {
		if m := csi.FindStringSubmatch(out[i:]); m != nil {
			i += len(m[0])
			at()
			n, _ := strconv.Atoi(m[1])
			switch m[2] {
			case "A":
				row = max(row-max(n, 1), 0)
			case "K":
				s.grid[row] = s.grid[row][:min(col, len(s.grid[row]))]
			case "J":
				s.grid[row] = s.grid[row][:min(col, len(s.grid[row]))]
				s.grid = s.grid[:row+1]
			default:
				t.Fatalf("unknown escape sequence %q", m[0])
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(out[i:])
		i += size
		switch r {
		case '\x1b':
			t.Fatalf("unknown escape sequence in %q", out[i-1:min(i+8, len(out))])
		case '\r':
			col = 0
		case '\n':
			row, col = row+1, 0
		default:
			at()
			s.rows = max(s.rows, row+1)
			for len(s.grid[row]) <= col {
				s.grid[row] = append(s.grid[row], ' ')
			}
			s.grid[row][col] = r
			col++
		}
	}
	return s
}

// Lines returns the lines left on the screen, each without the blanks at
// its end, and without the blank lines at the bottom.
func (s *Screen) Lines() []string {
	var l []string
	for _, r := range s.grid {
		l = append(l, strings.TrimRight(string(r), " "))
	}
	for len(l) > 0 && l[len(l)-1] == "" {
		l = l[:len(l)-1]
	}
	return l
}

// Rows returns how many rows of the screen text has ever been written on,
// whether or not it was erased later.
func (s *Screen) Rows() int { return s.rows }
