package transfer

import (
	"errors"
	"fmt"
	"io"

	"github.com/ferry-ftp/ferry/client"
)

// ErrTooLong reports a download whose data went on past the size the
// server announced for the file (with SIZE, in the listing, or in its
// reply to RETR), or whose announcements disagree so that the transfer
// would: the data is not the file announced, or the server is broken.
// Nothing past the announced size is written, what the attempt wrote is
// discarded, and the download is not retried. Test with errors.Is.
var ErrTooLong = errors.New("file longer than announced")

// A download's data is checked against what the server announced:
//
//   - size: SIZE, or the size of the file's listing entry;
//   - announced: the "(N bytes)" of the reply that opened the transfer
//     (client.AnnouncedSize), the full file's size or, after REST, the
//     size of the rest.
//
// In binary mode every byte is the file's, so the data must be exactly as
// long as both say. Where they disagree, the file changed between them
// or the server is inconsistent, and no length of data can satisfy both:
// the download fails before writing anything, with ErrTooLong when the
// transfer announces more than the file holds and ErrIncomplete (which is
// retried, and asks SIZE again) when less.
//
// In ASCII mode (TYPE A) the server sends each line end as CRLF (RFC 959
// section 3.1.1.1) and ferry writes the data as it comes, so the data is
// longer than the file where the file's lines end in LF alone, up to
// twice as long. Servers differ in which size they announce (the file's,
// or the converted data's), so the data may be as short as the smallest
// size announced and as long as twice the largest.

// dataBounds returns the lowest and highest total size (from the start of
// the file) the data of a download may reach, given size (-1 when
// unknown), announced (-1 when none), the offset the transfer resumes
// from and whether it is in ASCII mode. hi is -1 when nothing bounds it.
// It returns an error when size and announced disagree in binary mode.
func dataBounds(size, announced, offset int64, ascii bool) (lo, hi int64, err error) {
	if ascii {
		lo, hi = -1, -1
		for _, n := range []int64{size, announced} {
			if n < 0 {
				continue
			}
			if lo < 0 || n < lo {
				lo = n
			}
			hi = max(hi, 2*n)
		}
		return max(lo, 0), hi, nil
	}
	if announced >= 0 && offset > 0 {
		switch {
		case size < 0:
			announced = -1 // the full size or the rest's: cannot tell
		case announced == size-offset:
			announced = size
		}
	}
	switch {
	case size >= 0 && announced >= 0 && announced != size:
		cause := ErrIncomplete
		if announced > size {
			cause = ErrTooLong
		}
		return 0, 0, fmt.Errorf("the server announced %d bytes for the transfer, but %d for the file (it changed, or the server is inconsistent): %w",
			announced, size, cause)
	case size >= 0:
		return size, size, nil
	case announced >= 0:
		return announced, announced, nil
	}
	return 0, -1, nil
}

// capWriter passes at most left bytes on to w. A write past them passes
// on what fits and then fails with ErrTooLong, so that no more than the
// announced size ever reaches the disk (or the standard output).
type capWriter struct {
	w     io.Writer
	left  int64
	limit int64 // the total size allowed, for the message
}

// limitWriter returns w limited to hi-offset more bytes, or w itself when
// hi is negative (nothing announced).
func limitWriter(w io.Writer, offset, hi int64) io.Writer {
	if hi < 0 {
		return w
	}
	return &capWriter{w: w, left: max(hi-offset, 0), limit: hi}
}

func (c *capWriter) Write(b []byte) (int, error) {
	if int64(len(b)) <= c.left {
		n, err := c.w.Write(b)
		c.left -= int64(n)
		return n, err
	}
	n, err := c.w.Write(b[:c.left])
	c.left -= int64(n)
	if err == nil {
		err = fmt.Errorf("stopped after the %d bytes the server announced: %w", c.limit, ErrTooLong)
	}
	return n, err
}

// checkShort returns ErrIncomplete when a transfer that ended without
// error brought the data to total bytes, fewer than lo.
func checkShort(total, lo int64) error {
	if total >= lo {
		return nil
	}
	return fmt.Errorf("received %d bytes, but the server announced %d: %w", total, lo, ErrIncomplete)
}

// discards reports whether err means that every byte of the attempt must
// be discarded: the data did not come from the server's transfer
// (client.ErrDataUntrusted), or it went past the announced size.
func discards(err error) bool {
	return errors.Is(err, client.ErrDataUntrusted) || errors.Is(err, ErrTooLong)
}
