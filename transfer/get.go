package transfer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"sync"
	"time"

	"github.com/ferry-ftp/ferry/client"
)

// PartSuffix is appended to a file's name while it is being transferred:
// a download goes to NAME.part beside the target and an upload to
// NAME.part beside the remote target, each renamed when complete.
const PartSuffix = ".part"

// bufferSize is the copy buffer of one transfer.
const bufferSize = 256 << 10

// GetOptions configure a download.
type GetOptions struct {
	// Resume continues a partial download left in NAME.part by an
	// earlier attempt, with REST.
	Resume bool
	// Progress is told about the transfer; nil reports nothing.
	Progress Progress
	// Listed is the file's entry from a listing, when the caller has one:
	// its size stands in for SIZE, and its time for MDTM when it is exact
	// (MLSD: UTC to the second), which saves a round trip each. A LIST
	// time, in the server's unknown zone, is used only when MDTM fails.
	Listed *client.Entry
	// Limit caps the rate, shared with the other transfers that use it.
	Limit *Limiter
	// Verify compares the server's digest of the file (HASH, XSHA256,
	// XMD5 or XCRC) with the downloaded data before the file is renamed
	// into place; a mismatch is a *VerifyError and the partial file is
	// removed. Servers without a digest command get the size check only.
	Verify bool
	// Name is shown in progress reports; the remote base name by default.
	Name string
}

// Result describes a finished transfer.
type Result struct {
	Remote, Local string
	// Size is the file's full size.
	Size int64
	// Offset is where the transfer resumed; Bytes is what it moved.
	Offset, Bytes int64
	// ModTime is the server's modification time, when it told it.
	ModTime time.Time
	// Duration is the time the transfer took.
	Duration time.Duration
	// Digest names the algorithm the file was verified with ("SHA-256"),
	// or is "" when it was not (only its size was checked).
	Digest string
	// Retries counts the attempts after the first (Pool transfers).
	Retries int
}

// Get downloads remote into the local file local. The data goes to
// local+PartSuffix, which is renamed over local only when the transfer is
// complete and its size matches the server's; so a failed or interrupted
// download never replaces local. A partial file that holds data is kept
// for Resume. The local modification time is set from the server's.
func Get(ctx context.Context, c *client.Conn, remote, local string, opt GetOptions) (Result, error) {
	return get(ctx, c, osFS{}, remote, local, opt)
}

// get is Get writing through fsys.
func get(ctx context.Context, c *client.Conn, fsys localFS, remote, local string, opt GetOptions) (Result, error) {
	start := time.Now()
	res := Result{Remote: remote, Local: local, Size: -1}
	size, mtime, err := remoteInfo(ctx, c, remote, opt.Listed)
	if err != nil {
		return res, err
	}
	res.Size, res.ModTime = size, mtime

	part := local + PartSuffix
	var offset int64
	if opt.Resume {
		if fi, err := fsys.Lstat(part); err == nil && fi.Mode().IsRegular() {
			offset = fi.Size()
		}
		if size >= 0 && offset > size {
			offset = 0 // the part is not a prefix of this file
		}
	}
	f, err := openPart(fsys, part, offset > 0)
	if err != nil {
		return res, err
	}
	res.Offset = offset
	n, err := download(ctx, c, remote, f, offset, size, opt)
	res.Bytes = n
	if cerr := f.Close(); err == nil && cerr != nil {
		err = localErr("write", part, cerr)
	}
	if err == nil && size >= 0 && offset+n != size {
		err = fmt.Errorf("%s: received %d bytes, but the server reported %d: %w", remote, offset+n, size, ErrIncomplete)
	}
	if err == nil && opt.Verify {
		res.Digest, err = verify(ctx, c, remote, remote, func() (io.ReadCloser, error) { return fsys.Open(part) })
		var ve *VerifyError
		if errors.As(err, &ve) {
			fsys.Remove(part) // damaged: never resume from it
			return res, err
		}
	}
	if err != nil {
		if offset+n == 0 {
			fsys.Remove(part)
		}
		return res, err
	}
	if size < 0 {
		res.Size = offset + n
	}
	if !mtime.IsZero() {
		fsys.Chtimes(part, mtime, mtime)
	}
	if err := fsys.Rename(part, local); err != nil {
		return res, localErr("rename", part, err)
	}
	res.Duration = time.Since(start)
	return res, nil
}

