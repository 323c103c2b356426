package shell

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ferry-ftp/ferry/internal/ftptest"
	"github.com/ferry-ftp/ferry/internal/testsupport"
	"github.com/ferry-ftp/ferry/ops"
)

func TestLocalCommands(t *testing.T) {
	h := startHarness(t, ftptest.Config{}, false)
	h.writeLocal("d/x.txt", "x")
	h.writeLocal("y.txt", "y")
	if out := h.runOK("lpwd"); out != h.local+"\n" {
		t.Errorf("lpwd printed %q", out)
	}
	if out := h.runOK("lls"); out != "d/\ny.txt\n" {
		t.Errorf("lls printed %q", out)
	}
	h.runOK("lcd d")
	if out := h.runOK("lpwd"); out != filepath.Join(h.local, "d")+"\n" {
		t.Errorf("lpwd after lcd printed %q", out)
	}
	if out := h.runOK("lls"); out != "x.txt\n" {
		t.Errorf("lls in d printed %q", out)
	}
	if out := h.runOK("!cat x.txt; echo done"); out != "xdone\n" {
		t.Errorf("! printed %q", out)
	}
	if _, errOut := h.run("!exit 3"); !strings.Contains(errOut, "exit status 3") {
		t.Errorf("!exit 3: %q", errOut)
	}
	if _, errOut := h.run("lcd nowhere"); !strings.Contains(errOut, "local change to") {
		t.Errorf("lcd nowhere: %q", errOut)
	}
	h.runOK("lcd")
	if out := h.runOK("lpwd"); out != h.local+"\n" {
		t.Errorf("lcd without a folder went to %q, want the home folder", out)
	}
	// Nothing here needs the server.
	if h.srv.Sessions() != 0 {
		t.Errorf("local commands opened %d sessions", h.srv.Sessions())
	}
}

func TestHelp(t *testing.T) {
	h := startHarness(t, ftptest.Config{}, false)
	out := h.runOK("help")
	for _, c := range commands {
		if !strings.Contains(out, "  "+c.name) {
			t.Errorf("help does not list %s", c.name)
		}
		detail := h.runOK("help " + c.name)
		if !strings.HasPrefix(detail, "usage: "+c.usage+"\n") || c.op != "" && !strings.Contains(detail, "As ferry "+c.op+" --help explains it") {
			t.Errorf("help %s printed %q", c.name, detail)
		}
		for _, a := range c.aliases {
			if got := h.runOK("help " + a); got != detail {
				t.Errorf("help %s differs from help %s", a, c.name)
			}
		}
		if c.help == "" || c.short == "" || !strings.HasSuffix(c.help, ".") {
			t.Errorf("%s: help must be a paragraph of full sentences", c.name)
		}
	}
	if got := h.runOK("?"); got != out {
		t.Error("? differs from help")
	}
	if _, errOut := h.run("help nothing"); !strings.Contains(errOut, `no command "nothing"`) {
		t.Errorf("help nothing: %q", errOut)
	}
	if _, errOut := h.run("frob"); !strings.Contains(errOut, `unknown command "frob"`) {
		t.Errorf("frob: %q", errOut)
	}
	if _, errOut := h.run("get"); !strings.Contains(errOut, "usage: get [FLAGS] REMOTE [LOCAL|-]") {
		t.Errorf("get without arguments: %q", errOut)
	}
}

// TestEveryCommandIsTested keeps this file's claim honest: each entry of
// the table is run by some test of the package.
func TestEveryCommandIsTested(t *testing.T) {
	src, err := os.ReadFile("remote_test.go")
	if err != nil {
		t.Fatal(err)
	}
	var all strings.Builder
	all.Write(src)
	for _, f := range []string{"files_test.go", "session_test.go", "local_test.go", "input_test.go", "tree_test.go", "cp_test.go"} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		all.Write(b)
	}
	text := all.String()
	for _, c := range commands {
		for _, name := range append([]string{c.name}, c.aliases...) {
			if name == "bin" || name == "image" {
				continue
			}
			if !strings.Contains(text, `"`+name+` `) && !strings.Contains(text, `"`+name+`"`) && !strings.Contains(text, `"`+name+`\n`) {
				t.Errorf("no test runs %q", name)
			}
		}
	}
}

