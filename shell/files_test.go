package shell

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/ferry-ftp/ferry/internal/ftptest"
	"github.com/ferry-ftp/ferry/internal/testsupport"
	"github.com/ferry-ftp/ferry/transfer"
)

func TestGetAndPut(t *testing.T) {
	h := newHarness(t, ftptest.Config{})
	h.write("pub/hello.txt", "hello, world\n")
	h.runOK("cd pub")

	_, errOut := h.run("get hello.txt")
	if got := testsupport.ReadFile(filepath.Join(h.local, "hello.txt")); got != "hello, world\n" {
		t.Fatalf("get wrote %q", got)
	}
	if !strings.Contains(errOut, "1 file(s), ") {
		t.Errorf("no summary: %q", errOut)
	}
	if entries, _ := os.ReadDir(h.local); len(entries) != 1 {
		t.Errorf("files beside hello.txt: %v", entries)
	}
	h.runOK("get hello.txt other.txt")
	if testsupport.ReadFile(filepath.Join(h.local, "other.txt")) != "hello, world\n" {
		t.Error("get REMOTE LOCAL")
	}
	os.Mkdir(filepath.Join(h.local, "sub"), 0o755)
	h.runOK("get /pub/hello.txt sub")
	if testsupport.ReadFile(filepath.Join(h.local, "sub", "hello.txt")) != "hello, world\n" {
		t.Error("get into a local folder")
	}
	if _, errOut := h.run("get missing.txt"); !strings.Contains(errOut, "missing.txt:") || !strings.Contains(errOut, "550") {
		t.Errorf("get of a missing file: %q", errOut)
	}
	if _, err := os.Stat(filepath.Join(h.local, "missing.txt")); !os.IsNotExist(err) {
		t.Error("a failed get left a file")
	}

	h.writeLocal("up.txt", "uploaded\n")
	h.runOK("put up.txt")
	h.runOK("put up.txt renamed.txt")
	h.runOK("mkdir in")
	h.runOK("put up.txt in/")
	h.writeLocal("up2.txt", "uploaded\n")
	h.runOK("put up2.txt in") // an existing folder, without the slash
	for _, p := range []string{"pub/up.txt", "pub/renamed.txt", "pub/in/up.txt", "pub/in/up2.txt"} {
		if got := testsupport.ReadFile(filepath.Join(h.srv.Root(), p)); got != "uploaded\n" {
			t.Errorf("%s holds %q", p, got)
		}
	}
	up := filepath.Join(h.local, "up.txt")
	h.mustSend("RETR /pub/hello.txt", "STOR "+uploadTemp(t, up, "up.txt"), "RNFR "+uploadTemp(t, up, "up.txt"), "RNTO up.txt",
		"STOR /pub/"+uploadTemp(t, up, "renamed.txt"), "STOR /pub/in/"+uploadTemp(t, up, "up.txt"))
	if _, errOut := h.run("put nothing.txt"); !strings.Contains(errOut, "local open") {
		t.Errorf("put of a missing file: %q", errOut)
	}
}

func TestRegetAndReput(t *testing.T) {
	h := newHarness(t, ftptest.Config{})
	data := bytes.Repeat([]byte("0123456789"), 1000)
	h.write("big.bin", string(data))
	h.writeLocal(h.tempName("big.bin", "big.bin"), string(data[:4000]))
	h.runOK("reget big.bin")
	if got := testsupport.ReadFile(filepath.Join(h.local, "big.bin")); got != string(data) {
		t.Fatalf("reget gave %d bytes", len(got))
	}
	h.mustSend("REST 4000", "RETR big.bin")

	h.writeLocal("up.bin", string(data))
	parked := parkedTemp(t, filepath.Join(h.local, "up.bin"), "up.bin")
	tmp := uploadTemp(t, filepath.Join(h.local, "up.bin"), "up.bin")
	h.write(parked, string(data[:3000]))
	h.runOK("reput up.bin")
	if got := testsupport.ReadFile(filepath.Join(h.srv.Root(), "up.bin")); got != string(data) {
		t.Fatalf("reput gave %d bytes", len(got))
	}
	h.mustSend("RNFR "+parked, "RNTO "+tmp, "REST 3000", "STOR "+tmp, "RNFR "+tmp, "RNTO up.bin")
}

// uploadTemp returns the temporary name on the server under which this
// process uploads the local file local to the base name remote.
func uploadTemp(t *testing.T, local, remote string) string {
	t.Helper()
	name, _ := localSource(t, local).ProcessName(remote, nil)
	return name
}

// parkedTemp returns the temporary name on the server under which a
// partial upload of the local file local to the base name remote waits
// for a later process to resume it.
func parkedTemp(t *testing.T, local, remote string) string {
	t.Helper()
	name, _ := transfer.TempName(remote, localSource(t, local), nil)
	return name
}

// localSource returns the identity of the local file local.
func localSource(t *testing.T, local string) transfer.Source {
	t.Helper()
	fi, err := os.Stat(local)
	if err != nil {
		t.Fatal(err)
	}
	abs, _ := filepath.Abs(local)
	return transfer.Source{Site: "local", Path: abs, Size: fi.Size(), ModTime: fi.ModTime()}
}

