package client

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/ferry-ftp/ferry/internal/ftptest"
)

// wantBatches fails the test unless session n of srv sent exactly want,
// grouped as the server read them (see ftptest.Server.Batches).
func wantBatches(t *testing.T, srv *ftptest.Server, n int, want [][]string) {
	t.Helper()
	if got := srv.Batches(n); !reflect.DeepEqual(got, want) {
		t.Errorf("session %d sent\n  %q\nwant\n  %q", n, got, want)
	}
}

var binaryUTF8 = SetupOptions{Type: TypeBinary, UTF8: true}

// LoginSetup sends everything after PASS in PASS's write, in plain FTP and
// under TLS (PBSZ and PROT too), and learns from the replies as Features,
// Type and a transfer's EPSV would: the listing after it takes the data
// connection made ready and sends LIST alone. In lockstep it is Login and
// Setup one command at a time.
func TestLoginSetupOneWrite(t *testing.T) {
	for _, mode := range []TLSMode{TLSNone, TLSExplicit} {
		srv := ftptest.New(t, ftptest.Config{TLS: ftptest.TLSMode(mode), RequireTLS: mode != TLSNone})
		writeFile(t, srv, "d/f", []byte("x"))
		c := dialOnly(t, srv, tlsOpts(srv, mode)...)
		ctx := testCtx(t)
		if err := c.LoginSetup(ctx, "user", "pass", binaryUTF8); err != nil {
			t.Fatalf("LoginSetup: %v", err)
		}
		if !c.HasFeature("MLST") || c.CurrentType() != TypeBinary {
			t.Errorf("features %v, type %q", c.features, c.CurrentType())
		}
		if _, err := c.ListLines(ctx, "d"); err != nil {
			t.Fatal(err)
		}
		c.Quit(ctx)
		waitEnded(t, srv)
		after := []string{"PASS pass", "TYPE I", "FEAT", "OPTS UTF8 ON", "EPSV"}
		want := [][]string{{"USER user"}, after, {"LIST d"}, {"QUIT"}}
		if mode == TLSExplicit {
			after = []string{"PASS pass", "TYPE I", "PBSZ 0", "PROT P", "FEAT", "OPTS UTF8 ON", "EPSV"}
			want = [][]string{{"AUTH TLS"}, {"USER user"}, after, {"LIST d"}, {"QUIT"}}
		}
		wantBatches(t, srv, 1, want)
		if dcs := srv.DataConns(); len(dcs) != 1 || dcs[0].TLS != (mode != TLSNone) {
			t.Errorf("data connections %+v", dcs)
		}
	}

	// In lockstep (WithPipelining(false)) every command waits for the
	// reply before it, and no data connection is made ahead.
	srv := ftptest.New(t, ftptest.Config{})
	c := dialOnly(t, srv, WithPipelining(false))
	ctx := testCtx(t)
	if err := c.LoginSetup(ctx, "user", "pass", SetupOptions{Type: TypeBinary, UTF8: true, Dir: "/"}); err != nil {
		t.Fatal(err)
	}
	c.Quit(ctx)
	waitEnded(t, srv)
	wantBatches(t, srv, 1, [][]string{{"USER user"}, {"PASS pass"}, {"TYPE I"}, {"FEAT"}, {"OPTS UTF8 ON"}, {"CWD /"}, {"QUIT"}})
}

// A refused password: the replies to what went with PASS are read and
// dropped, nothing is learned from them (no refusal of FEAT or EPSV is
// recorded), and the error is the login's.
func TestLoginSetupWrongPassword(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{Hook: func(c ftptest.Command) *ftptest.Reply {
		if c.Verb == "FEAT" {
			return &ftptest.Reply{Code: 530, Text: "Please login with USER and PASS."}
		}
		return nil
	}})
	r := NewRefusals()
	c := dialOnly(t, srv, WithRefusals(r))
	err := c.LoginSetup(testCtx(t), "user", "wrong", binaryUTF8)
	if KindOf(err) != KindAuth || ReplyCode(err) != 530 {
		t.Fatalf("LoginSetup = %v (kind %v), want a 530 of KindAuth", err, KindOf(err))
	}
	if r.Has("FEAT") || r.Has("EPSV") || c.features != nil || c.CurrentType() != "" {
		t.Errorf("learned from replies before login: FEAT %t, EPSV %t, features %v, type %q",
			r.Has("FEAT"), r.Has("EPSV"), c.features, c.CurrentType())
	}
	if err := c.Noop(testCtx(t)); err != nil {
		t.Errorf("connection out of step: %v", err)
	}
	wantBatches(t, srv, 1, [][]string{{"USER user"}, {"PASS wrong", "TYPE I", "FEAT", "OPTS UTF8 ON", "EPSV"}, {"NOOP"}})
}

