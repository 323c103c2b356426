package client

import (
	"os"
	"time"
)

// Unix "ls -l" style LIST lines by server family, read at listTestNow
// (2025-03-10 15:00) in listTestZone.

// vsftpd shows numeric owners unless text_userdb_names is set, "ftp ftp"
// with hide_ids, and two-digit days ("Mar 04").
var vsftpdListTests = []listCase{
	{"drwxr-xr-x    2 0        0            4096 Feb 21  2019 pub",
		Entry{Name: "pub", Type: EntryDir, Size: 4096, ModTime: listDay(2019, time.February, 21), Precision: TimeDay, Mode: 0o755, Owner: "0", Group: "0"}},
	{"-rw-r--r--    1 1000     1000         1234 Mar 04 12:34 readme.txt",
		Entry{Name: "readme.txt", Type: EntryFile, Size: 1234, ModTime: listTime(2025, time.March, 4, 12, 34), Precision: TimeMinute, Mode: 0o644, Owner: "1000", Group: "1000"}},
	{"-rw-r--r--    1 1000     1000            0 Jan 01 00:00 empty file",
		Entry{Name: "empty file", Type: EntryFile, Size: 0, ModTime: listTime(2025, time.January, 1, 0, 0), Precision: TimeMinute, Mode: 0o644, Owner: "1000", Group: "1000"}},
	{"lrwxrwxrwx    1 0        0              11 Nov 30  2023 current -> release-2.4",
		Entry{Name: "current", Type: EntryLink, Size: 11, ModTime: listDay(2023, time.November, 30), Precision: TimeDay, Target: "release-2.4", Mode: 0o777, Owner: "0", Group: "0"}},
	{"-rw-------    1 1000     1000     4294967296 Feb 28 23:59 big.iso",
		Entry{Name: "big.iso", Type: EntryFile, Size: 4294967296, ModTime: listTime(2025, time.February, 28, 23, 59), Precision: TimeMinute, Mode: 0o600, Owner: "1000", Group: "1000"}},
	{"drwxrwsr-x    3 1000     50           4096 Oct 12 09:15 shared",
		Entry{Name: "shared", Type: EntryDir, Size: 4096, ModTime: listTime(2024, time.October, 12, 9, 15), Precision: TimeMinute, Mode: os.ModeSetgid | 0o775, Owner: "1000", Group: "50"}},
	{"-rwxr-xr-x    1 0        0         1048576 Sep 30  2024 install.sh",
		Entry{Name: "install.sh", Type: EntryFile, Size: 1048576, ModTime: listDay(2024, time.September, 30), Precision: TimeDay, Mode: 0o755, Owner: "0", Group: "0"}},
	{"drwx------    2 14       50           4096 Mar 10 14:59 incoming",
		Entry{Name: "incoming", Type: EntryDir, Size: 4096, ModTime: listTime(2025, time.March, 10, 14, 59), Precision: TimeMinute, Mode: 0o700, Owner: "14", Group: "50"}},
	{"-rw-r--r--    1 ftp      ftp           512 Dec 31 23:59 notes.txt",
		Entry{Name: "notes.txt", Type: EntryFile, Size: 512, ModTime: listTime(2024, time.December, 31, 23, 59), Precision: TimeMinute, Mode: 0o644, Owner: "ftp", Group: "ftp"}},
	{"-rw-r--r--    1 1000     1000           42 Mar 09 08:00 name with  two  spaces",
		Entry{Name: "name with  two  spaces", Type: EntryFile, Size: 42, ModTime: listTime(2025, time.March, 9, 8, 0), Precision: TimeMinute, Mode: 0o644, Owner: "1000", Group: "1000"}},
}

