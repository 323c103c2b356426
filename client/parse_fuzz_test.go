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
	for _, cases := range allListTables() {
		for _, c := range cases {
			f.Add(c.line)
		}
	}
	for _, line := range []string{"total 12", "", "03-04-25  10:05 PM    <DIR>  x", "+\t", "-rw-r--r-- 1 a b 1 2024-03-04 12:34:56.1 +0100 x"} {
		f.Add(line)
	}
	// Other servers' formats' bad lines and headers.
	for _, line := range slices.Concat(vmsBadLines, vmsHeaderLines, []string{"Name     VV.MM   Created       Changed      Size  Init   Mod   Id", "MAIL.DIR;1"},
		cmsBadLines, cmsHeaderLines, nonStopBadLines, nonStopHeaderLines, vxWorksBadLines, vxWorksHeaderLines) {
		f.Add(line)
	}
	f.Fuzz(func(t *testing.T, line string) {
		var e Entry
		fam, err := parseListLine(line, listTestNow, listTestZone, &e)
		if err != nil {
			return
		}
		if fam == famCMS && e.Type == EntryFile {
			// A CMS file "NAME TYPE" is named "NAME.TYPE": both
			// parts must be fields of the line.
			name, typ, _ := strings.Cut(e.Name, ".")
			if typ == "" || !strings.Contains(line, " "+typ+" ") {
				t.Fatalf("%q: CMS name %q has no file type from the line", line, e.Name)
			}
			e.Name = name
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
