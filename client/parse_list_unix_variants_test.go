package client

import (
	"os"
	"testing"
	"time"
)

// Unix variants and localized dates from other projects' test data and
// bug reports, read at listTestNow (2025-03-10 15:00) in listTestZone.

// FileZilla's tests/dirparsertest.cpp (the number is FileZilla's).
var fileZillaUnixTests = []listCase{
	{"dr-xr-xr-x   2 root     other        512 Apr  8  1994 01-unix-std dir",
		Entry{Name: "01-unix-std dir", Type: EntryDir, Size: 512, ModTime: listDay(1994, time.April, 8), Precision: TimeDay, Mode: 0o555, Owner: "root", Group: "other"}},
	{"-rw-r--r--   1 root     other        531 3 29 03:26 02-unix-std file",
		Entry{Name: "02-unix-std file", Type: EntryFile, Size: 531, ModTime: listTime(2025, time.March, 29, 3, 26), Precision: TimeMinute, Mode: 0o644, Owner: "root", Group: "other"}},
	{"dr-xr-xr-x   2 root                  512 Apr  8  1994 03-unix-nogroup dir",
		Entry{Name: "03-unix-nogroup dir", Type: EntryDir, Size: 512, ModTime: listDay(1994, time.April, 8), Precision: TimeDay, Mode: 0o555, Owner: "root"}},
	{"lrwxrwxrwx   1 root     other          7 Jan 25 00:17 04-unix-std link -> usr/bin",
		Entry{Name: "04-unix-std link", Type: EntryLink, Size: 7, ModTime: listTime(2025, time.January, 25, 0, 17), Precision: TimeMinute, Target: "usr/bin", Mode: 0o777, Owner: "root", Group: "other"}},
	{"-rw-r--r--   1 root     other        531 09-26 2000 05-unix-date file",
		Entry{Name: "05-unix-date file", Type: EntryFile, Size: 531, ModTime: listDay(2000, time.September, 26), Precision: TimeDay, Mode: 0o644, Owner: "root", Group: "other"}},
	{"-rw-r--r--   1 root     other        531 09-26 13:45 06-unix-date file",
		Entry{Name: "06-unix-date file", Type: EntryFile, Size: 531, ModTime: listTime(2024, time.September, 26, 13, 45), Precision: TimeMinute, Mode: 0o644, Owner: "root", Group: "other"}},
	{"-rw-r--r--   1 root     other        531 2005-06-07 21:22 07-unix-date file",
		Entry{Name: "07-unix-date file", Type: EntryFile, Size: 531, ModTime: listTime(2005, time.June, 7, 21, 22), Precision: TimeMinute, Mode: 0o644, Owner: "root", Group: "other"}},
	{"d [R----F--] supervisor            512       Jan 16 18:53    09-netware dir",
		Entry{Name: "09-netware dir", Type: EntryDir, Size: 512, ModTime: listTime(2025, time.January, 16, 18, 53), Precision: TimeMinute, Owner: "supervisor"}},
	{"- [R----F--] rhesus             214059       Oct 20 15:27    10-netware file",
		Entry{Name: "10-netware file", Type: EntryFile, Size: 214059, ModTime: listTime(2024, time.October, 20, 15, 27), Precision: TimeMinute, Owner: "rhesus"}},
	{"-------r--         326  1391972  1392298 Nov 22  1995 11-netpresenz file",
		Entry{Name: "11-netpresenz file", Type: EntryFile, Size: 1392298, ModTime: listDay(1995, time.November, 22), Precision: TimeDay, Mode: 0o004, Owner: "1391972"}},
	{"drwxrwxr-x               folder        2 May 10  1996 12-netpresenz dir",
		Entry{Name: "12-netpresenz dir", Type: EntryDir, Size: 2, ModTime: listDay(1996, time.May, 10), Precision: TimeDay, Mode: 0o775, Owner: "folder"}},
	{"-rw-r--r--   1 group domain user 531 Jan 29 03:26 13-unix-domain file",
		Entry{Name: "13-unix-domain file", Type: EntryFile, Size: 531, ModTime: listTime(2025, time.January, 29, 3, 26), Precision: TimeMinute, Mode: 0o644, Owner: "group", Group: "domain user"}},
	{"-rwxr-xr-x    1 user group        9 Oct 08, 2002 09:47 23-vshell-new file",
		Entry{Name: "23-vshell-new file", Type: EntryFile, Size: 9, ModTime: listTime(2002, time.October, 8, 9, 47), Precision: TimeMinute, Mode: 0o755, Owner: "user", Group: "group"}},
	{"dr-xr-xr-x   2 root     other      2235 26. Juli, 20:10 28-datetest-ger dir",
		Entry{Name: "28-datetest-ger dir", Type: EntryDir, Size: 2235, ModTime: listTime(2025, time.July, 26, 20, 10), Precision: TimeMinute, Mode: 0o555, Owner: "root", Group: "other"}},
	{"dr-xr-xr-x   2 root     other      2235 szept 26 20:10 28b-datetest-hungarian dir",
		Entry{Name: "28b-datetest-hungarian dir", Type: EntryDir, Size: 2235, ModTime: listTime(2024, time.September, 26, 20, 10), Precision: TimeMinute, Mode: 0o555, Owner: "root", Group: "other"}},
	{"-r-xr-xr-x   2 root     other      2235 2.   Okt.  2003 29-datetest-ger file",
		Entry{Name: "29-datetest-ger file", Type: EntryFile, Size: 2235, ModTime: listDay(2003, time.October, 2), Precision: TimeDay, Mode: 0o555, Owner: "root", Group: "other"}},
	{"-r-xr-xr-x   2 root     other      2235 1999/10/12 17:12 30-datetest file",
		Entry{Name: "30-datetest file", Type: EntryFile, Size: 2235, ModTime: listTime(1999, time.October, 12, 17, 12), Precision: TimeMinute, Mode: 0o555, Owner: "root", Group: "other"}},
	{"-r-xr-xr-x   2 root     other      2235 24-04-2003 17:12 31-datetest file",
		Entry{Name: "31-datetest file", Type: EntryFile, Size: 2235, ModTime: listTime(2003, time.April, 24, 17, 12), Precision: TimeMinute, Mode: 0o555, Owner: "root", Group: "other"}},
	// Shift_JIS: 4月 18日 2003年.
	{"-rw-r--r--   1 root       sys           8473  4\x8c\x8e 18\x93\xfa 2003\x94\x4e 32-datatest-japanese file",
		Entry{Name: "32-datatest-japanese file", Type: EntryFile, Size: 8473, ModTime: listDay(2003, time.April, 18), Precision: TimeDay, Mode: 0o644, Owner: "root", Group: "sys"}},
	// Units in an unknown encoding.
	{"-rwxrwxrwx   1 root     staff          0 2003   3\xed\xef 20 33-asian date file",
		Entry{Name: "33-asian date file", Type: EntryFile, Size: 0, ModTime: listDay(2003, time.March, 20), Precision: TimeDay, Mode: 0o777, Owner: "root", Group: "staff"}},
	{"-r--r--r-- 1 root root 2096 8\xed 17 08:52 34-asian date file",
		Entry{Name: "34-asian date file", Type: EntryFile, Size: 2096, ModTime: listTime(2025, time.August, 17, 8, 52), Precision: TimeMinute, Mode: 0o444, Owner: "root", Group: "root"}},
	{"-r-xr-xr-x   2 root  root  96 2004.07.15   35-dotted-date file",
		Entry{Name: "35-dotted-date file", Type: EntryFile, Size: 96, ModTime: listDay(2004, time.July, 15), Precision: TimeDay, Mode: 0o555, Owner: "root", Group: "root"}},
	{"-r-xr-xr-x longowner longgroup123456 Feb 12 17:20 46-unix-concatsize file",
		Entry{Name: "46-unix-concatsize file", Type: EntryFile, Size: 123456, ModTime: listTime(2025, time.February, 12, 17, 20), Precision: TimeMinute, Mode: 0o555, Owner: "longowner", Group: "longgroup"}},
	{"-r-xr-xr-x 2 owner group 4512 01-jun-99 47_unix_shortdatemonth file",
		Entry{Name: "47_unix_shortdatemonth file", Type: EntryFile, Size: 4512, ModTime: listDay(1999, time.June, 1), Precision: TimeDay, Mode: 0o555, Owner: "owner", Group: "group"}},
	{"drwxr-xr-x 3 user group 512 01 oct 2004 52-swapped-daymonth dir",
		Entry{Name: "52-swapped-daymonth dir", Type: EntryDir, Size: 512, ModTime: listDay(2004, time.October, 1), Precision: TimeDay, Mode: 0o755, Owner: "user", Group: "group"}},
	{"-r--r--r-- 0125039 12 Nov 11 2005 53-noownergroup file",
		Entry{Name: "53-noownergroup file", Type: EntryFile, Size: 12, ModTime: listDay(2005, time.November, 11), Precision: TimeDay, Mode: 0o444, Owner: "0125039"}},
	{"drwxr-xr-x   5 root     sys          512 2005\xEB\x85\x84  1\xEC\x9B\x94  6\xEC\x9D\xBC 54-asian date year first dir",
		Entry{Name: "54-asian date year first dir", Type: EntryDir, Size: 512, ModTime: listDay(2005, time.January, 6), Precision: TimeDay, Mode: 0o755, Owner: "root", Group: "sys"}},
	{"drwxr-xr-x 6 user sys 1024 30. Jan., 12:40 59-localized-date-dir",
		Entry{Name: "59-localized-date-dir", Type: EntryDir, Size: 1024, ModTime: listTime(2025, time.January, 30, 12, 40), Precision: TimeMinute, Mode: 0o755, Owner: "user", Group: "sys"}},
	{"drwxrwxrwx   1 0        0               0 29 Jul 02:27 2014 Invoices",
		Entry{Name: "2014 Invoices", Type: EntryDir, Size: 0, ModTime: listTime(2025, time.July, 29, 2, 27), Precision: TimeMinute, Mode: 0o777, Owner: "0", Group: "0"}},
	{"-rw-------      1  99999999 0              3 Apr   4 24:00 alternate_midnight",
		Entry{Name: "alternate_midnight", Type: EntryFile, Size: 3, ModTime: listTime(2025, time.April, 5, 0, 0), Precision: TimeMinute, Mode: 0o600, Owner: "99999999", Group: "0"}},
}