func TestByeAndEOF(t *testing.T) {
	for _, line := range []string{"bye", "quit", "exit"} {
		h := newHarness(t, ftptest.Config{})
		h.typeKeys(line + "\n")
		select {
		case err := <-h.done:
			if err != nil {
				t.Errorf("%s: Run returned %v", line, err)
			}
		case <-time.After(waitLimit):
			t.Fatalf("%s did not end the shell", line)
		}
		h.done <- nil // for the cleanup
		waitFor(t, "QUIT", func() bool { return h.sent("QUIT") })
	}
	// Ctrl-C clears the line being typed; Ctrl-D leaves.
	h := newHarness(t, ftptest.Config{})
	h.typeKeys("delete something\x03")
	h.waitReady()
	h.typeKeys("\x04")
	select {
	case err := <-h.done:
		if err != nil {
			t.Errorf("Ctrl-D: Run returned %v", err)
		}
	case <-time.After(waitLimit):
		t.Fatal("Ctrl-D did not end the shell")
	}
	h.done <- nil
	if h.sent("DELE something") {
		t.Error("Ctrl-C did not clear the line")
	}
}

// TestBatch runs scripts: the echo, comments, the stop at the first
// failure and the "-" prefix.
func TestBatch(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{})
	testsupport.WriteFile(t, filepath.Join(srv.Root(), "f.txt"), "f")
	url := "ftp://user:pass@" + srv.Addr() + "/"
	run := func(script string, quiet bool) (string, string, error) {
		var out, errOut strings.Builder
		sh, err := New(Config{Open: testOpen(nil), Script: strings.NewReader(script), Stdout: &out, Stderr: &errOut,
			Quiet: quiet, Dir: t.TempDir()})
		if err != nil {
			t.Fatal(err)
		}
		err = sh.Run(context.Background(), url)
		return out.String(), errOut.String(), err
	}
	out, errOut, err := run("# a comment\n\nsize f.txt\n-get missing\nls\n", false)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if out != "1\nf.txt\n" {
		t.Errorf("stdout %q", out)
	}
	for _, want := range []string{"ftp> size f.txt\n", "ftp> -get missing\n", "550", "ftp> ls\n"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr %q lacks %q", errOut, want)
		}
	}
	if strings.Contains(errOut, "comment") {
		t.Errorf("a comment was echoed: %q", errOut)
	}
	out, errOut, err = run("get missing\nls\n", true)
	if err == nil || out != "" || strings.Contains(errOut, "ftp>") {
		t.Errorf("stop at the first failure: err %v, stdout %q, stderr %q", err, out, errOut)
	}
	_, _, err = run("mget *.none\n", true)
	if !errors.Is(err, ops.ErrNoMatch) {
		t.Errorf("mget *.none returned %v", err)
	}
	_, _, err = run("rename a\n", true)
	var ue *ops.UsageError
	if !errors.As(err, &ue) {
		t.Errorf("a usage error returned %v", err)
	}
	// Without a trailing newline the last line still runs.
	if out, _, _ = run("size f.txt", true); out != "1\n" {
		t.Errorf("last line without a newline: %q", out)
	}
	// An interrupt ends a script.
	sigs := make(chan os.Signal, 1)
	pr, pw := io.Pipe()
	sh, _ := New(Config{Open: testOpen(nil), Script: pr, Signals: sigs, Quiet: true, Dir: t.TempDir()})
	done := make(chan error, 1)
	go func() { done <- sh.Run(context.Background(), url) }()
	io.WriteString(pw, "pwd\n")
	sigs <- os.Interrupt
	go io.WriteString(pw, "pwd\n") // the shell may stop before reading it
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("interrupted script returned %v", err)
		}
	case <-time.After(waitLimit):
		t.Fatal("the interrupt did not end the script")
	}
	pw.Close()
}
