package client

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/ferry-ftp/ferry/internal/ftptest"
)

// hookVerb answers the nth command with the given verb (1-based) with r.
func hookVerb(verb string, nth int, r *ftptest.Reply) func(ftptest.Command) *ftptest.Reply {
	seen := 0
	return func(c ftptest.Command) *ftptest.Reply {
		if c.Verb != verb {
			return nil
		}
		seen++
		if seen == nth {
			return r
		}
		return nil
	}
}

func TestStalledReplyTimesOut(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{Hook: hookVerb("PWD", 1, &ftptest.Reply{Stall: true})})
	c := dialLogin(t, srv)
	setTimeouts(c, 0, 200*time.Millisecond)
	_, err := c.Pwd(testCtx(t))
	if !IsTimeout(err) || KindOf(err) != KindConnection {
		t.Fatalf("Pwd = %v, want a connection timeout", err)
	}
	// The connection is dropped: its state is unknown.
	if err := c.Noop(testCtx(t)); err == nil || KindOf(err) != KindConnection {
		t.Fatalf("Noop after timeout = %v", err)
	}
}

func TestStalledGreetingTimesOut(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{Greeting: &ftptest.Reply{Stall: true}})
	_, err := Dial(testCtx(t), srv.Addr(), WithIdleTimeout(200*time.Millisecond))
	if !IsTimeout(err) || KindOf(err) != KindConnection {
		t.Fatalf("Dial = %v, want a connection timeout", err)
	}
}

func TestStalledDataTimesOut(t *testing.T) {
	// The server answers 150 but never opens the data connection in
	// active mode.
	srv := ftptest.New(t, ftptest.Config{Hook: hookVerb("RETR", 1, &ftptest.Reply{Code: 150, Text: "Opening"})})
	writeFile(t, srv, "f", []byte("x"))
	c := dialLogin(t, srv, WithDataMode(Active))
	setTimeouts(c, 200*time.Millisecond, 200*time.Millisecond)
	_, err := c.Retr(testCtx(t), "f", 0)
	if err == nil || KindOf(err) != KindConnection {
		t.Fatalf("Retr = %v, want a connection error", err)
	}
}

func TestContextCancelStopsWait(t *testing.T) {
	arrived := make(chan struct{})
	srv := ftptest.New(t, ftptest.Config{Hook: func(c ftptest.Command) *ftptest.Reply {
		if c.Verb == "PWD" {
			close(arrived)
			return &ftptest.Reply{Stall: true}
		}
		return nil
	}})
	c := dialLogin(t, srv)
	ctx, cancel := context.WithCancel(testCtx(t))
	errc := make(chan error, 1)
	go func() {
		_, err := c.Pwd(ctx)
		errc <- err
	}()
	<-arrived // the server holds the command: the client is waiting
	cancel()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Fatalf("Pwd = %v, want context.Canceled", err)
	}
}

func TestAuthTLSRefusedStopsBeforeCredentials(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{Disable: []string{"AUTH"}})
	_, err := Dial(testCtx(t), srv.Addr(), tlsOpts(srv, TLSExplicit)...)
	if KindOf(err) != KindTLS {
		t.Fatalf("Dial = %v, want a TLS error", err)
	}
	matchCommands(t, srv.Commands(), []string{"AUTH TLS"})
}

func TestBytesAfter234Refused(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{
		TLS:  ftptest.TLSExplicit,
		Hook: hookVerb("AUTH", 1, &ftptest.Reply{Raw: []byte("234 go ahead\r\n230 injected\r\n")}),
	})
	_, err := Dial(testCtx(t), srv.Addr(), tlsOpts(srv, TLSExplicit)...)
	if KindOf(err) != KindTLS || !strings.Contains(err.Error(), "after 234") {
		t.Fatalf("Dial = %v, want a TLS error about bytes after 234", err)
	}
	matchCommands(t, srv.Commands(), []string{"AUTH TLS"})
}

func TestCertificateVerified(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{TLS: ftptest.TLSExplicit})
	_, err := Dial(testCtx(t), srv.Addr(), WithTLS(TLSExplicit))
	if KindOf(err) != KindTLS {
		t.Fatalf("Dial without the CA = %v, want a TLS error", err)
	}
	var certErr *tls.CertificateVerificationError
	if !errors.As(err, &certErr) {
		t.Errorf("error %v is not a certificate verification error", err)
	}
	// A name the certificate does not hold.
	_, err = Dial(testCtx(t), srv.Addr(), WithTLS(TLSExplicit),
		WithTLSConfig(&tls.Config{RootCAs: srv.CertPool(), ServerName: "ftp.example.org"}))
	if KindOf(err) != KindTLS {
		t.Fatalf("Dial with a wrong name = %v, want a TLS error", err)
	}
	// Verification off, on request.
	c, err := Dial(testCtx(t), srv.Addr(), WithTLS(TLSExplicit), WithTLSConfig(&tls.Config{InsecureSkipVerify: true}))
	if err != nil {
		t.Fatalf("Dial insecure: %v", err)
	}
	c.Close()
}

