package client

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/ferry-ftp/ferry/internal/ftptest"
)

// Transfers whose data connection fails: the server's reply is kept, the
// transfer is aborted, the connection stays usable.

// TestUploadFailureKeepsServerReply: a server that refuses an upload
// mid-way (552, quota) and resets the data connection; Close reports the
// 552 with the write error, and the connection is resynchronised.
func TestUploadFailureKeepsServerReply(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{Hook: hookVerb("STOR", 1, &ftptest.Reply{Transfer: &ftptest.Transfer{
		DropAfter: 50_000, Final: &ftptest.Reply{Code: 552, Text: "Quota exceeded."}}})})
	c := dialLogin(t, srv)
	wc, err := c.Stor(testCtx(t), "up", 0)
	if err != nil {
		t.Fatal(err)
	}
	// The socket buffers can take megabytes before the server's reset
	// shows: write until it does, within a bound no buffer reaches.
	_, werr := io.Copy(wc, io.LimitReader(zeros{}, 1<<30))
	if werr == nil {
		t.Fatal("writing 1 GiB to a connection cut after 50 kB succeeded")
	}
	cerr := wc.Close()
	if ReplyCode(cerr) != 552 || KindOf(cerr) != KindOther || !strings.Contains(cerr.Error(), "Quota exceeded") {
		t.Fatalf("Close = %v: ReplyCode %d, kind %v; want 552, KindOther", cerr, ReplyCode(cerr), KindOf(cerr))
	}
	var ne net.Error
	if !errors.As(cerr, &ne) {
		t.Errorf("Close = %v: the data connection's error is not reachable", cerr)
	}
	if err := c.Noop(testCtx(t)); err != nil {
		t.Fatalf("Noop after the refused upload: %v", err)
	}
}

// TestDownloadFailureKeepsServerReply: 451 after a cut data connection.
func TestDownloadFailureKeepsServerReply(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{Hook: hookVerb("RETR", 1, &ftptest.Reply{Transfer: &ftptest.Transfer{
		DropAfter: 50_000, Final: &ftptest.Reply{Code: 451, Text: "Local error."}}})})
	writeFile(t, srv, "f", bytes.Repeat([]byte("x"), 1<<20))
	c := dialLogin(t, srv)
	rc, err := c.Retr(testCtx(t), "f", 0)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, rc)
	cerr := rc.Close()
	var re *ReplyError
	if ReplyCode(cerr) != 451 || !errors.As(cerr, &re) || !re.Temporary() {
		t.Fatalf("Close = %v: ReplyCode %d, want 451", cerr, ReplyCode(cerr))
	}
	if err := c.Noop(testCtx(t)); err != nil {
		t.Fatalf("Noop after the failed download: %v", err)
	}
}

// TestServerClosing421MidTransfer: the server cuts the data connection and
// closes with 421 (curl test1120): Close reports a connection error with
// the 421, and nothing is sent after it.
func TestServerClosing421MidTransfer(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{Hook: hookVerb("RETR", 1, &ftptest.Reply{Transfer: &ftptest.Transfer{
		DropAfter: 1000, Final: &ftptest.Reply{Code: 421, Text: "Server shutting down."}}})})
	writeFile(t, srv, "f", bytes.Repeat([]byte("x"), 100_000))
	c := dialLogin(t, srv)
	rc, err := c.Retr(testCtx(t), "f", 0)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, rc)
	err = rc.Close()
	if KindOf(err) != KindConnection || ReplyCode(err) != 421 {
		t.Fatalf("Close = %v (kind %v, code %d), want KindConnection with 421", err, KindOf(err), ReplyCode(err))
	}
	if err := c.Noop(testCtx(t)); KindOf(err) != KindConnection {
		t.Fatalf("Noop after 421 = %v", err)
	}
	// ABOR and NOOP may have gone out before the 421 arrived; nothing
	// after.
	cmds := srv.SessionCommands(1)
	ok := len(cmds) >= 4 && len(cmds) <= 6 && cmds[3] == "RETR f"
	for i, want := range []string{"ABOR", "NOOP"} {
		ok = ok && (len(cmds) <= 4+i || cmds[4+i] == want)
	}
	if !ok {
		t.Errorf("commands: %q", cmds)
	}
}

