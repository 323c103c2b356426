package client

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ferry-ftp/ferry/internal/ftptest"
	"github.com/ferry-ftp/ferry/internal/testsupport"
)

// thief connects to the active-mode address a client announces, as anyone
// on the server's host can (control port + 1 is easy to guess, and the
// connection comes from the server's IP): it sends its payload,
// half-closes, and counts what the client sends it until the client
// closes the connection.
type thief struct {
	payload  string
	conns    atomic.Int32
	received atomic.Int64
	wg       sync.WaitGroup
}

// hook returns a Config.Hook that, when it sees PORT or EPRT, connects to
// the announced address before the server handles the command (and
// answers 200), then hands every command to next (which may be nil).
func (th *thief) hook(t *testing.T, next func(ftptest.Command) *ftptest.Reply) func(ftptest.Command) *ftptest.Reply {
	return func(c ftptest.Command) *ftptest.Reply {
		if c.Verb == "PORT" || c.Verb == "EPRT" {
			th.steal(t, c)
		}
		if next != nil {
			return next(c)
		}
		return nil
	}
}

func (th *thief) steal(t *testing.T, c ftptest.Command) {
	addr, err := announcedAddr(c)
	if err != nil {
		t.Errorf("thief: %v", err)
		return
	}
	nc, err := net.Dial("tcp", addr)
	if err != nil {
		t.Errorf("thief: %v", err)
		return
	}
	th.conns.Add(1)
	nc.Write([]byte(th.payload))
	nc.(*net.TCPConn).CloseWrite()
	th.wg.Add(1)
	go func() {
		defer th.wg.Done()
		defer nc.Close()
		n, _ := io.Copy(io.Discard, nc)
		th.received.Add(n)
	}()
}

// wait waits until the client has closed every stolen connection.
func (th *thief) wait(t *testing.T) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		th.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-testCtx(t).Done():
		t.Fatal("the client never closed a stolen connection")
	}
}

// announcedAddr returns the address of a PORT or EPRT command.
func announcedAddr(c ftptest.Command) (string, error) {
	if c.Verb == "PORT" {
		f := strings.Split(c.Arg, ",")
		if len(f) != 6 {
			return "", fmt.Errorf("bad PORT %q", c.Arg)
		}
		hi, _ := strconv.Atoi(f[4])
		lo, _ := strconv.Atoi(f[5])
		return net.JoinHostPort(strings.Join(f[:4], "."), strconv.Itoa(hi<<8|lo)), nil
	}
	f := strings.Split(c.Arg, c.Arg[:1])
	if len(f) != 5 {
		return "", fmt.Errorf("bad EPRT %q", c.Arg)
	}
	return net.JoinHostPort(f[2], f[3]), nil
}

// activeConn logs in to srv in active mode with a trace; with eprt it
// reads FEAT so that EPRT is used instead of PORT. The server's command
// record starts after the login.
func activeConn(t *testing.T, srv *ftptest.Server, eprt bool, trace io.Writer) *Conn {
	t.Helper()
	c := dialLogin(t, srv, WithDataMode(Active), WithTrace(trace))
	if eprt {
		if _, err := c.Features(testCtx(t)); err != nil {
			t.Fatal(err)
		}
		if !c.HasFeature("EPRT") {
			t.Fatal("FEAT does not list EPRT")
		}
	}
	srv.ResetCommands()
	return c
}

// portVerbs runs f with PORT and with EPRT announcing the address.
func portVerbs(t *testing.T, f func(t *testing.T, verb string)) {
	for _, verb := range []string{"PORT", "EPRT"} {
		t.Run(verb, func(t *testing.T) { f(t, verb) })
	}
}

