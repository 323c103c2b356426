package transfer

import (
	"context"
	"errors"
	"io/fs"
	"path"
	"strings"

	"github.com/ferry-ftp/ferry/client"
)

// Permissions of uploads. An upload that replaces a remote file gives the
// new file the old one's permissions (less setuid, setgid and sticky), as
// curl does by writing in place: a 600 file stays 600, a 755 script 755.
// The old file's permissions come from MLST (the unix.mode fact) where
// the server offers MLST, and from the listing STAT sends over the
// control connection otherwise (vsftpd, pure-ftpd and proftpd all answer
// it); they are set with SITE CHMOD on the temporary file before it takes
// the final name, so that the final name never shows other permissions.
// When the old permissions keep group or others from reading, the
// temporary file is created empty and given them before any data is sent.
// A server that does not tell permissions, or has no SITE CHMOD, leaves
// the new file with its default ones, which Notify is told (in the same
// words for each file, so that a job says it once: see NotifyOnce). An
// upload straight to the final name (Direct, or a server that cannot
// rename) writes into the old file, which keeps its permissions. New files
// get the server's default permissions.

// remoteMode is what an upload knows of the permissions of the file it
// replaces.
type remoteMode struct {
	exists bool        // the target is a file
	known  bool        // and its permissions are known
	mode   fs.FileMode // its permission bits
}

// restrictive reports permissions that keep group or others from reading
// the file.
func (m remoteMode) restrictive() bool { return m.known && m.mode&0o044 != 0o044 }

// oldMode finds the permissions of the file the upload replaces, unless
// the caller knows that there is none (PutOptions.fresh). Only a broken
// connection is an error.
func (j *putJob) oldMode(ctx context.Context) (remoteMode, error) {
	if j.opt.fresh {
		return remoteMode{}, nil
	}
	m, err := lookupMode(ctx, j.c, j.remote)
	if err == nil && m.exists && !m.known {
		j.notify("the server does not tell the permissions of the files ferry replaces: they get the server's default permissions, not the old files'")
	}
	return m, err
}

// lookupMode finds the permissions of the remote file p: MLST's
// unix.mode where the server offers MLST, else STAT p's listing line.
// Only a broken connection is an error.
func lookupMode(ctx context.Context, c *client.Conn, p string) (remoteMode, error) {
	if c.HasFeature("MLST") {
		e, err := c.MLST(ctx, p)
		switch {
		case err != nil && c.Err() != nil:
			return remoteMode{}, err
		case err != nil || e.Type != client.EntryFile:
			return remoteMode{}, nil
		}
		_, known := e.Facts["unix.mode"]
		return remoteMode{exists: true, known: known, mode: e.Mode.Perm()}, nil
	}
	text, err := c.Stat(ctx, client.ListPath(p))
	if err != nil {
		if c.Err() != nil {
			return remoteMode{}, err
		}
		return statFallback(ctx, c, p)
	}
	lines := strings.Split(text, "\n")
	if len(lines) < 3 {
		return remoteMode{}, nil // an empty listing: no such file
	}
	var lp client.ListParser
	base := path.Base(p)
	for _, l := range lines[1 : len(lines)-1] {
		e, err := lp.ParseLine(strings.TrimLeft(l, " "))
		if err != nil || e.Name != base && e.Name != p {
			continue
		}
		if e.Type != client.EntryFile {
			return remoteMode{}, nil
		}
		return remoteMode{exists: true, known: e.Mode != 0, mode: e.Mode.Perm()}, nil
	}
	return remoteMode{}, nil
}

// statFallback tells, for a server that refuses STAT with a path, whether
// p is a file (SIZE), without its permissions.
func statFallback(ctx context.Context, c *client.Conn, p string) (remoteMode, error) {
	if _, err := c.Size(ctx, p); err != nil {
		if c.Err() != nil {
			return remoteMode{}, err
		}
		return remoteMode{}, nil
	}
	return remoteMode{exists: true}, nil
}

// restrict gives tmp the old file's permissions before any data is sent
// when they keep group or others from reading (see above): a new tmp is
// created empty first. Only a broken connection is an error.
func (j *putJob) restrict(ctx context.Context, tmp string, offset int64, old remoteMode) error {
	if !old.restrictive() {
		return nil
	}
	if offset == 0 {
		w, err := j.c.Stor(ctx, tmp, 0)
		if err == nil {
			err = w.Close()
		}
		if err != nil {
			return err // STOR will meet the same refusal, or it is gone
		}
	}
	return j.chmod(ctx, tmp, old.mode)
}

// keepMode gives tmp the old file's permissions, after its data, when
// restrict has not. Only a broken connection is an error.
func (j *putJob) keepMode(ctx context.Context, tmp string, old remoteMode) error {
	if !old.known || old.restrictive() {
		return nil
	}
	return j.chmod(ctx, tmp, old.mode)
}

// chmod sets the permissions of name with SITE CHMOD. A refusal is told
// to Notify; only a broken connection is an error.
func (j *putJob) chmod(ctx context.Context, name string, mode fs.FileMode) error {
	err := j.c.Chmod(ctx, name, mode)
	if err == nil || j.c.Err() != nil {
		return err
	}
	var re *client.ReplyError
	switch {
	case !errors.As(err, &re):
		j.notify("%s: could not keep the old permissions %04o: %v", j.remote, mode, err)
	case re.Code == 500 || re.Code == 502 || re.Code == 504:
		j.notify("the server has no SITE CHMOD (%d %s): the files ferry replaces get the server's default permissions, not the old files'", re.Code, re.Msg)
	default:
		j.notify("%s: could not keep the old permissions %04o: SITE CHMOD: %d %s", j.remote, mode, re.Code, re.Msg)
	}
	return nil
}
