package transfer

import (
	"context"
	"errors"
	"fmt"
	"path"
	"strings"

	"github.com/ferry-ftp/ferry/client"
)

// PlaceError reports an upload whose data reached the server but did not
// end up, as intended, complete under its final name with nothing else
// left behind. State says what the server holds: which name has the new
// data, and whether the old file is intact under the final name or where
// it is.
type PlaceError struct {
	// Remote is the final name; Temp is the temporary name the data was
	// uploaded to.
	Remote, Temp string
	// Aside is the name the old file was moved to, when it is still there
	// (or may be); "" otherwise.
	Aside string
	// State says what the server was left in, in words.
	State string
	// Err is the failure.
	Err error
}

func (e *PlaceError) Error() string { return fmt.Sprintf("%v; %s", e.Err, e.State) }

func (e *PlaceError) Unwrap() error { return e.Err }

// asideSuffix ends the name an old file is moved aside to while the new
// one takes its name: ".NAME.ferry-TAG.old", with a random TAG, which is
// not a temporary name (IsTempName), so that nothing resumes it.
const asideSuffix = ".old"

// place renames the complete upload tmp to the final name (see Put).
func (j *putJob) place(ctx context.Context, tmp string) error {
	if j.opt.backupTo != "" {
		return j.placeBackingUp(ctx, tmp)
	}
	err := j.c.Rename(ctx, tmp, j.remote)
	switch {
	case err == nil:
		return nil
	case j.c.Err() != nil:
		return j.placeErr(tmp, "", err, "the connection broke during the rename: the new data is in %q, or in %q if the rename took place", tmp, j.remote)
	case cannotRename(err):
		return j.inPlace(ctx, tmp, err)
	}
	return j.replace(ctx, tmp, err)
}

// replace handles a refused rename of tmp to the final name: when the
// server refuses to rename over an existing file, the old file is moved
// aside, the new one renamed into place, and the old one deleted; when
// the second rename fails, the old one is put back.
func (j *putJob) replace(ctx context.Context, tmp string, refusal error) error {
	c, remote := j.c, j.remote
	unchanged := fmt.Sprintf("the new data is in %q; %q is unchanged", tmp, remote)
	if client.ReplyCode(refusal)/100 != 5 {
		return j.placeErr(tmp, "", refusal, "%s", unchanged)
	}
	if isCmd(refusal, "RNFR") {
		// The upload itself cannot be renamed: is it still there?
		if _, err := c.Size(ctx, tmp); err != nil && c.Err() == nil {
			return j.placeErr(tmp, "", refusal, "the uploaded %q is gone from the server (moved or deleted by another client); %q is unchanged", tmp, remote)
		}
		return j.placeErr(tmp, "", refusal, "%s", unchanged)
	}
	// Is an existing file in the way? A folder or a missing file has no
	// size, and then the refusal is another matter.
	if _, err := c.Size(ctx, remote); err != nil {
		if c.Err() != nil {
			return j.placeErr(tmp, "", err, "%s", unchanged)
		}
		return j.placeErr(tmp, "", refusal, "%s", unchanged)
	}
	dir, base := path.Split(remote)
	aside := dir + asideName(base, j.opt.Avoid)
	if err := c.Rename(ctx, remote, aside); err != nil {
		err = fmt.Errorf("%w; moving the old file aside: %w", refusal, err)
		if c.Err() != nil {
			return j.placeErr(tmp, aside, err, "the new data is in %q; the old file is in %q, or in %q if the rename took place", tmp, remote, aside)
		}
		return j.placeErr(tmp, "", err, "%s", unchanged)
	}
	if err := c.Rename(ctx, tmp, remote); err != nil {
		if c.Err() != nil {
			return j.placeErr(tmp, aside, err, "the new data is in %q, or in %q if the rename took place; the old file was moved to %q", tmp, remote, aside)
		}
		if berr := c.Rename(ctx, aside, remote); berr != nil {
			return j.placeErr(tmp, aside, err, "the new data is in %q; the old file was moved to %q and could not be put back (%v)", tmp, aside, berr)
		}
		return j.placeErr(tmp, "", err, "%s", unchanged)
	}
	if err := c.Dele(ctx, aside); err != nil {
		j.notify("%s: the old file is left in %q: %v", remote, aside, err)
	}
	return nil
}