// TestActiveEarlyConnectionDropped: a connection that reaches the active
// listener after PORT/EPRT but before RETR is closed unread; the client
// reads exactly the file the server sends on its own connection.
func TestActiveEarlyConnectionDropped(t *testing.T) {
	portVerbs(t, func(t *testing.T, verb string) {
		th := &thief{payload: "STOLEN"}
		srv := ftptest.New(t, ftptest.Config{Hook: th.hook(t, nil)})
		want := []byte("the real file's bytes")
		writeFile(t, srv, "f", want)
		var trace testsupport.LockedBuffer
		c := activeConn(t, srv, verb == "EPRT", &trace)
		if got := get(t, c, "f", 0); !bytes.Equal(got, want) {
			t.Errorf("got %q, want %q", got, want)
		}
		matchCommands(t, srv.SessionCommands(1), []string{verb + " *", "RETR f"})
		th.wait(t)
		if n := th.conns.Load(); n != 1 {
			t.Errorf("thief connected %d times, want 1", n)
		}
		if n := th.received.Load(); n != 0 {
			t.Errorf("the thief's connection got %d bytes from the client", n)
		}
		if !strings.Contains(trace.String(), "before RETR was sent") {
			t.Errorf("the trace does not say what was refused:\n%s", trace.String())
		}
	})
}

// TestActiveEarlyConnectionRetry425: the first RETR is answered 425 with
// no preliminary reply; the retry on a new port meets a thief again and
// still reads only the server's data. When every RETR gets 425, Retr
// fails and nothing reaches the caller.
func TestActiveEarlyConnectionRetry425(t *testing.T) {
	portVerbs(t, func(t *testing.T, verb string) {
		th := &thief{payload: "STOLEN"}
		srv := ftptest.New(t, ftptest.Config{Hook: th.hook(t, hookVerb("RETR", 1, &ftptest.Reply{Code: 425, Text: "Can't open data connection."}))})
		want := []byte("the real file's bytes")
		writeFile(t, srv, "f", want)
		var trace testsupport.LockedBuffer
		c := activeConn(t, srv, verb == "EPRT", &trace)
		if got := get(t, c, "f", 0); !bytes.Equal(got, want) {
			t.Errorf("got %q, want %q", got, want)
		}
		cmds := srv.SessionCommands(1)
		matchCommands(t, cmds, []string{verb + " *", "RETR f", verb + " *", "RETR f"})
		if len(cmds) == 4 && cmds[0] == cmds[2] {
			t.Errorf("the retry announced the same port: %q", cmds)
		}
		th.wait(t)
		if n := th.conns.Load(); n != 2 {
			t.Errorf("thief connected %d times, want 2", n)
		}
		if n := strings.Count(trace.String(), "before RETR was sent"); n != 2 {
			t.Errorf("trace reports %d refusals, want 2:\n%s", n, trace.String())
		}
	})
}

// TestActiveEarlyConnectionRefusedCommand: RETR answered 425 (twice, with
// the retry) and no preliminary reply: Retr fails, nothing is read from
// the thief's connection, and the session stays usable.
func TestActiveEarlyConnectionRefusedCommand(t *testing.T) {
	portVerbs(t, func(t *testing.T, verb string) {
		th := &thief{payload: "STOLEN"}
		always425 := func(c ftptest.Command) *ftptest.Reply {
			if c.Verb == "RETR" {
				return &ftptest.Reply{Code: 425, Text: "Can't open data connection."}
			}
			return nil
		}
		srv := ftptest.New(t, ftptest.Config{Hook: th.hook(t, always425)})
		writeFile(t, srv, "f", []byte("data"))
		var trace testsupport.LockedBuffer
		c := activeConn(t, srv, verb == "EPRT", &trace)
		rc, err := c.Retr(testCtx(t), "f", 0)
		if err == nil {
			b, _ := io.ReadAll(rc)
			rc.Close()
			t.Fatalf("Retr succeeded and read %q", b)
		}
		if ReplyCode(err) != 425 || errors.Is(err, ErrDataUntrusted) {
			t.Errorf("Retr = %v, want the 425", err)
		}
		if err := c.Noop(testCtx(t)); err != nil {
			t.Fatalf("Noop: %v", err)
		}
		matchCommands(t, srv.SessionCommands(1), []string{verb + " *", "RETR f", verb + " *", "RETR f", "NOOP"})
		th.wait(t)
		if n := strings.Count(trace.String(), "before RETR was sent"); n != 2 {
			t.Errorf("trace reports %d refusals, want 2:\n%s", n, trace.String())
		}
	})
}

