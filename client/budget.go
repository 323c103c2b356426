package client

import (
	"fmt"
	"sync/atomic"
)

// Default limits of a Budget. They keep a command's listings well within
// 200 MB of memory: a listing is read line by line, so its size costs
// time, not memory; what a command keeps (the tree and the plan of a
// mirror, say) costs a few hundred bytes an entry.
const (
	DefaultMaxEntries     = 150_000
	DefaultMaxListingSize = 128 << 20
)

// pathUnit is the length of path that KeepPath counts as one entry.
const pathUnit = 128

// Limits bound what the listings of one command may cost, over all its
// connections and folders together.
type Limits struct {
	// Entries is the most listing entries kept in memory: those that
	// List, MLSD, ReadDir, NameList and ListLines return, and those that
	// callers of the streamed listings (ReadDirFunc...) keep and charge
	// with Budget.KeepPath. An entry whose name or path is long counts
	// once more for every 128 bytes. Zero means DefaultMaxEntries, a
	// negative value no limit.
	Entries int64
	// Bytes is the most listing data read, kept or not. Zero means
	// DefaultMaxListingSize, a negative value no limit.
	Bytes int64
	// EntriesSetting and BytesSetting name what raises each limit (a
	// flag such as "--max-entries"), for LimitError's message.
	EntriesSetting, BytesSetting string
}

// A Budget counts what the listings of one command cost against its
// Limits. The connections of a command share one (see WithBudget), so
// that its limits hold whatever the number of connections and folders. A
// Budget is safe for concurrent use; a nil *Budget has no limits.
type Budget struct {
	lim            Limits
	entries, bytes atomic.Int64
}

// NewBudget returns a budget with the limits l.
func NewBudget(l Limits) *Budget {
	if l.Entries == 0 {
		l.Entries = DefaultMaxEntries
	}
	if l.Bytes == 0 {
		l.Bytes = DefaultMaxListingSize
	}
	return &Budget{lim: l}
}

// Limits returns the budget's limits, with the defaults filled in.
func (b *Budget) Limits() Limits {
	if b == nil {
		return Limits{Entries: -1, Bytes: -1}
	}
	return b.lim
}

// Keep charges n entries that the caller keeps in memory. It returns a
// *LimitError once the entries kept in all exceed the limit; the caller
// then stops.
func (b *Budget) Keep(n int) error {
	if b == nil || b.lim.Entries < 0 {
		return nil
	}
	if b.entries.Add(int64(n)) > b.lim.Entries {
		return &LimitError{What: "entries", Max: b.lim.Entries, Setting: b.lim.EntriesSetting}
	}
	return nil
}

// KeepPath charges an entry of name or path p that the caller keeps in
// memory: one entry, and one more for every 128 bytes of p.
func (b *Budget) KeepPath(p string) error {
	return b.Keep(1 + len(p)/pathUnit)
}

// Release gives back n entries charged with Keep that the caller no longer
// keeps (those of a listing it tries again, say).
func (b *Budget) Release(n int) {
	if b != nil {
		b.entries.Add(-int64(n))
	}
}

// ReleasePath gives back what KeepPath(p) charged.
func (b *Budget) ReleasePath(p string) {
	b.Release(1 + len(p)/pathUnit)
}

// read charges n bytes of listing data read.
func (b *Budget) read(n int) error {
	if b == nil || b.lim.Bytes < 0 {
		return nil
	}
	if b.bytes.Add(int64(n)) > b.lim.Bytes {
		return &LimitError{What: "bytes", Max: b.lim.Bytes, Setting: b.lim.BytesSetting}
	}
	return nil
}

// Reset forgets what was charged, for a new command (the shell's) that
// uses the same connections.
func (b *Budget) Reset() {
	if b != nil {
		b.entries.Store(0)
		b.bytes.Store(0)
	}
}

// LimitError reports listings that went over a limit of their Budget.
type LimitError struct {
	// What is "entries" or "bytes".
	What string
	// Max is the limit.
	Max int64
	// Setting names what raises the limit, if known.
	Setting string
}

// Error names the limit and what raises it.
func (e *LimitError) Error() string {
	msg := fmt.Sprintf("ftp: listing limit reached: more than %d entries kept", e.Max)
	if e.What == "bytes" {
		msg = fmt.Sprintf("ftp: listing limit reached: more than %s of listings read", sizeString(e.Max))
	}
	if e.Setting != "" {
		msg += " (raise it with " + e.Setting + ")"
	}
	return msg
}

// sizeString formats n bytes in MiB or KiB where that is exact.
func sizeString(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// WithBudget makes the connection's listings draw on b, which the
// connections of one command share. Without it, each listing has a budget
// of its own with the default limits.
func WithBudget(b *Budget) Option { return func(o *options) { o.budget = b } }

// Budget returns the budget the connection's listings draw on, or nil
// when each listing has its own (see WithBudget).
func (c *Conn) Budget() *Budget { return c.opts.budget }

// listBudget returns the budget for one listing.
func (c *Conn) listBudget() *Budget {
	if c.opts.budget != nil {
		return c.opts.budget
	}
	return NewBudget(Limits{})
}
