package client

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// Login logs in with USER and PASS, and ACCT when the server asks for an
// account (332, after USER or PASS) and one was given with WithAccount. A
// refused login is an *Error of KindAuth. With TLS, Login then sets up
// data protection (PBSZ 0, PROT P).
//
// After a 230 greeting (a server that logs clients in on connection) Login
// still sends USER: a 230 reply ends the login, and so does 503 (the
// "already logged in" of some servers).
func (c *Conn) Login(ctx context.Context, user, password string) error {
	_, err := c.login(ctx, user, password, nil)
	return err
}

// login runs the login sequence of Login. When USER's reply asks for the
// password and pass is set, pass sends it instead of a PASS of its own
// (see LoginSetup); done, from pass, reports a login completed, protected
// and set up, and otherwise an account (332) is sent next.
func (c *Conn) login(ctx context.Context, user, password string, pass func(context.Context) (done bool, err error)) (done bool, err error) {
	code, err := c.loginStep(ctx, "USER", user)
	if err == nil && code == 332 {
		code, err = c.sendAccount(ctx)
	}
	switch {
	case err != nil || code != 331:
	case pass != nil:
		if done, err = pass(ctx); err != nil || done {
			return done, err
		}
		code, err = c.sendAccount(ctx)
	default:
		if code, err = c.loginStep(ctx, "PASS", password); err == nil && code == 332 {
			code, err = c.sendAccount(ctx)
		}
	}
	if err != nil {
		return false, err
	}
	if code/100 != 2 {
		return false, &Error{Kind: KindAuth, Op: "login", Err: fmt.Errorf("unexpected reply %d in the login sequence", code)}
	}
	return false, c.protect(ctx)
}

// loginStep issues one login command and returns the reply code: 2yz,
// 331 (password needed) or 332 (account needed). Other replies are errors
// of KindAuth (but 421 stays KindConnection).
func (c *Conn) loginStep(ctx context.Context, verb, arg string) (int, error) {
	reply, err := c.exchange(ctx, 2, verb, arg)
	switch {
	case reply != nil && (reply.Code == 331 || reply.Code == 332):
		return reply.Code, nil
	case reply != nil && reply.Code == 503 && verb == "USER" && c.preauth:
		c.tracef("already logged in by the greeting")
		return 230, nil
	case err != nil:
		return 0, authErr(err)
	}
	return reply.Code, nil
}

// sendAccount answers a 332 reply with the account from WithAccount.
func (c *Conn) sendAccount(ctx context.Context) (int, error) {
	if c.opts.account == "" {
		return 0, &Error{Kind: KindAuth, Op: "login", Err: errors.New("server asks for an account (ACCT) and none was given")}
	}
	return c.loginStep(ctx, "ACCT", c.opts.account)
}

// Anonymous logs in as "anonymous" with the customary e-mail-like password.
func (c *Conn) Anonymous(ctx context.Context) error {
	return c.Login(ctx, "anonymous", "anonymous@")
}

// authErr classifies a negative reply to a login command: 530 and other
// permanent refusals are KindAuth, 421 a lost connection.
func authErr(err error) error {
	var re *ReplyError
	if errors.As(err, &re) && re.Code != 421 {
		return &Error{Kind: KindAuth, Op: "login", Err: err}
	}
	return err
}

// User issues a USER command. It reports whether the server wants a
// password next (331); false means the login is complete (230), and with
// TLS User then sets up data protection (PBSZ 0, PROT P), as Login does. A
// server that asks for an account first (332) gives an error of KindAuth:
// Login handles that case.
func (c *Conn) User(ctx context.Context, name string) (needPass bool, err error) {
	reply, err := c.exchange(ctx, 2, "USER", name)
	if reply != nil && reply.Code == 331 {
		return true, nil
	}
	if reply != nil && reply.Code == 332 {
		return false, authErr(&ReplyError{Cmd: "USER " + name, Code: 332, Msg: "server asks for an account before the password (use Login): " + reply.Msg()})
	}
	if err != nil {
		return false, authErr(err)
	}
	return false, c.protect(ctx)
}

