package ftptest

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var listNow = time.Date(2024, 6, 15, 12, 0, 0, 0, time.UTC)

// listTree builds a folder with known names, sizes, modes and times.
func listTree(t *testing.T) *Server {
	t.Helper()
	s := newServer(t, Config{Now: func() time.Time { return listNow }})
	files := []struct {
		name string
		size int
		mode fs.FileMode
		time time.Time
	}{
		{"a.txt", 5, 0o644, time.Date(2024, 6, 1, 10, 30, 0, 0, time.UTC)},
		{"old.bin", 1234, 0o600, time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC)},
		{"future", 1, 0o755, time.Date(2024, 7, 1, 0, 0, 0, 0, time.UTC)},
		{"my file.txt", 0, 0o640, time.Date(2023, 12, 24, 18, 0, 0, 0, time.UTC)},
		{".hidden", 2, 0o644, time.Date(2024, 6, 14, 9, 5, 0, 0, time.UTC)},
	}
	for _, f := range files {
		p := filepath.Join(s.Root(), f.name)
		writeFile(t, s, f.name, strings.Repeat("x", f.size))
		if err := os.Chmod(p, f.mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, f.time, f.time); err != nil {
			t.Fatal(err)
		}
	}
	dir := filepath.Join(s.Root(), "sub")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	dt := time.Date(2024, 5, 20, 8, 0, 0, 0, time.UTC)
	if err := os.Chtimes(dir, dt, dt); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("a.txt", filepath.Join(s.Root(), "link")); err != nil {
		t.Fatal(err)
	}
	return s
}

