package transfer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/ferry-ftp/ferry/client"
)

// DefaultParallel is the number of connections a Pool opens when
// PoolOptions.Size is not set.
const DefaultParallel = 4

// checkIdle is how long a connection sits idle in a Pool before Get
// checks that the server has not dropped it.
const checkIdle = time.Second

// DefaultIdleTimeout is how long a Pool keeps an unused connection.
const DefaultIdleTimeout = 30 * time.Second

// PoolOptions configure a Pool.
type PoolOptions struct {
	// Size is the most connections open at once; DefaultParallel when
	// zero or negative. A server that refuses more connections lowers it.
	Size int
	// IdleTimeout closes connections unused this long (with QUIT);
	// DefaultIdleTimeout when zero.
	IdleTimeout time.Duration
	// Retries is how often Do retries an operation that failed in a way
	// that may pass (see Transient).
	Retries int
	// Backoff is the wait before retry n (0-based); Backoff when nil.
	Backoff func(n int) time.Duration
	// NoPipeline turns off command pipelining (client.WithPipelining),
	// which the pool's connections use by default.
	NoPipeline bool
	// Notify, when set, is told in one line about retries and about a
	// server that refused more connections. It may be called from several
	// goroutines at once.
	Notify func(msg string)
}

// Pool lends logged-in control connections to one site to the workers of
// a job, up to a limit, and reuses them across files, in the manner of
// rclone's FTP backend:
//
//   - Get returns an idle connection or dials a new one while fewer than
//     the limit are open, and waits otherwise (or until ctx is done).
//   - Put returns a connection: a broken one is dropped; one that saw an
//     error other than a server reply is checked with NOOP before reuse.
//   - Connections idle longer than IdleTimeout are closed on a timer.
//   - A server that refuses a new connection as "too many" (421, or 530
//     with such a text, at greeting or login, or a refused TCP connection)
//     while others are open lowers the limit to the number open, instead
//     of failing the job.
//
// Every connection is set up by Connect (login, features, TYPE I once,
// TLS protection) and works in the login folder: callers pass paths
// relative to it or absolute, and never change folder. A Pool is safe for
// concurrent use.
type Pool struct {
	site Site
	opt  PoolOptions

	mu      sync.Mutex
	idle    []*pooled // most recently used last
	live    int       // connections lent or idle
	dialing int       // connections being dialed
	limit   int
	changed chan struct{} // closed and replaced whenever a connection comes back or goes
	closed  bool

	retries atomic.Int64
	stop    chan struct{}
	done    chan struct{}

	zone poolZone // the zone of the server's LIST times, learned once

	// adopted holds the connections Add took, with their own setting of
	// pipelining, which Take restores.
	adopted map[*client.Conn]bool
}

// pooled is an idle connection.
type pooled struct {
	c     *client.Conn
	since time.Time
	check bool // NOOP before reuse
}

// errPoolClosed is returned by Get after Close.
var errPoolClosed = errors.New("transfer: connection pool closed")

// NewPool returns a pool for site. It dials nothing until Get.
func NewPool(site Site, opt PoolOptions) *Pool {
	if opt.Size <= 0 {
		opt.Size = DefaultParallel
	}
	if opt.IdleTimeout <= 0 {
		opt.IdleTimeout = DefaultIdleTimeout
	}
	if opt.Backoff == nil {
		opt.Backoff = Backoff
	}
	// The pool's connections share what the server refused (first, so
	// that a Refusals in site.Options, a session's, takes precedence).
	site.Options = append(append([]client.Option{client.WithRefusals(client.NewRefusals())}, site.Options...),
		client.WithPipelining(!opt.NoPipeline))
	p := &Pool{site: site, opt: opt, limit: opt.Size, changed: make(chan struct{}),
		stop: make(chan struct{}), done: make(chan struct{})}
	go p.janitor()
	return p
}

// Site returns the site the pool connects to.
func (p *Pool) Site() Site { return p.site }

// Limit returns the most connections the pool opens at once now.
func (p *Pool) Limit() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.limit
}

// Retries returns how many retries Do has made.
func (p *Pool) Retries() int64 { return p.retries.Load() }

// Add gives the pool a connection that is already logged in (a session's,
// say), as an idle one. It pipelines as the pool's own connections do
// (PoolOptions.NoPipeline) until Take gives it back.
func (p *Pool) Add(c *client.Conn) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		go c.Close()
		return
	}
	if p.adopted == nil {
		p.adopted = map[*client.Conn]bool{}
	}
	p.adopted[c] = c.Pipelining()
	c.SetPipelining(!p.opt.NoPipeline)
	p.live++
	p.idle = append(p.idle, &pooled{c: c, since: time.Now()})
	p.broadcastLocked()
}

