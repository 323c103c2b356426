package completion

import (
	"context"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/ferry-ftp/ferry/client"
)

// Cache is a Lister that keeps listings for a while, so that pressing Tab
// again does not list the same folder again. The shell calls Invalidate
// after put, mkdir, rm or rename in a folder, and InvalidateAll after
// reconnecting. It is safe for concurrent use.
type Cache struct {
	l   Lister
	ttl time.Duration
	now func() time.Time // time.Now; tests replace it

	mu    sync.Mutex
	dirs  map[string]cached
	epoch uint64 // counts invalidations
}

// maxCached is the most entries a Cache keeps, over all its folders.
const maxCached = 2 * MaxEntries

// cached is one listing and the time its listing began.
type cached struct {
	entries []client.Entry
	at      time.Time
}

var _ Lister = (*Cache)(nil)

// NewCache returns a cache in front of l that keeps each listing for ttl.
// A ttl of zero or less keeps nothing.
func NewCache(l Lister, ttl time.Duration) *Cache {
	return &Cache{l: l, ttl: ttl, now: time.Now, dirs: make(map[string]cached)}
}

// ReadDir returns the cached listing of dir while it is fresh, and
// otherwise lists dir and keeps the result. Errors are not kept. The
// entries returned are a copy the caller may change.
func (c *Cache) ReadDir(ctx context.Context, dir string) ([]client.Entry, error) {
	key := cleanDir(dir)
	c.mu.Lock()
	start := c.now()
	if e, ok := c.dirs[key]; ok && start.Sub(e.at) < c.ttl {
		c.mu.Unlock()
		return slices.Clone(e.entries), nil
	}
	epoch := c.epoch
	c.mu.Unlock()

	entries, err := c.l.ReadDir(ctx, dir)
	if err != nil {
		return nil, err
	}

	c.mu.Lock()
	defer c.mu.Unlock()
	// A listing that began before an invalidation may miss its change.
	if c.epoch == epoch && c.ttl > 0 && len(entries) <= maxCached {
		c.prune(c.now())
		// Keep at most maxCached entries in all: the listings of many
		// large folders would add up.
		total := len(entries)
		for _, e := range c.dirs {
			total += len(e.entries)
		}
		if total > maxCached {
			clear(c.dirs)
		}
		c.dirs[key] = cached{entries: slices.Clone(entries), at: start}
	}
	return entries, nil
}

// Invalidate forgets the listing of dir and of every folder under it, since
// removing or renaming a folder changes them too. dir is written as the
// Lister receives it (relative or absolute).
func (c *Cache) Invalidate(dir string) {
	key := cleanDir(dir)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.epoch++
	for k := range c.dirs {
		if k == key || under(k, key) {
			delete(c.dirs, k)
		}
	}
}

// InvalidateAll forgets every listing.
func (c *Cache) InvalidateAll() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.epoch++
	clear(c.dirs)
}

// prune drops the listings that have expired at now. c.mu is held.
func (c *Cache) prune(now time.Time) {
	for k, e := range c.dirs {
		if now.Sub(e.at) >= c.ttl {
			delete(c.dirs, k)
		}
	}
}

// under reports whether the cleaned folder k lies below the cleaned folder
// dir ("" is the current folder, which holds every relative path).
func under(k, dir string) bool {
	switch dir {
	case "":
		return !strings.HasPrefix(k, "/")
	case "/":
		return strings.HasPrefix(k, "/")
	}
	return strings.HasPrefix(k, dir+"/")
}
