package client

import "time"

// nonStopEntry is the entry of an HP NonStop line: a file with its size in
// bytes, a time to the second and group and user numbers.
func nonStopEntry(name string, size int64, t time.Time, group, owner string) Entry {
	return Entry{Name: name, Type: EntryFile, Size: size, ModTime: t, Precision: TimeMinute, Group: group, Owner: owner}
}

// HP NonStop (Tandem) Guardian lines from:
//   - Indy Lib/Protocols/IdFTPListParseTandemGuardian.pas
//     (IndySockets/Indy), samples from a NonStop user;
//   - FFFTP filelist.txt (ffftp/ffftp), *LIST_TANDEM, with the "O" of an
//     open file;
//   - FluentFTP FluentFTP/FtpListParser.cs, the comment of ParseNonstop
//     (removed in commit 309eec36 when the parsers moved), as edtFTPnet
//     has it too;
//   - FileZilla tests/dirparsertest.cpp (its HPNONSTOP entries, whose
//     names are FileZilla's test names);
//   - a LIST capture from a Guardian server in a project's logging guide
//     (日誌功能指南, stored in the code search index without its
//     repository), whose downloads show EOF to be the size in bytes.
var nonStopListTests = []listCase{
	{`ALV           101             2522 27-Aug-02 13:57:10 155,106 "nnnn"`, nonStopEntry("ALV", 2522, secTime(2002, time.August, 27, 13, 57, 10), "155", "106")},
	{`ALVO         1000             2048 27-Aug-02 13:57:22 155,106 "nunu"`, nonStopEntry("ALVO", 2048, secTime(2002, time.August, 27, 13, 57, 22), "155", "106")},
	{`EMSACSTM      101             146  18-Sep-00 09:03:37 170,175 "nunu"`, nonStopEntry("EMSACSTM", 146, secTime(2000, time.September, 18, 9, 3, 37), "170", "175")},
	{`TACLCSTM   O  101             101  4-Mar-01  23:50:06 255,255 "oooo"`, nonStopEntry("TACLCSTM", 101, secTime(2001, time.March, 4, 23, 50, 6), "255", "255")},
	{`IARPTS        101            16354 18-Mar-08 15:09:12 244, 10 "nnnn"`, nonStopEntry("IARPTS", 16354, secTime(2008, time.March, 18, 15, 9, 12), "244", "10")},
	{`JENNYCB2      101            16384 10-Jul-08 11:44:56 244, 10 "nnnn"`, nonStopEntry("JENNYCB2", 16384, secTime(2008, time.July, 10, 11, 44, 56), "244", "10")},
	{`57-HP_NonStop 101 528 6-Apr-07 14:21:18 255, 0 "oooo"`, nonStopEntry("57-HP_NonStop", 528, secTime(2007, time.April, 6, 14, 21, 18), "255", "0")},
	{`58-HP_NonStop 101 528 6-Apr-07 14:21:18 255,255 "oooo"`, nonStopEntry("58-HP_NonStop", 528, secTime(2007, time.April, 6, 14, 21, 18), "255", "255")},
	{`EMPLYE          0            53248 23-Jan-26 19:02:49 110, 99 "nnnn"`, nonStopEntry("EMPLYE", 53248, secTime(2026, time.January, 23, 19, 2, 49), "110", "99")},
	{`EMPLYE0         0            16384 23-Jan-26 19:02:49 110, 99 "nnnn"`, nonStopEntry("EMPLYE0", 16384, secTime(2026, time.January, 23, 19, 2, 49), "110", "99")},
	{`EMPRELAT        0            12288 30-Nov-25 10:47:56 110, 99 "nnnn"`, nonStopEntry("EMPRELAT", 12288, secTime(2025, time.November, 30, 10, 47, 56), "110", "99")},
	{`RYM01           0             4096  2-Jan-26 15:36:34 110, 99 "nnnn"`, nonStopEntry("RYM01", 4096, secTime(2026, time.January, 2, 15, 36, 34), "110", "99")},
	{`RYM02           0          5160960  2-Jan-26 16:26:15 110, 99 "nnnn"`, nonStopEntry("RYM02", 5160960, secTime(2026, time.January, 2, 16, 26, 15), "110", "99")},
	{`RYM07           0         66834432 22-Jan-26 14:04:19 110, 99 "nunu"`, nonStopEntry("RYM07", 66834432, secTime(2026, time.January, 22, 14, 4, 19), "110", "99")},
}

// nonStopBadLines are NonStop lines made wrong in one field each; no
// family may read them.
var nonStopBadLines = []string{
	`ALV           101             2522 27-Aug-02 13:57:10 155,106 "nnnx"`,
	`ALV           101             2522 27-Aug-02 13:57:10 155,106 "nnn"`,
	`ALV           101             2522 27-Aug-02 13:57:10 155,106 nnnn`,
	`ALV           101             2522 27-Foo-02 13:57:10 155,106 "nnnn"`,
	`ALV           101             2522 30-Feb-02 13:57:10 155,106 "nnnn"`,
	`ALV           101             2522 27-Aug-2 13:57:10 155,106 "nnnn"`,
	`ALV           101             25x2 27-Aug-02 13:57:10 155,106 "nnnn"`,
	`ALV           1x1             2522 27-Aug-02 13:57:10 155,106 "nnnn"`,
	`ALV           101             2522 27-Aug-02 13:57 155,106 "nnnn"`,
	`ALV           101             2522 27-Aug-02 13:57:10 155;106 "nnnn"`,
	`ALV           101             2522 27-Aug-02 13:57:10 155, "nnnn"`,
	`ALV     X     101             2522 27-Aug-02 13:57:10 155,106 "nnnn"`,
	`"ALV"         101             2522 27-Aug-02 13:57:10 155,106 "nnnn"`,
}

// nonStopHeaderLines are the header of a NonStop listing.
var nonStopHeaderLines = []string{
	"File         Code             EOF  Last Modification    Owner  RWEP",
}
