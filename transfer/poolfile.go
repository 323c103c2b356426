package transfer

import (
	"context"
	"errors"

	"github.com/ferry-ftp/ferry/client"
)

// GetFile downloads remote to the local file local over a pooled
// connection, as Get does, retrying transient failures as Do does: each
// retry reconnects when the connection broke and resumes from what the
// last attempt left under its temporary name (see TempName).
// Result.Retries counts the retries, and Result.Bytes the bytes all the
// attempts moved.
func (p *Pool) GetFile(ctx context.Context, remote, local string, opt GetOptions) (Result, error) {
	return p.getFile(ctx, osFS{}, remote, local, opt)
}

func (p *Pool) getFile(ctx context.Context, fsys localFS, remote, local string, opt GetOptions) (Result, error) {
	var res Result
	var moved int64 // over all attempts: what this run moved
	n, err := p.do(ctx, remote, remote, func(c *client.Conn, attempt int) error {
		o := opt
		o.Resume = opt.Resume || attempt > 0
		var err error
		res, err = get(ctx, c, fsys, remote, local, o)
		moved += res.Bytes
		return err
	})
	res.Retries, res.Bytes = n+opt.retried, moved
	return res, err
}

// PutFile uploads the local file local to remote over a pooled
// connection, as Put does, retrying transient failures as Do does: each
// retry resumes the upload (REST and STOR, or APPE). Result.Retries
// counts the retries, and Result.Bytes the bytes all the attempts moved.
func (p *Pool) PutFile(ctx context.Context, local, remote string, opt PutOptions) (Result, error) {
	return p.putFile(ctx, osFS{}, local, remote, opt)
}

func (p *Pool) putFile(ctx context.Context, fsys localFS, local, remote string, opt PutOptions) (Result, error) {
	var res Result
	var moved int64  // over all attempts: what this run moved
	var changed bool // the last attempt's file changed while it was sent
	n, err := p.Do(ctx, remote, func(c *client.Conn, attempt int) error {
		o := opt
		// What the server holds of a file that changed is no head
		// start: the retry sends it whole.
		o.Resume = (opt.Resume || attempt > 0) && !changed
		var err error
		res, err = put(ctx, c, fsys, local, remote, o)
		moved += res.Bytes
		changed = errors.Is(err, ErrSourceChanged)
		return err
	})
	res.Retries, res.Bytes = n, moved
	return res, err
}

// Totals is an optional interface of a Progress: a job of many files
// calls SetTotals once it knows how many files and bytes it will move, so
// that the display can show an aggregate (files done of total, bytes,
// rate, time left).
type Totals interface {
	SetTotals(files int, bytes int64)
}

// setTotals tells p the totals when it listens.
func setTotals(p Progress, files int, bytes int64) {
	if t, ok := p.(Totals); ok {
		t.SetTotals(files, bytes)
	}
}