// proftpd's mod_ls pads the day with a space ("Mar  4").
var proftpdListTests = []listCase{
	{"drwxr-xr-x   5 ftp      ftp          4096 Jan 15 10:00 pub",
		Entry{Name: "pub", Type: EntryDir, Size: 4096, ModTime: listTime(2025, time.January, 15, 10, 0), Precision: TimeMinute, Mode: 0o755, Owner: "ftp", Group: "ftp"}},
	{"-rw-r--r--   1 ftp      ftp          1234 Mar  4 12:34 README",
		Entry{Name: "README", Type: EntryFile, Size: 1234, ModTime: listTime(2025, time.March, 4, 12, 34), Precision: TimeMinute, Mode: 0o644, Owner: "ftp", Group: "ftp"}},
	{"-rw-r--r--   1 alice    staff    10485760 Jun 30  2024 backup.tar.gz",
		Entry{Name: "backup.tar.gz", Type: EntryFile, Size: 10485760, ModTime: listDay(2024, time.June, 30), Precision: TimeDay, Mode: 0o644, Owner: "alice", Group: "staff"}},
	{"lrwxrwxrwx   1 root     root           21 Feb  2 07:07 latest -> /srv/ftp/releases/9.1",
		Entry{Name: "latest", Type: EntryLink, Size: 21, ModTime: listTime(2025, time.February, 2, 7, 7), Precision: TimeMinute, Target: "/srv/ftp/releases/9.1", Mode: 0o777, Owner: "root", Group: "root"}},
	{"-rw-r-----   1 bob      www-data      777 Nov  5 18:30 .htaccess",
		Entry{Name: ".htaccess", Type: EntryFile, Size: 777, ModTime: listTime(2024, time.November, 5, 18, 30), Precision: TimeMinute, Mode: 0o640, Owner: "bob", Group: "www-data"}},
	{"drwxrwxrwt   2 root     root         4096 Mar  9 23:59 tmp",
		Entry{Name: "tmp", Type: EntryDir, Size: 4096, ModTime: listTime(2025, time.March, 9, 23, 59), Precision: TimeMinute, Mode: os.ModeSticky | 0o777, Owner: "root", Group: "root"}},
	{"-rwsr-xr-x   1 root     root        54096 Apr  1  2023 su-helper",
		Entry{Name: "su-helper", Type: EntryFile, Size: 54096, ModTime: listDay(2023, time.April, 1), Precision: TimeDay, Mode: os.ModeSetuid | 0o755, Owner: "root", Group: "root"}},
	{"-rw-r--r--   1 ftp      ftp             5 Mar  1 00:00 a -> b.txt",
		Entry{Name: "a -> b.txt", Type: EntryFile, Size: 5, ModTime: listTime(2025, time.March, 1, 0, 0), Precision: TimeMinute, Mode: 0o644, Owner: "ftp", Group: "ftp"}},
	{"-rw-r--r--   1 ftp      ftp           100 Feb 14 14:14  leading space",
		Entry{Name: " leading space", Type: EntryFile, Size: 100, ModTime: listTime(2025, time.February, 14, 14, 14), Precision: TimeMinute, Mode: 0o644, Owner: "ftp", Group: "ftp"}},
	{"-rw-r--r--   1 ftp      ftp           100 Feb 14 14:14 trailing space  ",
		Entry{Name: "trailing space  ", Type: EntryFile, Size: 100, ModTime: listTime(2025, time.February, 14, 14, 14), Precision: TimeMinute, Mode: 0o644, Owner: "ftp", Group: "ftp"}},
}

// pure-ftpd lists "." and ".." and shows numeric owners in a chroot.
var pureFTPdListTests = []listCase{
	{"drwxr-xr-x    2 1000       1000             4096 Mar  4 12:34 .",
		Entry{Name: ".", Type: EntryDir, Size: 4096, ModTime: listTime(2025, time.March, 4, 12, 34), Precision: TimeMinute, Mode: 0o755, Owner: "1000", Group: "1000"}},
	{"drwxr-xr-x    8 0          0                4096 Feb 11 09:30 ..",
		Entry{Name: "..", Type: EntryDir, Size: 4096, ModTime: listTime(2025, time.February, 11, 9, 30), Precision: TimeMinute, Mode: 0o755, Owner: "0", Group: "0"}},
	{"-rw-r--r--    1 1000       1000         73400320 Mar  7 16:45 video.mp4",
		Entry{Name: "video.mp4", Type: EntryFile, Size: 73400320, ModTime: listTime(2025, time.March, 7, 16, 45), Precision: TimeMinute, Mode: 0o644, Owner: "1000", Group: "1000"}},
	{"-rw-r--r--    1 www-data   www-data          318 Aug  2  2022 index.html",
		Entry{Name: "index.html", Type: EntryFile, Size: 318, ModTime: listDay(2022, time.August, 2), Precision: TimeDay, Mode: 0o644, Owner: "www-data", Group: "www-data"}},
	{"lrwxrwxrwx    1 1000       1000               10 Jan 20 11:11 docs -> share/docs",
		Entry{Name: "docs", Type: EntryLink, Size: 10, ModTime: listTime(2025, time.January, 20, 11, 11), Precision: TimeMinute, Target: "share/docs", Mode: 0o777, Owner: "1000", Group: "1000"}},
	{"-rw-r--r--    1 1000       1000               12 Feb  3 13:00 Ünïcödé файл.txt",
		Entry{Name: "Ünïcödé файл.txt", Type: EntryFile, Size: 12, ModTime: listTime(2025, time.February, 3, 13, 0), Precision: TimeMinute, Mode: 0o644, Owner: "1000", Group: "1000"}},
	{"prw-r--r--    1 1000       1000                0 Mar  2 02:02 fifo",
		Entry{Name: "fifo", Type: EntryOther, Size: 0, ModTime: listTime(2025, time.March, 2, 2, 2), Precision: TimeMinute, Mode: 0o644, Owner: "1000", Group: "1000"}},
	{"srwxrwxrwx    1 1000       1000                0 Mar  2 02:03 sock",
		Entry{Name: "sock", Type: EntryOther, Size: 0, ModTime: listTime(2025, time.March, 2, 2, 3), Precision: TimeMinute, Mode: 0o777, Owner: "1000", Group: "1000"}},
	{"drwxr-x---    2 1000       1000             4096 Sep 11 06:00 private",
		Entry{Name: "private", Type: EntryDir, Size: 4096, ModTime: listTime(2024, time.September, 11, 6, 0), Precision: TimeMinute, Mode: 0o750, Owner: "1000", Group: "1000"}},
}