// Apache commons-net's UnixFTPEntryParserTest.java.
var commonsNetUnixTests = []listCase{
	{"drwxr-x---+1464 chrism   chrism     41472 Feb 25 13:17 20090225",
		Entry{Name: "20090225", Type: EntryDir, Size: 41472, ModTime: listTime(2025, time.February, 25, 13, 17), Precision: TimeMinute, Mode: 0o750, Owner: "chrism", Group: "chrism"}},
	{"drwxrwx---+ 23 500     500    0 Jan 10 13:09 testACL",
		Entry{Name: "testACL", Type: EntryDir, Size: 0, ModTime: listTime(2025, time.January, 10, 13, 9), Precision: TimeMinute, Mode: 0o770, Owner: "500", Group: "500"}},
	{"-rw-r--r--   1 ftp      group with spaces in it as allowed in cygwin see bug 38634   83853 Jan 22  2001 zxJDBC-1.2.4.tar.gz",
		Entry{Name: "zxJDBC-1.2.4.tar.gz", Type: EntryFile, Size: 83853, ModTime: listDay(2001, time.January, 22), Precision: TimeDay, Mode: 0o644, Owner: "ftp", Group: "group with spaces in it as allowed in cygwin see bug 38634"}},
	{"crw-r----- 1 root kmem 0, 27 Jan 30 11:42 kmem",
		Entry{Name: "kmem", Type: EntryOther, Size: -1, ModTime: listTime(2025, time.January, 30, 11, 42), Precision: TimeMinute, Mode: 0o640, Owner: "root", Group: "kmem"}},
	{"crw-------   1 root     sys      109,767 Jul  2  2004 pci@1c,600000:devctl",
		Entry{Name: "pci@1c,600000:devctl", Type: EntryOther, Size: -1, ModTime: listDay(2004, time.July, 2), Precision: TimeDay, Mode: 0o600, Owner: "root", Group: "sys"}},
	{"-rwxrwx---   1 ftp      ftp-admin 816026400 Oct  5  2008 bloplab 7 cd1.img",
		Entry{Name: "bloplab 7 cd1.img", Type: EntryFile, Size: 816026400, ModTime: listDay(2008, time.October, 5), Precision: TimeDay, Mode: 0o770, Owner: "ftp", Group: "ftp-admin"}},
	{"-rw-r--r-- 1 1 3518644 May 25 12:12 std",
		Entry{Name: "std", Type: EntryFile, Size: 3518644, ModTime: listTime(2025, time.May, 25, 12, 12), Precision: TimeMinute, Mode: 0o644, Owner: "1"}},
	{"-rw-rw---- 1 ep1adm sapsys 0 6月 3日 2003年 試験ファイル.csv",
		Entry{Name: "試験ファイル.csv", Type: EntryFile, Size: 0, ModTime: listDay(2003, time.June, 3), Precision: TimeDay, Mode: 0o660, Owner: "ep1adm", Group: "sapsys"}},
	{"-rw-rw---- 1 ep1adm sapsys 0 8月 17日 20:10 caerrinf",
		Entry{Name: "caerrinf", Type: EntryFile, Size: 0, ModTime: listTime(2025, time.August, 17, 20, 10), Precision: TimeMinute, Mode: 0o660, Owner: "ep1adm", Group: "sapsys"}},
	{"-rw-rw---- 1 ep1adm sapsys 0 6月 3 2003 試験ファイル.csv",
		Entry{Name: "試験ファイル.csv", Type: EntryFile, Size: 0, ModTime: listDay(2003, time.June, 3), Precision: TimeDay, Mode: 0o660, Owner: "ep1adm", Group: "sapsys"}},
	{"-rw-rw---- 1 ep1adm sapsys 0 8月 17 20:10 caerrinf",
		Entry{Name: "caerrinf", Type: EntryFile, Size: 0, ModTime: listTime(2025, time.August, 17, 20, 10), Precision: TimeMinute, Mode: 0o660, Owner: "ep1adm", Group: "sapsys"}},
	{"-rwxr-xr-x 2 user group 4096 3月 2 15:13 zxbox",
		Entry{Name: "zxbox", Type: EntryFile, Size: 4096, ModTime: listTime(2025, time.March, 2, 15, 13), Precision: TimeMinute, Mode: 0o755, Owner: "user", Group: "group"}},
	{"-rwxr-xr-x 2 user group 4096 3月 2日 15:13 zxbox",
		Entry{Name: "zxbox", Type: EntryFile, Size: 4096, ModTime: listTime(2025, time.March, 2, 15, 13), Precision: TimeMinute, Mode: 0o755, Owner: "user", Group: "group"}},
	{"-rwxr-xr-x 2 user group 4096 3月 2日 2003年 試験ファイル.csv",
		Entry{Name: "試験ファイル.csv", Type: EntryFile, Size: 4096, ModTime: listDay(2003, time.March, 2), Precision: TimeDay, Mode: 0o755, Owner: "user", Group: "group"}},
	{"-rwxr-xr-x 2 user group 4096 3月 2 2003 試験ファイル.csv",
		Entry{Name: "試験ファイル.csv", Type: EntryFile, Size: 4096, ModTime: listDay(2003, time.March, 2), Precision: TimeDay, Mode: 0o755, Owner: "user", Group: "group"}},
	{"-rwxr-xr-x   2 user     my group 500        5000000000 Mar  2 15:13 zxbox",
		Entry{Name: "zxbox", Type: EntryFile, Size: 5000000000, ModTime: listTime(2025, time.March, 2, 15, 13), Precision: TimeMinute, Mode: 0o755, Owner: "user", Group: "my group 500"}},
	{"drwx------ 4 maxm Domain Users 512 Oct 2 10:59 .metadata",
		Entry{Name: ".metadata", Type: EntryDir, Size: 512, ModTime: listTime(2024, time.October, 2, 10, 59), Precision: TimeMinute, Mode: 0o700, Owner: "maxm", Group: "Domain Users"}},
	{"-rw-r--r--   1 ftpuser  ftpusers 12414535 Mar 17 11:07 test 1999 abc.pdf",
		Entry{Name: "test 1999 abc.pdf", Type: EntryFile, Size: 12414535, ModTime: listTime(2025, time.March, 17, 11, 7), Precision: TimeMinute, Mode: 0o644, Owner: "ftpuser", Group: "ftpusers"}},
	{"-rw-rw-rw-   1 user group 5840 Mar 19 09:34 123 456 abc.csv",
		Entry{Name: "123 456 abc.csv", Type: EntryFile, Size: 5840, ModTime: listTime(2025, time.March, 19, 9, 34), Precision: TimeMinute, Mode: 0o666, Owner: "user", Group: "group"}},
	{"-rw-r--r-T   1 500      500             0 Mar 25 08:20 testSticky",
		Entry{Name: "testSticky", Type: EntryFile, Size: 0, ModTime: listTime(2025, time.March, 25, 8, 20), Precision: TimeMinute, Mode: os.ModeSticky | 0o644, Owner: "500", Group: "500"}},
	{"-rwxr-xr-t   1 500      500             0 Mar 25 08:21 testStickyExec",
		Entry{Name: "testStickyExec", Type: EntryFile, Size: 0, ModTime: listTime(2025, time.March, 25, 8, 21), Precision: TimeMinute, Mode: os.ModeSticky | 0o755, Owner: "500", Group: "500"}},
	{"-rwSr-Sr--   1 500      500             0 Mar 25 08:22 testSuid",
		Entry{Name: "testSuid", Type: EntryFile, Size: 0, ModTime: listTime(2025, time.March, 25, 8, 22), Precision: TimeMinute, Mode: os.ModeSetuid | os.ModeSetgid | 0o644, Owner: "500", Group: "500"}},
	{"-rwsr-sr--   1 500      500             0 Mar 25 0:23 testSuidExec2",
		Entry{Name: "testSuidExec2", Type: EntryFile, Size: 0, ModTime: listTime(2025, time.March, 25, 0, 23), Precision: TimeMinute, Mode: os.ModeSetuid | os.ModeSetgid | 0o754, Owner: "500", Group: "500"}},
	{"lrwxrwxrwx   1 neeme neeme             23 Mar  2 18:06 macros -> ./../../global/macros/.",
		Entry{Name: "macros", Type: EntryLink, Size: 23, ModTime: listTime(2025, time.March, 2, 18, 6), Precision: TimeMinute, Target: "./../../global/macros/.", Mode: 0o777, Owner: "neeme", Group: "neeme"}},
	{"-rw-r-----   1 neeme neeme   346 2005-04-08 11:22 services.vsp",
		Entry{Name: "services.vsp", Type: EntryFile, Size: 346, ModTime: listTime(2005, time.April, 8, 11, 22), Precision: TimeMinute, Mode: 0o640, Owner: "neeme", Group: "neeme"}},
	{"drwxr-xr-x 1 usernameftp 512 Jan 29 23:32 prog",
		Entry{Name: "prog", Type: EntryDir, Size: 512, ModTime: listTime(2025, time.January, 29, 23, 32), Precision: TimeMinute, Mode: 0o755, Owner: "usernameftp"}},
	{"lrw-r--r--   1 14       14          80284 Aug 22  2000 zxJDBC-1.2.3.tar.gz",
		Entry{Name: "zxJDBC-1.2.3.tar.gz", Type: EntryLink, Size: 80284, ModTime: listDay(2000, time.August, 22), Precision: TimeDay, Mode: 0o644, Owner: "14", Group: "14"}},
	{"drwxr-xr-x   2 root     99           4096 Feb 23  2001 zzplayer",
		Entry{Name: "zzplayer", Type: EntryDir, Size: 4096, ModTime: listDay(2001, time.February, 23), Precision: TimeDay, Mode: 0o755, Owner: "root", Group: "99"}},
}

