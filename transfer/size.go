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
// In ASCII mode (TYPE A) the data crosses the network with CRLF line ends
// (RFC 959 section 3.1.1.1), and ferry writes each CRLF as LF (see
// client.NewASCIIReader). The sizes announced are the server's: the file's
// as it is stored (vsftpd and proftpd in the 150 reply, vsftpd and
// pure-ftpd for SIZE; proftpd and pyftpdlib refuse SIZE in ASCII mode), or
// the data's as it is sent (SIZE in other servers, such as the in-process
// test server). The data written is never longer than either (every CRLF
// of the data, the file's own or the server's conversion, becomes one
// byte), and the data received is never shorter than either (the server
// only adds CRs, or sends the file as it is). So every size announced must
// lie between the bytes written and the bytes received: the data received
// must reach the largest (lo, counted before conversion, see
// asciiDownload), and the data written stops at the smallest (hi).
// Resuming is never offered in ASCII mode, since the two sides' offsets
// differ (see Get), so offset plays no part.

// dataBounds returns the lowest and highest total size (from the start of
// the file) the data of a download may reach, given size (-1 when
// unknown), announced (-1 when none), the offset the transfer resumes
// from and whether it is in ASCII mode; in ASCII mode lo bounds the bytes
// received and hi the bytes written. hi is -1 when nothing bounds it.
// It returns an error when size and announced disagree in binary mode.
func dataBounds(size, announced, offset int64, ascii bool) (lo, hi int64, err error) {
	if ascii {
		lo, hi = 0, -1
		for _, n := range []int64{size, announced} {
			if n < 0 {
				continue
			}
			lo = max(lo, n)
			if hi < 0 || n < hi {
				hi = n
			}
		}
		return lo, hi, nil
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

// asciiDownload returns the reader of a download's data from r and the
// lowest total the data written must reach, given lo from dataBounds. In
// binary mode that is r and lo. In ASCII mode the reader writes each CRLF
// as LF (client.NewASCIIReader) and checks lo itself, against the bytes
// received: at their end it fails with ErrIncomplete when they are fewer;
// the data written then has no lower bound of its own (0).
func asciiDownload(r io.Reader, lo int64, ascii bool) (io.Reader, int64) {
	if !ascii {
		return r, lo
	}
	in := &countReader{r: r}
	return &asciiData{r: client.NewASCIIReader(in), in: in, lo: lo}, 0
}

// asciiData is the data of a download in ASCII mode (see asciiDownload).
type asciiData struct {
	r  io.Reader // the data with LF line ends
	in *countReader
	lo int64
}

func (a *asciiData) Read(p []byte) (int, error) {
	n, err := a.r.Read(p)
	if err == io.EOF && a.in.n < a.lo {
		err = fmt.Errorf("received %d bytes in ASCII mode, but the server announced %d: %w", a.in.n, a.lo, ErrIncomplete)
	}
	return n, err
}

// countReader counts the bytes read through it.
type countReader struct {
	r io.Reader
	n int64
}

func (c *countReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// asciiUpload returns the writer an upload's data goes through to w: w
// itself in binary mode, and in ASCII mode (c's current type) a writer
// that sends each LF line end as CRLF (client.NewASCIIWriter).
func asciiUpload(w io.Writer, c *client.Conn) io.Writer {
	if c.CurrentType() != client.TypeASCII {
		return w
	}
	return client.NewASCIIWriter(w)
}

// checkStored checks got, the size the server reports after the upload
// of the local file (under its temporary name or the final one), against
// the file's size; its error names the final name. In binary mode they
// must be equal. In ASCII mode the file went out with each LF as CRLF
// (asciiUpload), and servers differ in what they store and report: the
// data as sent (vsftpd without ascii_upload_enable, or SIZE counting the
// CRLFs of the stored file), the data with each CRLF stored as LF
// (proftpd, the in-process test server), or with every CR dropped
// (pure-ftpd). So got must lie between the file without its CRs and the
// data sent; the file is read again to count them. It returns nil when
// got fits and an error that wraps ErrIncomplete when not.
func (j *putJob) checkStored(got int64) error {
	if got == j.size {
		return nil
	}
	if j.c.CurrentType() != client.TypeASCII {
		return fmt.Errorf("%s: the server holds %d bytes after upload, want %d: %w", j.remote, got, j.size, ErrIncomplete)
	}
	crs, bareLFs, err := lineEnds(io.NewSectionReader(j.f, 0, j.size))
	if err != nil {
		return localErr("read", j.local, err)
	}
	lo, hi := j.size-crs, j.size+bareLFs
	if got < lo || got > hi {
		return fmt.Errorf("%s: the server holds %d bytes after an ASCII upload of %d, want %d to %d (by its line ends): %w",
			j.remote, got, j.size, lo, hi, ErrIncomplete)
	}
	return nil
}

// lineEnds counts the CRs of r, and the LFs that follow no CR.
func lineEnds(r io.Reader) (crs, bareLFs int64, err error) {
	buf := make([]byte, 32<<10)
	prev := byte(0)
	for {
		n, err := r.Read(buf)
		for _, b := range buf[:n] {
			switch {
			case b == '\r':
				crs++
			case b == '\n' && prev != '\r':
				bareLFs++
			}
			prev = b
		}
		if err == io.EOF {
			return crs, bareLFs, nil
		}
		if err != nil {
			return 0, 0, err
		}
	}
}
