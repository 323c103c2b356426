package transfer

import (
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ferry-ftp/ferry/internal/ftptest"
)

// soakSize returns the rounds and files of a soak test: the full soak
// (FERRY_SOAK=full, make soak) or the short form make test runs.
func soakSize(t *testing.T, fullFiles, shortFiles int) (rounds, files int) {
	t.Helper()
	if testing.Short() {
		t.Skip("soak test")
	}
	if os.Getenv("FERRY_SOAK") == "full" {
		return 10, fullFiles
	}
	return 2, shortFiles
}

// soakHeapBound is how much the heap in use, after a garbage collection,
// may grow over the soak, between rounds. A round holds nothing once its pool is
// closed; the bound leaves room for the test's own tables, the server and
// the runtime, and is far below what a leak of buffers (256 KiB per
// transfer) over thousands of transfers would reach.
const soakHeapBound = 64 << 20

// soakFaults is a server hook for the soak: it cuts the data connection of
// the first RETR or STOR of a seeded 5% of the paths at a point inside the
// file, and answers every 157th transfer command with 421 and closes the
// control connection.
type soakFaults struct {
	seed   uint64
	sizeOf func(verb, arg string) int64

	mu            sync.Mutex
	seen          map[string]bool
	n             int
	drops, closes int
}

func (f *soakFaults) hook(c ftptest.Command) *ftptest.Reply {
	if c.Verb != "RETR" && c.Verb != "STOR" {
		return nil
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.n++; f.n%157 == 0 {
		f.closes++
		return &ftptest.Reply{Code: 421, Text: "Service not available, closing control connection."}
	}
	key := c.Verb + " " + c.Arg
	if f.seen[key] {
		return nil
	}
	f.seen[key] = true
	h := fnv.New64a()
	fmt.Fprintf(h, "%d/%s", f.seed, key)
	v := h.Sum64()
	size := f.sizeOf(c.Verb, c.Arg)
	if v%1000 >= 50 || size < 2 {
		return nil
	}
	f.drops++
	return &ftptest.Reply{Transfer: &ftptest.Transfer{DropAfter: 1 + int64((v/1000)%uint64(size-1))}}
}

func (f *soakFaults) counts() (drops, closes int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.drops, f.closes
}

// openFDs counts this process's open file descriptors.
func openFDs(t testing.TB) int {
	t.Helper()
	entries, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skipf("cannot count file descriptors: %v", err)
	}
	return len(entries)
}

// soakBaseline is what the process holds before a soak: goroutines and
// file descriptors.
type soakBaseline struct {
	goroutines, fds int
	heap            uint64 // in use after a collection
}

func takeBaseline(t testing.TB) soakBaseline {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return soakBaseline{runtime.NumGoroutine(), openFDs(t), ms.HeapInuse}
}

// checkNoLeaks waits (up to 10 s, for closing connections and their
// goroutines to end) until the goroutines and file descriptors are back to
// the baseline, then checks that the heap in use after a collection grew
// by less than soakHeapBound (other tests of the package may hold data of
// their own). It returns the heap in use.
func checkNoLeaks(t testing.TB, base soakBaseline, what string) uint64 {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	var g, fds int
	for {
		g, fds = runtime.NumGoroutine(), openFDs(t)
		if g <= base.goroutines && fds <= base.fds {
			break
		}
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			buf = buf[:runtime.Stack(buf, true)]
			t.Fatalf("%s: %d goroutines (baseline %d) and %d file descriptors (baseline %d) after 10 s; goroutines:\n%s",
				what, g, base.goroutines, fds, base.fds, buf)
		}
		time.Sleep(20 * time.Millisecond)
	}
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	if ms.HeapInuse > base.heap+soakHeapBound {
		t.Fatalf("%s: %d MiB of heap in use after GC, %d MiB before the soak: it grew by more than %d MiB",
			what, ms.HeapInuse>>20, base.heap>>20, soakHeapBound>>20)
	}
	return ms.HeapInuse
}

// TestSoakMirror mirrors a tree down and back up through a Pool of 8
// connections, round after round, against a server that drops 5% of the
// data connections and sends 421 now and then. Every round must end with
// identical trees and no failed file; after each round (its pool closed)
// the goroutines and file descriptors must be back to what they were
// before the first, and the heap in use must stay under soakHeapBound.
// The full soak is 10 rounds of 2,000 files; make test runs 2 of 300.
func TestSoakMirror(t *testing.T) {
	rounds, files := soakSize(t, 2000, 300)
	folders := 20
	if files < 1000 {
		folders = 10
	}
	root := t.TempDir()
	src := filepath.Join(root, "src")
	makeTree(t, src, folders, files/folders, 20000, 8)
	local := t.TempDir()
	start := time.Now()

	base := takeBaseline(t)
	for round := range rounds {
		faults := &soakFaults{seed: uint64(round), seen: map[string]bool{}, sizeOf: func(verb, arg string) int64 {
			if verb == "RETR" {
				return fileSize(root, "")(arg)
			}
			return fileSize(filepath.Join(local, "copy"), "")(untemp(strings.TrimPrefix(arg, "up/")))
		}}
		srv, err := ftptest.Start(ftptest.Config{Root: root, Hook: faults.hook})
		if err != nil {
			t.Fatal(err)
		}
		p := NewPool(site(srv), PoolOptions{Size: 8, Retries: 4, Backoff: noWait})
		ctx := testCtx(t)
		down, err := p.Mirror(ctx, "src", filepath.Join(local, "copy"), MirrorOptions{Update: UpdateChanged})
		if err != nil || down.Failed != 0 || down.Copied != files {
			t.Fatalf("round %d: download: %+v, %v", round, summaryOf(down), err)
		}
		sameTree(t, src, filepath.Join(local, "copy"))
		up, err := p.Mirror(ctx, "up", filepath.Join(local, "copy"), MirrorOptions{Direction: Upload, Update: UpdateChanged})
		if err != nil || up.Failed != 0 || up.Copied != files {
			t.Fatalf("round %d: upload: %+v, %v", round, summaryOf(up), err)
		}
		sameTree(t, src, filepath.Join(root, "up"))
		p.Close()
		srv.Close()
		drops, closes := faults.counts()
		if drops == 0 || closes == 0 || down.Retries+up.Retries < drops+closes {
			t.Errorf("round %d: %d retries for %d drops and %d 421 replies", round, down.Retries+up.Retries, drops, closes)
		}
		os.RemoveAll(filepath.Join(local, "copy"))
		os.RemoveAll(filepath.Join(root, "up"))
		heap := checkNoLeaks(t, base, fmt.Sprintf("round %d", round))
		t.Logf("round %d: %d files each way, %d drops, %d 421 replies, %d retries, heap in use %d MiB, %v so far",
			round, files, drops, closes, down.Retries+up.Retries, heap>>20, time.Since(start).Round(time.Millisecond))
	}
}

// summaryOf is a Report without its plan, for messages.
func summaryOf(r *Report) string {
	if r == nil {
		return "<nil>"
	}
	return fmt.Sprintf("copied %d, made %d, skipped %d, failed %d, retries %d", r.Copied, r.Made, r.Skipped, r.Failed, r.Retries)
}