// Take takes back c, which the caller gave with Add, when it is idle in
// the pool and not broken (after a failure other than a server reply, a
// NOOP checks it first): the caller owns it again and Take returns true.
// Otherwise the pool keeps it, to close it with the others.
func (p *Pool) Take(ctx context.Context, c *client.Conn) bool {
	p.mu.Lock()
	i := slices.IndexFunc(p.idle, func(pc *pooled) bool { return pc.c == c })
	if i < 0 || c.Err() != nil {
		p.mu.Unlock()
		return false
	}
	check := p.idle[i].check
	p.idle = slices.Delete(p.idle, i, i+1)
	p.live--
	p.broadcastLocked()
	if on, ok := p.adopted[c]; ok {
		c.SetPipelining(on)
		delete(p.adopted, c)
	}
	p.mu.Unlock()
	if check && c.Noop(ctx) != nil {
		c.Close()
		return false
	}
	return true
}

// broadcastLocked wakes the callers of Get that wait.
func (p *Pool) broadcastLocked() {
	close(p.changed)
	p.changed = make(chan struct{})
}

// Get returns a connection for the caller's exclusive use until Put.
// It lends an idle connection that sent nothing ahead (see
// client.Conn.RetrNext) before one that did.
func (p *Pool) Get(ctx context.Context) (*client.Conn, error) {
	return p.get(ctx, "")
}

// get is Get, lending the idle connection that sent the RETR of want
// ahead first, when there is one.
func (p *Pool) get(ctx context.Context, want string) (*client.Conn, error) {
	for {
		if err := ctx.Err(); err != nil {
			return nil, &client.Error{Kind: client.KindOther, Op: "connect", Err: err}
		}
		p.mu.Lock()
		if p.closed {
			p.mu.Unlock()
			return nil, errPoolClosed
		}
		if len(p.idle) > 0 {
			i := p.pickLocked(want)
			pc := p.idle[i]
			p.idle = slices.Delete(p.idle, i, i+1)
			p.mu.Unlock()
			// A connection idle for a while may have been dropped by the
			// server: Check sees a 421 or a close without a round trip.
			if pc.c.Err() == nil && (time.Since(pc.since) < checkIdle || pc.c.Check() == nil) &&
				(!pc.check || pc.c.Noop(ctx) == nil) {
				return pc.c, nil
			}
			p.drop(pc.c)
			continue
		}
		if p.live+p.dialing < p.limit {
			p.dialing++
			p.mu.Unlock()
			c, err := Connect(ctx, p.site)
			p.mu.Lock()
			p.dialing--
			p.broadcastLocked()
			if err == nil {
				p.live++
				p.mu.Unlock()
				return c, nil
			}
			if !refusedMore(err) || ctx.Err() != nil {
				p.mu.Unlock()
				return nil, err
			}
			// Wait for the other dials under way: the server may have
			// taken some of them.
			for p.live == 0 && p.dialing > 0 && ctx.Err() == nil {
				wait := p.changed
				p.mu.Unlock()
				select {
				case <-wait:
				case <-ctx.Done():
				}
				p.mu.Lock()
			}
			if live := p.live; live > 0 {
				lowered := live < p.limit
				p.limit = min(p.limit, live)
				p.mu.Unlock()
				if lowered {
					p.notify("%s refused another connection (%s); going on with %d", p.site.Addr, oneLine(err), live)
				}
				continue
			}
			p.mu.Unlock()
			// Transient: the retry loop waits and tries again.
			return nil, &client.Error{Kind: client.KindConnection, Op: "connect", Err: err}
		}
		wait := p.changed
		p.mu.Unlock()
		select {
		case <-wait:
		case <-ctx.Done():
		}
	}
}

// pickLocked returns the index of the idle connection to lend: the one
// that sent the RETR of want ahead, else the most recently used one that
// sent nothing ahead, else the most recently used one (whose transfer
// sent ahead its next command aborts).
func (p *Pool) pickLocked(want string) int {
	last := len(p.idle) - 1
	for i := last; i >= 0; i-- {
		path, ok := p.idle[i].c.Ahead()
		switch {
		case ok && want != "" && path == want:
			return i
		case !ok && want == "":
			return i
		}
	}
	if want != "" {
		return p.pickLocked("")
	}
	return last
}

