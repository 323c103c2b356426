package client

import "time"

// secTime is a LIST time to the second in listTestZone.
func secTime(year int, month time.Month, day, hour, min, sec int) time.Time {
	return time.Date(year, month, day, hour, min, sec, 0, listTestZone)
}

// cmsEntry is the entry of a z/VM CMS line: no size in bytes, a time to
// the second.
func cmsEntry(name string, typ EntryType, t time.Time) Entry {
	return Entry{Name: name, Type: typ, Size: -1, ModTime: t, Precision: TimeMinute}
}

// z/VM CMS lines. The FTP server's lines (file name, file type, record
// format, record length, records, blocks, date, time, owner and minidisk):
//   - Mozilla netwerk/test/gtest/parse-ftp/C-zVM.in, a session with
//     vm.marist.edu (FTPSERVE IBM VM Level 420, 2002);
//   - NFTP 2.0 parsers.c (OS2World/APP-INTERNET-NFTP), a listing of
//     nervm.nerdc.ufl.edu (FTPSERVE IBM VM V2R3) with M/DD/YY dates;
//   - SlickEdit's ftpparse.e (2010), _ftpParseDir_VM's comment: VM/ESA
//     minidisk listings in both date styles and Shared File System ones;
//   - Indy Lib/Protocols/IdFTPListParseVM.pas (IndySockets/Indy);
//   - FileZilla tests/dirparsertest.cpp (its test names are longer than
//     CMS allows).
//
// The FILELIST columns (file mode after the file type, no owner):
//   - zvm-bootcamp/zvm-bootcamp.github.io en/cms.md, a z/VM 6.3 FILELIST
//     screen, with its Cmd column;
//   - Mozilla netwerk/test/gtest/parse-ftp/C-VMold.in, which Mozilla calls
//     synthetic, built from mirror.pl's comments and a screenshot; Indy
//     parses the same lines.
var cmsListTests = []listCase{
	{"README   ANONYMOU V         71         26          1 1997-04-02 12:33:20 TCP291", cmsEntry("README.ANONYMOU", EntryFile, secTime(1997, time.April, 2, 12, 33, 20))},
	{"README   ANONYOLD V         71         15          1 1995-08-25 16:04:27 TCP291", cmsEntry("README.ANONYOLD", EntryFile, secTime(1995, time.August, 25, 16, 4, 27))},
	{"AUTHORS           DIR        -          -          - 1999-09-20 10:31:11 -", cmsEntry("AUTHORS", EntryDir, secTime(1999, time.September, 20, 10, 31, 11))},
	{"HARRINGTON        DIR        -          -          - 1997-02-12 15:33:28 -", cmsEntry("HARRINGTON", EntryDir, secTime(1997, time.February, 12, 15, 33, 28))},
	{"PICS              DIR        -          -          - 2000-10-12 15:43:23 -", cmsEntry("PICS", EntryDir, secTime(2000, time.October, 12, 15, 43, 23))},
	{"SYSFILE           DIR        -          -          - 2000-07-20 17:48:01 -", cmsEntry("SYSFILE", EntryDir, secTime(2000, time.July, 20, 17, 48, 1))},
	{"WELCNVT  EXEC     V         72          9          1 1999-09-20 17:16:18 -", cmsEntry("WELCNVT.EXEC", EntryFile, secTime(1999, time.September, 20, 17, 16, 18))},
	{"WELCOME  EREADME  F         80         21          1 1999-12-27 16:19:00 -", cmsEntry("WELCOME.EREADME", EntryFile, secTime(1999, time.December, 27, 16, 19, 0))},
	{"WELCOME  README   V         82         21          1 1999-12-27 16:19:04 -", cmsEntry("WELCOME.README", EntryFile, secTime(1999, time.December, 27, 16, 19, 4))},
	{"PROJECT  PDF      V        984         10          3 1997-06-15 11:15:02 -", cmsEntry("PROJECT.PDF", EntryFile, secTime(1997, time.June, 15, 11, 15, 2))},
	{"CAMPUS   TIF      V       8192       3172       3606 2000-10-06 17:20:37 -", cmsEntry("CAMPUS.TIF", EntryFile, secTime(2000, time.October, 6, 17, 20, 37))},
	{"ROTUNDA  TIF      V       8192       5745       8750 2000-10-06 17:28:25 -", cmsEntry("ROTUNDA.TIF", EntryFile, secTime(2000, time.October, 6, 17, 28, 25))},
	{"STUDENT  TIF      V       8192       5017       8557 2000-10-06 17:31:26 -", cmsEntry("STUDENT.TIF", EntryFile, secTime(2000, time.October, 6, 17, 31, 26))},
	{"CHILDREN TXT      V        280        310         20 1993-08-06 14:20:00 -", cmsEntry("CHILDREN.TXT", EntryFile, secTime(1993, time.August, 6, 14, 20, 0))},
	{"SYSFILE  VMARC    F         80       2001         40 2000-07-20 17:47:35 -", cmsEntry("SYSFILE.VMARC", EntryFile, secTime(2000, time.July, 20, 17, 47, 35))},
	// nervm.nerdc.ufl.edu (NFTP).
	{"$README  $FIRST   F         80          7          1 11/21/97 23:26:08 FTP301", cmsEntry("$README.$FIRST", EntryFile, secTime(1997, time.November, 21, 23, 26, 8))},
	{"ART               DIR        -          -          - 11/24/95 17:45:47 -", cmsEntry("ART", EntryDir, secTime(1995, time.November, 24, 17, 45, 47))},
	{"AS                DIR        -          -          - 10/18/98 18:43:16 -", cmsEntry("AS", EntryDir, secTime(1998, time.October, 18, 18, 43, 16))},
	{"BLAH              DIR        -          -          -  2/07/98  1:29:15 -", cmsEntry("BLAH", EntryDir, secTime(1998, time.February, 7, 1, 29, 15))},
	{"CAIRO             DIR        -          -          -  8/06/96 11:12:52 -", cmsEntry("CAIRO", EntryDir, secTime(1996, time.August, 6, 11, 12, 52))},
	{"FAFS              DIR        -          -          -  5/29/98 10:20:58 -", cmsEntry("FAFS", EntryDir, secTime(1998, time.May, 29, 10, 20, 58))},
	{"GEOPLAN           DIR        -          -          -  7/22/97 20:17:00 -", cmsEntry("GEOPLAN", EntryDir, secTime(1997, time.July, 22, 20, 17, 0))},
	{"HWPW              DIR        -          -          -  4/04/96 21:46:25 -", cmsEntry("HWPW", EntryDir, secTime(1996, time.April, 4, 21, 46, 25))},
	{"JUNK              DIR        -          -          -  7/28/96  0:35:11 -", cmsEntry("JUNK", EntryDir, secTime(1996, time.July, 28, 0, 35, 11))},
	{"MODS              DIR        -          -          - 11/24/95 17:46:06 -", cmsEntry("MODS", EntryDir, secTime(1995, time.November, 24, 17, 46, 6))},
	{"OUTGOING          DIR        -          -          - 10/19/96 20:32:04 -", cmsEntry("OUTGOING", EntryDir, secTime(1996, time.October, 19, 20, 32, 4))},
	{"RPENA             DIR        -          -          - 10/19/98  8:25:53 -", cmsEntry("RPENA", EntryDir, secTime(1998, time.October, 19, 8, 25, 53))},
	{"SAWFLY            DIR        -          -          -  6/18/97 21:10:21 -", cmsEntry("SAWFLY", EntryDir, secTime(1997, time.June, 18, 21, 10, 21))},
	{"TEST              DIR        -          -          -  7/25/96 18:20:58 -", cmsEntry("TEST", EntryDir, secTime(1996, time.July, 25, 18, 20, 58))},
	// VM/ESA minidisk and Shared File System listings (SlickEdit).
	{"$$KEYS$$ SAVECMS  V         59         24          1 10/21/98 12:10:56 ROB191", cmsEntry("$$KEYS$$.SAVECMS", EntryFile, secTime(1998, time.October, 21, 12, 10, 56))},
	{"CTLCAFR  $STAIRS  V         73         40          1  7/24/98  7:35:29 ROB191", cmsEntry("CTLCAFR.$STAIRS", EntryFile, secTime(1998, time.July, 24, 7, 35, 29))},
	{"EXEC     PACKLIB  V      15532         18          7 11/04/98 14:55:33 ROB191", cmsEntry("EXEC.PACKLIB", EntryFile, secTime(1998, time.November, 4, 14, 55, 33))},
	{"$$NT$$   USERDATA F         34          1          1 1998-11-04 17:41:03 ROB191", cmsEntry("$$NT$$.USERDATA", EntryFile, secTime(1998, time.November, 4, 17, 41, 3))},
	{"CONFEREN GDLINES  V         74        863         10 1991-12-04 10:15:36 ROB191", cmsEntry("CONFEREN.GDLINES", EntryFile, secTime(1991, time.December, 4, 10, 15, 36))},
	{"CTLCAFR  $STAIRS  V         73         40          1 1998-07-24  7:35:29 ROB191", cmsEntry("CTLCAFR.$STAIRS", EntryFile, secTime(1998, time.July, 24, 7, 35, 29))},
	{"EDISK             DIR        -          -          -  1/13/95 14:00:39 -", cmsEntry("EDISK", EntryDir, secTime(1995, time.January, 13, 14, 0, 39))},
	{"INDEX    HTML     V         91         45          1  1/15/02  0:05:22 -", cmsEntry("INDEX.HTML", EntryFile, secTime(2002, time.January, 15, 0, 5, 22))},
	{"UBVM     CC       V          1          0          0 11/29/99 11:06:50 -", cmsEntry("UBVM.CC", EntryFile, secTime(1999, time.November, 29, 11, 6, 50))},
	{"242-1    DJD      V          1          0          0  3/23/01  8:14:41 -", cmsEntry("242-1.DJD", EntryFile, secTime(2001, time.March, 23, 8, 14, 41))},
	{"WEBSHARE FILELIST V         69         30          1  1/13/95 10:41:28 -", cmsEntry("WEBSHARE.FILELIST", EntryFile, secTime(1995, time.January, 13, 10, 41, 28))},
	// Indy.
	{"OMA00215 PLAN     V         64         28          1  6/26/02  9:33:21 -", cmsEntry("OMA00215.PLAN", EntryFile, secTime(2002, time.June, 26, 9, 33, 21))},
	{"WEBSHARE          DIR        -          -          -  5/30/97 18:44:17 -", cmsEntry("WEBSHARE", EntryDir, secTime(1997, time.May, 30, 18, 44, 17))},
	// FileZilla.
	{"70-ZVMFILE  TRACE   V        65      107        2 2005-10-04 15:28:42 060191", cmsEntry("70-ZVMFILE.TRACE", EntryFile, secTime(2005, time.October, 4, 15, 28, 42))},
	// FILELIST on z/VM 6.3 (zvm-bootcamp).
	{"      MAINT630 NETLOG   A0 V        104         11          1  8/31/13 21:25:26 ", cmsEntry("MAINT630.NETLOG", EntryFile, secTime(2013, time.August, 31, 21, 25, 26))},
	{"      $VMFBLD  $MSGLOG  A1 V         80        432          6  8/31/13 21:25:21 ", cmsEntry("$VMFBLD.$MSGLOG", EntryFile, secTime(2013, time.August, 31, 21, 25, 21))},
	{"      ZCMSLOAD $NUCEXEC A1 F         80       1675         33  8/31/13 21:23:22 ", cmsEntry("ZCMSLOAD.$NUCEXEC", EntryFile, secTime(2013, time.August, 31, 21, 23, 22))},
	{"      INS      6301     A1 V         39         14          1  6/28/13 15:01:51 ", cmsEntry("INS.6301", EntryFile, secTime(2013, time.June, 28, 15, 1, 51))},
	{"      PROFILE  EXEC     A1 V         71         37          1  4/25/13  8:00:57 ", cmsEntry("PROFILE.EXEC", EntryFile, secTime(2013, time.April, 25, 8, 0, 57))},
	// Mozilla's synthetic FILELIST lines, with years counted from 1900.
	{"LASTING  GLOBALV   A1 V      41     21     1       9/16/91   15:10:32", cmsEntry("LASTING.GLOBALV", EntryFile, secTime(1991, time.September, 16, 15, 10, 32))},
	{"J43401   NETLOG    A0 V      77     1      1       9/12/91   12:36:04", cmsEntry("J43401.NETLOG", EntryFile, secTime(1991, time.September, 12, 12, 36, 4))},
	{"MAIL     PROFILE   A2 F      80     1      1       10/14/92  16:12:27", cmsEntry("MAIL.PROFILE", EntryFile, secTime(1992, time.October, 14, 16, 12, 27))},
	{"ABADY2K  DATE      A0 V      1      1      1       1/03/100  10:11:12", cmsEntry("ABADY2K.DATE", EntryFile, secTime(2000, time.January, 3, 10, 11, 12))},
	{"BBADY2K  DATE      A0 V      1      1      1       11/03/100 10:11:12", cmsEntry("BBADY2K.DATE", EntryFile, secTime(2000, time.November, 3, 10, 11, 12))},
	{"AUTHORS            A1 DIR    -      -      -       9/20/99   10:31:11", cmsEntry("AUTHORS", EntryDir, secTime(1999, time.September, 20, 10, 31, 11))},
}

