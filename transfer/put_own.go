package transfer

import (
	"context"
	"errors"
	"fmt"
	"path"
	"time"

	"github.com/ferry-ftp/ferry/client"
)

// Uploads and other processes. The server offers no lock, so an upload
// writes only to a temporary name of its own process (Source.ProcessName):
// two ferry processes that upload the same file to the same name never
// write one file, and neither deletes or renames a file the other is
// writing. A partial upload that may be resumed is handed on under the
// source's own temporary name (TempName), which only ever holds idle
// partial files:
//
//   - an upload that fails, while the connection still works (a refusal,
//     a cut data connection, an interrupt), renames its partial file to
//     that name ("parks" it) when no file is there, and deletes it (its
//     own) when one is;
//   - a resumed upload (PutOptions.Resume) continues this process's own
//     partial file when there is one (a retry after a broken connection),
//     and otherwise takes the parked one by renaming it to its own name:
//     a rename succeeds once, so two processes never both take it.
//
// A process that ends without a word (killed, or with the connection down
// through every retry) leaves its partial file under its own name, where
// no other process resumes or deletes it.

// parkTimeout bounds the commands that park a partial upload after a
// failure, which run even when the upload's context was cancelled.
const parkTimeout = 5 * time.Second

// claim returns the offset to resume an upload to tmp from: what tmp
// holds (this process's own partial file), else what the parked partial
// file parked holds, after renaming it to tmp. Nothing to resume is 0.
func (j *putJob) claim(ctx context.Context, tmp, parked string) (int64, error) {
	c := j.c
	n, err := c.Size(ctx, tmp)
	switch {
	case err == nil:
		if n <= j.size {
			return n, nil
		}
		return 0, nil // not a prefix of this file: STOR replaces it
	case c.Err() != nil:
		return 0, err
	}
	if n, err := j.partialSize(ctx, parked); err != nil || n == 0 {
		return 0, err
	}
	if err := c.Rename(ctx, parked, tmp); err != nil {
		if c.Err() != nil {
			return 0, err
		}
		return 0, nil // taken by another process, or no renames here
	}
	return j.partialSize(ctx, tmp)
}

// settle hands on the partial file tmp of a failed upload (see above):
// parked under parked when it may be resumed and nothing is there,
// deleted otherwise. It does nothing when the connection is broken. It
// returns the name the partial file is left under: parked, tmp (the
// connection broke, or the deletion failed), or "" (deleted, or nothing
// arrived).
func (j *putJob) settle(ctx context.Context, tmp, parked string, resumable bool) string {
	c := j.c
	if c.Err() != nil {
		return tmp
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), parkTimeout)
	defer cancel()
	n, err := c.Size(ctx, tmp)
	switch {
	case err != nil && c.Err() != nil:
		return tmp
	case err != nil:
		return "" // nothing arrived
	}
	if resumable && n > 0 {
		// An empty partial is no head start: parked, it would only
		// stay behind, since a resume takes none of zero bytes.
		_, err := c.Size(ctx, parked)
		if err != nil && c.Err() == nil && c.Rename(ctx, tmp, parked) == nil {
			return parked
		}
		if c.Err() != nil {
			return tmp
		}
	}
	if c.Dele(ctx, tmp) != nil { // this process's own file
		return tmp
	}
	return ""
}

// leftBehind adds to err, when the upload ended short of the file
// (ErrIncomplete), what became of its partial file: parked under the
// name left for a later upload of the same file to resume, left under
// this process's own name, or deleted ("").
func leftBehind(err error, left, parked string) error {
	switch {
	case !errors.Is(err, ErrIncomplete):
		return err
	case left == "":
		return fmt.Errorf("%w; the partial upload was deleted", err)
	case left == parked:
		return fmt.Errorf("%w; the partial upload is kept as %q, where an upload of the same file resumes it (put -c)", err, left)
	}
	return fmt.Errorf("%w; the partial upload is left as %q", err, left)
}

// refusedTemp reports a permanent refusal of STOR that may concern the
// temporary name (550, 553), as opposed to a full disk (552) or a
// transient failure: a name too long for the server, or a folder where
// the user may not create files.
func refusedTemp(err error) bool {
	if !isCmd(err, "STOR") && !isCmd(err, "APPE") {
		return false
	}
	switch client.ReplyCode(err) {
	case 550, 553:
		return true
	}
	return false
}

// fallBack uploads straight to the final name after the server refused
// the temporary name tmp (why). Notify is told once data goes to the
// final name (the old file, if any, is then overwritten in place); when
// the server refuses the final name too, before any data, nothing was
// changed and its refusal is the error.
func (j *putJob) fallBack(ctx context.Context, tmp string, why error) error {
	c := j.c
	_, serr := c.Size(ctx, j.remote)
	if serr != nil && c.Err() != nil {
		return serr
	}
	reason := why.Error()
	var re *client.ReplyError
	if errors.As(why, &re) {
		reason = fmt.Sprintf("%d %s", re.Code, re.Msg)
	}
	what := "uploading straight to it"
	if serr == nil {
		what = "uploading straight to it, overwriting the old file in place"
	}
	before := j.res.Bytes
	err := j.send(ctx, j.remote, 0)
	if err == nil || j.res.Bytes > before || !refusedTemp(err) {
		j.notify("%s: the server refused the temporary name %s (%s): %s", j.remote, path.Base(tmp), reason, what)
	}
	if err == nil && j.opt.Verify {
		j.res.Digest, err = j.verify(ctx, j.remote)
	}
	return err
}
