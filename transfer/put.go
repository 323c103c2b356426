package transfer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/ferry-ftp/ferry/client"
)

// PutOptions configure an upload.
type PutOptions struct {
	// Resume continues a partial upload left under the temporary name
	// (or, with Direct, under the final name) by an earlier attempt.
	Resume bool
	// Direct writes straight to the final name instead of a temporary
	// name renamed at the end. Use it for servers that cannot rename.
	Direct bool
	// KeepTime sets the remote modification time to the local one (MFMT)
	// when the server offers it.
	KeepTime bool
	// Progress is told about the transfer; nil reports nothing.
	Progress Progress
	// Limit caps the rate, shared with the other transfers that use it.
	Limit *Limiter
	// Verify compares the server's digest of the uploaded file (HASH,
	// XSHA256, XMD5 or XCRC) with the local file's before the file gets
	// its final name; a mismatch is a *VerifyError and the remote
	// temporary file is deleted. Servers without a digest command get the
	// size check only.
	Verify bool
	// Name is shown in progress reports; the remote base name by default.
	Name string
}

// Put uploads the local file local to remote. The data goes to
// remote+PartSuffix, renamed to remote once complete and its size checked,
// so that a failed upload never leaves a truncated file under the final
// name. A server that cannot rename gets the file under its final name.
func Put(ctx context.Context, c *client.Conn, local, remote string, opt PutOptions) (Result, error) {
	return put(ctx, c, osFS{}, local, remote, opt)
}

// put is Put reading through fsys.
func put(ctx context.Context, c *client.Conn, fsys localFS, local, remote string, opt PutOptions) (Result, error) {
	start := time.Now()
	res := Result{Remote: remote, Local: local}
	f, err := fsys.Open(local)
	if err != nil {
		return res, localErr("open", local, err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return res, localErr("stat", local, err)
	}
	if !fi.Mode().IsRegular() {
		return res, localErr("open", local, errors.New("not a regular file"))
	}
	size := fi.Size()
	res.Size, res.ModTime = size, fi.ModTime()

	name := remote + PartSuffix
	if opt.Direct {
		name = remote
	}
	var offset int64
	if opt.Resume {
		if n, err := c.Size(ctx, name); err == nil && n <= size {
			offset = n
		} else if err != nil && c.Err() != nil {
			return res, err
		}
	}
	res.Offset = offset
	n, err := upload(ctx, c, f, name, displayName(opt.Name, remote), offset, size, opt)
	res.Bytes = n
	if err != nil {
		return res, err
	}
	// Check what arrived before it takes the final name.
	if got, err := c.Size(ctx, name); err == nil && got != size {
		return res, fmt.Errorf("%s: the server holds %d bytes after upload, want %d: %w", name, got, size, ErrIncomplete)
	} else if err != nil && c.Err() != nil {
		return res, err
	}
	if opt.Verify {
		res.Digest, err = verify(ctx, c, name, remote, func() (io.ReadCloser, error) { return fsys.Open(local) })
		if err != nil {
			var ve *VerifyError
			if errors.As(err, &ve) && !opt.Direct {
				c.Dele(ctx, name) // damaged: never resume from it
			}
			return res, err
		}
	}
	if !opt.Direct {
		if err := replace(ctx, c, name, remote); err != nil {
			if !refusedOutright(err) || c.Err() != nil {
				return res, err
			}
			// The server cannot rename: upload again under the final
			// name.
			c.Dele(ctx, name)
			opt.Direct, opt.Resume = true, false
			return put(ctx, c, fsys, local, remote, opt)
		}
	}
	if opt.KeepTime && c.HasFeature("MFMT") {
		if err := c.SetModTime(ctx, remote, fi.ModTime()); err != nil && c.Err() != nil {
			return res, err
		}
	}
	res.Duration = time.Since(start)
	return res, nil
}

// upload sends f from offset to the remote name, with REST and STOR where
// the server supports restarts, and APPE otherwise.
func upload(ctx context.Context, c *client.Conn, f *os.File, name, display string, offset, size int64, opt PutOptions) (int64, error) {
	if offset > 0 && offset == size {
		return 0, nil
	}
	if _, err := f.Seek(offset, io.SeekStart); err != nil {
		return 0, localErr("seek", f.Name(), err)
	}
	var wc io.WriteCloser
	var err error
	switch {
	case offset == 0:
		wc, err = c.Stor(ctx, name, 0)
	case c.HasFeature("REST"):
		wc, err = c.Stor(ctx, name, offset)
	default:
		wc, err = c.Appe(ctx, name)
	}
	if err != nil {
		return 0, err
	}
	fp := progressOrDiscard(opt.Progress).Start(display, size, offset)
	n, err := copyData(wc, opt.Limit.reader(ctx, &localReader{r: f, name: f.Name()}), fp)
	if err != nil {
		// Close after a failed Write aborts the upload; its error
		// carries the server's reply (a 552, say) with the data error.
		if cerr := wc.Close(); cerr != nil && !isLocal(err) {
			err = cerr
		}
	} else {
		err = wc.Close()
	}
	fp.Finish(err)
	return n, err
}

// replace renames from to to. Servers that refuse to rename over an
// existing file get the old one deleted first.
func replace(ctx context.Context, c *client.Conn, from, to string) error {
	err := c.Rename(ctx, from, to)
	if err == nil || c.Err() != nil || refusedOutright(err) {
		return err
	}
	if client.ReplyCode(err)/100 != 5 {
		return err
	}
	if _, serr := c.Size(ctx, to); serr != nil {
		return err // the target does not exist: the refusal is another matter
	}
	if derr := c.Dele(ctx, to); derr != nil {
		return err
	}
	return c.Rename(ctx, from, to)
}

// refusedOutright reports a "not implemented" reply (500, 502, 504).
func refusedOutright(err error) bool {
	switch client.ReplyCode(err) {
	case 500, 502, 504:
		return true
	}
	return false
}

// localReader marks read errors as local ones.
type localReader struct {
	r    io.Reader
	name string
}

func (l *localReader) Read(b []byte) (int, error) {
	n, err := l.r.Read(b)
	if err != nil && err != io.EOF {
		err = localErr("read", l.name, err)
	}
	return n, err
}
