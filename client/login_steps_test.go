package client

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/ferry-ftp/ferry/internal/ftptest"
)

// TestLoginStepsEveryMode runs the login verbs that TestEveryVerb leaves
// out (Anonymous with an account, and the single steps User, Pass and Acct)
// and the remaining methods (Syst, Site, ListLines), and a download
// cancelled midway (ABOR), in each combination of IP family, TLS mode and
// data mode. It asserts the exact command sequences, and that a login made
// of single steps still protects the data connections under TLS.
func TestLoginStepsEveryMode(t *testing.T) { eachCombination(t, loginSteps) }

func loginSteps(t *testing.T, network string, tlsMode TLSMode, mode DataMode) {
	srv := ftptest.New(t, ftptest.Config{
		Network:             network,
		TLS:                 ftptest.TLSMode(tlsMode),
		RequireTLS:          tlsMode != TLSNone,
		RequireSessionReuse: tlsMode != TLSNone,
		Anonymous:           true,
		Account:             "acme",
	})
	writeFile(t, srv, "f", []byte("data"))
	writeFile(t, srv, "big", bytes.Repeat([]byte("x"), 8<<20))
	ctx := testCtx(t)
	opts := append(tlsOpts(srv, tlsMode), WithDataMode(mode))

	// Session 1: Anonymous, with the account the server asks for.
	a := dialOnly(t, srv, append(opts, WithAccount("acme"))...)
	if err := a.Anonymous(ctx); err != nil {
		t.Fatalf("Anonymous: %v", err)
	}
	if got := string(get(t, a, "f", 0)); got != "data" {
		t.Fatalf("Retr = %q", got)
	}
	if sys, err := a.Syst(ctx); err != nil || sys != "UNIX Type: L8" {
		t.Fatalf("Syst = %q, %v", sys, err)
	}
	if text, err := a.Site(ctx, "HELP"); err != nil || text != "CHMOD HELP" {
		t.Fatalf("Site HELP = %q, %v", text, err)
	}
	lines, err := a.ListLines(ctx, "f")
	if err != nil || len(lines) != 1 || !strings.HasPrefix(lines[0], "-rw-") || !strings.HasSuffix(lines[0], " f") {
		t.Fatalf("ListLines = %q, %v", lines, err)
	}
	if err := a.Quit(ctx); err != nil {
		t.Fatal(err)
	}

	// Session 2: USER, PASS and ACCT one by one.
	b := dialOnly(t, srv, opts...)
	if needPass, err := b.User(ctx, "user"); err != nil || !needPass {
		t.Fatalf("User = %t, %v", needPass, err)
	}
	if needAcct, err := b.Pass(ctx, "pass"); err != nil || !needAcct {
		t.Fatalf("Pass = %t, %v", needAcct, err)
	}
	if err := b.Acct(ctx, "acme"); err != nil {
		t.Fatalf("Acct: %v", err)
	}
	if got := string(get(t, b, "f", 0)); got != "data" {
		t.Fatalf("Retr after single-step login = %q", got)
	}
	// A download cancelled midway: ABOR, and NOOP to resynchronise.
	cctx, cancel := context.WithCancel(ctx)
	defer cancel()
	rc, err := b.Retr(cctx, "big", 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadFull(rc, make([]byte, 1000)); err != nil {
		t.Fatal(err)
	}
	cancel()
	if err := rc.Close(); !errors.Is(err, context.Canceled) {
		t.Fatalf("Close after cancel = %v, want context.Canceled", err)
	}
	if err := b.Noop(ctx); err != nil {
		t.Fatalf("Noop after the aborted download: %v", err)
	}

	var data string
	switch {
	case mode == Passive:
		data = "EPSV"
	case network == "tcp4":
		data = "PORT *" // FEAT was not asked: IPv4 announces with PORT
	default:
		data = "EPRT |2|::1|*"
	}
	login := func(user, pass string) []string {
		var w []string
		if tlsMode == TLSExplicit {
			w = append(w, "AUTH TLS")
		}
		w = append(w, "USER "+user, "PASS "+pass, "ACCT acme")
		if tlsMode != TLSNone {
			w = append(w, "PBSZ 0", "PROT P")
		}
		return w
	}
	matchCommands(t, srv.SessionCommands(1), append(login("anonymous", "anonymous@"),
		data, "RETR f", "SYST", "SITE HELP", data, "LIST f", "QUIT"))
	matchCommands(t, srv.SessionCommands(2), append(login("user", "pass"),
		data, "RETR f", data, "RETR big", "ABOR", "NOOP", "NOOP"))

	dcs := srv.DataConns()
	if len(dcs) != 4 {
		t.Fatalf("%d data connections, want 4", len(dcs))
	}
	for i, dc := range dcs {
		if dc.Passive != (mode == Passive) || dc.TLS != (tlsMode != TLSNone) || dc.DidResume != (tlsMode != TLSNone) {
			t.Errorf("data connection %d: %+v", i, dc)
		}
	}
}

// TestQuoteLoginProtectsData: under TLS a login sent through Quote leaves
// PBSZ and PROT to the first transfer, which sets them up before the data
// connection, so data never goes in the clear.
func TestQuoteLoginProtectsData(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{TLS: ftptest.TLSExplicit, RequireSessionReuse: true})
	writeFile(t, srv, "f", []byte("data"))
	c := dialOnly(t, srv, tlsOpts(srv, TLSExplicit)...)
	ctx := testCtx(t)
	for _, line := range []string{"USER user", "PASS pass"} {
		if _, _, err := c.Quote(ctx, line); err != nil {
			t.Fatalf("Quote %s: %v", line, err)
		}
	}
	get(t, c, "f", 0)
	get(t, c, "f", 0)
	matchCommands(t, srv.SessionCommands(1), []string{
		"AUTH TLS", "USER user", "PASS pass", "PBSZ 0", "PROT P", "EPSV", "RETR f", "EPSV", "RETR f"})
	for i, dc := range srv.DataConns() {
		if !dc.TLS || !dc.DidResume {
			t.Errorf("data connection %d: %+v", i, dc)
		}
	}
}
