package shell

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ferry-ftp/ferry/internal/ftptest"
)

// secret is a password no other text of a test holds.
const secret = "Zq7-s3kr1t.P4ss"

// TestShellNeverShowsPassword types every way of giving the shell a
// password, with the protocol trace on, and checks that the password
// appears nowhere: not on stdout, stderr (trace, messages, errors), nor
// in the history file, and that the history still recalls
// the commands.
func TestShellNeverShowsPassword(t *testing.T) {
	file := filepath.Join(t.TempDir(), "state", "history")
	h := startHarness(t, ftptest.Config{Users: map[string]string{"user": secret}}, false, func(c *Config) { c.HistoryFile = file })
	h.write("f.txt", "f")
	url := "ftp://user:" + secret + "@" + h.srv.Addr() + "/"
	for _, line := range []string{
		"verbose",
		"open " + url,
		"ls",
		"user user " + secret,
		"user user wrong-" + secret, // refused: the error must not show it
		"user user " + secret,
		"quote PASS " + secret,
		"quote acct " + secret,
		"-get missing", // a batch prefix and a failing command
		"open ftp://user:" + secret + "@127.0.0.1:1/",             // cannot connect
		"open ftp://user:" + secret + "%zz@" + h.srv.Addr() + "/", // does not parse
	} {
		h.run(line)
	}
	h.typeKeys("bye\n")
	<-h.done
	h.done <- nil
	// (The screen echoes what was typed, as any line editor does.)
	for name, text := range map[string]string{"stdout": h.out.String(), "stderr": h.errOut.String()} {
		if strings.Contains(text, secret) {
			t.Errorf("the %s shows the password:\n%s", name, text)
		}
	}
	if !strings.Contains(h.errOut.String(), "> PASS ****") {
		t.Errorf("the trace does not show the masked PASS:\n%s", h.errOut.String())
	}
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	hist := string(b)
	if strings.Contains(hist, secret) {
		t.Errorf("the history holds the password:\n%s", hist)
	}
	for _, want := range []string{"open ftp://user@" + h.srv.Addr() + "\n", "user user\n", "ls\n"} {
		if !strings.Contains(hist, want) {
			t.Errorf("the history lacks %q:\n%s", want, hist)
		}
	}
}
