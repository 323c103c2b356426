package transfer

import (
	"context"
	"fmt"
	"path"
	"sync"
	"time"

	"github.com/ferry-ftp/ferry/client"
)

// FXPMode says whether a copy between two servers may have them send the
// file to each other (FXP).
type FXPMode int

const (
	// FXPAuto tries FXP and streams the file through ferry when the
	// servers refuse it.
	FXPAuto FXPMode = iota
	// FXPForce copies by FXP only: a refusal fails the copy.
	FXPForce
	// FXPNever always streams the file through ferry.
	FXPNever
)

// CopyOptions configure a Copier.
type CopyOptions struct {
	// FXP says whether the servers may send the file to each other.
	FXP FXPMode
	// TrustPASV passes on to the other server a PASV address that is not
	// the address ferry reached the passive server at. Off, such an
	// address is never passed on (see fxpAllowed): a hostile server could
	// otherwise make the other one connect anywhere and send it the file.
	TrustPASV bool
	// Progress is told about the transfers; nil reports nothing.
	Progress Progress
	// Limit caps the rate of streamed copies (FXP moves no data through
	// ferry).
	Limit *Limiter
	// Notify is told, once a Copier, that FXP was refused and the copies
	// stream through ferry instead, and what else deserves a warning
	// but is no failure. Nil tells nobody.
	Notify func(msg string)
}

// CopyFileOptions configure one file's copy.
type CopyFileOptions struct {
	// Resume continues the partial copy an earlier attempt or run left
	// under the destination's temporary name: only one of the same
	// version of the same source file, as Put resumes (see TempName).
	Resume bool
	// Name is shown in progress reports; the destination's base name by
	// default.
	Name string
	// Listed is the source file's entry from a listing, when the caller
	// has one (see GetOptions.Listed).
	Listed *client.Entry
	// Avoid reports the names the destination folder holds as real
	// files (see PutOptions.Avoid).
	Avoid func(name string) bool
}

// Copier copies files from one server to another without the local disk:
// by FXP where both servers allow it (see fxp.go), and otherwise through
// ferry, RETR on the source piped into STOR on the destination with a
// buffer of fixed size. Either way the destination is written as Put
// writes it: under a temporary name of this process's own, its size
// checked against the source's, then renamed into place; a short or failed
// copy never touches the final name, and its partial file is handed on for
// a later resume. It remembers, for the files that follow, whether FXP
// works between the two servers. A Copier is safe for concurrent use.
type Copier struct {
	src, dst *Pool
	opt      CopyOptions

	mu     sync.Mutex
	fxp    fxpState
	notify func(string)

	watch watcher // watches FXP transfers from another connection
}

// NewCopier returns a Copier from src's server to dst's. The pools may be
// one pool (a copy within one server); each copy holds a connection of
// each, so such a pool needs room for two.
func NewCopier(src, dst *Pool, opt CopyOptions) *Copier {
	cp := &Copier{src: src, dst: dst, opt: opt, notify: NotifyOnce(opt.Notify)}
	cp.fxp.init()
	cp.watch.site = dst.Site()
	return cp
}

// Close ends the connection that watched FXP transfers, if any.
func (cp *Copier) Close() error { return cp.watch.close() }

// CopyFile copies the source's file srcPath to the destination's dstPath,
// retrying transient failures as Pool.Do does: each retry resumes from
// what the last attempt left. Result.Remote is srcPath and Result.Local
// dstPath; Result.Bytes counts what all the attempts moved.
func (cp *Copier) CopyFile(ctx context.Context, srcPath, dstPath string, opt CopyFileOptions) (Result, error) {
	var res Result
	var moved int64
	n, err := cp.dst.Do(ctx, dstPath, func(dc *client.Conn, attempt int) error {
		sc, err := cp.src.Get(ctx)
		if err != nil {
			return err
		}
		o := opt
		o.Resume = opt.Resume || attempt > 0
		res, err = cp.copy(ctx, sc, srcPath, dc, dstPath, o)
		cp.src.Put(sc, err)
		moved += res.Bytes
		return err
	})
	res.Retries, res.Bytes = n, moved
	return res, err
}

// copy makes one attempt at a copy over the connections sc and dc.
func (cp *Copier) copy(ctx context.Context, sc *client.Conn, srcPath string, dc *client.Conn, dstPath string, opt CopyFileOptions) (Result, error) {
	start := time.Now()
	res := Result{Remote: srcPath, Local: dstPath, Size: -1}
	for _, c := range []*client.Conn{sc, dc} {
		// Bytes cross as they are: a connection the shell left in ASCII
		// type is set back to binary (the shell restores its own).
		if c.CurrentType() != client.TypeBinary {
			if err := c.Type(ctx, client.TypeBinary); err != nil {
				return res, err
			}
		}
	}
	size, mtime, err := remoteInfo(ctx, sc, srcPath, opt.Listed, false)
	if err != nil {
		return res, err
	}
	if size < 0 {
		// A missing source is said so, before the destination is
		// touched; a server that does not tell sizes streams the file.
		if _, err := sc.Size(ctx, srcPath); err != nil && (sc.Err() != nil || IsNotFound(err)) {
			return res, err
		}
	}
	res.Size, res.ModTime = size, mtime
	j := &copyJob{cp: cp, sc: sc, dc: dc, srcPath: srcPath, size: size, mtime: mtime, opt: opt, res: &res,
		put: &putJob{c: dc, remote: dstPath, display: displayName(opt.Name, dstPath), size: size, res: &res,
			opt: PutOptions{Resume: opt.Resume, Avoid: opt.Avoid, Notify: cp.notify}}}
	if err := j.viaTemp(ctx); err != nil {
		return res, err
	}
	res.Duration = time.Since(start)
	return res, nil
}