// TestActiveEarlyConnectionBeforeMark: a server that sends 150 before it
// connects (pure-ftpd: "150 Connecting to port N") and then 425 because
// the client's listener had already taken the thief's connection. The
// client must not read the thief's bytes as the file: it waits for the
// server's own connection, which never comes, and fails.
func TestActiveEarlyConnectionBeforeMark(t *testing.T) {
	th := &thief{payload: "STOLEN"}
	srv := ftptest.New(t, ftptest.Config{Hook: th.hook(t, hookVerb("RETR", 1, &ftptest.Reply{
		Raw: []byte("150 Connecting to port 1.\r\n425 Could not open data connection: Connection refused.\r\n")}))})
	writeFile(t, srv, "f", []byte("the real file's bytes"))
	var trace testsupport.LockedBuffer
	c := activeConn(t, srv, false, &trace)
	setTimeouts(c, 300*time.Millisecond, 0)
	rc, err := c.Retr(testCtx(t), "f", 0)
	if err == nil {
		b, _ := io.ReadAll(rc)
		cerr := rc.Close()
		t.Fatalf("Retr succeeded and read %q (Close: %v)", b, cerr)
	}
	if ReplyCode(err) != 425 {
		t.Errorf("Retr = %v, want the server's 425", err)
	}
	if err := c.Noop(testCtx(t)); err != nil {
		t.Fatalf("Noop: %v", err)
	}
	matchCommands(t, srv.SessionCommands(1), []string{"PORT *", "RETR f", "ABOR", "NOOP", "NOOP"})
	th.wait(t)
}

// TestActiveEarlyConnectionUpload: a thief's connection made before STOR
// gets none of the upload; the server's file holds exactly the data.
func TestActiveEarlyConnectionUpload(t *testing.T) {
	portVerbs(t, func(t *testing.T, verb string) {
		th := &thief{payload: "STOLEN"}
		srv := ftptest.New(t, ftptest.Config{Hook: th.hook(t, nil)})
		data := bytes.Repeat([]byte("upload "), 10000)
		var trace testsupport.LockedBuffer
		c := activeConn(t, srv, verb == "EPRT", &trace)
		put(t, c, "f", 0, data, false)
		if got := readFile(t, srv, "f"); !bytes.Equal(got, data) {
			t.Errorf("server file: %d bytes, want the %d uploaded", len(got), len(data))
		}
		matchCommands(t, srv.SessionCommands(1), []string{verb + " *", "STOR f"})
		th.wait(t)
		if n := th.received.Load(); n != 0 {
			t.Errorf("the thief's connection got %d bytes of the upload", n)
		}
		if !strings.Contains(trace.String(), "before STOR was sent") {
			t.Errorf("the trace does not say what was refused:\n%s", trace.String())
		}
	})
}

// TestActiveEarlyConnectionListing: the same for a listing: the names are
// the server's, not the thief's.
func TestActiveEarlyConnectionListing(t *testing.T) {
	th := &thief{payload: "STOLEN\r\n"}
	srv := ftptest.New(t, ftptest.Config{Hook: th.hook(t, nil)})
	writeFile(t, srv, "d/a", nil)
	writeFile(t, srv, "d/b", nil)
	var trace testsupport.LockedBuffer
	c := activeConn(t, srv, false, &trace)
	names, err := c.NameList(testCtx(t), "d")
	if err != nil {
		t.Fatal(err)
	}
	for i, n := range names {
		names[i] = strings.TrimPrefix(n, "d/")
	}
	slices.Sort(names)
	if !slices.Equal(names, []string{"a", "b"}) {
		t.Errorf("NameList = %q, want a and b", names)
	}
	matchCommands(t, srv.SessionCommands(1), []string{"PORT *", "NLST d"})
	th.wait(t)
}

