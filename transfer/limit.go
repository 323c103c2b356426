package transfer

import (
	"context"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"golang.org/x/time/rate"
)

// Limiter caps the aggregate rate of every transfer that shares it: all
// the files of a command, whatever the number of connections. A nil
// *Limiter does not limit. It is safe for concurrent use.
type Limiter struct {
	l     *rate.Limiter
	chunk int // the most bytes one wait covers; the limiter's burst
}

// NewLimiter returns a Limiter of bytesPerSecond, or nil (no limit) when
// bytesPerSecond <= 0.
func NewLimiter(bytesPerSecond int64) *Limiter {
	if bytesPerSecond <= 0 {
		return nil
	}
	// Waits cover at most 1/8 s of data, and at most 64 KiB, so that the
	// rate is smooth and parallel transfers share it fairly.
	chunk := int(min(max(bytesPerSecond/8, 1), 64<<10))
	return &Limiter{l: rate.NewLimiter(rate.Limit(bytesPerSecond), chunk), chunk: chunk}
}

// wait blocks until n bytes may move, n at most l.chunk.
func (l *Limiter) wait(ctx context.Context, n int) error {
	if n <= 0 {
		return nil
	}
	return l.l.WaitN(ctx, n)
}

// reader wraps r so that reads share the limit; a nil l returns r.
func (l *Limiter) reader(ctx context.Context, r io.Reader) io.Reader {
	if l == nil {
		return r
	}
	return &limitedReader{ctx: ctx, r: r, l: l}
}

type limitedReader struct {
	ctx context.Context
	r   io.Reader
	l   *Limiter
}

// Read reads at most one chunk, then waits for the limiter to allow what
// was read.
func (lr *limitedReader) Read(p []byte) (int, error) {
	if len(p) > lr.l.chunk {
		p = p[:lr.l.chunk]
	}
	n, err := lr.r.Read(p)
	if werr := lr.l.wait(lr.ctx, n); werr != nil && err == nil {
		err = werr
	}
	return n, err
}

// ParseRate reads a rate in bytes per second: a number with an optional
// suffix K, M or G (powers of 1024, as in curl and lftp) and an optional
// trailing "B" or "/s": "500K", "10M", "1.5M", "2G", "65536". Zero means
// no limit.
func ParseRate(s string) (int64, error) {
	t := strings.TrimSpace(s)
	t = strings.TrimSuffix(strings.TrimSuffix(t, "/s"), "/S")
	t = strings.TrimRight(t, "bB")
	mult := 1.0
	if t != "" {
		switch t[len(t)-1] {
		case 'k', 'K':
			mult = 1 << 10
		case 'm', 'M':
			mult = 1 << 20
		case 'g', 'G':
			mult = 1 << 30
		}
		if mult != 1 {
			t = t[:len(t)-1]
		}
	}
	v, err := strconv.ParseFloat(t, 64)
	if err != nil || v < 0 || math.IsInf(v, 0) || math.IsNaN(v) || v*mult > math.MaxInt64/2 {
		return 0, fmt.Errorf("bad rate %q: want a number of bytes per second with an optional K, M or G suffix", s)
	}
	return int64(v * mult), nil
}