// copyJob is one attempt at a copy. Its destination side is a putJob
// (with no local file), whose steps Put and the copy share: the
// temporary names, claiming and handing on partial files, the old file's
// permissions and the rename into place.
type copyJob struct {
	cp      *Copier
	sc, dc  *client.Conn
	srcPath string
	size    int64 // the source's size, -1 when unknown
	mtime   time.Time
	opt     CopyFileOptions
	res     *Result
	put     *putJob
}

// viaTemp copies to this process's temporary name beside the target and
// puts the file in place, as Put's viaTemp does.
func (j *copyJob) viaTemp(ctx context.Context) error {
	p := j.put
	src := Source{Site: j.sc.RemoteAddr().String(), Path: j.srcPath, Size: j.size, ModTime: j.mtime}
	dir, base := path.Split(p.remote)
	parked, resumable := TempName(base, src, p.opt.Avoid)
	own, ownResumable := src.ProcessName(base, p.opt.Avoid)
	resumable = resumable && ownResumable
	tmp := dir + own
	parked = dir + parked
	old, err := p.oldMode(ctx)
	if err != nil {
		return err
	}
	var offset int64
	if j.opt.Resume && resumable {
		if offset, err = p.claim(ctx, tmp, parked); err != nil {
			return err
		}
	}
	j.res.Offset = offset
	err = p.restrict(ctx, tmp, offset, old)
	if err == nil {
		err = j.send(ctx, tmp, offset)
	}
	if err != nil {
		if discards(err) && j.dc.Err() == nil {
			// Bytes that did not come from the source's transfer, or
			// past its size: nothing of this partial file is kept.
			dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), parkTimeout)
			j.dc.Dele(dctx, tmp)
			cancel()
			return err
		}
		j.settle(ctx, tmp, parked, resumable)
		return err
	}
	if err := p.keepMode(ctx, tmp, old); err != nil {
		return err
	}
	return j.place(ctx, tmp)
}

// settle hands on the partial file tmp of a failed copy as Put does
// (putJob.settle): parked under parked, where a later run's resume finds
// it, when it may be resumed. When the copy's connection to the
// destination broke (an FXP transfer whose ABOR went unanswered, an
// interrupt), that is done on a new connection (the watcher's): else the
// partial file would stay under this process's own name, which no later
// run resumes.
func (j *copyJob) settle(ctx context.Context, tmp, parked string, resumable bool) {
	p := j.put
	if j.dc.Err() == nil {
		p.settle(ctx, tmp, parked, resumable)
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), parkTimeout)
	defer cancel()
	j.cp.watch.do(ctx, func(c *client.Conn) {
		other := *p
		other.c = c
		other.settle(ctx, tmp, parked, resumable)
	})
}

// send copies the source file into tmp from offset, by FXP where the
// servers allow it and through ferry otherwise, and checks the size the
// destination then reports against the source's.
func (j *copyJob) send(ctx context.Context, tmp string, offset int64) error {
	if offset == 0 || offset != j.size { // else the partial copy is whole
		viaFXP, err := j.tryFXP(ctx, tmp, offset)
		if err != nil {
			return err
		}
		if !viaFXP {
			if err := j.stream(ctx, tmp, offset); err != nil {
				return err
			}
		}
	}
	want := j.size
	if want < 0 {
		want = offset + j.res.Bytes // all ferry knows of the source
	}
	got, err := j.dc.Size(ctx, tmp)
	switch {
	case err == nil && got > want:
		// The source sent more than its size said (FXP moves what the
		// source sends): the same failure as a streamed copy's, whose
		// data is cut at the size.
		return fmt.Errorf("%s: the destination holds %d bytes after the copy, the source announced %d: %w", tmp, got, want, ErrTooLong)
	case err == nil && got != want:
		return fmt.Errorf("%s: the destination holds %d bytes after the copy, the source %d: %w", tmp, got, want, ErrIncomplete)
	case err != nil && j.dc.Err() != nil:
		return err
	}
	return nil
}

// place renames the complete copy tmp to the final name. A server that
// refuses to rename over an existing file gets the old one moved aside
// first, as Put does (putJob.replace); one that cannot rename at all keeps
// the copy under tmp, and the final name unchanged.
func (j *copyJob) place(ctx context.Context, tmp string) error {
	p := j.put
	err := j.dc.Rename(ctx, tmp, p.remote)
	switch {
	case err == nil:
		return nil
	case j.dc.Err() != nil:
		return p.placeErr(tmp, "", err, "the connection broke during the rename: the new data is in %q, or in %q if the rename took place", tmp, p.remote)
	case cannotRename(err):
		return p.placeErr(tmp, "", err, "the server cannot rename: the complete copy is in %q; %q is unchanged", tmp, p.remote)
	}
	return p.replace(ctx, tmp, err)
}
