package transfer

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"syscall"
	"time"

	"github.com/ferry-ftp/ferry/client"
)

// Special files. A download whose local name is a character or block
// device, a FIFO or a socket (or a symbolic link to one) writes into it,
// as cat and BSD ftp do: `get f /dev/null` is a speed test, and a FIFO
// passes the data to its reader. The file is opened for writing as it is,
// never replaced, truncated, renamed, or given a mode or time; nothing is
// resumed, and a digest cannot be checked (the data cannot be read back),
// so only the size is (Result.Digest stays empty).

// errSocket reports a socket as the local target: it cannot be opened.
var errSocket = errors.New("a socket cannot be written to as a file")

// getInto downloads remote into the special file local (see tgt).
func getInto(ctx context.Context, c *client.Conn, fsys localFS, remote, local string, tgt localTarget, size int64, ascii bool, opt GetOptions, res Result) (Result, error) {
	start := time.Now()
	f, err := openSpecial(ctx, fsys, local, tgt.info)
	if err != nil {
		return res, err
	}
	stop := context.AfterFunc(ctx, func() {
		// A FIFO whose reader does not read would hold the write
		// forever; devices take no deadline and need none.
		f.SetWriteDeadline(time.Unix(1, 0))
	})
	n, err := download(ctx, c, remote, f, 0, size, ascii, opt)
	stop()
	res.Bytes = n
	if cerr := f.Close(); err == nil && cerr != nil {
		err = localErr("write", local, cerr)
	}
	if err != nil {
		if errors.Is(err, os.ErrDeadlineExceeded) && ctx.Err() != nil {
			err = ctx.Err()
		}
		return res, err
	}
	if size < 0 {
		res.Size = n
	}
	res.Duration = time.Since(start)
	return res, nil
}

// openSpecial opens the special file name, of the kind fi describes, for
// writing. A FIFO's open waits for a reader; ctx ends the wait (by being
// the reader the open waits for, then closing both ends).
func openSpecial(ctx context.Context, fsys localFS, name string, fi fs.FileInfo) (*os.File, error) {
	switch m := fi.Mode(); {
	case m&fs.ModeSocket != 0:
		return nil, localErr("open", name, errSocket)
	case m&fs.ModeNamedPipe == 0:
		f, err := fsys.OpenFile(name, os.O_WRONLY, 0)
		if err != nil {
			return nil, localErr("open", name, err)
		}
		return f, nil
	}
	type opened struct {
		f   *os.File
		err error
	}
	ch := make(chan opened, 1)
	go func() {
		f, err := fsys.OpenFile(name, os.O_WRONLY, 0)
		ch <- opened{f, err}
	}()
	select {
	case o := <-ch:
		if o.err != nil {
			return nil, localErr("open", name, o.err)
		}
		return o.f, nil
	case <-ctx.Done():
	}
	if r, err := fsys.OpenFile(name, os.O_RDONLY|syscall.O_NONBLOCK, 0); err == nil {
		if o := <-ch; o.f != nil {
			o.f.Close()
		}
		r.Close()
	}
	return nil, ctx.Err()
}
