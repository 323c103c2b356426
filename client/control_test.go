package client

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/ferry-ftp/ferry/internal/ftptest"
)

// The control connection: Quote, cancellation, preliminary replies,
// greetings, login variants, arguments and server text.

// TestQuotePreliminaryReply: Quote reads past a 1yz reply to the final
// one, so later replies stay in step.
func TestQuotePreliminaryReply(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{Hook: hookVerb("SITE", 1, &ftptest.Reply{Raw: []byte("150 working\r\n200 done\r\n")})})
	c := dialLogin(t, srv)
	code, text, err := c.Quote(testCtx(t), "SITE SLOW")
	if err != nil || code != 200 || text != "done" {
		t.Errorf("Quote = %d %q, %v; want the final 200", code, text, err)
	}
	if dir, err := c.Pwd(testCtx(t)); err != nil || dir != "/" {
		t.Errorf("Pwd after Quote = %q, %v", dir, err)
	}
}

// TestQuoteMultiLine: Quote returns the full text of a multi-line reply,
// its lines joined by "\n" without the code prefixes.
func TestQuoteMultiLine(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{Hook: hookVerb("HELP", 1, &ftptest.Reply{Raw: []byte("214-First line\r\n SITE NOOP\r\n214-middle\r\n214 Help OK.\r\n")})})
	c := dialLogin(t, srv)
	code, text, err := c.Quote(testCtx(t), "HELP")
	if err != nil || code != 214 || text != "First line\n SITE NOOP\n214-middle\nHelp OK." {
		t.Fatalf("Quote HELP = %d %q, %v", code, text, err)
	}
	matchCommands(t, srv.SessionCommands(1), []string{"USER user", "PASS pass", "HELP"})
}

// TestQuoteRefusesStateCommands: commands that would change state the
// engine keeps, or need a data connection, are refused before sending.
func TestQuoteRefusesStateCommands(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{})
	writeFile(t, srv, "f", []byte("0123456789"))
	c := dialLogin(t, srv)
	for _, line := range []string{"REST 5", "rest 5", "AUTH TLS", "PBSZ 0", "PROT C", "CCC", "PASV", "EPSV ALL",
		"PORT 127,0,0,1,4,1", "EPRT |1|127.0.0.1|1025|", "ABOR", "REIN", "RETR f", "STOR f", "STOU", "APPE f",
		"LIST", "NLST", "MLSD", "MODE B", "STRU R", ""} {
		_, _, err := c.Quote(testCtx(t), line)
		if !errors.Is(err, ErrQuoteRefused) || KindOf(err) != KindOther {
			t.Errorf("Quote %q = %v, want ErrQuoteRefused", line, err)
		}
	}
	for _, line := range []string{"MODE S", "STRU F", "NOOP"} {
		if code, _, err := c.Quote(testCtx(t), line); err != nil || code/100 != 2 {
			t.Errorf("Quote %q = %d, %v", line, code, err)
		}
	}
	// A refused REST left no offset behind.
	if got := string(get(t, c, "f", 0)); got != "0123456789" {
		t.Errorf("Retr after Quote REST = %q", got)
	}
	matchCommands(t, srv.SessionCommands(1), []string{"USER user", "PASS pass", "MODE S", "STRU F", "NOOP", "EPSV", "RETR f"})
}

// TestQuoteType: TYPE through Quote updates CurrentType, as Type does.
func TestQuoteType(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{})
	c := dialLogin(t, srv)
	if got := c.CurrentType(); got != "" {
		t.Errorf("CurrentType before any TYPE = %q", got)
	}
	steps := []struct {
		line string
		want TransferType
	}{{"TYPE A", TypeASCII}, {"type i", TypeBinary}, {"TYPE A N", TypeASCII}, {"TYPE L 8", TypeBinary}, {"TYPE E", TypeBinary}}
	for _, s := range steps {
		c.Quote(testCtx(t), s.line)
		if got := c.CurrentType(); got != s.want {
			t.Errorf("after %q: CurrentType = %q, want %q", s.line, got, s.want)
		}
	}
	if err := c.Type(testCtx(t), TypeASCII); err != nil || c.CurrentType() != TypeASCII {
		t.Errorf("Type A: %v, CurrentType %q", err, c.CurrentType())
	}
}

