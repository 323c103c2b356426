package client

import (
	"context"
	"errors"
	"strings"
)

// Batches. Commands whose outcome does not decide what is sent next
// (FEAT, OPTS UTF8 and TYPE after login; RNFR and RNTO) go to the server in
// one write, and their replies are read strictly in order, each matched to
// its command: a round trip for the lot instead of one each. A server
// handles commands one after another, so it answers them as if they had
// come one at a time; a command that fails does not stop the ones after
// it, whose replies are read all the same (RNTO after a refused RNFR gets
// 503, "bad sequence"). WithPipelining(false) sends them one at a time.

// step is one command of a batch and what to do with its reply.
type step struct {
	verb, arg string
	// expect is the code class of success, as for exchange.
	expect int
	// done is given the command's final reply and, when the reply is not
	// in the class of expect, its error (a *ReplyError). What it returns
	// is the step's error; a nil done makes the reply's error the step's.
	done func(reply *Reply, err error) error
	// chained steps are sent in lockstep only when the step before them
	// succeeded (as RNTO after RNFR); in a batch they go all the same.
	chained bool
}

// lockstep reports whether every command waits for the reply to the one
// before it: with WithPipelining(false), and with servers that do not
// answer commands in order. aioftp runs each command as a task of its own
// and answers in the order they finish (a FEAT it lacks is refused before
// the PASS sent ahead of it is answered, an RNTO before its RNFR is
// done): it is known by its greeting, "220 welcome", and so are the
// servers lftp sends one command at a time (its ftp:auto-sync-mode). A
// server that refuses FEAT (aioftp does) predates most clients that
// pipeline, and gets lockstep from then on too.
func (c *Conn) lockstep() bool {
	return c.opts.lockstep || c.Refused("FEAT") || c.greeting != nil && serialGreeting(c.greeting.Msg())
}

// serialGreeting reports a greeting of a server known to need one command
// at a time (see lockstep).
func serialGreeting(text string) bool {
	if strings.EqualFold(strings.TrimSpace(text), "welcome") {
		return true // aioftp
	}
	for _, name := range []string{"Microsoft FTP Service", "MadGoat", "MikroTik"} {
		if strings.Contains(text, name) {
			return true
		}
	}
	return false
}

// batch sends the commands of steps in one write (one at a time in
// lockstep) and reads their replies in order, handing each to its step.
// Every reply is read, whatever the ones before it said, so that the
// connection stays in step. It returns the first step's error, or the
// error that left the connection unusable; nothing is sent when an
// argument cannot be (CR, LF, a charset that lacks a character). When ctx
// ends before the last reply, the connection is dropped: the replies still
// to come would be taken for those of the next commands.
func (c *Conn) batch(ctx context.Context, steps []step) error {
	lines := make([]string, len(steps))
	for i, s := range steps {
		line, err := c.begin(ctx, s.verb, s.arg)
		if err != nil {
			return err
		}
		lines[i] = line
	}
	// In lockstep each line goes after the reply to the one before, and a
	// chained step is not sent after a failed one.
	pipelined := !c.lockstep()
	if pipelined {
		if err := c.sendLines(ctx, lines); err != nil {
			return err
		}
	}
	var first error
	failed := false
	for i, s := range steps {
		if !pipelined {
			if s.chained && failed {
				continue
			}
			if err := c.send(ctx, lines[i]); err != nil {
				return err
			}
		}
		var err error
		failed, err = c.stepReply(ctx, s)
		switch {
		case err == nil:
		case c.pending && pipelined && i < len(steps)-1:
			// Cancelled with more than one reply to come: the pending
			// mechanism reads only one.
			return c.fail(&Error{Kind: KindConnection, Op: s.verb, Err: errors.New("connection dropped: a batch of commands was cancelled before its replies came")})
		case c.pending:
			return err
		case c.Err() != nil:
			// What broke the connection (a 421 reply, say) tells more
			// than the failed reads after it.
			return firstErr(first, c.Err())
		default:
			first = firstErr(first, err)
		}
	}
	if err := c.Err(); err != nil {
		// A 421 that a step's done let pass.
		return firstErr(first, err)
	}
	return first
}

// stepReply reads the final reply to step s, which was sent, and hands it
// to s.done; failed reports a reply not in the class of s.expect, or none.
func (c *Conn) stepReply(ctx context.Context, s step) (failed bool, err error) {
	reply, err := c.readFinal(ctx, s.verb)
	if err != nil {
		return true, err
	}
	var rerr error
	if !codeMatches(reply.Code, s.expect) {
		rerr = c.replyError(maskedLine(commandLine(s.verb, s.arg)), reply)
	}
	if s.done == nil {
		return rerr != nil, rerr
	}
	return rerr != nil, s.done(reply, rerr)
}

// firstErr returns first when it is set, else err.
func firstErr(first, err error) error {
	if first != nil {
		return first
	}
	return err
}
