package transfer

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ferry-ftp/ferry/client"
	"github.com/ferry-ftp/ferry/internal/ftptest"
)

func TestPoolReusesConnectionsAndSetsTypeOnce(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{})
	for i := range 12 {
		os.WriteFile(filepath.Join(srv.Root(), fmt.Sprintf("f%d", i)), randomData(1000+i), 0o644)
	}
	p := testPool(t, srv, PoolOptions{Size: 3})
	dir := t.TempDir()
	var wg sync.WaitGroup
	for i := range 12 {
		wg.Go(func() {
			name := fmt.Sprintf("f%d", i)
			if _, err := p.GetFile(testCtx(t), name, filepath.Join(dir, name), GetOptions{}); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if n := srv.Sessions(); n > 3 {
		t.Errorf("%d sessions for a pool of 3", n)
	}
	for s := 1; s <= srv.Sessions(); s++ {
		if n := countVerb(srv.SessionCommands(s), "TYPE"); n != 1 {
			t.Errorf("session %d sent TYPE %d times", s, n)
		}
		if n := countVerb(srv.SessionCommands(s), "CWD"); n != 0 {
			t.Errorf("session %d changed folder", s)
		}
	}
	sameTree(t, srv.Root(), dir)
}

// tooMany refuses the login of every session after the first n, as
// servers with a connection limit do.
func tooMany(n int, code int, text string) func(ftptest.Command) *ftptest.Reply {
	return func(c ftptest.Command) *ftptest.Reply {
		if c.Session > n && c.Verb == "USER" {
			return &ftptest.Reply{Code: code, Text: text}
		}
		return nil
	}
}

func TestPoolLowersConcurrencyWhenRefused(t *testing.T) {
	for _, tc := range []struct {
		code int
		text string
	}{
		{421, "There are too many connected users, please try later."},
		{530, "Sorry, the maximum number of clients (2) for this user are already connected."},
	} {
		t.Run(fmt.Sprint(tc.code), func(t *testing.T) {
			srv := ftptest.New(t, ftptest.Config{Hook: tooMany(2, tc.code, tc.text)})
			makeTree(t, filepath.Join(srv.Root(), "src"), 2, 10, 2000, 5)
			var mu sync.Mutex
			var notes []string
			p := testPool(t, srv, PoolOptions{Size: 6, Notify: func(m string) {
				mu.Lock()
				notes = append(notes, m)
				mu.Unlock()
			}})
			dst := t.TempDir()
			rep, err := p.Mirror(testCtx(t), "src", dst, MirrorOptions{})
			if err != nil || rep.Failed != 0 {
				t.Fatalf("Mirror = %+v, %v", rep, err)
			}
			sameTree(t, filepath.Join(srv.Root(), "src"), dst)
			if p.Limit() != 2 {
				t.Errorf("limit %d, want 2", p.Limit())
			}
			mu.Lock()
			defer mu.Unlock()
			if len(notes) == 0 || !strings.Contains(notes[0], "going on with 2") {
				t.Errorf("notes %q", notes)
			}
		})
	}
}

// With no connection open, a refusal is a transient failure that the
// retry loop waits out.
func TestPoolRefusedFirstConnectionIsTransient(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{Hook: tooMany(0, 421, "Too many users.")})
	p := testPool(t, srv, PoolOptions{Size: 2})
	_, err := p.Get(testCtx(t))
	if err == nil || !Transient(err) {
		t.Fatalf("Get = %v, want a transient error", err)
	}
}

func TestPoolChecksConnectionAfterLocalError(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{})
	p := testPool(t, srv, PoolOptions{Size: 1})
	c, err := p.Get(testCtx(t))
	if err != nil {
		t.Fatal(err)
	}
	p.Put(c, &LocalError{Op: "write", Path: "x", Err: errors.New("disk full")})
	c2, err := p.Get(testCtx(t))
	if err != nil || c2 != c {
		t.Fatalf("Get = %p, %v; want the same connection", c2, err)
	}
	p.Put(c2, &client.ReplyError{Code: 550, Msg: "No such file"})
	c3, _ := p.Get(testCtx(t))
	p.Put(c3, nil)
	cmds := srv.SessionCommands(1)
	if n := countVerb(cmds, "NOOP"); n != 1 {
		t.Errorf("%d NOOP, want 1 (after the local error only): %q", n, cmds)
	}
}

