package client

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/ferry-ftp/ferry/internal/ftptest"
)

// TestEPSVPortUnreachable: a 229 reply naming a closed port makes the
// client fall back to PASV for the session (curl test1233).
func TestEPSVPortUnreachable(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{Hook: hookVerb("EPSV", 1, &ftptest.Reply{Code: 229, Text: "Entering Extended Passive Mode (|||1|)"})})
	writeFile(t, srv, "f", []byte("data"))
	c := dialLogin(t, srv)
	if got := string(get(t, c, "f", 0)); got != "data" {
		t.Fatalf("got %q", got)
	}
	get(t, c, "f", 0)
	matchCommands(t, srv.SessionCommands(1), []string{"USER user", "PASS pass", "EPSV", "PASV", "RETR f", "PASV", "RETR f"})
}

// TestMarkAndFinalInOnePacket: 150 and 226 arriving together (curl
// test126) still deliver all the data.
func TestMarkAndFinalInOnePacket(t *testing.T) {
	data := bytes.Repeat([]byte("0123456789"), 100_000)
	srv := ftptest.New(t, ftptest.Config{Hook: hookVerb("RETR", 1, &ftptest.Reply{Transfer: &ftptest.Transfer{Coalesce: true}})})
	writeFile(t, srv, "f", data)
	c := dialLogin(t, srv)
	c.Type(testCtx(t), TypeBinary)
	if got := get(t, c, "f", 0); !bytes.Equal(got, data) {
		t.Fatalf("got %d bytes, want %d", len(got), len(data))
	}
	if err := c.Noop(testCtx(t)); err != nil {
		t.Fatal(err)
	}
}

// TestFinalBeforeData: a 226 sent before the data ends must not stop the
// read early (curl PR 12841).
func TestFinalBeforeData(t *testing.T) {
	data := bytes.Repeat([]byte("abcdefgh"), 200_000)
	srv := ftptest.New(t, ftptest.Config{Hook: hookVerb("RETR", 1, &ftptest.Reply{Transfer: &ftptest.Transfer{FinalFirst: true}})})
	writeFile(t, srv, "f", data)
	c := dialLogin(t, srv)
	c.Type(testCtx(t), TypeBinary)
	if got := get(t, c, "f", 0); !bytes.Equal(got, data) {
		t.Fatalf("got %d bytes, want %d", len(got), len(data))
	}
	if err := c.Noop(testCtx(t)); err != nil {
		t.Fatal(err)
	}
}

// TestFinalReplyStalls: a server that never sends the final reply after
// the data gives a timeout, not a hang.
func TestFinalReplyStalls(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{Hook: hookVerb("RETR", 1, &ftptest.Reply{Transfer: &ftptest.Transfer{Final: &ftptest.Reply{Stall: true}}})})
	writeFile(t, srv, "f", []byte("data"))
	c := dialLogin(t, srv)
	setTimeouts(c, 0, 200*time.Millisecond)
	rc, err := c.Retr(testCtx(t), "f", 0)
	if err != nil {
		t.Fatal(err)
	}
	if b, err := io.ReadAll(rc); err != nil || string(b) != "data" {
		t.Fatalf("ReadAll = %q, %v", b, err)
	}
	if err := rc.Close(); !IsTimeout(err) {
		t.Fatalf("Close = %v, want a timeout", err)
	}
}

// TestDataStalls: a data connection that stops moving times out; Close
// then aborts the transfer promptly (a stalled server never sends a final
// reply) and the connection stays usable.
func TestDataStalls(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{Hook: hookVerb("RETR", 1, &ftptest.Reply{Transfer: &ftptest.Transfer{Pause: true, PauseAfter: 10}})})
	writeFile(t, srv, "f", bytes.Repeat([]byte("z"), 1000))
	c := dialLogin(t, srv)
	// Close must not wait out the idle timeout for a final reply that
	// never comes: it takes well under the timeout, with room for a
	// loaded machine.
	const idle = time.Second
	setTimeouts(c, 0, idle)
	rc, err := c.Retr(testCtx(t), "f", 0)
	if err != nil {
		t.Fatal(err)
	}
	n, err := io.Copy(io.Discard, rc)
	if !IsTimeout(err) || KindOf(err) != KindConnection {
		t.Fatalf("read %d bytes, error %v; want a timeout", n, err)
	}
	start := time.Now()
	err = rc.Close()
	if d := time.Since(start); d >= idle*9/10 {
		t.Errorf("Close took %v, about the idle timeout", d)
	}
	if !IsTimeout(err) || KindOf(err) != KindConnection {
		t.Errorf("Close = %v, want the data timeout", err)
	}
	if err := c.Noop(testCtx(t)); err != nil {
		t.Fatalf("Noop after the stalled download: %v", err)
	}
	matchCommands(t, srv.SessionCommands(1), []string{"USER user", "PASS pass", "EPSV", "RETR f", "ABOR", "NOOP", "NOOP"})
}

// TestUploadDataDropped: an upload whose data connection the server
// cuts reports failure.
func TestUploadDataDropped(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{DropDataAfter: 50_000})
	c := dialLogin(t, srv)
	wc, err := c.Stor(testCtx(t), "up", 0)
	if err != nil {
		t.Fatal(err)
	}
	_, werr := io.Copy(wc, io.LimitReader(zeros{}, 4<<20))
	cerr := wc.Close()
	if werr == nil && cerr == nil {
		t.Fatal("a cut-off upload succeeded")
	}
	if err := c.Noop(testCtx(t)); err != nil && !strings.Contains(err.Error(), "421") {
		t.Fatalf("Noop after cut-off upload: %v", err)
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}
