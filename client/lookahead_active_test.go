package client

import (
	"context"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ferry-ftp/ferry/internal/ftptest"
)

// activeAhead logs in to srv in active mode with pipelining on.
func activeAhead(t *testing.T, srv *ftptest.Server, opts ...Option) *Conn {
	t.Helper()
	return aheadConn(t, srv, append([]Option{WithDataMode(Active)}, opts...)...)
}

// activeCommands returns the commands of session 1 from its first EPRT
// on, with EPRT's address cut off.
func activeCommands(t *testing.T, srv *ftptest.Server) []string {
	t.Helper()
	got := verbsOnly(srv.SessionCommands(1), "")
	from := slices.Index(got, "EPRT")
	if from < 0 {
		t.Fatalf("no EPRT in %q", got)
	}
	return got[from:]
}

// TestLookaheadActiveFaults checks lookahead in active mode when a
// transfer fails with the next one sent ahead (EPRT and RETR before the
// final reply): the file in flight fails alone, the one sent ahead is
// aborted and fetched afresh, and every other file arrives exact.
func TestLookaheadActiveFaults(t *testing.T) {
	t.Run("426 on the file in flight", func(t *testing.T) {
		var g gate
		srv := aheadServer(t, ftptest.Config{Hook: func(c ftptest.Command) *ftptest.Reply {
			g.seen(c)
			if c.Raw == "RETR a.bin" {
				return &ftptest.Reply{Transfer: &ftptest.Transfer{Final: &ftptest.Reply{Code: 426, Text: "Connection closed; transfer aborted.", Wait: g.hold("EPRT#2")}}}
			}
			return nil
		}})
		c := activeAhead(t, srv)
		data, errs := fetchAhead(testCtx(t), c, aheadNames())
		if ReplyCode(errs[0]) != 426 {
			t.Errorf("a.bin: %v, want the 426", errs[0])
		}
		checkExact(t, data, errs, 1, 2, 3)
		matchCommands(t, activeCommands(t, srv), []string{"EPRT", "RETR a.bin", "EPRT", "RETR b.txt", "ABOR", "NOOP",
			"EPRT", "RETR b.txt", "EPRT", "RETR c.txt", "EPRT", "RETR d.txt"})
		if err := c.Refusals().NoLookahead(); err != nil {
			t.Errorf("lookahead turned off by a failed transfer: %v", err)
		}
	})
	t.Run("550 on the RETR sent ahead", func(t *testing.T) {
		srv := aheadServer(t, ftptest.Config{Hook: func(c ftptest.Command) *ftptest.Reply {
			if c.Raw == "RETR b.txt" {
				return &ftptest.Reply{Code: 550, Text: "b.txt: Permission denied.", AfterTransfer: true}
			}
			return nil
		}})
		c := activeAhead(t, srv)
		data, errs := fetchAhead(testCtx(t), c, aheadNames())
		if ReplyCode(errs[1]) != 550 {
			t.Errorf("b.txt: %v, want 550", errs[1])
		}
		checkExact(t, data, errs, 0, 2, 3)
		matchCommands(t, activeCommands(t, srv), []string{"EPRT", "RETR a.bin", "EPRT", "RETR b.txt",
			"EPRT", "RETR c.txt", "EPRT", "RETR d.txt"})
	})
	t.Run("425 on the RETR sent ahead", func(t *testing.T) {
		// The server could not connect: the file is tried once more
		// with a new listener, as any active transfer is.
		refused := false
		srv := aheadServer(t, ftptest.Config{Hook: func(c ftptest.Command) *ftptest.Reply {
			if c.Raw == "RETR b.txt" && !refused {
				refused = true
				return &ftptest.Reply{Code: 425, Text: "Can't open data connection.", AfterTransfer: true}
			}
			return nil
		}})
		c := activeAhead(t, srv)
		data, errs := fetchAhead(testCtx(t), c, aheadNames())
		checkExact(t, data, errs, 0, 1, 2, 3)
		matchCommands(t, activeCommands(t, srv), []string{"EPRT", "RETR a.bin", "EPRT", "RETR b.txt",
			"EPRT", "RETR b.txt", "EPRT", "RETR c.txt", "EPRT", "RETR d.txt"})
	})
	t.Run("EPRT sent ahead refused", func(t *testing.T) {
		// The server refuses the EPRT sent ahead (and RETR after it, with
		// no data connection): lookahead goes off, EPRT gives way to
		// PORT, and the file is fetched afresh.
		eprt := 0
		srv := aheadServer(t, ftptest.Config{Hook: func(c ftptest.Command) *ftptest.Reply {
			if c.Verb == "EPRT" {
				if eprt++; eprt >= 2 {
					return &ftptest.Reply{Code: 500, Text: "EPRT not understood.", AfterTransfer: true}
				}
			}
			if c.Raw == "RETR b.txt" && eprt == 2 {
				return &ftptest.Reply{Code: 503, Text: "Use PORT or PASV first.", AfterTransfer: true}
			}
			return nil
		}})
		c := activeAhead(t, srv)
		data, errs := fetchAhead(testCtx(t), c, aheadNames())
		checkExact(t, data, errs, 0, 1, 2, 3)
		got := verbsOnly(srv.SessionCommands(1), "")
		matchCommands(t, got[slices.Index(got, "EPRT"):], []string{"EPRT", "RETR a.bin", "EPRT", "RETR b.txt", "ABOR", "NOOP",
			"EPRT", "PORT", "RETR b.txt", "PORT", "RETR c.txt", "PORT", "RETR d.txt"})
		if c.Refusals().NoLookahead() == nil {
			t.Error("lookahead still on after the EPRT sent ahead was refused")
		}
	})
}