func TestPoolReplacesBrokenConnection(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{})
	p := testPool(t, srv, PoolOptions{Size: 1})
	c, _ := p.Get(testCtx(t))
	c.Close()
	p.Put(c, errors.New("broken"))
	c2, err := p.Get(testCtx(t))
	if err != nil || c2 == c {
		t.Fatalf("Get = %p, %v", c2, err)
	}
	p.Put(c2, nil)
	if srv.Sessions() != 2 {
		t.Errorf("%d sessions", srv.Sessions())
	}
}

func TestPoolDropsIdleConnections(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{})
	p := testPool(t, srv, PoolOptions{Size: 2, IdleTimeout: 100 * time.Millisecond})
	c, err := p.Get(testCtx(t))
	if err != nil {
		t.Fatal(err)
	}
	p.Put(c, nil)
	deadline := time.Now().Add(5 * time.Second)
	for countVerb(srv.SessionCommands(1), "QUIT") == 0 {
		if time.Now().After(deadline) {
			t.Fatal("idle connection not closed")
		}
		time.Sleep(20 * time.Millisecond)
	}
	c, err = p.Get(testCtx(t))
	if err != nil {
		t.Fatal(err)
	}
	p.Put(c, nil)
	if srv.Sessions() != 2 {
		t.Errorf("%d sessions, want a new one after the idle timeout", srv.Sessions())
	}
}

func TestPoolGetWaitsForAFreeConnection(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{})
	p := testPool(t, srv, PoolOptions{Size: 1})
	c, err := p.Get(testCtx(t))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(testCtx(t), 100*time.Millisecond)
	defer cancel()
	if _, err := p.Get(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Get = %v, want the deadline", err)
	}
	got := make(chan *client.Conn)
	go func() {
		c, _ := p.Get(testCtx(t))
		got <- c
	}()
	time.Sleep(50 * time.Millisecond)
	p.Put(c, nil)
	if c2 := <-got; c2 != c {
		t.Fatal("waiting Get did not get the returned connection")
	}
	p.Put(c, nil)
}

func TestPoolPipelinesByDefault(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{})
	os.WriteFile(filepath.Join(srv.Root(), "f"), randomData(5000), 0o644)
	for _, off := range []bool{false, true} {
		var trace strings.Builder
		var mu sync.Mutex
		s := site(srv)
		s.Options = []client.Option{client.WithTrace(writerFunc(func(b []byte) (int, error) {
			mu.Lock()
			defer mu.Unlock()
			return trace.Write(b)
		}))}
		p := NewPool(s, PoolOptions{Size: 1, NoPipeline: off})
		// The first download takes the data connection the login made
		// ready (with pipelining); the second asks EPSV.
		for range 2 {
			if _, err := p.GetFile(testCtx(t), "f", filepath.Join(t.TempDir(), "f"), GetOptions{Listed: &client.Entry{Size: 5000, Precision: client.TimeExact, ModTime: time.Now()}}); err != nil {
				t.Fatal(err)
			}
		}
		p.Close()
		mu.Lock()
		tr := trace.String()
		mu.Unlock()
		tr = tr[strings.Index(tr, "> RETR f")+1:]
		epsv, retr, reply := strings.Index(tr, "> EPSV"), strings.Index(tr, "> RETR f"), strings.Index(tr, "< 229")
		if pipelined := retr < reply; pipelined == off || epsv < 0 {
			t.Errorf("NoPipeline %v, trace:\n%s", off, tr)
		}
		if strings.Contains(tr, "> SIZE") || strings.Contains(tr, "> MDTM") {
			t.Errorf("SIZE or MDTM sent although the listing gave size and time:\n%s", tr)
		}
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(b []byte) (int, error) { return f(b) }

// A connection that the server dropped while it sat idle in the pool is
// replaced before it is lent, without a failed command.
func TestPoolChecksIdleConnection(t *testing.T) {
	for _, text := range []string{"Idle timeout.", ""} {
		srv := ftptest.New(t, ftptest.Config{})
		os.WriteFile(filepath.Join(srv.Root(), "f"), []byte("data"), 0o644)
		p := testPool(t, srv, PoolOptions{Size: 1})
		c, err := p.Get(testCtx(t))
		if err != nil {
			t.Fatal(err)
		}
		p.Put(c, nil)
		srv.DropSessions(text)
		p.mu.Lock()
		p.idle[0].since = time.Now().Add(-2 * checkIdle) // idle long enough to be checked
		p.mu.Unlock()
		res, err := p.GetFile(testCtx(t), "f", filepath.Join(t.TempDir(), "f"), GetOptions{})
		if err != nil || res.Retries != 0 {
			t.Fatalf("GetFile after an idle drop (%q) = %+v, %v", text, res, err)
		}
		if srv.Sessions() != 2 {
			t.Errorf("%d sessions, want 2", srv.Sessions())
		}
	}
}