func TestPROTRefused(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{TLS: ftptest.TLSExplicit, Disable: []string{"PROT"}})
	c := dialOnly(t, srv, tlsOpts(srv, TLSExplicit)...)
	err := c.Login(testCtx(t), "user", "pass")
	if KindOf(err) != KindTLS {
		t.Fatalf("Login = %v, want a TLS error", err)
	}
}

func TestCRLFInArgumentsRefused(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{})
	c := dialLogin(t, srv)
	ctx := testCtx(t)
	bad := "x\r\nDELE victim"
	calls := map[string]error{
		"Cwd":       c.Cwd(ctx, bad),
		"Dele":      c.Dele(ctx, bad),
		"Rename to": c.Rename(ctx, "ok", bad),
		"Quote":     func() error { _, _, err := c.Quote(ctx, "NOOP\nDELE x"); return err }(),
		"Retr":      func() error { _, err := c.Retr(ctx, bad, 0); return err }(),
		"Stor":      func() error { _, err := c.Stor(ctx, "a\x00b", 0); return err }(),
	}
	for name, err := range calls {
		if !errors.Is(err, ErrBadArgument) {
			t.Errorf("%s = %v, want ErrBadArgument", name, err)
		}
	}
	if err := c.Login(ctx, "user\r\nDELE x", "p"); !errors.Is(err, ErrBadArgument) {
		t.Errorf("Login = %v", err)
	}
	matchCommands(t, srv.SessionCommands(1), []string{"USER user", "PASS pass"})
}

func TestHostileReplies(t *testing.T) {
	tests := []struct {
		name  string
		reply *ftptest.Reply
	}{
		{"over-long line", &ftptest.Reply{Raw: []byte("257 \"" + strings.Repeat("a", 100_000) + "\"\r\n")}},
		{"endless multi-line", &ftptest.Reply{Code: 257, Endless: true}},
		{"garbage", &ftptest.Reply{Raw: []byte("hello there\r\n")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := ftptest.New(t, ftptest.Config{Hook: hookVerb("PWD", 1, tt.reply)})
			c := dialLogin(t, srv)
			_, err := c.Pwd(testCtx(t))
			if KindOf(err) != KindProtocol {
				t.Fatalf("Pwd = %v, want a protocol error", err)
			}
			if c.Err() == nil {
				t.Error("connection still marked usable")
			}
		})
	}
}

func TestServerClosing421(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{Fault421At: 3})
	c := dialLogin(t, srv)
	err := c.Noop(testCtx(t))
	if KindOf(err) != KindConnection || ReplyCode(err) != 421 {
		t.Fatalf("Noop = %v, want a 421 connection error", err)
	}
	err = c.Noop(testCtx(t))
	if KindOf(err) != KindConnection {
		t.Fatalf("second Noop = %v", err)
	}
	if got := srv.SessionCommands(1); len(got) != 3 {
		t.Errorf("commands after 421: %q", got)
	}
}

func TestLoginErrors(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{})
	c := dialOnly(t, srv)
	err := c.Login(testCtx(t), "user", "wrong")
	if KindOf(err) != KindAuth || ReplyCode(err) != 530 {
		t.Fatalf("Login = %v, want KindAuth with 530", err)
	}
	if strings.Contains(err.Error(), "wrong") {
		t.Errorf("error shows the password: %v", err)
	}
}

func TestLoginAccount(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{Account: "acme"})
	c := dialLogin(t, srv, WithAccount("acme"))
	if err := c.Noop(testCtx(t)); err != nil {
		t.Fatal(err)
	}
	c2 := dialOnly(t, srv)
	if err := c2.Login(testCtx(t), "user", "pass"); KindOf(err) != KindAuth {
		t.Fatalf("Login without account = %v", err)
	}
	matchCommands(t, srv.SessionCommands(1), []string{"USER user", "PASS pass", "ACCT acme", "NOOP"})
}

func TestAnonymous(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{Anonymous: true})
	c := dialOnly(t, srv)
	if err := c.Anonymous(testCtx(t)); err != nil {
		t.Fatal(err)
	}
	matchCommands(t, srv.SessionCommands(1), []string{"USER anonymous", "PASS anonymous@"})
}

