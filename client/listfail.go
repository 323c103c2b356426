package client

import (
	"context"
	"errors"
)

// missingFolder reads the failure err of a listing (LIST, MLSD or NLST)
// of path that yielded no line. Servers say "no such folder" in several
// ways:
//
//   - 550, the usual refusal;
//   - 450, proftpd's "450 nope: No such file or directory" to LIST and
//     NLST, either at once or after 150 and an empty data connection (in
//     binary mode);
//   - an empty listing that says it is incomplete, vsftpd's "226 Transfer
//     done (but failed to open directory)";
//   - a listing of ls's complaint and nothing else, from the servers that
//     run ls for LIST (inetutils ftpd, BSD ftpd): "x: No such file or
//     directory", in the server's language (errLsComplaint).
//
// None of them is sure to mean that (450 can be transient, 550 can be a
// refused permission), so the folder is checked with CheckDir: when it is
// not there, the result is CheckDir's *NoFolderError, and otherwise err.
func (c *Conn) missingFolder(ctx context.Context, path string, err error) error {
	if path == "" || c.Err() != nil {
		return err
	}
	switch code := ReplyCode(err); {
	case code == 450, code == 550:
	case errors.Is(err, ErrListingIncomplete), errors.Is(err, errLsComplaint):
	default:
		return err
	}
	derr := c.CheckDir(ctx, path)
	var nf *NoFolderError
	if errors.As(derr, &nf) {
		return derr
	}
	if derr != nil && c.Err() != nil {
		return derr
	}
	return err
}

// errLsComplaint marks a listing none of whose few lines could be read:
// what a server that runs ls sends for a path that is not there.
var errLsComplaint = errors.New("a listing of unreadable lines alone")

// maxComplaintLines is the most lines of a listing that may be ls's
// complaint about a missing path (GNU ls may add a hint line).
const maxComplaintLines = 2

// mlsdRefused reads the failure err of an MLSD of dir that yielded no
// line. A refusal of MLSD itself (500, 502; 501 and 504 for a folder that
// is there) reports fellBack with err, and a 500, 502 or 501 is recorded
// (see Refusals): ReadDirFunc lists dir with LIST instead. A folder that
// is not there is a *NoFolderError (see missingFolder).
func (c *Conn) mlsdRefused(ctx context.Context, dir string, err error) (fellBack bool, _ error) {
	if c.Err() != nil {
		return false, err
	}
	switch refusalOf(err) {
	case refusedCmd:
		c.refuse("MLSD", err)
		return true, err
	case refusedArg, refusedParam:
	default:
		return false, c.missingFolder(ctx, dir, err)
	}
	// 501 may be about the argument (pyftpdlib's "501 No such
	// directory") or the command; 504 is about the argument: a folder
	// that is there tells.
	if derr := c.CheckDir(ctx, dir); derr != nil {
		var nf *NoFolderError
		if errors.As(derr, &nf) || c.Err() != nil {
			return false, derr
		}
		return false, err
	}
	if refusalOf(err) == refusedArg {
		c.refuse("MLSD", err)
	}
	return true, err
}
