package completion

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/ferry-ftp/ferry/client"
)

// fakeClock is a settable clock for Cache.now.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func newTestCache(l Lister, ttl time.Duration) (*Cache, *fakeClock) {
	clock := &fakeClock{t: time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)}
	c := NewCache(l, ttl)
	c.now = clock.Now
	return c, clock
}

// completeVia runs Remote through c and fails the test on an error.
func completeVia(t *testing.T, c *Cache, cwd, prefix string) []string {
	t.Helper()
	got, err := Remote(t.Context(), c, cwd, prefix)
	if err != nil {
		t.Fatalf("Remote(%q): %v", prefix, err)
	}
	return got
}

func TestCacheHitMiss(t *testing.T) {
	l := newTree()
	c, clock := newTestCache(l, time.Minute)

	completeVia(t, c, "", "pa")
	completeVia(t, c, "", "pu")   // hit: same folder
	completeVia(t, c, "", "./pu") // hit: "." is the same folder
	completeVia(t, c, "", "pub/") // miss: another folder
	completeVia(t, c, "", "pub/a")
	if got, want := l.Calls(), []string{"", "pub"}; !slices.Equal(got, want) {
		t.Fatalf("listed %q, want %q", got, want)
	}

	clock.Advance(time.Minute)
	if got := completeVia(t, c, "", "pa"); !slices.Equal(got, []string{"pack.tgz", "patches/"}) {
		t.Errorf("after expiry got %q", got)
	}
	if got, want := l.Calls(), []string{"", "pub", ""}; !slices.Equal(got, want) {
		t.Errorf("after expiry listed %q, want %q", got, want)
	}
}

func TestCacheInvalidate(t *testing.T) {
	l := newTree()
	c, _ := newTestCache(l, time.Hour)
	for _, p := range []string{"", "pub/", "pub/alpha/", "/etc/"} {
		completeVia(t, c, "", p)
	}
	c.Invalidate("pub/") // and pub/alpha under it, not "" or /etc
	for _, p := range []string{"", "pub/", "pub/alpha/", "/etc/"} {
		completeVia(t, c, "", p)
	}
	want := []string{"", "pub", "pub/alpha", "/etc", "pub", "pub/alpha"}
	if got := l.Calls(); !slices.Equal(got, want) {
		t.Errorf("after Invalidate listed %q, want %q", got, want)
	}

	c.InvalidateAll()
	completeVia(t, c, "", "")
	completeVia(t, c, "", "/etc/")
	want = append(want, "", "/etc")
	if got := l.Calls(); !slices.Equal(got, want) {
		t.Errorf("after InvalidateAll listed %q, want %q", got, want)
	}
}

func TestCacheInvalidateRoot(t *testing.T) {
	l := newTree()
	c, _ := newTestCache(l, time.Hour)
	completeVia(t, c, "", "/etc/")
	completeVia(t, c, "", "pub/")
	c.Invalidate("/") // every absolute folder, not relative ones
	completeVia(t, c, "", "/etc/")
	completeVia(t, c, "", "pub/")
	if got, want := l.Calls(), []string{"/etc", "pub", "/etc"}; !slices.Equal(got, want) {
		t.Errorf("listed %q, want %q", got, want)
	}
}

// TestCacheInvalidateDuringListing checks that a listing that began before
// an invalidation is not kept: it may predate the change.
func TestCacheInvalidateDuringListing(t *testing.T) {
	l := &hookLister{fakeLister: newTree()}
	c, _ := newTestCache(l, time.Hour)
	l.during = func() { c.Invalidate("pub") }
	completeVia(t, c, "", "pub/")
	l.during = nil
	completeVia(t, c, "", "pub/")
	completeVia(t, c, "", "pub/")
	if got, want := l.Calls(), []string{"pub", "pub"}; !slices.Equal(got, want) {
		t.Errorf("listed %q, want %q", got, want)
	}
}

// hookLister runs during in the middle of each listing.
type hookLister struct {
	*fakeLister
	during func()
}

func (h *hookLister) ReadDir(ctx context.Context, dir string) ([]client.Entry, error) {
	es, err := h.fakeLister.ReadDir(ctx, dir)
	if h.during != nil {
		h.during()
	}
	return es, err
}

func TestCacheKeepsNoErrors(t *testing.T) {
	l := newTree()
	c, _ := newTestCache(l, time.Hour)
	for range 2 {
		if _, err := c.ReadDir(t.Context(), "nowhere"); err == nil {
			t.Fatal("ReadDir(nowhere) succeeded")
		}
	}
	if got := len(l.Calls()); got != 2 {
		t.Errorf("listed %d times, want 2", got)
	}
}

func TestCacheZeroTTL(t *testing.T) {
	l := newTree()
	c, _ := newTestCache(l, 0)
	completeVia(t, c, "", "")
	completeVia(t, c, "", "")
	if got := len(l.Calls()); got != 2 {
		t.Errorf("listed %d times with ttl 0, want 2", got)
	}
}

func TestCacheReturnsCopies(t *testing.T) {
	c, _ := newTestCache(newTree(), time.Hour)
	es, _ := c.ReadDir(t.Context(), "pub")
	es[0].Name = "changed"
	es, _ = c.ReadDir(t.Context(), "pub")
	if es[0].Name == "changed" {
		t.Error("a caller's change reached the cache")
	}
}

func TestCacheConcurrent(t *testing.T) {
	c := NewCache(newTree(), time.Millisecond)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 50 {
				switch (i + j) % 5 {
				case 0:
					c.Invalidate("pub")
				case 1:
					c.InvalidateAll()
				default:
					if _, err := Remote(t.Context(), c, "", "pub/a"); err != nil {
						t.Error(err)
					}
				}
			}
		}()
	}
	wg.Wait()
}
