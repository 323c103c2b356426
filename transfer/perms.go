package transfer

import (
	"context"

	"github.com/ferry-ftp/ferry/client"
)

// notePerms tells Notify, once, when Perms cannot do its work on a
// download: the server's listing gives no permission bits (MLSD without
// the unix.mode fact, a listing without a mode column) for files the
// plan copies, which then keep the local default permissions.
func (m *mirror) notePerms(actions []Action) {
	if !m.opt.Perms || m.opt.Direction != Download {
		return
	}
	n, first := 0, ""
	for _, a := range actions {
		if a.Kind == Copy && a.src != nil && a.src.mode == 0 {
			if n == 0 {
				first = a.Path
			}
			n++
		}
	}
	if n > 0 {
		m.note("--perms: the server's listing gives no permission bits for %d file(s) (the first: %s; no unix.mode fact in MLSD, or no mode column in LIST): they keep the local default permissions",
			n, client.Sanitize(first))
	}
}

// copyPerms gives the copy of a file the source's permission bits
// (MirrorOptions.Perms): locally through the tree's os.Root, remotely
// with SITE CHMOD. A source whose mode is not known is left alone.
func (m *mirror) copyPerms(ctx context.Context, a Action) error {
	if a.src == nil || a.src.mode == 0 {
		return nil
	}
	mode := a.src.mode.Perm()
	if m.opt.Direction == Download {
		rel, err := localRel(a.Path)
		if err != nil {
			return err
		}
		return localErr("chmod", a.Path, m.root.Chmod(rel, mode))
	}
	_, err := m.pool.Do(ctx, "SITE CHMOD "+a.Path, func(c *client.Conn, _ int) error {
		return c.Chmod(ctx, remoteJoin(m.remoteDir, a.Path), mode)
	})
	return err
}