// A server that asks for an account after PASS: ACCT, then the setup in a
// write of its own.
func TestLoginSetupAccount(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{Account: "acme"})
	writeFile(t, srv, "f", []byte("data"))
	c := dialOnly(t, srv, WithAccount("acme"))
	ctx := testCtx(t)
	if err := c.LoginSetup(ctx, "user", "pass", binaryUTF8); err != nil {
		t.Fatal(err)
	}
	if !c.HasFeature("MLST") || c.CurrentType() != TypeBinary {
		t.Errorf("features %v, type %q", c.features, c.CurrentType())
	}
	if got := string(get(t, c, "f", 0)); got != "data" {
		t.Fatalf("got %q", got)
	}
	c.Quit(ctx)
	waitEnded(t, srv)
	setup := []string{"TYPE I", "FEAT", "OPTS UTF8 ON", "EPSV"}
	wantBatches(t, srv, 1, [][]string{{"USER user"}, append([]string{"PASS pass"}, setup...), {"ACCT acme"}, setup, {"RETR f"}, {"QUIT"}})
}

// Servers that refuse FEAT and OPTS UTF8: the login goes on, nothing is
// known of the extensions, and the refusals are recorded for the
// connections that share them, which do not ask FEAT again, and send one
// command at a time (see lockstep).
func TestLoginSetupRefusals(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{Disable: []string{"FEAT", "UTF8"}})
	r := NewRefusals()
	for range 2 {
		c := dialOnly(t, srv, WithRefusals(r))
		if err := c.LoginSetup(testCtx(t), "user", "pass", binaryUTF8); err != nil {
			t.Fatal(err)
		}
		if !c.Offers("MLST") || c.HasFeature("MLST") || c.CurrentType() != TypeBinary {
			t.Errorf("Offers(MLST) %t, HasFeature(MLST) %t, type %q", c.Offers("MLST"), c.HasFeature("MLST"), c.CurrentType())
		}
		c.Quit(testCtx(t))
	}
	waitEnded(t, srv)
	wantBatches(t, srv, 1, [][]string{{"USER user"}, {"PASS pass", "TYPE I", "FEAT", "OPTS UTF8 ON", "EPSV"}, {"QUIT"}})
	wantBatches(t, srv, 2, [][]string{{"USER user"}, {"PASS pass"}, {"TYPE I"}, {"OPTS UTF8 ON"}, {"QUIT"}})
}

// aioftp answers commands in the order it finishes them, not the order
// they came: a server with its greeting gets one command at a time from
// the start, and so does one that refused FEAT, once it has.
func TestLockstepServers(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{Greeting: &ftptest.Reply{Code: 220, Text: "welcome"}})
	writeFile(t, srv, "a", []byte("x"))
	c := dialOnly(t, srv, WithPipelining(true))
	ctx := testCtx(t)
	if err := c.LoginSetup(ctx, "user", "pass", binaryUTF8); err != nil {
		t.Fatal(err)
	}
	if err := c.Rename(ctx, "missing", "b"); ReplyCode(err) != 550 {
		t.Fatalf("Rename = %v", err)
	}
	if err := c.Rename(ctx, "a", "b"); err != nil {
		t.Fatal(err)
	}
	c.Quit(ctx)
	waitEnded(t, srv)
	wantBatches(t, srv, 1, [][]string{{"USER user"}, {"PASS pass"}, {"TYPE I"}, {"FEAT"}, {"OPTS UTF8 ON"},
		{"RNFR missing"}, {"RNFR a"}, {"RNTO b"}, {"QUIT"}})

	srv = ftptest.New(t, ftptest.Config{Disable: []string{"FEAT"}})
	c = dialOnly(t, srv)
	if err := c.LoginSetup(ctx, "user", "pass", binaryUTF8); err != nil {
		t.Fatal(err)
	}
	if err := c.Rename(ctx, "missing", "b"); ReplyCode(err) != 550 {
		t.Fatalf("Rename = %v", err)
	}
	c.Quit(ctx)
	waitEnded(t, srv)
	wantBatches(t, srv, 1, [][]string{{"USER user"}, {"PASS pass", "TYPE I", "FEAT", "OPTS UTF8 ON", "EPSV"},
		{"RNFR missing"}, {"QUIT"}})
}