func lstat(t *testing.T, s *Server, name string) fs.FileInfo {
	t.Helper()
	st, err := os.Lstat(filepath.Join(s.Root(), name))
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func TestLIST(t *testing.T) {
	s := listTree(t)
	sub, link := lstat(t, s, "sub"), lstat(t, s, "link")
	want := strings.Join([]string{
		"-rw-r--r--    1 ftp      ftp             5 Jun  1 10:30 a.txt",
		"-rwxr-xr-x    1 ftp      ftp             1 Jul  1  2024 future",
		fmt.Sprintf("lrwxrwxrwx    1 ftp      ftp             5 %s link -> a.txt", lsTime(link.ModTime(), listNow, nil)),
		"-rw-r-----    1 ftp      ftp             0 Dec 24 18:00 my file.txt",
		"-rw-------    1 ftp      ftp          1234 Jan  2  2020 old.bin",
		fmt.Sprintf("drwxr-xr-x    2 ftp      ftp      %8d May 20 08:00 sub", sub.Size()),
		"",
	}, "\r\n")
	c := dial(t, s)
	c.login()
	for _, cmd := range []string{"LIST", "LIST /", "LIST -l", "LIST ."} {
		if got := c.list(modeEPSV, cmd); got != want {
			t.Errorf("%s:\n%s\nwant:\n%s", cmd, got, want)
		}
	}
	got := c.list(modeEPSV, "LIST -la")
	root := lstat(t, s, ".")
	dots := fmt.Sprintf("drwx------    2 ftp      ftp      %8d %s .\r\n", root.Size(), lsTime(root.ModTime(), listNow, nil))
	dots = strings.Replace(dots, "drwx------", modeString(root.Mode()), 1)
	dots += strings.Replace(dots, " .\r\n", " ..\r\n", 1)
	hidden := "-rw-r--r--    1 ftp      ftp             2 Jun 14 09:05 .hidden\r\n"
	if got != dots+hidden+want {
		t.Errorf("LIST -la:\n%s\nwant:\n%s", got, dots+hidden+want)
	}
	if got := c.list(modeEPSV, "LIST old.bin"); got != "-rw-------    1 ftp      ftp          1234 Jan  2  2020 old.bin\r\n" {
		t.Errorf("LIST file: %q", got)
	}
	if got := c.list(modePASV, "LIST sub"); got != "" {
		t.Errorf("LIST empty dir: %q", got)
	}
	c.prepare(modeEPSV)
	c.expect(550, "LIST missing")
}

// TestMissingListing450: with MissingListing450, LIST and NLST of a path
// that is not there answer as proftpd does: 150, an empty data
// connection, then 450.
func TestMissingListing450(t *testing.T) {
	s := newServer(t, Config{MissingListing450: true})
	c := dial(t, s)
	c.login()
	for cmd, name := range map[string]string{"LIST -a nope/sub": "nope/sub", "NLST nope": "nope"} {
		get := c.prepare(modeEPSV)
		c.send("%s", cmd)
		dc := get()
		c.expectReply(150)
		if b, err := io.ReadAll(dc); err != nil || len(b) != 0 {
			t.Errorf("%s: data %q, %v; want none", cmd, b, err)
		}
		if msg := c.expectReply(450); msg != name+": No such file or directory" {
			t.Errorf("%s: 450 %q", cmd, msg)
		}
	}
	c.list(modeEPSV, "LIST") // a folder that is there lists as before
}

func TestNLST(t *testing.T) {
	s := listTree(t)
	c := dial(t, s)
	c.login()
	if got := c.list(modeEPSV, "NLST"); got != "a.txt\r\nfuture\r\nlink\r\nmy file.txt\r\nold.bin\r\nsub\r\n" {
		t.Errorf("NLST: %q", got)
	}
	if got := c.list(modeEPSV, "NLST -a"); !strings.HasPrefix(got, ".\r\n..\r\n.hidden\r\na.txt\r\n") {
		t.Errorf("NLST -a: %q", got)
	}
	if got := c.list(modeEPSV, "NLST old.bin"); got != "old.bin\r\n" {
		t.Errorf("NLST file: %q", got)
	}
}

func TestMLSD(t *testing.T) {
	s := listTree(t)
	root, sub, link := lstat(t, s, "."), lstat(t, s, "sub"), lstat(t, s, "link")
	dirFacts := func(st fs.FileInfo, typ string) string {
		return fmt.Sprintf("type=%s;modify=%s;perm=%s;unix.mode=%04o;", typ, st.ModTime().UTC().Format(timeFormat), permFact(st.Mode()), unixMode(st.Mode()))
	}
	want := strings.Join([]string{
		dirFacts(root, "cdir") + " .",
		dirFacts(root, "pdir") + " ..",
		"type=file;size=2;modify=20240614090500;perm=adfwr;unix.mode=0644; .hidden",
		"type=file;size=5;modify=20240601103000;perm=adfwr;unix.mode=0644; a.txt",
		"type=file;size=1;modify=20240701000000;perm=adfwr;unix.mode=0755; future",
		// A link is listed as one, as pure-ftpd and proftpd do.
		fmt.Sprintf("type=OS.unix=slink:a.txt;modify=%s;perm=adfwr;unix.mode=0777; link", link.ModTime().UTC().Format(timeFormat)),
		"type=file;size=0;modify=20231224180000;perm=adfwr;unix.mode=0640; my file.txt",
		"type=file;size=1234;modify=20200102030405;perm=adfwr;unix.mode=0600; old.bin",
		dirFacts(sub, "dir") + " sub",
		"",
	}, "\r\n")
	c := dial(t, s)
	c.login()
	if got := c.list(modeEPSV, "MLSD"); got != want {
		t.Errorf("MLSD:\n%s\nwant:\n%s", got, want)
	}
	if !strings.HasPrefix(dirFacts(sub, "dir"), "type=dir;modify=20240520080000;perm=elcdfmp;unix.mode=0755;") {
		t.Errorf("sub facts %q", dirFacts(sub, "dir"))
	}
	c.expect(200, "OPTS MLST type;size;")
	if got := c.list(modeEPSV, "MLSD /"); !strings.Contains(got, "\r\ntype=file;size=1234; old.bin\r\ntype=dir; sub\r\n") {
		t.Errorf("MLSD with OPTS MLST:\n%s", got)
	}
	c.prepare(modeEPSV)
	c.expect(501, "MLSD old.bin")
	c.expect(501, "MLSD missing")
	if got := c.expect(250, "MLST sub"); got != "Listing /sub\n type=dir; /sub\nEnd." {
		t.Errorf("MLST: %q", got)
	}
}

func TestSTATPath(t *testing.T) {
	s := listTree(t)
	c := dial(t, s)
	c.login()
	got := c.expect(213, "STAT old.bin")
	if got != "Status follows:\n-rw-------    1 ftp      ftp          1234 Jan  2  2020 old.bin\nEnd of status" {
		t.Errorf("STAT file: %q", got)
	}
	if got := c.expect(213, "STAT /"); strings.Count(got, "\n") != 7 {
		t.Errorf("STAT dir: %q", got)
	}
	c.expect(450, "STAT missing")
}

func TestLsTime(t *testing.T) {
	now := time.Date(2024, 6, 15, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		t    time.Time
		want string
	}{
		{now, "Jun 15 12:00"},
		{now.Add(time.Second), "Jun 15  2024"}, // future
		{time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), "Jan  1 00:00"},
		{time.Date(2023, 12, 14, 0, 0, 0, 0, time.UTC), "Dec 14  2023"}, // more than half a year
		{time.Date(2024, 6, 15, 14, 0, 0, 0, time.FixedZone("CEST", 2*3600)), "Jun 15 12:00"},
	} {
		if got := lsTime(tc.t, now, nil); got != tc.want {
			t.Errorf("lsTime(%v) = %q, want %q", tc.t, got, tc.want)
		}
	}
}

func TestModeString(t *testing.T) {
	for _, tc := range []struct {
		m    fs.FileMode
		want string
	}{
		{0o644, "-rw-r--r--"},
		{fs.ModeDir | 0o755, "drwxr-xr-x"},
		{fs.ModeSymlink | 0o777, "lrwxrwxrwx"},
		{fs.ModeSetuid | 0o755, "-rwsr-xr-x"},
		{fs.ModeSetgid | 0o640, "-rw-r-S---"},
		{fs.ModeDir | fs.ModeSticky | 0o1777, "drwxrwxrwt"},
		{fs.ModeDir | fs.ModeSticky | 0o770, "drwxrwx--T"},
		{fs.ModeNamedPipe | 0o600, "prw-------"},
		{fs.ModeDevice | fs.ModeCharDevice | 0o666, "crw-rw-rw-"},
		{fs.ModeDevice | 0o660, "brw-rw----"},
		{fs.ModeSocket | 0o755, "srwxr-xr-x"},
	} {
		if got := modeString(tc.m); got != tc.want {
			t.Errorf("modeString(%v) = %q, want %q", tc.m, got, tc.want)
		}
	}
}
