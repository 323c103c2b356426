package transfer

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/ferry-ftp/ferry/client"
)

// FXP: the servers send the file to each other (see client.Relay). One is
// put in passive mode and the other told its address with PORT; then the
// destination is sent STOR and the source RETR, and ferry waits for both
// final replies, watching the destination's file grow (SIZE on a second
// connection) to show progress and to give up on a transfer that stalls.
//
// The order lftp tries first (ftp:fxp-passive-source off) comes first
// here too: the destination passive, the source connecting to it. When a
// server refuses (PASV or PORT answered 5yz, or the transfer answered 425,
// 426 or 5yz before any byte arrived), the other order is tried, and when
// that is refused too the copy streams through ferry, which Notify is told
// once (FXPForce fails instead). What was refused is not tried again for
// the Copier's other files.
//
// A PASV address is the passive server's word, and with FXP it is what the
// other server connects to and sends the file to: a hostile server could
// name any host (a bounce, RFC 2577). It is passed on only when it is the
// address ferry reached that server at (TrustPASV lifts this), and only to
// a server for which it means the same host: a loopback or private address
// only to a server that ferry reaches at one of the same kind (see
// fxpAllowed). FXP is not tried over TLS (data protection would need SSCN
// or CPSV, which ferry does not speak), through a proxy, over IPv6 (PASV
// and PORT are IPv4), or to a destination without SIZE (the copy could be
// neither watched nor checked); a source file of unknown size streams
// (ferry then counts its bytes).

// ErrFXPRefused reports a copy that had to be made by FXP (FXPForce) when
// the servers refused it or ferry would not pass on what one of them said.
// Test with errors.Is.
var ErrFXPRefused = errors.New("FXP refused")

// fxpOrder says which server is passive.
type fxpOrder int

const (
	passiveDst fxpOrder = iota // the destination listens, the source connects
	passiveSrc                 // the source listens, the destination connects
)

// fxpPoll is how often a running FXP transfer is looked at.
const fxpPoll = time.Second

// fxpState is what a Copier knows of FXP between its two servers.
type fxpState struct {
	orders []fxpOrder // those still worth trying, the one that worked first
	off    error      // why FXP is not tried any more, once it is not
}

func (s *fxpState) init() { s.orders = []fxpOrder{passiveDst, passiveSrc} }

// fxpRefusal marks a failure that says FXP cannot work this way, as
// opposed to a transfer that failed.
type fxpRefusal struct{ err error }

func (r *fxpRefusal) Error() string { return r.err.Error() }

// tryFXP copies the source file into tmp from offset by FXP when the
// servers allow it. It reports false, with no error, when the copy is to
// stream through ferry instead.
func (j *copyJob) tryFXP(ctx context.Context, tmp string, offset int64) (bool, error) {
	cp := j.cp
	switch {
	case cp.opt.FXP == FXPNever:
		return false, nil
	case j.size < 0 && cp.opt.FXP == FXPForce:
		return false, fmt.Errorf("%w: the source does not tell the size of %s, which the copy's is checked against", ErrFXPRefused, j.srcPath)
	case j.size < 0:
		return false, nil // this file streams, and ferry counts its bytes
	}
	cp.mu.Lock()
	off, orders := cp.fxp.off, append([]fxpOrder(nil), cp.fxp.orders...)
	cp.mu.Unlock()
	if off != nil {
		return false, cp.fxpOff(off)
	}
	if why := j.cannotFXP(ctx); why != nil {
		return false, cp.fxpOff(why)
	}
	var why []error
	for _, o := range orders {
		err := j.fxp(ctx, o, tmp, offset)
		var r *fxpRefusal
		if !errors.As(err, &r) {
			if err == nil {
				cp.fxpWorked(o)
			}
			return true, err
		}
		cp.fxpRefused(o)
		why = append(why, r.err)
	}
	if len(why) == 0 { // refused for another file meanwhile
		why = append(why, errors.New("the servers refused it"))
	}
	return false, cp.fxpOff(errors.Join(why...))
}

// cannotFXP says why FXP cannot be tried between the job's connections, or
// returns nil.
func (j *copyJob) cannotFXP(ctx context.Context) error {
	for _, c := range []*client.Conn{j.sc, j.dc} {
		if _, ok := c.TLSState(); ok {
			return errors.New("FXP over TLS needs SSCN or CPSV, which ferry does not speak")
		}
		if c.Proxied() {
			return errors.New("the servers are reached through a proxy")
		}
		if c.RemoteAddr().IP.To4() == nil {
			return errors.New("PASV and PORT address IPv4 only")
		}
	}
	if !j.dc.HasFeature("SIZE") {
		return errors.New("the destination offers no SIZE, to watch and check the copy with")
	}
	if err := j.cp.watch.ready(ctx); err != nil {
		return fmt.Errorf("no second connection to the destination to watch the transfer: %w", err)
	}
	return nil
}