// placeBackingUp renames the complete upload tmp to the final name after
// moving the old file to opt.backupTo (a free name: an earlier backup is
// never deleted); when the final rename fails, the old file is moved
// back. With no old file, tmp is renamed as Put does.
func (j *putJob) placeBackingUp(ctx context.Context, tmp string) error {
	c, remote, to := j.c, j.remote, j.opt.backupTo
	unchanged := fmt.Sprintf("the new data is in %q; %q is unchanged", tmp, remote)
	err := c.Rename(ctx, remote, to)
	if err != nil && client.ReplyCode(err)/100 == 5 && c.Err() == nil {
		if _, serr := c.Size(ctx, remote); serr != nil && c.Err() == nil {
			// No old file to keep.
			j.opt.backupTo = ""
			return j.place(ctx, tmp)
		}
	}
	if err != nil {
		if c.Err() != nil {
			return j.placeErr(tmp, to, err, "the new data is in %q; the old file is in %q, or in %q if the rename took place", tmp, remote, to)
		}
		return j.placeErr(tmp, "", fmt.Errorf("backing up the old file to %q: %w", to, err), "%s", unchanged)
	}
	if err := c.Rename(ctx, tmp, remote); err != nil {
		if c.Err() != nil {
			return j.placeErr(tmp, to, err, "the new data is in %q, or in %q if the rename took place; the old file was moved to %q", tmp, remote, to)
		}
		if berr := c.Rename(ctx, to, remote); berr != nil {
			return j.placeErr(tmp, to, err, "the new data is in %q; the old file was moved to %q and could not be put back (%v)", tmp, to, berr)
		}
		return j.placeErr(tmp, "", err, "%s", unchanged)
	}
	return nil
}

// inPlace uploads again under the final name, for a server that cannot
// rename (why is its refusal): the old file is overwritten as the data
// arrives, which Notify is told. The temporary file, complete, is deleted
// only once the final name holds the whole file.
func (j *putJob) inPlace(ctx context.Context, tmp string, why error) error {
	c, remote := j.c, j.remote
	_, serr := c.Size(ctx, remote)
	if serr != nil && c.Err() != nil {
		return j.placeErr(tmp, "", serr, "the new data is in %q; %q is unchanged", tmp, remote)
	}
	existed := serr == nil
	if existed {
		j.notify("%s: the server cannot rename (%v): uploading again under the final name, overwriting the old file in place", remote, why)
	} else {
		j.notify("%s: the server cannot rename (%v): uploading again under the final name", remote, why)
	}
	// damaged reports the final name left holding what (a copy short of
	// the file, or one whose digest differs).
	damaged := func(err error, what string) error {
		if existed {
			return j.placeErr(tmp, "", err, "the server cannot rename, and the old %q was overwritten in place with %s; the complete new data is in %q", remote, what, tmp)
		}
		return j.placeErr(tmp, "", err, "the server cannot rename, and %q holds %s; the complete new data is in %q", remote, what, tmp)
	}
	before := j.res.Bytes
	if err := j.send(ctx, remote, 0); err != nil {
		if j.res.Bytes == before && existed {
			return j.placeErr(tmp, "", err, "the server cannot rename, and the upload under %q failed before any data moved: the old file is intact unless the server truncated it; the complete new data is in %q", remote, tmp)
		}
		return damaged(err, "an incomplete copy")
	}
	if j.opt.Verify {
		if _, err := j.verify(ctx, remote); err != nil {
			if errors.As(err, new(*VerifyError)) {
				return damaged(err, "a damaged copy")
			}
			return j.placeErr(tmp, "", err, "%q holds the new file, its size checked but not its digest; the temporary copy is left in %q", remote, tmp)
		}
	}
	if err := c.Dele(ctx, tmp); err != nil {
		j.notify("%s: the temporary copy is left in %q: %v", remote, tmp, err)
	}
	return nil
}

// placeErr returns a *PlaceError for the upload to tmp.
func (j *putJob) placeErr(tmp, aside string, err error, format string, args ...any) error {
	return &PlaceError{Remote: j.remote, Temp: tmp, Aside: aside, State: fmt.Sprintf(format, args...), Err: err}
}

// asideName returns a name, in the form of a temporary name with a random
// tag and asideSuffix, to move the old file base to; avoid (when set)
// reports names in use.
func asideName(base string, avoid func(string) bool) string {
	for {
		t, _ := TempName(base, Source{Size: -1}, nil)
		a := strings.TrimSuffix(t, tempSuffix) + asideSuffix
		if avoid == nil || !avoid(a) {
			return a
		}
	}
}

// cannotRename reports a "not implemented" reply (500, 502, 504) to RNFR
// or RNTO: the server cannot rename at all.
func cannotRename(err error) bool {
	switch client.ReplyCode(err) {
	case 500, 502, 504:
		return true
	}
	return false
}

// isCmd reports whether err is a reply to the command verb.
func isCmd(err error, verb string) bool {
	var re *client.ReplyError
	return errors.As(err, &re) && (re.Cmd == verb || strings.HasPrefix(re.Cmd, verb+" "))
}
