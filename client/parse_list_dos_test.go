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

// dosFile and dosDir are the entries of DOS lines, whose times are to the
// minute in listTestZone.
func dosFile(name string, size int64, t time.Time) Entry {
	return Entry{Name: name, Type: EntryFile, Size: size, ModTime: t, Precision: TimeMinute}
}

func dosDir(name string, t time.Time) Entry {
	return Entry{Name: name, Type: EntryDir, Size: -1, ModTime: t, Precision: TimeMinute}
}

// IIS and Windows NT lines from peer projects' test suites: Apache
// commons-net NTFTPEntryParserTest (incl. Windows CE's 24-hour clock and
// NET-339), Chromium net/ftp/ftp_directory_listing_parser_windows_unittest.cc,
// lftp src/FtpListInfo.cc, FileZilla tests/dirparsertest.cpp, jlaffaye/ftp
// parse_test.go, and bug reports (suppaftp #84, aioftp #170,
// php-ftp-wrapper #1).
var iisListTests = []listCase{
	{"05-26-95  10:57AM               143712 $LDR$", dosFile("$LDR$", 143712, listTime(1995, time.May, 26, 10, 57))},
	{"05-20-97  03:31PM                  681 .bash_history", dosFile(".bash_history", 681, listTime(1997, time.May, 20, 15, 31))},
	{"12-05-96  05:03PM       <DIR>          absoft2", dosDir("absoft2", listTime(1996, time.December, 5, 17, 3))},
	{"11-14-97  04:21PM                  953 AUDITOR3.INI", dosFile("AUDITOR3.INI", 953, listTime(1997, time.November, 14, 16, 21))},
	{"05-22-97  08:08AM                  828 AUTOEXEC.BAK", dosFile("AUTOEXEC.BAK", 828, listTime(1997, time.May, 22, 8, 8))},
	{"01-22-98  01:52PM                  795 AUTOEXEC.BAT", dosFile("AUTOEXEC.BAT", 795, listTime(1998, time.January, 22, 13, 52))},
	{"05-13-97  01:46PM                  828 AUTOEXEC.DOS", dosFile("AUTOEXEC.DOS", 828, listTime(1997, time.May, 13, 13, 46))},
	{"12-03-96  06:38AM                  403 AUTOTOOL.LOG", dosFile("AUTOTOOL.LOG", 403, listTime(1996, time.December, 3, 6, 38))},
	{"12-03-96  06:38AM       <DIR>          123xyz", dosDir("123xyz", listTime(1996, time.December, 3, 6, 38))},
	{"01-20-97  03:48PM       <DIR>          bin", dosDir("bin", listTime(1997, time.January, 20, 15, 48))},
	{"05-26-1995  10:57AM               143712 $LDR$", dosFile("$LDR$", 143712, listTime(1995, time.May, 26, 10, 57))},
	{"12-03-96  06:38AM       <DIR>          123456", dosDir("123456", listTime(1996, time.December, 3, 6, 38))},
	{"05-22-97  12:08AM                  5000000000 AUTOEXEC.BAK", dosFile("AUTOEXEC.BAK", 5000000000, listTime(1997, time.May, 22, 0, 8))},
	{"05-22-97  12:08AM                  5000000000 10 years and under", dosFile("10 years and under", 5000000000, listTime(1997, time.May, 22, 0, 8))},
	{"11-02-09  05:32PM       <DIR>          NT", dosDir("NT", listTime(2009, time.November, 2, 17, 32))},
	{"01-06-09  02:42PM                  458 Readme.txt", dosFile("Readme.txt", 458, listTime(2009, time.January, 6, 14, 42))},
	{"01-06-09  02:42AM                  1 Readme.txt", dosFile("Readme.txt", 1, listTime(2009, time.January, 6, 2, 42))},
	{"01-06-01  02:42AM                  458 Readme.txt", dosFile("Readme.txt", 458, listTime(2001, time.January, 6, 2, 42))},
	{"01-06-00  02:42AM                  458 Corner1.txt", dosFile("Corner1.txt", 458, listTime(2000, time.January, 6, 2, 42))},
	{"01-06-99  02:42AM                  458 Corner2.txt", dosFile("Corner2.txt", 458, listTime(1999, time.January, 6, 2, 42))},
	{"01-06-80  02:42AM                  458 Corner3.txt", dosFile("Corner3.txt", 458, listTime(1980, time.January, 6, 2, 42))},
	// Chromium reads "79" as 2079; ferry, as strptime's %y, as 1979.
	{"01-06-79  02:42AM                  458 Corner4", dosFile("Corner4", 458, listTime(1979, time.January, 6, 2, 42))},
	{"01-06-1979  02:42AM                458 Readme.txt", dosFile("Readme.txt", 458, listTime(1979, time.January, 6, 2, 42))},
	{"11-02-09  05:32PM       <DIR>          My Directory", dosDir("My Directory", listTime(2009, time.November, 2, 17, 32))},
	{"12-25-10  12:00AM       <DIR>          Christmas Midnight", dosDir("Christmas Midnight", listTime(2010, time.December, 25, 0, 0))},
	{"12-25-10  12:00PM       <DIR>          Christmas Midday", dosDir("Christmas Midday", listTime(2010, time.December, 25, 12, 0))},
	{"07-13-98  09:06PM       <DIR>          aix", dosDir("aix", listTime(1998, time.July, 13, 21, 6))},
	{"07-13-98  09:06PM       <DIR>          solaris", dosDir("solaris", listTime(1998, time.July, 13, 21, 6))},
	{"03-18-98  06:01AM              2109440 nlxb318e.tar", dosFile("nlxb318e.tar", 2109440, listTime(1998, time.March, 18, 6, 1))},
	{"07-02-98  11:17AM                13844 Whatsnew.txt", dosFile("Whatsnew.txt", 13844, listTime(1998, time.July, 2, 11, 17))},
	{"04-27-00  12:09PM       <DIR>          16-dos-dateambiguous dir", dosDir("16-dos-dateambiguous dir", listTime(2000, time.April, 27, 12, 9))},
	{"04-06-00  03:47PM                  589 17-dos-dateambiguous file", dosFile("17-dos-dateambiguous file", 589, listTime(2000, time.April, 6, 15, 47))},
	{"08-10-15  02:04PM       <DIR>          Billing", dosDir("Billing", listTime(2015, time.August, 10, 14, 4))},
	{"12-20-22  02:45PM       <DIR>          games", dosDir("games", listTime(2022, time.December, 20, 14, 45))},
	{"06-07-22  12:55PM               334976 opencv_frame_2.png", dosFile("opencv_frame_2.png", 334976, listTime(2022, time.June, 7, 12, 55))},
	{"12-22-11  08:21PM       <DIR>          dummydir", dosDir("dummydir", listTime(2011, time.December, 22, 20, 21))},
	{"07-25-13  05:49AM             17919077 dummyfile", dosFile("dummyfile", 17919077, listTime(2013, time.July, 25, 5, 49))},
	{"09-04-13  05:51PM       <DIR>          aspnet_client", dosDir("aspnet_client", listTime(2013, time.September, 4, 17, 51))},
	{"07-17-13  02:54PM                    2 A_quick_brown_fox_jumps_over_the_lazy_dog", dosFile("A_quick_brown_fox_jumps_over_the_lazy_dog", 2, listTime(2013, time.July, 17, 14, 54))},
}

