package client

import (
	"context"
	"errors"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/ferry-ftp/ferry/internal/ftptest"
)

// readHookDialer dials plainly and runs onRead, once armed, before the
// first Read on the first connection it dialed (the control connection).
type readHookDialer struct {
	d     net.Dialer
	mu    sync.Mutex
	first bool
	arm   chan func()
}

func (r *readHookDialer) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	c, err := r.d.DialContext(ctx, network, addr)
	r.mu.Lock()
	defer r.mu.Unlock()
	if err != nil || r.first {
		return c, err
	}
	r.first = true
	return &hookedConn{Conn: c, arm: r.arm}, nil
}

type hookedConn struct {
	net.Conn
	arm chan func()
}

func (h *hookedConn) Read(p []byte) (int, error) {
	select {
	case f := <-h.arm:
		f()
	default:
	}
	return h.Conn.Read(p)
}

// TestCancelWhileWaitingForUploadReply cancels an upload after all its
// data was written, while Close waits for the server's final reply (the
// server holds the transfer, as one whose socket buffers still drain
// would): Close sends ABOR at once and reports the cancellation instead
// of waiting for the reply until the idle timeout, and the connection
// stays usable. The cancellation is made inside the control connection's
// first read after the data, which is the wait for the final reply.
func TestCancelWhileWaitingForUploadReply(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{Hook: func(c ftptest.Command) *ftptest.Reply {
		if c.Verb == "STOR" {
			return &ftptest.Reply{Transfer: &ftptest.Transfer{Pause: true, PauseAfter: 1000}}
		}
		return nil
	}})
	d := &readHookDialer{arm: make(chan func(), 1)}
	c := dialLogin(t, srv, WithDialer(d))
	setTimeouts(c, 0, time.Hour)
	ctx, cancel := context.WithCancel(testCtx(t))
	defer cancel()
	wc, err := c.Stor(ctx, "up", 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := wc.Write(make([]byte, 20_000)); err != nil { // fits in the socket buffers
		t.Fatal(err)
	}
	d.arm <- cancel
	done := make(chan error, 1)
	go func() { done <- wc.Close() }()
	select {
	case err = <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("Close still waits for the final reply 20 s after the cancellation")
	}
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Close = %v, want context.Canceled", err)
	}
	if err := c.Noop(testCtx(t)); err != nil {
		t.Fatalf("Noop after the cancelled upload: %v", err)
	}
	matchCommands(t, srv.SessionCommands(1), []string{"USER user", "PASS pass", "EPSV", "STOR up", "ABOR", "NOOP", "NOOP"})
}
