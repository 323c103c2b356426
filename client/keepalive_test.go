package client

import (
	"bytes"
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

// noopServer is an in-process server for NOOPs during transfers. answer
// says how it answers the NOOP numbered n (1-based) during a transfer: at
// once with the reply it returns, or after the transfer's end for nil, as
// vsftpd does (the server reads no command meanwhile). A server that
// answers at once moves the download of "f" in chunks, each after one
// more NOOP, so that the transfer lasts several NOOPs whatever the
// machine's speed; other files are served as they are.
type noopServer struct {
	*ftptest.Server
	mu      sync.Mutex
	noops   int
	signal  chan struct{}
	aborted chan struct{} // closed at the first ABOR
}

// chunks is how many chunks of chunkSize a gated download has.
const (
	chunks    = 5
	chunkSize = 1000
)

func newNoopServer(t *testing.T, answer func(n int) *ftptest.Reply, final *ftptest.Reply) *noopServer {
	t.Helper()
	ns := &noopServer{signal: make(chan struct{}, 100), aborted: make(chan struct{})}
	var abortOnce sync.Once
	ns.Server = ftptest.New(t, ftptest.Config{Hook: func(c ftptest.Command) *ftptest.Reply {
		switch c.Verb {
		case "ABOR":
			abortOnce.Do(func() { close(ns.aborted) })
		case "NOOP":
			ns.mu.Lock()
			ns.noops++
			n := ns.noops
			ns.mu.Unlock()
			select {
			case ns.signal <- struct{}{}:
			default:
			}
			if answer != nil {
				return answer(n)
			}
		case "RETR":
			switch {
			case c.Arg != "f":
				return nil
			case answer == nil:
				// The server reads no command until the transfer ends:
				// nothing to gate on.
				return &ftptest.Reply{Transfer: &ftptest.Transfer{Data: gatedData(), Final: final}}
			}
			return &ftptest.Reply{Transfer: &ftptest.Transfer{Source: func() io.Reader { return &gated{ns: ns} }, Final: final}}
		}
		return nil
	}})
	return ns
}

// gatedData is what a gated download sends.
func gatedData() []byte {
	var b bytes.Buffer
	for i := range chunks {
		b.Write(bytes.Repeat([]byte{byte('a' + i)}, chunkSize))
	}
	return b.Bytes()
}

// gated yields the chunks of gatedData, the second and later each after a
// NOOP.
type gated struct {
	ns   *noopServer
	sent int
}

func (g *gated) Read(p []byte) (int, error) {
	if g.sent == chunks*chunkSize {
		return 0, io.EOF
	}
	if g.sent > 0 && g.sent%chunkSize == 0 {
		select {
		case <-g.ns.signal:
		case <-g.ns.aborted:
			return 0, errors.New("aborted")
		case <-time.After(10 * time.Second):
			return 0, errors.New("no NOOP came")
		}
	}
	n := min(len(p), chunkSize-g.sent%chunkSize)
	copy(p, bytes.Repeat([]byte{byte('a' + g.sent/chunkSize)}, n))
	g.sent += n
	return n, nil
}

// download reads a file with small reads (a NOOP may go before each).
func download(t *testing.T, c *Conn, name string) ([]byte, error) {
	t.Helper()
	rc, err := c.Retr(testCtx(t), name, 0)
	if err != nil {
		t.Fatalf("Retr: %v", err)
	}
	var got bytes.Buffer
	_, rerr := io.CopyBuffer(&got, struct{ io.Reader }{rc}, make([]byte, 100))
	if rerr != nil {
		t.Fatalf("read: %v", rerr)
	}
	return got.Bytes(), rc.Close()
}

// between returns the commands a session sent after the first from and
// before the first to after it ("" for the end).
func between(cmds []string, from, to string) []string {
	i := slices.IndexFunc(cmds, func(s string) bool { return strings.HasPrefix(s, from) })
	if i < 0 {
		return nil
	}
	j := slices.IndexFunc(cmds[i+1:], func(s string) bool { return to != "" && strings.HasPrefix(s, to) })
	if j < 0 {
		return cmds[i+1:]
	}
	return cmds[i+1 : i+1+j]
}

// TestNoopDuringDownload: NOOPs go out while the data moves, and their
// replies are told from the transfer's own in whatever order the server
// sends them: after the 226 (vsftpd), before it (proftpd answers some so),
// or refused during the transfer (pure-ftpd's "500 Unknown command").
func TestNoopDuringDownload(t *testing.T) {
	for _, tt := range []struct {
		name    string
		answer  func(int) *ftptest.Reply
		stopped bool // no more NOOPs in the session
	}{
		{"after the final reply", nil, false},
		{"before the final reply", func(int) *ftptest.Reply { return &ftptest.Reply{Code: 200, Text: "NOOP ok."} }, false},
		{"refused during the transfer", func(int) *ftptest.Reply { return &ftptest.Reply{Code: 500, Text: "Unknown command"} }, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := newNoopServer(t, tt.answer, nil)
			writeFile(t, srv.Server, "f", nil)
			c := dialLogin(t, srv.Server, WithNoopInterval(time.Nanosecond))
			got, err := download(t, c, "f")
			if err != nil {
				t.Fatalf("Close: %v", err)
			}
			if !bytes.Equal(got, gatedData()) {
				t.Fatalf("got %q, want the file", got)
			}
			// The replies are all read: the next command gets its own.
			if dir, err := c.Pwd(testCtx(t)); err != nil || dir != "/" {
				t.Fatalf("Pwd after the transfer = %q, %v", dir, err)
			}
			noops := between(srv.SessionCommands(1), "RETR", "PWD")
			if len(noops) < chunks-1 || slices.ContainsFunc(noops, func(s string) bool { return s != "NOOP" }) {
				t.Fatalf("sent %q during the transfer, want at least %d NOOPs", noops, chunks-1)
			}
			if c.Refused(noopDuringTransfer) != tt.stopped {
				t.Errorf("NOOPs during transfers stopped = %v, want %v", c.Refused(noopDuringTransfer), tt.stopped)
			}
			// A second download: NOOPs again, unless the server refused them.
			srv.ResetCommands()
			writeFile(t, srv.Server, "plain", bytes.Repeat([]byte("p"), 5000))
			if got, err := download(t, c, "plain"); err != nil || len(got) != 5000 {
				t.Fatalf("second download = %d bytes, %v", len(got), err)
			}
			noops = between(srv.SessionCommands(1), "RETR", "")
			if sent := slices.Contains(noops, "NOOP"); sent == tt.stopped {
				t.Errorf("second download sent %q", noops)
			}
		})
	}
}

