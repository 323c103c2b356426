package client

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// The untimed tables hold GNU ls -l lines (see lsTestNow) in locales whose
// month names lookupMonth does not know: Hebrew, Thai, Irish, Georgian,
// Armenian and Arabic, and the months of Croatian, Icelandic and Latvian
// that no other language shares. Each still gives its name, type, size,
// mode, owner and group, with Precision TimeUnknown and a zero ModTime.
// (Croatian "lip", "srp" and "lis" are read as Polish and Czech read them,
// a month later than Croatian means; Macedonian needs no table of its own.)
var lsUntimedTests = map[string][]listCase{
	"he_IL (no month table)": {
		{"drwxr-xr-x 2 root root 4096 פבר 29  2024 dir two", lsEntry("dir two", TimeUnknown)},
		{"prw------- 1 root root    0 ינו 15  2025 fifo", lsEntry("fifo", TimeUnknown)},
		{"-rw-r--r-- 1 root root    3 מאי  5  2022  lead  space", lsEntry(" lead  space", TimeUnknown)},
		{"lrwxrwxrwx 1 root root    6 ספט  9 00:00 link-old -> old-01", lsEntry("link-old", TimeUnknown)},
		{"-rw-r--r-- 1 root root    0 יונ 20 08:05 new-2026-06-20", lsEntry("new-2026-06-20", TimeUnknown)},
		{"-rw-r--r-- 1 root root 2048 דצמ  6 09:07 new-2026-12-06", lsEntry("new-2026-12-06", TimeUnknown)},
		{"-rwsr-xr-x 1 root root    0 פבר 15  2023 old-02", lsEntry("old-02", TimeUnknown)},
		{"-rw-r--r-- 1 root root    0 אוק 15  2023 old-10", lsEntry("old-10", TimeUnknown)},
		{"drwxrwxrwt 2 root root 4096 דצמ  5 23:59 tmp", lsEntry("tmp", TimeUnknown)},
	},
	"th_TH (no month table)": {
		{"drwxr-xr-x 2 root root 4096 ก.พ.  29  2024 dir two", lsEntry("dir two", TimeUnknown)},
		{"prw------- 1 root root    0 ม.ค.  15  2025 fifo", lsEntry("fifo", TimeUnknown)},
		{"-rw-r--r-- 1 root root    3 พ.ค.   5  2022  lead  space", lsEntry(" lead  space", TimeUnknown)},
		{"lrwxrwxrwx 1 root root    6 ก.ย.   9 00:00 link-old -> old-01", lsEntry("link-old", TimeUnknown)},
		{"-rw-r--r-- 1 root root    0 มิ.ย.  20 08:05 new-2026-06-20", lsEntry("new-2026-06-20", TimeUnknown)},
		{"-rw-r--r-- 1 root root 2048 ธ.ค.   6 09:07 new-2026-12-06", lsEntry("new-2026-12-06", TimeUnknown)},
		{"-rwsr-xr-x 1 root root    0 ก.พ.  15  2023 old-02", lsEntry("old-02", TimeUnknown)},
		{"-rw-r--r-- 1 root root    0 ต.ค.  15  2023 old-10", lsEntry("old-10", TimeUnknown)},
		{"drwxrwxrwt 2 root root 4096 ธ.ค.   5 23:59 tmp", lsEntry("tmp", TimeUnknown)},
	},
	"ga_IE (no month table)": {
		{"drwxr-xr-x 2 root root 4096 Feabh 29  2024 dir two", lsEntry("dir two", TimeUnknown)},
		{"prw------- 1 root root    0 Ean   15  2025 fifo", lsEntry("fifo", TimeUnknown)},
		{"-rw-r--r-- 1 root root    3 Beal   5  2022  lead  space", lsEntry(" lead  space", TimeUnknown)},
		{"lrwxrwxrwx 1 root root    6 MFómh  9 00:00 link-old -> old-01", lsEntry("link-old", TimeUnknown)},
		{"-rw-r--r-- 1 root root    0 Meith 20 08:05 new-2026-06-20", lsEntry("new-2026-06-20", TimeUnknown)},
		{"-rw-r--r-- 1 root root 2048 Noll   6 09:07 new-2026-12-06", lsEntry("new-2026-12-06", TimeUnknown)},
		{"-rwsr-xr-x 1 root root    0 Feabh 15  2023 old-02", lsEntry("old-02", TimeUnknown)},
		{"-rw-r--r-- 1 root root    0 DFómh 15  2023 old-10", lsEntry("old-10", TimeUnknown)},
		{"drwxrwxrwt 2 root root 4096 Noll   5 23:59 tmp", lsEntry("tmp", TimeUnknown)},
	},
	"ka_GE (no month table)": {
		{"drwxr-xr-x 2 root root 4096 თებ 29  2024 dir two", lsEntry("dir two", TimeUnknown)},
		{"prw------- 1 root root    0 იან 15  2025 fifo", lsEntry("fifo", TimeUnknown)},
		{"-rw-r--r-- 1 root root    3 მაი  5  2022  lead  space", lsEntry(" lead  space", TimeUnknown)},
		{"lrwxrwxrwx 1 root root    6 სექ  9 00:00 link-old -> old-01", lsEntry("link-old", TimeUnknown)},
		{"-rw-r--r-- 1 root root    0 ივნ 20 08:05 new-2026-06-20", lsEntry("new-2026-06-20", TimeUnknown)},
		{"-rw-r--r-- 1 root root 2048 დეკ  6 09:07 new-2026-12-06", lsEntry("new-2026-12-06", TimeUnknown)},
		{"-rwsr-xr-x 1 root root    0 თებ 15  2023 old-02", lsEntry("old-02", TimeUnknown)},
		{"-rw-r--r-- 1 root root    0 ოქტ 15  2023 old-10", lsEntry("old-10", TimeUnknown)},
		{"drwxrwxrwt 2 root root 4096 დეკ  5 23:59 tmp", lsEntry("tmp", TimeUnknown)},
	},
	"hy_AM (no month table)": {
		{"drwxr-xr-x 2 root root 4096 Փտր 29  2024 dir two", lsEntry("dir two", TimeUnknown)},
		{"prw------- 1 root root    0 Հնվ 15  2025 fifo", lsEntry("fifo", TimeUnknown)},
		{"-rw-r--r-- 1 root root    3 Մայ  5  2022  lead  space", lsEntry(" lead  space", TimeUnknown)},
		{"lrwxrwxrwx 1 root root    6 Սեպ  9 00:00 link-old -> old-01", lsEntry("link-old", TimeUnknown)},
		{"-rw-r--r-- 1 root root    0 Հնս 20 08:05 new-2026-06-20", lsEntry("new-2026-06-20", TimeUnknown)},
		{"-rw-r--r-- 1 root root 2048 Դեկ  6 09:07 new-2026-12-06", lsEntry("new-2026-12-06", TimeUnknown)},
		{"-rwsr-xr-x 1 root root    0 Փտր 15  2023 old-02", lsEntry("old-02", TimeUnknown)},
		{"-rw-r--r-- 1 root root    0 Հոկ 15  2023 old-10", lsEntry("old-10", TimeUnknown)},
		{"drwxrwxrwt 2 root root 4096 Դեկ  5 23:59 tmp", lsEntry("tmp", TimeUnknown)},
	},
	"ar_EG (no month table)": {
		{"drwxr-xr-x 2 root root 4096 فبر 29  2024 dir two", lsEntry("dir two", TimeUnknown)},
		{"prw------- 1 root root    0 ينا 15  2025 fifo", lsEntry("fifo", TimeUnknown)},
		{"-rw-r--r-- 1 root root    3 ماي  5  2022  lead  space", lsEntry(" lead  space", TimeUnknown)},
		{"lrwxrwxrwx 1 root root    6 سبت  9 00:00 link-old -> old-01", lsEntry("link-old", TimeUnknown)},
		{"-rw-r--r-- 1 root root    0 يون 20 08:05 new-2026-06-20", lsEntry("new-2026-06-20", TimeUnknown)},
		{"-rw-r--r-- 1 root root 2048 ديس  6 09:07 new-2026-12-06", lsEntry("new-2026-12-06", TimeUnknown)},
		{"-rwsr-xr-x 1 root root    0 فبر 15  2023 old-02", lsEntry("old-02", TimeUnknown)},
		{"-rw-r--r-- 1 root root    0 أكت 15  2023 old-10", lsEntry("old-10", TimeUnknown)},
		{"drwxrwxrwt 2 root root 4096 ديس  5 23:59 tmp", lsEntry("tmp", TimeUnknown)},
	},
	"hr_HR (months the table lacks)": {
		{"drwxr-xr-x 2 root root 4096 velj 29  2024 dir two", lsEntry("dir two", TimeUnknown)},
		{"prw------- 1 root root    0 sij  15  2025 fifo", lsEntry("fifo", TimeUnknown)},
		{"-rw-r--r-- 1 root root    3 svi   5  2022  lead  space", lsEntry(" lead  space", TimeUnknown)},
		{"lrwxrwxrwx 1 root root    6 ruj   9 00:00 link-old -> old-01", lsEntry("link-old", TimeUnknown)},
		{"-rw-r--r-- 1 root root    0 kol  15 12:00 new-2026-08-15", lsEntry("new-2026-08-15", TimeUnknown)},
		{"-rw-r--r-- 1 root root    0 ruj   9 00:00 new-2026-09-09", lsEntry("new-2026-09-09", TimeUnknown)},
		{"-rw-r--r-- 1 root root    0 stu  11 11:11 new-2026-11-11", lsEntry("new-2026-11-11", TimeUnknown)},
		{"-rw-r--r-- 1 root root    6 sij   8  2023 old-01", lsEntry("old-01", TimeUnknown)},
		{"-rwsr-xr-x 1 root root    0 velj 15  2023 old-02", lsEntry("old-02", TimeUnknown)},
		{"-rw-r--r-- 1 root root    0 ožu  22  2023 old-03", lsEntry("old-03", TimeUnknown)},
		{"-rw-r--r-- 1 root root    0 tra   1  2023 old-04", lsEntry("old-04", TimeUnknown)},
		{"-rw-r--r-- 1 root root    0 svi   8  2023 old-05", lsEntry("old-05", TimeUnknown)},
		{"-rw-r--r-- 1 root root    0 kol   1  2023 old-08", lsEntry("old-08", TimeUnknown)},
		{"-rw-r--r-- 1 root root    0 ruj   8  2023 old-09", lsEntry("old-09", TimeUnknown)},
		{"-rw-r--r-- 1 root root    0 stu  22  2023 old-11", lsEntry("old-11", TimeUnknown)},
	},
	"is_IS (months the table lacks)": {
		{"-rw-r--r-- 1 root root    3 maí  5  2022  lead  space", lsEntry(" lead  space", TimeUnknown)},
		{"-rw-r--r-- 1 root root    0 ágú 15 12:00 new-2026-08-15", lsEntry("new-2026-08-15", TimeUnknown)},
		{"-rw-r--r-- 1 root root    0 nóv 11 11:11 new-2026-11-11", lsEntry("new-2026-11-11", TimeUnknown)},
		{"-rw-r--r-- 1 root root    0 maí  8  2023 old-05", lsEntry("old-05", TimeUnknown)},
		{"-rw-r--r-- 1 root root    0 ágú  1  2023 old-08", lsEntry("old-08", TimeUnknown)},
		{"-rw-r--r-- 1 root root    0 nóv 22  2023 old-11", lsEntry("old-11", TimeUnknown)},
	},
	"lv_LV (months the table lacks)": {
		{"-rw-r--r-- 1 root root    0 jūn 20 08:05 new-2026-06-20", lsEntry("new-2026-06-20", TimeUnknown)},
		{"-rw-r--r-- 1 root root    0 jūl  1 23:59 new-2026-07-01", lsEntry("new-2026-07-01", TimeUnknown)},
		{"-rw-r--r-- 1 root root    0 jūn 15  2023 old-06", lsEntry("old-06", TimeUnknown)},
		{"-rw-r--r-- 1 root root    0 jūl 22  2023 old-07", lsEntry("old-07", TimeUnknown)},
	},
}

