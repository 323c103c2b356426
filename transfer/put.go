package transfer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"time"

	"github.com/ferry-ftp/ferry/client"
)

// PutOptions configure an upload.
type PutOptions struct {
	// Resume continues a partial upload: this process's own, left by an
	// earlier attempt, or one a failed upload of any process handed on
	// under the source's temporary name, which it takes over by renaming
	// it (or, with Direct, what the final name holds). The temporary name
	// records which version of which local file it holds a prefix of (see
	// TempName), so only a partial upload of the same version of the same
	// file is continued.
	Resume bool
	// Direct writes straight to the final name instead of a temporary
	// name renamed at the end: for servers that cannot rename, or a
	// folder where only the file itself may be written. The old file is
	// overwritten in place, and keeps its permissions.
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
	// Avoid, when set, reports the base names that the remote target's
	// folder is known to hold as real files (from a listing); none of
	// them is taken as a temporary name, nor as the name the old file is
	// moved aside to.
	Avoid func(name string) bool
	// Notify is told what deserves a warning but is no failure: a server
	// that cannot rename, so that the old file is overwritten in place; an
	// old copy that could not be deleted. Nil tells nobody.
	Notify func(msg string)

	// origin is the local file's absolute path, which identifies it in
	// its temporary name; put works it out from the local name when it
	// is empty (for files opened through a plain file system).
	origin string
	// fresh says that the target is known not to exist (a mirror's
	// listing of the destination lacks it): no permissions to keep, and
	// no command to look for them.
	fresh bool
	// backupTo, when set, is where the old remote file goes (mirror
	// --backup-dir, --suffix): it is moved there only once the new data is
	// complete under its temporary name, just before that takes the final
	// name, and moved back if the rename fails. Its folder exists and the
	// name is free: nothing there is deleted.
	backupTo string
}

// Put uploads the local file local to remote.
//
// The data goes to a temporary name beside remote (see TempName), whose
// size is checked once the upload is complete; only then does it take the
// final name. A failed or short upload never touches the final name, and
// the old file under it is kept unless the new one is complete and in
// place:
//
//   - A server that refuses to rename over an existing file gets the old
//     one moved aside first (to a name of ferry's own beside it), the new
//     one renamed into place, and only then the old one deleted; when the
//     second rename fails, the old file is put back.
//   - A server that cannot rename at all (RNFR or RNTO answered 500, 502
//     or 504) gets the file again under its final name, overwriting the
//     old one in place, which Notify is told.
//
// In ASCII mode (c in TYPE A) each LF of the file is sent as CRLF, the
// size the server then reports is checked as far as line ends allow (see
// putJob.checkStored), and nothing is resumed.
//
// No file is deleted that this upload did not create or move aside.
// When the server is left in another state than the intended one, the
// error is a *PlaceError that says what it holds.
//
// The temporary name is this process's own (Source.ProcessName): two
// ferry processes uploading the same file to the same name never write
// one file. A failed upload hands its partial file on under the source's
// temporary name (TempName), where Resume, in this process or a later
// one, takes it over (see put_own.go). A server that refuses the
// temporary name outright (550 or 553) gets the file under its final
// name, which Notify is told. The replaced file's permissions are kept
// (see put_mode.go).
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
	state, err := stateOf(f)
	if err != nil {
		return res, localErr("stat", local, err)
	}
	res.Size, res.ModTime = fi.Size(), fi.ModTime()
	tag := fi.ModTime()
	if c.CurrentType() == client.TypeASCII {
		// The server's bytes are not the file's (line ends change): never
		// resume, and give the temporary file a name no upload resumes.
		opt.Resume, tag = false, time.Time{}
	}
	j := &putJob{c: c, fsys: fsys, f: f, local: local, remote: remote,
		display: displayName(opt.Name, remote), size: fi.Size(), state: state, opt: opt, res: &res}
	if opt.Direct {
		err = j.direct(ctx)
	} else {
		err = j.viaTemp(ctx, tag)
	}
	if err != nil {
		return res, err
	}
	if opt.KeepTime && c.HasFeature("MFMT") && !j.timeKept {
		if err := c.SetModTime(ctx, remote, fi.ModTime()); err != nil && c.Err() != nil {
			return res, err
		}
	}
	res.Duration = time.Since(start)
	return res, nil
}

// putJob is one attempt at an upload.
type putJob struct {
	c       *client.Conn
	fsys    localFS
	f       *os.File
	local   string
	remote  string
	display string
	size    int64
	state   fileState // the local file's when opened (see checkSource)
	opt     PutOptions
	res     *Result
	// timeKept says that the file under the final name has the local
	// file's time: set (KeepTime) on the temporary file, whose rename
	// keeps it.
	timeKept bool
}

// direct uploads to the final name (PutOptions.Direct).
func (j *putJob) direct(ctx context.Context) error {
	var offset int64
	if j.opt.Resume {
		var err error
		if offset, err = j.partialSize(ctx, j.remote); err != nil {
			return err
		}
	}
	j.res.Offset = offset
	err := j.send(ctx, j.remote, offset)
	if err == nil && j.opt.Verify {
		j.res.Digest, err = j.verify(ctx, j.remote)
	}
	return err
}