// TestNoopDropped: a server that answers some NOOPs sent during a transfer
// and drops others (pure-ftpd, when several arrive in one read) keeps its
// transfer's result; the connection, whose replies cannot be counted any
// more, is dropped, and the session sends no more NOOPs during transfers.
func TestNoopDropped(t *testing.T) {
	srv := newNoopServer(t, func(n int) *ftptest.Reply {
		if n == 2 {
			return &ftptest.Reply{Raw: []byte{}} // no answer at all
		}
		return &ftptest.Reply{Code: 500, Text: "Unknown command"}
	}, nil)
	writeFile(t, srv.Server, "f", nil)
	refusals := NewRefusals()
	c := dialLogin(t, srv.Server, WithNoopInterval(time.Nanosecond), WithRefusals(refusals))
	setTimeouts(c, 0, 300*time.Millisecond)
	got, err := download(t, c, "f")
	if err != nil || !bytes.Equal(got, gatedData()) {
		t.Fatalf("download = %d bytes, %v; want the file and no error", len(got), err)
	}
	if c.Err() == nil {
		t.Error("the connection is still in use, with replies that cannot be counted")
	}
	if !refusals.Has(noopDuringTransfer) {
		t.Error("NOOPs during transfers not stopped for the session")
	}
	// The session's next connection sends none.
	c2 := dialLogin(t, srv.Server, WithNoopInterval(time.Nanosecond), WithRefusals(refusals))
	rc, err := c2.Stor(testCtx(t), "up", 0)
	if err != nil {
		t.Fatal(err)
	}
	for range 20 {
		rc.Write(bytes.Repeat([]byte("y"), 100))
	}
	if err := rc.Close(); err != nil {
		t.Fatal(err)
	}
	if cmds := srv.SessionCommands(2); slices.Contains(cmds, "NOOP") {
		t.Errorf("second connection sent NOOP: %q", cmds)
	}
}