func TestMgetRefusesHostileNames(t *testing.T) {
	listing := "type=file;size=2; a\\b.txt\r\n" +
		"type=file;size=2; |cmd.txt\r\n" +
		"type=file;size=2; bad\x01.txt\r\n" +
		"type=file;size=2; ok.txt\r\n" +
		"type=dir; d.txt\r\n"
	h := newHarness(t, ftptest.Config{Hook: func(c ftptest.Command) *ftptest.Reply {
		if c.Verb == "MLSD" {
			return &ftptest.Reply{Transfer: &ftptest.Transfer{Data: []byte(listing)}}
		}
		return nil
	}})
	h.write("ok.txt", "ok")
	h.runOK("prompt")
	_, errOut := h.run("mget *.txt")
	for _, name := range []string{`a\b.txt`, "|cmd.txt", `bad\x01.txt`} {
		if !strings.Contains(errOut, name) {
			t.Errorf("no refusal of %s: %q", name, errOut)
		}
	}
	// The folder d.txt is no file: skipped and reported.
	if !strings.Contains(errOut, "3 of 4 items failed, 1 skipped") || !strings.Contains(errOut, "skipped d.txt: a folder") {
		t.Errorf("no partial failure: %q", errOut)
	}
	if testsupport.ReadFile(filepath.Join(h.local, "ok.txt")) != "ok" {
		t.Error("ok.txt was not downloaded")
	}
	entries, _ := os.ReadDir(h.local)
	if len(entries) != 1 {
		t.Errorf("local folder holds %d entries, want only ok.txt", len(entries))
	}
	for _, c := range h.srv.Commands() {
		if strings.HasPrefix(c, "RETR") && c != "RETR ok.txt" {
			t.Errorf("sent %q", c)
		}
	}
}

func TestCheckLocalName(t *testing.T) {
	for _, name := range []string{"", ".", "..", "a/b", `a\b`, "|x", "a\x00b", "a\nb", "a\x7fb", "a\x1bb"} {
		err := transfer.CheckName(name)
		var le *transfer.LocalError
		if !errors.As(err, &le) {
			t.Errorf("transfer.CheckName(%q) = %v, want a LocalError", name, err)
		}
	}
	for _, name := range []string{"a.txt", "a b", "ünïcode", "a|b", "..a", "-x"} {
		if err := transfer.CheckName(name); err != nil {
			t.Errorf("transfer.CheckName(%q) = %v", name, err)
		}
	}
}

func TestMgetAndMputAsk(t *testing.T) {
	h := newHarness(t, ftptest.Config{})
	for _, n := range []string{"a.txt", "b.txt", "c.txt", "d.txt"} {
		h.write("in/"+n, n)
	}
	h.runOK("cd in")
	// y, n, then a: the rest without asking.
	h.typeKeys("mget *.txt\n")
	h.waitReady()
	waitFor(t, "the question", func() bool {
		return strings.Contains(h.screen.String(), "mget /in/a.txt? [y/n/a/q]")
	})
	h.typeKeys("y\n")
	h.waitReady()
	h.typeKeys("n\n")
	h.waitReady()
	h.run("a")
	want := map[string]string{"a.txt": "a.txt", "b.txt": "<missing>", "c.txt": "c.txt", "d.txt": "d.txt"}
	for n, w := range want {
		if got := testsupport.ReadFile(filepath.Join(h.local, n)); got != w {
			t.Errorf("after mget %s holds %q, want %q", n, got, w)
		}
	}

	h.runOK("lcd ~")
	h.writeLocal("x1.log", "1")
	h.writeLocal("x2.log", "2")
	h.typeKeys("mput *.log\n")
	h.waitReady()
	h.run("q")
	if testsupport.ReadFile(filepath.Join(h.srv.Root(), "in", "x1.log")) != "<missing>" {
		t.Error("mput uploaded after q")
	}
	h.runOK("prompt")
	h.runOK("mput *.log")
	for _, n := range []string{"x1.log", "x2.log"} {
		if testsupport.ReadFile(filepath.Join(h.srv.Root(), "in", n)) == "<missing>" {
			t.Errorf("mput did not upload %s", n)
		}
	}
	if _, errOut := h.run("mput *.none"); !strings.Contains(errOut, "no local file matches") {
		t.Errorf("mput *.none: %q", errOut)
	}
}

// TestInterruptTransfer holds a download with the server paused, sends
// the shell an interrupt, and checks that the transfer was aborted, the
// partial file kept, the shell still connected, and reget completes it.
func TestInterruptTransfer(t *testing.T) {
	const pauseAt = 300_000
	var once sync.Once
	h := newHarness(t, ftptest.Config{Hook: func(c ftptest.Command) *ftptest.Reply {
		var r *ftptest.Reply
		if c.Verb == "RETR" {
			once.Do(func() { r = &ftptest.Reply{Transfer: &ftptest.Transfer{Pause: true, PauseAfter: pauseAt}} })
		}
		return r
	}})
	data := bytes.Repeat([]byte("0123456789abcdef"), 100_000)
	h.write("big.bin", string(data))
	partName := h.tempName("big.bin", "big.bin")
	part := filepath.Join(h.local, partName)

	h.typeKeys("get big.bin\n")
	waitFor(t, "the paused transfer", func() bool {
		fi, err := os.Stat(part)
		return err == nil && fi.Size() == pauseAt
	})
	h.sigs <- os.Interrupt
	h.waitReady()
	errOut := h.errOut.String()
	if !strings.Contains(errOut, partName+" keeps 300000 bytes: get -c (reget in the shell) resumes it\n") {
		t.Errorf("stderr after the interrupt: %q", errOut)
	}
	if fi, err := os.Stat(part); err != nil || fi.Size() != pauseAt {
		t.Fatalf("the partial file was not kept: %v", err)
	}
	if !h.sent("ABOR") {
		t.Errorf("no ABOR: %q", h.srv.Commands())
	}
	h.runOK("pwd")
	h.runOK("reget big.bin")
	if got := testsupport.ReadFile(filepath.Join(h.local, "big.bin")); got != string(data) {
		t.Fatalf("reget gave %d bytes", len(got))
	}
	h.mustSend("ABOR", "REST 300000")
}
