package client

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ferry-ftp/ferry/internal/ftptest"
)

// NOOPs sent by KeepAlive during a relay that never ends (the destination
// pauses, and answers NOOPs at once as proftpd and pure-ftpd do; the
// source answers them after its transfer's reply, as vsftpd does) are
// read by Wait and Abort: both connections are in step afterwards, and
// the next relay completes.
func TestRelayKeepAliveAbort(t *testing.T) {
	src := ftptest.New(t, ftptest.Config{})
	if err := os.WriteFile(filepath.Join(src.Root(), "f"), []byte(strings.Repeat("x", 50_000)), 0o644); err != nil {
		t.Fatal(err)
	}
	paused := true
	dst := ftptest.New(t, ftptest.Config{Hook: func(c ftptest.Command) *ftptest.Reply {
		if c.Verb == "NOOP" {
			return &ftptest.Reply{Code: 200, Text: "NOOP ok."}
		}
		if c.Verb == "STOR" && paused {
			paused = false
			return &ftptest.Reply{Transfer: &ftptest.Transfer{Pause: true, PauseAfter: 100}}
		}
		return nil
	}})
	sc, dc := dialLogin(t, src, WithNoopInterval(time.Millisecond)), dialLogin(t, dst, WithNoopInterval(time.Millisecond))
	ctx := testCtx(t)
	for _, c := range []*Conn{sc, dc} {
		if err := c.Type(ctx, TypeBinary); err != nil {
			t.Fatal(err)
		}
	}
	start := func() (sr, dr *Relay) {
		t.Helper()
		addr, err := dc.PassiveAddr(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if err := sc.Port(ctx, addr); err != nil {
			t.Fatal(err)
		}
		if dr, err = dc.StartRelay(ctx, "STOR", "g", 0); err != nil {
			t.Fatal(err)
		}
		if sr, err = sc.StartRelay(ctx, "RETR", "f", 0); err != nil {
			t.Fatal(err)
		}
		if err := errors.Join(sr.Started(ctx), dr.Started(ctx)); err != nil {
			t.Fatal(err)
		}
		return sr, dr
	}
	sr, dr := start()
	for dc.keepAlive.sent < 3 || sc.keepAlive.sent < 3 {
		sr.KeepAlive(ctx)
		if d := dr.KeepAlive(ctx); d <= 0 {
			t.Fatalf("KeepAlive: next NOOP in %v", d)
		}
		if done, err := dr.Wait(ctx, 5*time.Millisecond); done || err != nil {
			t.Fatalf("Wait on a paused transfer: %v, %v", done, err)
		}
	}
	if err := errors.Join(dr.Abort(), sr.Abort()); err != nil {
		t.Fatal(err)
	}
	for _, c := range []*Conn{sc, dc} {
		if err := c.Noop(ctx); err != nil {
			t.Fatalf("after Abort: %v", err)
		}
		if _, err := c.Pwd(ctx); err != nil {
			t.Fatalf("after Abort: %v", err)
		}
	}
	sr, dr = start()
	for _, r := range []*Relay{sr, dr} {
		for {
			r.KeepAlive(ctx)
			done, err := r.Wait(ctx, time.Second)
			if err != nil {
				t.Fatal(err)
			}
			if done {
				break
			}
		}
	}
	if b, err := os.ReadFile(filepath.Join(dst.Root(), "g")); err != nil || len(b) != 50_000 {
		t.Errorf("the copy holds %d bytes (%v)", len(b), err)
	}
	for _, c := range []*Conn{sc, dc} {
		if err := c.Noop(ctx); err != nil {
			t.Fatalf("after the relay: %v", err)
		}
	}
}
