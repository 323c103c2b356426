package ftptest

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestDirectories(t *testing.T) {
	s := newServer(t, Config{})
	c := dial(t, s)
	c.login()
	if got := c.expect(257, "MKD a"); got != `"/a" created` {
		t.Errorf("MKD: %q", got)
	}
	if got := c.expect(257, `MKD a/say "hi"`); got != `"/a/say ""hi""" created` {
		t.Errorf("MKD with quotes: %q", got)
	}
	c.expect(550, "MKD a")
	c.expect(550, "MKD missing/b")
	c.expect(250, "CWD a")
	c.expect(250, `CWD say "hi"`)
	if got := c.expect(257, "PWD"); got != `"/a/say ""hi""" is the current directory` {
		t.Errorf("PWD: %q", got)
	}
	c.expect(250, "CDUP")
	c.expect(250, "XCUP")
	c.expect(250, "CDUP") // ".." of "/" is "/"
	if got := c.expect(257, "XPWD"); got != `"/" is the current directory` {
		t.Errorf("XPWD: %q", got)
	}
	c.expect(550, "CWD nowhere")
	writeFile(t, s, "file", "x")
	c.expect(550, "CWD file")
	c.expect(501, "CWD")
	c.expect(550, "RMD a") // not empty
	c.expect(550, "RMD file")
	c.expect(550, "RMD /")
	c.expect(250, `RMD /a/say "hi"`)
	c.expect(250, "XRMD a")
	if _, err := os.Stat(filepath.Join(s.Root(), "a")); !os.IsNotExist(err) {
		t.Errorf("a still exists: %v", err)
	}
}

func TestDeleteRename(t *testing.T) {
	s := newServer(t, Config{})
	writeFile(t, s, "old", "content")
	writeFile(t, s, "dir/keep", "k")
	c := dial(t, s)
	c.login()
	c.expect(503, "RNTO new")
	c.expect(550, "RNFR missing")
	c.expect(350, "RNFR old")
	c.expect(250, "RNTO dir/new")
	if got := readFile(t, s, "dir/new"); got != "content" {
		t.Errorf("renamed file: %q", got)
	}
	// RNTO must follow RNFR at once.
	c.expect(350, "RNFR dir/new")
	c.expect(200, "NOOP")
	c.expect(503, "RNTO back")
	c.expect(350, "RNFR dir/new")
	c.expect(550, "RNTO nodir/x")
	c.expect(550, "RNFR /")
	c.expect(550, "DELE dir")
	c.expect(550, "DELE missing")
	c.expect(250, "DELE dir/new")
	if _, err := os.Stat(filepath.Join(s.Root(), "dir", "new")); !os.IsNotExist(err) {
		t.Errorf("dir/new still exists: %v", err)
	}
}

func TestFileFacts(t *testing.T) {
	s := newServer(t, Config{})
	writeFile(t, s, "f.txt", "hello")
	mtime := time.Date(2023, 4, 5, 6, 7, 8, 0, time.UTC)
	if err := os.Chtimes(filepath.Join(s.Root(), "f.txt"), mtime, mtime); err != nil {
		t.Fatal(err)
	}
	c := dial(t, s)
	c.login()
	c.expect(200, "TYPE I")
	if got := c.expect(213, "SIZE f.txt"); got != "5" {
		t.Errorf("SIZE: %q", got)
	}
	c.expect(550, "SIZE missing")
	c.expect(550, "SIZE /")
	if got := c.expect(213, "MDTM f.txt"); got != "20230405060708" {
		t.Errorf("MDTM: %q", got)
	}
	c.expect(550, "MDTM /")
	if got := c.expect(213, "MFMT 20200102030405 f.txt"); got != "Modify=20200102030405; f.txt" {
		t.Errorf("MFMT: %q", got)
	}
	if got := c.expect(213, "MDTM /f.txt"); got != "20200102030405" {
		t.Errorf("MDTM after MFMT: %q", got)
	}
	c.expect(501, "MFMT 2020 f.txt")
	c.expect(501, "MFMT 20200102030405")
	c.expect(550, "MFMT 20200102030405 missing")
	want := "SHA-256 0-5 2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824 f.txt"
	if got := c.expect(213, "HASH f.txt"); got != want {
		t.Errorf("HASH: %q", got)
	}
	c.expect(550, "HASH missing")
	c.expect(200, "OPTS HASH SHA-256")
	c.expect(501, "OPTS HASH MD5")

	c.expect(200, "SITE CHMOD 600 f.txt")
	if st, err := os.Stat(filepath.Join(s.Root(), "f.txt")); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("after SITE CHMOD: %v %v", st.Mode(), err)
	}
	c.expect(501, "SITE CHMOD 999 f.txt")
	c.expect(550, "SITE CHMOD 644 missing")
	c.expect(214, "SITE HELP")
	c.expect(500, "SITE EXEC ls")

	if got := c.expect(250, "MLST f.txt"); got != "Listing /f.txt\n type=file;size=5;modify=20200102030405;perm=adfwr;unix.mode=0600; /f.txt\nEnd." {
		t.Errorf("MLST: %q", got)
	}
	c.expect(550, "MLST missing")
}

// Paths stay inside the served folder whatever the client sends.
func TestPathConfinement(t *testing.T) {
	outside := t.TempDir()
	if err := os.WriteFile(filepath.Join(outside, "secret"), []byte("secret"), 0o644); err != nil {
		t.Fatal(err)
	}
	s := newServer(t, Config{})
	writeFile(t, s, "etc/passwd", "inside")
	if err := os.Symlink(outside, filepath.Join(s.Root(), "escape")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("etc", filepath.Join(s.Root(), "inner")); err != nil {
		t.Fatal(err)
	}
	c := dial(t, s)
	c.login()
	c.expect(200, "TYPE I")
	for _, p := range []string{"../../etc/passwd", "/etc/passwd", "/../../../etc/passwd", "etc/../../etc/passwd", "inner/passwd"} {
		if got := c.retr(modeEPSV, p); got != "inside" {
			t.Errorf("RETR %s: %q", p, got)
		}
	}
	c.expect(250, "CWD ../../..")
	if got := c.expect(257, "PWD"); got != `"/" is the current directory` {
		t.Errorf("PWD: %q", got)
	}
	c.prepare(modeEPSV)
	c.expect(550, "RETR escape/secret")
	c.expect(553, "STOR escape/new")
	c.expect(550, "CWD escape")
	c.expect(550, "SIZE escape/secret")
	c.expect(550, "DELE escape/secret")
	c.expect(550, "RNFR escape/secret")
	c.expect(550, "MFMT 20200102030405 escape/secret")
	c.expect(550, "SITE CHMOD 777 escape/secret")
	c.expect(550, "MKD escape/sub")
	c.expect(550, "LIST escape/")
	c.expect(350, "RNFR etc/passwd")
	c.expect(550, "RNTO escape/passwd")
	if got := readFile(t, s, "etc/passwd"); got != "inside" {
		t.Errorf("inside file: %q", got)
	}
	entries, err := os.ReadDir(outside)
	if err != nil || len(entries) != 1 {
		t.Errorf("outside folder changed: %v %v", entries, err)
	}
}
