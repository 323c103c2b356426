package client

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ferry-ftp/ferry/internal/ftptest"
)

// familyListTables are the LIST tables of the formats other than Unix's:
// DOS and IIS variants, VMS, OS/2, NetWare, OS/400, MVS, AIX, z/VM CMS, HP
// NonStop and VxWorks. The fuzz target uses them as seeds.
func familyListTables() map[string][]listCase {
	return map[string][]listCase{
		"IIS":         iisListTests,
		"Windows dir": windowsDirListTests,
		"VMS":         vmsListTests,
		"OS/2":        os2ListTests,
		"NetWare":     netWareFamilyTests,
		"OS/400":      os400ListTests,
		"MVS":         mvsListTests,
		"AIX":         aixListTests,
		"z/VM CMS":    cmsListTests,
		"HP NonStop":  nonStopListTests,
		"VxWorks":     vxWorksListTests,
	}
}

func TestListParserFamilies(t *testing.T) {
	p := newListTestParser(listTestNow)
	total := 0
	for family, cases := range familyListTables() {
		total += len(cases)
		t.Run(family, func(t *testing.T) {
			for _, c := range cases {
				for _, end := range []string{"", "\r\n"} {
					got, err := p.ParseLine(c.line + end)
					if err != nil {
						t.Errorf("ParseLine(%q): %v", c.line+end, err)
						continue
					}
					checkParsedEntry(t, c.line+end, got, c.want)
				}
			}
		})
	}
	if total < 150 {
		t.Errorf("the tables hold %d lines, want at least 150", total)
	}
}

func TestListParserFamilyErrors(t *testing.T) {
	p := newListTestParser(listTestNow)
	bad := slices.Concat(vmsBadLines, os2BadLines, netWareBadLines, os400BadLines, mvsBadLines, aixBadLines,
		cmsBadLines, nonStopBadLines, vxWorksBadLines)
	for _, line := range bad {
		_, err := p.ParseLine(line)
		if err == nil || errors.Is(err, ErrSkipLine) {
			t.Errorf("ParseLine(%q) error = %v, want a parse error", line, err)
		}
	}
}

func TestListParserHeaders(t *testing.T) {
	p := newListTestParser(listTestNow)
	headers := slices.Concat(vmsHeaderLines, cmsHeaderLines, nonStopHeaderLines, vxWorksHeaderLines, []string{
		"Volume Unit    Referred Ext Used Recfm Lrecl BlkSz Dsorg Dsname",
		"Name     VV.MM   Created       Changed      Size  Init   Mod   Id",
		"Name      Size     TTR   Alias-of AC --------- Attributes --------- Amode Rmode",
	})
	for _, line := range headers {
		if _, err := p.ParseLine(line); !errors.Is(err, ErrSkipLine) {
			t.Errorf("ParseLine(%q) error = %v, want ErrSkipLine", line, err)
		}
	}
}

// TestListParserDispatch checks which family reads a line, and that a
// line no family reads gets the Unix parser's reason even when it looks
// like a DOS line.
func TestListParserDispatch(t *testing.T) {
	tests := []struct {
		line string
		fam  int
	}{
		{proftpdListTests[1].line, famUnix},
		{dosListTests[0].line, famDOS},
		{eplfListTests[0].line, famEPLF},
		{netWareFamilyTests[33].line, famNetWare},
		{vmsListTests[0].line, famVMS},
		{os2ListTests[0].line, famOS2},
		{os2ListTests[24].line, famOS2},
		{os400ListTests[0].line, famOS400},
		{mvsListTests[0].line, famMVS},
		{mvsListTests[28].line, famPDS},
		// The Unix parser reads day-before-month dates itself since it
		// learned other languages; the AIX family is its fallback.
		{aixListTests[0].line, famUnix},
		{cmsListTests[0].line, famCMS},
		{cmsListTests[2].line, famCMS},
		{cmsListTests[38].line, famCMS},
		{cmsListTests[43].line, famCMS},
		{nonStopListTests[0].line, famNonStop},
		{nonStopListTests[3].line, famNonStop},
		{vxWorksListTests[0].line, famVxWorks},
		{vxWorksListTests[1].line, famVxWorks},
	}
	for _, tt := range tests {
		var e Entry
		fam, err := parseListLine(tt.line, listTestNow, listTestZone, &e)
		if err != nil || fam != tt.fam {
			t.Errorf("%q: family %d (%v), want %s", tt.line, fam, err, listFamilies[tt.fam].name)
		}
	}
	for _, line := range []string{"13-04-25  10:05AM       <DIR>          bad month", "hello world this is no listing"} {
		var e Entry
		_, err := parseListLine(line, listTestNow, listTestZone, &e)
		if err == nil || !strings.HasSuffix(err.Error(), ": unknown file mode") {
			t.Errorf("%q: error %v, want the Unix parser's reason", line, err)
		}
	}
}