// Pass issues a PASS command. It reports whether the server wants an
// account next (332); otherwise the login is complete, and with TLS Pass
// then sets up data protection (PBSZ 0, PROT P), as Login does.
func (c *Conn) Pass(ctx context.Context, password string) (needAcct bool, err error) {
	reply, err := c.exchange(ctx, 2, "PASS", password)
	if reply != nil && reply.Code == 332 {
		return true, nil
	}
	if err != nil {
		return false, authErr(err)
	}
	return false, c.protect(ctx)
}

// Acct issues an ACCT command. With TLS, a completed login then sets up
// data protection (PBSZ 0, PROT P), as Login does.
func (c *Conn) Acct(ctx context.Context, account string) error {
	if _, err := c.exchange(ctx, 2, "ACCT", account); err != nil {
		return authErr(err)
	}
	return c.protect(ctx)
}

// Features issues a FEAT command (RFC 2389) and returns the features by
// upper-case name, with their parameters. A server without FEAT (a 5yz
// reply) has no features, and nothing is known of its extensions (see
// Offers); FEAT is then not sent again on connections that share the
// Refusals. The result is cached for the session.
func (c *Conn) Features(ctx context.Context) (map[string]string, error) {
	if c.features != nil {
		return c.features, nil
	}
	feats := map[string]string{}
	if c.Refused("FEAT") {
		c.features, c.featRefused = feats, true
		return feats, nil
	}
	reply, err := c.exchange(ctx, 211, "FEAT", "")
	if err := c.takeFeatures(reply, err); err != nil {
		return nil, err
	}
	return c.features, nil
}

// takeFeatures records the features of FEAT's reply, or the refusal err
// (see Features); it returns err when it is no refusal.
func (c *Conn) takeFeatures(reply *Reply, err error) error {
	feats := map[string]string{}
	if err != nil {
		if !refused(err) || c.Err() != nil {
			return err
		}
		c.refuse("FEAT", err)
		c.features, c.featRefused = feats, true
		return nil
	}
	if len(reply.Lines) > 1 {
		for _, line := range reply.Lines[1 : len(reply.Lines)-1] {
			line = strings.TrimSpace(line)
			if line == "" {
				continue
			}
			name, params, _ := strings.Cut(line, " ")
			feats[strings.ToUpper(name)] = params
		}
	}
	c.features = feats
	return nil
}

// HasFeature reports whether the server listed name in its FEAT reply
// and has not refused it since (see Refusals). It is false until Features
// has been called.
func (c *Conn) HasFeature(name string) bool {
	return c.listed(name) && !c.Refused(name)
}

// OptsUTF8 issues "OPTS UTF8 ON" (or OFF), which some servers need before
// they use UTF-8 path names (RFC 2640).
func (c *Conn) OptsUTF8(ctx context.Context, on bool) error {
	arg := "UTF8 OFF"
	if on {
		arg = "UTF8 ON"
	}
	_, err := c.exchange(ctx, 2, "OPTS", arg)
	return err
}

// TransferType is a representation type for the TYPE command.
type TransferType string

const (
	// TypeBinary transfers bytes as they are ("TYPE I").
	TypeBinary TransferType = "I"
	// TypeASCII converts line endings ("TYPE A").
	TypeASCII TransferType = "A"
)

// Type issues a TYPE command; CurrentType then returns t.
func (c *Conn) Type(ctx context.Context, t TransferType) error {
	_, err := c.exchange(ctx, 2, "TYPE", string(t))
	if err == nil {
		c.curType = typeOf(string(t))
	}
	return err
}

// Pwd issues a PWD command and returns the current folder.
func (c *Conn) Pwd(ctx context.Context) (string, error) {
	reply, err := c.exchange(ctx, 257, "PWD", "")
	if err != nil {
		return "", err
	}
	dir, ok := parse257(reply.Lines[0])
	if !ok {
		return "", &Error{Kind: KindProtocol, Op: "PWD", Err: fmt.Errorf("no quoted path in reply %q", clip(reply.Lines[0]))}
	}
	return dir, nil
}

// parse257 reads the quoted path of a 257 reply; a quote inside the path
// is doubled (RFC 959 appendix II).
func parse257(text string) (string, bool) {
	i := strings.IndexByte(text, '"')
	if i < 0 {
		return "", false
	}
	var b strings.Builder
	for j := i + 1; j < len(text); j++ {
		if text[j] != '"' {
			b.WriteByte(text[j])
			continue
		}
		if j+1 < len(text) && text[j+1] == '"' {
			b.WriteByte('"')
			j++
			continue
		}
		return b.String(), true
	}
	return "", false
}

