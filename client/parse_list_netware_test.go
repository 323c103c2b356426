package client

import "time"

// netWareEntry is the entry of a NetWare line: the rights are not Unix
// permission bits, so Mode is zero.
func netWareEntry(name string, typ EntryType, size int64, owner string, t time.Time, p TimePrecision) Entry {
	return Entry{Name: name, Type: typ, Size: size, Owner: owner, ModTime: t, Precision: p}
}

// Novell NetWare lines from Apache commons-net NetwareFTPEntryParserTest,
// Chromium net/data/ftp/dir-listing-netware-1 to 3, FileZilla
// tests/dirparsertest.cpp (padded columns) and jlaffaye/ftp parse_test.go,
// read at listTestNow (2025-03-10).
var netWareFamilyTests = []listCase{
	{"d [-----F--] SCION_SYS                         512 Apr 13 23:52 SYS", netWareEntry("SYS", EntryDir, 512, "SCION_SYS", listTime(2025, time.April, 13, 23, 52), TimeMinute)},
	{"d [----AF--]          0                        512 Feb 22 17:32 _ADMIN", netWareEntry("_ADMIN", EntryDir, 512, "0", listTime(2025, time.February, 22, 17, 32), TimeMinute)},
	{"d [-W---F--] SCION_VOL2                        512 Apr 13 23:12 VOL2", netWareEntry("VOL2", EntryDir, 512, "SCION_VOL2", listTime(2025, time.April, 13, 23, 12), TimeMinute)},
	{"- [RWCEAFMS] rwinston                        19968 Mar 12 15:20 Executive Summary.doc", netWareEntry("Executive Summary.doc", EntryFile, 19968, "rwinston", listTime(2025, time.March, 12, 15, 20), TimeMinute)},
	{"d [RWCEAFMS] rwinston                          512 Nov 24  2005 Favorites", netWareEntry("Favorites", EntryDir, 512, "rwinston", listDay(2005, time.November, 24), TimeDay)},
	{"d [-W---F--] testUser                        512 Apr 13 23:12 testFile", netWareEntry("testFile", EntryDir, 512, "testUser", listTime(2025, time.April, 13, 23, 12), TimeMinute)},
	{"- [R-CEAFMS] rwinston                        19968 Mar 12 15:20 Document name with spaces.doc", netWareEntry("Document name with spaces.doc", EntryFile, 19968, "rwinston", listTime(2025, time.March, 12, 15, 20), TimeMinute)},
	{"d [RWCEAFMS] ftpadmin                          512 Jun 25  2007 pandora", netWareEntry("pandora", EntryDir, 512, "ftpadmin", listDay(2007, time.June, 25), TimeDay)},
	{"d [RWCEAFMS] ftpadmin                          512 Jan 29  2004 pub", netWareEntry("pub", EntryDir, 512, "ftpadmin", listDay(2004, time.January, 29), TimeDay)},
	{"- [RWCEAFMS] AK101850                         1328 Dec 27  2007 rootcert.der", netWareEntry("rootcert.der", EntryFile, 1328, "AK101850", listDay(2007, time.December, 27), TimeDay)},
	{"d [RWCEAFMS] Admin                             512 Nov 13 07:51 Driver", netWareEntry("Driver", EntryDir, 512, "Admin", listTime(2024, time.November, 13, 7, 51), TimeMinute)},
	{"d [RWCEAFMS] AK101850                          512 Nov 16 15:40 temp", netWareEntry("temp", EntryDir, 512, "AK101850", listTime(2024, time.November, 16, 15, 40), TimeMinute)},
	{"- [RWCEAFMS] bodi                             1588 Oct 28 22:21 leltar.as", netWareEntry("leltar.as", EntryFile, 1588, "bodi", listTime(2024, time.October, 28, 22, 21), TimeMinute)},
	{"- [RWCEAFMS] bodi                            19440 Oct 28 22:21 leltarVizellatas.as", netWareEntry("leltarVizellatas.as", EntryFile, 19440, "bodi", listTime(2024, time.October, 28, 22, 21), TimeMinute)},
	{"- [RWCEAFMS] bodi                            38795 Oct 28 22:21 leltarVizelvezetes.as", netWareEntry("leltarVizelvezetes.as", EntryFile, 38795, "bodi", listTime(2024, time.October, 28, 22, 21), TimeMinute)},
	{"- [RWCEAFMS] bodi                              227 Jan 06  2010 Olvass_el.txt", netWareEntry("Olvass_el.txt", EntryFile, 227, "bodi", listDay(2010, time.January, 6), TimeDay)},
	{"- [RWCEAFMS] dora                         19300888 Jan 15  2011 vegleges.pdf", netWareEntry("vegleges.pdf", EntryFile, 19300888, "dora", listDay(2011, time.January, 15), TimeDay)},
	{"d [RWCEAFMS] Fulop                             512 Nov 10  2011 DHI", netWareEntry("DHI", EntryDir, 512, "Fulop", listDay(2011, time.November, 10), TimeDay)},
	{"d [RWCEAFMS] bodi                              512 Aug 02 11:48 English", netWareEntry("English", EntryDir, 512, "bodi", listTime(2025, time.August, 2, 11, 48), TimeMinute)},
	{"d [RWCEAFMS] clement                           512 Jun 24  2011 Floodrisk", netWareEntry("Floodrisk", EntryDir, 512, "clement", listDay(2011, time.June, 24), TimeDay)},
	{"d [RWCEAFMS] bodi                              512 Mar 10 14:53 HC_MIR_FD", netWareEntry("HC_MIR_FD", EntryDir, 512, "bodi", listTime(2025, time.March, 10, 14, 53), TimeMinute)},
	{"d [RWCEAFMS] bodi                              512 Oct 08 15:59 HCWP614-11", netWareEntry("HCWP614-11", EntryDir, 512, "bodi", listTime(2024, time.October, 8, 15, 59), TimeMinute)},
	{"d [RWCEAFMS] knolmar                           512 Mar 26 15:10 Mike", netWareEntry("Mike", EntryDir, 512, "knolmar", listTime(2025, time.March, 26, 15, 10), TimeMinute)},
	{"d [RWCEAFMS] daniel                            512 May 17  2010 NVP anyagok", netWareEntry("NVP anyagok", EntryDir, 512, "daniel", listDay(2010, time.May, 17), TimeDay)},
	{"d [RWCEAFMS] bodi                              512 Sep 15  2010 Oktatas", netWareEntry("Oktatas", EntryDir, 512, "bodi", listDay(2010, time.September, 15), TimeDay)},
	{"d [RWCEAFMS] buzas                             512 Oct 09 12:47 processing_modflow", netWareEntry("processing_modflow", EntryDir, 512, "buzas", listTime(2024, time.October, 9, 12, 47), TimeMinute)},
	{"d [RWCEAFMS] peterbud                          512 Mar 24  2010 Prospektushoz", netWareEntry("Prospektushoz", EntryDir, 512, "peterbud", listDay(2010, time.March, 24), TimeDay)},
	{"d [RWCEAFMS] bodi                              512 Sep 05  2011 sewcad", netWareEntry("sewcad", EntryDir, 512, "bodi", listDay(2011, time.September, 5), TimeDay)},
	{"d [RWCEAFMS] bodi                              512 May 09 08:50 szakmernok", netWareEntry("szakmernok", EntryDir, 512, "bodi", listTime(2025, time.May, 9, 8, 50), TimeMinute)},
	{"d [RWCEAFMS] daniel                            512 Aug 03 18:53 tomi", netWareEntry("tomi", EntryDir, 512, "daniel", listTime(2025, time.August, 3, 18, 53), TimeMinute)},
	{"d [RWCEAFMS] bodi                              512 Sep 20 21:10 Virtualis-GEP", netWareEntry("Virtualis-GEP", EntryDir, 512, "bodi", listTime(2024, time.September, 20, 21, 10), TimeMinute)},
	{"d [RWCEAFMS] clement                           512 Sep 26 12:31 Vizrajzi evkonyvek", netWareEntry("Vizrajzi evkonyvek", EntryDir, 512, "clement", listTime(2024, time.September, 26, 12, 31), TimeMinute)},
	{"d [RWCEAFMS] darabos                           512 Jul 09  2011 VKKI-Tanulmanyok", netWareEntry("VKKI-Tanulmanyok", EntryDir, 512, "darabos", listDay(2011, time.July, 9), TimeDay)},
	{"d [R----F--] supervisor            512       Jan 16 18:53    09-netware dir", netWareEntry("09-netware dir", EntryDir, 512, "supervisor", listTime(2025, time.January, 16, 18, 53), TimeMinute)},
	{"- [R----F--] rhesus             214059       Oct 20 15:27    10-netware file", netWareEntry("10-netware file", EntryFile, 214059, "rhesus", listTime(2024, time.October, 20, 15, 27), TimeMinute)},
	{"d [R----F--] supervisor            512       Jan 16 18:53 login", netWareEntry("login", EntryDir, 512, "supervisor", listTime(2025, time.January, 16, 18, 53), TimeMinute)},
	{"- [R----F--] rhesus             214059       Oct 20 15:27 cx.exe", netWareEntry("cx.exe", EntryFile, 214059, "rhesus", listTime(2024, time.October, 20, 15, 27), TimeMinute)},
}

// netWareBadLines are from commons-net's NetWare bad samples.
var netWareBadLines = []string{
	"a [-----F--] SCION_SYS                         512 Apr 13 23:52 SYS",
	"d [RWCEAFMS] owner                             512 Apr 13 23:52",
}
