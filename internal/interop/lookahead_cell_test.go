package interop

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"

	"github.com/ferry-ftp/ferry/client"
	"github.com/ferry-ftp/ferry/transfer"
)

// lookahead downloads the fixtures uploaded by put one after the other on
// a new pipelined connection, each RetrNext naming the next file: every
// file after the first is sent ahead (its data command and RETR go out
// before the final reply of the one before), in the cell's mode, TLS and
// address family, unless the server was found not to take it; every file
// arrives byte-identical.
func (x *cell) lookahead() error {
	// Handshakes of their own, as in pooled: this control connection
	// would count as a data connection in the cell's tally.
	var hs handshakes
	st := site(x.s, x.mode, x.s.Password, hs.config(x.s), x.trace)
	st.Options = append(st.Options, client.WithPipelining(true))
	ctx := x.ctx()
	c, err := transfer.Connect(ctx, st)
	if err != nil {
		return err
	}
	defer c.Close()
	remote := func(i int) string { return x.remote("put-" + x.files[i].name) }
	var errs []error
	taken := 0
	for i, f := range x.files {
		if p, ok := c.Ahead(); ok && p == remote(i) {
			taken++
		}
		next := func() (string, bool) {
			if i+1 < len(x.files) {
				return remote(i + 1), true
			}
			return "", false
		}
		rc, err := c.RetrNext(ctx, remote(i), 0, next)
		if err != nil {
			errs = append(errs, fmt.Errorf("RetrNext of %s: %w", f.label, err))
			continue
		}
		h := sha256.New()
		n, rerr := io.Copy(h, rc)
		if err := errors.Join(rerr, rc.Close()); err != nil {
			errs = append(errs, fmt.Errorf("RetrNext of %s: %w", f.label, err))
			continue
		}
		if want := sha256.Sum256(f.data); n != int64(len(f.data)) || !bytes.Equal(h.Sum(nil), want[:]) {
			errs = append(errs, fmt.Errorf("RetrNext of %s: %d bytes, want %d identical", f.label, n, len(f.data)))
		}
	}
	if off := c.Refusals().NoLookahead(); off != nil {
		x.t.Logf("%s %s %s: lookahead off after %d of %d: %v", x.s.Kind, x.s.Options, x.mode, taken, len(x.files)-1, off)
	} else if taken != len(x.files)-1 {
		errs = append(errs, fmt.Errorf("%d of %d files taken up as sent ahead, and lookahead not turned off", taken, len(x.files)-1))
	}
	return errors.Join(errs...)
}