// Whole VMS listings from Chromium's net/data/ftp/dir-listing-vms-*, with
// names too long for their column alone on a line, and commons-net's.
const (
	vmsListing1 = "Directory ANONYMOUS_ROOT:[000000]\r\n\r\n" +
		".WELCOME;1                 2  13-FEB-2002 23:32:40.47\r\n" +
		"DECUS.DIR;1                1   9-MAY-2001 22:18:51.69\r\n" +
		"INFORMATION.DIR;1          1   9-MAY-2001 22:23:42.78\r\n" +
		"MADGOAT.DIR;1              2   9-MAY-2001 22:23:44.85\r\n" +
		"MAIL_ARCHIVES.DIR;1\r\n" +
		"                           1  13-DEC-2005 08:45:27.56\r\n" +
		"MOZILLA.DIR;1              1  21-JUN-2001 14:57:51.38\r\n" +
		"README.TXT;4               2  18-APR-2000 10:40:39.90\r\n" +
		"SSH.DIR;1                  1  22-JUN-2002 15:11:12.71\r\n" +
		"SUPPORT.DIR;1              3   9-MAY-2001 22:29:45.02\r\n" +
		"TCPWARE.DIR;1              1   9-MAY-2001 23:34:10.92\r\n" +
		"VMS-FREEWARE.DIR;1         2   9-MAY-2001 23:58:31.39\r\n" +
		"\r\nTotal of 11 files, 17 blocks.\r\n"
	vmsListing4 = "\r\nEISNER$DRA3:[DECUSERVE_USER.JOHNDOE]\r\n\r\n" +
		"$MAIN.TPU$JOURNAL;1         1   4-NOV-2009 05:59 [JOHNDOE] (RWED,RWED,,)\r\n" +
		".WELCOME;1                  1   4-NOV-2009 06:02 [JOHNDOE] (RWED,RWED,,)\r\n" +
		"EXAMPLE.TXT;1               1   4-NOV-2009 06:02 [JOHNDOE] (RWED,RWED,,)\r\n" +
		"FILE.;1                     1   4-NOV-2009 08:59 [JOHNDOE] (RWED,RWED,,)\r\n" +
		"FTP_SERVER.LOG;12           0   4-NOV-2009 09:12 [JOHNDOE] (RWED,RWED,,)\r\n" +
		"LOGIN.COM;1                 2   4-NOV-2009 05:58 [JOHNDOE] (RWED,RWED,,)\r\n" +
		"NOTES$NOTEBOOK.NOTE;1\r\n" +
		"                           36   4-NOV-2009 05:55 [DECUSERVE] (RWE,RWE,,)\r\n" +
		"TEST.DIR;1                  1   4-NOV-2009 08:15 [JOHNDOE] (RWE,RWE,,)\r\n" +
		"\r\n\r\nTotal of 43 blocks in 8 files.\r\n"
	vmsListing5 = "\r\nSYS:[ANON_LOGS]\r\n\r\n" +
		"FTP_SERVER.LOG;1682         0  27-NOV-2009 14:35 [NET,ANONYMOUS] (RWED,RWED,,)\r\n" +
		"FTP_SERVER_LOG.KEEP;11400\r\n" +
		"                            2  19-DEC-1994 15:40 [NET,ANONYMOUS] (RWED,RWED,,)\r\n" +
		"FTP_SERVER_LOG.SEARCH;1\r\n" +
		"                          274   7-DEC-1993 15:54 [NET,ANONYMOUS] (RWED,RWED,,)\r\n" +
		"TESTLOG.DAT;1               0  27-APR-1995 13:18 [NET,ANONYMOUS] (RWED,RWED,,)\r\n" +
		"\r\n\r\nTotal of 276 blocks in 4 files.\r\n"
	vmsListing6 = "\r\nANONYMOUS:[000000]\r\n\r\n" +
		"ANON_FTP_LOG.LOG;23\r\n" +
		"                   <%SYSTEM-F-NOPRIV, insufficient privilege or object protection violation>\r\n" +
		"EK-SMCPR-UG-A01.PDF;1\r\n" +
		"                   <%SYSTEM-F-NOPRIV, insufficient privilege or object protection violation>\r\n" +
		"INCOMING.DIR;1           1 16-FEB-2009 00:49 [ANONY,ANONYMOUS] (RWE,RWE,RE,RE)\r\n" +
		"INPUT.DIR;1              1 25-JAN-2004 07:11 [ANONY,ANONYMOUS] (RWED,RWE,R,R)\r\n" +
		"LOGIN.COM;1              8 25-NOV-2003 20:01 [ANONY,ANONYMOUS] (RWED,RE,RE,RE)\r\n" +
		"PUB.DIR;1                2 25-JAN-2004 07:11 [ANONY,ANONYMOUS] (RWE,RE,RE,RE)\r\n" +
		"\r\nTotal of 6 Files, 12 Blocks.\r\n"
	vmsListing7 = "\r\nANONYMOUS:[INCOMING]\r\n\r\n*.*;0              <%RMS-E-FNF, file not found>\r\n"
	// commons-net VMSFTPEntryParserTest's FULL_LISTING, whose versions are
	// not in the newest-first order of VMS: the first line of a name wins.
	vmsListingVersions = "Directory USER1:[TEMP]\r\n\r\n" +
		"1-JUN.LIS;1              9/9           2-JUN-1998 07:32:04  [GROUP,OWNER]    (RWED,RWED,RWED,RE)\r\n" +
		"2-JUN.LIS;1              9/9           2-JUN-1998 07:32:04  [GROUP,OWNER]    (RWED,RWED,RWED,)\r\n" +
		"3-JUN.LIS;1              9/9           3-JUN-1998 07:32:04  [GROUP,OWNER]    (RWED,RWED,RWED,)\r\n" +
		"3-JUN.LIS;4              9/9           7-JUN-1998 07:32:04  [GROUP,OWNER]    (RWED,RWED,RWED,)\r\n" +
		"3-JUN.LIS;2              9/9           4-JUN-1998 07:32:04  [GROUP,OWNER]    (RWED,RWED,RWED,)\r\n" +
		"3-JUN.LIS;3              9/9           6-JUN-1998 07:32:04  [GROUP,OWNER]    (RWED,RWED,RWED,)\r\n" +
		"\r\nTotal 6 files"
	// commons-net's multi-line samples, and a VMS folder beside a file of
	// the same name.
	vmsListingJoined = "UCX$REXECD_STARTUP.LOG;1098\r\n" +
		"                         4/15         24-FEB-2003 13:17:24  [POSTWARE,LP]    (RWED,RWED,RE,)\r\n" +
		"UNZIP_AND_ATTACH_FILES.COM;12\r\n" +
		"                        14/15         24-JUL-2002 14:35:40  [TRANSLATED]    (RWE,RWE,RWE,RE)\r\n" +
		"UNZIP_AND_ATTACH_FILES.SAV;1\r\n" +
		"                        14/15         17-JAN-2002 11:13:53  [POSTWARE,LP]    (RWE,RWED,RWE,RE)\r\n" +
		"SAME.DIR;1               1/9           2-JUN-1998 07:32:04  [GROUP,OWNER]    (RWED,RWED,RWED,RE)\r\n" +
		"SAME;1                   1/9           2-JUN-1998 07:32:04  [GROUP,OWNER]    (RWED,RWED,RWED,RE)\r\n" +
		"LAST.TXT;1\r\n"
)

