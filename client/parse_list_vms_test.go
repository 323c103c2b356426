package client

import "time"

// vmsTime is a VMS time to the hundredth of a second in listTestZone.
func vmsTime(year int, month time.Month, day, hour, min, sec, centi int) time.Time {
	return time.Date(year, month, day, hour, min, sec, centi*10_000_000, listTestZone)
}

// vmsFile and vmsDir are the entries of VMS lines: sizes in blocks are
// unknown sizes in bytes, times are to the minute in listTestZone.
func vmsFile(name string, t time.Time, group, owner string) Entry {
	return Entry{Name: name, Type: EntryFile, Size: -1, ModTime: t, Precision: TimeMinute, Group: group, Owner: owner}
}

func vmsDir(name string, t time.Time, group, owner string) Entry {
	return Entry{Name: name, Type: EntryDir, Size: -1, ModTime: t, Precision: TimeMinute, Group: group, Owner: owner}
}

// OpenVMS lines (MultiNet, TCPware, UCX) from Apache commons-net
// VMSFTPEntryParserTest, Chromium net/ftp/ftp_directory_listing_parser_vms_unittest.cc
// and net/data/ftp/dir-listing-vms-*, and FileZilla tests/dirparsertest.cpp.
// Names lose their version and a folder's ".DIR".
var vmsListTests = []listCase{
	{"1-JUN.LIS;1              9/9           2-JUN-1998 07:32:04  [GROUP,OWNER]    (RWED,RWED,RWED,RE)", vmsFile("1-JUN.LIS", vmsTime(1998, time.June, 2, 7, 32, 4, 0), "GROUP", "OWNER")},
	{"1-JUN.LIS;3              9/9           2-JUN-1998 07:32:04  [GROUP,OWNER]    (RWED,RWED,RWED,)", vmsFile("1-JUN.LIS", vmsTime(1998, time.June, 2, 7, 32, 4, 0), "GROUP", "OWNER")},
	{"DATA.DIR;1               1/9           2-JUN-1998 07:32:04  [TRANSLATED]     (,RWED,RWED,RE)", vmsDir("DATA", vmsTime(1998, time.June, 2, 7, 32, 4, 0), "", "TRANSLATED")},
	{"120196.TXT;1           118/126        14-APR-1997 12:45:27  [GROUP,OWNER]    (RWED,,RWED,RE)", vmsFile("120196.TXT", vmsTime(1997, time.April, 14, 12, 45, 27, 0), "GROUP", "OWNER")},
	{"30CHARBAR.TXT;1         11/18          2-JUN-1998 08:38:42  [GROUP,OWNER]    (RWED,RWED,RWED,RE)", vmsFile("30CHARBAR.TXT", vmsTime(1998, time.June, 2, 8, 38, 42, 0), "GROUP", "OWNER")},
	{"A.;2                    18/18          1-JUL-1998 08:43:20  [GROUP,OWNER]    (RWED,RWED,RWED,RE)", vmsFile("A.", vmsTime(1998, time.July, 1, 8, 43, 20, 0), "GROUP", "OWNER")},
	{"AA.;2                  152/153        13-FEB-1997 08:13:43  [GROUP,OWNER]    (RWED,RWED,RWED,RE)", vmsFile("AA.", vmsTime(1997, time.February, 13, 8, 13, 43, 0), "GROUP", "OWNER")},
	{"UNARCHIVE.COM;1          2/15          7-JUL-1997 16:37:45  [POSTWARE,LP]    (RWE,RWE,RWE,RE)", vmsFile("UNARCHIVE.COM", vmsTime(1997, time.July, 7, 16, 37, 45, 0), "POSTWARE", "LP")},
	{"UNXMERGE.COM;15          1/15         20-AUG-1996 13:59:50  [POSTWARE,LP]    (RWE,RWE,RWE,RE)", vmsFile("UNXMERGE.COM", vmsTime(1996, time.August, 20, 13, 59, 50, 0), "POSTWARE", "LP")},
	{"UNXTEMP.COM;7            1/15         15-AUG-1996 14:10:38  [POSTWARE,LP]    (RWE,RWE,RWE,RE)", vmsFile("UNXTEMP.COM", vmsTime(1996, time.August, 15, 14, 10, 38, 0), "POSTWARE", "LP")},
	// An owner whose bracket the server did not close.
	{"FREEWARE40.DIR;1        27/36         16-FEB-1999 10:01:46  [AP_HTTPD,APACHE$WWW                               (RWE,RWE,RE,RE)", vmsDir("FREEWARE40", vmsTime(1999, time.February, 16, 10, 1, 46, 0), "AP_HTTPD", "APACHE$WWW")},
	{"1-JUN.LIS;1              9/9           2-jun-1998 07:32:04  [GROUP,OWNER]    (RWED,RWED,RWED,RE)", vmsFile("1-JUN.LIS", vmsTime(1998, time.June, 2, 7, 32, 4, 0), "GROUP", "OWNER")},
	{"ALLOCMISS.COM;1            1         15-AUG-1996 14:10:38  [POSTWARE,LP]    (RWE,RWE,RWE,RE)", vmsFile("ALLOCMISS.COM", vmsTime(1996, time.August, 15, 14, 10, 38, 0), "POSTWARE", "LP")},
	{"1-JUN.LIS;1              9/9           2-JUN-1998 07:32:04  [TRANSLATED]    (RWED,RD,,)", vmsFile("1-JUN.LIS", vmsTime(1998, time.June, 2, 7, 32, 4, 0), "", "TRANSLATED")},
	{"1-JUN.LIS;1              9/9           2-JUN-1998 07:32:04  [GROUP,OWNER]    (RWED,RWED,RW,R)", vmsFile("1-JUN.LIS", vmsTime(1998, time.June, 2, 7, 32, 4, 0), "GROUP", "OWNER")},
	{"README.TXT;4  2  18-APR-2000 10:40:39.90", vmsFile("README.TXT", vmsTime(2000, time.April, 18, 10, 40, 39, 90), "", "")},
	{".WELCOME;1    2  13-FEB-2002 23:32:40.47", vmsFile(".WELCOME", vmsTime(2002, time.February, 13, 23, 32, 40, 47), "", "")},
	{"FILE.;1    2  13-FEB-2002 23:32:40.47", vmsFile("FILE.", vmsTime(2002, time.February, 13, 23, 32, 40, 47), "", "")},
	{"EXAMPLE.TXT;1  1   4-NOV-2009 06:02 [JOHNDOE] (RWED,RWED,,)", vmsFile("EXAMPLE.TXT", vmsTime(2009, time.November, 4, 6, 2, 0, 0), "", "JOHNDOE")},
	{"ANNOUNCE.TXT;2 1/16 12-MAR-2005 08:44:57 [SYSTEM] (RWED,RWED,RE,RE)", vmsFile("ANNOUNCE.TXT", vmsTime(2005, time.March, 12, 8, 44, 57, 0), "", "SYSTEM")},
	{"TEST.DIR;1 1 4-MAR-1999 22:14:34 [UCX$NOBO,ANONYMOUS] (RWE,RWE,RWE,RWE)", vmsDir("TEST", vmsTime(1999, time.March, 4, 22, 14, 34, 0), "UCX$NOBO", "ANONYMOUS")},
	{"ANNOUNCE.TXT;2 1 12-MAR-2005 08:44:57 [X] (,,,)", vmsFile("ANNOUNCE.TXT", vmsTime(2005, time.March, 12, 8, 44, 57, 0), "", "X")},
	{"ANNOUNCE.TXT;2 1 12-MAR-2005 08:44:57 [X] (R,RW,RWD,RE)", vmsFile("ANNOUNCE.TXT", vmsTime(2005, time.March, 12, 8, 44, 57, 0), "", "X")},
	{"ANNOUNCE.TXT;2 1 12-MAR-2005 08:44:57 [X] (ED,RED,WD,WED)", vmsFile("ANNOUNCE.TXT", vmsTime(2005, time.March, 12, 8, 44, 57, 0), "", "X")},
	{"VMS721.ISO;2 ******  6-MAY-2008 09:29 [ANONY,ANONYMOUS] (RE,RWED,RE,RE)", vmsFile("VMS721.ISO", vmsTime(2008, time.May, 6, 9, 29, 0, 0), "ANONY", "ANONYMOUS")},
	{"ANNOUNCE.TXT;2 1/9223372036854775807 12-MAR-2005 08:44:57 [SYSTEM] (RWED,RWED,RE,RE)", vmsFile("ANNOUNCE.TXT", vmsTime(2005, time.March, 12, 8, 44, 57, 0), "", "SYSTEM")},
	{"INPUT.DIR;1              1/16          4-MAR-1999 22:14:34  [UCX$NOBO,ANONYMOUS]   (RWE,RWE,RWE,RWE)", vmsDir("INPUT", vmsTime(1999, time.March, 4, 22, 14, 34, 0), "UCX$NOBO", "ANONYMOUS")},
	{"$MAIN.TPU$JOURNAL;1         1   4-NOV-2009 05:59 [JOHNDOE] (RWED,RWED,,)", vmsFile("$MAIN.TPU$JOURNAL", vmsTime(2009, time.November, 4, 5, 59, 0, 0), "", "JOHNDOE")},
	{"FTP_SERVER.LOG;12           0   4-NOV-2009 09:12 [JOHNDOE] (RWED,RWED,,)", vmsFile("FTP_SERVER.LOG", vmsTime(2009, time.November, 4, 9, 12, 0, 0), "", "JOHNDOE")},
	{"ALPHA0721.ISO-GZ;1  383594 14-MAY-2008 08:52 [ANONY,ANONYMOUS] (RE,RWED,RE,RE)", vmsFile("ALPHA0721.ISO-GZ", vmsTime(2008, time.May, 14, 8, 52, 0, 0), "ANONY", "ANONYMOUS")},
	{"rexx.DIR;1               1 11-AUG-2009 18:06 [ANONY,ANONYMOUS] (RWE,RE,RE,RE)", vmsDir("rexx", vmsTime(2009, time.August, 11, 18, 6, 0, 0), "ANONY", "ANONYMOUS")},
	{"_SITE.CSS;8              5 19-MAR-2009 23:44 [ANONY,ANONYMOUS] (RE,RWED,RE,RE)", vmsFile("_SITE.CSS", vmsTime(2009, time.March, 19, 23, 44, 0, 0), "ANONY", "ANONYMOUS")},
	{"FTP_SERVER.LOG;1682         0  27-NOV-2009 14:35 [NET,ANONYMOUS] (RWED,RWED,,)", vmsFile("FTP_SERVER.LOG", vmsTime(2009, time.November, 27, 14, 35, 0, 0), "NET", "ANONYMOUS")},
	{"DECUS.DIR;1                1   9-MAY-2001 22:18:51.69", vmsDir("DECUS", vmsTime(2001, time.May, 9, 22, 18, 51, 69), "", "")},
	{"36-vms-dir.DIR;1  1 19-NOV-2001 21:41 [root,root] (RWE,RWE,RE,RE)", vmsDir("36-vms-dir", vmsTime(2001, time.November, 19, 21, 41, 0, 0), "root", "root")},
	{"37-vms-file;1       155   2-JUL-2003 10:30:13.64", vmsFile("37-vms-file", vmsTime(2003, time.July, 2, 10, 30, 13, 64), "", "")},
	{"38-vms-notime-file;1    2/8    7-JAN-2000    [IV2_XXX]   (RWED,RWED,RE,)",
		Entry{Name: "38-vms-notime-file", Type: EntryFile, Size: -1, ModTime: listDay(2000, time.January, 7), Precision: TimeDay, Owner: "IV2_XXX"}},
	{"42-vms-alternate-field-order-file;1   [SUMMARY]    1/3     2-AUG-2006 13:05  (RWE,RWE,RE,)", vmsFile("42-vms-alternate-field-order-file", vmsTime(2006, time.August, 2, 13, 5, 0, 0), "", "SUMMARY")},
	{"43-vms-alternate-field-order-file;1       17-JUN-1994 17:25:37     6308/13     (RWED,RWED,R,)", vmsFile("43-vms-alternate-field-order-file", vmsTime(1994, time.June, 17, 17, 25, 37, 0), "", "")},
	{"56-VMS-complex-size;1 2KB 23-SEP-2005 14:57:07.27", vmsFile("56-VMS-complex-size", vmsTime(2005, time.September, 23, 14, 57, 7, 27), "", "")},
}