// remoteInfo finds the size and modification time of a remote file, from
// its listing entry where that knows them and with SIZE and MDTM
// otherwise. Either is left unknown (-1, zero) when the server does not
// tell; only a broken connection is an error, since RETR decides whether
// the file exists.
func remoteInfo(ctx context.Context, c *client.Conn, remote string, listed *client.Entry) (int64, time.Time, error) {
	size := int64(-1)
	var mtime time.Time
	if listed != nil {
		size = listed.Size
		if listed.Precision == client.TimeExact {
			mtime = listed.ModTime
		}
	}
	if size < 0 {
		n, err := c.Size(ctx, remote)
		switch {
		case err == nil:
			size = n
		case c.Err() != nil:
			return -1, time.Time{}, err
		}
	}
	if mtime.IsZero() {
		t, err := c.ModTime(ctx, remote)
		switch {
		case err == nil:
			mtime = t
		case c.Err() != nil:
			return -1, time.Time{}, err
		case listed != nil && listed.Precision > client.TimeUnknown:
			mtime = listed.ModTime
		}
	}
	return size, mtime, nil
}

// download copies remote from offset into f, positioned at offset.
func download(ctx context.Context, c *client.Conn, remote string, f *os.File, offset, size int64, opt GetOptions) (int64, error) {
	if size >= 0 && offset == size && offset > 0 {
		return 0, nil // already complete
	}
	if _, err := f.Seek(offset, io.SeekStart); err != nil {
		return 0, localErr("seek", f.Name(), err)
	}
	rc, err := c.Retr(ctx, remote, offset)
	if err != nil {
		return 0, err
	}
	fp := progressOrDiscard(opt.Progress).Start(displayName(opt.Name, remote), size, offset)
	n, err := copyData(&localWriter{w: f, name: f.Name()}, opt.Limit.reader(ctx, rc), fp)
	if cerr := rc.Close(); err == nil {
		err = cerr
	}
	fp.Finish(err)
	return n, err
}

// displayName is the name progress reports show.
func displayName(name, remote string) string {
	if name != "" {
		return name
	}
	return path.Base(remote)
}

// Fetch downloads remote to w, for `cat` and `get -o -`. Nothing is
// resumed or renamed.
func Fetch(ctx context.Context, c *client.Conn, remote string, w io.Writer, p Progress) (int64, error) {
	size := int64(-1)
	if n, err := c.Size(ctx, remote); err == nil {
		size = n
	} else if c.Err() != nil {
		return 0, err
	}
	rc, err := c.Retr(ctx, remote, 0)
	if err != nil {
		return 0, err
	}
	fp := progressOrDiscard(p).Start(path.Base(remote), size, 0)
	n, err := copyData(&localWriter{w: w, name: "output"}, rc, fp)
	if cerr := rc.Close(); err == nil {
		err = cerr
	}
	fp.Finish(err)
	return n, err
}

// copyData copies src to dst, reporting progress.
func copyData(dst io.Writer, src io.Reader, fp FileProgress) (int64, error) {
	buf := buffers.Get().(*[]byte)
	defer buffers.Put(buf)
	return io.CopyBuffer(&countingWriter{w: dst, p: fp}, onlyReader{src}, *buf)
}

// buffers holds copy buffers for reuse: a mirror of thousands of small
// files would otherwise allocate (and collect) one of bufferSize each.
var buffers = sync.Pool{New: func() any {
	b := make([]byte, bufferSize)
	return &b
}}

// onlyReader hides WriterTo so that io.CopyBuffer uses the buffer.
type onlyReader struct{ io.Reader }

// localWriter marks write errors as local ones.
type localWriter struct {
	w    io.Writer
	name string
}

func (l *localWriter) Write(b []byte) (int, error) {
	n, err := l.w.Write(b)
	if err != nil {
		var le *LocalError
		if !errors.As(err, &le) {
			err = localErr("write", l.name, err)
		}
	}
	return n, err
}