func TestListParserUntimed(t *testing.T) {
	p := newListTestParser(lsTestNow)
	for loc, cases := range lsUntimedTests {
		t.Run(loc, func(t *testing.T) {
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
	// Constructed lines: day first, a glued link count, a link.
	p = newListTestParser(listTestNow)
	for _, c := range []listCase{
		{"-rw-r--r-- 1 u g 29  6. Δεκέμβρη 09:07 name",
			Entry{Name: "name", Type: EntryFile, Size: 29, Mode: 0o644, Owner: "u", Group: "g"}},
		{"-rw-r--r--+3 u g 29 Δεκέμβρη  6 2019 two  spaces",
			Entry{Name: "two  spaces", Type: EntryFile, Size: 29, Mode: 0o644, Owner: "u", Group: "g"}},
		{"lrwxrwxrwx 1 0 0 7 6. დეკ. 09.07 a -> b",
			Entry{Name: "a", Type: EntryLink, Size: 7, Target: "b", Mode: 0o777, Owner: "0", Group: "0"}},
		// Impossible dates, known month or not: the entry without a
		// time, as the issue asks (lftp reads these lines too).
		{"-rw-r--r--   1 user group 10 Feb 30 12:34 feb-30",
			Entry{Name: "feb-30", Type: EntryFile, Size: 10, Mode: 0o644, Owner: "user", Group: "group"}},
		{"-rw-r--r--   1 user group 10 30. Feb 12:34 feb-30",
			Entry{Name: "feb-30", Type: EntryFile, Size: 10, Mode: 0o644, Owner: "user", Group: "group"}},
		{"-rw-r--r--   1 user group 10 Feb 30  2024 feb-30-year",
			Entry{Name: "feb-30-year", Type: EntryFile, Size: 10, Mode: 0o644, Owner: "user", Group: "group"}},
		{"-rw-r--r--   1 user group 10 Mar 32 12:34 day-32",
			Entry{Name: "day-32", Type: EntryFile, Size: 10, Mode: 0o644, Owner: "user", Group: "group"}},
		{"-rw-r--r--   1 user group 10 Mar  4 24:01 hour-24",
			Entry{Name: "hour-24", Type: EntryFile, Size: 10, Mode: 0o644, Owner: "user", Group: "group"}},
		{"-rw-r--r--   1 user group 10 Mar  4 12:60 minute-60",
			Entry{Name: "minute-60", Type: EntryFile, Size: 10, Mode: 0o644, Owner: "user", Group: "group"}},
		{"-rw-r--r-- 1 root root 3 מאי 32  2022 day-32",
			Entry{Name: "day-32", Type: EntryFile, Size: 3, Mode: 0o644, Owner: "root", Group: "root"}},
		{"-rw-r--r-- 1 root root 3 מאי  5 25:00 hour-25",
			Entry{Name: "hour-25", Type: EntryFile, Size: 3, Mode: 0o644, Owner: "root", Group: "root"}},
		{"-rw-r--r-- 1 u g 29 Dec 32 09:07 bad2.txt",
			Entry{Name: "bad2.txt", Type: EntryFile, Size: 29, Mode: 0o644, Owner: "u", Group: "g"}},
		{"-rw-r--r-- 1 u g 29 Dec  6 25:61 bad3.txt",
			Entry{Name: "bad3.txt", Type: EntryFile, Size: 29, Mode: 0o644, Owner: "u", Group: "g"}},
	} {
		got, err := p.ParseLine(c.line)
		if err != nil {
			t.Errorf("ParseLine(%q): %v", c.line, err)
			continue
		}
		checkParsedEntry(t, c.line, got, c.want)
	}
}

// TestListParserUntimedAmbiguous checks that lines whose date cannot be
// read stay unparsed when another field is out of place or missing, or
// the date's fields have no date's shape.
func TestListParserUntimedAmbiguous(t *testing.T) {
	p := newListTestParser(lsTestNow)
	for _, line := range []string{
		// FileZilla's tests/dirparsertest.cpp: no date at all.
		"drwxr-xr-x 3 slopri devlab 512 71-unix-dateless",
		// commons-net UnixFTPEntryParserTest: no time or year.
		"-rw-r--r--   1 14       staff       80284 Aug 22  zxJDBC-1.2.3.tar.gz",
		// GNU ls in Vietnamese puts the time first ("%H:%M %e %b").
		"lrwxrwxrwx 1 root root    6 00:00  9 Thg 9  link-old -> old-01",
		"-rw-r--r-- 1 root root    6  8 Thg 1   2023 old-01",
		// A device shows no size.
		"crw-rw-rw- 1 root root 1, 3 ნოე 30 22:15 nulldev",
		// No group, no link count, a size that is no number.
		"-rw-r--r-- 1 root    3 מאי  5  2022 no-group",
		"-rw-r--r-- root root    3 מאי  5  2022 no-links",
		"-rw-r--r-- 1 root root 3k מאי  5  2022 bad-size",
		// A word with digits where the month goes, a day of three
		// digits, a time of another shape.
		"-rw-r--r-- 1 root root 3 M4i  5  2022 digits",
		"-rw-r--r-- 1 root root 3 מאי 320  2022 day-320",
		"-rw-r--r-- 1 root root 3 מאי  5 25h00 hour-shape",
		// No name.
		"-rw-r--r-- 1 root root 3 מאי  5  2022",
		"-rw-r--r-- 1 root root 3 מאי  5  2022 ",
	} {
		e, err := p.ParseLine(line)
		if err == nil || errors.Is(err, ErrSkipLine) {
			t.Errorf("ParseLine(%q) = %+v, %v; want a parse error", line, e, err)
		}
	}
}

// TestLocalTotalLineSkipped checks that a listing's translated "total N"
// line is skipped, not reported as a line ferry cannot read.
func TestLocalTotalLineSkipped(t *testing.T) {
	p := &ListParser{Now: func() time.Time { return listTestNow }}
	entries, unparsed := p.Parse([]string{"insgesamt 20", "итого 4", "合計 8",
		"-rw-r--r-- 1 u g 29  6. Dez 09:07 name"})
	if len(unparsed) != 0 || len(entries) != 1 || entries[0].Name != "name" {
		t.Errorf("Parse = %d entries, unparsed %q; want the one file and no unparsed line", len(entries), unparsed)
	}
}

func TestLocalTotalLine(t *testing.T) {
	// The first lines of GNU ls -l in de, it, nl, sv, pl, cs, sk, hu,
	// ru, uk, be, bg, sr, el, tr, fi, et, eu, lt, ja, ko, zh_CN, zh_TW.
	for _, line := range []string{
		"insgesamt 20", "totale 20", "totaal 20", "totalt 20", "razem 20",
		"celkem 20", "celkom 20", "összesen 20", "итого 20", "загалом 20",
		"усяго 20", "общо 20", "укупно 20", "σύνολο 20", "toplam 20",
		"yhteensä 20", "kokku 20", "guztira 20", "viso 20", "合計 20",
		"합계 20", "总计 20", "總用量 20", "total 20", "Insgesamt 0\r\n",
	} {
		if !isLocalTotalLine(line) {
			t.Errorf("isLocalTotalLine(%q) = false, want true", line)
		}
	}
	for _, line := range []string{
		"insgesamt", "insgesamt 12 x", "insgesamt x", "summe 12", "-rw-r--r-- 1",
		"insgesamt12", "",
	} {
		if isLocalTotalLine(line) {
			t.Errorf("isLocalTotalLine(%q) = true, want false", line)
		}
	}
}

// TestMonthNames checks that every name of monthNameLists names one month
// in every language, and reads a few in other cases and spellings.
func TestMonthNames(t *testing.T) {
	seen := make(map[string]time.Month)
	for _, list := range monthNameLists {
		names := strings.Fields(list)
		if len(names) != 12 {
			t.Errorf("%q has %d names, want 12", list, len(names))
		}
		for i, name := range names {
			m := time.Month(i + 1)
			if prev, ok := seen[name]; ok && prev != m {
				t.Errorf("%q is %v in one list and %v in another", name, prev, m)
			}
			seen[name] = m
			if got := lookupMonth(name); got != m {
				t.Errorf("lookupMonth(%q) = %v, want %v", name, got, m)
			}
		}
	}
	for s, want := range map[string]time.Month{
		"DEZ": time.December, "Dez.": time.December, "déc.": time.December,
		"Juli,": time.July, "Jan.,": time.January, "d’abr.": time.April,
		"d'ag.": time.August, "ЯНВ": time.January, "Szept": time.September,
		"MÄRZ": time.March, "Φεβ": time.February,
		"": 0, ".": 0, "d’": 0, "foo": 0, "jui": 0, "lis.x": 0, "\xff": 0,
	} {
		if got := lookupMonth(s); got != want {
			t.Errorf("lookupMonth(%q) = %v, want %v", s, got, want)
		}
	}
}