// TestStalledListingAborted: a listing whose data stops is aborted (ABOR,
// NOOP), not left waiting for a final reply.
func TestStalledListingAborted(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{Hook: hookVerb("NLST", 1, &ftptest.Reply{Transfer: &ftptest.Transfer{
		Data: []byte("a\r\nb\r\nc\r\n"), Pause: true, PauseAfter: 3}})})
	c := dialLogin(t, srv)
	setTimeouts(c, 0, 200*time.Millisecond)
	start := time.Now()
	_, err := c.NameList(testCtx(t), "")
	if !IsTimeout(err) || KindOf(err) != KindConnection {
		t.Fatalf("NameList = %v, want a timeout", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("NameList took %v", d)
	}
	if err := c.Noop(testCtx(t)); err != nil {
		t.Fatalf("Noop after the stalled listing: %v", err)
	}
	matchCommands(t, srv.SessionCommands(1), []string{"USER user", "PASS pass", "EPSV", "NLST", "ABOR", "NOOP", "NOOP"})
}

// TestShortIdleTimeoutFlowingTransfer: an idle timeout under a second
// does not kill a transfer whose data keeps flowing.
func TestShortIdleTimeoutFlowingTransfer(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{})
	writeFile(t, srv, "f", bytes.Repeat([]byte("q"), 1<<20))
	c := dialLogin(t, srv)
	setTimeouts(c, 0, 500*time.Millisecond)
	rc, err := c.Retr(testCtx(t), "f", 0)
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 32<<10)
	var n int64
	start := time.Now()
	for {
		m, err := rc.Read(buf)
		n += int64(m)
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("after %d bytes and %v (never idle more than 30ms): %v", n, time.Since(start).Round(time.Millisecond), err)
		}
		time.Sleep(30 * time.Millisecond) // a consumer writing to a slow disk
	}
	if err := rc.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestListingLineLimit: a listing that would keep more than
// DefaultMaxEntries lines is refused with a LimitError (and aborted).
func TestListingLineLimit(t *testing.T) {
	listing := bytes.Repeat([]byte("a\n"), DefaultMaxEntries+1)
	srv := ftptest.New(t, ftptest.Config{Hook: hookVerb("NLST", 1, &ftptest.Reply{Transfer: &ftptest.Transfer{Data: listing}})})
	c := dialLogin(t, srv)
	names, err := c.NameList(testCtx(t), "")
	var le *LimitError
	if !errors.As(err, &le) || le.What != "entries" || le.Max != DefaultMaxEntries {
		t.Fatalf("NameList = %d names, %v; want a LimitError on entries", len(names), err)
	}
	if err := c.Noop(testCtx(t)); err != nil {
		t.Fatalf("Noop after the refused listing: %v", err)
	}
}

