package client

import (
	"context"
	"errors"
	"strings"
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
// listing already.
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

// modTimesBatch is ModTimes for paths already checked, in one write.
func (c *Conn) modTimesBatch(ctx context.Context, paths []string) (times []time.Time, errs []error, err error) {
	if _, err := c.begin(ctx, "MDTM", ""); err != nil {
		return nil, nil, err
	}
	times, errs = make([]time.Time, len(paths)), make([]error, len(paths))
	var lines []string
	var sent []int // the index in paths of each line
	for i, p := range paths {
		w, err := c.wire("MDTM", p)
		switch {
		case errors.Is(err, ErrNotInCharset):
			errs[i] = err
			continue
		case err != nil:
			return nil, nil, err
		}
		lines = append(lines, "MDTM "+w)
		sent = append(sent, i)
	}
	if len(lines) == 0 {
		return times, errs, nil
	}
	if err := c.sendLines(ctx, lines); err != nil {
		return nil, nil, err
	}
	for _, i := range sent {
		reply, err := c.readFinal(ctx, "MDTM")
		if err != nil {
			if c.Err() == nil {
				// A cancelled wait: the replies still due would answer
				// the next commands.
				c.fail(&Error{Kind: KindConnection, Op: "MDTM", Err: errors.New("connection dropped: pipelined replies cut short")})
			}
			return nil, nil, err
		}
		if err := c.Err(); err != nil {
			return nil, nil, err // a 421: the server is closing
		}
		if reply.Code != 213 {
			errs[i] = c.replyError("MDTM "+paths[i], reply)
			if refusalOf(errs[i]) == refusedCmd {
				c.refuse("MDTM", errs[i])
			}
			continue
		}
		t, perr := parseTimeVal(strings.TrimSpace(reply.Msg()))
		if perr != nil {
			errs[i] = &Error{Kind: KindProtocol, Op: "MDTM", Err: perr}
			continue
		}
		times[i] = t
	}
	return times, errs, nil
}
