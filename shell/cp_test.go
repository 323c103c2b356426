package shell

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ferry-ftp/ferry/internal/ftptest"
)

// cp between the open server and another: a path on the open server and a
// URL, either way; into the remote folder when TARGET is left out; and
// between two URLs without an open connection. The other servers' sessions
// end with the command, and a URL's password never shows.
func TestCp(t *testing.T) {
	h := newHarness(t, ftptest.Config{})
	h.write("pub/a.txt", "alpha")
	other := ftptest.New(t, ftptest.Config{})
	url := "ftp://user:pass@" + other.Addr() + "/"
	h.runOK("cd pub")

	h.runOK("cp a.txt " + url + "copy.txt")
	readServer(t, other, "copy.txt", "alpha")
	h.runOK("cp --no-fxp " + url + "copy.txt back.txt")
	readServer(t, h.srv, "pub/back.txt", "alpha")
	h.runOK("cp " + url + "copy.txt")
	readServer(t, h.srv, "pub/copy.txt", "alpha")
	if out := h.runOK("ls"); out != "a.txt\nback.txt\ncopy.txt\n" {
		t.Errorf("ls after cp printed %q (the listing cache was not refreshed?)", out)
	}
	h.runOK("cp a.txt sub-a.txt")
	readServer(t, h.srv, "pub/sub-a.txt", "alpha")
	if _, errOut := h.run("cp " + url + "missing.txt x.txt"); !strings.Contains(errOut, "550") || strings.Contains(errOut, "pass@") {
		t.Errorf("cp of a missing file: %q", errOut)
	}
	if !other.WaitSessions(10 * time.Second) {
		t.Fatal("the other server's sessions did not end")
	}
	for i, cmds := range otherSessions(other) {
		if cmds[len(cmds)-1] != "QUIT" {
			t.Errorf("session %d of the other server did not end with QUIT: %q", i+1, cmds)
		}
	}

	h.runOK("close")
	third := ftptest.New(t, ftptest.Config{})
	h.runOK("cp " + url + "copy.txt ftp://user:pass@" + third.Addr() + "/")
	readServer(t, third, "copy.txt", "alpha")
	if _, errOut := h.run("cp a.txt " + url); !strings.Contains(errOut, "not connected") {
		t.Errorf("cp of a path with no open connection: %q", errOut)
	}
	if out := strings.Join(strings.Fields(h.runOK("help cp")), " "); !strings.Contains(out, "cp URL URL between two other servers") || !strings.Contains(out, "--no-fxp") {
		t.Errorf("help cp printed %q", out)
	}
}

// readServer checks a file on a test server.
func readServer(t *testing.T, srv *ftptest.Server, name, want string) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(srv.Root(), filepath.FromSlash(name)))
	if err != nil || string(b) != want {
		t.Errorf("%s holds %q (%v), want %q", name, b, err, want)
	}
}

// otherSessions returns the commands of each session of srv.
func otherSessions(srv *ftptest.Server) [][]string {
	var out [][]string
	for i := 1; ; i++ {
		cmds := srv.SessionCommands(i)
		if cmds == nil {
			return out
		}
		out = append(out, cmds)
	}
}
