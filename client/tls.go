package client

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"time"
)

// newTLSConfig returns the TLS configuration for this connection's control
// and data connections. It has its own session cache, so data connections
// resume this control connection's session and no other (vsftpd's
// require_ssl_reuse; rclone issue 7234), and ServerName is always set, since
// it is the cache key and data connections go to other ports.
func (c *Conn) newTLSConfig() *tls.Config {
	var cfg *tls.Config
	if c.opts.tlsConfig != nil {
		cfg = c.opts.tlsConfig.Clone()
	} else {
		cfg = &tls.Config{}
	}
	if cfg.ServerName == "" {
		cfg.ServerName = c.host
	}
	if cfg.MinVersion == 0 {
		cfg.MinVersion = tls.VersionTLS12
	}
	cfg.ClientSessionCache = keepSessions{tls.NewLRUClientSessionCache(4)}
	return cfg
}

// keepSessions is a session cache that ignores deletions. crypto/tls
// deletes the cached session when a resuming handshake fails; a data
// connection whose handshake is cut short because the server refused the
// transfer (550) would then cost the control session's ticket, and every
// later data connection would fail on servers that require reuse (vsftpd:
// "522 session reuse required"; proftpd: 425).
type keepSessions struct{ tls.ClientSessionCache }

// Put stores cs, and ignores a nil cs (a deletion).
func (k keepSessions) Put(key string, cs *tls.ClientSessionState) {
	if cs != nil {
		k.ClientSessionCache.Put(key, cs)
	}
}

// startTLS runs the TLS handshake on the control connection, by limit
// when it is not zero.
func (c *Conn) startTLS(ctx context.Context, limit time.Time) error {
	tc := tls.Client(c.conn, c.tls)
	stop := c.deadline(ctx, c.conn, limit)
	err := tc.HandshakeContext(ctx)
	cerr := stop()
	if err != nil {
		if cerr != nil {
			return &Error{Kind: KindOther, Op: "TLS handshake", Err: cerr}
		}
		return &Error{Kind: KindTLS, Op: "TLS handshake", Err: err}
	}
	c.setConn(tc)
	st := tc.ConnectionState()
	c.tracef("TLS %s, %s, %s", tls.VersionName(st.Version), tls.CipherSuiteName(st.CipherSuite), st.CurveID)
	c.preferGroup(st.CurveID)
	return nil
}

// preferGroup makes the key exchange group the control connection agreed
// on the data connections' only one, so that their handshakes offer a key
// share the server takes. crypto/tls offers X25519MLKEM768 and X25519
// first; a server that wants P-256 (vsftpd) answers each data connection
// with a HelloRetryRequest, a round trip more. crypto/tls keeps its own
// order whatever CurvePreferences says, so the group has to be the only
// one: the server took it on this connection already. A configuration
// that names its own groups is left as it is.
func (c *Conn) preferGroup(id tls.CurveID) {
	if id == 0 || len(c.tls.CurvePreferences) > 0 || id == tls.X25519MLKEM768 {
		return
	}
	groups := []tls.CurveID{id}
	// A tls.Config must not change once used: the data connections get
	// a copy, which shares the session cache.
	cfg := c.tls.Clone()
	cfg.CurvePreferences = groups
	c.tls = cfg
}

// authTLS secures the control connection with AUTH TLS (RFC 4217 section
// 4). When the server refuses, it fails before any credential is sent; a
// 421 reply is a closing server (KindConnection), not a refusal.
func (c *Conn) authTLS(ctx context.Context) error {
	if _, err := c.exchange(ctx, 234, "AUTH", "TLS"); err != nil {
		var re *ReplyError
		if errors.As(err, &re) && re.Code != 421 {
			return &Error{Kind: KindTLS, Op: "AUTH TLS", Err: fmt.Errorf("server refused TLS: %d %s", re.Code, re.Msg)}
		}
		return err
	}
	if n := c.r.Buffered(); n > 0 {
		// Whatever follows 234 must be the TLS handshake; plain bytes
		// here would be taken as replies of the secured session
		// (CVE-2021-22947).
		return &Error{Kind: KindTLS, Op: "AUTH TLS", Err: fmt.Errorf("server sent %d unexpected bytes after 234 reply", n)}
	}
	return c.startTLS(ctx, time.Time{})
}

// protect sets up data-connection protection after login: PBSZ 0 and PROT P
// (RFC 4217 section 9), in one write (see batch.go).
func (c *Conn) protect(ctx context.Context) error {
	if c.tls == nil || c.protP {
		return nil
	}
	var p protection
	if err := c.batch(ctx, p.steps()); err != nil {
		return err
	}
	return p.end(c)
}

// protection is the outcome of PBSZ and PROT P, sent as batch steps.
type protection struct{ pbsz, prot error }

// steps returns the batch steps of PBSZ 0 and PROT P.
func (p *protection) steps() []step {
	return []step{
		{verb: "PBSZ", arg: "0", expect: 2, done: func(_ *Reply, err error) error { p.pbsz = err; return nil }},
		{verb: "PROT", arg: "P", expect: 2, chained: true, done: func(_ *Reply, err error) error { p.prot = err; return nil }},
	}
}

// end puts protection in force once both replies were read. A server that
// refuses PROT P would send data in the clear, which is an error; so is a
// refused PBSZ, whatever PROT's reply then says.
func (p *protection) end(c *Conn) error {
	switch {
	case p.pbsz != nil:
		return wrapTLSRefusal("PBSZ", p.pbsz)
	case p.prot != nil:
		return wrapTLSRefusal("PROT P", p.prot)
	}
	c.protP = true
	return nil
}

func wrapTLSRefusal(op string, err error) error {
	var re *ReplyError
	if errors.As(err, &re) && re.Code != 421 {
		return &Error{Kind: KindTLS, Op: op, Err: fmt.Errorf("server refused data protection: %d %s", re.Code, re.Msg)}
	}
	return err
}

// secureData wraps a data connection in TLS when PROT P is in force. The
// handshake runs later, in handshakeData.
func (c *Conn) secureData(nc net.Conn) net.Conn {
	if !c.protP {
		return nc
	}
	return tls.Client(nc, c.tls)
}

// handshakeData runs the TLS handshake of a data connection, bounded by
// the connect timeout.
func (c *Conn) handshakeData(ctx context.Context, nc net.Conn) error {
	tc, ok := nc.(*tls.Conn)
	if !ok {
		return nil
	}
	hctx, cancel := context.WithTimeout(ctx, c.opts.connectTimeout)
	defer cancel()
	if err := tc.HandshakeContext(hctx); err != nil {
		return &Error{Kind: KindTLS, Op: "data connection TLS handshake", Err: err}
	}
	st := tc.ConnectionState()
	c.tracef("data connection TLS %s, resumed=%t, retried=%t", tls.VersionName(st.Version), st.DidResume, st.HelloRetryRequest)
	return nil
}

// isTLSAlert reports whether err is a TLS alert from the server. Under TLS
// 1.3 the server checks the client's certificate after the client's side
// of the handshake is over, so a server that demands one and got none
// (alert "certificate required") or refuses it shows it on the first
// read: that is a TLS failure, not a broken connection.
func isTLSAlert(err error) bool {
	var oe *net.OpError
	// crypto/tls reports a received alert as a *net.OpError with this Op.
	return errors.As(err, &oe) && oe.Op == "remote error"
}