// listingLines splits a listing as a server sends it into lines.
func listingLines(listing string) []string {
	return strings.SplitAfter(strings.TrimSuffix(listing, "\r\n"), "\r\n")
}

func TestListParserParseVMS(t *testing.T) {
	tests := []struct {
		name     string
		listing  string
		want     []Entry // checked in full
		names    []string
		unparsed []string
	}{
		{"vms-1", vmsListing1,
			[]Entry{{Name: "MAIL_ARCHIVES", Type: EntryDir, Size: -1, ModTime: vmsTime(2005, time.December, 13, 8, 45, 27, 56), Precision: TimeMinute}},
			[]string{".WELCOME", "DECUS/", "INFORMATION/", "MADGOAT/", "MAIL_ARCHIVES/", "MOZILLA/", "README.TXT", "SSH/", "SUPPORT/", "TCPWARE/", "VMS-FREEWARE/"}, nil},
		{"vms-4", vmsListing4,
			[]Entry{vmsFile("NOTES$NOTEBOOK.NOTE", vmsTime(2009, time.November, 4, 5, 55, 0, 0), "", "DECUSERVE")},
			[]string{"$MAIN.TPU$JOURNAL", ".WELCOME", "EXAMPLE.TXT", "FILE.", "FTP_SERVER.LOG", "LOGIN.COM", "NOTES$NOTEBOOK.NOTE", "TEST/"}, nil},
		{"vms-5", vmsListing5,
			[]Entry{
				vmsFile("FTP_SERVER_LOG.KEEP", vmsTime(1994, time.December, 19, 15, 40, 0, 0), "NET", "ANONYMOUS"),
				vmsFile("FTP_SERVER_LOG.SEARCH", vmsTime(1993, time.December, 7, 15, 54, 0, 0), "NET", "ANONYMOUS"),
			},
			[]string{"FTP_SERVER.LOG", "FTP_SERVER_LOG.KEEP", "FTP_SERVER_LOG.SEARCH", "TESTLOG.DAT"}, nil},
		{"vms-6", vmsListing6, nil,
			[]string{"INCOMING/", "INPUT/", "LOGIN.COM", "PUB/"},
			[]string{
				"ANON_FTP_LOG.LOG;23 <%SYSTEM-F-NOPRIV, insufficient privilege or object protection violation>",
				"EK-SMCPR-UG-A01.PDF;1 <%SYSTEM-F-NOPRIV, insufficient privilege or object protection violation>",
			}},
		{"vms-7", vmsListing7, nil, nil, nil},
		{"versions", vmsListingVersions,
			[]Entry{vmsFile("3-JUN.LIS", vmsTime(1998, time.June, 3, 7, 32, 4, 0), "GROUP", "OWNER")},
			[]string{"1-JUN.LIS", "2-JUN.LIS", "3-JUN.LIS"}, nil},
		{"joined", vmsListingJoined,
			[]Entry{
				vmsFile("UCX$REXECD_STARTUP.LOG", vmsTime(2003, time.February, 24, 13, 17, 24, 0), "POSTWARE", "LP"),
				vmsFile("UNZIP_AND_ATTACH_FILES.COM", vmsTime(2002, time.July, 24, 14, 35, 40, 0), "", "TRANSLATED"),
				vmsFile("UNZIP_AND_ATTACH_FILES.SAV", vmsTime(2002, time.January, 17, 11, 13, 53, 0), "POSTWARE", "LP"),
			},
			[]string{"UCX$REXECD_STARTUP.LOG", "UNZIP_AND_ATTACH_FILES.COM", "UNZIP_AND_ATTACH_FILES.SAV", "SAME/", "SAME"},
			[]string{"LAST.TXT;1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			entries, unparsed := newListTestParser(listTestNow).Parse(listingLines(tt.listing))
			checkListing(t, entries, unparsed, tt.names, tt.unparsed, tt.want)
		})
	}
}