// fxpWorked puts the order that worked first, for the next files.
func (cp *Copier) fxpWorked(o fxpOrder) {
	cp.mu.Lock()
	defer cp.mu.Unlock()
	if len(cp.fxp.orders) == 0 || cp.fxp.orders[0] != o {
		cp.fxp.orders = []fxpOrder{o}
	}
}

// fxpRefused drops an order the servers refused.
func (cp *Copier) fxpRefused(o fxpOrder) {
	cp.mu.Lock()
	defer cp.mu.Unlock()
	for i, x := range cp.fxp.orders {
		if x == o {
			cp.fxp.orders = append(cp.fxp.orders[:i:i], cp.fxp.orders[i+1:]...)
			break
		}
	}
}

// fxpOff records that FXP is not possible, for why, and returns the
// copy's error: ErrFXPRefused with FXPForce, nil otherwise (the copy
// streams, which Notify is told once).
func (cp *Copier) fxpOff(why error) error {
	cp.mu.Lock()
	first := cp.fxp.off == nil
	if first {
		cp.fxp.off = why
	}
	cp.mu.Unlock()
	if cp.opt.FXP == FXPForce {
		return fmt.Errorf("%w: %s", ErrFXPRefused, joinLines(why))
	}
	if first && cp.opt.Notify != nil {
		cp.opt.Notify(fmt.Sprintf("FXP not possible from %s to %s (%s): copying through ferry",
			cp.src.Site().Addr, cp.dst.Site().Addr, joinLines(why)))
	}
	return nil
}

// fxp makes one FXP transfer in the order o. A refusal is an
// *fxpRefusal.
func (j *copyJob) fxp(ctx context.Context, o fxpOrder, tmp string, offset int64) error {
	pasv, port := j.dc, j.sc
	if o == passiveSrc {
		pasv, port = j.sc, j.dc
	}
	addr, err := pasv.PassiveAddr(ctx)
	if err != nil {
		return fxpRefused(pasv, err)
	}
	if err := j.cp.fxpAllowed(pasv, port, addr); err != nil {
		return &fxpRefusal{err}
	}
	if err := port.Port(ctx, addr); err != nil {
		return fxpRefused(port, err)
	}
	verb, rest := "STOR", offset
	if offset > 0 && !j.dc.HasFeature("REST") {
		verb, rest = "APPE", 0
	}
	dr, err := j.dc.StartRelay(ctx, verb, tmp, rest)
	if err != nil {
		return err
	}
	sr, err := j.sc.StartRelay(ctx, "RETR", j.srcPath, offset)
	if err != nil {
		dr.Abort()
		return err
	}
	return j.relay(ctx, sr, dr, tmp, offset)
}

// abortBoth aborts the two transfers of an FXP copy side by side, so that
// an interrupt waits at most one abort timeout, however long the servers
// take to answer ABOR (servers that send to each other may never answer
// it before the transfer ends).
func abortBoth(sr, dr *client.Relay) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		sr.Abort()
	}()
	dr.Abort()
	wg.Wait()
}

// fxpRefused returns err, the reply to PASV or PORT, as an *fxpRefusal when
// the server refused the command, and as it is when the connection broke.
func fxpRefused(c *client.Conn, err error) error {
	if c.Err() != nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	if client.ReplyCode(err) != 0 || client.KindOf(err) == client.KindProtocol {
		return &fxpRefusal{err}
	}
	return err
}

// relay waits for the two transfers of an FXP copy into tmp from offset:
// their preliminary replies, then their final ones, looking at the size
// of tmp in between. It aborts both when one fails, when ctx ends, or when
// neither reply nor data has come for the destination's idle timeout.
func (j *copyJob) relay(ctx context.Context, sr, dr *client.Relay, tmp string, offset int64) error {
	fp := progressOrDiscard(j.cp.opt.Progress).Start(j.put.display, j.size, offset)
	fail := func(err error) error {
		abortBoth(sr, dr)
		err = j.refusedAt(ctx, err, tmp, offset)
		fp.Finish(err)
		return err
	}
	if err := sr.Started(ctx); err != nil {
		return fail(err)
	}
	if err := dr.Started(ctx); err != nil {
		return fail(err)
	}
	last, moved := offset, time.Now()
	stall := j.dc.IdleTimeout()
	for !sr.Done() || !dr.Done() {
		// --noop-interval: both control connections are idle until the
		// transfer ends (Wait reads the NOOPs' replies).
		step := fxpPoll
		for _, d := range []time.Duration{sr.KeepAlive(ctx), dr.KeepAlive(ctx)} {
			if d > 0 {
				step = min(step, d)
			}
		}
		r := sr
		if sr.Done() {
			r = dr
		}
		done, err := r.Wait(ctx, step)
		if err != nil {
			return fail(err)
		}
		if done {
			continue
		}
		if n, err := j.cp.watch.size(ctx, tmp); err == nil && n > last {
			fp.Add(n - last)
			j.res.Bytes += n - last
			last, moved = n, time.Now()
		}
		if time.Since(moved) > stall {
			return fail(&client.Error{Kind: client.KindConnection, Op: "FXP",
				Err: fmt.Errorf("no data and no reply for %s (%d bytes arrived)", stall, last)})
		}
	}
	if j.size > last {
		fp.Add(j.size - last)
		j.res.Bytes += j.size - last
	}
	fp.Finish(nil)
	return nil
}

