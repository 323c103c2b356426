package transfer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/ferry-ftp/ferry/client"
)

// minSegment is the smallest range a segmented download fetches over a
// connection of its own; smaller files are fetched whole.
const minSegment = 1 << 20

// GetSegmented downloads remote into local over up to n connections of
// the pool at once, as lftp's pget does: the file is cut into n ranges;
// each is fetched with REST and RETR on a connection of its own, read up
// to the range's end and then aborted (ABOR), and written in place with
// WriteAt into a temporary file beside local. When every range is in and
// the size matches the server's (and the digest, with opt.Verify), the
// temporary file is renamed to local and gets the server's modification
// time. The last range, which reads to the end of the data, never writes
// past the file's size: more data fails with ErrTooLong, and a reply to
// RETR that announces another size than the file's fails the range
// before it writes (see Get).
//
// Each range is retried on its own (PoolOptions.Retries) and resumes
// where it stopped; an attempt whose data cannot be trusted
// (client.ErrDataUntrusted) counts for nothing, and its range is fetched
// again from where the attempt began. A segmented download does not
// resume across runs: its temporary file, which has holes, has a name no
// other download resumes (a random one, see TempName) and is removed on
// failure. Files of unknown size, files under 2 MiB, n < 2, servers
// without REST STREAM in FEAT, connections in ASCII mode (ranges are byte
// offsets, which line ends change) and connections in active mode get a
// plain GetFile: a range stopped early with ABOR never reads the final reply,
// which in active mode is what tells whether the data came from the
// server (see client.ErrDataUntrusted).
func (p *Pool) GetSegmented(ctx context.Context, remote, local string, n int, opt GetOptions) (Result, error) {
	return p.getSegmented(ctx, osFS{}, remote, local, n, opt)
}

func (p *Pool) getSegmented(ctx context.Context, fsys localFS, remote, local string, n int, opt GetOptions) (Result, error) {
	start := time.Now()
	res := Result{Remote: remote, Local: local, Size: -1}
	var size int64
	var mtime time.Time
	var restart, active bool
	var src Source
	retries, err := p.Do(ctx, remote, func(c *client.Conn, _ int) error {
		var err error
		size, mtime, err = remoteInfo(ctx, c, remote, opt.Listed, opt.Known)
		restart = c.HasFeature("REST") && c.CurrentType() != client.TypeASCII
		active = c.DataMode() == client.Active
		src = source(c, remote, -1, time.Time{}, opt) // never resumed: see above
		return err
	})
	if err != nil {
		res.Retries = retries
		return res, err
	}
	tgt := inspectTarget(fsys, local)
	plain := func() (Result, error) {
		o := opt
		o.Listed = &client.Entry{Name: remote, Size: size, ModTime: mtime, Precision: client.TimeExact}
		if mtime.IsZero() {
			o.Listed.Precision = client.TimeUnknown
		}
		r, err := p.getFile(ctx, fsys, remote, local, o)
		r.Retries += retries
		return r, err
	}
	if n < 2 || size < 2*minSegment || !restart || active || tgt.special || opt.Direct {
		return plain()
	}
	n = int(min(int64(n), size/minSegment))
	res.Size, res.ModTime = size, mtime

	part, _ := partPath(local, src, opt.Avoid)
	pf, err := createPart(fsys, local, part, false, false, size, tgt)
	if err != nil {
		if canDirect(err) {
			return plain() // which writes directly, and says so
		}
		return res, err
	}
	defer pf.release()
	f := pf.f
	fail := func(err error) (Result, error) {
		pf.abandon(fsys, true)
		return res, err
	}
	if err := f.Truncate(size); err != nil {
		return fail(localErr("write", part, err))
	}
	fp := progressOrDiscard(opt.Progress).Start(displayName(opt.Name, remote), size, 0)
	segRetries := make([]int, n)
	moved := make([]int64, n)
	g, gctx := errgroup.WithContext(ctx)
	step := (size + int64(n) - 1) / int64(n)
	for i := range n {
		from, to := int64(i)*step, min(int64(i+1)*step, size)
		g.Go(func() error {
			r, err := p.Do(gctx, fmt.Sprintf("%s (bytes %d-%d)", remote, from, to-1), func(c *client.Conn, _ int) error {
				m, err := fetchRange(gctx, c, remote, f, from+moved[i], to, size, opt.Limit, fp)
				if !discards(err) {
					moved[i] += m // else fetched again, over what the attempt wrote
				}
				return err
			})
			segRetries[i] = r
			return err
		})
	}
	err = g.Wait()
	for i := range n {
		res.Bytes += moved[i]
		retries += segRetries[i]
	}
	res.Retries = retries
	fp.Finish(err)
	if err != nil {
		return fail(err)
	}
	if fi, err := f.Stat(); err != nil || fi.Size() != size || res.Bytes != size {
		return fail(fmt.Errorf("%s: assembled %d bytes of %d: %w", remote, res.Bytes, size, ErrIncomplete))
	}
	if err := pf.finish(); err != nil {
		return fail(err)
	}
	if opt.Verify {
		c, err := p.Get(ctx)
		if err != nil {
			return fail(err)
		}
		res.Digest, err = verify(ctx, c, remote, remote, func() (io.ReadCloser, error) { return fsys.Open(pf.name) })
		p.Put(c, err)
		if err != nil {
			var ve *VerifyError
			if errors.As(err, &ve) {
				return fail(err)
			}
			return res, err
		}
	}
	if !mtime.IsZero() {
		fsys.Chtimes(pf.name, mtime, mtime)
	}
	if err := fsys.Rename(pf.name, local); err != nil {
		return res, localErr("rename", pf.name, err)
	}
	res.Duration = time.Since(start)
	return res, nil
}

// fetchRange downloads bytes [from, to) of remote, a file of size bytes,
// into f at their offsets. The last range (to == size) reads to the end
// of the data, so that the transfer ends in order, and fails with
// ErrTooLong at data past size; any other is closed at its end, which
// aborts the rest of the transfer with ABOR.
func fetchRange(ctx context.Context, c *client.Conn, remote string, f *os.File, from, to, size int64, l *Limiter, fp FileProgress) (int64, error) {
	last := to == size
	if from >= to && !last {
		return 0, nil
	}
	rc, err := c.Retr(ctx, remote, from)
	if err != nil {
		return 0, err
	}
	if _, _, err := dataBounds(size, client.AnnouncedSize(rc), from, false); err != nil {
		rc.Close() // aborts the transfer
		return 0, err
	}
	var src io.Reader = rc
	if !last {
		src = io.LimitReader(rc, to-from)
	}
	w := limitWriter(&localWriter{w: io.NewOffsetWriter(f, from), name: f.Name()}, from, size)
	n, err := copyData(w, l.reader(ctx, src), fp)
	if cerr := rc.Close(); err == nil || errors.Is(cerr, client.ErrDataUntrusted) {
		err = cerr
	}
	if err == nil && n != to-from {
		err = fmt.Errorf("%s: range %d-%d ended after %d bytes: %w", remote, from, to-1, n, ErrIncomplete)
	}
	return n, err
}