// checkListing compares entries with names (a folder's with a "/"), the
// unparsed lines with unparsed, and the entries named in want in full.
func checkListing(t *testing.T, entries []Entry, unparsed, names, wantUnparsed []string, want []Entry) {
	t.Helper()
	var got []string
	for _, e := range entries {
		n := e.Name
		if e.Type == EntryDir {
			n += "/"
		}
		got = append(got, n)
	}
	if !slices.Equal(got, names) {
		t.Errorf("entries %q, want %q", got, names)
	}
	if !slices.Equal(unparsed, wantUnparsed) {
		t.Errorf("unparsed %q, want %q", unparsed, wantUnparsed)
	}
	for _, w := range want {
		i := slices.IndexFunc(entries, func(e Entry) bool { return e.Name == w.Name })
		if i < 0 {
			t.Errorf("no entry %q", w.Name)
			continue
		}
		checkParsedEntry(t, w.Name, entries[i], w)
	}
}

// A PDS member listing (commons-net MVSFTPEntryParserTest): after the
// header, a line of only a name is a member without statistics; without
// the header, it is no entry.
func TestListParserParsePDSMembers(t *testing.T) {
	lines := []string{
		"Name      VV.MM   Created       Changed      Size  Init   Mod   Id",
		"SAVE03    01.03 2002/09/12 2002/10/11 09:37    11    11     0 KIL001",
		"SAVE04                                                              ",
		"TBSHELF1  01.03 2002/09/12 2002/10/11 09:37    11    11     0 KIL001",
		"65-MVS-PDS-MEMBER\r\n",
		"not one name",
	}
	entries, unparsed := newListTestParser(listTestNow).Parse(lines)
	checkListing(t, entries, unparsed, []string{"SAVE03", "SAVE04", "TBSHELF1", "65-MVS-PDS-MEMBER"}, []string{"not one name"},
		[]Entry{{Name: "SAVE04", Type: EntryFile, Size: -1}, mvsMember("SAVE03", listTime(2002, time.October, 11, 9, 37))})

	entries, unparsed = newListTestParser(listTestNow).Parse(lines[2:3])
	if len(entries) != 0 || len(unparsed) != 1 {
		t.Errorf("a name alone without the header: %v, %q; want it unparsed", entries, unparsed)
	}
}

