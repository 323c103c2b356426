package client

import (
	"os"
	"time"
)

// Microsoft IIS (MS-DOS listing style) and DOS "dir" lines. IIS puts
// "<DIR>" in a column followed by ten spaces and right-aligns sizes.
var dosListTests = []listCase{
	{"03-04-25  10:05AM       <DIR>          Billing",
		Entry{Name: "Billing", Type: EntryDir, Size: -1, ModTime: listTime(2025, time.March, 4, 10, 5), Precision: TimeMinute}},
	{"03-04-25  10:05AM                 1234 report.txt",
		Entry{Name: "report.txt", Type: EntryFile, Size: 1234, ModTime: listTime(2025, time.March, 4, 10, 5), Precision: TimeMinute}},
	{"12-31-24  11:59PM                  718 Post_PRR_20150901_1166_265118_13049.dat",
		Entry{Name: "Post_PRR_20150901_1166_265118_13049.dat", Type: EntryFile, Size: 718, ModTime: listTime(2024, time.December, 31, 23, 59), Precision: TimeMinute}},
	{"01-01-25  12:00AM       <DIR>          midnight dir",
		Entry{Name: "midnight dir", Type: EntryDir, Size: -1, ModTime: listTime(2025, time.January, 1, 0, 0), Precision: TimeMinute}},
	{"01-01-25  12:30PM                    0 noon.txt",
		Entry{Name: "noon.txt", Type: EntryFile, Size: 0, ModTime: listTime(2025, time.January, 1, 12, 30), Precision: TimeMinute}},
	{"08-07-2015  07:50PM                  718 four digit year.dat",
		Entry{Name: "four digit year.dat", Type: EntryFile, Size: 718, ModTime: listTime(2015, time.August, 7, 19, 50), Precision: TimeMinute}},
	{"08-10-2015  02:04PM       <DIR>          Program Files",
		Entry{Name: "Program Files", Type: EntryDir, Size: -1, ModTime: listTime(2015, time.August, 10, 14, 4), Precision: TimeMinute}},
	{"03-04-2025  22:05                 1234 24-hour.log",
		Entry{Name: "24-hour.log", Type: EntryFile, Size: 1234, ModTime: listTime(2025, time.March, 4, 22, 5), Precision: TimeMinute}},
	{"03-04-25  10:05AM       <DIR>            two leading spaces",
		Entry{Name: "  two leading spaces", Type: EntryDir, Size: -1, ModTime: listTime(2025, time.March, 4, 10, 5), Precision: TimeMinute}},
	{"03-04-25  10:05AM                   55  leading space.txt",
		Entry{Name: " leading space.txt", Type: EntryFile, Size: 55, ModTime: listTime(2025, time.March, 4, 10, 5), Precision: TimeMinute}},
	{"11-30-99  03:00PM                  100 y2k.txt",
		Entry{Name: "y2k.txt", Type: EntryFile, Size: 100, ModTime: listTime(1999, time.November, 30, 15, 0), Precision: TimeMinute}},
	{"01-01-69  12:00AM                    1 1969.txt",
		Entry{Name: "1969.txt", Type: EntryFile, Size: 1, ModTime: listTime(1969, time.January, 1, 0, 0), Precision: TimeMinute}},
	{"12-31-68  11:00PM                    1 2068.txt",
		Entry{Name: "2068.txt", Type: EntryFile, Size: 1, ModTime: listTime(2068, time.December, 31, 23, 0), Precision: TimeMinute}},
	{"02-29-24  09:00am                  100 leap day.txt",
		Entry{Name: "leap day.txt", Type: EntryFile, Size: 100, ModTime: listTime(2024, time.February, 29, 9, 0), Precision: TimeMinute}},
	{"03/04/2025  10:05 PM    <DIR>          slashes",
		Entry{Name: "slashes", Type: EntryDir, Size: -1, ModTime: listTime(2025, time.March, 4, 22, 5), Precision: TimeMinute}},
	{"03-04-25  10:05AM         123456789012 huge.bin",
		Entry{Name: "huge.bin", Type: EntryFile, Size: 123456789012, ModTime: listTime(2025, time.March, 4, 10, 5), Precision: TimeMinute}},
	{"03-04-25  10:05AM                   12 a -> b",
		Entry{Name: "a -> b", Type: EntryFile, Size: 12, ModTime: listTime(2025, time.March, 4, 10, 5), Precision: TimeMinute}},
	{"03-04-25  10:05AM       <DIR> short-pad",
		Entry{Name: "short-pad", Type: EntryDir, Size: -1, ModTime: listTime(2025, time.March, 4, 10, 5), Precision: TimeMinute}},
}

// EPLF (https://cr.yp.to/ftp/list/eplf.html), as sent by publicfile and
// anonftpd. Its times are Unix seconds, so exact and in UTC.
var eplfListTests = []listCase{
	{"+i8388621.48594,m825718503,r,s280,\tdjb.html",
		Entry{Name: "djb.html", Type: EntryFile, Size: 280, ModTime: time.Date(1996, time.March, 1, 22, 15, 3, 0, time.UTC), Precision: TimeExact}},
	{"+i8388621.44468,m839956783,r,s2,\tsmall file",
		Entry{Name: "small file", Type: EntryFile, Size: 2, ModTime: time.Date(1996, time.August, 13, 17, 19, 43, 0, time.UTC), Precision: TimeExact}},
	{"+i8388621.50690,m824255907,/,\t514",
		Entry{Name: "514", Type: EntryDir, Size: -1, ModTime: time.Date(1996, time.February, 13, 23, 58, 27, 0, time.UTC), Precision: TimeExact}},
	{"+m825718503,/,up2755,\tpublic dir",
		Entry{Name: "public dir", Type: EntryDir, Size: -1, ModTime: time.Date(1996, time.March, 1, 22, 15, 3, 0, time.UTC), Precision: TimeExact, Mode: os.ModeSetgid | 0o755}},
	{"+i8388621.48598,r,\tno-time",
		Entry{Name: "no-time", Type: EntryFile, Size: -1}},
	{"+s0,m0,r,\tepoch",
		Entry{Name: "epoch", Type: EntryFile, Size: 0, ModTime: time.Unix(0, 0).UTC(), Precision: TimeExact}},
	{"+i1.2,m1741615200,\tneither r nor /",
		Entry{Name: "neither r nor /", Type: EntryOther, Size: -1, ModTime: time.Date(2025, time.March, 10, 14, 0, 0, 0, time.UTC), Precision: TimeExact}},
	{"+r,/,s4096,\tboth\twith tab",
		Entry{Name: "both\twith tab", Type: EntryDir, Size: 4096}},
}
