package ops

import (
	"fmt"
	"math"
	"runtime/debug"
	"strconv"

	"github.com/ferry-ftp/ferry/client"
	"github.com/ferry-ftp/ferry/transfer"
)

// Flags that raise the limits on listings, as LimitError names them.
const (
	maxEntriesFlag     = "--max-entries"
	maxListingSizeFlag = "--max-listing-size"
)

// ListBudget returns the budget the listings of the command draw on, over
// all its connections (see client.Budget), made on first use from
// --max-entries and --max-listing-size.
func (f *Env) ListBudget() *client.Budget {
	if f.Budget == nil {
		f.Budget = client.NewBudget(f.Opts.Limits())
	}
	return f.Budget
}

// CheckLimits refuses limits below one, and raises the runtime's memory
// limit, when main set one as a backstop, in proportion to limits raised
// above the defaults.
func (o *GlobalOptions) CheckLimits() error {
	if o.MaxEntries < 1 {
		return usageErrorf("%s must be at least 1, got %d", maxEntriesFlag, o.MaxEntries)
	}
	if o.MaxListingSize < 1 {
		return usageErrorf("%s must be at least 1 byte", maxListingSizeFlag)
	}
	scale := max(float64(o.MaxEntries)/client.DefaultMaxEntries, float64(o.MaxListingSize)/client.DefaultMaxListingSize)
	if limit := debug.SetMemoryLimit(-1); scale > 1 && limit < math.MaxInt64 {
		debug.SetMemoryLimit(int64(min(float64(limit)*scale, math.MaxInt64/2)))
	}
	return nil
}

// Limits returns the listing limits the flags set.
func (o *GlobalOptions) Limits() client.Limits {
	return client.Limits{Entries: o.MaxEntries, Bytes: int64(o.MaxListingSize),
		EntriesSetting: maxEntriesFlag, BytesSetting: maxListingSizeFlag}
}

// ByteSize is a flag value of bytes: a number with an optional suffix K,
// M or G (powers of 1024) and an optional "B" or "iB": "128M", "1GiB".
type ByteSize int64

func (b *ByteSize) String() string {
	switch n := int64(*b); {
	case n > 0 && n%(1<<30) == 0:
		return strconv.FormatInt(n>>30, 10) + "G"
	case n > 0 && n%(1<<20) == 0:
		return strconv.FormatInt(n>>20, 10) + "M"
	case n > 0 && n%(1<<10) == 0:
		return strconv.FormatInt(n>>10, 10) + "K"
	default:
		return strconv.FormatInt(n, 10)
	}
}

func (b *ByteSize) Set(s string) error {
	// The same numbers and suffixes as --limit-rate takes.
	v, err := transfer.ParseRate(s)
	if err != nil || v < 1 {
		return fmt.Errorf("want a positive size in bytes with an optional K, M or G suffix, got %q", s)
	}
	*b = ByteSize(v)
	return nil
}

func (b *ByteSize) Type() string { return "size" }
