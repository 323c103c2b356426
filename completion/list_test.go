package completion

import (
	"context"
	"errors"
	"fmt"
	"io"
	"testing"
	"time"

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
