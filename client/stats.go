package client

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// MaxStats is the most queries Stats takes in one call.
const MaxStats = MaxModTimes

// StatQuery asks Stats about one path: its size (SIZE), its modification
// time (MDTM), or both.
type StatQuery struct {
	Path          string
	Size, ModTime bool
}

// FileStat is what SIZE and MDTM told about one path. Size is -1 and
// ModTime zero when not asked or not told. SizeErr and TimeErr hold the
// failure of each command asked: the server's reply as a *ReplyError, a
// protocol error for a reply that holds no size or time, the recorded
// refusal of a command the server does not take (not sent), or the
// ErrNotInCharset of a path the server's charset cannot carry (not sent).
type FileStat struct {
	Size             int64
	ModTime          time.Time
	SizeErr, TimeErr error
}

// Stats issues SIZE and MDTM (RFC 3659 sections 4 and 3) as the queries
// ask, all in one write, and reads the replies in order, as lftp does:
// one round trip for the files of a job instead of one or two a file. A
// path with CR, LF or NUL is not sent: its errors say why. err is set
// when the exchange as a whole failed: more than MaxStats queries, or a
// broken connection. A context that ends while replies are still due
// leaves the connection unusable, since its replies would come out of
// step.
//
// A command the server refused (see Refusals) is not sent: where the
// server offers MLST, an MLST of the path stands in for it, in the same
// write, as Size and ModTime fall back to it. Where FEAT does not list
// SIZE or MDTM, the first query's is asked alone first, so that a server
// without it refuses it once, not once a path. Stats does not read the
// folder's listing, as Size does for a server without SIZE and MLST.
// Without WithPipelining, each command waits for the reply to the one
// before.
func (c *Conn) Stats(ctx context.Context, qs []StatQuery) ([]FileStat, error) {
	if len(qs) > MaxStats {
		return nil, &Error{Kind: KindOther, Op: "SIZE", Err: errors.New("too many paths in one call")}
	}
	if err := c.ready(); err != nil {
		return nil, err
	}
	out := make([]FileStat, len(qs))
	done := make([][2]bool, len(qs)) // SIZE, MDTM answered already
	var good []int                   // the queries whose path may be sent
	for i, q := range qs {
		out[i].Size = -1
		if err := checkArg(q.Path); err != nil {
			b := batchCmd{arg: q.Path, size: q.Size, time: q.ModTime}
			out[i].fail(b, &Error{Kind: KindOther, Op: "SIZE", Err: err})
			continue
		}
		good = append(good, i)
	}
	for k, verb := range []string{"SIZE", "MDTM"} {
		var first = -1
		for _, i := range good {
			if k == 0 && qs[i].Size || k == 1 && qs[i].ModTime {
				first = i
				break
			}
		}
		if first < 0 || c.listed(verb) || c.Refused(verb) {
			continue
		}
		// Ask the first alone: a server without the command refuses it
		// once.
		b := batchCmd{verb: verb, arg: qs[first].Path, i: first, want: 213, size: k == 0, time: k == 1}
		reply, err := c.exchange(ctx, 213, verb, b.arg)
		switch {
		case c.Err() != nil || ctx.Err() != nil:
			return nil, err
		case refusalOf(err) == refusedCmd:
			c.refuse(verb, err)
		default:
			out[first].apply(b, reply, err)
			done[first][k] = true
		}
	}
	mlst := c.Offers("MLST")
	var cmds []batchCmd
	for _, i := range good {
		q := qs[i]
		alt := batchCmd{verb: "MLST", arg: q.Path, i: i, want: 250}
		for k, verb := range []string{"SIZE", "MDTM"} {
			if !(k == 0 && q.Size || k == 1 && q.ModTime) || done[i][k] {
				continue
			}
			b := batchCmd{verb: verb, arg: q.Path, i: i, want: 213, size: k == 0, time: k == 1}
			switch why := c.Refusals().Refusal(verb); {
			case why == nil:
				cmds = append(cmds, b)
			case mlst:
				alt.size, alt.time = alt.size || b.size, alt.time || b.time
			default:
				out[i].fail(b, why)
			}
		}
		if alt.size || alt.time {
			cmds = append(cmds, alt)
		}
	}
	replies, errs, err := c.askEach(ctx, cmds)
	if err != nil {
		return nil, err
	}
	for j, b := range cmds {
		if refusalOf(errs[j]) == refusedCmd {
			c.refuse(b.verb, errs[j])
		}
		out[b.i].apply(b, replies[j], errs[j])
	}
	return out, nil
}

// apply records the reply (or err) to b, a SIZE, MDTM or MLST.
func (s *FileStat) apply(b batchCmd, reply *Reply, err error) {
	if err != nil {
		s.fail(b, err)
		return
	}
	text := strings.TrimSpace(reply.Msg())
	switch b.verb {
	case "SIZE":
		n, perr := strconv.ParseInt(text, 10, 64)
		if perr != nil || n < 0 {
			s.SizeErr = &Error{Kind: KindProtocol, Op: "SIZE", Err: fmt.Errorf("malformed size %q", clip(text))}
			return
		}
		s.Size = n
	case "MDTM":
		t, perr := parseTimeVal(text)
		if perr != nil {
			s.TimeErr = &Error{Kind: KindProtocol, Op: "MDTM", Err: perr}
			return
		}
		s.ModTime = t
	case "MLST":
		e, err := mlstEntry(reply)
		if err != nil {
			s.fail(b, err)
			return
		}
		if b.size {
			switch {
			case e.Type != EntryFile:
				s.SizeErr = &Error{Kind: KindOther, Op: "SIZE", Err: fmt.Errorf("%q is a %s, not a plain file", b.arg, e.Type)}
			case e.Size < 0:
				s.SizeErr = &Error{Kind: KindOther, Op: "SIZE", Err: fmt.Errorf("MLST tells no size of %q", b.arg)}
			default:
				s.Size = e.Size
			}
		}
		if b.time {
			if e.Precision == TimeExact {
				s.ModTime = e.ModTime
			} else {
				s.TimeErr = &Error{Kind: KindOther, Op: "MDTM", Err: fmt.Errorf("MLST tells no time of %q", b.arg)}
			}
		}
	}
}