// FileZilla Server on Windows answers LIST in Unix style, with "ftp ftp"
// owners and zero sizes for folders.
var fileZillaListTests = []listCase{
	{"drwxr-xr-x 1 ftp ftp              0 Feb 26 10:51 My Documents",
		Entry{Name: "My Documents", Type: EntryDir, Size: 0, ModTime: listTime(2025, time.February, 26, 10, 51), Precision: TimeMinute, Mode: 0o755, Owner: "ftp", Group: "ftp"}},
	{"-rw-r--r-- 1 ftp ftp         524288 Mar 04  2019 report 2019.xlsx",
		Entry{Name: "report 2019.xlsx", Type: EntryFile, Size: 524288, ModTime: listDay(2019, time.March, 4), Precision: TimeDay, Mode: 0o644, Owner: "ftp", Group: "ftp"}},
	{"-rw-r--r-- 1 ftp ftp     1073741824 Jan 13 22:00 disk.img",
		Entry{Name: "disk.img", Type: EntryFile, Size: 1073741824, ModTime: listTime(2025, time.January, 13, 22, 0), Precision: TimeMinute, Mode: 0o644, Owner: "ftp", Group: "ftp"}},
	{"drwxr-xr-x 1 ftp ftp              0 Dec 20  2023 Program Files (x86)",
		Entry{Name: "Program Files (x86)", Type: EntryDir, Size: 0, ModTime: listDay(2023, time.December, 20), Precision: TimeDay, Mode: 0o755, Owner: "ftp", Group: "ftp"}},
	{"-rw-r--r-- 1 ftp ftp             17 Mar 08 07:30 desktop.ini",
		Entry{Name: "desktop.ini", Type: EntryFile, Size: 17, ModTime: listTime(2025, time.March, 8, 7, 30), Precision: TimeMinute, Mode: 0o644, Owner: "ftp", Group: "ftp"}},
	{"-rw-r--r-- 1 ftp ftp              9 Mar 08 07:31 a;b c.txt",
		Entry{Name: "a;b c.txt", Type: EntryFile, Size: 9, ModTime: listTime(2025, time.March, 8, 7, 31), Precision: TimeMinute, Mode: 0o644, Owner: "ftp", Group: "ftp"}},
}

// Microsoft IIS with the Unix listing style.
var iisUnixListTests = []listCase{
	{"----------   1 owner    group         1803128 Jul 10  2024 ls-lR.Z",
		Entry{Name: "ls-lR.Z", Type: EntryFile, Size: 1803128, ModTime: listDay(2024, time.July, 10), Precision: TimeDay, Mode: 0, Owner: "owner", Group: "group"}},
	{"d---------   1 owner    group               0 Nov  9 19:45 Softlib",
		Entry{Name: "Softlib", Type: EntryDir, Size: 0, ModTime: listTime(2024, time.November, 9, 19, 45), Precision: TimeMinute, Mode: 0, Owner: "owner", Group: "group"}},
	{"-r-xr-xr-x   1 owner    group           45056 Feb 10 08:00 setup.exe",
		Entry{Name: "setup.exe", Type: EntryFile, Size: 45056, ModTime: listTime(2025, time.February, 10, 8, 0), Precision: TimeMinute, Mode: 0o555, Owner: "owner", Group: "group"}},
	{"dr-xr-xr-x   1 owner    group               0 Jan  2 12:00 aspnet_client",
		Entry{Name: "aspnet_client", Type: EntryDir, Size: 0, ModTime: listTime(2025, time.January, 2, 12, 0), Precision: TimeMinute, Mode: 0o555, Owner: "owner", Group: "group"}},
}