// RNFR and RNTO go in one write. A refused RNFR is the error; RNTO's 503
// is read, so the next command reads its own reply.
func TestRenameOneWrite(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{})
	writeFile(t, srv, "a", []byte("x"))
	c := dialLogin(t, srv)
	ctx := testCtx(t)
	if err := c.Rename(ctx, "a", "b"); err != nil {
		t.Fatal(err)
	}
	err := c.Rename(ctx, "missing", "c")
	var re *ReplyError
	if !errors.As(err, &re) || re.Code != 550 || re.Cmd != "RNFR missing" {
		t.Fatalf("Rename of a missing file = %v, want RNFR's 550", err)
	}
	if _, err := c.Pwd(ctx); err != nil {
		t.Fatalf("connection out of step: %v", err)
	}
	if got := string(readFile(t, srv, "b")); got != "x" {
		t.Errorf("b holds %q", got)
	}
	c.Quit(ctx)
	waitEnded(t, srv)
	wantBatches(t, srv, 1, [][]string{{"USER user"}, {"PASS pass"}, {"RNFR a", "RNTO b"}, {"RNFR missing", "RNTO c"}, {"PWD"}, {"QUIT"}})

	// In lockstep RNTO follows only an accepted RNFR.
	srv = ftptest.New(t, ftptest.Config{})
	c = dialLogin(t, srv, WithPipelining(false))
	if err := c.Rename(ctx, "missing", "c"); ReplyCode(err) != 550 {
		t.Fatalf("Rename = %v", err)
	}
	matchCommands(t, srv.SessionCommands(1), []string{"USER user", "PASS pass", "RNFR missing"})
}

// QUIT is sent and the connection closed at once: a server that never
// answers QUIT does not hold the caller.
func TestQuitDoesNotWait(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{Hook: func(c ftptest.Command) *ftptest.Reply {
		if c.Verb == "QUIT" {
			return &ftptest.Reply{Stall: true}
		}
		return nil
	}})
	c := dialLogin(t, srv)
	ctx, cancel := context.WithTimeout(testCtx(t), 10*time.Second)
	defer cancel()
	start := time.Now()
	if err := c.Quit(ctx); err != nil {
		t.Fatalf("Quit: %v", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("Quit took %v", d)
	}
	if c.Err() == nil {
		t.Error("connection still open after Quit")
	}
	waitEnded(t, srv)
	matchCommands(t, srv.SessionCommands(1), []string{"USER user", "PASS pass", "QUIT"})
}

// pyftpdlib delays its refusal of a wrong password by three seconds, and
// meanwhile answers the commands that came with PASS: the bytes it sends
// are those replies, then PASS's. The first, TYPE's "log in first", is a
// refusal all the same: the login fails with 530, nothing is learned, and
// the connection stays in step. A first reply that no PASS can get (211,
// say: a server that answers FEAT first) fails the login and drops the
// connection, whose replies can no longer be matched.
func TestLoginSetupRepliesOutOfOrder(t *testing.T) {
	for _, first := range []string{"530 Log in with USER and PASS first.", "211 End"} {
		srv := ftptest.New(t, ftptest.Config{Hook: func(c ftptest.Command) *ftptest.Reply {
			switch c.Verb {
			case "PASS":
				return &ftptest.Reply{Raw: []byte(first + "\r\n530 Log in with USER and PASS first.\r\n" +
					"211-Features:\r\n MLST type*;\r\n211 End\r\n200 Always in UTF8 mode.\r\n530 Authentication failed.\r\n")}
			case "TYPE", "FEAT", "OPTS", "EPSV":
				return &ftptest.Reply{Raw: []byte{}}
			}
			return nil
		}})
		r := NewRefusals()
		c := dialOnly(t, srv, WithRefusals(r))
		err := c.LoginSetup(testCtx(t), "user", "wrong", binaryUTF8)
		if KindOf(err) != KindAuth {
			t.Fatalf("first reply %q: LoginSetup = %v (kind %v), want KindAuth", first, err, KindOf(err))
		}
		if c.features != nil || c.CurrentType() != "" || r.Has("EPSV") {
			t.Errorf("first reply %q: learned features %v, type %q, EPSV refused %t", first, c.features, c.CurrentType(), r.Has("EPSV"))
		}
		if first[0] == '5' {
			if ReplyCode(err) != 530 {
				t.Errorf("LoginSetup = %v, want 530", err)
			}
			if err := c.Noop(testCtx(t)); err != nil {
				t.Errorf("connection out of step: %v", err)
			}
		} else if c.Err() == nil {
			t.Error("connection kept after replies out of order")
		}
	}
}
