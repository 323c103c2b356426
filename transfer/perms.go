package transfer

import (
	"context"

	"github.com/ferry-ftp/ferry/client"
)

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
