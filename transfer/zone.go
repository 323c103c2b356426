package transfer

import (
	"context"
	"sync"
	"time"

	"github.com/ferry-ftp/ferry/client"
)

// poolZone is what a pool's jobs learned of the zone of the server's
// LIST times: asked once for all its connections.
type poolZone struct {
	mu    sync.Mutex
	asked bool
	loc   *time.Location // nil when asked and nothing was learned
}

// learnZone learns the zone of the server's LIST times (see
// client.Conn.LearnListZone) from the first file of the remote tree t
// (below remoteDir) that was listed to the minute, and moves the LIST
// times of t's nodes into it, so that the plan compares true times. A
// server that gave exact times (MLSD), offers no MDTM, or whose MDTM
// disagrees with its listing leaves t as it is; the plan's comparisons at
// the listing's precision and refine's MDTM still hold then. The pool
// asks once, for all its jobs and connections.
func (m *mirror) learnZone(ctx context.Context, t tree, remoteDir string) {
	if !m.canMDTM {
		return
	}
	var first *node
	for _, p := range t.sortedPaths() {
		if n := t[p]; n.typ == client.EntryFile && n.prec == client.TimeMinute && n.listed != nil {
			first = n
			break
		}
	}
	if first == nil {
		return
	}
	z := &m.pool.zone
	z.mu.Lock()
	defer z.mu.Unlock()
	if !z.asked {
		m.pool.Do(ctx, "MDTM", func(c *client.Conn, _ int) error {
			loc, err := c.LearnListZone(ctx, remoteJoin(remoteDir, first.rel), *first.listed)
			if c.Err() != nil || ctx.Err() != nil {
				return err // the connection failed: another one tries
			}
			z.asked, z.loc = true, loc
			return nil
		})
	}
	loc := z.loc
	if loc == nil {
		return
	}
	for _, n := range t {
		if n.prec != client.TimeMinute && n.prec != client.TimeDay {
			continue
		}
		e := client.InZone(client.Entry{ModTime: n.mtime, Precision: n.prec}, loc)
		n.mtime = e.ModTime
		if n.listed != nil {
			*n.listed = client.InZone(*n.listed, loc)
		}
	}
}
