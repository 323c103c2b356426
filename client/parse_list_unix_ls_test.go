package client

import (
	"os"
	"testing"
	"time"
)

// The GNU ls tables hold real "ls -l" output: GNU coreutils 9.1 with the
// glibc 2.36 locale data and coreutils' own translations of its date
// formats, run on 2026-12-06 at about 15:00 (TZ=UTC) in a folder holding
// the files of lsTestFiles, once per locale:
//
//	localedef -i de_DE -f UTF-8 /tmp/loc/de_DE.UTF-8
//	LOCPATH=/tmp/loc LC_ALL=de_DE.UTF-8 ls -l
//
// Servers that run ls for LIST (inetutils ftpd runs "ls -lgA") send these
// lines as they are; "-lgA" leaves out the owner, "-lG" the group and
// "-ln" shows numeric ids. A file modified in the last six months shows a
// time of day, an older one its year. The expected entries come from the
// files' own data (lsTestFiles), not from the parser.
var lsTestNow = time.Date(2026, time.December, 6, 15, 0, 0, 0, listTestZone)

// lsFile is what stat said of a file of the GNU ls tables.
type lsFile struct {
	typ    EntryType
	size   int64 // -1 for the device, which ls shows as "1, 3"
	mode   os.FileMode
	mtime  time.Time
	target string
}

var lsTestFiles = map[string]lsFile{
	" lead  space":   {EntryFile, 3, 0o644, listTime(2022, time.May, 5, 12, 0), ""},
	"dir two":        {EntryDir, 4096, 0o755, listTime(2024, time.February, 29, 10, 0), ""},
	"fifo":           {EntryOther, 0, 0o600, listTime(2025, time.January, 15, 6, 30), ""},
	"link-old":       {EntryLink, 6, 0o777, listTime(2026, time.September, 9, 0, 0), "old-01"},
	"new-2026-06-20": {EntryFile, 0, 0o644, listTime(2026, time.June, 20, 8, 5), ""},
	"new-2026-07-01": {EntryFile, 0, 0o644, listTime(2026, time.July, 1, 23, 59), ""},
	"new-2026-08-15": {EntryFile, 0, 0o644, listTime(2026, time.August, 15, 12, 0), ""},
	"new-2026-09-09": {EntryFile, 0, 0o644, listTime(2026, time.September, 9, 0, 0), ""},
	"new-2026-10-31": {EntryFile, 0, 0o644, listTime(2026, time.October, 31, 18, 30), ""},
	"new-2026-11-11": {EntryFile, 0, 0o644, listTime(2026, time.November, 11, 11, 11), ""},
	"new-2026-12-01": {EntryFile, 0, 0o644, listTime(2026, time.December, 1, 7, 7), ""},
	"new-2026-12-06": {EntryFile, 2048, 0o644, listTime(2026, time.December, 6, 9, 7), ""},
	"nulldev":        {EntryOther, -1, 0o666, listTime(2026, time.November, 30, 22, 15), ""},
	"old-01":         {EntryFile, 6, 0o644, listTime(2023, time.January, 8, 9, 7), ""},
	"old-02":         {EntryFile, 0, os.ModeSetuid | 0o755, listTime(2023, time.February, 15, 9, 7), ""},
	"old-03":         {EntryFile, 0, 0o644, listTime(2023, time.March, 22, 9, 7), ""},
	"old-04":         {EntryFile, 0, 0o644, listTime(2023, time.April, 1, 9, 7), ""},
	"old-05":         {EntryFile, 0, 0o644, listTime(2023, time.May, 8, 9, 7), ""},
	"old-06":         {EntryFile, 0, 0o644, listTime(2023, time.June, 15, 9, 7), ""},
	"old-07":         {EntryFile, 0, 0o644, listTime(2023, time.July, 22, 9, 7), ""},
	"old-08":         {EntryFile, 0, 0o644, listTime(2023, time.August, 1, 9, 7), ""},
	"old-09":         {EntryFile, 0, 0o644, listTime(2023, time.September, 8, 9, 7), ""},
	"old-10":         {EntryFile, 0, 0o644, listTime(2023, time.October, 15, 9, 7), ""},
	"old-11":         {EntryFile, 0, 0o644, listTime(2023, time.November, 22, 9, 7), ""},
	"old-12":         {EntryFile, 0, 0o644, listTime(2023, time.December, 1, 9, 7), ""},
	"tmp":            {EntryDir, 4096, os.ModeSticky | 0o777, listTime(2026, time.December, 5, 23, 59), ""},
}

// lsEntry is the entry a GNU ls line for the file name must give, with
// owner and group "root" and the time as far as prec tells it.
func lsEntry(name string, prec TimePrecision) Entry {
	return lsEntryOG(name, prec, "root", "root")
}

// lsEntryOG is lsEntry with the given owner and group.
func lsEntryOG(name string, prec TimePrecision, owner, group string) Entry {
	f, ok := lsTestFiles[name]
	if !ok {
		panic("no file " + name + " in lsTestFiles")
	}
	e := Entry{Name: name, Type: f.typ, Size: f.size, Mode: f.mode, Target: f.target, Owner: owner, Group: group, Precision: prec}
	switch prec {
	case TimeMinute:
		e.ModTime = f.mtime
	case TimeDay:
		y, m, d := f.mtime.Date()
		e.ModTime = listDay(y, m, d)
	}
	return e
}

// lsLocaleTables returns the GNU ls tables by locale.
func lsLocaleTables() map[string][]listCase {
	all := make(map[string][]listCase)
	for _, part := range []map[string][]listCase{lsWestTests, lsEastTests, lsMoreTests} {
		for loc, cases := range part {
			all[loc] = cases
		}
	}
	return all
}

func TestListParserGNULsLocales(t *testing.T) {
	p := newListTestParser(lsTestNow)
	for loc, cases := range lsLocaleTables() {
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
}