// TestLookaheadActiveAborted checks that a transfer sent ahead in active
// mode and then not wanted (another command comes first, or a cancel)
// is aborted, its listener closed, and the connection stays in step.
func TestLookaheadActiveAborted(t *testing.T) {
	srv := aheadServer(t, ftptest.Config{})
	c := activeAhead(t, srv)
	ctx := testCtx(t)
	rc, err := c.RetrNext(ctx, "c.txt", 0, func() (string, bool) { return "a.bin", true })
	if err != nil {
		t.Fatal(err)
	}
	if b, err := io.ReadAll(rc); err != nil || string(b) != string(aheadFiles[2].data) {
		t.Fatalf("c.txt = %q, %v", b, err)
	}
	if err := rc.Close(); err != nil {
		t.Fatal(err)
	}
	c.mu.Lock()
	ln := c.aheadLn
	c.mu.Unlock()
	if ln == nil {
		t.Fatal("no listener kept for the transfer sent ahead")
	}
	if _, err := c.ModTime(ctx, "d.txt"); err != nil {
		t.Fatalf("MDTM after the abort: %v", err)
	}
	if _, err := ln.Accept(); err == nil || !strings.Contains(err.Error(), "closed") {
		t.Errorf("the listener of the aborted transfer is still open (Accept: %v)", err)
	}
	if b := get(t, c, "d.txt", 0); string(b) != "the fourth file\n" {
		t.Errorf("d.txt = %q", b)
	}
	matchCommands(t, activeCommands(t, srv), []string{"EPRT", "RETR c.txt", "EPRT", "RETR a.bin", "ABOR", "NOOP", "MDTM d.txt",
		"EPRT", "RETR d.txt"})

	// Cancelled before the next Retr: the connection goes, and with it
	// the listener.
	cctx, cancel := context.WithCancel(ctx)
	rc, err = c.RetrNext(cctx, "c.txt", 0, func() (string, bool) { return "a.bin", true })
	if err != nil {
		t.Fatal(err)
	}
	io.ReadAll(rc)
	if err := rc.Close(); err != nil {
		t.Fatal(err)
	}
	cancel()
	if _, err := c.Retr(cctx, "a.bin", 0); !errors.Is(err, context.Canceled) {
		t.Errorf("Retr after cancel = %v, want cancelled", err)
	}
	c.Close()
	c.mu.Lock()
	left := c.aheadLn
	c.mu.Unlock()
	if left != nil {
		t.Error("Close left the listener of a transfer sent ahead open")
	}
}

// TestQuitWithTransferSentAhead checks that Quit sends nothing after a
// download sent ahead (the server would start it first): the connection
// is closed, and the server's last command is that RETR.
func TestQuitWithTransferSentAhead(t *testing.T) {
	srv := aheadServer(t, ftptest.Config{})
	c := aheadConn(t, srv)
	ctx := testCtx(t)
	rc, err := c.RetrNext(ctx, "c.txt", 0, func() (string, bool) { return "a.bin", true })
	if err != nil {
		t.Fatal(err)
	}
	io.ReadAll(rc)
	if err := rc.Close(); err != nil {
		t.Fatal(err)
	}
	if err := c.Quit(ctx); err != nil {
		t.Fatalf("Quit: %v", err)
	}
	if !srv.WaitSessions(10 * time.Second) {
		t.Fatal("the session did not end after Quit")
	}
	got := srv.SessionCommands(1)
	if got[len(got)-1] != "RETR a.bin" {
		t.Errorf("the server's last commands: %q, want the RETR sent ahead", got[max(0, len(got)-3):])
	}
}