// Other ls variants: GNU and BSD ls, ACL and attribute markers, devices,
// missing columns, ISO time styles, odd month cases and tricky names.
var unixVariantListTests = []listCase{
	{"-rw-r--r--+  1 521      101         2080 May 21  2024 data.csv",
		Entry{Name: "data.csv", Type: EntryFile, Size: 2080, ModTime: listDay(2024, time.May, 21), Precision: TimeDay, Mode: 0o644, Owner: "521", Group: "101"}},
	{"-rw-r--r--@  1 alice  staff   6148 Feb 20 10:00 .DS_Store",
		Entry{Name: ".DS_Store", Type: EntryFile, Size: 6148, ModTime: listTime(2025, time.February, 20, 10, 0), Precision: TimeMinute, Mode: 0o644, Owner: "alice", Group: "staff"}},
	{"-rw-r--r--.  1 root root     1024 Mar  1 09:09 selinux.conf",
		Entry{Name: "selinux.conf", Type: EntryFile, Size: 1024, ModTime: listTime(2025, time.March, 1, 9, 9), Precision: TimeMinute, Mode: 0o644, Owner: "root", Group: "root"}},
	{"crw-rw-rw-   1 root root    1,   3 Mar  4 12:34 null",
		Entry{Name: "null", Type: EntryOther, Size: -1, ModTime: listTime(2025, time.March, 4, 12, 34), Precision: TimeMinute, Mode: 0o666, Owner: "root", Group: "root"}},
	{"brw-rw----   1 root disk  259,   0 Jan 30  2024 nvme0n1",
		Entry{Name: "nvme0n1", Type: EntryOther, Size: -1, ModTime: listDay(2024, time.January, 30), Precision: TimeDay, Mode: 0o660, Owner: "root", Group: "disk"}},
	{"crw--w----   1 root tty   136,0 Mar 10 14:00 pts0",
		Entry{Name: "pts0", Type: EntryOther, Size: -1, ModTime: listTime(2025, time.March, 10, 14, 0), Precision: TimeMinute, Mode: 0o620, Owner: "root", Group: "tty"}},
	{"-rw-r--r--   1 user          1234 Mar  4 12:34 nogroup.txt",
		Entry{Name: "nogroup.txt", Type: EntryFile, Size: 1234, ModTime: listTime(2025, time.March, 4, 12, 34), Precision: TimeMinute, Mode: 0o644, Owner: "user"}},
	{"-rw-r--r--   1 1001          1234 Mar  4 12:34 nogroup-numeric.txt",
		Entry{Name: "nogroup-numeric.txt", Type: EntryFile, Size: 1234, ModTime: listTime(2025, time.March, 4, 12, 34), Precision: TimeMinute, Mode: 0o644, Owner: "1001"}},
	{"drwxr-xr-x               folder        0 Aug 15  2024 !!!-Tipp des Haus!",
		Entry{Name: "!!!-Tipp des Haus!", Type: EntryDir, Size: 0, ModTime: listDay(2024, time.August, 15), Precision: TimeDay, Mode: 0o755, Owner: "folder"}},
	{"-rw-r--r-- 1 user group 2048 2024-03-04 12:34 iso-long.txt",
		Entry{Name: "iso-long.txt", Type: EntryFile, Size: 2048, ModTime: listTime(2024, time.March, 4, 12, 34), Precision: TimeMinute, Mode: 0o644, Owner: "user", Group: "group"}},
	{"-rw-r--r-- 1 user group 2048 2024-03-04 12:34:56.123456789 -0500 iso-full.txt",
		Entry{Name: "iso-full.txt", Type: EntryFile, Size: 2048, ModTime: time.Date(2024, time.March, 4, 17, 34, 56, 123456789, time.UTC), Precision: TimeExact, Mode: 0o644, Owner: "user", Group: "group"}},
	{"-rw-r--r-- 1 user group 2048 2024-03-04 12:34:56 iso-seconds.txt",
		Entry{Name: "iso-seconds.txt", Type: EntryFile, Size: 2048, ModTime: time.Date(2024, time.March, 4, 12, 34, 56, 0, listTestZone), Precision: TimeMinute, Mode: 0o644, Owner: "user", Group: "group"}},
	{"-rw-r--r--   1 user group   10 MAR  4 12:34 upper.txt",
		Entry{Name: "upper.txt", Type: EntryFile, Size: 10, ModTime: listTime(2025, time.March, 4, 12, 34), Precision: TimeMinute, Mode: 0o644, Owner: "user", Group: "group"}},
	{"-rw-r--r--   1 user group   10 mar  4  2021 lower.txt",
		Entry{Name: "lower.txt", Type: EntryFile, Size: 10, ModTime: listDay(2021, time.March, 4), Precision: TimeDay, Mode: 0o644, Owner: "user", Group: "group"}},
	{"-r--------   0 user group     65222236 Feb 24 00:39 RegularFile",
		Entry{Name: "RegularFile", Type: EntryFile, Size: 65222236, ModTime: listTime(2025, time.February, 24, 0, 39), Precision: TimeMinute, Mode: 0o400, Owner: "user", Group: "group"}},
	{"-rw-r--r--        0   18446744073709551615 18446744073709551615 Nov 16  2006 VIDEO_TS.VOB",
		Entry{Name: "VIDEO_TS.VOB", Type: EntryFile, Size: -1, ModTime: listDay(2006, time.November, 16), Precision: TimeDay, Mode: 0o644, Owner: "18446744073709551615"}},
	{"-rwSr-Sr-T   1 user group    0 Mar  4 12:34 special-no-exec",
		Entry{Name: "special-no-exec", Type: EntryFile, Size: 0, ModTime: listTime(2025, time.March, 4, 12, 34), Precision: TimeMinute, Mode: os.ModeSetuid | os.ModeSetgid | os.ModeSticky | 0o644, Owner: "user", Group: "group"}},
	{"-rw-r--r--   1 user group   10 Mar  4 12:34 Jan  1 12:00 name-with-date",
		Entry{Name: "Jan  1 12:00 name-with-date", Type: EntryFile, Size: 10, ModTime: listTime(2025, time.March, 4, 12, 34), Precision: TimeMinute, Mode: 0o644, Owner: "user", Group: "group"}},
	{"-rw-r--r--   1 jan  mar   2019 Feb 28 09:00 owner-like-a-month",
		Entry{Name: "owner-like-a-month", Type: EntryFile, Size: 2019, ModTime: listTime(2025, time.February, 28, 9, 0), Precision: TimeMinute, Mode: 0o644, Owner: "jan", Group: "mar"}},
	{"lrwxrwxrwx   1 user group   12 Mar  4 12:34 a -> b -> c",
		Entry{Name: "a", Type: EntryLink, Size: 12, ModTime: listTime(2025, time.March, 4, 12, 34), Precision: TimeMinute, Target: "b -> c", Mode: 0o777, Owner: "user", Group: "group"}},
	{"lrwxrwxrwx   1 user group    7 Mar  4 12:34 no-arrow",
		Entry{Name: "no-arrow", Type: EntryLink, Size: 7, ModTime: listTime(2025, time.March, 4, 12, 34), Precision: TimeMinute, Mode: 0o777, Owner: "user", Group: "group"}},
	{"-rw-r--r--   1 user Domain Users   99 Mar  4 12:34 group with space",
		Entry{Name: "group with space", Type: EntryFile, Size: 99, ModTime: listTime(2025, time.March, 4, 12, 34), Precision: TimeMinute, Mode: 0o644, Owner: "user", Group: "Domain Users"}},
	{"-rw-r--r--   1 user group    1 Mar  4 12:34 ->",
		Entry{Name: "->", Type: EntryFile, Size: 1, ModTime: listTime(2025, time.March, 4, 12, 34), Precision: TimeMinute, Mode: 0o644, Owner: "user", Group: "group"}},
}

// NetWare shows rights in brackets instead of Unix permission bits.
var netWareListTests = []listCase{
	{"d [RWCEAFMS] admin                512 Mar  4 12:34 SYSTEM",
		Entry{Name: "SYSTEM", Type: EntryDir, Size: 512, ModTime: listTime(2025, time.March, 4, 12, 34), Precision: TimeMinute, Owner: "admin"}},
	{"- [R----F--] rhesus             214059 Oct 20  2023 cx.exe",
		Entry{Name: "cx.exe", Type: EntryFile, Size: 214059, ModTime: listDay(2023, time.October, 20), Precision: TimeDay, Owner: "rhesus"}},
}