// refusedAt tells a refusal of FXP from a failed transfer, after err ended
// one: a 425 (no data connection), 426 (the connection was cut) or 500,
// 501, 502 or 504 (the command refused) before any byte reached tmp is a
// refusal (vsftpd answers "425 Security: Bad IP connecting." to a data
// connection from another host). Other refusals (550: no such file, no
// permission) concern the files, and FXP would not change them.
func (j *copyJob) refusedAt(ctx context.Context, err error, tmp string, offset int64) error {
	switch client.ReplyCode(err) {
	case 425, 426, 500, 501, 502, 504:
	default:
		return err
	}
	if ctx.Err() != nil || j.dc.Err() != nil {
		return err
	}
	n, serr := j.dc.Size(ctx, tmp)
	switch {
	case serr != nil && j.dc.Err() != nil:
		return err
	case serr == nil && n > offset:
		return err // data moved: the transfer failed, FXP works
	}
	return &fxpRefusal{err}
}

// fxpAllowed decides whether the PASV address addr, given by the server on
// from, may be passed on to the server on to (see above).
func (cp *Copier) fxpAllowed(from, to *client.Conn, addr *net.TCPAddr) error {
	peer := from.RemoteAddr().IP
	if !addr.IP.Equal(peer) && !cp.opt.TrustPASV {
		return fmt.Errorf("the server at %s named %s in its PASV reply, not its own address: passing it on could have the other server send the file elsewhere", peer, addr.IP)
	}
	kind, other := addrKind(addr.IP), addrKind(to.RemoteAddr().IP)
	switch {
	case kind == "":
		return fmt.Errorf("the PASV reply names %s, no address of a host", addr.IP)
	case kind != "global" && kind != other:
		return fmt.Errorf("the PASV reply names %s, a %s address, which the other server (at %s) would take for one of its own network", addr.IP, kind, to.RemoteAddr().IP)
	}
	return nil
}

// addrKind returns "loopback", "private" (RFC 1918, link-local) or
// "global" for a unicast address, and "" for any other.
func addrKind(ip net.IP) string {
	switch {
	case ip.IsLoopback():
		return "loopback"
	case ip.IsPrivate() || ip.IsLinkLocalUnicast():
		return "private"
	case ip.IsGlobalUnicast():
		return "global"
	}
	return ""
}

// joinLines returns the message of err, a joined error, on one line.
func joinLines(err error) string { return strings.ReplaceAll(err.Error(), "\n", "; ") }

// watcher asks the destination for the size of a file that an FXP
// transfer writes, on a connection of its own, dialed on first use and
// kept for the Copier's later files. It is safe for concurrent use.
type watcher struct {
	site Site

	mu  sync.Mutex
	c   *client.Conn
	err error // why it could not connect, once it could not
}

// ready connects when it has not, and says why it cannot.
func (w *watcher) ready(ctx context.Context) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.readyLocked(ctx)
}

func (w *watcher) readyLocked(ctx context.Context) error {
	if w.c != nil && w.c.Err() == nil {
		return nil
	}
	if w.err != nil {
		return w.err
	}
	if w.c != nil {
		w.c.Close()
		w.c = nil
	}
	c, err := Connect(ctx, w.site)
	if err != nil {
		w.err = err
		return err
	}
	w.c = c
	return nil
}

// size returns the size of name on the destination.
func (w *watcher) size(ctx context.Context, name string) (int64, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := w.readyLocked(ctx); err != nil {
		return 0, err
	}
	return w.c.Size(ctx, name)
}

// do runs f on the watcher's connection (dialed when it has not been),
// for the commands of a copy whose own connection to the destination
// broke.
func (w *watcher) do(ctx context.Context, f func(c *client.Conn)) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := w.readyLocked(ctx); err != nil {
		return err
	}
	f(w.c)
	return nil
}

// close ends the watcher's connection.
func (w *watcher) close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.c == nil {
		return nil
	}
	err := Quit(w.c)
	w.c = nil
	return err
}
