package client

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ferry-ftp/ferry/internal/ftptest"
)

// aheadFiles are the files the lookahead tests download, in order: one
// of several data segments, an empty one and a small one.
var aheadFiles = []struct {
	name string
	data []byte
}{
	{"a.bin", bytes.Repeat([]byte("0123456789abcdef"), 20000)},
	{"b.txt", nil},
	{"c.txt", []byte("the third file\n")},
	{"d.txt", []byte("the fourth file\n")},
}

func aheadServer(t *testing.T, cfg ftptest.Config) *ftptest.Server {
	t.Helper()
	srv := ftptest.New(t, cfg)
	for _, f := range aheadFiles {
		writeFile(t, srv, f.name, f.data)
	}
	return srv
}

func aheadNames() []string {
	var names []string
	for _, f := range aheadFiles {
		names = append(names, f.name)
	}
	return names
}

// fetchAhead downloads paths one after the other on c with RetrNext, each
// naming the following path as its next, and returns each file's data
// and error.
func fetchAhead(ctx context.Context, c *Conn, paths []string) ([][]byte, []error) {
	data, errs := make([][]byte, len(paths)), make([]error, len(paths))
	for i, p := range paths {
		next := func() (string, bool) {
			if i+1 < len(paths) {
				return paths[i+1], true
			}
			return "", false
		}
		rc, err := c.RetrNext(ctx, p, 0, next)
		if err != nil {
			errs[i] = err
			continue
		}
		b, rerr := io.ReadAll(rc)
		data[i], errs[i] = b, errors.Join(rerr, rc.Close())
	}
	return data, errs
}

// checkExact fails unless the files at want (indexes into aheadFiles)
// arrived whole and without error.
func checkExact(t *testing.T, data [][]byte, errs []error, want ...int) {
	t.Helper()
	for _, i := range want {
		if errs[i] != nil {
			t.Errorf("%s: %v", aheadFiles[i].name, errs[i])
		} else if !bytes.Equal(data[i], aheadFiles[i].data) {
			t.Errorf("%s: got %d bytes, want %d", aheadFiles[i].name, len(data[i]), len(aheadFiles[i].data))
		}
	}
}

// gate holds replies until a command arrives: hold returns a channel that
// is closed once the server has received the command (its line, as "RETR
// b.txt", or its verb and number, as "EPSV#2" for the second EPSV); the
// hook reports each command to seen. The server reads a command sent
// during a transfer before the transfer's final reply goes out, but
// handles it (and reads the next) only after.
type gate struct {
	mu     sync.Mutex
	counts map[string]int
	lines  map[string]chan struct{}
}

func (g *gate) hold(line string) <-chan struct{} {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.chanLocked(line)
}

func (g *gate) chanLocked(line string) chan struct{} {
	if g.lines == nil {
		g.lines = map[string]chan struct{}{}
	}
	if g.lines[line] == nil {
		g.lines[line] = make(chan struct{})
	}
	return g.lines[line]
}

func (g *gate) seen(c ftptest.Command) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.counts == nil {
		g.counts = map[string]int{}
	}
	g.counts[c.Verb]++
	g.open(c.Raw)
	g.open(fmt.Sprintf("%s#%d", c.Verb, g.counts[c.Verb]))
}

// open closes the channel of key, once.
func (g *gate) open(key string) {
	ch := g.chanLocked(key)
	select {
	case <-ch:
	default:
		close(ch)
	}
}

// opener returns a function that opens key, for ftptest.Reply.Sent.
func (g *gate) opener(key string) func() {
	return func() {
		g.mu.Lock()
		defer g.mu.Unlock()
		g.open(key)
	}
}

// index returns the position of the first entry of tr equal to line at
// or after from, or -1.
func index(tr []string, from int, line string) int {
	for i := max(from, 0); i < len(tr); i++ {
		if tr[i] == line {
			return i
		}
	}
	return -1
}

// verbsOnly returns lines with the addresses of EPRT and PORT commands
// (after prefix) cut off.
func verbsOnly(lines []string, prefix string) []string {
	out := slices.Clone(lines)
	for i, l := range out {
		for _, verb := range []string{"EPRT ", "PORT "} {
			if strings.HasPrefix(l, prefix+verb) {
				out[i] = prefix + verb[:4]
			}
		}
	}
	return out
}

// aheadConn logs in to srv with pipelining on and the features read, so
// that the first transfer too is pipelined.
func aheadConn(t *testing.T, srv *ftptest.Server, opts ...Option) *Conn {
	t.Helper()
	c := dialLogin(t, srv, append([]Option{WithPipelining(true)}, opts...)...)
	if _, err := c.Features(testCtx(t)); err != nil {
		t.Fatal(err)
	}
	if err := c.Type(testCtx(t), TypeBinary); err != nil {
		t.Fatal(err)
	}
	return c
}

