package ops

import (
	"context"
	"slices"
	"sync"

	"github.com/ferry-ftp/ferry/client"
	"github.com/ferry-ftp/ferry/transfer"
)

// pools keeps one connection pool per server for the files of a command
// that moves several at once. A pool adopts the logged-in connection of
// the command's session to that server, so a single file costs no second
// login, and reuses the session's credentials, so nobody is asked for a
// password twice. pools is safe for concurrent use.
type pools struct {
	f    *Env
	e    *engineFlags
	ss   *sessions
	size int

	mu   sync.Mutex
	open map[string]*transfer.Pool
	// lent are the sessions' connections the pools hold, for the
	// sessions of the front end to take back.
	lent []loan
}

// loan is a session's connection that a pool holds.
type loan struct {
	pool *transfer.Pool
	s    *transfer.Session
	c    *client.Conn
}

// newPools returns pools of size connections each (at least
// e.Parallel), taking over the connections of ss.
func newPools(f *Env, e *engineFlags, ss *sessions, size int) *pools {
	return &pools{f: f, e: e, ss: ss, size: max(size, e.Parallel), open: map[string]*transfer.Pool{}}
}

// get returns the pool for r, made on first use.
func (p *pools) get(ctx context.Context, r Remote) (*transfer.Pool, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if pl, ok := p.open[r.key()]; ok {
		return pl, nil
	}
	s, err := p.ss.get(ctx, r)
	if err != nil {
		return nil, err
	}
	site := s.Site()
	if p.f.Shared {
		// The front end's session lends its connection to the pool,
		// and takes it back at the end; the pool's own connections
		// enter the session's folder.
		if site, err = p.f.Site(r); err != nil {
			return nil, err
		}
	}
	c := s.Release()
	if c != nil {
		// The pool's connections share what the session's learned the
		// server refuses (SIZE, MLST, EPSV...), and add to it.
		site.Options = append(slices.Clip(site.Options), client.WithRefusals(c.Refusals()))
	}
	pl := p.e.pool(p.f, site, p.size)
	if c != nil {
		pl.Add(c)
		p.lent = append(p.lent, loan{pool: pl, s: s, c: c})
	}
	p.open[r.key()] = pl
	return pl, nil
}

// closeAll ends every pool's connections with QUIT.
func (p *pools) closeAll() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.f.Shared {
		ctx, cancel := context.WithTimeout(context.Background(), transfer.QuitTimeout)
		defer cancel()
		for _, l := range p.lent {
			if l.pool.Take(ctx, l.c) {
				l.s.Adopt(l.c)
			}
		}
	}
	for _, pl := range p.open {
		pl.Close()
	}
}

// newManyReporter returns a reporter for a command that moves files;
// its caller sets the totals the bars show.
func newManyReporter(f *Env, e *engineFlags, files int) *reporter {
	rep := newReporter(f, false)
	rep.verify = e.Verify
	return rep
}