// TestListingMemory: a listing costs about its text plus a string header
// a line; the old scanner-based reader cost several times that.
func TestListingMemory(t *testing.T) {
	const lines = DefaultMaxEntries
	listing := bytes.Repeat([]byte("a\n"), lines)
	srv := ftptest.New(t, ftptest.Config{Hook: hookVerb("NLST", 1, &ftptest.Reply{Transfer: &ftptest.Transfer{Data: listing}})})
	c := dialLogin(t, srv)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	names, err := c.NameList(testCtx(t), "")
	runtime.ReadMemStats(&after)
	if err != nil || len(names) != lines {
		t.Fatalf("NameList = %d names, %v", len(names), err)
	}
	if perLine := float64(after.TotalAlloc-before.TotalAlloc) / lines; perLine > 64 {
		t.Errorf("%.1f bytes allocated per line, want at most 64", perLine)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	if perLine := float64(int64(after.HeapAlloc)-int64(before.HeapAlloc)) / lines; perLine > 24 {
		t.Errorf("%.1f bytes kept per line, want at most 24", perLine)
	}
	runtime.KeepAlive(names)
}

// TestListingNoFilesFound: proftpd answers NLST or LIST of an empty
// folder "450 No files found": an empty listing, not an error. Other 450
// replies about a folder that is there stay errors.
func TestListingNoFilesFound(t *testing.T) {
	hook := func(c ftptest.Command) *ftptest.Reply {
		switch {
		case c.Verb == "NLST" && c.Arg == "busy":
			return &ftptest.Reply{Code: 450, Text: "File busy."}
		case c.Verb == "NLST", c.Verb == "LIST":
			return &ftptest.Reply{Code: 450, Text: "No files found"}
		}
		return nil
	}
	root := t.TempDir()
	if err := os.Mkdir(filepath.Join(root, "busy"), 0o755); err != nil {
		t.Fatal(err)
	}
	srv := ftptest.New(t, ftptest.Config{Root: root, Hook: hook})
	c := dialLogin(t, srv)
	if names, err := c.NameList(testCtx(t), "empty"); err != nil || len(names) != 0 {
		t.Errorf("NameList = %q, %v; want nothing", names, err)
	}
	if entries, unparsed, err := c.List(testCtx(t), "empty"); err != nil || len(entries)+len(unparsed) != 0 {
		t.Errorf("List = %v, %q, %v; want nothing", entries, unparsed, err)
	}
	if _, err := c.NameList(testCtx(t), "busy"); ReplyCode(err) != 450 {
		t.Errorf("NameList busy = %v, want the 450", err)
	}
	if err := c.Noop(testCtx(t)); err != nil {
		t.Fatal(err)
	}
}

// TestABORAnsweredOddly: servers answer ABOR with 226 alone, or 225 alone
// (RFC 959 4.1.3 allows both when no transfer runs); the resync copes.
func TestABORAnsweredOddly(t *testing.T) {
	for _, abor := range []string{"226 Abort successful.\r\n", "225 No transfer to abort.\r\n", "500 ABOR not understood.\r\n"} {
		t.Run(abor[:3], func(t *testing.T) {
			srv := ftptest.New(t, ftptest.Config{Hook: func(c ftptest.Command) *ftptest.Reply {
				switch c.Verb {
				case "RETR": // a mark, and a data connection never served
					return &ftptest.Reply{Raw: []byte("150 Here it comes.\r\n")}
				case "ABOR":
					return &ftptest.Reply{Raw: []byte(abor)}
				}
				return nil
			}})
			c := dialLogin(t, srv)
			rc, err := c.Retr(testCtx(t), "f", 0)
			if err != nil {
				t.Fatal(err)
			}
			if err := rc.Close(); err != nil {
				t.Fatalf("Close = %v", err)
			}
			if err := c.Noop(testCtx(t)); err != nil {
				t.Fatalf("Noop after ABOR: %v", err)
			}
			matchCommands(t, srv.SessionCommands(1), []string{"USER user", "PASS pass", "EPSV", "RETR f", "ABOR", "NOOP", "NOOP"})
		})
	}
}

// TestCancelDuringTransferABORUnanswered: when the server does not answer
// ABOR, Close gives up after the idle timeout and drops the connection,
// whose replies can no longer be matched to commands, instead of hanging.
func TestCancelDuringTransferABORUnanswered(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{Hook: hookVerb("ABOR", 1, &ftptest.Reply{Stall: true})})
	writeFile(t, srv, "big", bytes.Repeat([]byte("x"), 8<<20))
	c := dialLogin(t, srv)
	setTimeouts(c, 0, 300*time.Millisecond)
	ctx, cancel := context.WithCancel(testCtx(t))
	defer cancel()
	rc, err := c.Retr(ctx, "big", 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadFull(rc, make([]byte, 1000)); err != nil {
		t.Fatal(err)
	}
	cancel()
	if err := rc.Close(); !errors.Is(err, context.Canceled) {
		t.Fatalf("Close = %v, want context.Canceled", err)
	}
	if KindOf(c.Err()) != KindConnection {
		t.Fatalf("connection kept after an unanswered ABOR: Err() = %v", c.Err())
	}
	if err := c.Noop(testCtx(t)); KindOf(err) != KindConnection {
		t.Fatalf("Noop = %v, want a connection error", err)
	}
	// The NOOP that follows ABOR was never answered, and nothing was
	// sent after the connection was dropped.
	matchCommands(t, srv.SessionCommands(1), []string{"USER user", "PASS pass", "EPSV", "RETR big", "ABOR", "NOOP"})
}

// TestInterruptStalledServerBounded: a download interrupted while the
// server has stalled, and that never answers ABOR, returns within
// abortTimeout and drops the connection (outside probe of issue 13: Ctrl-C
// took 10 s to act).
func TestInterruptStalledServerBounded(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{Hook: func(c ftptest.Command) *ftptest.Reply {
		switch c.Verb {
		case "RETR":
			return &ftptest.Reply{Transfer: &ftptest.Transfer{Pause: true, PauseAfter: 1000}}
		case "ABOR":
			return &ftptest.Reply{Stall: true}
		}
		return nil
	}})
	writeFile(t, srv, "hang.bin", bytes.Repeat([]byte("h"), 1<<20))
	c := dialLogin(t, srv)
	ctx, cancel := context.WithCancel(testCtx(t))
	rc, err := c.Retr(ctx, "hang.bin", 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadFull(rc, make([]byte, 1000)); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	cancel()
	rc.Close()
	// The promise to the user: an interrupt acts within seconds.
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("the interrupted transfer took %v to end, want under 5s", d)
	}
	if c.Err() == nil {
		t.Error("the connection of a server that never answered ABOR was kept")
	}
}
