package main

import (
	"slices"
	"testing"
)

func TestParsePorts(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want []int
	}{
		{"2121", []int{2121}},
		{"10240-10243", []int{10240, 10241, 10242, 10243}},
		{"21, 30000-30001", []int{21, 30000, 30001}},
		{"", nil},
		{"0", nil},
		{"10-5", nil},
		{"1-70000", nil},
		{"x-3", nil},
	} {
		got, err := parsePorts(tt.in)
		if (err == nil) != (tt.want != nil) || !slices.Equal(got, tt.want) {
			t.Errorf("parsePorts(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
}