// viaTemp uploads to this process's temporary name and puts the file in
// place (see Put and park). When the server refuses the temporary name
// outright (see refusedTemp), the file goes straight to its final name,
// which Notify is told.
func (j *putJob) viaTemp(ctx context.Context, mtime time.Time) error {
	origin, err := j.origin()
	if err != nil {
		return err
	}
	src := Source{Site: "local", Path: origin, Size: j.size, ModTime: mtime}
	dir, base := path.Split(j.remote)
	parked, resumable := TempName(base, src, j.opt.Avoid)
	own, ownResumable := src.ProcessName(base, j.opt.Avoid)
	resumable = resumable && ownResumable // neither name is taken by a real file
	tmp := dir + own
	parked = dir + parked
	old, err := j.oldMode(ctx)
	if err != nil {
		return err
	}
	var offset int64
	if j.opt.Resume && resumable {
		if offset, err = j.claim(ctx, tmp, parked); err != nil {
			return err
		}
	}
	j.res.Offset = offset
	err = j.restrict(ctx, tmp, offset, old)
	if err == nil {
		err = j.send(ctx, tmp, offset)
	}
	if err != nil {
		if offset == 0 && j.res.Bytes == 0 && refusedTemp(err) {
			return j.fallBack(ctx, tmp, err)
		}
		if j.c.CurrentType() == client.TypeASCII || errors.Is(err, ErrSourceChanged) {
			// This upload's own: under a name never resumed, or holding
			// a mix of two versions of the file.
			j.c.Dele(ctx, tmp)
			return err
		}
		return leftBehind(err, j.settle(ctx, tmp, parked, resumable), parked)
	}
	if offset > 0 && !j.opt.Verify {
		// A resumed upload continues bytes ferry never saw: anyone who
		// may write the folder could have changed them. Where the server
		// offers a digest, the whole file is checked, and sent again
		// once, from the start, when its head was not this file's.
		var ve *VerifyError
		if _, verr := j.verify(ctx, tmp); errors.As(verr, &ve) {
			j.notify("%s: the partial upload on the server did not hold the start of %s; sending the whole file again", tmp, j.local)
			j.res.Offset = 0
			if err := j.send(ctx, tmp, 0); err != nil {
				return leftBehind(err, j.settle(ctx, tmp, parked, resumable), parked)
			}
		} else if verr != nil && j.c.Err() != nil {
			return verr
		}
	}
	if j.opt.Verify {
		j.res.Digest, err = j.verify(ctx, tmp)
		if err != nil {
			var ve *VerifyError
			if errors.As(err, &ve) {
				j.c.Dele(ctx, tmp) // this upload's own, and damaged: never resume from it
			}
			return err
		}
	}
	if err := j.keepMode(ctx, tmp, old); err != nil {
		return err
	}
	return j.place(ctx, tmp)
}

// origin returns the local file's absolute path.
func (j *putJob) origin() (string, error) {
	if j.opt.origin != "" {
		return j.opt.origin, nil
	}
	p, err := filepath.Abs(j.local)
	return p, localErr("open", j.local, err)
}

// partialSize returns the size of the remote file name when it can be
// the start of the local file (no longer than it), and 0 otherwise.
func (j *putJob) partialSize(ctx context.Context, name string) (int64, error) {
	n, err := j.c.Size(ctx, name)
	switch {
	case err == nil && n <= j.size:
		return n, nil
	case err != nil && j.c.Err() != nil:
		return 0, err
	}
	return 0, nil
}

// send uploads the local file to name from offset (what name holds
// already, or 0) and checks that the file did not change meanwhile (see
// checkSource) and the size the server then reports.
func (j *putJob) send(ctx context.Context, name string, offset int64) error {
	c := j.c
	n, err := upload(ctx, c, j.f, name, j.display, offset, j.size, j.opt)
	j.res.Bytes += n
	if err != nil {
		return err
	}
	if err := j.checkSource(); err != nil {
		return err
	}
	// Check what arrived before it takes the final name (and, on a
	// pipelining connection, make the next upload's data connection ready
	// meanwhile). A temporary file gets its time in the same write: the
	// rename keeps it. The final name gets it only once complete (see
	// put).
	var mtime time.Time
	if j.opt.KeepTime && name != j.remote {
		mtime = j.res.ModTime
	}
	got, timeSet, err := c.UploadedSize(ctx, name, mtime)
	j.timeKept = timeSet
	if err == nil && got != j.size {
		return j.checkStored(got)
	} else if err != nil && c.Err() != nil {
		return err
	}
	return nil
}

// verify compares the server's digest of name with the local file's.
func (j *putJob) verify(ctx context.Context, name string) (string, error) {
	return verify(ctx, j.c, name, j.remote, func() (io.ReadCloser, error) { return j.fsys.Open(j.local) })
}

// notify passes a warning to PutOptions.Notify.
func (j *putJob) notify(format string, args ...any) {
	if j.opt.Notify != nil {
		j.opt.Notify(fmt.Sprintf(format, args...))
	}
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
	n, err := copyData(asciiUpload(wc, c), opt.Limit.reader(ctx, &localReader{r: f, name: f.Name()}), fp)
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
	if err != nil && !client.Started(wc) {
		// Refused before the transfer began: the data went out early
		// (see client.Conn.Stor) but none of it was stored.
		n = 0
	}
	return n, err
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
