package testsupport

import (
	"slices"
	"testing"
)

func TestReplay(t *testing.T) {
	for _, tt := range []struct {
		name, out string
		lines     []string
		rows      int
	}{
		{"text", "one\ntwo\n", []string{"one", "two"}, 2},
		{"carriage return overwrites", "12345\rab\n", []string{"ab345"}, 1},
		{"erase line", "12345\rab\x1b[K\n", []string{"ab"}, 1},
		{"redraw in place", "a 1\x1b[K\r\nb 1\x1b[K\r\n\x1b[J\x1b[2A\ra 2\x1b[K\r\n\x1b[J", []string{"a 2"}, 2},
		{"cursor up without a count moves one", "x\ny\x1b[A\rz\n", []string{"z", "y"}, 2},
		{"cursor up stops at the top", "x\x1b[9A\ry\n", []string{"y"}, 1},
		{"blanks at the end", "a  \n  \n\n", []string{"a"}, 2},
		{"nothing", "", nil, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := Replay(t, tt.out)
			if got := s.Lines(); !slices.Equal(got, tt.lines) {
				t.Errorf("Lines() = %q, want %q", got, tt.lines)
			}
			if s.Rows() != tt.rows {
				t.Errorf("Rows() = %d, want %d", s.Rows(), tt.rows)
			}
		})
	}
}

// An escape sequence Screen does not know fails the test.
func TestReplayUnknownEscape(t *testing.T) {
	for _, out := range []string{"a\x1b[2Hb", "a\x1b]0;title\a"} {
		if !fails(func(tb testing.TB) { Replay(tb, out) }) {
			t.Errorf("Replay(%q) did not fail the test", out)
		}
	}
}
