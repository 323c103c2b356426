package transfer

import (
	"context"
	"errors"
	"io/fs"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"golang.org/x/sync/errgroup"

	"github.com/ferry-ftp/ferry/client"
)

// run carries out a plan: deletions in the way, folders, copies, then
// deletions of what the source lacks. dst is the destination's tree, for
// deleting folders whole.
func (m *mirror) run(ctx context.Context, actions []Action, dst tree) error {
	var before, dirs, copies, after []Action
	for _, a := range actions {
		switch {
		case a.Kind == Skip || a.Kind == Keep:
			m.count(a, nil)
			m.event(Event{Action: a})
		case a.Kind == Delete && strings.HasPrefix(a.Reason, "in the way"):
			before = append(before, a)
		case a.Kind == Delete:
			after = append(after, a)
		case a.Kind == MakeDir:
			dirs = append(dirs, a)
		case a.Kind == Copy:
			copies = append(copies, a)
		}
	}
	if m.opt.Direction == Upload && len(before)+len(after) > 0 {
		before, after = m.spareLinks(ctx, before), m.spareLinks(ctx, after)
	}
	for _, a := range before {
		var err error
		if m.opt.backsUp() {
			err = m.backup(ctx, a.Path)
		} else {
			err = m.removeTree(ctx, a, dst)
		}
		m.count(a, err)
		m.event(Event{Action: a, Err: err})
	}
	if err := m.byLevel(ctx, dirs, false, m.makeDir); err != nil {
		return err
	}
	var taken map[string]bool
	if m.opt.Direction == Upload {
		taken = takenNames(actions, dst)
	}
	if err := m.copyAll(ctx, copies, taken); err != nil {
		return err
	}
	var files, folders []Action
	for _, a := range after {
		if a.Dir {
			folders = append(folders, a)
		} else {
			files = append(files, a)
		}
	}
	if err := m.byLevel(ctx, files, false, m.remove); err != nil {
		return err
	}
	return m.byLevel(ctx, folders, true, m.remove)
}

// workers is the number of actions run at once.
func (m *mirror) workers() int { return max(m.pool.Limit(), 1) }

// byLevel runs do for the actions, in parallel within each folder depth:
// shallow levels first, or deep ones first with deepFirst.
func (m *mirror) byLevel(ctx context.Context, actions []Action, deepFirst bool, do func(context.Context, Action) error) error {
	levels := map[int][]Action{}
	var depths []int
	for _, a := range actions {
		d := strings.Count(a.Path, "/")
		if _, ok := levels[d]; !ok {
			depths = append(depths, d)
		}
		levels[d] = append(levels[d], a)
	}
	sort.Ints(depths)
	if deepFirst {
		sort.Sort(sort.Reverse(sort.IntSlice(depths)))
	}
	for _, d := range depths {
		g, gctx := errgroup.WithContext(ctx)
		g.SetLimit(m.workers())
		for _, a := range levels[d] {
			if m.stopped() {
				break
			}
			g.Go(func() error {
				err := do(gctx, a)
				m.count(a, err)
				m.event(Event{Action: a, Err: err})
				return ctx.Err()
			})
		}
		if err := g.Wait(); err != nil {
			return err
		}
	}
	return nil
}

// copyAll runs the copies with the pool's workers, handed out in plan
// order; a download claims the copy after it for its connection, to send
// its RETR ahead (see EachAhead). taken holds the remote paths an upload
// must not take as temporary names (see takenNames).
func (m *mirror) copyAll(ctx context.Context, copies []Action, taken map[string]bool) error {
	return EachAhead(ctx, len(copies), m.workers(), func(gctx context.Context, i int, take func() (int, bool)) {
		a := copies[i]
		if m.stopped() || gctx.Err() != nil {
			return // MaxErrors, or interrupted: taken, not started
		}
		var next func() (GetJob, bool)
		if m.opt.Direction == Download && !m.opt.RemoveSource {
			next = func() (GetJob, bool) {
				j, ok := take()
				if !ok || m.stopped() {
					return GetJob{}, false
				}
				job, err := m.downloadJob(copies[j])
				return job, err == nil
			}
		}
		res, err := m.copyFile(gctx, &a, taken, next)
		m.count(a, err)
		if err == nil {
			m.mu.Lock()
			m.rep.Bytes += res.Bytes
			m.mu.Unlock()
		}
		m.event(Event{Action: a, Result: res, Err: err})
		if err == nil && m.opt.Perms {
			if perr := m.copyPerms(gctx, a); perr != nil {
				m.itemFailed(Action{Kind: Chmod, Path: a.Path, Reason: "permissions not copied"}, perr)
			} else if ca, ok := permsAction(a); ok {
				m.event(Event{Action: ca})
			}
		}
		if err == nil && m.opt.RemoveSource {
			ra := removeSourceAction(a)
			rerr := m.removeSource(gctx, a, res)
			m.count(ra, rerr)
			m.event(Event{Action: ra, Err: rerr})
		}
	})
}

