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
// broken connection. A context that ends while replies are still due leaves the
// connection unusable, since its replies would come out of step.
//
// A command the server refused (see Refusals) is not sent. Where FEAT does
// not list SIZE or MDTM, the first query's is asked alone first, so that a
// server without it refuses it once, not once a path. Stats does not fall
// back, as Size and ModTime do, to MLST or the folder's listing. Without
// WithPipelining, each command waits for the reply to the one before.
func (c *Conn) Stats(ctx context.Context, qs []StatQuery) ([]FileStat, error) {
	if len(qs) > MaxStats {
		return nil, &Error{Kind: KindOther, Op: "SIZE", Err: errors.New("too many paths in one call")}
	}
	if err := c.ready(); err != nil {
		return nil, err
	}
	out := make([]FileStat, len(qs))
	for i := range out {
		out[i].Size = -1
	}
	var cmds []batchCmd
	for _, verb := range []string{"SIZE", "MDTM"} {
		var idx []int
		for i, q := range qs {
			if verb == "SIZE" && q.Size || verb == "MDTM" && q.ModTime {
				if err := checkArg(q.Path); err != nil {
					out[i].set(verb, nil, &Error{Kind: KindOther, Op: verb, Err: err})
					continue
				}
				idx = append(idx, i)
			}
		}
		if len(idx) == 0 {
			continue
		}
		if err := c.Refusals().Refusal(verb); err != nil {
			for _, i := range idx {
				out[i].set(verb, nil, err)
			}
			continue
		}
		if !c.listed(verb) {
			// Ask the first alone: a server without the command refuses
			// it once.
			reply, err := c.exchange(ctx, 213, verb, qs[idx[0]].Path)
			switch {
			case c.Err() != nil || ctx.Err() != nil:
				return nil, err
			case refusalOf(err) == refusedCmd:
				c.refuse(verb, err)
				for _, i := range idx {
					out[i].set(verb, nil, err)
				}
				continue
			}
			out[idx[0]].set(verb, reply, err)
			idx = idx[1:]
		}
		for _, i := range idx {
			cmds = append(cmds, batchCmd{verb: verb, arg: qs[i].Path, i: i})
		}
	}
	replies, errs, err := c.batch(ctx, cmds)
	if err != nil {
		return nil, err
	}
	for j, b := range cmds {
		out[b.i].set(b.verb, replies[j], errs[j])
		if refusalOf(errs[j]) == refusedCmd {
			c.refuse(b.verb, errs[j])
		}
	}
	return out, nil
}

// set records the reply (or err) to verb, SIZE or MDTM.
func (s *FileStat) set(verb string, reply *Reply, err error) {
	if err == nil {
		text := strings.TrimSpace(reply.Msg())
		if verb == "SIZE" {
			n, perr := strconv.ParseInt(text, 10, 64)
			if perr != nil || n < 0 {
				err = &Error{Kind: KindProtocol, Op: "SIZE", Err: fmt.Errorf("malformed size %q", clip(text))}
			} else {
				s.Size = n
			}
		} else {
			t, perr := parseTimeVal(text)
			if perr != nil {
				err = &Error{Kind: KindProtocol, Op: "MDTM", Err: perr}
			} else {
				s.ModTime = t
			}
		}
	}
	if verb == "SIZE" {
		s.SizeErr = err
	} else {
		s.TimeErr = err
	}
}

// batchCmd is one command of a batch: verb with arg, for item i.
type batchCmd struct {
	verb, arg string
	i         int
}

// batch sends cmds, whose arguments were checked, in one write (or one
// after the other without pipelining) and reads a reply to each, in
// order. Each gets its reply, or the error a reply other than 213 makes of
// it, or ErrNotInCharset for an argument that cannot be sent (nothing is
// sent for it). err is set when the exchange as a whole failed.
func (c *Conn) batch(ctx context.Context, cmds []batchCmd) (replies []*Reply, errs []error, err error) {
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
	if !c.opts.pipeline {
		for _, j := range sent {
			reply, err := c.exchange(ctx, 213, cmds[j].verb, cmds[j].arg)
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
	if err := c.sendLines(ctx, lines); err != nil {
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
		if reply.Code != 213 {
			errs[j] = c.replyError(commandLine(op, cmds[j].arg), reply)
		}
	}
	return replies, errs, nil
}
