package client

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// vxWorksEntry is the entry of a VxWorks line: a size in bytes and a time
// to the second.
func vxWorksEntry(name string, typ EntryType, size int64, t time.Time) Entry {
	return Entry{Name: name, Type: typ, Size: size, ModTime: t, Precision: TimeMinute}
}

// vxWorksFormat is the format VxWorks 5's ftpdLib.c (ftpdDirListGet,
// hermixy/vxworks5 target/src/netwrs/ftpdLib.c) prints a LIST entry with.
const vxWorksFormat = "%8d    %s-%02d-%04d  %02d:%02d:%02d   %-16s  %s"

// VxWorks lines from:
//   - FileZilla tests/dirparsertest.cpp (a Nortel router, one space
//     before "<DIR>");
//   - SlickEdit's ftpparse.e (2010), _ftpParseDir_VXWORKS's comment;
//   - Far Manager's FTP plugin, plugins/ftp/lib/DirList/vx.cpp
//     (FarGroup/FarManager), a VxWorks dosFs volume;
//   - lines printed with vxWorksFormat, with the padding the server sends
//     and a month in upper case as VxWorks' shell prints it.
var vxWorksListTests = []listCase{
	{"2048    Feb-28-1998  05:23:30   49-nortel-vxworks dir <DIR>", vxWorksEntry("49-nortel-vxworks dir", EntryDir, 2048, secTime(1998, time.February, 28, 5, 23, 30))},
	// SlickEdit.
	{"     512    Jan-01-1980  00:00:00   .                 <DIR>", vxWorksEntry(".", EntryDir, 512, secTime(1980, time.January, 1, 0, 0, 0))},
	{"     512    Jan-01-1980  00:00:00   ..                <DIR>", vxWorksEntry("..", EntryDir, 512, secTime(1980, time.January, 1, 0, 0, 0))},
	{"    6775    Jan-01-1980  00:00:00   ABCports.tcl", vxWorksEntry("ABCports.tcl", EntryFile, 6775, secTime(1980, time.January, 1, 0, 0, 0))},
	{"   79179    Jan-01-1980  00:00:00   accapi.tcl", vxWorksEntry("accapi.tcl", EntryFile, 79179, secTime(1980, time.January, 1, 0, 0, 0))},
	{"      68    Jan-01-1980  00:00:00   addarp.dat", vxWorksEntry("addarp.dat", EntryFile, 68, secTime(1980, time.January, 1, 0, 0, 0))},
	{"    7986    Jan-01-1980  00:00:00   AddArpNP0.tcl", vxWorksEntry("AddArpNP0.tcl", EntryFile, 7986, secTime(1980, time.January, 1, 0, 0, 0))},
	{"    7255    Jan-01-1980  00:00:00   AddArpNP1.tcl", vxWorksEntry("AddArpNP1.tcl", EntryFile, 7255, secTime(1980, time.January, 1, 0, 0, 0))},
	{"     512    Jan-01-1980  00:00:00   pico              <DIR>", vxWorksEntry("pico", EntryDir, 512, secTime(1980, time.January, 1, 0, 0, 0))},
	// Far Manager.
	{"     40774    Aug-19-1994  12:00:00   IO.SYS", vxWorksEntry("IO.SYS", EntryFile, 40774, secTime(1994, time.August, 19, 12, 0, 0))},
	{"     38138    Aug-19-1994  12:00:00   MSDOS.SYS", vxWorksEntry("MSDOS.SYS", EntryFile, 38138, secTime(1994, time.August, 19, 12, 0, 0))},
	{"     54869    Aug-19-1994  12:00:00   COMMAND.COM", vxWorksEntry("COMMAND.COM", EntryFile, 54869, secTime(1994, time.August, 19, 12, 0, 0))},
	{"       512    May-05-2003  14:20:44   BOOT              <DIR>", vxWorksEntry("BOOT", EntryDir, 512, secTime(2003, time.May, 5, 14, 20, 44))},
	{"       512    May-05-2003  14:20:58   SHELLS            <DIR>", vxWorksEntry("SHELLS", EntryDir, 512, secTime(2003, time.May, 5, 14, 20, 58))},
	{"        29    May-05-2003  14:24:14   AUTOEXEC.BAT", vxWorksEntry("AUTOEXEC.BAT", EntryFile, 29, secTime(2003, time.May, 5, 14, 24, 14))},
	{"       915    May-05-2003  14:26:18   CONFIG.SYS", vxWorksEntry("CONFIG.SYS", EntryFile, 915, secTime(2003, time.May, 5, 14, 26, 18))},
	{"     29336    Aug-19-1994  12:00:00   FDISK.EXE", vxWorksEntry("FDISK.EXE", EntryFile, 29336, secTime(1994, time.August, 19, 12, 0, 0))},
	// Printed with vxWorksFormat.
	{"  223148    JUL-11-1995  09:50:00   IO.SYS            ", vxWorksEntry("IO.SYS", EntryFile, 223148, secTime(1995, time.July, 11, 9, 50, 0))},
	{"     342    Aug-10-2006  13:32:26   boot.cfg          ", vxWorksEntry("boot.cfg", EntryFile, 342, secTime(2006, time.August, 10, 13, 32, 26))},
	{"    1024    Mar-04-2025  12:34:56   config backup     <DIR>", vxWorksEntry("config backup", EntryDir, 1024, secTime(2025, time.March, 4, 12, 34, 56))},
	{"       0    Dec-31-1999  23:59:59    leading space    ", vxWorksEntry(" leading space", EntryFile, 0, secTime(1999, time.December, 31, 23, 59, 59))},
	{" 7234981    Jul-28-2005  12:25:22   a-name-longer-than-16.img  ", vxWorksEntry("a-name-longer-than-16.img", EntryFile, 7234981, secTime(2005, time.July, 28, 12, 25, 22))},
	{"     512    Jan-01-2010  00:00:00   <DIR>             ", vxWorksEntry("<DIR>", EntryFile, 512, secTime(2010, time.January, 1, 0, 0, 0))},
}

