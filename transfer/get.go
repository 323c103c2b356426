package transfer

import (
	"context"
	"errors"
	"io"
	"os"
	"path"
	"path/filepath"
	"sync"
	"time"

	"github.com/ferry-ftp/ferry/client"
)

// bufferSize is the copy buffer of one transfer.
const bufferSize = 256 << 10

// GetOptions configure a download.
type GetOptions struct {
	// Resume continues the partial file an earlier attempt left under the
	// download's temporary name (see TempName), with REST. The name
	// records the source's site, path, size and time, so only a prefix of
	// this version of this file is resumed; a source whose size or time
	// is unknown (or a download in ASCII mode) is never resumed.
	Resume bool
	// Progress is told about the transfer; nil reports nothing.
	Progress Progress
	// Listed is the file's entry from a listing, when the caller has one:
	// its size stands in for SIZE, and its time for MDTM when it is exact
	// (MLSD: UTC to the second), which saves a round trip each. A LIST
	// time, in the server's unknown zone, is used only when MDTM fails.
	Listed *client.Entry
	// Avoid reports the names that the destination folder holds, or will
	// hold, as real files: for a job of many files, the names of the
	// source's listing. A temporary name it reports is never used, so a
	// source file that looks like one is copied like any other and never
	// taken for a partial download. Nil avoids nothing.
	Avoid func(name string) bool
	// Limit caps the rate, shared with the other transfers that use it.
	Limit *Limiter
	// Verify compares the server's digest of the file (HASH, XSHA256,
	// XMD5 or XCRC) with the downloaded data before the file is renamed
	// into place; a mismatch is a *VerifyError and the partial file is
	// removed. Servers without a digest command get the size check only.
	Verify bool
	// Name is shown in progress reports; the remote base name by default.
	Name string
	// Direct writes straight into the local file, with no temporary file
	// renamed at the end (wget's and lftp's habit): a failed download
	// leaves the local file partly overwritten. Resume then continues the
	// local file from its size, whatever it holds. Without Direct, a
	// download whose temporary file cannot be made (a name too long for
	// the file system, or a folder that may not be written while the file
	// may) writes directly all the same, and Notify is told.
	Direct bool
	// Notify is told what deserves a warning but is no failure: a
	// download that overwrites the old file in place. Nil tells nobody.
	Notify func(msg string)
	// Known says that Listed holds all the server tells of the file's
	// size and time (its listing, and the answers to SIZE and MDTM that
	// Pool.Describe asked in a batch): nothing more is asked before RETR.
	Known bool
	// Next, when set, is asked once, when this download's data has all
	// arrived, for the download that the caller starts next on the same
	// pool (see EachAhead). When that one needs no command before its
	// RETR, the connection sends its RETR at once, before this one's
	// final reply (lookahead, see client.Conn.RetrNext). Not with Verify,
	// whose digest command follows the download.
	Next func() (GetJob, bool)

	files   localFS // the local files get writes, for Next's (see quiet)
	retried int     // retries Describe made for this file's batch
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
	// Partial names the partial file a failed download left for a later
	// attempt to resume (get -c, reget, mirror -c), beside Local; it is
	// "" when none was left. PartialSize is its size.
	Partial     string
	PartialSize int64
}

// Get downloads remote into the local file local. The data goes to a
// temporary name beside local (see TempName), which is renamed over local
// only when the transfer is complete and its size matches every size the
// server announced; so a failed or interrupted download never replaces
// local. Data past an announced size is never written: the download
// fails with ErrTooLong (see dataBounds for ASCII mode). In ASCII mode (c
// in TYPE A) each CRLF of the data is written as LF, and nothing is
// resumed.
//
// After a failure, a partial file under a resumable name that holds data
// is kept for Resume and named in Result.Partial; under any other name it
// is removed. When the data cannot be trusted (client.ErrDataUntrusted)
// or went past the announced size, what the attempt wrote is discarded
// first: the partial file is cut back to where the attempt began, or
// removed when it began empty. A local file under the temporary name is
// taken for a partial file only when the remote folder holds no file of
// that name (one SIZE command, only when there is such a local file): a
// copy of a remote file that looks like a temporary name is never resumed
// from, truncated or renamed. The local modification time is set from the
// server's.
//
// The temporary file is locked (flock) from before its first byte is
// written until it is renamed or removed: a second process downloading
// to the same name finds it locked and writes to a random temporary name
// of its own instead, never resumed, so that the two never mix. A file
// that replaces another gets the old file's permissions (less setuid,
// setgid and sticky) and, where the process may give them, its owner and
// group; its temporary file never grants group or others more than the
// old file did, even while it is written. A new file gets 0666 less the
// umask.
//
// A local name that is a device, a FIFO or a socket is written into, never
// replaced (see getInto). With GetOptions.Direct, or when no temporary
// file can be made, the data goes straight to local (see openLocal).
func Get(ctx context.Context, c *client.Conn, remote, local string, opt GetOptions) (Result, error) {
	return get(ctx, c, osFS{}, remote, local, opt)
}