// Windows CE and other servers that send "dir" output with a 24-hour clock
// (commons-net NTFTPEntryParserTest), ISO dates and grouped sizes
// (FileZilla tests/dirparsertest.cpp), and the forms Windows' own "dir"
// prints in other locales and for links: day first with dots, glued or
// spaced AM/PM, seconds, "<JUNCTION>" and "<SYMLINKD>" with their targets.
var windowsDirListTests = []listCase{
	{"12-05-96  17:03         <DIR>          absoft2", dosDir("absoft2", listTime(1996, time.December, 5, 17, 3))},
	{"05-22-97  08:08                    828 AUTOEXEC.BAK", dosFile("AUTOEXEC.BAK", 828, listTime(1997, time.May, 22, 8, 8))},
	{"01-01-98  05:00       <DIR>          Network", dosDir("Network", listTime(1998, time.January, 1, 5, 0))},
	{"01-01-98  05:00       <DIR>          StorageCard", dosDir("StorageCard", listTime(1998, time.January, 1, 5, 0))},
	{"09-13-10  20:08       <DIR>          Recycled", dosDir("Recycled", listTime(2010, time.September, 13, 20, 8))},
	{"09-06-06  19:00                   69 desktop.ini", dosFile("desktop.ini", 69, listTime(2006, time.September, 6, 19, 0))},
	{"09-13-10  13:08                   23 Control Panel.lnk", dosFile("Control Panel.lnk", 23, listTime(2010, time.September, 13, 13, 8))},
	{"09-13-10  13:08       <DIR>          My Documents", dosDir("My Documents", listTime(2010, time.September, 13, 13, 8))},
	{"09-13-10  13:08       <DIR>          Program Files", dosDir("Program Files", listTime(2010, time.September, 13, 13, 8))},
	{"09-13-10  13:08       <DIR>          Windows", dosDir("Windows", listTime(2010, time.September, 13, 13, 8))},
	{"05-22-97  12:08                  5000000000 10 years and under", dosFile("10 years and under", 5000000000, listTime(1997, time.May, 22, 12, 8))},
	{"2002-09-02  18:48       <DIR>          18-dos-longyear dir", dosDir("18-dos-longyear dir", listTime(2002, time.September, 2, 18, 48))},
	{"2002-09-02  19:06                9,730 19-dos-longyear file", dosFile("19-dos-longyear file", 9730, listTime(2002, time.September, 2, 19, 6))},
	{"2024-03-04  00:34            1,234,567 grouped.bin", dosFile("grouped.bin", 1234567, listTime(2024, time.March, 4, 0, 34))},
	{"03/04/2024  00:34AM          123,456,789 glued am.iso", dosFile("glued am.iso", 123456789, listTime(2024, time.March, 4, 0, 34))},
	{"03-04-25  00:05AM       <DIR>          hour zero with AM", dosDir("hour zero with AM", listTime(2025, time.March, 4, 0, 5))},
	{"03-04-25  00:05PM                    5 hour zero with PM", dosFile("hour zero with PM", 5, listTime(2025, time.March, 4, 12, 5))},
	{"03/04/2024  12:34 PM    <DIR>          spaced pm", dosDir("spaced pm", listTime(2024, time.March, 4, 12, 34))},
	{"04.03.2024  12:34    <DIR>          Tag der Arbeit", dosDir("Tag der Arbeit", listTime(2024, time.March, 4, 12, 34))},
	{"04.03.2024  12:34         1.234.567 Bericht.pdf", dosFile("Bericht.pdf", 1234567, listTime(2024, time.March, 4, 12, 34))},
	{"31.12.99  23:59                   17 silvester.txt", dosFile("silvester.txt", 17, listTime(1999, time.December, 31, 23, 59))},
	{"03.04.25  10:05AM                 1234 dots", dosFile("dots", 1234, listTime(2025, time.April, 3, 10, 5))},
	{"03-04-2025  22:05:33                 999 seconds.log", Entry{Name: "seconds.log", Type: EntryFile, Size: 999, ModTime: time.Date(2025, time.March, 4, 22, 5, 33, 0, listTestZone), Precision: TimeMinute}},
	{"03/04/2025  10:05 AM    <JUNCTION>     Documents and Settings [C:\\Users]",
		Entry{Name: "Documents and Settings", Type: EntryLink, Size: -1, Target: `C:\Users`, ModTime: listTime(2025, time.March, 4, 10, 5), Precision: TimeMinute}},
	{"03/04/2025  10:05 AM    <SYMLINKD>     shared [\\\\server\\share]",
		Entry{Name: "shared", Type: EntryLink, Size: -1, Target: `\\server\share`, ModTime: listTime(2025, time.March, 4, 10, 5), Precision: TimeMinute}},
	{"03/04/2025  10:05 AM    <SYMLINK>      notes.txt [..\\notes.txt]",
		Entry{Name: "notes.txt", Type: EntryLink, Size: -1, Target: `..\notes.txt`, ModTime: listTime(2025, time.March, 4, 10, 5), Precision: TimeMinute}},
	{"03/04/2025  10:05 AM    <JUNCTION>     no target",
		Entry{Name: "no target", Type: EntryLink, Size: -1, ModTime: listTime(2025, time.March, 4, 10, 5), Precision: TimeMinute}},
	{"03-04-25  10:05AM                   12 1,234 not a size", dosFile("1,234 not a size", 12, listTime(2025, time.March, 4, 10, 5))},
}
