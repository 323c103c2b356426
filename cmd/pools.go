package cmd

import (
	"context"
	"sync"

	"github.com/ferry-ftp/ferry/internal/progress"
	"github.com/ferry-ftp/ferry/transfer"
)

// pools keeps one connection pool per server for the files of a command
// that moves several at once. A pool adopts the logged-in connection of
// the command's session to that server, so a single file costs no second
// login, and reuses the session's credentials, so nobody is asked for a
// password twice. pools is safe for concurrent use.
type pools struct {
	f    *Factory
	e    *engineFlags
	ss   *sessions
	size int

	mu   sync.Mutex
	open map[string]*transfer.Pool
}

// newPools returns pools of size connections each (at least
// e.Parallel), taking over the connections of ss.
func newPools(f *Factory, e *engineFlags, ss *sessions, size int) *pools {
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
	pl := p.e.pool(p.f, s.Site(), p.size, s)
	p.open[r.key()] = pl
	return pl, nil
}

// closeAll ends every pool's connections with QUIT.
func (p *pools) closeAll() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, pl := range p.open {
		pl.Close()
	}
}

// newManyReporter returns a reporter for a command that moves files
// files: with an aggregate progress line when there are several.
func newManyReporter(f *Factory, e *engineFlags, files int) *reporter {
	rep := newReporter(f, false)
	rep.verify = e.Verify
	if files > 1 && rep.bars != nil {
		rep.overall = progress.NewOverall(rep.bars)
		rep.progress = rep.overall
	}
	return rep
}