// fail records err as the failure of what b asks.
func (s *FileStat) fail(b batchCmd, err error) {
	if b.size {
		s.SizeErr = err
	}
	if b.time {
		s.TimeErr = err
	}
}

// batchCmd is one command of a batch: verb with arg, for item i, whose
// positive reply has the code want (213 when zero). For Stats, size and
// time say what it answers.
type batchCmd struct {
	verb, arg  string
	i          int
	want       int
	size, time bool
}

// askEach sends cmds, whose arguments were checked, in one write (or one
// after the other without pipelining) and reads a reply to each, in
// order. Each gets its reply, or the error a reply other than its want
// makes of it, or ErrNotInCharset for an argument that cannot be sent
// (nothing is sent for it). err is set when the exchange as a whole
// failed.
func (c *Conn) askEach(ctx context.Context, cmds []batchCmd) (replies []*Reply, errs []error, err error) {
	replies, errs = make([]*Reply, len(cmds)), make([]error, len(cmds))
	if len(cmds) == 0 {
		return replies, errs, nil
	}
	if _, err := c.begin(ctx, cmds[0].verb, ""); err != nil {
		return nil, nil, err
	}
	var lines []string
	var sent []int // the index in cmds of each line
	for j, b := range cmds {
		w, err := c.wire(b.verb, b.arg)
		switch {
		case errors.Is(err, ErrNotInCharset):
			errs[j] = err
			continue
		case err != nil:
			return nil, nil, err
		}
		lines = append(lines, commandLine(b.verb, w))
		sent = append(sent, j)
	}
	if c.lockstep() || len(sent) == 1 {
		for _, j := range sent {
			reply, err := c.exchange(ctx, cmds[j].code(), cmds[j].verb, cmds[j].arg)
			if c.Err() != nil || ctx.Err() != nil {
				return nil, nil, err
			}
			replies[j], errs[j] = reply, err
		}
		return replies, errs, nil
	}
	if len(lines) == 0 {
		return replies, errs, nil
	}
	// The batch ends with NOOP (PWD where NOOP was refused, see
	// syncCommand), whose reply must come last: a reply that no command asked for would otherwise
	// shift every one after it onto the wrong path.
	sync, synced := c.syncCommand(false)
	if err := c.sendLines(ctx, append(lines, sync)); err != nil {
		return nil, nil, err
	}
	for _, j := range sent {
		op := cmds[j].verb
		reply, err := c.readFinal(ctx, op)
		if err != nil {
			if c.Err() == nil {
				// A cancelled wait: the replies still due would answer
				// the next commands.
				c.fail(&Error{Kind: KindConnection, Op: op, Err: errors.New("connection dropped: pipelined replies cut short")})
			}
			return nil, nil, err
		}
		if err := c.Err(); err != nil {
			return nil, nil, err // a 421: the server is closing
		}
		replies[j] = reply
		if reply.Code != cmds[j].code() {
			errs[j] = c.replyError(commandLine(op, cmds[j].arg), reply)
		}
	}
	reply, err := c.readFinal(ctx, sync)
	switch {
	case err != nil && c.Err() == nil:
		c.fail(&Error{Kind: KindConnection, Op: sync, Err: errors.New("connection dropped: pipelined replies cut short")})
		return nil, nil, err
	case err != nil:
		return nil, nil, err
	case sync == "NOOP" && (reply.Code == 500 || reply.Code == 502):
		// A server without NOOP (RFC 959 requires it): no MDTM, SIZE or
		// MLST answers 500 or 502 to a path while answering the others,
		// so this is NOOP's refusal, in step. PWD ends the next batch.
		c.refuse("NOOP", c.replyError("NOOP", reply))
	case reply.Code != synced:
		return nil, nil, c.fail(&Error{Kind: KindProtocol, Op: cmds[0].verb, Err: fmt.Errorf("connection dropped: the server sent a reply no command asked for (%d %s where %s's %d was due), so the replies of %d commands cannot be matched to them", reply.Code, clip(reply.Msg()), sync, synced, len(sent))})
	}
	return replies, errs, nil
}

// code returns the code of b's positive reply.
func (b batchCmd) code() int {
	if b.want == 0 {
		return 213
	}
	return b.want
}

// syncCommand returns the command whose reply shows that the replies
// before it were all read, and that reply's code: NOOP's 200, or PWD's
// 257 on a server that refused NOOP (aioftp), or when other replies of
// NOOPs may still come (notNoop).
func (c *Conn) syncCommand(notNoop bool) (verb string, code int) {
	if c.Refused("NOOP") || notNoop {
		return "PWD", 257
	}
	return "NOOP", 200
}