// TestFinal425Untrusted: a download whose final reply is 425 (the server
// says it never opened the data connection) after its preliminary reply
// and data: Close's error marks every byte read as untrusted, in both
// modes, whether the data ended normally or broke. A 426 (the server's
// own connection broke) does not in passive mode, where ferry dialed the
// server; in active mode no failure reply proves the connection ferry
// accepted was the server's, so every failed download is untrusted.
func TestFinal425Untrusted(t *testing.T) {
	want := []byte("0123456789abcdefghij")
	for _, mode := range []DataMode{Passive, Active} {
		for _, tc := range []struct {
			name      string
			xfer      ftptest.Transfer
			code      int
			untrusted bool
		}{
			{"425", ftptest.Transfer{Final: &ftptest.Reply{Code: 425, Text: "Can't open data connection."}}, 425, true},
			{"425 after a cut", ftptest.Transfer{DropAfter: 5, Final: &ftptest.Reply{Code: 425, Text: "Can't open data connection."}}, 425, true},
			{"426", ftptest.Transfer{Final: &ftptest.Reply{Code: 426, Text: "Connection closed; transfer aborted."}}, 426, false},
		} {
			t.Run(fmt.Sprintf("%s/%s", mode, tc.name), func(t *testing.T) {
				srv := ftptest.New(t, ftptest.Config{Hook: hookVerb("RETR", 1, &ftptest.Reply{Transfer: &tc.xfer})})
				writeFile(t, srv, "f", want)
				c := dialLogin(t, srv, WithDataMode(mode))
				rc, err := c.Retr(testCtx(t), "f", 0)
				if err != nil {
					t.Fatalf("Retr: %v", err)
				}
				got, rerr := io.ReadAll(rc)
				if !bytes.HasPrefix(want, got) || (rerr == nil && !bytes.Equal(got, want)) {
					t.Errorf("read %q (%v)", got, rerr)
				}
				err = rc.Close()
				if ReplyCode(err) != tc.code {
					t.Errorf("Close = %v, want the %d", err, tc.code)
				}
				untrusted := tc.untrusted || mode == Active
				if errors.Is(err, ErrDataUntrusted) != untrusted {
					t.Errorf("Close = %v: errors.Is(err, ErrDataUntrusted) = %v, want %v", err, !untrusted, untrusted)
				}
				if err := c.Noop(testCtx(t)); err != nil {
					t.Fatalf("Noop: %v", err)
				}
			})
		}
	}
}

// TestFinal425UntrustedCutShort: the 425 comes before the caller is done
// (sent right after the 150, before the data), and the caller closes the
// download early or cancels it: Close's error still marks the bytes read
// as untrusted, and the session stays usable.
func TestFinal425UntrustedCutShort(t *testing.T) {
	for _, cancel := range []bool{false, true} {
		t.Run(fmt.Sprintf("cancel=%v", cancel), func(t *testing.T) {
			srv := ftptest.New(t, ftptest.Config{Hook: hookVerb("RETR", 1, &ftptest.Reply{Transfer: &ftptest.Transfer{
				FinalFirst: true, Final: &ftptest.Reply{Code: 425, Text: "Can't open data connection."},
				Pause: true, PauseAfter: 5}})})
			writeFile(t, srv, "f", []byte("0123456789"))
			c := dialLogin(t, srv)
			ctx, stop := context.WithCancel(testCtx(t))
			defer stop()
			rc, err := c.Retr(ctx, "f", 0)
			if err != nil {
				t.Fatalf("Retr: %v", err)
			}
			b := make([]byte, 5)
			if _, err := io.ReadFull(rc, b); err != nil || string(b) != "01234" {
				t.Fatalf("read %q, %v", b, err)
			}
			if cancel {
				stop()
			}
			err = rc.Close()
			if !errors.Is(err, ErrDataUntrusted) || errors.Is(err, context.Canceled) != cancel {
				t.Errorf("Close = %v, want ErrDataUntrusted (and context.Canceled: %v)", err, cancel)
			}
			if err := c.Noop(testCtx(t)); err != nil {
				t.Fatalf("Noop: %v", err)
			}
			matchCommands(t, srv.SessionCommands(1), []string{"USER user", "PASS pass", "EPSV", "RETR f", "ABOR", "NOOP", "NOOP"})
		})
	}
}