// Lines from bug reports against other FTP clients.
var reportedUnixTests = []listCase{
	// patrickjuchli/basic-ftp issue 193: the last permission left out.
	{"drw-r--rw   1     root     root         0 Apr 21 19:31 Directory1",
		Entry{Name: "Directory1", Type: EntryDir, Size: 0, ModTime: listTime(2025, time.April, 21, 19, 31), Precision: TimeMinute, Mode: 0o646, Owner: "root", Group: "root"}},
	// sparkeh9/CoreFTP issue 29, StingRay FTP Server: no file type.
	{"rw-rw-rw-          0  464195454  464195454 Jul  1  2016 G53_EZ_s234_Batch_01.zip",
		Entry{Name: "G53_EZ_s234_Batch_01.zip", Type: EntryFile, Size: 464195454, ModTime: listDay(2016, time.July, 1), Precision: TimeDay, Mode: 0o666, Owner: "464195454"}},
	// mscdex/node-ftp issue 188: no group.
	{"-rw-r--r-- 1 oinstall 65536 Jul 25 15:01 csxl20170724.dmp",
		Entry{Name: "csxl20170724.dmp", Type: EntryFile, Size: 65536, ModTime: listTime(2025, time.July, 25, 15, 1), Precision: TimeMinute, Mode: 0o644, Owner: "oinstall"}},
	{"drwxr-xr-x 2 oinstall  4096 Jul 25 14:33 log",
		Entry{Name: "log", Type: EntryDir, Size: 4096, ModTime: listTime(2025, time.July, 25, 14, 33), Precision: TimeMinute, Mode: 0o755, Owner: "oinstall"}},
	// icetee/node-ftp issue 6: setgid without group execute.
	{"drwxr-S---    3 105207   501            18 Jul 04  2017 .pki",
		Entry{Name: ".pki", Type: EntryDir, Size: 18, ModTime: listDay(2017, time.July, 4), Precision: TimeDay, Mode: os.ModeSetgid | 0o740, Owner: "105207", Group: "501"}},
	// ferry issue 14: a German-locale ftpd.
	{"-rw-r--r-- 1 u g 29  6. Dez 09:07 name",
		Entry{Name: "name", Type: EntryFile, Size: 29, ModTime: listTime(2024, time.December, 6, 9, 7), Precision: TimeMinute, Mode: 0o644, Owner: "u", Group: "g"}},
}

