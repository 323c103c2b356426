package shell

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ferry-ftp/ferry/internal/ftptest"
	"github.com/ferry-ftp/ferry/internal/testsupport"
)

func TestPromptAndFolders(t *testing.T) {
	h := newHarness(t, ftptest.Config{})
	h.write("pub/sub/x.txt", "x")
	if got, want := h.prompt(), "ftp 127.0.0.1:/> "; got != want {
		t.Fatalf("prompt %q, want %q", got, want)
	}
	waitFor(t, "the prompt on the screen", func() bool { return strings.Contains(h.screen.String(), "ftp 127.0.0.1:/> ") })
	h.runOK("cd pub/sub")
	if got, want := h.prompt(), "ftp 127.0.0.1:/pub/sub> "; got != want {
		t.Fatalf("prompt %q, want %q", got, want)
	}
	if out := h.runOK("pwd"); out != "/pub/sub\n" {
		t.Errorf("pwd printed %q", out)
	}
	h.runOK("cdup")
	if got := h.prompt(); got != "ftp 127.0.0.1:/pub> " {
		t.Errorf("after cdup the prompt is %q", got)
	}
	h.mustSend("CWD pub/sub", "PWD", "CWD ..", "PWD")
	if _, errOut := h.run("cd nowhere"); !strings.Contains(errOut, "550") {
		t.Errorf("cd to a missing folder: %q", errOut)
	}
	if got := h.prompt(); got != "ftp 127.0.0.1:/pub> " {
		t.Errorf("a failed cd changed the prompt to %q", got)
	}
}

func TestListings(t *testing.T) {
	h := newHarness(t, ftptest.Config{})
	h.write("pub/b.txt", "bb")
	h.write("pub/a.txt", "a")
	h.write("pub/.hidden", "h")
	h.write("pub/dir/x", "x")
	h.runOK("cd pub")

	if out := h.runOK("ls"); out != "a.txt\nb.txt\ndir\n" {
		t.Errorf("ls printed %q", out)
	}
	if out := h.runOK("ls -a"); !strings.Contains(out, ".hidden\n") {
		t.Errorf("ls -a printed %q", out)
	}
	out := h.runOK("ls -l")
	if !regexp.MustCompile(`(?m)^-rw-r--r-- +2 \d{4}-\d\d-\d\d \d\d:\d\d b\.txt$`).MatchString(out) ||
		!regexp.MustCompile(`(?m)^d\S+ .* dir$`).MatchString(out) {
		t.Errorf("ls -l printed %q", out)
	}
	if out := h.runOK("ls dir"); out != "x\n" {
		t.Errorf("ls dir printed %q", out)
	}
	if out := h.runOK("dir"); !regexp.MustCompile(`(?m)^-.* a\.txt$`).MatchString(out) {
		t.Errorf("dir printed %q", out)
	}
	if out := h.runOK("nlist"); !strings.Contains(out, "a.txt\n") || !strings.Contains(out, "b.txt\n") {
		t.Errorf("nlist printed %q", out)
	}
	h.mustSend("MLSD", "LIST", "NLST")
	if _, errOut := h.run("ls -x"); !strings.Contains(errOut, "unknown shorthand flag: 'x'") {
		t.Errorf("ls -x: %q", errOut)
	}
}

