package client

import (
	"errors"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ferry-ftp/ferry/internal/ftptest"
)

// PassiveAddr returns the address of the 227 reply as it is, a foreign
// one too, and connects nowhere: the caller decides what to do with it.
func TestPassiveAddrDoesNotDial(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{PASVAddress: "10.1.2.3"})
	c := dialLogin(t, srv)
	addr, err := c.PassiveAddr(testCtx(t))
	if err != nil {
		t.Fatal(err)
	}
	if !addr.IP.Equal(net.ParseIP("10.1.2.3")) || addr.Port == 0 {
		t.Errorf("PassiveAddr = %v", addr)
	}
	if err := c.Noop(testCtx(t)); err != nil {
		t.Fatal(err)
	}
	if n := len(srv.DataConns()); n != 0 {
		t.Errorf("%d data connections made", n)
	}
	if err := c.Port(testCtx(t), &net.TCPAddr{IP: net.ParseIP("::1"), Port: 21}); err == nil {
		t.Error("PORT took an IPv6 address")
	}
}

// A relay between two servers: the destination passive, the source told
// its address; both commands are sent before either reply is read. Wait
// in short steps reports nothing while a paused transfer runs, leaving the
// connections usable, and Abort ends it with ABOR; the next relay completes.
func TestRelay(t *testing.T) {
	src := ftptest.New(t, ftptest.Config{})
	if err := os.WriteFile(filepath.Join(src.Root(), "f"), []byte(strings.Repeat("x", 50_000)), 0o644); err != nil {
		t.Fatal(err)
	}
	paused := true
	dst := ftptest.New(t, ftptest.Config{Hook: func(c ftptest.Command) *ftptest.Reply {
		if c.Verb == "STOR" && paused {
			paused = false
			return &ftptest.Reply{Transfer: &ftptest.Transfer{Pause: true, PauseAfter: 100}}
		}
		return nil
	}})
	sc, dc := dialLogin(t, src), dialLogin(t, dst)
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
	if err := dc.Noop(ctx); err == nil {
		t.Error("a command was sent while the relay runs")
	}
	if done, err := dr.Wait(ctx, 50*time.Millisecond); done || err != nil {
		t.Fatalf("Wait on a paused transfer: %v, %v", done, err)
	}
	if err := errors.Join(dr.Abort(), sr.Abort()); err != nil {
		t.Fatal(err)
	}
	for _, c := range []*Conn{sc, dc} {
		if err := c.Noop(ctx); err != nil {
			t.Fatalf("after Abort: %v", err)
		}
	}
	sr, dr = start()
	for _, r := range []*Relay{sr, dr} {
		for {
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
	if !slices.Contains(dst.Commands(), "ABOR") {
		t.Errorf("destination commands: %q", dst.Commands())
	}
	// Data protection cannot reach another server.
	dc.protP = true
	if _, err := dc.StartRelay(ctx, "STOR", "h", 0); err == nil || !strings.Contains(err.Error(), "PROT P") {
		t.Errorf("StartRelay under PROT P: %v", err)
	}
}
