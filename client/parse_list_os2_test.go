package client

import "time"

// os2Entry is the entry of an OS/2 line, whose time is to the minute.
func os2Entry(name string, typ EntryType, size int64, t time.Time) Entry {
	return Entry{Name: name, Type: typ, Size: size, ModTime: t, Precision: TimeMinute}
}

// OS/2 FTP server lines from Apache commons-net OS2FTPEntryParserTest,
// Chromium net/data/ftp/dir-listing-os2-1, lftp src/FtpListInfo.cc and
// FileZilla tests/dirparsertest.cpp (servers that count years from 1900).
var os2ListTests = []listCase{
	{"     0           DIR   12-30-97   12:32  jbrekke", os2Entry("jbrekke", EntryDir, 0, listTime(1997, time.December, 30, 12, 32))},
	{"     0           DIR   11-25-97   09:42  junk", os2Entry("junk", EntryDir, 0, listTime(1997, time.November, 25, 9, 42))},
	{"     0           DIR   05-12-97   16:44  LANGUAGE", os2Entry("LANGUAGE", EntryDir, 0, listTime(1997, time.May, 12, 16, 44))},
	{"     0           DIR   05-19-97   12:56  local", os2Entry("local", EntryDir, 0, listTime(1997, time.May, 19, 12, 56))},
	{"     0           DIR   05-12-97   16:52  Maintenance Desktop", os2Entry("Maintenance Desktop", EntryDir, 0, listTime(1997, time.May, 12, 16, 52))},
	{"     0           DIR   05-13-97   10:49  MPTN", os2Entry("MPTN", EntryDir, 0, listTime(1997, time.May, 13, 10, 49))},
	{"587823    RSA    DIR   01-08-97   13:58  OS2KRNL", os2Entry("OS2KRNL", EntryDir, 587823, listTime(1997, time.January, 8, 13, 58))},
	{" 33280      A          02-09-97   13:49  OS2LDR", os2Entry("OS2LDR", EntryFile, 33280, listTime(1997, time.February, 9, 13, 49))},
	{"     0           DIR   11-28-97   09:42  PC", os2Entry("PC", EntryDir, 0, listTime(1997, time.November, 28, 9, 42))},
	{"149473      A          11-17-98   16:07  POPUPLOG.OS2", os2Entry("POPUPLOG.OS2", EntryFile, 149473, listTime(1998, time.November, 17, 16, 7))},
	{"     0           DIR   05-12-97   16:44  PSFONTS", os2Entry("PSFONTS", EntryDir, 0, listTime(1997, time.May, 12, 16, 44))},
	{"     0           DIR   05-19-2000 12:56  local", os2Entry("local", EntryDir, 0, listTime(2000, time.May, 19, 12, 56))},
	{"5000000000      A          11-17-98   16:07  POPUPLOG.OS2", os2Entry("POPUPLOG.OS2", EntryFile, 5000000000, listTime(1998, time.November, 17, 16, 7))},
	{"                 0           DIR   08-08-11   01:47  Archive", os2Entry("Archive", EntryDir, 0, listTime(2011, time.August, 8, 1, 47))},
	{"                 0           DIR   01-13-11   10:18  BootCD", os2Entry("BootCD", EntryDir, 0, listTime(2011, time.January, 13, 10, 18))},
	{"                 0           DIR   10-29-10   23:20  BootUSB512", os2Entry("BootUSB512", EntryDir, 0, listTime(2010, time.October, 29, 23, 20))},
	{"             65201      A          08-04-11   10:24  csort.exe", os2Entry("csort.exe", EntryFile, 65201, listTime(2011, time.August, 4, 10, 24))},
	{"                 0           DIR   08-04-11   16:07  misc", os2Entry("misc", EntryDir, 0, listTime(2011, time.August, 4, 16, 7))},
	{"                 0           DIR   06-24-11   01:18  moveton", os2Entry("moveton", EntryDir, 0, listTime(2011, time.June, 24, 1, 18))},
	{"           1031106      A          08-08-11   01:47  os2krnlSVN3370_unoff.zip", os2Entry("os2krnlSVN3370_unoff.zip", EntryFile, 1031106, listTime(2011, time.August, 8, 1, 47))},
	{"               603      A          01-08-11   14:18  SSE_TEST.EXE", os2Entry("SSE_TEST.EXE", EntryFile, 603, listTime(2011, time.January, 8, 14, 18))},
	{"             91018      A          04-07-11   18:26  TETRIS.ZIP", os2Entry("TETRIS.ZIP", EntryFile, 91018, listTime(2011, time.April, 7, 18, 26))},
	{"                 0          DIR  06-27-96  11:57  PROTOCOL", os2Entry("PROTOCOL", EntryDir, 0, listTime(1996, time.June, 27, 11, 57))},
	{"               169               11-29-94  09:20  SYSLEVEL.MPT", os2Entry("SYSLEVEL.MPT", EntryFile, 169, listTime(1994, time.November, 29, 9, 20))},
	{"36611      A    04-23-103  10:57  24-os2 file", os2Entry("24-os2 file", EntryFile, 36611, listTime(2003, time.April, 23, 10, 57))},
	{" 1123      A    07-14-99   12:37  25-os2 file", os2Entry("25-os2 file", EntryFile, 1123, listTime(1999, time.July, 14, 12, 37))},
	{"    0 DIR       02-11-103  16:15  26-os2 dir", os2Entry("26-os2 dir", EntryDir, 0, listTime(2003, time.February, 11, 16, 15))},
	{" 1123 DIR  A    10-05-100  23:38  27-os2 dir", os2Entry("27-os2 dir", EntryDir, 1123, listTime(2000, time.October, 5, 23, 38))},
}

// os2BadLines are from commons-net's OS/2 bad samples.
var os2BadLines = []string{
	"                 DIR   12-30-97   12:32  jbrekke",
	"     0    rsa    DIR   11-25-97   09:42  junk",
	"     0           dir   05-12-97   16:44  LANGUAGE",
	"     0           DIR   13-05-97   25:49  MPTN",
	"587823    RSA    DIR   Jan-08-97   13:58  OS2KRNL",
	" 33280      A          1997-02-03  13:49  OS2LDR",
	"     0           DIR   12-30-97   12:32",
}