// get is Get writing through fsys.
func get(ctx context.Context, c *client.Conn, fsys localFS, remote, local string, opt GetOptions) (Result, error) {
	start := time.Now()
	res := Result{Remote: remote, Local: local, Size: -1}
	opt.files = fsys
	size, mtime, err := remoteInfo(ctx, c, remote, opt.Listed, opt.Known)
	if err != nil {
		return res, err
	}
	res.Size, res.ModTime = size, mtime
	ascii := c.CurrentType() == client.TypeASCII
	tgt := inspectTarget(fsys, local)
	if tgt.special {
		return getInto(ctx, c, fsys, remote, local, tgt, size, ascii, opt, res)
	}
	pf, err := openLocal(ctx, c, fsys, remote, local, size, mtime, ascii, tgt, opt)
	if err != nil {
		return res, err
	}
	defer pf.release()
	res.Offset = pf.offset
	n, err := download(ctx, c, remote, pf.f, pf.offset, size, ascii, opt)
	res.Bytes = n
	if err == nil {
		err = pf.finish()
	}
	if err == nil && opt.Verify {
		res.Digest, err = verify(ctx, c, remote, remote, func() (io.ReadCloser, error) { return fsys.Open(pf.name) })
	}
	if err != nil {
		if pf.direct {
			failDirect(pf, err)
		} else {
			res.Partial, res.PartialSize = failAttempt(fsys, pf.f, pf.name, pf.offset, pf.resumable, err)
			pf.f = nil // closed; the lock stays until the file is settled
		}
		return res, err
	}
	if size < 0 {
		res.Size = pf.offset + n
	}
	if !mtime.IsZero() {
		fsys.Chtimes(pf.name, mtime, mtime)
	}
	if !pf.direct {
		if err := fsys.Rename(pf.name, local); err != nil {
			return res, localErr("rename", pf.name, err)
		}
	}
	res.Duration = time.Since(start)
	return res, nil
}

// openLocal opens the file a download writes to, locked (see partFile):
// its temporary file, or with opt.Direct the local file itself. When the
// temporary file cannot be made because its name is too long or the
// folder may not be written (see canDirect), the download writes to the
// local file directly, and opt.Notify is told.
func openLocal(ctx context.Context, c *client.Conn, fsys localFS, remote, local string, size int64, mtime time.Time, ascii bool, tgt localTarget, opt GetOptions) (*partFile, error) {
	if opt.Direct {
		return openDirect(fsys, local, opt.Resume, size)
	}
	part, resumable := tempPath(c, remote, local, size, mtime, ascii, opt)
	taken, err := takenName(ctx, c, fsys, remote, part)
	if err != nil {
		return nil, err
	}
	if taken {
		part, resumable = randomPart(local), false
	}
	pf, err := createPart(fsys, local, part, resumable, opt.Resume, size, tgt)
	if err == nil || !canDirect(err) {
		return pf, err
	}
	pf, derr := openDirect(fsys, local, false, size)
	if derr != nil {
		return nil, err // the first failure says more
	}
	if opt.Notify != nil {
		opt.Notify(directNote(local, part, err, tgt.exists))
	}
	return pf, nil
}

// tempPath returns the temporary file of a download of remote to local
// and whether it may be resumed (see partPath).
func tempPath(c *client.Conn, remote, local string, size int64, mtime time.Time, ascii bool, opt GetOptions) (string, bool) {
	src := source(c, remote, size, mtime, opt)
	if ascii {
		// The data is not the file's bytes (line ends change): never
		// resume it, nor resume a binary download from it.
		src.ModTime = time.Time{}
	}
	return partPath(local, src, opt.Avoid)
}

// failDirect settles the local file of a direct download that failed
// with err: the data of an attempt that must be discarded (see discards)
// is cut off; the rest stays, since the old file is gone anyway.
func failDirect(pf *partFile, err error) {
	if discards(err) && pf.f != nil {
		pf.f.Truncate(pf.offset)
	}
}

// source returns the identity of the remote file a download copies.
func source(c *client.Conn, remote string, size int64, mtime time.Time, opt GetOptions) Source {
	p := remote
	var site string
	if a := c.RemoteAddr(); a != nil {
		site = a.String()
	}
	return Source{Site: site, Path: p, Size: size, ModTime: mtime}
}

// partPath returns the temporary file of a download to local, beside it,
// and whether it may be resumed (see TempName).
func partPath(local string, src Source, avoid func(string) bool) (string, bool) {
	dir, base := filepath.Split(local)
	name, resumable := TempName(base, src, avoid)
	return dir + name, resumable
}

