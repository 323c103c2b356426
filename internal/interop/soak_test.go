package interop

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/ferry-ftp/ferry/client"
	"github.com/ferry-ftp/ferry/internal/realserver"
	"github.com/ferry-ftp/ferry/transfer"
)

// dropDialer dials plainly, and cuts every 20th data connection (any
// connection to another address than the control one) with a reset once
// it has moved a pseudo-random number of bytes: vsftpd cannot be told to
// drop connections, so the client side does it.
type dropDialer struct {
	d       net.Dialer
	control string
	mu      sync.Mutex
	n       int
	cuts    atomic.Int64
}

func (d *dropDialer) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	c, err := d.d.DialContext(ctx, network, addr)
	if err != nil || addr == d.control {
		return c, err
	}
	d.mu.Lock()
	d.n++
	n := d.n
	d.mu.Unlock()
	if n%20 != 0 {
		return c, nil
	}
	return &cutConn{Conn: c, left: 1 + int64(n*7919%16000), cuts: &d.cuts}, nil
}

// cutConn resets its connection once left bytes have been read or
// written.
type cutConn struct {
	net.Conn
	mu   sync.Mutex
	left int64
	cut  bool
	cuts *atomic.Int64
}

func (c *cutConn) take(n int) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cut {
		return 0, syscall.ECONNRESET
	}
	if int64(n) >= c.left {
		c.cut = true
		c.cuts.Add(1)
		if tc, ok := c.Conn.(*net.TCPConn); ok {
			tc.SetLinger(0)
		}
		c.Conn.Close()
		return 0, syscall.ECONNRESET
	}
	c.left -= int64(n)
	return n, nil
}

func (c *cutConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if n > 0 {
		if _, cerr := c.take(n); cerr != nil {
			return 0, cerr
		}
	}
	return n, err
}

func (c *cutConn) Write(p []byte) (int, error) {
	if _, err := c.take(len(p)); err != nil {
		return 0, err
	}
	return c.Conn.Write(p)
}

// TestSoakMirrorVsftpd mirrors a tree up to vsftpd and back down over 32
// connections in passive mode, round after round, with 5% of the data
// connections cut by the client: every round must end with identical
// trees and no failed file, and after each round (its pool closed) the
// goroutines and file descriptors must be back to what they were before
// the first, with the heap in use less than 64 MiB above its size before
// the soak. The full soak
// (FERRY_SOAK=full) is 10 rounds of 2,000 files; otherwise 2 of 300.
func TestSoakMirrorVsftpd(t *testing.T) {
	skipShort(t)
	rounds, files := 2, 300
	if os.Getenv("FERRY_SOAK") == "full" {
		rounds, files = 10, 2000
	}
	s := realserver.StartOrSkip(t, realserver.Vsftpd, realserver.Options{})
	src := t.TempDir()
	makeTree(t, src, files, 20, 32)
	baseG, baseFDs := runtime.NumGoroutine(), countFDs(t)
	// The suite's fixtures (a 64 MiB file among them) stay in memory: the
	// bound is on what the soak adds to the heap.
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	for round := range rounds {
		d := &dropDialer{control: s.Addr}
		st := site(s, client.Passive, s.Password, nil, nil)
		st.Options = append(st.Options, client.WithDialer(d))
		p := transfer.NewPool(st, transfer.PoolOptions{Size: 32, Retries: 4, Backoff: func(int) time.Duration { return 0 }})
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
		remote := fmt.Sprintf("soak-%d", round)
		var failures failureLog
		up, err := p.Mirror(ctx, remote, src, transfer.MirrorOptions{Direction: transfer.Upload, Update: transfer.UpdateChanged, OnEvent: failures.add})
		if err != nil || up.Failed > 0 || up.Copied != files {
			cancel()
			t.Fatalf("round %d: upload: %s, %v%s", round, summary(up), err, failures.String())
		}
		sameTree(t, src, onDisk(s, remote))
		dst := filepath.Join(t.TempDir(), "copy")
		down, err := p.Mirror(ctx, remote, dst, transfer.MirrorOptions{Update: transfer.UpdateChanged, OnEvent: failures.add})
		cancel()
		if err != nil || down.Failed > 0 || down.Copied != files {
			t.Fatalf("round %d: download: %s, %v%s", round, summary(down), err, failures.String())
		}
		sameTree(t, src, dst)
		p.Close()
		os.RemoveAll(onDisk(s, remote))
		os.RemoveAll(dst)
		if d.cuts.Load() == 0 {
			t.Errorf("round %d: no data connection was cut", round)
		}

		deadline := time.Now().Add(10 * time.Second)
		for runtime.NumGoroutine() > baseG || countFDs(t) > baseFDs {
			if time.Now().After(deadline) {
				t.Fatalf("round %d: %d goroutines (baseline %d), %d file descriptors (baseline %d) after 10 s",
					round, runtime.NumGoroutine(), baseG, countFDs(t), baseFDs)
			}
			time.Sleep(20 * time.Millisecond)
		}
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		if ms.HeapInuse > before.HeapInuse+64<<20 {
			t.Fatalf("round %d: %d MiB of heap in use after GC, over 64 MiB more than the %d MiB before the soak",
				round, ms.HeapInuse>>20, before.HeapInuse>>20)
		}
		t.Logf("round %d: %d files each way, %d data connections cut, %d retries, heap in use %d MiB",
			round, files, d.cuts.Load(), up.Retries+down.Retries, ms.HeapInuse>>20)
	}
}

// failureLog collects the errors of a mirror's failed items.
type failureLog struct {
	mu   sync.Mutex
	errs []string
}

func (f *failureLog) add(e transfer.Event) {
	if e.Err == nil {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.errs = append(f.errs, fmt.Sprintf("%s: %v", e.Action.Path, e.Err))
}

// String lists the errors, one a line, after a newline; "" when none.
func (f *failureLog) String() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.errs) == 0 {
		return ""
	}
	return "\n" + strings.Join(f.errs, "\n")
}

// countFDs counts this process's open file descriptors.
func countFDs(t *testing.T) int {
	t.Helper()
	entries, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skipf("cannot count file descriptors: %v", err)
	}
	return len(entries)
}
