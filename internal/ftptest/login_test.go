package ftptest

import (
	"slices"
	"strings"
	"testing"
)

func TestLogin(t *testing.T) {
	s := newServer(t, Config{})
	c := dial(t, s)
	c.expect(530, "PWD")
	c.expect(503, "PASS pass")
	c.expect(331, "USER user")
	c.expect(230, "PASS pass")
	if msg := c.expect(257, "PWD"); msg != `"/" is the current directory` {
		t.Errorf("PWD: %q", msg)
	}
	c.expect(230, "PASS again")
	c.expect(202, "ACCT x")
	c.expect(221, "QUIT")
	c.expectClosed()

	want := []string{"PWD", "PASS pass", "USER user", "PASS pass", "PWD", "PASS again", "ACCT x", "QUIT"}
	if got := s.Commands(); !slices.Equal(got, want) {
		t.Errorf("Commands() = %q, want %q", got, want)
	}
	if got := s.SessionCommands(1); !slices.Equal(got, want) {
		t.Errorf("SessionCommands(1) = %q, want %q", got, want)
	}
	s.ResetCommands()
	if got := s.Commands(); len(got) != 0 {
		t.Errorf("after ResetCommands: %q", got)
	}
}

func TestLoginRefused(t *testing.T) {
	s := newServer(t, Config{Users: map[string]string{"alice": "secret"}})
	c := dial(t, s)
	c.expect(331, "USER alice")
	c.expect(530, "PASS wrong")
	c.expect(503, "PASS secret") // USER must come again
	c.expect(331, "USER nobody")
	c.expect(530, "PASS secret")
	c.expect(331, "USER anonymous")
	c.expect(530, "PASS me@example.com")
	c.expect(331, "USER alice")
	c.expect(230, "PASS secret")
}

func TestAnonymous(t *testing.T) {
	s := newServer(t, Config{Anonymous: true})
	for _, user := range []string{"anonymous", "ftp", "ANONYMOUS"} {
		c := dial(t, s)
		c.expect(331, "USER %s", user)
		c.expect(230, "PASS whatever@example.com")
		c.expect(221, "QUIT")
	}
	c := dial(t, s)
	c.expect(331, "USER user")
	c.expect(530, "PASS wrong")
}

func TestAccount(t *testing.T) {
	s := newServer(t, Config{Account: "acct1"})
	c := dial(t, s)
	c.expect(503, "ACCT acct1")
	c.expect(331, "USER user")
	c.expect(332, "PASS pass")
	c.expect(530, "PWD")
	c.expect(530, "ACCT wrong")
	c.expect(331, "USER user")
	c.expect(332, "PASS pass")
	c.expect(230, "ACCT acct1")
	c.expect(257, "PWD")
}

func TestUnknownAndMalformed(t *testing.T) {
	s := newServer(t, Config{})
	c := dial(t, s)
	c.expect(500, "FOO bar")
	c.expect(500, "")
	c.login()
	c.expect(500, "XYZZY")
	c.expect(501, "TYPE")
	c.expect(504, "TYPE E")
	c.expect(504, "MODE B")
	c.expect(504, "STRU R")
	c.expect(501, "REST -1")
	c.expect(501, "REST abc")
	c.expect(501, "OPTS FOO ON")
	// Verbs are case-insensitive; Raw keeps what was sent.
	c.expect(200, "noop")
	if got := s.Commands(); got[len(got)-1] != "noop" {
		t.Errorf("last raw command %q", got[len(got)-1])
	}
}

func TestLineTooLong(t *testing.T) {
	s := newServer(t, Config{})
	c := dial(t, s)
	c.expect(200, "NOOP %s", strings.Repeat("x", maxLine-5)) // exactly maxLine bytes
	c.send("NOOP %s", strings.Repeat("x", maxLine))
	c.expectReply(500)
	c.expectClosed()
}

