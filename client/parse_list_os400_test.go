package client

import "time"

// os400Time is an OS/400 time to the second in listTestZone.
func os400Time(year int, month time.Month, day, hour, min, sec int) time.Time {
	return time.Date(year, month, day, hour, min, sec, 0, listTestZone)
}

// os400Entry is the entry of an OS/400 line with a size and a time.
func os400Entry(name string, typ EntryType, size int64, owner string, t time.Time) Entry {
	return Entry{Name: name, Type: typ, Size: size, Owner: owner, ModTime: t, Precision: TimeMinute}
}

// IBM i (OS/400) lines from Apache commons-net OS400FTPEntryParserTest and
// OS400FTPEntryParserAdditionalTest, lftp src/FtpListInfo.cc and FileZilla
// tests/dirparsertest.cpp. commons-net reads "04/03/18" as 2004-03-18 (a
// YY/MM/DD job format it is configured for); ferry, as lftp and FileZilla,
// reads dates with "/" month first, the IBM i default, unless the first
// number cannot be a month.
var os400ListTests = []listCase{
	{"PEP              4019 04/03/18 18:58:16 *STMF      einladung.zip", os400Entry("einladung.zip", EntryFile, 4019, "PEP", os400Time(2018, time.April, 3, 18, 58, 16))},
	{"PEP               422 04/03/24 14:06:26 *STMF      readme", os400Entry("readme", EntryFile, 422, "PEP", os400Time(2024, time.April, 3, 14, 6, 26))},
	{"PEP              6409 04/03/24 14:06:29 *STMF      build.xml", os400Entry("build.xml", EntryFile, 6409, "PEP", os400Time(2024, time.April, 3, 14, 6, 29))},
	{"PEP             36864 04/03/24 14:06:34 *DIR       dir1/", os400Entry("dir1", EntryDir, 36864, "PEP", os400Time(2024, time.April, 3, 14, 6, 34))},
	{"PEP             36864 04/03/24 14:06:47 *DIR       zdir2/", os400Entry("zdir2", EntryDir, 36864, "PEP", os400Time(2024, time.April, 3, 14, 6, 47))},
	{"PEP              5000000000 04/03/24 14:06:29 *STMF      build.xml", os400Entry("build.xml", EntryFile, 5000000000, "PEP", os400Time(2024, time.April, 3, 14, 6, 29))},
	{"ZFTPDEV 9069 05/20/15 15:36:52 *STMF /DRV/AUDWRKSHET/AUDWRK0204232015114625.PDF", os400Entry("AUDWRK0204232015114625.PDF", EntryFile, 9069, "ZFTPDEV", os400Time(2015, time.May, 20, 15, 36, 52))},
	{"MYUSER              3 06/12/21 12:00:00 *STMF      file with space.txt", os400Entry("file with space.txt", EntryFile, 3, "MYUSER", os400Time(2021, time.June, 12, 12, 0, 0))},
	{"QPGMR                                   *MEM       RPGUNITC1.FILE/RUCALLTST.MBR", Entry{Name: "RUCALLTST.MBR", Type: EntryFile, Size: -1, Owner: "QPGMR"}},
	{"QPGMR        16347136 29.06.13 15:45:09 *FILE      RPGUNIT.SAVF", os400Entry("RPGUNIT.SAVF", EntryFile, 16347136, "QPGMR", os400Time(2013, time.June, 29, 15, 45, 9))},
	{"ASUSER          8192 04/26/05 13:54:16 *DIR       dir/", os400Entry("dir", EntryDir, 8192, "ASUSER", os400Time(2005, time.April, 26, 13, 54, 16))},
	{"ASUSER          8192 04/26/05 13:57:34 *DIR       dir1/", os400Entry("dir1", EntryDir, 8192, "ASUSER", os400Time(2005, time.April, 26, 13, 57, 34))},
	{"ASUSER        365255 02/28/01 15:41:40 *STMF      readme.txt", os400Entry("readme.txt", EntryFile, 365255, "ASUSER", os400Time(2001, time.February, 28, 15, 41, 40))},
	{"ASUSER       8489625 03/18/03 09:37:00 *STMF      saved.zip", os400Entry("saved.zip", EntryFile, 8489625, "ASUSER", os400Time(2003, time.March, 18, 9, 37, 0))},
	{"ASUSER        365255 02/28/01 15:41:40 *STMF      unist.old", os400Entry("unist.old", EntryFile, 365255, "ASUSER", os400Time(2001, time.February, 28, 15, 41, 40))},
	{"QSYS            77824 02/23/00 15:09:55 *DIR 44-ibm-as400 dir/", os400Entry("44-ibm-as400 dir", EntryDir, 77824, "QSYS", os400Time(2000, time.February, 23, 15, 9, 55))},
	// A database file holds members, as a folder holds files.
	{"QSYS            77824 23/02/00 15:09:55 *FILE 45-ibm-as400-date file", os400Entry("45-ibm-as400-date file", EntryDir, 77824, "QSYS", os400Time(2000, time.February, 23, 15, 9, 55))},
	{"QPGMR           36864 18.09.06 14:21:26 *FILE      55-AS400.FILE", os400Entry("55-AS400.FILE", EntryDir, 36864, "QPGMR", os400Time(2006, time.September, 18, 14, 21, 26))},
	{"QSYS            77824 02/23/00 15:09:55 *DIR       QDOC/", os400Entry("QDOC", EntryDir, 77824, "QSYS", os400Time(2000, time.February, 23, 15, 9, 55))},
	{"QSYS           143360 02/23/00 15:09:55 *LIB       QGPL.LIB", os400Entry("QGPL.LIB", EntryDir, 143360, "QSYS", os400Time(2000, time.February, 23, 15, 9, 55))},
	{"QPGMR          135168 04/03/18 13:18:19 *PGM       HELLO.PGM", os400Entry("HELLO.PGM", EntryOther, 135168, "QPGMR", os400Time(2018, time.April, 3, 13, 18, 19))},
}

// os400BadLines are from commons-net's OS/400 bad samples (those of its
// other parsers' formats included).
var os400BadLines = []string{
	"PEP              4019 04/03/18 18:58:16 STMF       einladung.zip",
	"PEP               422 03/24 14:06:26 *STMF      readme",
	"PEP              6409 04/03/24 30:06:29 *STMF      build.xml",
	"PEP USR         36864 04/03/24 14:06:34 *DIR       dir1/",
	"PEP             3686404/03/24 14:06:47 *DIR       zdir2/",
	"QPGMR          135168 04/03/18 13:18:19 *FILE",
	"QPGMR          135168    03/24 13:18:19 *FILE",
	"QPGMR          135168 04/03/18 30:06:29 *FILE",
	"QPGMR                 04/03/18 13:18:19 *FILE      RPGUNITC1.FILE",
	"QPGMR          135168    03/24 13:18:19 *FILE      RPGUNITC1.FILE",
	"QPGMR                                   *MEM       ",
	"QPGMR          135168                   *MEM       RPGUNITC1.FILE/RUCALLTST.MBR",
	"QPGMR USR                               *MEM       RPGUNITC1.FILE/RUCALLTST.MBR",
	"QSYS            77824 13/13/00 15:09:55 *DIR       QDOC/",
	"QSYS            77824 02/23/00 15:09:55 *DIR       /",
}