// TestQuoteQuit: QUIT through Quote closes the connection.
func TestQuoteQuit(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{})
	c := dialLogin(t, srv)
	if code, _, err := c.Quote(testCtx(t), "QUIT"); err != nil || code != 221 {
		t.Fatalf("Quote QUIT = %d, %v", code, err)
	}
	if err := c.Noop(testCtx(t)); KindOf(err) != KindConnection || !errors.Is(err, net.ErrClosed) {
		t.Errorf("Noop after QUIT = %v", err)
	}
}

// TestCancelledBeforeCall: a call whose context is already done sends
// nothing, returns a KindOther error matching the context's, and leaves
// the connection usable.
func TestCancelledBeforeCall(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{})
	writeFile(t, srv, "f", []byte("data"))
	c := dialLogin(t, srv)
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	expired, cancel2 := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel2()
	for _, tc := range []struct {
		ctx  context.Context
		want error
	}{{cancelled, context.Canceled}, {expired, context.DeadlineExceeded}} {
		calls := map[string]error{
			"Noop":     c.Noop(tc.ctx),
			"Pwd":      func() error { _, err := c.Pwd(tc.ctx); return err }(),
			"Quote":    func() error { _, _, err := c.Quote(tc.ctx, "SYST"); return err }(),
			"Retr":     func() error { _, err := c.Retr(tc.ctx, "f", 0); return err }(),
			"Stor":     func() error { _, err := c.Stor(tc.ctx, "g", 0); return err }(),
			"NameList": func() error { _, err := c.NameList(tc.ctx, ""); return err }(),
			"Features": func() error { _, err := c.Features(tc.ctx); return err }(),
		}
		for name, err := range calls {
			if !errors.Is(err, tc.want) || KindOf(err) != KindOther {
				t.Errorf("%s = %v (kind %v), want %v of KindOther", name, err, KindOf(err), tc.want)
			}
		}
		if _, err := Dial(tc.ctx, srv.Addr()); !errors.Is(err, tc.want) || KindOf(err) != KindOther {
			t.Errorf("Dial = %v (kind %v), want %v of KindOther", err, KindOf(err), tc.want)
		}
	}
	if err := c.Noop(testCtx(t)); err != nil {
		t.Fatalf("Noop after cancelled calls: %v", err)
	}
	matchCommands(t, srv.SessionCommands(1), []string{"USER user", "PASS pass", "NOOP"})
}