// AIX ftpd pads the year after it ("Mar 11 2007  name"): Midnight
// Commander's tests/src/vfs/ftpfs/data/aix_list.input.
var aixUnixTests = []listCase{
	{"-rw-rw----    1 darkna   promak         6624 Jun 26 10:21 ${plktmp}ddd",
		Entry{Name: "${plktmp}ddd", Type: EntryFile, Size: 6624, ModTime: listTime(2025, time.June, 26, 10, 21), Precision: TimeMinute, Mode: 0o660, Owner: "darkna", Group: "promak"}},
	{"-rw-rw----    1 brydro   promak            0 Mar 11 2007  *",
		Entry{Name: "*", Type: EntryFile, Size: 0, ModTime: listDay(2007, time.March, 11), Precision: TimeDay, Mode: 0o660, Owner: "brydro", Group: "promak"}},
	{"drwxrws---    3 promak   promak          256 Oct 01 2007  .cpan",
		Entry{Name: ".cpan", Type: EntryDir, Size: 256, ModTime: listDay(2007, time.October, 1), Precision: TimeDay, Mode: os.ModeSetgid | 0o770, Owner: "promak", Group: "promak"}},
	{"drwx--S---    2 promak   promak          256 Jan 23 2009  .ssh",
		Entry{Name: ".ssh", Type: EntryDir, Size: 256, ModTime: listDay(2009, time.January, 23), Precision: TimeDay, Mode: os.ModeSetgid | 0o700, Owner: "promak", Group: "promak"}},
	{"drwxrwsrwx   21 promak   promak         4096 Dec 22 2010  A",
		Entry{Name: "A", Type: EntryDir, Size: 4096, ModTime: listDay(2010, time.December, 22), Precision: TimeDay, Mode: os.ModeSetgid | 0o777, Owner: "promak", Group: "promak"}},
	{"drwxrws---  104 promak   promak        16384 May 25 20:37 JP",
		Entry{Name: "JP", Type: EntryDir, Size: 16384, ModTime: listTime(2025, time.May, 25, 20, 37), Precision: TimeMinute, Mode: os.ModeSetgid | 0o770, Owner: "promak", Group: "promak"}},
	{"drwxr-xr-x    2 root     system          256 Mar 06 2007  lost+found",
		Entry{Name: "lost+found", Type: EntryDir, Size: 256, ModTime: listDay(2007, time.March, 6), Precision: TimeDay, Mode: 0o755, Owner: "root", Group: "system"}},
	{"-rw-rw-rw-    1 promak   promak          196 Jun 11 09:29 tmpa_drw_portfel09:29:44.774",
		Entry{Name: "tmpa_drw_portfel09:29:44.774", Type: EntryFile, Size: 196, ModTime: listTime(2025, time.June, 11, 9, 29), Precision: TimeMinute, Mode: 0o666, Owner: "promak", Group: "promak"}},
	{"-rwx------    1 promak   promak         9272 Mar 28 2007  prokop.bkp",
		Entry{Name: "prokop.bkp", Type: EntryFile, Size: 9272, ModTime: listDay(2007, time.March, 28), Precision: TimeDay, Mode: 0o700, Owner: "promak", Group: "promak"}},
	{"-rw-r--r--    1 promak   promak     20194873 Jul 04 23:23 prokop.promak",
		Entry{Name: "prokop.promak", Type: EntryFile, Size: 20194873, ModTime: listTime(2025, time.July, 4, 23, 23), Precision: TimeMinute, Mode: 0o644, Owner: "promak", Group: "promak"}},
}

