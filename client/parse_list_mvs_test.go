package client

import "time"

// mvsDataSet and mvsPDS are the entries of MVS data set lines: sizes in
// tracks and dates of last reference are not what Entry holds.
func mvsDataSet(name string) Entry { return Entry{Name: name, Type: EntryFile, Size: -1} }
func mvsPDS(name string) Entry     { return Entry{Name: name, Type: EntryDir, Size: -1} }

// mvsMember is the entry of a PDS member line: its time is the Changed date
// and time, its size (in records) unknown.
func mvsMember(name string, t time.Time) Entry {
	return Entry{Name: name, Type: EntryFile, Size: -1, ModTime: t, Precision: TimeMinute}
}

// z/OS (MVS) lines from Apache commons-net MVSFTPEntryParserTest and
// FileZilla tests/dirparsertest.cpp: data sets under the header "Volume
// Unit Referred Ext Used Recfm Lrecl BlkSz Dsorg Dsname", PDS members under
// "Name VV.MM Created Changed Size Init Mod Id", and load modules.
var mvsListTests = []listCase{
	{"SAVE00 3390   2004/06/23  1    1  FB     128  6144  PS    INCOMING.RPTBM023.D061704", mvsDataSet("INCOMING.RPTBM023.D061704")},
	{"SAVE01 3390   2004/06/23  1    1  FB     128  6144  PO    INCOMING.RPTBM024.D061704", mvsPDS("INCOMING.RPTBM024.D061704")},
	{"SAVE02 3390   2004/06/23  1    1  FB     128  6144  PO-E  INCOMING.RPTBM025.D061704", mvsPDS("INCOMING.RPTBM025.D061704")},
	{"PSMLC1 3390   2005/04/04  1    1  VB   27994 27998  PS    file3.I", mvsDataSet("file3.I")},
	{"PSMLB9 3390   2005/04/04  1    1  VB   27994 27998  PS    file4.I.BU", mvsDataSet("file4.I.BU")},
	{"PSMLB6 3390   2005/04/05  1    1  VB   27994 27998  PS    file3.I.BU", mvsDataSet("file3.I.BU")},
	{"PSMLC6 3390   2005/04/05  1    1  VB   27994 27998  PS    file6.I", mvsDataSet("file6.I")},
	{"PSMLB7 3390   2005/04/04  1    1  VB   27994 27998  PS    file7.O", mvsDataSet("file7.O")},
	{"PSMLC6 3390   2005/04/05  1    1  VB   27994 27998  PS    file7.O.BU", mvsDataSet("file7.O.BU")},
	{"FPFS49 3390   2004/06/23  1    1  FB     128  6144  PO-E  INCOMING.RPTBM026.D061704", mvsPDS("INCOMING.RPTBM026.D061704")},
	{"FPFS41 3390   2004/06/23  1    1  FB     128  6144  PS    INCOMING.RPTBM056.D061704", mvsDataSet("INCOMING.RPTBM056.D061704")},
	{"FPFS25 3390   2004/06/23  1    1  FB     128  6144  PS    INCOMING.WTM204.D061704", mvsDataSet("INCOMING.WTM204.D061704")},
	{"PEX26F 3390   2017/07/03  115807  FB   29600 29600  PS    INCOMING.FIN.D170630.T160630", mvsDataSet("INCOMING.FIN.D170630.T160630")},
	{"VVVVVV 3390   2020/04/18  1   60   U   32760 32760  PO    NAME", mvsPDS("NAME")},
	{"TST017 3390   2023/09/08  2   59  FBA    133 32718  PO    NAME", mvsPDS("NAME")},
	{"TST063 3390   2023/09/11  1    1  VBA    133 27930  PS    NAME", mvsDataSet("NAME")},
	{"Migrated                                                  NAME", mvsDataSet("NAME")},
	{"ARCIVE Not Direct Access Device                           NAME", mvsDataSet("NAME")},
	{"WYOSPT 3420   2003/05/21  1  200  FB      80  8053  PS  60-MVS.FILE", mvsDataSet("60-MVS.FILE")},
	{"WPTA01 3290   2004/03/04  1    3  FB      80  3125  PO  61-MVS.DATASET", mvsPDS("61-MVS.DATASET")},
	{"NRP004 3390   **NONE**    1   15  NONE     0     0  PO  62-MVS-NONEDATE.DATASET", mvsPDS("62-MVS-NONEDATE.DATASET")},
	{"TSO005 3390   2005/06/06 213000 U 0 27998 PO 63-MVS.DATASET", mvsPDS("63-MVS.DATASET")},
	{"TSO004 3390   VSAM 64-mvs-file", mvsDataSet("64-mvs-file")},
	{"Migrated\t\t\t\t69-SOME.FILE", mvsDataSet("69-SOME.FILE")},
	{"V43525 Tape                                             73-MSV-TAPE.FILE", mvsDataSet("73-MSV-TAPE.FILE")},
	{"WYOSPT 3420   2003/05/21  1 ????  FB      80  8053  PS  79-MVS.FILE", mvsDataSet("79-MVS.FILE")},
	{"GISBWI 3390   2011/08/25  2 ++++  FB     904 18080  PS  80-MVS.FILE", mvsDataSet("80-MVS.FILE")},
	{"WYOSPT 3420   2003/05/21  1 3 U 6447    6447  PO-E 81-MVS.DIR", mvsPDS("81-MVS.DIR")},
	{"SAVE03    01.03 2002/09/12 2002/10/11 09:37    11    11     0 KIL001", mvsMember("SAVE03", listTime(2002, time.October, 11, 9, 37))},
	{"TBSHELF1  01.03 2002/09/12 2002/10/11 09:37    11    11     0 KIL001", mvsMember("TBSHELF1", listTime(2002, time.October, 11, 9, 37))},
	{"TBSHELF2  01.03 2002/09/12 2002/10/11 09:37    11    11     0 KIL001", mvsMember("TBSHELF2", listTime(2002, time.October, 11, 9, 37))},
	{"TBSHELF3  01.03 2002/09/12 2002/10/11 09:37    11    11     0 KIL001", mvsMember("TBSHELF3", listTime(2002, time.October, 11, 9, 37))},
	{"TBSHELF4  01.03 2002/09/12 2002/10/11 09:37    11    11     0 KIL001", mvsMember("TBSHELF4", listTime(2002, time.October, 11, 9, 37))},
	{"66-MVSPDSMEMBER 01.01 2004/06/22 2004/06/22 16:32   128   128    0 BOBY12", mvsMember("66-MVSPDSMEMBER", listTime(2004, time.June, 22, 16, 32))},
	{"67-MVSPDSMEMBER2 00B308 000411  00 FO                31    ANY", Entry{Name: "67-MVSPDSMEMBER2", Type: EntryFile, Size: 0xB308}},
	{"68-MVSPDSMEMBER3 00B308 000411  00 FO        RU      ANY    24", Entry{Name: "68-MVSPDSMEMBER3", Type: EntryFile, Size: 0xB308}},
}

// mvsBadLines are commons-net's MVS bad samples and near misses.
var mvsBadLines = []string{
	"MigratedP201.$FTXPBI1.$CF2ITB.$AAB0402.I",
	"PSMLC133902005/04/041VB2799427998PSfile1.I",
	"file2.O",
	"SAVE00 3390   2004/13/23  1    1  FB     128  6144  PS    BAD.MONTH",
	"SAVE00 3390   2004/06/23  1    1  FB     128  6144  XX    BAD.DSORG",
	"save00 3390   2004/06/23  1    1  FB     128  6144  PS    LOWER.VOLUME",
	"SAVE03    01.03 2002/09/12 2002/10/11 29:37    11    11     0 KIL001",
	"PROG1     00B308 000411",
	"PROG1     00B308 000411  00 FO                31    NOT-A-MODE",
}