// notAhead reports whether the RETR of name went out after the final
// reply before it: the passive command before that RETR came after a 226.
func notAhead(tr []string, from int, name string) bool {
	at := index(tr, from, "> RETR "+name)
	for i := at - 1; i > 0; i-- {
		if tr[i] == "> EPSV" || tr[i] == "> PASV" {
			return strings.HasPrefix(tr[i-1], "< 226 ")
		}
	}
	return false
}

// TestLookaheadSendsNextBeforeFinal checks the order on the wire: the
// EPSV (PASV) of each next file, and its RETR right after it, reach the
// server before it sends the final reply of the file before (the server
// holds each 226 until that EPSV has arrived, as vsftpd holds it until the
// client closes the data connection), and the files arrive exact. Plain
// and TLS data connections, EPSV and PASV, and in active mode EPRT and
// PORT.
func TestLookaheadSendsNextBeforeFinal(t *testing.T) {
	for _, tc := range []struct {
		name, setup string
		cfg         ftptest.Config
		opts        func(*ftptest.Server) []Option
	}{
		{"EPSV", "EPSV", ftptest.Config{}, func(*ftptest.Server) []Option { return nil }},
		{"PASV", "PASV", ftptest.Config{}, func(*ftptest.Server) []Option { return []Option{WithEPSV(false)} }},
		{"TLS", "EPSV", ftptest.Config{TLS: ftptest.TLSExplicit, RequireTLS: true, RequireSessionReuse: true},
			func(s *ftptest.Server) []Option { return tlsOpts(s, TLSExplicit) }},
		{"active EPRT", "EPRT", ftptest.Config{}, func(*ftptest.Server) []Option { return []Option{WithDataMode(Active)} }},
		{"active PORT", "PORT", ftptest.Config{}, func(*ftptest.Server) []Option {
			return []Option{WithDataMode(Active), WithEPSV(false)}
		}},
		{"active TLS", "EPRT", ftptest.Config{TLS: ftptest.TLSExplicit, RequireTLS: true, RequireSessionReuse: true},
			func(s *ftptest.Server) []Option { return append(tlsOpts(s, TLSExplicit), WithDataMode(Active)) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var g gate
			names := aheadNames()
			setup := tc.setup
			cfg := tc.cfg
			cfg.Hook = func(c ftptest.Command) *ftptest.Reply {
				g.seen(c)
				if c.Verb == "RETR" {
					// File i's EPSV is the (i+1)th.
					if i := slices.Index(names, c.Arg); i+1 < len(names) {
						return &ftptest.Reply{Transfer: &ftptest.Transfer{Final: &ftptest.Reply{Wait: g.hold(fmt.Sprintf("%s#%d", setup, i+2))}}}
					}
				}
				return nil
			}
			srv := aheadServer(t, cfg)
			c := aheadConn(t, srv, tc.opts(srv)...)
			setTimeouts(c, 0, 5*time.Second)
			data, errs := fetchAhead(testCtx(t), c, names)
			checkExact(t, data, errs, 0, 1, 2, 3)

			var want []string
			for _, n := range names {
				want = append(want, setup, "RETR "+n)
			}
			got := verbsOnly(srv.SessionCommands(1), "")
			from := slices.Index(got, setup)
			if from < 0 {
				t.Fatalf("no %s in %q", setup, got)
			}
			matchCommands(t, got[from:], want)
			tr := verbsOnly(srv.Transcript(1), "> ")
			for i := 0; i+1 < len(names); i++ {
				at := index(tr, 0, "> RETR "+names[i])
				final := index(tr, at, "< 226 Transfer complete.")
				if next := index(tr, at, "> "+setup); next < 0 || final < 0 || next > final {
					t.Errorf("the %s of %s arrived at %d, the 226 of %s went out at %d; want it before:\n%s", setup, names[i+1], next, names[i], final, strings.Join(tr, "\n"))
				}
			}
			if err := c.Refusals().NoLookahead(); err != nil {
				t.Errorf("lookahead turned off: %v", err)
			}
		})
	}
}