// takenName reports whether a local file under the temporary name part
// is a real file rather than a partial download: a file of that name in
// the remote folder means that it is one, copied here by an earlier job
// (GetOptions.Avoid covers only the current job's names). Only a local
// file under the name costs a SIZE command; a refusal other than "not
// found" counts as taken.
func takenName(ctx context.Context, c *client.Conn, fsys localFS, remote, part string) (bool, error) {
	if fi, err := fsys.Lstat(part); err != nil || !fi.Mode().IsRegular() {
		return false, nil
	}
	_, err := c.Size(ctx, path.Join(path.Dir(remote), filepath.Base(part)))
	switch {
	case err == nil:
		return true, nil
	case c.Err() != nil:
		return false, err
	}
	return !IsNotFound(err), nil
}

// failAttempt settles the partial file part of a download attempt that
// began at offset and failed with err. When err discards the attempt's
// data (see discards), the file is cut back to offset, or removed when
// the attempt began it or the cut fails; after a digest mismatch it is
// removed. Otherwise it is kept when it may be resumed (resumable) and
// holds data, and removed when not. f, when not nil, is the partial file,
// still open; failAttempt closes it. It returns the name and size of the
// file kept, or "" and 0.
func failAttempt(fsys localFS, f *os.File, part string, offset int64, resumable bool, err error) (string, int64) {
	keep := resumable
	var ve *VerifyError
	switch {
	case errors.As(err, &ve):
		keep = false
	case discards(err):
		keep = keep && offset > 0 && f != nil && f.Truncate(offset) == nil
	}
	if f != nil {
		f.Close()
	}
	if keep {
		if fi, serr := fsys.Lstat(part); serr == nil && fi.Mode().IsRegular() && fi.Size() > 0 {
			return part, fi.Size()
		}
	}
	fsys.Remove(part)
	return "", 0
}

// remoteInfo finds the size and modification time of a remote file, from
// its listing entry where that knows them and with SIZE and MDTM
// otherwise (not when known says the entry holds all there is). Either is
// left unknown (-1, zero) when the server does not tell; only a broken
// connection is an error, since RETR decides whether the file exists.
func remoteInfo(ctx context.Context, c *client.Conn, remote string, listed *client.Entry, known bool) (int64, time.Time, error) {
	size := int64(-1)
	var mtime time.Time
	if listed != nil {
		size = listed.Size
		if listed.Precision == client.TimeExact {
			mtime = listed.ModTime
		}
	}
	if known {
		size, mtime := knownInfo(listed)
		return size, mtime, nil
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

// knownInfo returns the size and time listed holds (either unknown, -1 or
// zero, when it does not tell): its exact time, else the time its
// listing tells.
func knownInfo(listed *client.Entry) (int64, time.Time) {
	if listed == nil {
		return -1, time.Time{}
	}
	if listed.Precision > client.TimeUnknown {
		return listed.Size, listed.ModTime
	}
	return listed.Size, time.Time{}
}

// download copies remote from offset into f, positioned at offset, and
// checks the data's length against the sizes the server announced (see
// dataBounds): it stops at the largest one allowed, and fails when the
// data ends short of the smallest.
func download(ctx context.Context, c *client.Conn, remote string, f *os.File, offset, size int64, ascii bool, opt GetOptions) (int64, error) {
	if size >= 0 && offset == size && offset > 0 {
		return 0, nil // already complete
	}
	if offset > 0 { // a special file, written from 0, cannot seek
		if _, err := f.Seek(offset, io.SeekStart); err != nil {
			return 0, localErr("seek", f.Name(), err)
		}
	}
	rc, err := retr(ctx, c, remote, offset, opt)
	if err != nil {
		return 0, err
	}
	lo, hi, err := dataBounds(size, client.AnnouncedSize(rc), offset, ascii)
	if err != nil {
		rc.Close() // aborts the transfer
		return 0, err
	}
	fp := progressOrDiscard(opt.Progress).Start(displayName(opt.Name, remote), size, offset)
	dst := limitWriter(&localWriter{w: f, name: f.Name()}, offset, hi)
	src, lo := asciiDownload(rc, lo, ascii)
	n, err := copyData(dst, opt.Limit.reader(ctx, src), fp)
	if cerr := rc.Close(); err == nil || errors.Is(cerr, client.ErrDataUntrusted) {
		err = cerr
	}
	if err == nil {
		err = checkShort(offset+n, lo)
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
// resumed or renamed. The data's length is checked as Get checks it: no
// more than the size the server announced is written to w, the transfer
// then fails with ErrTooLong, and data that ends short of it fails with
// ErrIncomplete. What was written to w before the failure stays written.
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
	lo, hi, err := dataBounds(size, client.AnnouncedSize(rc), 0, c.CurrentType() == client.TypeASCII)
	if err != nil {
		rc.Close() // aborts the transfer
		return 0, err
	}
	fp := progressOrDiscard(p).Start(path.Base(remote), size, 0)
	src, lo := asciiDownload(rc, lo, c.CurrentType() == client.TypeASCII)
	n, err := copyData(limitWriter(&localWriter{w: w, name: "output"}, 0, hi), src, fp)
	if cerr := rc.Close(); err == nil || errors.Is(cerr, client.ErrDataUntrusted) {
		err = cerr
	}
	if err == nil {
		err = checkShort(n, lo)
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