func TestMiscCommands(t *testing.T) {
	s := newServer(t, Config{})
	c := dial(t, s)
	c.expect(215, "SYST")
	c.expect(200, "NOOP")
	if msg := c.expect(214, "HELP"); !strings.Contains(msg, "RETR") {
		t.Errorf("HELP: %q", msg)
	}
	c.expect(214, "HELP retr")
	c.expect(200, "OPTS UTF8 ON")
	c.login()
	c.expect(200, "TYPE I")
	c.expect(200, "TYPE A")
	c.expect(200, "TYPE A N")
	c.expect(200, "TYPE L 8")
	c.expect(200, "MODE S")
	c.expect(200, "STRU F")
	msg := c.expect(211, "STAT")
	if !strings.Contains(msg, "Logged in as user") || !strings.Contains(msg, "TYPE: BINARY") {
		t.Errorf("STAT: %q", msg)
	}
	c.expect(350, "REST 10")
	c.expect(225, "ABOR")
	c.expect(221, "QUIT")
}

func TestFEAT(t *testing.T) {
	s := newServer(t, Config{TLS: TLSExplicit})
	c := dial(t, s)
	want := strings.Join([]string{
		"Features:",
		" AUTH TLS",
		" PBSZ",
		" PROT",
		" EPRT",
		" EPSV",
		" HASH SHA-256*",
		" MDTM",
		" MFMT",
		" MLST type*;size*;modify*;perm*;unix.mode*;",
		" REST STREAM",
		" SIZE",
		" TVFS",
		" UTF8",
		"End",
	}, "\n")
	if got := c.expect(211, "FEAT"); got != want {
		t.Errorf("FEAT:\n%s\nwant:\n%s", got, want)
	}
	c.login()
	c.expect(200, "OPTS MLST type;size;bogus;")
	if got := c.expect(211, "FEAT"); !strings.Contains(got, " MLST type*;size*;modify;perm;unix.mode;\n") {
		t.Errorf("FEAT after OPTS MLST:\n%s", got)
	}
}

func TestDisable(t *testing.T) {
	s := newServer(t, Config{Disable: []string{"epsv", "MLSD", "MLST", "REST", "UTF8", "SIZE"}})
	c := dial(t, s)
	feat := c.expect(211, "FEAT")
	for _, gone := range []string{"EPSV", "MLST", "REST", "UTF8", "SIZE"} {
		if strings.Contains(feat, gone) {
			t.Errorf("FEAT lists disabled %s:\n%s", gone, feat)
		}
	}
	c.expect(501, "OPTS UTF8 ON")
	c.login()
	for _, cmd := range []string{"EPSV", "MLSD", "MLST x", "REST 5", "SIZE x"} {
		c.expect(502, "%s", cmd)
	}
	c.expect(227, "PASV")

	s2 := newServer(t, Config{Disable: []string{"FEAT"}})
	dial(t, s2).expect(502, "FEAT")
}

// TestDisableCode: disabled verbs get the code asked for, as servers
// without a command answer it.
func TestDisableCode(t *testing.T) {
	for _, code := range []int{500, 501, 502, 504} {
		s := newServer(t, Config{Disable: []string{"SIZE", "FEAT"}, DisableCode: code})
		c := dial(t, s)
		c.expect(code, "FEAT")
		c.login()
		c.expect(code, "SIZE x")
	}
}

func TestGreetingReplies(t *testing.T) {
	t.Run("421", func(t *testing.T) {
		s := newServer(t, Config{Greeting: &Reply{Code: 421, Text: "Too many users."}})
		c := dialRaw(t, s)
		if msg := c.expectReply(421); msg != "Too many users." {
			t.Errorf("greeting %q", msg)
		}
		c.expectClosed()
	})
	t.Run("230", func(t *testing.T) {
		s := newServer(t, Config{Greeting: &Reply{Code: 230, Text: "Already in."}})
		c := dialRaw(t, s)
		c.expectReply(230)
		c.expect(257, "PWD")
	})
	t.Run("multiline", func(t *testing.T) {
		s := newServer(t, Config{Greeting: &Reply{Code: 220, Text: "Welcome\n220 looks final but is not\nready"}})
		c := dialRaw(t, s)
		if msg := c.expectReply(220); msg != "Welcome\n 220 looks final but is not\nready" {
			t.Errorf("greeting %q", msg)
		}
	})
	t.Run("raw", func(t *testing.T) {
		s := newServer(t, Config{Greeting: &Reply{Raw: []byte("220-first\r\n220 second\r\n")}})
		c := dialRaw(t, s)
		if line := c.readLine(); line != "220-first\r\n" {
			t.Errorf("line %q", line)
		}
	})
}