// TestCancelWhileWaitingForReply: a command cancelled while it waits for
// its reply leaves the connection usable: the next command reads the late
// reply first.
func TestCancelWhileWaitingForReply(t *testing.T) {
	arrived := make(chan struct{})
	srv := ftptest.New(t, ftptest.Config{Hook: func(c ftptest.Command) *ftptest.Reply {
		if c.Verb == "PWD" && c.Seq == 3 {
			close(arrived)
			return &ftptest.Reply{Delay: 300 * time.Millisecond}
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
	<-arrived
	cancel()
	if err := <-errc; !errors.Is(err, context.Canceled) || KindOf(err) != KindOther {
		t.Fatalf("Pwd = %v (kind %v), want context.Canceled of KindOther", err, KindOf(err))
	}
	if c.Err() != nil {
		t.Fatalf("connection dropped: %v", c.Err())
	}
	if err := c.Cwd(testCtx(t), "/"); err != nil {
		t.Fatalf("Cwd after the cancelled Pwd: %v", err)
	}
	if dir, err := c.Pwd(testCtx(t)); err != nil || dir != "/" {
		t.Fatalf("Pwd = %q, %v", dir, err)
	}
	matchCommands(t, srv.SessionCommands(1), []string{"USER user", "PASS pass", "PWD", "CWD /", "PWD"})
}

// TestCallerDeadlineWhileWaiting: the caller's deadline is reported as
// context.DeadlineExceeded (KindOther), and the connection stays usable.
func TestCallerDeadlineWhileWaiting(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{Hook: hookVerb("PWD", 1, &ftptest.Reply{Delay: 300 * time.Millisecond})})
	c := dialLogin(t, srv)
	ctx, cancel := context.WithTimeout(testCtx(t), 50*time.Millisecond)
	defer cancel()
	if _, err := c.Pwd(ctx); !errors.Is(err, context.DeadlineExceeded) || KindOf(err) != KindOther || !IsTimeout(err) {
		t.Fatalf("Pwd = %v (kind %v), want context.DeadlineExceeded of KindOther", err, KindOf(err))
	}
	if err := c.Noop(testCtx(t)); err != nil {
		t.Fatalf("Noop after the expired Pwd: %v", err)
	}
}

// TestCancelledReplyNeverComes: when the reply of a cancelled command does
// not come within the idle timeout, the next command drops the connection.
func TestCancelledReplyNeverComes(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{Hook: hookVerb("PWD", 1, &ftptest.Reply{Stall: true})})
	c := dialLogin(t, srv)
	setTimeouts(c, 0, 200*time.Millisecond)
	ctx, cancel := context.WithTimeout(testCtx(t), 50*time.Millisecond)
	defer cancel()
	if _, err := c.Pwd(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Pwd = %v", err)
	}
	err := c.Noop(testCtx(t))
	if KindOf(err) != KindConnection || !IsTimeout(err) {
		t.Fatalf("Noop = %v, want a connection timeout", err)
	}
	if c.Err() == nil {
		t.Error("connection still marked usable")
	}
	matchCommands(t, srv.SessionCommands(1), []string{"USER user", "PASS pass", "PWD"})
}

// TestPreliminaryRepliesBounded: at most maxPreliminary 1yz replies before
// the final one.
func TestPreliminaryRepliesBounded(t *testing.T) {
	prelim := func(n int) *ftptest.Reply {
		return &ftptest.Reply{Raw: []byte(strings.Repeat("150 still working\r\n", n) + "257 \"/\"\r\n")}
	}
	srv := ftptest.New(t, ftptest.Config{Hook: func(c ftptest.Command) *ftptest.Reply {
		if c.Verb == "PWD" {
			return prelim(map[int]int{1: maxPreliminary, 2: maxPreliminary + 1}[c.Session])
		}
		return nil
	}})
	ok := dialLogin(t, srv)
	if dir, err := ok.Pwd(testCtx(t)); err != nil || dir != "/" {
		t.Errorf("Pwd after %d preliminary replies = %q, %v", maxPreliminary, dir, err)
	}
	bad := dialLogin(t, srv)
	if _, err := bad.Pwd(testCtx(t)); KindOf(err) != KindProtocol {
		t.Errorf("Pwd after %d preliminary replies = %v, want a protocol error", maxPreliminary+1, err)
	}
}

// TestEndlessPreliminaryGreeting: a server repeating "120 ready soon"
// neither keeps Dial waiting past the connect timeout nor without bound.
func TestEndlessPreliminaryGreeting(t *testing.T) {
	serve := func(t *testing.T, every time.Duration) string {
		ln, err := net.Listen("tcp4", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		done := make(chan struct{})
		t.Cleanup(func() { ln.Close(); <-done })
		go func() {
			defer close(done)
			nc, err := ln.Accept()
			if err != nil {
				return
			}
			defer nc.Close()
			for {
				if _, err := nc.Write([]byte("120 ready soon\r\n")); err != nil {
					return
				}
				time.Sleep(every)
			}
		}()
		return ln.Addr().String()
	}
	t.Run("slow", func(t *testing.T) {
		start := time.Now()
		_, err := Dial(testCtx(t), serve(t, 50*time.Millisecond), WithConnectTimeout(300*time.Millisecond), WithIdleTimeout(time.Second))
		if d := time.Since(start); d > time.Second || KindOf(err) != KindConnection || !IsTimeout(err) {
			t.Errorf("Dial = %v after %v; want a timeout after the 300ms connect timeout", err, d.Round(time.Millisecond))
		}
	})
	t.Run("fast", func(t *testing.T) {
		_, err := Dial(testCtx(t), serve(t, time.Millisecond))
		if KindOf(err) != KindProtocol {
			t.Errorf("Dial = %v, want a protocol error", err)
		}
	})
}

// TestGreeting120Then220: "120 ready in n minutes", then 220.
func TestGreeting120Then220(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{Greeting: &ftptest.Reply{Raw: []byte("120 Ready in 1 minute.\r\n220 Ready.\r\n")}})
	c := dialLogin(t, srv)
	if g := c.Greeting(); g.Code != 220 || g.Msg() != "Ready." {
		t.Errorf("Greeting = %+v", g)
	}
}

// TestGreeting230: a server that logs clients in on connection; Login
// still works, whether USER gets 331, 230 or "503 already logged in".
func TestGreeting230(t *testing.T) {
	greeting := &ftptest.Reply{Code: 230, Text: "Pre-authenticated."}
	for _, user := range []*ftptest.Reply{nil, {Code: 230, Text: "OK."}, {Code: 503, Text: "Already logged in."}} {
		srv := ftptest.New(t, ftptest.Config{Greeting: greeting, Hook: hookVerb("USER", 1, user)})
		c := dialOnly(t, srv)
		if g := c.Greeting(); g.Code != 230 {
			t.Errorf("Greeting = %+v", g)
		}
		if err := c.Login(testCtx(t), "user", "pass"); err != nil {
			t.Errorf("Login (USER answered %v) = %v", user, err)
		}
		if err := c.Noop(testCtx(t)); err != nil {
			t.Error(err)
		}
	}
	// 503 to USER without a 230 greeting is a failed login.
	srv := ftptest.New(t, ftptest.Config{Hook: hookVerb("USER", 1, &ftptest.Reply{Code: 503, Text: "Bad sequence."})})
	if err := dialOnly(t, srv).Login(testCtx(t), "user", "pass"); KindOf(err) != KindAuth {
		t.Errorf("Login = %v, want KindAuth", err)
	}
}

// TestAuthTLS421: a server closing (421) in answer to AUTH is a
// connection error, not a TLS refusal.
func TestAuthTLS421(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{TLS: ftptest.TLSExplicit, Hook: hookVerb("AUTH", 1, &ftptest.Reply{Code: 421, Text: "Too many users."})})
	_, err := Dial(testCtx(t), srv.Addr(), tlsOpts(srv, TLSExplicit)...)
	if KindOf(err) != KindConnection || ReplyCode(err) != 421 {
		t.Fatalf("Dial = %v (kind %v), want KindConnection with 421", err, KindOf(err))
	}
}

// TestAccountAfterUser: a server that asks for the account right after
// USER (332, RFC 959 section 5.4).
func TestAccountAfterUser(t *testing.T) {
	hook := func(acct *ftptest.Reply) func(ftptest.Command) *ftptest.Reply {
		return func(c ftptest.Command) *ftptest.Reply {
			switch c.Verb {
			case "USER":
				return &ftptest.Reply{Code: 332, Text: "Need account for login."}
			case "ACCT":
				return acct
			case "PASS":
				return &ftptest.Reply{Code: 230, Text: "Logged in."}
			}
			return nil
		}
	}
	srv := ftptest.New(t, ftptest.Config{Hook: hook(&ftptest.Reply{Code: 230, Text: "Logged in."})})
	dialLogin(t, srv, WithAccount("acme"))
	matchCommands(t, srv.SessionCommands(1), []string{"USER user", "ACCT acme"})

	srv = ftptest.New(t, ftptest.Config{Hook: hook(&ftptest.Reply{Code: 331, Text: "Password, please."})})
	dialLogin(t, srv, WithAccount("acme"))
	matchCommands(t, srv.SessionCommands(1), []string{"USER user", "ACCT acme", "PASS pass"})

	// Without an account the login fails before the password is sent.
	srv = ftptest.New(t, ftptest.Config{Hook: hook(nil)})
	if err := dialOnly(t, srv).Login(testCtx(t), "user", "pass"); KindOf(err) != KindAuth {
		t.Fatalf("Login = %v, want KindAuth", err)
	}
	matchCommands(t, srv.SessionCommands(1), []string{"USER user"})
}

// TestAccountMaskedInTrace: ACCT and PASS arguments never reach the trace
// or an error, also when sent through Quote.
func TestAccountMaskedInTrace(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{Account: "acme-secret"})
	var trace strings.Builder
	c := dialLogin(t, srv, WithAccount("acme-secret"), WithTrace(&trace))
	c.Quote(testCtx(t), "ACCT other-secret")
	c.Quote(testCtx(t), "PASS pass-secret")
	if s := trace.String(); strings.Contains(s, "secret") || !strings.Contains(s, "> ACCT ****\n") {
		t.Errorf("trace shows the account:\n%s", s)
	}
}