func TestEarlyCloseAborts(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{})
	writeFile(t, srv, "big", bytes.Repeat([]byte("x"), 8<<20))
	c := dialLogin(t, srv)
	rc, err := c.Retr(testCtx(t), "big", 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadFull(rc, make([]byte, 1000)); err != nil {
		t.Fatal(err)
	}
	if err := rc.Close(); err != nil {
		t.Fatalf("Close = %v", err)
	}
	if err := c.Noop(testCtx(t)); err != nil {
		t.Fatalf("Noop after abort: %v", err)
	}
	matchCommands(t, srv.SessionCommands(1), []string{"USER user", "PASS pass", "EPSV", "RETR big", "ABOR", "NOOP", "NOOP"})
}

func TestCancelDuringTransfer(t *testing.T) {
	for _, upload := range []bool{false, true} {
		t.Run(map[bool]string{false: "download", true: "upload"}[upload], func(t *testing.T) {
			srv := ftptest.New(t, ftptest.Config{})
			writeFile(t, srv, "big", bytes.Repeat([]byte("x"), 8<<20))
			c := dialLogin(t, srv)
			ctx, cancel := context.WithCancel(testCtx(t))
			var err error
			if upload {
				var wc io.WriteCloser
				if wc, err = c.Stor(ctx, "up", 0); err != nil {
					t.Fatal(err)
				}
				if _, err := wc.Write(make([]byte, 1000)); err != nil {
					t.Fatal(err)
				}
				cancel()
				if _, err := wc.Write(make([]byte, 1000)); !errors.Is(err, context.Canceled) {
					t.Errorf("Write after cancel = %v", err)
				}
				err = wc.Close()
			} else {
				var rc io.ReadCloser
				if rc, err = c.Retr(ctx, "big", 0); err != nil {
					t.Fatal(err)
				}
				if _, err := io.ReadFull(rc, make([]byte, 1000)); err != nil {
					t.Fatal(err)
				}
				cancel()
				if _, err := io.ReadAll(rc); !errors.Is(err, context.Canceled) {
					t.Errorf("Read after cancel = %v", err)
				}
				err = rc.Close()
			}
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("Close = %v, want context.Canceled", err)
			}
			if err := c.Noop(testCtx(t)); err != nil {
				t.Fatalf("Noop after cancel: %v", err)
			}
			// ABOR, then the NOOP that resynchronises the replies, then
			// the NOOP above: the transfer was aborted and drained, and
			// the connection kept.
			verb := map[bool]string{false: "RETR big", true: "STOR up"}[upload]
			matchCommands(t, srv.SessionCommands(1), []string{"USER user", "PASS pass", "EPSV", verb, "ABOR", "NOOP", "NOOP"})
		})
	}
}

func TestDataConnectionDropped(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{DropDataAfter: 100_000})
	writeFile(t, srv, "big", bytes.Repeat([]byte("y"), 1<<20))
	c := dialLogin(t, srv)
	rc, err := c.Retr(testCtx(t), "big", 0)
	if err != nil {
		t.Fatal(err)
	}
	n, rerr := io.Copy(io.Discard, rc)
	cerr := rc.Close()
	if rerr == nil && cerr == nil {
		t.Fatalf("a cut-off transfer of %d bytes succeeded", n)
	}
	if n > 100_000 {
		t.Errorf("read %d bytes, more than the server sent", n)
	}
	if err := c.Noop(testCtx(t)); err != nil {
		t.Fatalf("Noop after dropped data connection: %v", err)
	}
}

func TestTransferReplyErrors(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{})
	c := dialLogin(t, srv)
	_, err := c.Retr(testCtx(t), "missing", 0)
	if ReplyCode(err) != 550 || KindOf(err) != KindOther {
		t.Fatalf("Retr missing = %v", err)
	}
	if err := c.Noop(testCtx(t)); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Size(testCtx(t), "missing"); ReplyCode(err) != 550 {
		t.Fatalf("Size missing = %v", err)
	}
}

func TestBusyConnRefusesCommands(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{})
	writeFile(t, srv, "f", []byte("abc"))
	c := dialLogin(t, srv)
	rc, err := c.Retr(testCtx(t), "f", 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Noop(testCtx(t)); err == nil {
		t.Fatal("Noop during a transfer was sent")
	}
	io.ReadAll(rc)
	if err := rc.Close(); err != nil {
		t.Fatal(err)
	}
	if err := c.Noop(testCtx(t)); err != nil {
		t.Fatal(err)
	}
}
