package client

import (
	"slices"
	"strings"
	"testing"
)

// checkFuzzedEntry checks what holds for every entry a parser returns: a
// non-empty name taken from the line, a target taken from the line, a size
// of -1 or more, and a zero time when the time is unknown.
func checkFuzzedEntry(t *testing.T, line string, e Entry) {
	t.Helper()
	if e.Name == "" || !strings.Contains(line, e.Name) {
		t.Fatalf("%q: Name %q is empty or not in the line", line, e.Name)
	}
	if !strings.Contains(line, e.Target) {
		t.Fatalf("%q: Target %q is not in the line", line, e.Target)
	}
	if e.Size < -1 {
		t.Fatalf("%q: Size %d", line, e.Size)
	}
	if (e.Precision == TimeUnknown) != e.ModTime.IsZero() {
		t.Fatalf("%q: ModTime %v with precision %d", line, e.ModTime, e.Precision)
	}
}

func FuzzParseListLine(f *testing.F) {
	for _, tables := range []map[string][]listCase{listTables(), lsLocaleTables(), unixVariantTables(), lsUntimedTests} {
		for _, cases := range tables {
			for _, c := range cases {
				f.Add(c.line)
			}
		}
	}
	for _, line := range []string{"total 12", "", "03-04-25  10:05 PM    <DIR>  x", "+\t", "-rw-r--r-- 1 a b 1 2024-03-04 12:34:56.1 +0100 x"} {
		f.Add(line)
	}
	// Other servers' formats (parse_list_lines_test.go) and their headers.
	for _, cases := range familyListTables() {
		for _, c := range cases {
			f.Add(c.line)
		}
	}
	for _, line := range slices.Concat(vmsBadLines, vmsHeaderLines, []string{"Name     VV.MM   Created       Changed      Size  Init   Mod   Id", "MAIL.DIR;1"}) {
		f.Add(line)
	}
	p := newListTestParser(listTestNow)
	f.Fuzz(func(t *testing.T, line string) {
		e, err := p.ParseLine(line)
		if err != nil {
			return
		}
		checkFuzzedEntry(t, line, e)
		if e.Facts != nil {
			t.Fatalf("%q: LIST entry with facts %v", line, e.Facts)
		}
	})
}

func FuzzParseMLSxLine(f *testing.F) {
	for _, cases := range mlsxTables() {
		for _, c := range cases {
			f.Add(c.line)
		}
	}
	f.Fuzz(func(t *testing.T, line string) {
		e, err := ParseMLSxLine(line)
		if err != nil {
			return
		}
		checkFuzzedEntry(t, line, e)
		if e.Facts == nil {
			t.Fatalf("%q: MLSx entry without facts", line)
		}
	})
}