// Cwd issues a CWD command.
func (c *Conn) Cwd(ctx context.Context, dir string) error {
	_, err := c.exchange(ctx, 2, "CWD", dir)
	return err
}

// Cdup issues a CDUP command.
func (c *Conn) Cdup(ctx context.Context) error {
	_, err := c.exchange(ctx, 2, "CDUP", "")
	return err
}

// Mkd issues a MKD command and returns the path of the new folder as the
// server reports it, or dir when the reply holds no path.
func (c *Conn) Mkd(ctx context.Context, dir string) (string, error) {
	reply, err := c.exchange(ctx, 2, "MKD", dir)
	if err != nil {
		return "", err
	}
	if p, ok := parse257(reply.Lines[0]); ok && reply.Code == 257 {
		return p, nil
	}
	return dir, nil
}

// Rmd issues a RMD command.
func (c *Conn) Rmd(ctx context.Context, dir string) error {
	_, err := c.exchange(ctx, 2, "RMD", dir)
	return err
}

// Dele issues a DELE command.
func (c *Conn) Dele(ctx context.Context, path string) error {
	_, err := c.exchange(ctx, 2, "DELE", path)
	return err
}

// Rename issues RNFR from and RNTO to, in one write (see batch.go). When
// the server refuses RNFR, its refusal is the error, and the reply to
// RNTO (503, "bad sequence") is read and dropped; otherwise RNTO's reply
// tells.
func (c *Conn) Rename(ctx context.Context, from, to string) error {
	var fromErr, toErr error
	err := c.batch(ctx, []step{
		{verb: "RNFR", arg: from, expect: 350, done: func(_ *Reply, err error) error { fromErr = err; return nil }},
		{verb: "RNTO", arg: to, expect: 2, chained: true, done: func(_ *Reply, err error) error { toErr = err; return nil }},
	})
	switch {
	case err != nil:
		return err
	case fromErr != nil:
		return fromErr
	}
	return toErr
}

// Chmod issues "SITE CHMOD mode path" with the mode in octal.
func (c *Conn) Chmod(ctx context.Context, path string, mode os.FileMode) error {
	_, err := c.exchange(ctx, 2, "SITE", fmt.Sprintf("CHMOD %o %s", mode&07777, path))
	return err
}

// Site issues a SITE command with the given argument and returns the
// reply text.
func (c *Conn) Site(ctx context.Context, arg string) (string, error) {
	reply, err := c.exchange(ctx, 2, "SITE", arg)
	if err != nil {
		return "", err
	}
	return reply.Msg(), nil
}

// Size issues a SIZE command (RFC 3659 section 4). The size is that of
// the current transfer type; use binary for file sizes.
//
// When the server refuses SIZE (see Refusals), the size comes from MLST
// where the server offers it, and otherwise from the entry of path in its
// folder's listing (see Lookup); a path that is not a plain file there is
// an error, and one the listing does not hold is an error that matches
// ErrNotListed.
func (c *Conn) Size(ctx context.Context, path string) (int64, error) {
	return c.sizeOrFallback(ctx, path)
}

// size issues a SIZE command.
func (c *Conn) size(ctx context.Context, path string) (int64, error) {
	reply, err := c.exchange(ctx, 213, "SIZE", path)
	if err != nil {
		return 0, err
	}
	return sizeOf(reply)
}

// sizeOf reads the size in a 213 reply to SIZE.
func sizeOf(reply *Reply) (int64, error) {
	n, perr := strconv.ParseInt(strings.TrimSpace(reply.Msg()), 10, 64)
	if perr != nil || n < 0 {
		return 0, &Error{Kind: KindProtocol, Op: "SIZE", Err: fmt.Errorf("malformed size %q", clip(reply.Msg()))}
	}
	return n, nil
}