// TestIACRefused: a 0xFF byte (Telnet IAC) in an argument is refused: a
// server that reads Telnet would act on another name.
func TestIACRefused(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{})
	writeFile(t, srv, "ab", []byte("victim"))
	c := dialLogin(t, srv)
	if err := c.Dele(testCtx(t), "a\xff\xf4b"); !errors.Is(err, ErrBadArgument) {
		t.Errorf("Dele = %v, want ErrBadArgument", err)
	}
	if _, _, err := c.Quote(testCtx(t), "DELE\xff ab"); !errors.Is(err, ErrBadArgument) {
		t.Errorf("Quote = %v, want ErrBadArgument", err)
	}
	readFile(t, srv, "ab")
	matchCommands(t, srv.SessionCommands(1), []string{"USER user", "PASS pass"})
}

// TestServerTextSanitised: escape sequences in server replies reach
// neither error strings nor the trace.
func TestServerTextSanitised(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{Hook: hookVerb("CWD", 1, &ftptest.Reply{Raw: []byte("550-No \x1b]0;pwned\x07 such\r\n550 folder \x1b[2J\x9b\u202e here\r\n")})})
	var trace strings.Builder
	c := dialLogin(t, srv, WithTrace(&trace))
	err := c.Cwd(testCtx(t), "x\x1b[1m")
	if ReplyCode(err) != 550 {
		t.Fatalf("Cwd = %v", err)
	}
	for name, s := range map[string]string{"error": err.Error(), "trace": trace.String()} {
		if strings.ContainsAny(s, "\x1b\x07\u202e") || strings.Contains(s, "\x9b") {
			t.Errorf("%s holds control characters: %q", name, s)
		}
		if !strings.Contains(s, `\x1b[2J\x9b\u202e here`) || !strings.Contains(s, `x\x1b[1m`) {
			t.Errorf("%s lacks the escaped text: %q", name, s)
		}
	}
	if re := (*ReplyError)(nil); !errors.As(err, &re) || !strings.Contains(re.Msg, "\x1b[2J") {
		t.Errorf("ReplyError.Msg is not the raw text: %v", err)
	}
}

