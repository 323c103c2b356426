package completion

import (
	"context"
	"errors"
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/ferry-ftp/ferry/client"
	"github.com/ferry-ftp/ferry/internal/ftptest"
	"github.com/ferry-ftp/ferry/transfer"
)

// endlessMLSD is an endless MLSD listing.
type endlessMLSD struct {
	n   int
	buf []byte
}

func (e *endlessMLSD) Read(p []byte) (int, error) {
	for len(e.buf) < len(p) {
		e.n++
		e.buf = fmt.Appendf(e.buf, "type=file;size=1;modify=20240101000000; file%d\r\n", e.n)
	}
	n := copy(p, e.buf)
	e.buf = e.buf[:copy(e.buf, e.buf[n:])]
	return n, nil
}

// TestReadDirEndless: Tab on a folder whose listing never ends offers
// nothing, after MaxEntries entries rather than at the end of memory, and
// leaves the connection usable.
func TestReadDirEndless(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{Hook: func(c ftptest.Command) *ftptest.Reply {
		if c.Verb == "MLSD" && c.Arg == "pub" {
			return &ftptest.Reply{Transfer: &ftptest.Transfer{Source: func() io.Reader { return &endlessMLSD{} }}}
		}
		return nil
	}})
	makeTree(t, srv.Root(), "pub/")
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	c, err := transfer.Connect(ctx, transfer.Site{Addr: srv.Addr(), User: "user", Password: "pass"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	entries, err := ReadDir(ctx, c, "pub")
	if !errors.Is(err, ErrTooManyEntries) || entries != nil {
		t.Fatalf("ReadDir = %d entries, %v; want ErrTooManyEntries", len(entries), err)
	}
	cands, err := Remote(ctx, connLister{c}, "", "pub/f")
	if len(cands) != 0 || !errors.Is(err, ErrTooManyEntries) {
		t.Errorf("Remote = %d candidates, %v; want none and ErrTooManyEntries", len(cands), err)
	}
	if err := c.Noop(ctx); err != nil {
		t.Fatalf("Noop after the stopped listing: %v", err)
	}
}

// TestCacheBounded: the cache keeps at most maxCached entries over all
// its folders, dropping older listings to keep a new one.
func TestCacheBounded(t *testing.T) {
	big := make([]client.Entry, MaxEntries)
	for i := range big {
		big[i] = client.Entry{Name: fmt.Sprint("f", i)}
	}
	calls := 0
	c := NewCache(listerFunc(func(ctx context.Context, dir string) ([]client.Entry, error) {
		calls++
		return big, nil
	}), time.Hour)
	for _, d := range []string{"a", "b", "c"} {
		if _, err := c.ReadDir(t.Context(), d); err != nil {
			t.Fatal(err)
		}
	}
	total := 0
	for _, e := range c.dirs {
		total += len(e.entries)
	}
	if total > maxCached {
		t.Errorf("the cache keeps %d entries, want at most %d", total, maxCached)
	}
	if _, ok := c.dirs["c"]; !ok {
		t.Errorf("the newest listing was not kept")
	}
}

// listerFunc is a Lister made of a function.
type listerFunc func(ctx context.Context, dir string) ([]client.Entry, error)

func (f listerFunc) ReadDir(ctx context.Context, dir string) ([]client.Entry, error) {
	return f(ctx, dir)
}
