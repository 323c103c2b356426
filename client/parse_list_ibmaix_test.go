// The name is not parse_list_aix_test.go: the suffix _aix would build the
// file only on AIX.

package client

import "time"

// Lines whose date puts the day before the month: AIX's ls (Apache
// commons-net FTPConfigEntryParserTest, bug 27437) and FileZilla
// tests/dirparsertest.cpp, read at listTestNow (2025-03-10).
var aixListTests = []listCase{
	{"-rw-r-----   1 ravensm  sca          814 02 Mar 16:27 ZMIR2.m",
		Entry{Name: "ZMIR2.m", Type: EntryFile, Size: 814, ModTime: listTime(2025, time.March, 2, 16, 27), Precision: TimeMinute, Mode: 0o640, Owner: "ravensm", Group: "sca"}},
	{"drwxr-xr-x 3 user group 512 01 oct 2004 52-swapped-daymonth dir",
		Entry{Name: "52-swapped-daymonth dir", Type: EntryDir, Size: 512, ModTime: listDay(2004, time.October, 1), Precision: TimeDay, Mode: 0o755, Owner: "user", Group: "group"}},
	{"drwxrwxrwx   1 0        0               0 29 Jul 02:27 2014 Invoices",
		Entry{Name: "2014 Invoices", Type: EntryDir, Size: 0, ModTime: listTime(2025, time.July, 29, 2, 27), Precision: TimeMinute, Mode: 0o777, Owner: "0", Group: "0"}},
	{"-rw-r--r--   1 root     system      3538 14 Nov  2019 .profile",
		Entry{Name: ".profile", Type: EntryFile, Size: 3538, ModTime: listDay(2019, time.November, 14), Precision: TimeDay, Mode: 0o644, Owner: "root", Group: "system"}},
	{"lrwxrwxrwx   1 root     system        19 10 Dec 09:02 unix -> /usr/lib/boot/unix_64",
		Entry{Name: "unix", Type: EntryLink, Size: 19, Target: "/usr/lib/boot/unix_64", ModTime: listTime(2024, time.December, 10, 9, 2), Precision: TimeMinute, Mode: 0o777, Owner: "root", Group: "system"}},
	{"crw-rw-rw-   1 root     system    2,  2 10 Dec 09:02 null",
		Entry{Name: "null", Type: EntryOther, Size: -1, ModTime: listTime(2024, time.December, 10, 9, 2), Precision: TimeMinute, Mode: 0o666, Owner: "root", Group: "system"}},
	{"brw-rw----   1 root     system   10,1 10 Dec 09:02 hd1",
		Entry{Name: "hd1", Type: EntryOther, Size: -1, ModTime: listTime(2024, time.December, 10, 9, 2), Precision: TimeMinute, Mode: 0o660, Owner: "root", Group: "system"}},
}

// aixBadLines are day-first lines that cannot be read: no name. (A date
// that does not exist, "31 Feb  2019 feb-31", gives its entry without a
// time, as any Unix line does.)
var aixBadLines = []string{
	"-rw-r--r--   1 root     system      3538 14 Nov 12:34",
}
