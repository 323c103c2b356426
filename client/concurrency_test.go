package client

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/ferry-ftp/ferry/internal/ftptest"
)

// TestCloseFromAnotherGoroutine: Close, as a signal handler calls it,
// ends an operation under way promptly (run with -race).
func TestCloseFromAnotherGoroutine(t *testing.T) {
	t.Run("command", func(t *testing.T) {
		arrived := make(chan struct{})
		srv := ftptest.New(t, ftptest.Config{Hook: func(c ftptest.Command) *ftptest.Reply {
			if c.Verb == "PWD" {
				close(arrived)
				return &ftptest.Reply{Stall: true}
			}
			return nil
		}})
		c := dialLogin(t, srv)
		errc := make(chan error, 1)
		go func() {
			_, err := c.Pwd(testCtx(t))
			errc <- err
		}()
		<-arrived
		start := time.Now()
		c.Close()
		if err := <-errc; KindOf(err) != KindConnection {
			t.Errorf("Pwd = %v, want a connection error", err)
		}
		if d := time.Since(start); d > time.Second {
			t.Errorf("Pwd returned %v after Close", d)
		}
	})
	t.Run("transfer", func(t *testing.T) {
		srv := ftptest.New(t, ftptest.Config{Hook: hookVerb("RETR", 1, &ftptest.Reply{Transfer: &ftptest.Transfer{Pause: true, PauseAfter: 10}})})
		writeFile(t, srv, "f", bytes.Repeat([]byte("p"), 1000))
		c := dialLogin(t, srv)
		rc, err := c.Retr(testCtx(t), "f", 0)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.ReadFull(rc, make([]byte, 10)); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			time.Sleep(50 * time.Millisecond)
			c.Close()
		}()
		start := time.Now()
		_, err = rc.Read(make([]byte, 10))
		if !errors.Is(err, net.ErrClosed) || time.Since(start) > time.Second {
			t.Errorf("Read = %v after %v; want the data connection closed by Close", err, time.Since(start))
		}
		wg.Wait()
		if err := rc.Close(); KindOf(err) != KindConnection {
			t.Errorf("Close of the transfer = %v", err)
		}
	})
}

// slowDeadlineConn makes the interruption by a cancelled context slow, to
// show whether it can still run after the operation ended. started is
// closed when the interruption begins to set its past deadline, done when
// it has set it.
type slowDeadlineConn struct {
	net.Conn
	started, done chan struct{}
	pastDone      time.Time // when the past deadline was set; read after done
}

func (s *slowDeadlineConn) SetDeadline(t time.Time) error {
	if !t.Before(time.Unix(2, 0)) {
		return s.Conn.SetDeadline(t)
	}
	close(s.started)
	time.Sleep(50 * time.Millisecond) // the slowness under test, not synchronisation
	err := s.Conn.SetDeadline(t)
	s.pastDone = time.Now()
	close(s.done)
	return err
}

// TestDeadlineStopWaitsForInterrupt: once an operation ended, the
// cancellation callback can no longer set a past deadline on the
// connection, which would fail the next operation.
func TestDeadlineStopWaitsForInterrupt(t *testing.T) {
	a, b := net.Pipe()
	defer a.Close()
	defer b.Close()
	nc := &slowDeadlineConn{Conn: a, started: make(chan struct{}), done: make(chan struct{})}
	c := &Conn{opts: defaultOptions()}
	ctx, cancel := context.WithCancel(context.Background())
	stop := c.deadline(ctx, nc, time.Time{})
	cancel()
	<-nc.started // the callback is running
	stop()
	stopped := time.Now()
	<-nc.done
	if nc.pastDone.After(stopped) {
		t.Errorf("the interruption set its deadline %v after stop returned", nc.pastDone.Sub(stopped))
	}
}
