package client

import (
	"context"
	"errors"
	"time"
)

// MaxModTimes is the most paths ModTimes takes in one call.
const MaxModTimes = 64

// ModTimes issues an MDTM command (RFC 3659 section 3) for each path, all
// in one write, and reads the replies in order, as lftp does for the
// files of a folder: one round trip for all of them instead of one each.
// It returns the times and, for each path, nil or the error the server's
// reply makes of it (a *ReplyError, or a protocol error for a reply that
// holds no time), or the ErrNotInCharset of a path the server's charset
// cannot carry, which is not sent. err is set when the exchange as a whole
// failed: a path with CR, LF or NUL (nothing is sent), more than
// MaxModTimes paths, or a broken connection. A context that ends while
// replies are still due leaves the connection unusable, since its replies
// would come out of step.
//
// A server that refused MDTM (see Refusals) is not asked: each path gets
// that refusal. Where FEAT does not list MDTM, the first path is asked
// alone, so that a server without MDTM refuses it once, not once a path.
// ModTimes does not fall back, as ModTime does: its caller has the paths'
// listing already. Without WithPipelining, each MDTM waits for the reply
// to the one before.
func (c *Conn) ModTimes(ctx context.Context, paths []string) (times []time.Time, errs []error, err error) {
	if len(paths) > MaxModTimes {
		return nil, nil, &Error{Kind: KindOther, Op: "MDTM", Err: errors.New("too many paths in one call")}
	}
	for _, p := range paths {
		if err := checkArg(p); err != nil {
			return nil, nil, &Error{Kind: KindOther, Op: "MDTM", Err: err}
		}
	}
	if err := c.ready(); err != nil {
		return nil, nil, err
	}
	times, errs = make([]time.Time, len(paths)), make([]error, len(paths))
	refusedAll := func(why error) ([]time.Time, []error, error) {
		for i := range errs {
			errs[i] = why
		}
		return times, errs, nil
	}
	if why := c.Refusals().Refusal("MDTM"); why != nil {
		return refusedAll(why)
	}
	first := 0
	if !c.listed("MDTM") && len(paths) > 0 {
		t, err := c.mdtm(ctx, paths[0])
		switch {
		case c.Err() != nil || ctx.Err() != nil:
			return nil, nil, err
		case refusalOf(err) == refusedCmd:
			c.refuse("MDTM", err)
			return refusedAll(err)
		}
		times[0], errs[0], first = t, err, 1
	}
	bt, be, err := c.modTimesBatch(ctx, paths[first:])
	if err != nil {
		return nil, nil, err
	}
	copy(times[first:], bt)
	copy(errs[first:], be)
	return times, errs, nil
}

// modTimesBatch is ModTimes for paths already checked, in one write
// (see batch).
func (c *Conn) modTimesBatch(ctx context.Context, paths []string) (times []time.Time, errs []error, err error) {
	cmds := make([]batchCmd, len(paths))
	for i, p := range paths {
		cmds[i] = batchCmd{verb: "MDTM", arg: p, i: i, time: true}
	}
	replies, rerrs, err := c.askEach(ctx, cmds)
	if err != nil {
		return nil, nil, err
	}
	times, errs = make([]time.Time, len(paths)), make([]error, len(paths))
	for i := range paths {
		var st FileStat
		st.apply(cmds[i], replies[i], rerrs[i])
		times[i], errs[i] = st.ModTime, st.TimeErr
		if refusalOf(errs[i]) == refusedCmd {
			c.refuse("MDTM", errs[i])
		}
	}
	return times, errs, nil
}