func TestFileCommands(t *testing.T) {
	h := newHarness(t, ftptest.Config{})
	root := h.srv.Root()
	h.write("f.txt", "12345")
	mtime := time.Date(2024, 3, 4, 5, 6, 7, 0, time.UTC)
	os.Chtimes(filepath.Join(root, "f.txt"), mtime, mtime)

	if out := h.runOK("size f.txt"); out != "5\n" {
		t.Errorf("size printed %q", out)
	}
	if out := h.runOK("modtime f.txt"); out != "2024-03-04T05:06:07Z\n" {
		t.Errorf("modtime printed %q", out)
	}
	out := h.runOK("stat f.txt")
	for _, want := range []string{"Name:     f.txt\n", "Type:     file\n", "Size:     5\n", "Modified: 2024-03-04T05:06:07Z\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("stat printed %q, want %q in it", out, want)
		}
	}
	if out := h.runOK("stat"); out == "" {
		t.Error("stat without a path printed nothing")
	}
	if out := h.runOK("cat f.txt"); out != "12345" {
		t.Errorf("cat printed %q", out)
	}
	h.runOK("chmod 600 f.txt")
	if fi, err := os.Stat(filepath.Join(root, "f.txt")); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("after chmod: %v %v", fi.Mode(), err)
	}
	if _, errOut := h.run("chmod 999 f.txt"); !strings.Contains(errOut, "not an octal mode") {
		t.Errorf("chmod 999: %q", errOut)
	}

	h.runOK("mkdir new")
	if fi, err := os.Stat(filepath.Join(root, "new")); err != nil || !fi.IsDir() {
		t.Fatalf("mkdir: %v", err)
	}
	h.runOK("rename f.txt new/g.txt")
	if testsupport.ReadFile(filepath.Join(root, "new", "g.txt")) != "12345" {
		t.Fatal("rename did not move the file")
	}
	h.runOK("mv new/g.txt new/h.txt")
	h.runOK("delete new/h.txt")
	h.runOK("rmdir new")
	if _, err := os.Stat(filepath.Join(root, "new")); !os.IsNotExist(err) {
		t.Errorf("rmdir left the folder: %v", err)
	}
	h.write("gone.txt", "g")
	h.runOK("rm gone.txt")
	h.mustSend("SIZE f.txt", "MDTM f.txt", "MLST f.txt", "STAT", "RETR f.txt", "SITE CHMOD 600 f.txt",
		"MKD new", "RNFR f.txt", "RNTO new/g.txt", "DELE new/h.txt", "RMD new", "DELE gone.txt")
	if _, errOut := h.run("delete gone.txt"); !strings.Contains(errOut, "550") {
		t.Errorf("deleting a missing file: %q", errOut)
	}
}

func TestQuoteAndSite(t *testing.T) {
	h := newHarness(t, ftptest.Config{})
	if out := h.runOK("quote SYST"); out != "215 UNIX Type: L8\n" {
		t.Errorf("quote SYST printed %q", out)
	}
	out, errOut := h.run("quote XYZZY")
	if !strings.HasPrefix(out, "5") || strings.Contains(errOut, "ferry:") {
		t.Errorf("quote XYZZY: stdout %q stderr %q (the reply is printed once, on stdout)", out, errOut)
	}
	if out := h.runOK("site help"); !strings.Contains(out, "CHMOD") {
		t.Errorf("site help printed %q", out)
	}
	h.mustSend("SYST", "XYZZY", "SITE help")
}

func TestMdelete(t *testing.T) {
	h := newHarness(t, ftptest.Config{})
	for _, n := range []string{"a.tmp", "b.tmp", "c.tmp", "keep.txt"} {
		h.write(n, n)
	}
	// Interactive shells ask: yes, no, then quit.
	h.typeKeys("mdelete *.tmp\n")
	h.waitReady()
	waitFor(t, "the question", func() bool { return strings.Contains(h.screen.String(), "delete a.tmp? [y/n/a/q]") })
	h.typeKeys("y\n")
	h.waitReady()
	h.typeKeys("n\n")
	h.waitReady()
	h.run("q")
	root := h.srv.Root()
	if testsupport.ReadFile(filepath.Join(root, "a.tmp")) != "<missing>" || testsupport.ReadFile(filepath.Join(root, "b.tmp")) == "<missing>" ||
		testsupport.ReadFile(filepath.Join(root, "c.tmp")) == "<missing>" {
		t.Fatal("mdelete with y, n, q deleted the wrong files")
	}
	// Without prompting, every match goes.
	h.runOK("prompt")
	h.runOK("mdelete *.tmp")
	if testsupport.ReadFile(filepath.Join(root, "b.tmp")) != "<missing>" || testsupport.ReadFile(filepath.Join(root, "keep.txt")) == "<missing>" {
		t.Fatal("mdelete without prompting")
	}
	if _, errOut := h.run("mdelete *.none"); !strings.Contains(errOut, "no remote file matches") {
		t.Errorf("mdelete *.none: %q", errOut)
	}
}
