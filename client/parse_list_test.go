package client

import (
	"errors"
	"maps"
	"os"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The LIST tables are read with this clock and zone: a Monday afternoon in
// a zone one hour east of UTC.
var (
	listTestZone = time.FixedZone("UTC+1", 60*60)
	listTestNow  = time.Date(2025, time.March, 10, 15, 0, 0, 0, listTestZone)
)

// listCase is one LIST line and the entry it must give.
type listCase struct {
	line string
	want Entry
}

// listTime is a date and time in listTestZone.
func listTime(year int, month time.Month, day, hour, min int) time.Time {
	return time.Date(year, month, day, hour, min, 0, 0, listTestZone)
}

// listDay is midnight of a date in listTestZone.
func listDay(year int, month time.Month, day int) time.Time {
	return time.Date(year, month, day, 0, 0, 0, 0, listTestZone)
}

func newListTestParser(now time.Time) *ListParser {
	return &ListParser{Now: func() time.Time { return now }, Location: listTestZone}
}

// listTables are the LIST tables by server family; the fuzz targets use
// them as seeds.
func listTables() map[string][]listCase {
	return map[string][]listCase{
		"vsftpd":              vsftpdListTests,
		"proftpd":             proftpdListTests,
		"pure-ftpd":           pureFTPdListTests,
		"FileZilla Server":    fileZillaListTests,
		"IIS Unix style":      iisUnixListTests,
		"generic Unix":        unixVariantListTests,
		"NetWare":             netWareListTests,
		"Microsoft IIS / DOS": dosListTests,
		"EPLF":                eplfListTests,
	}
}

// checkParsedEntry compares every field of got with want, including the
// time's location.
func checkParsedEntry(t *testing.T, line string, got, want Entry) {
	t.Helper()
	if got.Name != want.Name {
		t.Errorf("%q: Name = %q, want %q", line, got.Name, want.Name)
	}
	if got.Type != want.Type {
		t.Errorf("%q: Type = %v, want %v", line, got.Type, want.Type)
	}
	if got.Size != want.Size {
		t.Errorf("%q: Size = %d, want %d", line, got.Size, want.Size)
	}
	if !got.ModTime.Equal(want.ModTime) || got.ModTime.Location() != want.ModTime.Location() {
		t.Errorf("%q: ModTime = %v, want %v", line, got.ModTime, want.ModTime)
	}
	if got.Precision != want.Precision {
		t.Errorf("%q: Precision = %d, want %d", line, got.Precision, want.Precision)
	}
	if got.Target != want.Target {
		t.Errorf("%q: Target = %q, want %q", line, got.Target, want.Target)
	}
	if got.Mode != want.Mode {
		t.Errorf("%q: Mode = %v (%#o), want %v (%#o)", line, got.Mode, uint32(got.Mode), want.Mode, uint32(want.Mode))
	}
	if got.Owner != want.Owner || got.Group != want.Group {
		t.Errorf("%q: Owner, Group = %q, %q, want %q, %q", line, got.Owner, got.Group, want.Owner, want.Group)
	}
	if !maps.Equal(got.Facts, want.Facts) || (got.Facts == nil) != (want.Facts == nil) {
		t.Errorf("%q: Facts = %v, want %v", line, got.Facts, want.Facts)
	}
}

func TestListParserParseLine(t *testing.T) {
	p := newListTestParser(listTestNow)
	total := 0
	for family, cases := range listTables() {
		total += len(cases)
		t.Run(family, func(t *testing.T) {
			for _, c := range cases {
				got, err := p.ParseLine(c.line)
				if err != nil {
					t.Errorf("ParseLine(%q): %v", c.line, err)
					continue
				}
				checkParsedEntry(t, c.line, got, c.want)
			}
		})
	}
	if total < 50 {
		t.Errorf("the LIST tables hold %d lines, want at least 50", total)
	}
	if n := len(listTables()); n < 4 {
		t.Errorf("the LIST tables cover %d server families, want at least 4", n)
	}
}

func TestListParserLineEndings(t *testing.T) {
	p := newListTestParser(listTestNow)
	c := proftpdListTests[1]
	for _, end := range []string{"\r\n", "\r", "\n"} {
		got, err := p.ParseLine(c.line + end)
		if err != nil {
			t.Fatalf("ParseLine(%q): %v", c.line+end, err)
		}
		checkParsedEntry(t, c.line+end, got, c.want)
	}
}

func TestListParserSkipLines(t *testing.T) {
	p := newListTestParser(listTestNow)
	for _, line := range []string{"", " ", "\t", "\r\n", "total 0", "total 123", "TOTAL 5", "total\t8\r"} {
		if _, err := p.ParseLine(line); err != ErrSkipLine {
			t.Errorf("ParseLine(%q) error = %v, want ErrSkipLine", line, err)
		}
	}
}

func TestListParserErrors(t *testing.T) {
	p := newListTestParser(listTestNow)
	bad := []string{
		"total",
		"total 12 blocks",
		"hello world this is no listing",
		"000000000x ",
		"Zrwxrwxrwx   1 root     other          7 Jan 25 00:17 bin",
		"-rw-r--r-x-  1 root     other          7 Jan 25 00:17 bad-mode",
		"-rwxrwxrwq   1 root     other          7 Jan 25 00:17 bad-perm",
		"drwxr-xr-x    3 110      1002            3 Dec 02  209 pub",
		"-rw-r--r--   1 user group 10 Mar  4 12:34",
		"-rw-r--r--   1 user group 10 Mar  4 12:34 ",
		"lrwxrwxrwx   1 user group 10 Mar  4 12:34  -> target",
		"-rw-r--r--   1 user 10 Foo  4 12:34 bad-month",
		"-rw-r--r--   1 user group 1x0 Mar  4 12:34 bad-size",
		"drwxr-xr-x   3 user group 4096 2024-13-04 12:34 bad-iso",
		"crw-rw-rw-   1 root root   x,  3 Mar  4 12:34 bad-device",
		"13-04-25  10:05AM       <DIR>          bad month",
		"03-04-25  13:05PM       <DIR>          bad hour",
		"03-04-25  10:05XM       <DIR>          bad suffix",
		"03-04-25  10:05AM       <DIR>",
		"03-04-25  10:05AM                 12x4 bad size",
		"03-04-25  10:05AM                 1234",
		"+i1,m12x,r,\tbad-time",
		"+i1,r,s1",
		"+i1,r,\t",
		"+i1,r,s-5,\tnegative",
		"+up9,r,\tbad-mode",
	}
	for _, line := range bad {
		_, err := p.ParseLine(line)
		if err == nil || errors.Is(err, ErrSkipLine) {
			t.Errorf("ParseLine(%q) error = %v, want a parse error", line, err)
			continue
		}
		if !strings.HasPrefix(err.Error(), "ftp: unparseable LIST line ") || !strings.Contains(err.Error(), strconv.Quote(line)) {
			t.Errorf("ParseLine(%q) error = %q, want it to name the line", line, err)
		}
	}
}

func TestListParserYearInference(t *testing.T) {
	tests := []struct {
		now  time.Time
		date string
		want time.Time
	}{
		// Around New Year, just after midnight.
		{listTime(2026, time.January, 1, 0, 30), "Dec 31 23:59", listTime(2025, time.December, 31, 23, 59)},
		{listTime(2026, time.January, 1, 0, 30), "Jan  1 00:10", listTime(2026, time.January, 1, 0, 10)},
		{listTime(2026, time.January, 1, 0, 30), "Jan  2 08:00", listTime(2026, time.January, 2, 8, 0)},
		{listTime(2026, time.January, 1, 0, 30), "Jun 30 00:30", listTime(2026, time.June, 30, 0, 30)},
		{listTime(2026, time.January, 1, 0, 30), "Jun 30 00:31", listTime(2025, time.June, 30, 0, 31)},
		// Just before New Year: a server ahead of us lists next year's dates.
		{listTime(2025, time.December, 31, 23, 30), "Jan  1 01:00", listTime(2026, time.January, 1, 1, 0)},
		{listTime(2025, time.December, 31, 23, 30), "Jan  3 23:30", listTime(2026, time.January, 3, 23, 30)},
		{listTime(2025, time.December, 31, 23, 30), "Jan  3 23:31", listTime(2025, time.January, 3, 23, 31)},
		{listTime(2025, time.December, 31, 23, 30), "Dec 31 23:00", listTime(2025, time.December, 31, 23, 0)},
		{listTime(2025, time.December, 31, 23, 30), "Jul  5 10:00", listTime(2025, time.July, 5, 10, 0)},
		// 180 days ahead is the limit.
		{listTestNow, "Mar 10 15:00", listTime(2025, time.March, 10, 15, 0)},
		{listTestNow, "Sep  6 15:00", listTime(2025, time.September, 6, 15, 0)},
		{listTestNow, "Sep  6 15:01", listTime(2024, time.September, 6, 15, 1)},
		{listTestNow, "Dec 24 08:00", listTime(2024, time.December, 24, 8, 0)},
		// February 29 goes to the latest leap year that fits.
		{listTestNow, "Feb 29 10:00", listTime(2024, time.February, 29, 10, 0)},
		{listTime(2024, time.March, 1, 12, 0), "Feb 29 10:00", listTime(2024, time.February, 29, 10, 0)},
		{listTime(2027, time.January, 5, 12, 0), "Feb 29 10:00", listTime(2024, time.February, 29, 10, 0)},
		// Now in another zone: the year is that of Location.
		{time.Date(2025, time.December, 31, 23, 30, 0, 0, time.UTC), "Jan  1 00:15", listTime(2026, time.January, 1, 0, 15)},
	}
	for _, tt := range tests {
		line := "-rw-r--r--   1 user group 10 " + tt.date + " file"
		got, err := newListTestParser(tt.now).ParseLine(line)
		if err != nil {
			t.Errorf("now %v: ParseLine(%q): %v", tt.now, line, err)
			continue
		}
		if !got.ModTime.Equal(tt.want) || got.Precision != TimeMinute {
			t.Errorf("now %v, %q: ModTime = %v (precision %d), want %v", tt.now, tt.date, got.ModTime, got.Precision, tt.want)
		}
	}
}

func TestListParserParse(t *testing.T) {
	lines := []string{
		"total 16\r",
		"drwxr-xr-x    2 1000       1000             4096 Mar  4 12:34 .\r",
		"drwxr-xr-x    8 0          0                4096 Feb 11 09:30 ..\r",
		"-rw-r--r--    1 1000       1000         73400320 Mar  7 16:45 video.mp4\r",
		"this line is not a listing\r",
		"",
		"lrwxrwxrwx    1 1000       1000               10 Jan 20 11:11 docs -> share/docs\r",
		"-rw-r--r--    1 1000       1000               12 Feb 31 13:00 bad-date\r",
		"drwxr-xr-x    2 1000       1000             4096 Mar  1 08:00 .. and more\r",
	}
	entries, unparsed := newListTestParser(listTestNow).Parse(lines)
	want := []Entry{
		{Name: "video.mp4", Type: EntryFile, Size: 73400320, ModTime: listTime(2025, time.March, 7, 16, 45), Precision: TimeMinute, Mode: 0o644, Owner: "1000", Group: "1000"},
		{Name: "docs", Type: EntryLink, Size: 10, ModTime: listTime(2025, time.January, 20, 11, 11), Precision: TimeMinute, Target: "share/docs", Mode: 0o777, Owner: "1000", Group: "1000"},
		// An impossible date: the entry, without a time.
		{Name: "bad-date", Type: EntryFile, Size: 12, Mode: 0o644, Owner: "1000", Group: "1000"},
		{Name: ".. and more", Type: EntryDir, Size: 4096, ModTime: listTime(2025, time.March, 1, 8, 0), Precision: TimeMinute, Mode: 0o755, Owner: "1000", Group: "1000"},
	}
	if len(entries) != len(want) {
		t.Fatalf("Parse gave %d entries, want %d: %+v", len(entries), len(want), entries)
	}
	for i := range want {
		checkParsedEntry(t, lines[i], entries[i], want[i])
	}
	wantUnparsed := []string{lines[4]}
	if !reflect.DeepEqual(unparsed, wantUnparsed) {
		t.Errorf("unparsed = %q, want %q", unparsed, wantUnparsed)
	}
}

func TestListParserParseClean(t *testing.T) {
	entries, unparsed := newListTestParser(listTestNow).Parse(nil)
	if len(entries) != 0 || unparsed != nil {
		t.Errorf("Parse(nil) = %v, %q; want no entries and nil", entries, unparsed)
	}
}

func TestListParserZeroValue(t *testing.T) {
	var p ListParser
	got, err := p.ParseLine("-rw-r--r--   1 user group 10 Mar  4  2019 old.txt")
	if err != nil {
		t.Fatal(err)
	}
	want := time.Date(2019, time.March, 4, 0, 0, 0, 0, time.UTC)
	if !got.ModTime.Equal(want) || got.ModTime.Location() != time.UTC || got.Precision != TimeDay {
		t.Errorf("ModTime = %v (precision %d), want %v", got.ModTime, got.Precision, want)
	}
	// A time of day lands within the year before the real clock's now.
	got, err = p.ParseLine("-rw-r--r--   1 user group 10 Jan  1 00:00 recent.txt")
	if err != nil {
		t.Fatal(err)
	}
	if now := time.Now(); got.ModTime.After(now.Add(maxFuture)) || got.ModTime.Before(now.AddDate(-1, 0, -1)) {
		t.Errorf("ModTime = %v, not within a year of now", got.ModTime)
	}
}

func TestListParserNil(t *testing.T) {
	var p *ListParser
	got, err := p.ParseLine("-rw-r--r--   1 user group 10 Mar  4  2019 nil.txt")
	if err != nil || got.Name != "nil.txt" || got.ModTime.Location() != time.UTC {
		t.Errorf("nil parser: %+v, %v", got, err)
	}
}

func TestListParserModes(t *testing.T) {
	p := newListTestParser(listTestNow)
	tests := []struct {
		mode string
		typ  EntryType
		want os.FileMode
	}{
		{"----------", EntryFile, 0},
		{"-rwxrwxrwx", EntryFile, 0o777},
		{"-rwsr-xr-x", EntryFile, os.ModeSetuid | 0o755},
		{"-rwSr--r--", EntryFile, os.ModeSetuid | 0o644},
		{"drwxr-sr-x", EntryDir, os.ModeSetgid | 0o755},
		{"drwxr-Sr-x", EntryDir, os.ModeSetgid | 0o745},
		{"drwxrwxrwt", EntryDir, os.ModeSticky | 0o777},
		{"drwxrwxrwT", EntryDir, os.ModeSticky | 0o776},
		{"-rw-r-lr--", EntryFile, os.ModeSetgid | 0o644},
		{"lrwxrwxrwx", EntryLink, 0o777},
		{"crw-rw-rw-", EntryOther, 0o666},
		{"brw-rw----", EntryOther, 0o660},
		{"prw-------", EntryOther, 0o600},
		{"srwxr-xr-x", EntryOther, 0o755},
		{"Dr--r--r--", EntryOther, 0o444},
		{"-rw-r--r--+", EntryFile, 0o644},
		{"-rw-r--r--@", EntryFile, 0o644},
		{"-rw-r--r--.", EntryFile, 0o644},
	}
	for _, tt := range tests {
		line := tt.mode + " 1 user group 0 Mar  4 12:34 f"
		got, err := p.ParseLine(line)
		if err != nil {
			t.Errorf("ParseLine(%q): %v", line, err)
			continue
		}
		if got.Type != tt.typ || got.Mode != tt.want {
			t.Errorf("%s: Type, Mode = %v, %v; want %v, %v", tt.mode, got.Type, got.Mode, tt.typ, tt.want)
		}
	}
}