// TestLookaheadOff checks that without pipelining (--no-pipeline) nothing
// is sent ahead: each EPSV or PORT goes out after the final reply of the
// transfer before it.
func TestLookaheadOff(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts []Option
	}{
		{"no pipelining", []Option{WithPipelining(false)}},
		{"no pipelining, active", []Option{WithPipelining(false), WithDataMode(Active)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := aheadServer(t, ftptest.Config{})
			c := aheadConn(t, srv, tc.opts...)
			data, errs := fetchAhead(testCtx(t), c, aheadNames())
			checkExact(t, data, errs, 0, 1, 2, 3)
			tr := srv.Transcript(1)
			for _, n := range aheadNames()[1:] {
				at := index(tr, 0, "> RETR "+n)
				if at < 1 || !strings.HasPrefix(tr[at-1], "< 2") {
					t.Errorf("RETR %s did not follow its data command's reply:\n%s", n, strings.Join(tr, "\n"))
				}
			}
		})
	}
}

// TestLookaheadCurrentFails checks a failure of the file in flight while
// the next one was sent ahead: the final reply 426 after all the data,
// and a server that closes the control connection instead of sending it.
// The current file fails with that error; the transfer sent ahead is
// aborted (or goes with the connection), and the next file, fetched
// afresh, arrives exact.
func TestLookaheadCurrentFails(t *testing.T) {
	t.Run("426", func(t *testing.T) {
		var g gate
		srv := aheadServer(t, ftptest.Config{Hook: func(c ftptest.Command) *ftptest.Reply {
			g.seen(c)
			if c.Raw == "RETR a.bin" {
				return &ftptest.Reply{Transfer: &ftptest.Transfer{Final: &ftptest.Reply{Code: 426, Text: "Connection closed; transfer aborted.", Wait: g.hold("EPSV#2")}}}
			}
			return nil
		}})
		c := aheadConn(t, srv)
		data, errs := fetchAhead(testCtx(t), c, aheadNames())
		if ReplyCode(errs[0]) != 426 || KindOf(errs[0]) != KindConnection {
			t.Errorf("a.bin: %v, want the 426 as a connection error", errs[0])
		}
		checkExact(t, data, errs, 1, 2, 3)
		got := srv.SessionCommands(1)
		matchCommands(t, got[slices.Index(got, "EPSV"):], []string{"EPSV", "RETR a.bin", "EPSV", "RETR b.txt", "ABOR", "NOOP",
			"EPSV", "RETR b.txt", "EPSV", "RETR c.txt", "EPSV", "RETR d.txt"})
		if err := c.Refusals().NoLookahead(); err != nil {
			t.Errorf("lookahead turned off by a failed transfer: %v", err)
		}
	})
	// The server closes the control connection instead of the final
	// reply of a.bin (which fails), or right after it (b.txt fails).
	for _, after := range []bool{false, true} {
		name := "control connection closed instead of the 226"
		if after {
			name = "control connection closed after the 226"
		}
		t.Run(name, func(t *testing.T) {
			var g gate
			epsv := 0
			srv := aheadServer(t, ftptest.Config{Hook: func(c ftptest.Command) *ftptest.Reply {
				g.seen(c)
				switch {
				case c.Raw == "RETR a.bin" && c.Session == 1 && !after:
					return &ftptest.Reply{Transfer: &ftptest.Transfer{Final: &ftptest.Reply{Raw: []byte{}, Close: true, Wait: g.hold("EPSV#2")}}}
				case c.Verb == "EPSV" && c.Session == 1 && after:
					if epsv++; epsv == 2 {
						return &ftptest.Reply{Raw: []byte{}, Close: true, AfterTransfer: true}
					}
				}
				return nil
			}})
			refusals := NewRefusals()
			c := aheadConn(t, srv, WithRefusals(refusals))
			data, errs := fetchAhead(testCtx(t), c, aheadNames())
			if after {
				checkExact(t, data, errs, 0)
			} else if KindOf(errs[0]) != KindConnection {
				t.Errorf("a.bin: %v, want a connection error", errs[0])
			}
			for i := 1; i < len(errs); i++ {
				if KindOf(errs[i]) != KindConnection {
					t.Errorf("%s: %v, want a connection error (retried on a new connection)", aheadFiles[i].name, errs[i])
				}
			}
			if refusals.NoLookahead() == nil {
				t.Error("lookahead still on after the server closed the connection with a transfer sent ahead")
			}
			// A new connection of the session sends nothing ahead.
			c2 := aheadConn(t, srv, WithRefusals(refusals))
			data, errs = fetchAhead(testCtx(t), c2, aheadNames())
			checkExact(t, data, errs, 0, 1, 2, 3)
			tr := srv.Transcript(2)
			for _, n := range aheadNames()[1:] {
				if !notAhead(tr, 0, n) {
					t.Errorf("RETR %s was sent ahead after lookahead was off:\n%s", n, strings.Join(tr, "\n"))
				}
			}
		})
	}
	t.Run("data connection reset", func(t *testing.T) {
		// A broken read never reaches the end of the data: nothing is
		// sent ahead.
		srv := aheadServer(t, ftptest.Config{Hook: func(c ftptest.Command) *ftptest.Reply {
			if c.Raw == "RETR a.bin" {
				return &ftptest.Reply{Transfer: &ftptest.Transfer{DropAfter: 1000}}
			}
			return nil
		}})
		c := aheadConn(t, srv)
		data, errs := fetchAhead(testCtx(t), c, aheadNames())
		if errs[0] == nil {
			t.Error("a.bin: no error after a reset data connection")
		}
		checkExact(t, data, errs, 1, 2, 3)
		got := srv.SessionCommands(1)
		at := slices.Index(got, "RETR a.bin")
		if at < 0 || got[at+1] != "ABOR" {
			t.Errorf("after RETR a.bin: %q, want ABOR first", got[at:])
		}
	})
}