// Constructed lines for forms no collected line shows.
var constructedUnixTests = []listCase{
	{"-rw-r--r--12 user group 10 Mar  4 12:34 glued-links",
		Entry{Name: "glued-links", Type: EntryFile, Size: 10, ModTime: listTime(2025, time.March, 4, 12, 34), Precision: TimeMinute, Mode: 0o644, Owner: "user", Group: "group"}},
	{"-rw-r--r--@1 1000 1000 10 Mar  4 12:34 glued-after-mark",
		Entry{Name: "glued-after-mark", Type: EntryFile, Size: 10, ModTime: listTime(2025, time.March, 4, 12, 34), Precision: TimeMinute, Mode: 0o644, Owner: "1000", Group: "1000"}},
	{"-rw-r--r-- 1 user group 10 Dec 31 24:00 midnight-new-year",
		Entry{Name: "midnight-new-year", Type: EntryFile, Size: 10, ModTime: listTime(2025, time.January, 1, 0, 0), Precision: TimeMinute, Mode: 0o644, Owner: "user", Group: "group"}},
	{"-rw-r--r-- 1 user group 10 2024-03-04 24:00 iso-midnight",
		Entry{Name: "iso-midnight", Type: EntryFile, Size: 10, ModTime: listTime(2024, time.March, 5, 0, 0), Precision: TimeMinute, Mode: 0o644, Owner: "user", Group: "group"}},
	{"-rw-r--r-- 1 user group 10 Mar  4 2019  two-spaces-after-year",
		Entry{Name: "two-spaces-after-year", Type: EntryFile, Size: 10, ModTime: listDay(2019, time.March, 4), Precision: TimeDay, Mode: 0o644, Owner: "user", Group: "group"}},
	{"-rw-r--r-- 1 user group 10 Mar  4  2019  leading-space",
		Entry{Name: " leading-space", Type: EntryFile, Size: 10, ModTime: listDay(2019, time.March, 4), Precision: TimeDay, Mode: 0o644, Owner: "user", Group: "group"}},
	{"-rw-r--r-- 1 user group 2023 jan 8 09:00 size-like-a-year",
		Entry{Name: "size-like-a-year", Type: EntryFile, Size: 2023, ModTime: listTime(2025, time.January, 8, 9, 0), Precision: TimeMinute, Mode: 0o644, Owner: "user", Group: "group"}},
	{"-rw-r--r-- 1 user group 2048 ene 8  2023 size-like-a-year-es",
		Entry{Name: "size-like-a-year-es", Type: EntryFile, Size: 2048, ModTime: listDay(2023, time.January, 8), Precision: TimeDay, Mode: 0o644, Owner: "user", Group: "group"}},
}

// unixVariantTables are the tables of this file by source.
func unixVariantTables() map[string][]listCase {
	return map[string][]listCase{
		"FileZilla tests":   fileZillaUnixTests,
		"commons-net tests": commonsNetUnixTests,
		"bug reports":       reportedUnixTests,
		"AIX":               aixUnixTests,
		"constructed":       constructedUnixTests,
	}
}

func TestListParserUnixVariants(t *testing.T) {
	p := newListTestParser(listTestNow)
	for source, cases := range unixVariantTables() {
		t.Run(source, func(t *testing.T) {
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
