package client

import (
	"context"
	"fmt"
	"slices"
)

// SetupOptions say what Setup asks of the server.
type SetupOptions struct {
	// Type is the representation type to set (TYPE); none when empty.
	Type TransferType
	// UTF8 asks for UTF-8 path names with "OPTS UTF8 ON", which some
	// servers need before they use them.
	UTF8 bool
	// Dir is a folder to enter (CWD); none when empty.
	Dir string
}

// Setup prepares a connection after login for the commands that follow:
// it reads the server's features (FEAT, unless Features has), asks for
// UTF-8 names, sets the type and enters the folder that opt names, all in
// one write (see batch.go), and then reads the replies in order. A refused
// FEAT leaves the features unknown (see Features), and a refused OPTS UTF8
// changes nothing; a refused TYPE or CWD is the error, the CWD's naming
// the folder.
//
// OPTS UTF8 ON goes in the same write as FEAT, so before the client knows
// whether the server lists UTF8: a server that does not have it refuses
// it, which changes nothing, and a server that takes it unlisted (vsftpd
// answers "Always in UTF8 mode") is asked on every connection alike, so
// that all of them see the same names.
//
// In passive mode, the same write also asks for the first transfer's data
// port (EPSV), and the data connection is made while the replies come
// (see standby.go): a listing or a transfer right after Setup then costs
// one round trip less. A server that refuses EPSV gets PASV from then on,
// as when a transfer's EPSV is refused.
func (c *Conn) Setup(ctx context.Context, opt SetupOptions) error {
	steps := c.setupSteps(opt)
	if len(steps) == 0 {
		return nil
	}
	if err := c.batch(ctx, steps); err != nil {
		return err
	}
	c.setupDone()
	return nil
}

// setupSteps returns the batch steps of Setup. TYPE comes first: it
// needs a login on every server, which passSetup relies on.
func (c *Conn) setupSteps(opt SetupOptions) []step {
	var steps []step
	if opt.Type != "" {
		steps = append(steps, step{verb: "TYPE", arg: string(opt.Type), expect: 2, done: func(_ *Reply, err error) error {
			if err == nil {
				c.curType = typeOf(string(opt.Type))
			}
			return err
		}})
	}
	if c.features == nil && !c.Refused("FEAT") {
		steps = append(steps, step{verb: "FEAT", expect: 211, done: c.takeFeatures})
	}
	if opt.UTF8 {
		// Before CWD, whose name the server then reads as UTF-8. A
		// refusal changes nothing; a 421 has dropped the connection.
		steps = append(steps, step{verb: "OPTS", arg: "UTF8 ON", expect: 2,
			done: func(*Reply, error) error { return nil }})
	}
	if opt.Dir != "" {
		steps = append(steps, step{verb: "CWD", arg: opt.Dir, expect: 2, done: func(_ *Reply, err error) error {
			if err != nil {
				return fmt.Errorf("entering %q: %w", opt.Dir, err)
			}
			return nil
		}})
	}
	if c.wantStandby() {
		steps = append(steps, c.standbyStep())
	}
	return steps
}

// setupDone ends Setup: a FEAT not asked, because a connection sharing
// Refusals saw it refused, leaves the features unknown.
func (c *Conn) setupDone() {
	if c.features == nil {
		c.features, c.featRefused = map[string]string{}, true
	}
}

// LoginSetup logs in as Login does and sets the connection up as Setup
// does, in one round trip less: the commands of Setup (and under TLS,
// PBSZ and PROT) go in the same write as PASS, once USER's reply asked for
// the password. The password is never sent before that reply: a server
// that logs in on USER, or asks for an account first, would take it for a
// command.
//
// A server answers the commands after PASS as if they had come once PASS
// was done. When PASS does not complete the login (the server asks for an
// account, 332, or refuses the password), their replies, refusals of
// commands sent before login, are read and dropped, nothing is learned
// from them; after ACCT the connection is protected and set up as by
// Login and Setup. In lockstep (WithPipelining(false)) it is Login, then
// Setup.
func (c *Conn) LoginSetup(ctx context.Context, user, password string, opt SetupOptions) error {
	var pass func(context.Context) (bool, error)
	if !c.lockstep() && opt.Type != "" {
		pass = func(ctx context.Context) (bool, error) { return c.passSetup(ctx, password, opt) }
	}
	done, err := c.login(ctx, user, password, pass)
	if err != nil || done {
		return err
	}
	return c.Setup(ctx, opt)
}

// passSetup sends PASS with the commands of protect and Setup in one write
// and reads the replies. done reports a completed login, protected and set
// up; otherwise the server asked for an account (332), and err is nil, or
// the login failed.
func (c *Conn) passSetup(ctx context.Context, password string, opt SetupOptions) (done bool, err error) {
	var passCode int
	var passErr error
	steps := []step{{verb: "PASS", arg: password, expect: 2, done: func(reply *Reply, err error) error {
		passCode, passErr = reply.Code, err
		if !passReply(reply.Code) {
			// What came first answers a command after PASS: the server
			// holds PASS's reply back (pyftpdlib delays a refusal, and
			// meanwhile answers what came with it). Nothing can be
			// matched any more.
			return c.fail(&Error{Kind: KindAuth, Op: "login", Err: fmt.Errorf("the server answered the commands sent with PASS before PASS (%d %s); the login did not complete", reply.Code, clip(reply.Msg()))})
		}
		return nil
	}}}
	var p protection
	// TYPE, first, needs a login everywhere: a server that answers the
	// commands after PASS while PASS's refusal waits (pyftpdlib) refuses
	// it, and that refusal, read as PASS's, is no success.
	after := c.setupSteps(opt)
	if c.tls != nil && !c.protP {
		after = slices.Concat(after[:1], p.steps(), after[1:])
	}
	for _, s := range after {
		// Before a login, nothing is learned from a reply.
		done := s.done
		s.chained = false
		s.done = func(reply *Reply, err error) error {
			switch {
			case passErr != nil || passCode/100 != 2:
				return nil
			case done == nil:
				return err
			}
			return done(reply, err)
		}
		steps = append(steps, s)
	}
	berr := c.batch(ctx, steps)
	if err := c.pipelinedLoginFailed(ctx, passCode, berr); err != nil {
		return false, err
	}
	switch {
	case passCode == 0 || !passReply(passCode):
		return false, berr // no reply to PASS, or none that can be told
	case passCode == 332:
		if berr != nil && c.Err() != nil {
			return false, berr
		}
		return false, nil
	case passErr != nil:
		return false, authErr(passErr)
	case passCode/100 != 2:
		return false, &Error{Kind: KindAuth, Op: "login", Err: fmt.Errorf("unexpected reply %d in the login sequence", passCode)}
	case c.tls != nil && !c.protP && c.Err() == nil:
		if err := p.end(c); err != nil {
			return false, err
		}
	}
	if berr != nil {
		return false, berr
	}
	c.setupDone()
	return true, nil
}

// passReply reports whether code can answer PASS (RFC 959 section 5.4):
// 230 or 202 (logged in), 332 (account needed), or a refusal.
func passReply(code int) bool {
	return code == 230 || code == 202 || code == 332 || code >= 400
}
