package transfer

import (
	"context"
	"errors"
	"io"

	"github.com/ferry-ftp/ferry/client"
)

// stream copies the source file into tmp from offset through ferry: RETR
// on the source, with REST, piped into STOR on the destination (with REST
// where the destination restarts uploads, APPE otherwise), through one
// buffer of fixed size, so memory stays bounded whatever the file's size.
// The data is checked as a download's is (see dataBounds): no more than
// the source announced is sent on, and data that ends short fails. When
// either side fails, the other transfer is aborted: the destination never
// sees the orderly end of an upload that is not whole.
func (j *copyJob) stream(ctx context.Context, tmp string, offset int64) error {
	sctx, stopSrc := context.WithCancel(ctx)
	defer stopSrc()
	dctx, stopDst := context.WithCancel(ctx)
	defer stopDst()
	rc, err := j.sc.Retr(sctx, j.srcPath, offset)
	if err != nil {
		return err
	}
	lo, hi, err := dataBounds(j.size, client.AnnouncedSize(rc), offset, false)
	if err != nil {
		rc.Close() // aborts the transfer
		return err
	}
	var wc io.WriteCloser
	switch {
	case offset == 0:
		wc, err = j.dc.Stor(dctx, tmp, 0)
	case j.dc.HasFeature("REST"):
		wc, err = j.dc.Stor(dctx, tmp, offset)
	default:
		wc, err = j.dc.Appe(dctx, tmp)
	}
	if err != nil {
		stopSrc()
		rc.Close()
		return err
	}
	fp := progressOrDiscard(j.cp.opt.Progress).Start(j.put.display, j.size, offset)
	dw := &sideWriter{w: wc}
	n, err := copyData(limitWriter(dw, offset, hi), j.cp.opt.Limit.reader(ctx, rc), fp)
	j.res.Bytes = n
	if err == nil {
		err = checkShort(offset+n, lo)
	}
	switch {
	case err == nil:
		// The source's final reply first: only its 2yz shows that the
		// data was whole, and the upload ends after it.
		if err = rc.Close(); err != nil {
			stopDst()
			wc.Close() // aborts the upload
		} else {
			err = wc.Close()
		}
	case dw.err != nil:
		// The destination failed: its Close aborts and names its reply
		// (a full disk, say); the source's transfer is cancelled.
		stopSrc()
		rc.Close()
		if cerr := wc.Close(); cerr != nil {
			err = cerr
		}
	default:
		// The source failed, or sent more or less than it announced:
		// its Close aborts and names its reply; the upload is
		// cancelled, so the destination never sees an orderly end.
		stopDst()
		wc.Close()
		if cerr := rc.Close(); cerr != nil && (errors.Is(cerr, client.ErrDataUntrusted) || !errors.Is(err, ErrTooLong) && !errors.Is(err, ErrIncomplete)) {
			err = cerr
		}
	}
	if ctx.Err() != nil {
		err = &client.Error{Kind: client.KindOther, Op: "copy", Err: ctx.Err()}
	}
	fp.Finish(err)
	return err
}

// sideWriter records the error of the destination's writes, so that a
// failed copy can tell which side failed.
type sideWriter struct {
	w   io.Writer
	err error
}

func (s *sideWriter) Write(b []byte) (int, error) {
	n, err := s.w.Write(b)
	if err != nil && s.err == nil {
		s.err = err
	}
	return n, err
}