func TestSanitize(t *testing.T) {
	for in, want := range map[string]string{
		"plain text, tab\there":  "plain text, tab\there",
		"héllo wörld":            "héllo wörld",
		"a\x1b[31mred":           `a\x1b[31mred`,
		"cr\rlf\nnul\x00del\x7f": `cr\rlf\nnul\x00del\x7f`,
		"c1\u009b and \xff":      `c1\x9b and \xff`,
		"bidi\u202egnp.exe":      `bidi\u202egnp.exe`,
	} {
		if got := Sanitize(in); got != want {
			t.Errorf("Sanitize(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestZeroTimeoutsMeanDefault: a zero timeout (a flag's zero value) is
// the default, not an immediate deadline.
func TestZeroTimeoutsMeanDefault(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{})
	for _, opt := range []Option{WithIdleTimeout(0), WithConnectTimeout(0), WithIdleTimeout(-time.Second)} {
		c, err := Dial(testCtx(t), srv.Addr(), opt)
		if err != nil {
			t.Fatalf("Dial: %v", err)
		}
		if c.opts.idleTimeout != DefaultIdleTimeout || c.opts.connectTimeout != DefaultConnectTimeout {
			t.Errorf("timeouts %v, %v", c.opts.connectTimeout, c.opts.idleTimeout)
		}
		c.Close()
	}
}