// Put returns a connection that Get lent, with the error of its last
// operation (nil for success). A broken connection is closed; one that
// failed other than by a server reply (a local error, a cancellation) is
// checked with NOOP before it is lent again.
func (p *Pool) Put(c *client.Conn, err error) {
	if c.Err() != nil {
		p.drop(c)
		return
	}
	var re *client.ReplyError
	check := err != nil && !errors.As(err, &re)
	p.mu.Lock()
	if p.closed {
		p.live--
		p.broadcastLocked()
		p.mu.Unlock()
		Quit(c)
		return
	}
	p.idle = append(p.idle, &pooled{c: c, since: time.Now(), check: check})
	p.broadcastLocked()
	p.mu.Unlock()
}

// drop closes a connection that will not be reused.
func (p *Pool) drop(c *client.Conn) {
	c.Close()
	p.mu.Lock()
	p.live--
	p.broadcastLocked()
	p.mu.Unlock()
}

// QuitTimeout bounds the QUIT that ends a connection.
const QuitTimeout = 5 * time.Second

// Quit ends a connection politely: QUIT, waiting at most QuitTimeout for
// the reply, then closed whatever happened. It is the one way ferry ends
// a connection it is done with.
func Quit(c *client.Conn) error {
	ctx, cancel := context.WithTimeout(context.Background(), QuitTimeout)
	defer cancel()
	return c.Quit(ctx)
}

// janitor closes connections that stayed idle longer than IdleTimeout.
func (p *Pool) janitor() {
	defer close(p.done)
	t := time.NewTicker(max(p.opt.IdleTimeout/2, 50*time.Millisecond))
	defer t.Stop()
	for {
		select {
		case <-p.stop:
			return
		case now := <-t.C:
			var old []*client.Conn
			p.mu.Lock()
			p.idle = slices.DeleteFunc(p.idle, func(pc *pooled) bool {
				if now.Sub(pc.since) < p.opt.IdleTimeout {
					return false
				}
				old = append(old, pc.c)
				return true
			})
			p.live -= len(old)
			if len(old) > 0 {
				p.broadcastLocked()
			}
			p.mu.Unlock()
			for _, c := range old {
				Quit(c)
			}
		}
	}
}

// Close ends the idle connections with QUIT and makes Get fail; lent
// connections are closed when they come back.
func (p *Pool) Close() error {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return nil
	}
	p.closed = true
	idle := p.idle
	p.idle = nil
	p.live -= len(idle)
	p.broadcastLocked()
	p.mu.Unlock()
	close(p.stop)
	<-p.done
	var wg sync.WaitGroup
	for _, pc := range idle {
		wg.Go(func() { Quit(pc.c) })
	}
	wg.Wait()
	return nil
}

// Do runs op on a pooled connection and retries it as Retry does, up to
// PoolOptions.Retries times, each time on a connection from Get (a new one
// when the last broke). op gets the attempt number (0 first) and should
// resume where the last attempt stopped. Do returns the retries it made.
func (p *Pool) Do(ctx context.Context, name string, op func(c *client.Conn, attempt int) error) (int, error) {
	return p.do(ctx, name, "", op)
}

// do is Do, on the connection that sent the RETR of want ahead when there
// is one (see get).
func (p *Pool) do(ctx context.Context, name, want string, op func(c *client.Conn, attempt int) error) (int, error) {
	retries := 0
	err := retry(ctx, p.opt.Retries, p.opt.Backoff, func(attempt int) error {
		c, err := p.get(ctx, want)
		if err != nil {
			return err
		}
		err = op(c, attempt)
		p.Put(c, err)
		return err
	}, func(err error, wait time.Duration) {
		retries++
		p.retries.Add(1)
		p.notify("%s: %s; retrying in %s", name, oneLine(err), wait)
	})
	return retries, err
}

func (p *Pool) notify(format string, args ...any) {
	if p.opt.Notify != nil {
		p.opt.Notify(fmt.Sprintf(format, args...))
	}
}

// refusedMore reports a failure to connect or log in that servers give
// when they take no more connections: 421 at greeting or login (vsftpd,
// pure-ftpd: "too many users"), 530 saying so (proftpd: "the maximum
// number of clients"), or a connection refused or closed at once.
func refusedMore(err error) bool {
	var re *client.ReplyError
	if errors.As(err, &re) {
		if re.Code == 421 {
			return true
		}
		msg := strings.ToLower(re.Msg)
		return re.Code/100 == 5 && (strings.Contains(msg, "too many") || strings.Contains(msg, "maximum") ||
			strings.Contains(msg, "limit") || strings.Contains(msg, "max "))
	}
	return errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
}

// oneLine returns the first line of an error's message.
func oneLine(err error) string {
	s, _, _ := strings.Cut(err.Error(), "\n")
	return s
}