// TestLookaheadNextRefused checks that a RETR sent ahead that the server
// refuses (550, after the 226 of the file before) fails that file alone.
func TestLookaheadNextRefused(t *testing.T) {
	srv := aheadServer(t, ftptest.Config{Hook: func(c ftptest.Command) *ftptest.Reply {
		if c.Raw == "RETR b.txt" {
			return &ftptest.Reply{Code: 550, Text: "b.txt: Permission denied.", AfterTransfer: true}
		}
		return nil
	}})
	c := aheadConn(t, srv)
	data, errs := fetchAhead(testCtx(t), c, aheadNames())
	if ReplyCode(errs[1]) != 550 {
		t.Errorf("b.txt: %v, want 550", errs[1])
	}
	checkExact(t, data, errs, 0, 2, 3)
	got := srv.SessionCommands(1)
	matchCommands(t, got[slices.Index(got, "EPSV"):], []string{"EPSV", "RETR a.bin", "EPSV", "RETR b.txt",
		"EPSV", "RETR c.txt", "EPSV", "RETR d.txt"})
	if err := c.Refusals().NoLookahead(); err != nil {
		t.Errorf("lookahead turned off: %v", err)
	}
}

// TestLookaheadRefusedByServer checks servers that do not take a passive
// command sent ahead: one that answers 425 to it, in order or before the
// final reply of the transfer under way, and one that answers 229 before
// that final reply. Lookahead is found out and turned off for the session
// (on every connection that shares its Refusals); the file whose final
// reply came out of order fails as a connection error (a retry fetches
// it), and every other file arrives exact.
func TestLookaheadRefusedByServer(t *testing.T) {
	for _, tc := range []struct {
		name string
		// reply is the answer to the second EPSV; the 226 before waits
		// for g's "sent" when it answers out of order.
		reply func(g *gate) *ftptest.Reply
		// failA: the first file fails (its outcome is unknown), and the
		// connection with it when drop is set.
		failA, drop bool
	}{
		{"425 in order", func(g *gate) *ftptest.Reply {
			g.opener("sent")()
			return &ftptest.Reply{Code: 425, Text: "Transfer in progress.", AfterTransfer: true}
		}, false, false},
		{"503 before the 226", func(g *gate) *ftptest.Reply {
			return &ftptest.Reply{Code: 503, Text: "Transfer in progress.", Sent: g.opener("sent")}
		}, true, false},
		{"229 before the 226", func(g *gate) *ftptest.Reply {
			return &ftptest.Reply{Code: 229, Text: "Entering Extended Passive Mode (|||1|)", Sent: g.opener("sent")}
		}, true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var g gate
			epsv := 0
			srv := aheadServer(t, ftptest.Config{Hook: func(c ftptest.Command) *ftptest.Reply {
				g.seen(c)
				switch {
				case c.Verb == "EPSV" && c.Session == 1:
					if epsv++; epsv == 2 {
						return tc.reply(&g)
					}
				case c.Raw == "RETR a.bin" && c.Session == 1:
					// The 226 waits for the answer to the EPSV sent
					// ahead when that goes out at once.
					return &ftptest.Reply{Transfer: &ftptest.Transfer{Final: &ftptest.Reply{Wait: g.hold("sent")}}}
				}
				return nil
			}})
			refusals := NewRefusals()
			c := aheadConn(t, srv, WithRefusals(refusals))
			data, errs := fetchAhead(testCtx(t), c, aheadNames())
			if tc.failA != (errs[0] != nil) {
				t.Errorf("a.bin: %v, want failure %v", errs[0], tc.failA)
			}
			if errs[0] != nil && KindOf(errs[0]) != KindConnection {
				t.Errorf("a.bin: %v, want a connection error (retried)", errs[0])
			}
			if !tc.failA {
				checkExact(t, data, errs, 0)
			}
			if refusals.NoLookahead() == nil {
				t.Error("lookahead still on")
			}
			if tc.drop != (c.Err() != nil) {
				t.Fatalf("connection dropped: %v, want %v", c.Err(), tc.drop)
			}
			first := "c.txt" // the files fetched after lookahead was off
			if tc.drop {
				c = aheadConn(t, srv, WithRefusals(refusals))
				data, errs = fetchAhead(testCtx(t), c, aheadNames())
				first = "b.txt"
			}
			checkExact(t, data, errs, 1, 2, 3)
			tr := srv.Transcript(srv.Sessions())
			for _, n := range aheadNames()[slices.Index(aheadNames(), first):] {
				if !notAhead(tr, 0, n) {
					t.Errorf("RETR %s was sent ahead after lookahead was off:\n%s", n, strings.Join(tr, "\n"))
				}
			}
		})
	}
}

