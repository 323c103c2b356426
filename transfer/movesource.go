package transfer

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ferry-ftp/ferry/client"
)

// ErrNotVerified reports a source file that MirrorOptions.RemoveSource
// keeps because its copy could not be shown complete.
var ErrNotVerified = errors.New("source file kept")

// ErrMoveDelete reports a job asked both to delete what the source lacks
// and to remove the source files it copies: a later run would delete the
// copies of the files it moved.
var ErrMoveDelete = errors.New("RemoveSource cannot go with Delete: a later run would delete the files it moved")

// removeSource deletes the source file of a copy that has just ended
// well (MirrorOptions.RemoveSource), once the copy is shown complete:
// the destination's file has the size the copy moved, and the source's
// as the plan saw it; with Verify, the copy's digest was compared; an
// uploaded local file has not changed since it was scanned. Folders are
// never deleted. Any doubt, or a failure, keeps the source.
func (m *mirror) removeSource(ctx context.Context, a Action, res Result) error {
	if m.opt.Verify && res.Digest == "" {
		return fmt.Errorf("%w: --verify could not compare digests (the server offers none for it)", ErrNotVerified)
	}
	if a.Size >= 0 && res.Size != a.Size {
		return fmt.Errorf("%w: the copy has %d bytes, the source had %d", ErrNotVerified, res.Size, a.Size)
	}
	rel, err := localRel(a.Path)
	if err != nil {
		return err
	}
	remote := remoteJoin(m.remoteDir, a.Path)
	if m.opt.Direction == Download {
		fi, err := m.root.Lstat(rel)
		if err != nil {
			return fmt.Errorf("%w: %w", ErrNotVerified, localErr("check", a.Path, err))
		}
		if !fi.Mode().IsRegular() || fi.Size() != res.Size {
			return fmt.Errorf("%w: the local copy has %d bytes, not %d", ErrNotVerified, fi.Size(), res.Size)
		}
		// The server's file, just before it is deleted, must still be
		// the one copied: its size, and its time where the plan knew it
		// exactly. A file that grew or changed meanwhile is kept.
		var changed error
		_, err = m.pool.Do(ctx, "DELE "+a.Path, func(c *client.Conn, _ int) error {
			size, err := c.Size(ctx, remote)
			if err != nil {
				if c.Err() != nil {
					return err
				}
				changed = fmt.Errorf("%w: SIZE of the source: %w", ErrNotVerified, err)
				return nil
			}
			if size != res.Size {
				changed = fmt.Errorf("%w: the source has %d bytes now, the copy %d: it changed after the copy", ErrNotVerified, size, res.Size)
				return nil
			}
			if a.src != nil && a.src.prec == client.TimeExact {
				t, err := c.ModTime(ctx, remote)
				if err != nil && c.Err() != nil {
					return err
				}
				if err == nil && !t.Truncate(time.Second).Equal(a.src.mtime.Truncate(time.Second)) {
					changed = fmt.Errorf("%w: the source's time is %s now, not %s: it changed after the copy", ErrNotVerified, t.UTC().Format(time.RFC3339), a.src.mtime.UTC().Format(time.RFC3339))
					return nil
				}
			}
			return c.Dele(ctx, remote)
		})
		if changed != nil {
			return changed
		}
		return err
	}
	var size int64 = -1
	_, err = m.pool.Do(ctx, "SIZE "+a.Path, func(c *client.Conn, _ int) error {
		var err error
		size, err = c.Size(ctx, remote)
		return err
	})
	if err != nil {
		return fmt.Errorf("%w: SIZE of the copy: %w", ErrNotVerified, err)
	}
	if size != res.Size {
		return fmt.Errorf("%w: the server's copy has %d bytes, not %d", ErrNotVerified, size, res.Size)
	}
	fi, err := m.root.Lstat(rel)
	if err != nil {
		return localErr("check", a.Path, err)
	}
	if a.src == nil || !fi.Mode().IsRegular() || fi.Size() != a.src.size || !fi.ModTime().Equal(a.src.mtime) {
		return fmt.Errorf("%w: it changed during the copy", ErrNotVerified)
	}
	return localErr("remove", a.Path, m.root.Remove(rel))
}