// TestNoopFinalUnclear: when two replies could each be the transfer's (a
// NOOP answered 451, then 226), the transfer is not taken for a success:
// it fails as a lost connection (retried, resumed), and the session sends
// no more NOOPs during transfers.
func TestNoopFinalUnclear(t *testing.T) {
	srv := newNoopServer(t, func(n int) *ftptest.Reply {
		if n == 1 {
			return &ftptest.Reply{Code: 451, Text: "Busy"}
		}
		return &ftptest.Reply{Code: 200, Text: "ok"}
	}, nil)
	writeFile(t, srv.Server, "f", nil)
	c := dialLogin(t, srv.Server, WithNoopInterval(time.Nanosecond))
	_, err := download(t, c, "f")
	if err == nil || KindOf(err) != KindConnection {
		t.Fatalf("Close = %v, want a connection error", err)
	}
	if !c.Refused(noopDuringTransfer) {
		t.Error("NOOPs during transfers not stopped")
	}
}

// TestNoopFailedTransfer: the transfer's failure is reported as its own,
// not taken from a NOOP's reply.
func TestNoopFailedTransfer(t *testing.T) {
	srv := newNoopServer(t, nil, &ftptest.Reply{Code: 451, Text: "Local error in processing."})
	writeFile(t, srv.Server, "f", nil)
	c := dialLogin(t, srv.Server, WithNoopInterval(time.Nanosecond))
	_, err := download(t, c, "f")
	if ReplyCode(err) != 451 {
		t.Fatalf("Close = %v, want the transfer's 451", err)
	}
	if dir, err := c.Pwd(testCtx(t)); err != nil || dir != "/" {
		t.Fatalf("Pwd after the transfer = %q, %v", dir, err)
	}
}

// TestNoopAbort: a transfer closed early with NOOPs unanswered is aborted,
// and the resync reads their replies too (it ends on PWD's 257, which no
// NOOP gets), so the next command reads its own reply.
func TestNoopAbort(t *testing.T) {
	for _, answer := range []func(int) *ftptest.Reply{
		nil,
		func(int) *ftptest.Reply { return &ftptest.Reply{Code: 500, Text: "Unknown command"} },
	} {
		srv := newNoopServer(t, answer, nil)
		writeFile(t, srv.Server, "f", nil)
		c := dialLogin(t, srv.Server, WithNoopInterval(time.Nanosecond))
		rc, err := c.Retr(testCtx(t), "f", 0)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.ReadFull(rc, make([]byte, 2*chunkSize+10)); err != nil {
			t.Fatal(err)
		}
		rc.Close()
		if dir, err := c.Pwd(testCtx(t)); err != nil || dir != "/" {
			t.Fatalf("Pwd after the abort = %q, %v", dir, err)
		}
		if size, err := c.Size(testCtx(t), "f"); err != nil || size != 0 {
			t.Fatalf("Size after the abort = %d, %v", size, err)
		}
		if cmds := srv.SessionCommands(1); !slices.Contains(cmds, "ABOR") || !slices.Contains(cmds, "NOOP") {
			t.Errorf("commands %q, want NOOPs and ABOR", cmds)
		}
	}
}

// TestNoopDuringUpload: NOOPs during an upload, the file whole on the
// server, the replies all read.
func TestNoopDuringUpload(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{})
	c := dialLogin(t, srv, WithNoopInterval(time.Nanosecond))
	w, err := c.Stor(testCtx(t), "up", 0)
	if err != nil {
		t.Fatal(err)
	}
	var want bytes.Buffer
	for i := range 50 {
		chunk := []byte(fmt.Sprintf("chunk %03d\n", i))
		want.Write(chunk)
		if _, err := w.Write(chunk); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if got := readFile(t, srv, "up"); !bytes.Equal(got, want.Bytes()) {
		t.Fatalf("server has %q", got)
	}
	if dir, err := c.Pwd(testCtx(t)); err != nil || dir != "/" {
		t.Fatalf("Pwd after the upload = %q, %v", dir, err)
	}
	if n := len(between(srv.SessionCommands(1), "STOR", "PWD")); n < 40 {
		t.Errorf("%d NOOPs during the upload, want about 49", n)
	}
}

// TestNoNoopByDefault: without WithNoopInterval nothing is sent during a
// transfer.
func TestNoNoopByDefault(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{})
	writeFile(t, srv, "f", bytes.Repeat([]byte("z"), 20_000))
	c := dialLogin(t, srv)
	if _, err := download(t, c, "f"); err != nil {
		t.Fatal(err)
	}
	if cmds := srv.SessionCommands(1); slices.Contains(cmds, "NOOP") {
		t.Errorf("sent NOOP: %q", cmds)
	}
}