// cmsBadLines are CMS lines made wrong in one field each; no family may
// read them.
var cmsBadLines = []string{
	"README   ANONYMOU X         71         26          1 1997-04-02 12:33:20 TCP291",
	"README   ANONYMOU V         7x         26          1 1997-04-02 12:33:20 TCP291",
	"README   ANONYMOU V         71         26          1 1997-13-02 12:33:20 TCP291",
	"README   ANONYMOU V         71         26          1 1997-02-30 12:33:20 TCP291",
	"README   ANONYMOU V         71         26          1 1997-04-02 24:33:20 TCP291",
	"README   ANONYMOU V         71         26          1 1997-04-02 12:33 TCP291",
	"README   ANONYMOU V         71         26          1 04.02.97 12:33:20 TCP291",
	"READ/ME  ANONYMOU V         71         26          1 1997-04-02 12:33:20 TCP291",
	"README   ANONYMOU V         71         26          1 1997-04-02 12:33:20 TCP/291",
	"AUTHORS           DIR        -          7          - 1999-09-20 10:31:11 -",
	"AUTHORS           DIR        -          -          - 1999-09-20 10:31:11",
	"AUTHORS            A7 DIR    -      -      -       9/20/99   10:31:11",
	"LASTING  GLOBALV   A1 V      41     21     1       9/16/91   15:10:32 extra",
}

// cmsHeaderLines are FILELIST headers: Mozilla's and the z/VM screen's.
var cmsHeaderLines = []string{
	"Filename FileType  Fm Format Lrecl  Records Blocks Date      Time",
	"Cmd   Filename Filetype Fm Format Lrecl    Records     Blocks   Date     Time   ",
}
