package client

import (
	"context"
	"errors"
	"fmt"
)

// ErrPipelineRefused marks a login whose commands sent with PASS (see
// LoginSetup) got no replies: the server closed the connection, answered
// 421, or let the replies' deadline pass, as servers do that throw away
// what arrives while they check the password, or that refuse commands
// sent ahead. The session's Refusals then hold it (NoPipelining), and a
// new connection sharing them sends every command after the reply to the
// one before, as WithPipelining(false) does (lftp turns its sync mode on
// the same way). Whoever dialed retries once (transfer.Connect does).
var ErrPipelineRefused = errors.New("the server did not answer the commands sent with the password")

// NoPipelining returns why the server was found not to take commands
// sent together (see ErrPipelineRefused), or nil.
func (r *Refusals) NoPipelining() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.noPipeline
}

// refusePipelining records err as the reason the session goes in
// lockstep from its next connection on.
func (r *Refusals) refusePipelining(err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.noPipeline == nil {
		r.noPipeline = err
	}
}

// lockstepAfterRefusal turns pipelining off in o when the Refusals it
// shares hold a refusal of pipelined commands.
func lockstepAfterRefusal(o *options) {
	if o.refusals != nil && o.refusals.NoPipelining() != nil {
		o.pipeline, o.lockstep = false, true
	}
}

// pipelinedLoginFailed returns the error of a pipelined login (PASS and
// the commands after it in one write, see passSetup) whose replies did not
// come, berr its batch's error, passCode the reply to PASS (0 when none
// came), or nil when the failure is not that: a refused password, a
// cancellation, a reply that came.
func (c *Conn) pipelinedLoginFailed(ctx context.Context, passCode int, berr error) error {
	if berr == nil || ctx.Err() != nil || c.Err() == nil {
		return nil
	}
	switch passCode {
	case 0, 421, 230, 202: // no reply, a closing one, logged in
	default:
		return nil
	}
	err := fmt.Errorf("%w: %w", ErrPipelineRefused, berr)
	c.Refusals().refusePipelining(err)
	c.tracef("sending one command at a time from the next connection on: %v", err)
	return &Error{Kind: KindConnection, Op: "login", Err: err}
}