// ModTime issues an MDTM command (RFC 3659 section 3) and returns the
// modification time in UTC.
//
// When the server refuses MDTM (see Refusals), the time comes from MLST
// where the server offers it; otherwise it is unknown, and the error
// carries the server's refusal. (A listing tells the time only to the
// minute or the day, in an unknown zone: Lookup returns it, with its
// precision.)
func (c *Conn) ModTime(ctx context.Context, path string) (time.Time, error) {
	return c.modTimeOrFallback(ctx, path)
}

// mdtm issues an MDTM command.
func (c *Conn) mdtm(ctx context.Context, path string) (time.Time, error) {
	reply, err := c.exchange(ctx, 213, "MDTM", path)
	if err != nil {
		return time.Time{}, err
	}
	t, perr := parseTimeVal(strings.TrimSpace(reply.Msg()))
	if perr != nil {
		return time.Time{}, &Error{Kind: KindProtocol, Op: "MDTM", Err: perr}
	}
	return t, nil
}

// SetModTime issues an MFMT command (draft-somers-ftp-mfxx) to set the
// modification time of path.
func (c *Conn) SetModTime(ctx context.Context, path string, t time.Time) error {
	_, err := c.exchange(ctx, 213, "MFMT", t.UTC().Format("20060102150405")+" "+path)
	return err
}

// parseTimeVal parses an RFC 3659 time-val: YYYYMMDDHHMMSS[.sss], UTC.
func parseTimeVal(s string) (time.Time, error) {
	main, frac, _ := strings.Cut(s, ".")
	if len(main) != 14 {
		return time.Time{}, fmt.Errorf("malformed time %q", clip(s))
	}
	t, err := time.ParseInLocation("20060102150405", main, time.UTC)
	if err != nil {
		return time.Time{}, fmt.Errorf("malformed time %q", clip(s))
	}
	if !fileYear(t.Year()) {
		return time.Time{}, fmt.Errorf("time %q out of range", clip(s))
	}
	if frac != "" {
		if len(frac) > 9 {
			frac = frac[:9]
		}
		ns, err := strconv.Atoi(frac + strings.Repeat("0", 9-len(frac)))
		if err != nil {
			return time.Time{}, fmt.Errorf("malformed time %q", clip(s))
		}
		t = t.Add(time.Duration(ns))
	}
	return t, nil
}

// Stat issues a STAT command. With a path, most servers list it over the
// control connection; without, they describe the session.
func (c *Conn) Stat(ctx context.Context, path string) (string, error) {
	reply, err := c.exchange(ctx, 21, "STAT", path)
	if err != nil {
		return "", err
	}
	return reply.Msg(), nil
}

// Syst issues a SYST command and returns the system type.
func (c *Conn) Syst(ctx context.Context) (string, error) {
	reply, err := c.exchange(ctx, 215, "SYST", "")
	if err != nil {
		return "", err
	}
	return reply.Msg(), nil
}

// Noop issues a NOOP command; it checks that the connection is alive. A
// server that refuses NOOP (aioftp: 502) answered all the same: the
// refusal is recorded (see Refusals), and from then on Noop asks PWD.
func (c *Conn) Noop(ctx context.Context) error {
	if c.Refused("NOOP") {
		_, err := c.exchange(ctx, 257, "PWD", "")
		return err
	}
	_, err := c.exchange(ctx, 2, "NOOP", "")
	if err != nil && c.Err() == nil && refusalOf(err) == refusedCmd {
		c.refuse("NOOP", err)
		return nil
	}
	return err
}

// Quit issues a QUIT command and closes the connection without waiting
// for the reply: nothing in it matters once the session is over, and a
// server that does not answer must not hold the caller. The write has a
// short deadline (quitWait, and ctx's). The connection is closed even when
// QUIT cannot be sent, and also during a transfer, which is then cut. With
// a download sent ahead (see RetrNext) nothing is sent: the server would
// start that transfer before it read QUIT.
func (c *Conn) Quit(ctx context.Context) error {
	defer c.Close()
	if c.Err() != nil || c.busy || c.ahead != nil || ctx.Err() != nil {
		return nil
	}
	_, cerr, err := c.write(ctx, time.Now().Add(quitWait), "QUIT")
	if err != nil && cerr == nil {
		return &Error{Kind: KindConnection, Op: "QUIT", Err: err}
	}
	return nil
}

// quitWait bounds the write of QUIT.
const quitWait = time.Second