// vxWorksBadLines are VxWorks lines made wrong in one field each, and the
// error line the server sends for a folder it cannot open; no family may
// read them.
var vxWorksBadLines = []string{
	"    6775    Jan-32-1980  00:00:00   x",
	"    6775    Foo-01-1980  00:00:00   x",
	"    6775    Jan-1-1980  00:00:00   x",
	"    6775    Jan-01-80  00:00:00   x",
	"    6775    Jan-01-1980  24:00:00   x",
	"    6775    Jan-01-1980  0:00:00   x",
	"    6775    Jan-01-1980  00:00:00 x",
	"    6775    Jan-01-1980  00:00:00   ",
	"    6775    Jan-01-1980  00:00:00      ",
	"   -6775    Jan-01-1980  00:00:00   more-than-2GiB",
	"    67x5    Jan-01-1980  00:00:00   x",
	`Can't open "/ata0/missing".`,
}

// vxWorksHeaderLines are the two header lines ftpdLib prints.
var vxWorksHeaderLines = []string{
	"  size          date       time       name",
	"--------       ------     ------    --------",
}

// TestListParserVxWorksFormat prints entries as the server does and reads
// them back: names keep their leading spaces and inner spaces whatever
// their length, and folders are told from files.
func TestListParserVxWorksFormat(t *testing.T) {
	p := newListTestParser(listTestNow)
	when := secTime(2024, time.February, 29, 7, 8, 9)
	for _, name := range []string{"a", "file.txt", "exactly16chars..", "seventeen chars..", "with  two  spaces", "  two leading", "x <DIR", "<DIR>x"} {
		for _, dir := range []bool{false, true} {
			comment, typ := "", EntryFile
			if dir {
				comment, typ = "<DIR>", EntryDir
			}
			line := fmt.Sprintf(vxWorksFormat, 4096, "Feb", 29, 2024, 7, 8, 9, name, comment)
			got, err := p.ParseLine(line)
			if err != nil {
				t.Errorf("ParseLine(%q): %v", line, err)
				continue
			}
			checkParsedEntry(t, line, got, vxWorksEntry(name, typ, 4096, when))
			if strings.HasSuffix(line, " ") != !dir {
				t.Errorf("%q: the format pads files, not folders", line)
			}
		}
	}
}
