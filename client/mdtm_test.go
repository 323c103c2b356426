package client

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ferry-ftp/ferry/internal/ftptest"
)

// TestModTimes asks MDTM for several files at once: each gets its time or
// its own error, in order, and the connection goes on in step.
func TestModTimes(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{})
	want := map[string]time.Time{
		"a": time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC),
		"b": time.Date(2021, 6, 7, 8, 9, 10, 0, time.UTC),
	}
	for name, tm := range want {
		writeFile(t, srv, name, []byte(name))
		if err := os.Chtimes(filepath.Join(srv.Root(), name), tm, tm); err != nil {
			t.Fatal(err)
		}
	}
	c := dialLogin(t, srv)
	times, errs, err := c.ModTimes(testCtx(t), []string{"a", "missing", "b"})
	if err != nil {
		t.Fatal(err)
	}
	if !times[0].Equal(want["a"]) || !times[2].Equal(want["b"]) || errs[0] != nil || errs[2] != nil {
		t.Errorf("times %v, errors %v", times, errs)
	}
	if ReplyCode(errs[1]) != 550 || !times[1].IsZero() {
		t.Errorf("missing file: %v, %v", times[1], errs[1])
	}
	if err := c.Noop(testCtx(t)); err != nil {
		t.Fatalf("NOOP after ModTimes: %v", err)
	}
	// The batch ends with a NOOP of its own (see askEach).
	matchCommands(t, srv.SessionCommands(1), []string{"USER user", "PASS pass", "MDTM a", "MDTM missing", "MDTM b", "NOOP", "NOOP"})

	if _, _, err := c.ModTimes(testCtx(t), []string{"ok", "bad\r\nDELE a"}); err == nil {
		t.Error("a path with CR LF was accepted")
	}
	if _, _, err := c.ModTimes(testCtx(t), make([]string, MaxModTimes+1)); err == nil {
		t.Error("too many paths were accepted")
	}
	if n := len(srv.SessionCommands(1)); n != 7 {
		t.Errorf("refused calls sent commands: %q", srv.SessionCommands(1)[7:])
	}
}

// TestModTimes421 shows a 421 among the replies ending the call with a
// connection error.
func TestModTimes421(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{Hook: hookVerb("MDTM", 2, &ftptest.Reply{Code: 421, Text: "Bye."})})
	writeFile(t, srv, "a", []byte("a"))
	c := dialLogin(t, srv)
	_, _, err := c.ModTimes(testCtx(t), []string{"a", "a", "a"})
	if KindOf(err) != KindConnection || c.Err() == nil {
		t.Fatalf("ModTimes = %v, want a connection error", err)
	}
}
