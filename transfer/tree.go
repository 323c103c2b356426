package transfer

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path"
	"sort"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/ferry-ftp/ferry/client"
)

// node is one object of a tree being mirrored.
type node struct {
	rel   string // slash-separated path below the tree's root
	typ   client.EntryType
	size  int64 // -1 when unknown
	mtime time.Time
	prec  client.TimePrecision
	// listed is the listing entry of a remote file.
	listed *client.Entry
}

// tree is a scanned tree: its nodes by relative path.
type tree map[string]*node

// sortedPaths returns the tree's paths in order, parents before children.
func (t tree) sortedPaths() []string {
	ps := make([]string, 0, len(t))
	for p := range t {
		ps = append(ps, p)
	}
	sort.Strings(ps)
	return ps
}

// MaxDepth is how many folder levels below its root a tree job enters.
// A server that lists a folder inside itself (a link loop it follows, or
// a hostile one) would otherwise lead it on without end.
const MaxDepth = 64

// ErrTooDeep reports a folder MaxDepth levels down, which is not entered.
var ErrTooDeep = fmt.Errorf("folder more than %d levels deep: not entered (a link loop on the server?)", MaxDepth)

// depth is the number of folder levels of a relative path: 1 for "a".
func depth(rel string) int { return strings.Count(rel, "/") + 1 }

// scanRemote lists the remote tree at root, up to workers folders at a
// time over the pool. Names the server sends are checked with CheckName;
// refused ones and folders that cannot be listed are reported through
// m.itemFailed, symbolic links and special files through m.note. A
// missing root is an error for a source (dest false) and an empty tree
// (missing true) for a destination.
func (m *mirror) scanRemote(ctx context.Context, root string, dest bool) (t tree, missing bool, err error) {
	t = tree{}
	var mu sync.Mutex
	q := newDirQueue(ctx)
	q.push("")
	g, gctx := errgroup.WithContext(ctx)
	var rootErr error
	for range max(m.pool.Limit(), 1) {
		g.Go(func() error {
			for {
				rel, ok := q.pop()
				if !ok {
					return gctx.Err()
				}
				var entries []client.Entry
				var unparsed []string
				_, err := m.pool.Do(gctx, "listing "+remoteJoin(root, rel), func(c *client.Conn, _ int) error {
					var err error
					entries, unparsed, err = c.ReadDir(gctx, remoteJoin(root, rel))
					m.learn(c)
					return err
				})
				if err != nil {
					if rel == "" {
						mu.Lock()
						rootErr = err
						mu.Unlock()
					} else {
						m.itemFailed(Action{Kind: Skip, Path: rel, Dir: true, Reason: "cannot list"}, err)
						m.unknownBelow(rel, !dest)
					}
					q.done()
					continue
				}
				for _, line := range unparsed {
					m.skip(Action{Kind: Skip, Path: rel, Dir: true, Reason: fmt.Sprintf("cannot parse listing line %q", client.Sanitize(line))})
				}
				if len(unparsed) > 0 {
					// A line that cannot be read may name a file: what
					// the folder holds is not known in full.
					m.unknownBelow(rel, !dest)
				}
				for i := range entries {
					e := &entries[i]
					if client.SkipMLSx(*e) {
						continue
					}
					p := path.Join(rel, e.Name)
					if err := CheckName(e.Name); err != nil {
						m.itemFailed(Action{Kind: Skip, Path: path.Join(rel, client.Sanitize(e.Name)), Reason: "refused name"}, err)
						m.unknownBelow(p, !dest)
						continue
					}
					n := &node{rel: p, typ: e.Type, size: e.Size, mtime: e.ModTime, prec: e.Precision, listed: e}
					if e.Type == client.EntryDir && m.filter.pruned(p) {
						continue
					}
					if e.Type == client.EntryDir && depth(p) > MaxDepth {
						m.itemFailed(Action{Kind: Skip, Path: p, Dir: true, Reason: "too deep"}, ErrTooDeep)
						m.unknownBelow(p, !dest)
						continue
					}
					mu.Lock()
					t[p] = n
					mu.Unlock()
					if e.Type == client.EntryDir {
						q.push(p)
					}
				}
				q.done()
			}
		})
	}
	if err := g.Wait(); err != nil {
		return nil, false, err
	}
	if rootErr != nil {
		if dest && client.ReplyCode(rootErr)/100 == 5 {
			return tree{}, true, nil
		}
		return nil, false, rootErr
	}
	return t, false, nil
}

// scanLocal walks the local tree of root without following symbolic
// links, which are recorded as links and not entered. A missing root is
// an empty tree.
func (m *mirror) scanLocal(root *os.Root) (tree, error) {
	t := tree{}
	if root == nil {
		return t, nil
	}
	err := fs.WalkDir(root.FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == "." {
				return err
			}
			m.itemFailed(Action{Kind: Skip, Path: p, Dir: d != nil && d.IsDir(), Reason: "cannot read"}, localErr("read", p, err))
			m.unknownBelow(p, m.opt.Direction == Upload)
			return nil
		}
		if p == "." {
			return nil
		}
		n := &node{rel: p, size: -1, prec: client.TimeExact}
		switch {
		case d.Type()&fs.ModeSymlink != 0:
			n.typ = client.EntryLink
		case d.IsDir():
			n.typ = client.EntryDir
			if m.filter.pruned(p) {
				return fs.SkipDir
			}
		case d.Type().IsRegular():
			n.typ = client.EntryFile
		default:
			n.typ = client.EntryOther
		}
		if fi, err := d.Info(); err == nil {
			n.mtime = fi.ModTime()
			if n.typ == client.EntryFile {
				n.size = fi.Size()
			}
		}
		t[p] = n
		return nil
	})
	if err != nil {
		return nil, localErr("read", root.Name(), err)
	}
	return t, nil
}

// unknownBelow records, when source is set, that what the source holds
// at and below rel is unknown (it could not be listed or was not
// entered), so that --delete spares the destination there.
func (m *mirror) unknownBelow(rel string, source bool) {
	if !source {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.unknown == nil {
		m.unknown = map[string]bool{}
	}
	m.unknown[rel] = true
}

// dirQueue hands folders to list to a fixed set of workers. pop blocks
// until a folder is queued, and reports false once the queue is empty and
// no worker is listing a folder that could add more, or ctx is done.
type dirQueue struct {
	mu     sync.Mutex
	cond   *sync.Cond
	dirs   []string
	active int // folders popped and not yet done
	ctx    context.Context
}

func newDirQueue(ctx context.Context) *dirQueue {
	q := &dirQueue{ctx: ctx}
	q.cond = sync.NewCond(&q.mu)
	context.AfterFunc(ctx, func() {
		q.mu.Lock()
		q.cond.Broadcast()
		q.mu.Unlock()
	})
	return q
}

func (q *dirQueue) push(dir string) {
	q.mu.Lock()
	q.dirs = append(q.dirs, dir)
	q.cond.Signal()
	q.mu.Unlock()
}

func (q *dirQueue) pop() (string, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.dirs) == 0 && q.active > 0 && q.ctx.Err() == nil {
		q.cond.Wait()
	}
	if len(q.dirs) == 0 || q.ctx.Err() != nil {
		return "", false
	}
	d := q.dirs[len(q.dirs)-1]
	q.dirs = q.dirs[:len(q.dirs)-1]
	q.active++
	return d, true
}

// done marks a popped folder as listed.
func (q *dirQueue) done() {
	q.mu.Lock()
	q.active--
	if q.active == 0 && len(q.dirs) == 0 {
		q.cond.Broadcast()
	}
	q.mu.Unlock()
}