// copyFile copies one file, retried and resumed by the pool. next, for a
// download, names the copy its connection does next (GetOptions.Next).
// When the copy of a file it backs up fails, a's reason is made to say
// what became of the old file (see failedBackup).
func (m *mirror) copyFile(ctx context.Context, a *Action, taken map[string]bool, next func() (GetJob, bool)) (res Result, err error) {
	rel, err := localRel(a.Path)
	if err != nil {
		return Result{Size: -1}, err
	}
	remote := remoteJoin(m.remoteDir, a.Path)
	// With --backup-dir the old file is kept there, but stays in place
	// until the new one is complete: a failed copy leaves it as it was.
	backupTo := ""
	if m.opt.backsUp() && a.dst != nil {
		if backupTo, err = m.prepareBackup(ctx, a.Path); err != nil {
			a.Reason = failedBackup(a, "", m.opt.Direction, err)
			return Result{Size: -1}, err
		}
		defer func() {
			if err != nil {
				a.Reason = failedBackup(a, backupTo, m.opt.Direction, err)
			}
		}()
	}
	if m.opt.Direction == Upload {
		origin, err := filepath.Abs(filepath.Join(m.root.Name(), rel))
		if err != nil {
			return Result{Size: -1}, localErr("open", a.Path, err)
		}
		return m.pool.putFile(ctx, m.files, rel, remote, PutOptions{Resume: m.opt.Resume, KeepTime: true,
			Progress: m.opt.Progress, Limit: m.opt.Limit, Verify: m.opt.Verify, Name: a.Path,
			Avoid: avoidBeside(taken, a.Path), Notify: m.opt.Notify, origin: origin, fresh: a.dst == nil, backupTo: backupTo})
	}
	job, err := m.downloadJob(*a)
	if err != nil {
		return Result{Size: -1}, err
	}
	job.Opt.Next = next
	return m.pool.getFile(ctx, m.files, job.Remote, job.Local, job.Opt)
}

// downloadJob returns the download of the copy a. Its listing entry, with
// the exact time refine asked for it, holds all the server tells of the
// file (GetOptions.Known) once it has a size and an exact time.
func (m *mirror) downloadJob(a Action) (GetJob, error) {
	rel, err := localRel(a.Path)
	if err != nil {
		return GetJob{}, err
	}
	var listed *client.Entry
	if a.src != nil {
		listed = a.src.listed
	}
	dir := path.Dir(a.Path)
	avoid := func(name string) bool { return m.src[path.Join(dir, name)] != nil }
	known := listed != nil && listed.Size >= 0 && listed.Precision == client.TimeExact
	return GetJob{Remote: remoteJoin(m.remoteDir, a.Path), Local: rel, Opt: GetOptions{Resume: m.opt.Resume, Listed: listed, Avoid: avoid,
		Progress: m.opt.Progress, Limit: m.opt.Limit, Verify: m.opt.Verify, Name: a.Path, Notify: m.opt.Notify, Known: known}}, nil
}

// makeDir creates one folder of the destination.
func (m *mirror) makeDir(ctx context.Context, a Action) error {
	if m.opt.Direction == Download {
		rel, err := localRel(a.Path)
		if err != nil {
			return err
		}
		err = m.root.Mkdir(rel, 0o755)
		if errors.Is(err, fs.ErrExist) {
			if fi, lerr := m.root.Lstat(rel); lerr == nil && fi.IsDir() {
				err = nil
			}
		}
		return localErr("create folder", a.Path, err)
	}
	_, err := m.pool.Do(ctx, "MKD "+a.Path, func(c *client.Conn, _ int) error {
		_, err := c.Mkd(ctx, remoteJoin(m.remoteDir, a.Path))
		return err
	})
	return err
}

// remove deletes one path of the destination: a file or link, or a folder
// that its own deletions emptied.
func (m *mirror) remove(ctx context.Context, a Action) error {
	if m.opt.backsUp() && !a.Dir {
		return m.backup(ctx, a.Path)
	}
	if m.opt.Direction == Download {
		rel, err := localRel(a.Path)
		if err != nil {
			return err
		}
		return localErr("remove", a.Path, m.root.Remove(rel))
	}
	_, err := m.pool.Do(ctx, "delete "+a.Path, func(c *client.Conn, _ int) error {
		if a.Dir {
			return c.Rmd(ctx, remoteJoin(m.remoteDir, a.Path))
		}
		return c.Dele(ctx, remoteJoin(m.remoteDir, a.Path))
	})
	return err
}

// removeTree deletes a destination path in the way of a copy, with all
// below it: locally with os.Root.RemoveAll (which does not follow
// symbolic links), remotely one listed path at a time, deepest first.
func (m *mirror) removeTree(ctx context.Context, a Action, dst tree) error {
	if m.opt.Direction == Download {
		rel, err := localRel(a.Path)
		if err != nil {
			return err
		}
		return localErr("remove", a.Path, m.root.RemoveAll(rel))
	}
	if !a.Dir {
		return m.remove(ctx, a)
	}
	var below []string
	for p := range dst {
		if strings.HasPrefix(p, a.Path+"/") {
			below = append(below, p)
		}
	}
	sort.Sort(sort.Reverse(sort.StringSlice(below)))
	for _, p := range append(below, a.Path) {
		n := dst[p]
		if err := m.remove(ctx, Action{Kind: Delete, Path: p, Dir: n.typ == client.EntryDir}); err != nil {
			return err
		}
	}
	return nil
}
