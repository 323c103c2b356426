package transfer

import (
	"context"
	"path"
	"sort"

	"github.com/ferry-ftp/ferry/client"
)

// spareLinks drops from an upload's deletions whatever lies below a
// remote folder that is in fact a symbolic link: some servers' MLSD lists
// a link to a folder as the folder (pyftpdlib), so the scan went through
// it, and deleting "its" files would delete the files of the folder it
// points to, which may lie outside the mirrored tree. Each folder that
// holds a deletion, or is one, is looked up in its parent's LIST (see
// readDirNoFollow), one listing per parent. A link that is itself to be
// deleted is deleted as a link (DELE); what lay below a link is reported
// as skipped. A folder whose parent cannot be listed keeps its deletions.
func (m *mirror) spareLinks(ctx context.Context, actions []Action) []Action {
	dirs := map[string]bool{}
	for _, a := range actions {
		if a.Dir {
			dirs[a.Path] = true
		}
		for q := path.Dir(a.Path); q != "." && q != "/" && q != ""; q = path.Dir(q) {
			dirs[q] = true
		}
	}
	byParent := map[string][]string{}
	for d := range dirs {
		parent := path.Dir(d)
		if parent == "." {
			parent = ""
		}
		byParent[parent] = append(byParent[parent], d)
	}
	parents := make([]string, 0, len(byParent))
	for p := range byParent {
		parents = append(parents, p)
	}
	sort.Strings(parents)
	links := map[string]bool{}
	for _, parent := range parents {
		var entries []client.Entry
		m.pool.Do(ctx, "listing "+remoteJoin(m.remoteDir, parent), func(c *client.Conn, _ int) error {
			var err error
			entries, err = readDirNoFollow(ctx, c, remoteJoin(m.remoteDir, parent))
			return err
		})
		for _, e := range entries {
			if e.Type == client.EntryLink {
				links[path.Join(parent, e.Name)] = true
			}
		}
	}
	if len(links) == 0 {
		return actions
	}
	gone := map[string]bool{} // links that are themselves deleted
	for _, a := range actions {
		if links[a.Path] {
			gone[a.Path] = true
		}
	}
	var kept []Action
	skipped := map[string]bool{}
	for _, a := range actions {
		link := ""
		for q := a.Path; q != "." && q != "/" && q != ""; q = path.Dir(q) {
			if links[q] {
				link = q
			}
		}
		switch {
		case link == "":
			kept = append(kept, a)
		case link == a.Path:
			a.Dir = false // a link goes with DELE, never RMD
			kept = append(kept, a)
		case gone[link]:
			// Below a link that goes: nothing of its own to delete.
		case !skipped[link]:
			skipped[link] = true
			m.skip(Action{Kind: Skip, Path: link, Reason: "a symbolic link on the server that its listing showed as a folder: nothing below it deleted"})
		}
	}
	return kept
}
