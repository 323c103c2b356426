package transfer

import (
	"context"
	"errors"
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

// node is one object of a tree being mirrored. A tree holds one for each
// path, so it is kept small: the listing's entry is not kept, only what
// the plan and the copy need.
type node struct {
	rel   string // slash-separated path below the tree's root
	typ   client.EntryType
	size  int64 // -1 when unknown
	mtime time.Time
	prec  client.TimePrecision
	mode  os.FileMode // permission bits, when known (MirrorOptions.Perms)
	// listed is what the listing told of a remote file (size and time),
	// for the download; nil for everything else.
	listed *client.Entry
}

// remoteNode returns the node of entry e of the remote folder parent.
func remoteNode(parent string, e *client.Entry) *node {
	p := path.Join(parent, e.Name) // a string of its own, not a part of the listing's line
	n := &node{rel: p, typ: e.Type, size: e.Size, mtime: e.ModTime, prec: e.Precision, mode: e.Mode.Perm()}
	if e.Type == client.EntryFile {
		n.listed = &client.Entry{Name: path.Base(p), Type: e.Type, Size: e.Size, ModTime: e.ModTime, Precision: e.Precision}
	}
	return n
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
// time over the pool, reading each listing as it comes. Names the server
// sends are checked with CheckName; refused ones and folders that cannot
// be listed are reported through m.itemFailed, symbolic links and special
// files through m.note. A missing root is an error for a source (dest
// false), also when the server lists it as an empty folder, and an empty
// tree (missing true) for a destination.
//
// Each node kept counts against the budget of the pool's connections
// (see client.Budget): a tree too large for it ends the scan with the
// budget's *client.LimitError.
func (m *mirror) scanRemote(ctx context.Context, root string, dest bool) (t tree, missing bool, err error) {
	t = tree{}
	var mu sync.Mutex
	q := newDirQueue(ctx)
	q.push("")
	g, gctx := errgroup.WithContext(ctx)
	var rootErr error
	// The budget when the connections have none of their own.
	own := client.NewBudget(client.Limits{})
	for range max(m.pool.Limit(), 1) {
		g.Go(func() error {
			for {
				rel, ok := q.pop()
				if !ok {
					return gctx.Err()
				}
				kids, refused, unparsed, err := m.listRemote(gctx, own, root, rel, !dest && rel == "")
				var limit *client.LimitError
				switch {
				case errors.As(err, &limit):
					q.done()
					return err
				case err != nil && gctx.Err() != nil:
					// Stopped by another folder's failure, or by ctx.
					q.done()
					return gctx.Err()
				case err != nil && rel == "":
					mu.Lock()
					rootErr = err
					mu.Unlock()
				case err != nil:
					m.itemFailed(Action{Kind: Skip, Path: rel, Dir: true, Reason: "cannot list"}, err)
					m.unknownBelow(rel, !dest)
				}
				shown := rel
				if shown == "" {
					shown = "." // the tree's own folder
				}
				for _, line := range unparsed {
					m.skip(Action{Kind: Skip, Path: shown, Dir: true, Reason: fmt.Sprintf("cannot parse listing line %q", client.Sanitize(line))})
				}
				if len(unparsed) > 0 {
					// A line that cannot be read may name a file: what
					// the folder holds is not known in full.
					m.unknownBelow(rel, !dest)
				}
				for _, r := range refused {
					p := path.Join(rel, r.name)
					m.itemFailed(Action{Kind: Skip, Path: path.Join(rel, client.Sanitize(r.name)), Reason: "refused name"}, r.err)
					m.unknownBelow(p, !dest)
				}
				for _, n := range kids {
					if n.typ == client.EntryDir && depth(n.rel) > MaxDepth {
						m.itemFailed(Action{Kind: Skip, Path: n.rel, Dir: true, Reason: "too deep"}, ErrTooDeep)
						m.unknownBelow(n.rel, !dest)
						continue
					}
					mu.Lock()
					t[n.rel] = n
					mu.Unlock()
					if n.typ == client.EntryDir {
						q.push(n.rel)
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

// refusedName is a name from a listing that CheckName refused.
type refusedName struct {
	name string
	err  error
}

// listRemote lists the remote folder rel below root, over the pool with
// its retries, and returns its nodes, charged to the connection's budget
// (or to own, when the connection has none), without the folders the
// filter prunes. confirm checks that the folder exists when its listing
// is empty.
//
// unparsed holds the listing's lines that cannot be read (at most
// maxUnparsed of them; more counts one "and N more" line).
func (m *mirror) listRemote(ctx context.Context, own *client.Budget, root, rel string, confirm bool) (kids []*node, refused []refusedName, unparsed []string, err error) {
	dir := remoteJoin(root, rel)
	var budget *client.Budget
	_, err = m.pool.Do(ctx, "listing "+dir, func(c *client.Conn, _ int) (lerr error) {
		m.learn(c)
		// A listing tried again starts over.
		release(budget, kids, refused)
		if budget = c.Budget(); budget == nil {
			budget = own
		}
		kids, refused, unparsed = kids[:0], refused[:0], unparsed[:0]
		more := 0
		untimed, firstUntimed := 0, ""
		defer func() {
			if more > 0 {
				unparsed = append(unparsed, fmt.Sprintf("(and %d more lines)", more))
			}
		}()
		if confirm {
			// A LIST of a file lists the file (and vsftpd lists a
			// missing folder as empty): a tree's source root is made
			// sure of before anything is compared, or deleted.
			if err := c.CheckDir(ctx, dir); err != nil {
				return err
			}
		}
		// Hidden: LIST without -a leaves out dot files on most servers,
		// and a mirror that did not see .htaccess would delete its copy.
		opt := client.ListOptions{Confirm: confirm, Hidden: true, Unparsed: func(line string) {
			if len(unparsed) < maxUnparsed {
				unparsed = append(unparsed, strings.Clone(line))
			} else {
				more++
			}
		}, Untimed: func(line string) {
			if untimed == 0 {
				firstUntimed = strings.Clone(line)
			}
			untimed++
		}}
		defer func() {
			if lerr == nil && untimed > 0 {
				m.mu.Lock()
				if m.untimed == 0 {
					m.firstUntimed = firstUntimed
				}
				m.untimed += untimed
				m.mu.Unlock()
			}
		}()
		return c.ReadDirFunc(ctx, dir, opt, func(e client.Entry) error {
			if err := CheckName(e.Name); err != nil {
				if err := budget.KeepPath(e.Name); err != nil {
					return err
				}
				refused = append(refused, refusedName{strings.Clone(e.Name), err})
				return nil
			}
			n := remoteNode(rel, &e)
			if n.typ == client.EntryDir && m.prunes(n.rel, true) {
				m.notEntered(n.rel, true)
				return nil
			}
			if err := budget.KeepPath(n.rel); err != nil {
				return err
			}
			kids = append(kids, n)
			return nil
		})
	})
	if err != nil {
		release(budget, kids, refused)
		return nil, nil, nil, err
	}
	return kids, refused, unparsed, nil
}

// maxUnparsed bounds the unreadable lines of one listing that a mirror
// reports one by one.
const maxUnparsed = 100

// release gives back to budget what a listing's nodes and refused names
// were charged.
func release(budget *client.Budget, kids []*node, refused []refusedName) {
	for _, k := range kids {
		budget.ReleasePath(k.rel)
	}
	for _, r := range refused {
		budget.ReleasePath(r.name)
	}
}

// scanLocal walks the local tree of root without following symbolic
// links, which are recorded as links and not entered, and with names as
// the bytes they are (see walkRoot). A missing root is an empty tree.
func (m *mirror) scanLocal(root *os.Root) (tree, error) {
	t := tree{}
	if root == nil {
		return t, nil
	}
	err := walkRoot(root, func(p string, d fs.DirEntry, err error) error {
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
			if m.prunes(p, false) {
				m.notEntered(p, false)
				return fs.SkipDir
			}
		case d.Type().IsRegular():
			n.typ = client.EntryFile
		default:
			n.typ = client.EntryOther
		}
		if fi, err := d.Info(); err == nil {
			n.mtime, n.mode = fi.ModTime(), fi.Mode().Perm()
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

// notEntered records, when the tree scanned (the remote one, or the local
// one) is the destination, that the folder rel was not entered (a filter
// or MaxDepth prunes it), so that Delete spares the folders that hold
// it.
func (m *mirror) notEntered(rel string, remote bool) {
	if remote != (m.opt.Direction == Upload) {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.unentered == nil {
		m.unentered = map[string]bool{}
	}
	m.unentered[rel] = true
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