// TestListVMSStreamed lists VMS folders from the test server: entries split
// over two lines are joined as they stream in, a line still held when the
// listing ends is reported, and the versions and headers are handled as
// Parse handles them.
func TestListVMSStreamed(t *testing.T) {
	listings := map[string]string{"4": vmsListing4, "6": vmsListing6, "joined": vmsListingJoined, "versions": vmsListingVersions,
		// A folder whose name has a space is listed from inside it.
		"v m s": vmsListing5}
	srv := ftptest.New(t, ftptest.Config{Disable: []string{"MLST", "MLSD"}, Hook: func(c ftptest.Command) *ftptest.Reply {
		arg := c.Arg
		if arg == "" {
			arg = "v m s"
		}
		if data, ok := listings[arg]; ok && c.Verb == "LIST" {
			return &ftptest.Reply{Transfer: &ftptest.Transfer{Data: []byte(data)}}
		}
		return nil
	}})
	writeFile(t, srv, "v m s/x", []byte("x"))
	c := dialLogin(t, srv)
	for arg, listing := range listings {
		var streamed []Entry
		var bad []string
		err := c.ReadDirFunc(testCtx(t), arg, ListOptions{Unparsed: func(l string) { bad = append(bad, l) }},
			func(e Entry) error { streamed = append(streamed, e); return nil })
		if err != nil {
			t.Fatalf("ReadDirFunc(%s): %v", arg, err)
		}
		// Parse reads the same lines without their line endings, as the
		// data connection gives them.
		var lines []string
		for _, l := range listingLines(listing) {
			lines = append(lines, strings.TrimSuffix(l, "\r\n"))
		}
		want, wantBad := (&ListParser{Now: c.opts.now, Location: c.opts.location}).Parse(lines)
		if !reflect.DeepEqual(streamed, want) || !slices.Equal(bad, wantBad) {
			t.Errorf("ReadDirFunc(%s) = %v, unparsed %q; Parse gives %v, %q", arg, streamed, bad, want, wantBad)
		}
		if len(streamed) == 0 {
			t.Errorf("ReadDirFunc(%s) gave no entries", arg)
		}
	}
	if cmds := srv.SessionCommands(1); !slices.Contains(cmds, "CWD v m s") {
		t.Errorf("commands %q, want the folder with spaces entered", cmds)
	}
	entries, unparsed, err := c.List(testCtx(t), "joined")
	if err != nil || len(entries) != 5 || !slices.Equal(unparsed, []string{"LAST.TXT;1"}) {
		t.Errorf("List(joined) = %d entries, %q, %v; want 5 entries and LAST.TXT;1 unparsed", len(entries), unparsed, err)
	}
}

