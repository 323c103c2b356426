package client

import (
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

// mlsxCase is one MLSD line or MLST entry line and the entry it must give.
type mlsxCase struct {
	line string
	want Entry
}

// mlsxTime is a UTC time, as MLSx facts give.
func mlsxTime(year int, month time.Month, day, hour, min, sec, nsec int) time.Time {
	return time.Date(year, month, day, hour, min, sec, nsec, time.UTC)
}

// mlsxTables are the MLSx tables by server family. vsftpd has no MLSD.
func mlsxTables() map[string][]mlsxCase {
	return map[string][]mlsxCase{
		"proftpd":          proftpdMLSxTests,
		"pure-ftpd":        pureFTPdMLSxTests,
		"pyftpdlib":        pyftpdlibMLSxTests,
		"Microsoft IIS":    iisMLSxTests,
		"FileZilla Server": fileZillaMLSxTests,
		"edge cases":       edgeMLSxTests,
		"peer projects":    peerMLSxTests,
		"lenient":          lenientMLSxTests,
	}
}

// proftpd sends UNIX.owner/group as numbers and, since 1.3.6,
// UNIX.ownername/groupname; links are "OS.unix=slink:target".
var proftpdMLSxTests = []mlsxCase{
	{"modify=20250304113456;perm=flcdmpe;type=cdir;unique=FD00U1B4001;UNIX.group=33;UNIX.groupname=www-data;UNIX.mode=02775;UNIX.owner=1000;UNIX.ownername=alice; .",
		Entry{Name: ".", Type: EntryDir, Size: -1, ModTime: mlsxTime(2025, time.March, 4, 11, 34, 56, 0), Precision: TimeExact, Mode: os.ModeSetgid | 0o775, Owner: "alice", Group: "www-data",
			Facts: map[string]string{"modify": "20250304113456", "perm": "flcdmpe", "type": "cdir", "unique": "FD00U1B4001", "unix.group": "33", "unix.groupname": "www-data", "unix.mode": "02775", "unix.owner": "1000", "unix.ownername": "alice"}}},
	{"modify=20250101000000;perm=flcdmpe;type=pdir;unique=FD00U2;UNIX.group=0;UNIX.mode=0755;UNIX.owner=0; ..",
		Entry{Name: "..", Type: EntryDir, Size: -1, ModTime: mlsxTime(2025, time.January, 1, 0, 0, 0, 0), Precision: TimeExact, Mode: 0o755, Owner: "0", Group: "0",
			Facts: map[string]string{"modify": "20250101000000", "perm": "flcdmpe", "type": "pdir", "unique": "FD00U2", "unix.group": "0", "unix.mode": "0755", "unix.owner": "0"}}},
	{"modify=20250304123456;perm=adfrw;size=1234;type=file;unique=FD00U1B4002;UNIX.group=33;UNIX.groupname=www-data;UNIX.mode=0644;UNIX.owner=1000;UNIX.ownername=alice; index.html",
		Entry{Name: "index.html", Type: EntryFile, Size: 1234, ModTime: mlsxTime(2025, time.March, 4, 12, 34, 56, 0), Precision: TimeExact, Mode: 0o644, Owner: "alice", Group: "www-data",
			Facts: map[string]string{"modify": "20250304123456", "perm": "adfrw", "size": "1234", "type": "file", "unique": "FD00U1B4002", "unix.group": "33", "unix.groupname": "www-data", "unix.mode": "0644", "unix.owner": "1000", "unix.ownername": "alice"}}},
	{"modify=20250201080000;perm=adfrw;size=21;type=OS.unix=slink:/srv/ftp/releases/9.1;unique=FD00U1B4003;UNIX.group=0;UNIX.mode=0777;UNIX.owner=0; latest",
		Entry{Name: "latest", Type: EntryLink, Size: 21, ModTime: mlsxTime(2025, time.February, 1, 8, 0, 0, 0), Precision: TimeExact, Target: "/srv/ftp/releases/9.1", Mode: 0o777, Owner: "0", Group: "0",
			Facts: map[string]string{"modify": "20250201080000", "perm": "adfrw", "size": "21", "type": "OS.unix=slink:/srv/ftp/releases/9.1", "unique": "FD00U1B4003", "unix.group": "0", "unix.mode": "0777", "unix.owner": "0"}}},
	{"modify=20250201080000;perm=adfrw;size=7;type=OS.unix=symlink;unique=FD00U1B4004;UNIX.group=0;UNIX.mode=0777;UNIX.owner=0; other link",
		Entry{Name: "other link", Type: EntryLink, Size: 7, ModTime: mlsxTime(2025, time.February, 1, 8, 0, 0, 0), Precision: TimeExact, Mode: 0o777, Owner: "0", Group: "0",
			Facts: map[string]string{"modify": "20250201080000", "perm": "adfrw", "size": "7", "type": "OS.unix=symlink", "unique": "FD00U1B4004", "unix.group": "0", "unix.mode": "0777", "unix.owner": "0"}}},
	{"modify=20240630120000;perm=flcdmpe;type=dir;unique=FD00U1B4005;UNIX.group=0;UNIX.mode=01777;UNIX.owner=0; tmp",
		Entry{Name: "tmp", Type: EntryDir, Size: -1, ModTime: mlsxTime(2024, time.June, 30, 12, 0, 0, 0), Precision: TimeExact, Mode: os.ModeSticky | 0o777, Owner: "0", Group: "0",
			Facts: map[string]string{"modify": "20240630120000", "perm": "flcdmpe", "type": "dir", "unique": "FD00U1B4005", "unix.group": "0", "unix.mode": "01777", "unix.owner": "0"}}},
	// The entry line of an MLST reply, with its leading space.
	{" modify=20250304123456;perm=adfrw;size=1234;type=file;unique=FD00U1B4002;UNIX.group=33;UNIX.mode=0644;UNIX.owner=1000; /var/www/index.html",
		Entry{Name: "/var/www/index.html", Type: EntryFile, Size: 1234, ModTime: mlsxTime(2025, time.March, 4, 12, 34, 56, 0), Precision: TimeExact, Mode: 0o644, Owner: "1000", Group: "33",
			Facts: map[string]string{"modify": "20250304123456", "perm": "adfrw", "size": "1234", "type": "file", "unique": "FD00U1B4002", "unix.group": "33", "unix.mode": "0644", "unix.owner": "1000"}}},
}

// pure-ftpd gives folders a sizd fact and owners as UNIX.uid/UNIX.gid.
var pureFTPdMLSxTests = []mlsxCase{
	{"type=cdir;sizd=4096;modify=20250304113456;UNIX.mode=0755;UNIX.uid=1000;UNIX.gid=1000;unique=803g2ad4; .",
		Entry{Name: ".", Type: EntryDir, Size: 4096, ModTime: mlsxTime(2025, time.March, 4, 11, 34, 56, 0), Precision: TimeExact, Mode: 0o755, Owner: "1000", Group: "1000",
			Facts: map[string]string{"type": "cdir", "sizd": "4096", "modify": "20250304113456", "unix.mode": "0755", "unix.uid": "1000", "unix.gid": "1000", "unique": "803g2ad4"}}},
	{"type=file;size=73400320;modify=20250307154500;UNIX.mode=0644;UNIX.uid=1000;UNIX.gid=1000;unique=803g2ad9; video.mp4",
		Entry{Name: "video.mp4", Type: EntryFile, Size: 73400320, ModTime: mlsxTime(2025, time.March, 7, 15, 45, 0, 0), Precision: TimeExact, Mode: 0o644, Owner: "1000", Group: "1000",
			Facts: map[string]string{"type": "file", "size": "73400320", "modify": "20250307154500", "unix.mode": "0644", "unix.uid": "1000", "unix.gid": "1000", "unique": "803g2ad9"}}},
	{"type=dir;sizd=4096;modify=20240802101010;UNIX.mode=0750;UNIX.uid=1000;UNIX.gid=100;unique=803g2ae0; My Photos",
		Entry{Name: "My Photos", Type: EntryDir, Size: 4096, ModTime: mlsxTime(2024, time.August, 2, 10, 10, 10, 0), Precision: TimeExact, Mode: 0o750, Owner: "1000", Group: "100",
			Facts: map[string]string{"type": "dir", "sizd": "4096", "modify": "20240802101010", "unix.mode": "0750", "unix.uid": "1000", "unix.gid": "100", "unique": "803g2ae0"}}},
	{"type=OS.unix=slink:share/docs;size=10;modify=20250120101100;UNIX.mode=0777;UNIX.uid=1000;UNIX.gid=1000;unique=803g2ae1; docs",
		Entry{Name: "docs", Type: EntryLink, Size: 10, ModTime: mlsxTime(2025, time.January, 20, 10, 11, 0, 0), Precision: TimeExact, Target: "share/docs", Mode: 0o777, Owner: "1000", Group: "1000",
			Facts: map[string]string{"type": "OS.unix=slink:share/docs", "size": "10", "modify": "20250120101100", "unix.mode": "0777", "unix.uid": "1000", "unix.gid": "1000", "unique": "803g2ae1"}}},
}

// pyftpdlib writes fact names in lower case.
var pyftpdlibMLSxTests = []mlsxCase{
	{"type=dir;size=0;perm=el;modify=20250301090000;unix.mode=0755;unix.uid=1000;unix.gid=1000;unique=fd01a2b; src",
		Entry{Name: "src", Type: EntryDir, Size: 0, ModTime: mlsxTime(2025, time.March, 1, 9, 0, 0, 0), Precision: TimeExact, Mode: 0o755, Owner: "1000", Group: "1000",
			Facts: map[string]string{"type": "dir", "size": "0", "perm": "el", "modify": "20250301090000", "unix.mode": "0755", "unix.uid": "1000", "unix.gid": "1000", "unique": "fd01a2b"}}},
	{"type=file;size=156;perm=r;modify=20071029155301;unix.mode=0644;unix.uid=1000;unix.gid=1000;unique=8012; music.mp3",
		Entry{Name: "music.mp3", Type: EntryFile, Size: 156, ModTime: mlsxTime(2007, time.October, 29, 15, 53, 1, 0), Precision: TimeExact, Mode: 0o644, Owner: "1000", Group: "1000",
			Facts: map[string]string{"type": "file", "size": "156", "perm": "r", "modify": "20071029155301", "unix.mode": "0644", "unix.uid": "1000", "unix.gid": "1000", "unique": "8012"}}},
	{"type=file;size=0;perm=radfwMT;modify=20250310120000.123;unix.mode=0600;unix.uid=1000;unix.gid=1000;unique=8013; semi;colon; name",
		Entry{Name: "semi;colon; name", Type: EntryFile, Size: 0, ModTime: mlsxTime(2025, time.March, 10, 12, 0, 0, 123000000), Precision: TimeExact, Mode: 0o600, Owner: "1000", Group: "1000",
			Facts: map[string]string{"type": "file", "size": "0", "perm": "radfwMT", "modify": "20250310120000.123", "unix.mode": "0600", "unix.uid": "1000", "unix.gid": "1000", "unique": "8013"}}},
}

// Microsoft IIS capitalizes fact names and gives milliseconds.
var iisMLSxTests = []mlsxCase{
	{"Type=dir;Modify=20250304103456.312; aspnet_client",
		Entry{Name: "aspnet_client", Type: EntryDir, Size: -1, ModTime: mlsxTime(2025, time.March, 4, 10, 34, 56, 312000000), Precision: TimeExact,
			Facts: map[string]string{"type": "dir", "modify": "20250304103456.312"}}},
	{"Type=file;Size=1803128;Modify=20240710101800.000;Create=20240710101759.995; ls-lR.Z",
		Entry{Name: "ls-lR.Z", Type: EntryFile, Size: 1803128, ModTime: mlsxTime(2024, time.July, 10, 10, 18, 0, 0), Precision: TimeExact,
			Facts: map[string]string{"type": "file", "size": "1803128", "modify": "20240710101800.000", "create": "20240710101759.995"}}},
	{"Type=FILE;Size=42;Modify=20250101000000; Read Me.TXT",
		Entry{Name: "Read Me.TXT", Type: EntryFile, Size: 42, ModTime: mlsxTime(2025, time.January, 1, 0, 0, 0, 0), Precision: TimeExact,
			Facts: map[string]string{"type": "file", "size": "42", "modify": "20250101000000"}}},
}

// FileZilla Server sends a perms fact (not perm).
var fileZillaMLSxTests = []mlsxCase{
	{"type=file;size=524288;modify=20190304120000;perms=awrfd; report 2019.xlsx",
		Entry{Name: "report 2019.xlsx", Type: EntryFile, Size: 524288, ModTime: mlsxTime(2019, time.March, 4, 12, 0, 0, 0), Precision: TimeExact,
			Facts: map[string]string{"type": "file", "size": "524288", "modify": "20190304120000", "perms": "awrfd"}}},
	{"type=dir;modify=20250226105100;perms=cplemfd; My Documents",
		Entry{Name: "My Documents", Type: EntryDir, Size: -1, ModTime: mlsxTime(2025, time.February, 26, 10, 51, 0, 0), Precision: TimeExact,
			Facts: map[string]string{"type": "dir", "modify": "20250226105100", "perms": "cplemfd"}}},
}

// Lines that stretch RFC 3659.
var edgeMLSxTests = []mlsxCase{
	{"type=OS.unix=chr-1/3;modify=20250304123456;UNIX.mode=0666; null",
		Entry{Name: "null", Type: EntryOther, Size: -1, ModTime: mlsxTime(2025, time.March, 4, 12, 34, 56, 0), Precision: TimeExact, Mode: 0o666,
			Facts: map[string]string{"type": "OS.unix=chr-1/3", "modify": "20250304123456", "unix.mode": "0666"}}},
	{"type=OS.unix=slinky; not-a-link",
		Entry{Name: "not-a-link", Type: EntryOther, Size: -1, Facts: map[string]string{"type": "OS.unix=slinky"}}},
	{"size=10; no type fact",
		Entry{Name: "no type fact", Type: EntryFile, Size: 10, Facts: map[string]string{"size": "10"}}},
	{" no-facts",
		Entry{Name: "no-facts", Type: EntryFile, Size: -1, Facts: map[string]string{}}},
	{" x=y no facts either",
		Entry{Name: "x=y no facts either", Type: EntryFile, Size: -1, Facts: map[string]string{}}},
	{"type=file;size=1;  leading space",
		Entry{Name: " leading space", Type: EntryFile, Size: 1, Facts: map[string]string{"type": "file", "size": "1"}}},
	{"type=file;size=1; trailing space ",
		Entry{Name: "trailing space ", Type: EntryFile, Size: 1, Facts: map[string]string{"type": "file", "size": "1"}}},
	{"type=file;;size=2;UNIX.mode=100755; double semicolon, file type bits",
		Entry{Name: "double semicolon, file type bits", Type: EntryFile, Size: 2, Mode: 0o755, Facts: map[string]string{"type": "file", "size": "2", "unix.mode": "100755"}}},
	{"type=file;size=3;modify=20250304123456.1234567891; a -> b",
		Entry{Name: "a -> b", Type: EntryFile, Size: 3, ModTime: mlsxTime(2025, time.March, 4, 12, 34, 56, 123456789), Precision: TimeExact,
			Facts: map[string]string{"type": "file", "size": "3", "modify": "20250304123456.1234567891"}}},
	{"type=file;size=4;UNIX.owner=0;UNIX.uid=0;UNIX.gid=5;perm=; crlf.txt\r\n",
		Entry{Name: "crlf.txt", Type: EntryFile, Size: 4, Owner: "0", Group: "5", Facts: map[string]string{"type": "file", "size": "4", "unix.owner": "0", "unix.uid": "0", "unix.gid": "5"}}},
	{"type=dir;size=9223372036854775807; max size",
		Entry{Name: "max size", Type: EntryDir, Size: 9223372036854775807, Facts: map[string]string{"type": "dir", "size": "9223372036854775807"}}},
}

func TestParseMLSxLine(t *testing.T) {
	for family, cases := range mlsxTables() {
		t.Run(family, func(t *testing.T) {
			for _, c := range cases {
				got, err := ParseMLSxLine(c.line)
				if err != nil {
					t.Errorf("ParseMLSxLine(%q): %v", c.line, err)
					continue
				}
				checkParsedEntry(t, c.line, got, c.want)
			}
		})
	}
}

func TestParseMLSxLineErrors(t *testing.T) {
	bad := []string{
		"",
		"\r\n",
		"type=file;size=1;name",
		"type=file;size=1; ",
		"type=file;size=1;\t",
		"=file; x",
		"invalid;;also-invalid; x",
		// Lines of other listings are no MLSx lines.
		"-rw-r--r--   1 user group 10 Mar  4 12:34 unix.txt",
		"03-04-25  10:05AM                 1234 dos.txt",
		"+i8388621.48594,m825718503,r,s280,\tdjb.html",
		"just some words",
	}
	for _, line := range bad {
		_, err := ParseMLSxLine(line)
		if err == nil {
			t.Errorf("ParseMLSxLine(%q) succeeded, want an error", line)
			continue
		}
		if want := "ftp: unparseable MLSx line " + strconv.Quote(strings.TrimRight(line, "\r\n")); !strings.HasPrefix(err.Error(), want) {
			t.Errorf("ParseMLSxLine(%q) error = %q, want it to start with %q", line, err, want)
		}
	}
}

func TestSkipMLSx(t *testing.T) {
	tests := []struct {
		e    Entry
		want bool
	}{
		{Entry{Name: ".", Facts: map[string]string{"type": "cdir"}}, true},
		{Entry{Name: "/pub", Facts: map[string]string{"type": "cdir"}}, true},
		{Entry{Name: "..", Facts: map[string]string{"type": "pdir"}}, true},
		{Entry{Name: "parent", Facts: map[string]string{"type": "PDir"}}, true},
		{Entry{Name: "."}, true},
		{Entry{Name: ".."}, true},
		{Entry{Name: "...", Facts: map[string]string{"type": "dir"}}, false},
		{Entry{Name: ".hidden", Facts: map[string]string{"type": "file"}}, false},
		{Entry{Name: "cdir", Facts: map[string]string{"type": "dir"}}, false},
	}
	for _, tt := range tests {
		if got := SkipMLSx(tt.e); got != tt.want {
			t.Errorf("SkipMLSx(%q, type %q) = %v, want %v", tt.e.Name, tt.e.Facts["type"], got, tt.want)
		}
	}
	// Parsed entries of either case.
	for _, line := range []string{"type=CDIR; .", "Type=Pdir;Modify=20250101000000; .."} {
		e, err := ParseMLSxLine(line)
		if err != nil || !SkipMLSx(e) || e.Type != EntryDir {
			t.Errorf("ParseMLSxLine(%q) = %+v, %v; want a dir that SkipMLSx skips", line, e, err)
		}
		if typ := e.Facts["type"]; typ != "cdir" && typ != "pdir" {
			t.Errorf("ParseMLSxLine(%q): type fact %q, want it in lower case", line, typ)
		}
	}
}

// MLSx lines from peer projects' test suites: FileZilla
// tests/dirparsertest.cpp (entries 72 to 78 and the pre-epoch one) and
// jlaffaye/ftp parse_test.go.
var peerMLSxTests = []mlsxCase{
	{"Type=file;mOdIfY=20081105165215;size=1234; 72-MLSD-file",
		Entry{Name: "72-MLSD-file", Type: EntryFile, Size: 1234, ModTime: mlsxTime(2008, time.November, 5, 16, 52, 15, 0), Precision: TimeExact,
			Facts: map[string]string{"type": "file", "modify": "20081105165215", "size": "1234"}}},
	{"Type=file; 74-MLSD-whitespace trailing\t ",
		Entry{Name: "74-MLSD-whitespace trailing\t ", Type: EntryFile, Size: -1, Facts: map[string]string{"type": "file"}}},
	{"Type=file; \t 75-MLSD-whitespace leading",
		Entry{Name: "\t 75-MLSD-whitespace leading", Type: EntryFile, Size: -1, Facts: map[string]string{"type": "file"}}},
	{"modify=20080426135501;perm=;size=65718921;type=file;unique=802U1066013B;UNIX.group=1179;UNIX.mode=00;UNIX.owner=1179; 75 MLSD file with empty permissions",
		Entry{Name: "75 MLSD file with empty permissions", Type: EntryFile, Size: 65718921, ModTime: mlsxTime(2008, time.April, 26, 13, 55, 1, 0), Precision: TimeExact, Owner: "1179", Group: "1179",
			Facts: map[string]string{"modify": "20080426135501", "size": "65718921", "type": "file", "unique": "802U1066013B", "unix.group": "1179", "unix.mode": "00", "unix.owner": "1179"}}},
	{"type=OS.unix=slink:/foo; 76 MLSD symlink",
		Entry{Name: "76 MLSD symlink", Type: EntryLink, Size: -1, Target: "/foo", Facts: map[string]string{"type": "OS.unix=slink:/foo"}}},
	{"type=OS.UNIX=symlink; 76b MLSD symlink",
		Entry{Name: "76b MLSD symlink", Type: EntryLink, Size: -1, Facts: map[string]string{"type": "OS.UNIX=symlink"}}},
	{"type=file 77 MLSD file no trailing semicolon after facts < mlst-07",
		Entry{Name: "77 MLSD file no trailing semicolon after facts < mlst-07", Type: EntryFile, Size: -1, Facts: map[string]string{"type": "file"}}},
	{"type=OS.unix=slink; 77 MLSD symlink notarget",
		Entry{Name: "77 MLSD symlink notarget", Type: EntryLink, Size: -1, Facts: map[string]string{"type": "OS.unix=slink"}}},
	{"size=1365694195;type=file;modify=20090722092510;\tadsl TV 2009-07-22 08-25-10 78 mlsd file that can get parsed as unix.file",
		Entry{Name: "adsl TV 2009-07-22 08-25-10 78 mlsd file that can get parsed as unix.file", Type: EntryFile, Size: 1365694195, ModTime: mlsxTime(2009, time.July, 22, 9, 25, 10, 0), Precision: TimeExact,
			Facts: map[string]string{"size": "1365694195", "type": "file", "modify": "20090722092510"}}},
	{"Type=file;mOdIfY=19681105165215;size=1234; MLSD pre-epoch",
		Entry{Name: "MLSD pre-epoch", Type: EntryFile, Size: 1234, ModTime: mlsxTime(1968, time.November, 5, 16, 52, 15, 0), Precision: TimeExact,
			Facts: map[string]string{"type": "file", "modify": "19681105165215", "size": "1234"}}},
	{"modify=20150813224845;perm=fle;type=cdir;unique=119FBB87U4;UNIX.group=0;UNIX.mode=0755;UNIX.owner=0; .",
		Entry{Name: ".", Type: EntryDir, Size: -1, ModTime: mlsxTime(2015, time.August, 13, 22, 48, 45, 0), Precision: TimeExact, Mode: 0o755, Owner: "0", Group: "0",
			Facts: map[string]string{"modify": "20150813224845", "perm": "fle", "type": "cdir", "unique": "119FBB87U4", "unix.group": "0", "unix.mode": "0755", "unix.owner": "0"}}},
	{"modify=20150806235817;perm=fle;type=dir;unique=1B20F360U4;UNIX.group=0;UNIX.mode=0755;UNIX.owner=0; movies",
		Entry{Name: "movies", Type: EntryDir, Size: -1, ModTime: mlsxTime(2015, time.August, 6, 23, 58, 17, 0), Precision: TimeExact, Mode: 0o755, Owner: "0", Group: "0",
			Facts: map[string]string{"modify": "20150806235817", "perm": "fle", "type": "dir", "unique": "1B20F360U4", "unix.group": "0", "unix.mode": "0755", "unix.owner": "0"}}},
	{"modify=20150814172949;perm=flcdmpe;type=dir;unique=85A0C168U4;UNIX.group=0;UNIX.mode=0777;UNIX.owner=0; _upload",
		Entry{Name: "_upload", Type: EntryDir, Size: -1, ModTime: mlsxTime(2015, time.August, 14, 17, 29, 49, 0), Precision: TimeExact, Mode: 0o777, Owner: "0", Group: "0",
			Facts: map[string]string{"modify": "20150814172949", "perm": "flcdmpe", "type": "dir", "unique": "85A0C168U4", "unix.group": "0", "unix.mode": "0777", "unix.owner": "0"}}},
	{"Modify=20150813175250;Perm=adfr;Size=951;Type=file;Unique=119FBB87UE;UNIX.group=0;UNIX.mode=0644;UNIX.owner=0; welcome.msg",
		Entry{Name: "welcome.msg", Type: EntryFile, Size: 951, ModTime: mlsxTime(2015, time.August, 13, 17, 52, 50, 0), Precision: TimeExact, Mode: 0o644, Owner: "0", Group: "0",
			Facts: map[string]string{"modify": "20150813175250", "perm": "adfr", "size": "951", "type": "file", "unique": "119FBB87UE", "unix.group": "0", "unix.mode": "0644", "unix.owner": "0"}}},
	// jlaffaye/ftp rejects this line; an odd fact drops only that fact.
	{"modify=20150806235817;invalid;UNIX.owner=0; movies",
		Entry{Name: "movies", Type: EntryFile, Size: -1, ModTime: mlsxTime(2015, time.August, 6, 23, 58, 17, 0), Precision: TimeExact, Owner: "0",
			Facts: map[string]string{"modify": "20150806235817", "unix.owner": "0"}}},
}

// Lines with facts that are empty, odd or unreadable: the fact is dropped
// and the entry keeps the rest.
var lenientMLSxTests = []mlsxCase{
	{"type=file;invalid;size=1; x", Entry{Name: "x", Type: EntryFile, Size: 1, Facts: map[string]string{"type": "file", "size": "1"}}},
	{"type=; x", Entry{Name: "x", Type: EntryOther, Size: -1, Facts: map[string]string{}}},
	{"type=dir;type=; x", Entry{Name: "x", Type: EntryOther, Size: -1, Facts: map[string]string{}}},
	{"type=file;size=abc; x", Entry{Name: "x", Type: EntryFile, Size: -1, Facts: map[string]string{"type": "file"}}},
	{"type=file;size=-1; x", Entry{Name: "x", Type: EntryFile, Size: -1, Facts: map[string]string{"type": "file"}}},
	{"type=file;size=+1; x", Entry{Name: "x", Type: EntryFile, Size: -1, Facts: map[string]string{"type": "file"}}},
	{"type=file;size=9223372036854775808; x", Entry{Name: "x", Type: EntryFile, Size: -1, Facts: map[string]string{"type": "file"}}},
	{"type=dir;sizd=; x", Entry{Name: "x", Type: EntryDir, Size: -1, Facts: map[string]string{"type": "dir"}}},
	{"type=dir;size=x;sizd=512; x", Entry{Name: "x", Type: EntryDir, Size: 512, Facts: map[string]string{"type": "dir", "sizd": "512"}}},
	{"type=file;size=7;sizd=x; x", Entry{Name: "x", Type: EntryFile, Size: 7, Facts: map[string]string{"type": "file", "size": "7"}}},
	{"type=file;modify=2025030412345; x", Entry{Name: "x", Type: EntryFile, Size: -1, Facts: map[string]string{"type": "file"}}},
	{"type=file;modify=20251304123456; x", Entry{Name: "x", Type: EntryFile, Size: -1, Facts: map[string]string{"type": "file"}}},
	{"type=file;modify=20250230123456; x", Entry{Name: "x", Type: EntryFile, Size: -1, Facts: map[string]string{"type": "file"}}},
	{"type=file;modify=20250304243456; x", Entry{Name: "x", Type: EntryFile, Size: -1, Facts: map[string]string{"type": "file"}}},
	{"type=file;modify=20250304123460; x", Entry{Name: "x", Type: EntryFile, Size: -1, Facts: map[string]string{"type": "file"}}},
	{"type=file;modify=20250304123456.; x", Entry{Name: "x", Type: EntryFile, Size: -1, Facts: map[string]string{"type": "file"}}},
	{"type=file;modify=20250304123456Z; x", Entry{Name: "x", Type: EntryFile, Size: -1, Facts: map[string]string{"type": "file"}}},
	{"type=file;modify=20250304123456.12a; x", Entry{Name: "x", Type: EntryFile, Size: -1, Facts: map[string]string{"type": "file"}}},
	{"type=file;modify=20250304123456.1234567891x; x", Entry{Name: "x", Type: EntryFile, Size: -1, Facts: map[string]string{"type": "file"}}},
	{"type=file;modify=; x", Entry{Name: "x", Type: EntryFile, Size: -1, Facts: map[string]string{"type": "file"}}},
	// Placeholder years: no file system holds them.
	{"type=file;modify=99991231235959; x", Entry{Name: "x", Type: EntryFile, Size: -1, Facts: map[string]string{"type": "file"}}},
	{"type=file;modify=00000101000000; x", Entry{Name: "x", Type: EntryFile, Size: -1, Facts: map[string]string{"type": "file"}}},
	{"type=file;UNIX.mode=0999; x", Entry{Name: "x", Type: EntryFile, Size: -1, Facts: map[string]string{"type": "file"}}},
	{"type=file;UNIX.mode=-755; x", Entry{Name: "x", Type: EntryFile, Size: -1, Facts: map[string]string{"type": "file"}}},
	{"type=file;UNIX.mode=; x", Entry{Name: "x", Type: EntryFile, Size: -1, Facts: map[string]string{"type": "file"}}},
	{"type=file;UNIX.owner=;UNIX.uid=7; x", Entry{Name: "x", Type: EntryFile, Size: -1, Owner: "7", Facts: map[string]string{"type": "file", "unix.uid": "7"}}},
	{"size=3;=odd;type=file; name ; with = and ; ", Entry{Name: "name ; with = and ; ", Type: EntryFile, Size: 3, Facts: map[string]string{"size": "3", "type": "file"}}},
	{"type=file;size=3 no semicolon", Entry{Name: "no semicolon", Type: EntryFile, Size: 3, Facts: map[string]string{"type": "file", "size": "3"}}},
}