// TestLookaheadAbortedByOtherCommand checks that a command other than the
// RETR sent ahead (MDTM, a RETR of another file) first aborts it: ABOR,
// with the data connection the server waits for opened and reset, and the
// connection stays in step (a server left waiting for that connection
// would answer ABOR too late, and the connection would be dropped).
func TestLookaheadAbortedByOtherCommand(t *testing.T) {
	srv := aheadServer(t, ftptest.Config{})
	c := aheadConn(t, srv)
	ctx := testCtx(t)
	rc, err := c.RetrNext(ctx, "c.txt", 0, func() (string, bool) { return "a.bin", true })
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadAll(rc); err != nil {
		t.Fatal(err)
	}
	if err := rc.Close(); err != nil {
		t.Fatal(err)
	}
	if p, ok := c.Ahead(); !ok || p != "a.bin" {
		t.Fatalf("Ahead() = %q, %v; want a.bin", p, ok)
	}
	if _, err := c.ModTime(ctx, "d.txt"); err != nil {
		t.Fatalf("MDTM after the abort: %v", err)
	}
	if _, ok := c.Ahead(); ok {
		t.Error("still a transfer sent ahead after MDTM")
	}
	// Retr of another path than the one sent ahead aborts it too.
	rc, err = c.RetrNext(ctx, "c.txt", 0, func() (string, bool) { return "a.bin", true })
	if err != nil {
		t.Fatal(err)
	}
	io.ReadAll(rc)
	rc.Close()
	if b := get(t, c, "d.txt", 0); string(b) != "the fourth file\n" {
		t.Errorf("d.txt = %q", b)
	}
	if err := c.Quit(ctx); err != nil {
		t.Fatalf("Quit: %v", err)
	}
	// QUIT is not waited for: the session ends when the server has read it.
	if !srv.WaitSessions(10 * time.Second) {
		t.Fatal("the session did not end after QUIT")
	}
	got := srv.SessionCommands(1)
	matchCommands(t, got[slices.Index(got, "EPSV"):], []string{"EPSV", "RETR c.txt", "EPSV", "RETR a.bin", "ABOR", "NOOP", "MDTM d.txt",
		"EPSV", "RETR c.txt", "EPSV", "RETR a.bin", "ABOR", "NOOP", "EPSV", "RETR d.txt", "QUIT"})
}

// TestLookaheadCancel checks an interrupt with a transfer sent ahead:
// before the current file's final reply (the connection is dropped, so
// nothing of either reply is taken for another's) and after it, before
// the next Retr (which then fails at once).
func TestLookaheadCancel(t *testing.T) {
	var g gate
	srv := aheadServer(t, ftptest.Config{Hook: func(c ftptest.Command) *ftptest.Reply {
		g.seen(c)
		if c.Raw == "RETR a.bin" {
			return &ftptest.Reply{Transfer: &ftptest.Transfer{Final: &ftptest.Reply{Wait: g.hold("never")}}}
		}
		return nil
	}})
	c := aheadConn(t, srv)
	ctx, cancel := context.WithCancel(testCtx(t))
	rc, err := c.RetrNext(ctx, "a.bin", 0, func() (string, bool) { return "b.txt", true })
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadAll(rc); err != nil {
		t.Fatal(err)
	}
	<-g.hold("EPSV#2") // sent ahead
	cancel()
	err = rc.Close()
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Close = %v, want cancelled", err)
	}
	if c.Err() == nil {
		t.Error("connection kept with the replies of a transfer sent ahead due")
	}
}