// TestListUntimedReported lists a folder whose lines have dates in a
// language without a month table: each entry is passed on with its name,
// type and size and no time, and each such line is told to
// ListOptions.Untimed; lines with readable dates are not, and a line that
// holds no entry goes to Unparsed as before.
func TestListUntimedReported(t *testing.T) {
	listing := "-rw-r--r-- 1 u g 29 6. დეკ. 09:07 a.txt\r\n" +
		"drwxr-xr-x 2 u g 4096 6. დეკ. 2019 sub\r\n" +
		"-rw-r--r-- 1 u g 7 Mar  4 12:34 b.txt\r\n" +
		"this is no listing line\r\n"
	srv := ftptest.New(t, ftptest.Config{Disable: []string{"MLST", "MLSD"}, Hook: func(c ftptest.Command) *ftptest.Reply {
		if c.Verb == "LIST" {
			return &ftptest.Reply{Transfer: &ftptest.Transfer{Data: []byte(listing)}}
		}
		return nil
	}})
	c := dialLogin(t, srv)
	var got []Entry
	var untimed, bad []string
	err := c.ReadDirFunc(testCtx(t), "/", ListOptions{
		Unparsed: func(l string) { bad = append(bad, l) },
		Untimed:  func(l string) { untimed = append(untimed, l) },
	}, func(e Entry) error { got = append(got, e); return nil })
	if err != nil {
		t.Fatal(err)
	}
	lines := listingLines(listing)
	for i := range lines {
		lines[i] = strings.TrimSuffix(lines[i], "\r\n")
	}
	if !slices.Equal(untimed, lines[:2]) || !slices.Equal(bad, lines[3:]) {
		t.Errorf("untimed %q, unparsed %q; want %q and %q", untimed, bad, lines[:2], lines[3:])
	}
	if len(got) != 3 || got[0].Name != "a.txt" || got[0].Size != 29 || got[0].Precision != TimeUnknown || !got[0].ModTime.IsZero() ||
		got[1].Name != "sub" || got[1].Type != EntryDir || got[1].Precision != TimeUnknown ||
		got[2].Name != "b.txt" || got[2].Precision != TimeMinute {
		t.Errorf("entries %+v", got)
	}
	// Parse, for a listing read whole, keeps the untimed entries too.
	entries, unparsed := (&ListParser{Now: c.opts.now, Location: c.opts.location}).Parse(lines)
	if len(entries) != 3 || !slices.Equal(unparsed, lines[3:]) {
		t.Errorf("Parse = %+v, %q", entries, unparsed)
	}
}
