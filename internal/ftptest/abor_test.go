package ftptest

import (
	"io"
	"strings"
	"testing"
)

// pauseHook makes RETR send PauseAfter bytes and then hold the data
// connection, so that a test can send ABOR while the transfer runs.
func pauseHook(after int64) func(Command) *Reply {
	return func(c Command) *Reply {
		if c.Verb == "RETR" {
			return &Reply{Transfer: &Transfer{Pause: true, PauseAfter: after}}
		}
		return nil
	}
}

func TestABORDuringRETR(t *testing.T) {
	s := newServer(t, Config{Hook: pauseHook(10)})
	writeFile(t, s, "f", strings.Repeat("y", 100))
	c := dial(t, s)
	c.login()
	c.expect(200, "TYPE I")
	get := c.prepare(modeEPSV)
	c.send("RETR f")
	dc := get()
	c.expectReply(150)
	if _, err := io.ReadFull(dc, make([]byte, 10)); err != nil {
		t.Fatal(err)
	}
	if msg := c.expect(213, "STAT"); msg != "Status: transfer in progress, 10 bytes moved." {
		t.Errorf("STAT during transfer: %q", msg)
	}
	c.send("\xff\xf4\xff\xf2ABOR") // Telnet IP and Synch, as RFC 959 asks
	c.expectReply(426)
	c.expectReply(226)
	if b, _ := io.ReadAll(dc); len(b) != 0 {
		t.Errorf("data after ABOR: %q", b)
	}
	// The session goes on.
	c.expect(257, "PWD")
	if got := c.SessionCmd(-2); got != "\xff\xf4\xff\xf2ABOR" {
		t.Errorf("raw ABOR recorded as %q", got)
	}
	if d := s.DataConns(); len(d) != 1 || d[0].Bytes != 10 {
		t.Errorf("DataConns %+v", d)
	}
}

// SessionCmd returns the recorded command i of session 1 (negative counts
// from the end).
func (c *client) SessionCmd(i int) string {
	cmds := c.srv.SessionCommands(1)
	if i < 0 {
		i += len(cmds)
	}
	return cmds[i]
}

func TestABORDuringSTOR(t *testing.T) {
	s := newServer(t, Config{})
	c := dial(t, s)
	c.login()
	get := c.prepare(modePORT)
	c.send("STOR f")
	dc := get()
	c.expectReply(150)
	if _, err := io.WriteString(dc, "partial"); err != nil {
		t.Fatal(err)
	}
	c.send("ABOR")
	c.expectReply(426)
	c.expectReply(226)
	c.expect(200, "NOOP")
}

// ABOR while the server waits for the passive data connection.
func TestABORBeforeDataConnection(t *testing.T) {
	s := newServer(t, Config{})
	writeFile(t, s, "f", "x")
	c := dial(t, s)
	c.login()
	c.expect(229, "EPSV") // never connected
	c.send("RETR f")
	c.send("ABOR")
	c.expectReply(426)
	c.expectReply(226)
	c.expect(225, "ABOR")
}

// ABOR after the transfer completed gets 226 alone (RFC 959 4.1.3).
func TestABORAfterTransfer(t *testing.T) {
	s := newServer(t, Config{})
	writeFile(t, s, "f", "x")
	c := dial(t, s)
	c.login()
	if got := c.retr(modeEPSV, "f"); got != "x" {
		t.Errorf("RETR %q", got)
	}
	c.expect(225, "ABOR")
}

// A pause at the end holds the data connection open after the last byte.
func TestPauseAtEnd(t *testing.T) {
	s := newServer(t, Config{Hook: pauseHook(1 << 30)})
	writeFile(t, s, "f", "whole file")
	c := dial(t, s)
	c.login()
	get := c.prepare(modeEPSV)
	c.send("RETR f")
	dc := get()
	c.expectReply(150)
	b := make([]byte, len("whole file"))
	if _, err := io.ReadFull(dc, b); err != nil || string(b) != "whole file" {
		t.Fatalf("read %q, %v", b, err)
	}
	c.send("ABOR")
	c.expectReply(426)
	c.expectReply(226)
}