// vmsBadLines are lines that look like VMS lines but are not entries.
// Most come from Chromium's and commons-net's tests of bad input.
var vmsBadLines = []string{
	"README.TXT 2 18-APR-2000 10:40:39",
	"README.TXT;1 garbage 18-APR-2000 10:40:39",
	"README.TXT;1 -2 18-APR-2000 10:40:39",
	"README.TXT;1 2 APR-2000 10:40:39",
	"README.TXT;1 2 -18-APR-2000 10:40:39",
	"README.TXT;1 2 18-APR 10:40:39",
	"README.TXT;1 2 18-APR-2000 10",
	"README.TXT;1 2 18-APR-2000 10:40.25",
	"README.TXT;1 2 18-APR-2000 10:40.25.25",
	"X.TXT;2 1 12-MAR-2005 08:44:57 (SYSTEM) (RWED,RWED,RE,RE)",
	"X.TXT;2 1 12-MAR-2005 08:44:57 [SYSTEM] [RWED,RWED,RE,RE]",
	"X.TXT;2 1 12-MAR-2005 08:44:57 [X] (RWED)",
	"X.TXT;2 1 12-MAR-2005 08:44:57 [X] (RWED,RWED,RE,RE,RE)",
	"X.TXT;2 1 12-MAR-2005 08:44:57 [X] (RWED,RWEDRWED,RE,RE)",
	"X.TXT;2 1 12-MAR-2005 08:44:57 [X] (RWED,DEWR,RE,RE)",
	"X.TXT;2 1 12-MAR-2005 08:44:57 [X] (RWED,RWED,Q,RE)",
	"X.TXT;2 1 12-MAR-2005 08:44:57 [X] (RWED,RRWWEEDD,RE,RE)",
	"1-JUN.LIS;2              9/9           JUN-2-1998 07:32:04  [GROUP,OWNER]    (RWED,RWED,RWED,)",
	"1-JUN.LIS;2              a/9           2-JUN-98 07:32:04  [GROUP,OWNER]    (RWED,RWED,RWED,)",
	"DATA.DIR; 1              1/9           2-JUN-1998 07:32:04  [GROUP,OWNER]    (,RWED,RWED,RE)",
	"120196.TXT;1           118/126        14-APR-1997 12:45:27 PM  [GROUP,OWNER]    (RWED,,RWED,RE)",
	"A.;2                    18/18          1-JUL-1998 08:43:20  [GROUP,OWNER]    (RWED2,RWED,RWED,RE)",
	"AA.;2                  152/153        13-FED-1997 08:13:43  [GROUP,OWNER]    (RWED,RWED,RWED,RE)",
	"X.TXT;2 1 31-FEB-2005 08:44:57 [X] (RWED,RWED,RE,RE)",
	"X.TXT;2 1 12-MAR-2005 25:44:57 [X] (RWED,RWED,RE,RE)",
	"X.TXT;2 1 12-MAR-2005 08:44:57 [] (RWED,RWED,RE,RE)",
	";2 1 12-MAR-2005 08:44:57 [X] (RWED,RWED,RE,RE)",
	"X.TXT;2 1 12-MAR-2005 08:44:57 [X] (RWED,RWED,RE,RE) extra",
	"MAIL_ARCHIVES.DIR;1",
	"PICS.DIR;1\tNo privilege for attempted operation",
	"39-vms-notime-file;1    6/8    15-JUI-2002    PRONAS   (RWED,RWED,RE,)",
}

// vmsHeaderLines are the headers and footers of VMS listings (Chromium's
// net/data/ftp/dir-listing-vms-*, commons-net), which hold no entry.
var vmsHeaderLines = []string{
	"Directory ANONYMOUS_ROOT:[000000]",
	"Directory SYS$SYSDEVICE:[ANONYMOUS]",
	"Directory USER1:[TEMP]\r\n",
	"EISNER$DRA3:[DECUSERVE_USER.JOHNDOE]",
	"SYS:[ANON_LOGS]",
	"ANONYMOUS:[000000]",
	"Total of 11 files, 17 blocks.",
	"Total of 30 files, 53/464 blocks",
	"Total of 43 blocks in 8 files.",
	"Total of 0 blocks in 0 files in 0 directories.",
	"Total of 6 Files, 12 Blocks.",
	"Grand total of 2 directories, 41 files, 1557541 blocks.",
	"*.*;0              <%RMS-E-FNF, file not found>",
}
