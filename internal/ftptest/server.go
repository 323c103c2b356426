// Package ftptest runs an in-process FTP server for tests.
//
// The server speaks RFC 959 with the extensions ferry uses (RFC 2228 and
// RFC 4217 TLS, RFC 2428 EPSV/EPRT, RFC 3659 SIZE/MDTM/REST/MLST/MLSD, and
// the MFMT and HASH drafts) over real sockets on the loopback interface,
// and serves a folder through os.Root. Everything it supports behaves as a
// real server would; it exists for what real servers cannot do in a test:
//
//   - record the exact command lines a client sent (Server.Commands,
//     Server.SessionCommands), the same interleaved with the replies in
//     the order they passed (Server.Transcript), and every data
//     connection (Server.DataConns);
//   - inject faults: Config.Fault421At, DropDataAfter, PASVAddress,
//     ActiveSourceIP, Greeting, and Config.Hook, which sees every command
//     and may answer it with any Reply (delayed, raw bytes, endless,
//     stalled, closing) or adjust a transfer (Transfer: final reply before
//     the data, 150 and 226 in one write, substituted data, a cut or a
//     paused data connection).
//
// A hook that answers the second EPSV with 500 and delays PWD:
//
//	n := 0
//	srv := ftptest.New(t, ftptest.Config{Hook: func(c ftptest.Command) *ftptest.Reply {
//		switch {
//		case c.Verb == "EPSV":
//			if n++; n == 2 {
//				return &ftptest.Reply{Code: 500, Text: "No."}
//			}
//		case c.Verb == "PWD":
//			return &ftptest.Reply{Delay: 2 * time.Second}
//		}
//		return nil
//	}})
//
// New registers Close with t.Cleanup; Close ends every session, delay and
// stall at once and waits for all of the server's goroutines.
package ftptest

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
)

// TLSMode says how the server offers TLS on the control connection.
type TLSMode int

const (
	// TLSNone offers no TLS: AUTH is answered 502.
	TLSNone TLSMode = iota
	// TLSExplicit accepts AUTH TLS (RFC 4217 section 4).
	TLSExplicit
	// TLSImplicit runs TLS from the first byte of every control connection.
	TLSImplicit
)

// Config configures a Server. The zero value serves an empty temporary
// folder on 127.0.0.1 to the user "user" with password "pass".
type Config struct {
	Network   string            // "tcp4" (default, listens on 127.0.0.1) or "tcp6" (::1)
	Root      string            // served folder; t.TempDir() when empty
	Users     map[string]string // user -> password; default {"user": "pass"}
	Anonymous bool              // accept "anonymous" and "ftp" with any password
	Home      string            // the login folder, absolute ("/home/u"); "/" when empty
	ListZone  *time.Location    // the zone of LIST and STAT times, as a server's local time; UTC when nil
	Account   string            // when set, PASS answers 332 and ACCT must give this value
	TLS       TLSMode
	// TLSCurves, when set, are the only key exchange groups the server
	// takes, as vsftpd takes only P-256: a client that offers others
	// first gets a HelloRetryRequest.
	TLSCurves []tls.CurveID

	// RequireTLS refuses USER before AUTH TLS (530) and transfers without
	// PROT P (521).
	RequireTLS bool
	// RequireSessionReuse refuses, like vsftpd's require_ssl_reuse=YES, a
	// data connection whose TLS session does not resume the control
	// connection's: "522 SSL connection failed: session reuse required".
	// Each session issues tickets under keys of its own, so resuming the
	// session of another control connection (a client that shares one
	// session cache across connections) is refused too.
	RequireSessionReuse bool

	// Disable lists verbs answered "502 Command not implemented." ("EPSV",
	// "PASV", "MLSD", "FEAT", "AUTH", ...). Feature names ("UTF8", "TVFS")
	// are accepted too; FEAT lists nothing that is disabled.
	Disable []string
	// DisableCode is the reply to the verbs in Disable: 500 ("Unknown
	// command."), 501, 502 (the default) or 504, as servers that lack a
	// command answer it.
	DisableCode int
	// MissingListing450 answers LIST and NLST of a path that is not there
	// as proftpd does in binary mode: 150, an empty data connection, then
	// "450 PATH: No such file or directory" (instead of 550 at once).
	MissingListing450 bool

	PASVAddress    string // IP put in 227 replies instead of the real one
	ActiveSourceIP string // local IP to bind when dialing active-mode data connections
	DropDataAfter  int64  // > 0: cut each data connection abruptly after this many bytes and reply 426
	Fault421At     int    // > 0: answer the Nth command over the server's life with 421 and close

	// Greeting replaces the "220" greeting of every session. A 230 greeting
	// logs the session in without USER/PASS.
	Greeting *Reply
	// Hook is called for each command before normal handling; a non-nil
	// reply is sent instead (see Reply for the ones that only adjust the
	// normal handling). Calls are serialised across sessions, so a hook may
	// keep plain counters.
	Hook func(Command) *Reply
	// Now is the clock for listings; default time.Now.
	Now func() time.Time
	// CertHosts, when set, makes the server present a certificate of its
	// own, valid for these names and addresses only, instead of the shared
	// one for 127.0.0.1, ::1 and localhost: a client that trusts it (see
	// CertPool and CertPEM) but dials 127.0.0.1 meets a certificate for
	// another name.
	CertHosts []string
	// DataCertHosts, when set, makes data connections present a
	// certificate of their own (a new key), valid for these names and
	// addresses, under session ticket keys of their own: no data
	// connection resumes the control session, so each shows that
	// certificate to the client.
	DataCertHosts []string
	// DataTimeout bounds waiting for a data connection (accept, dial, TLS
	// handshake) and the control TLS handshake; default 10 s.
	DataTimeout time.Duration
}

// DataConn describes one data connection the server accepted or dialed.
type DataConn struct {
	Session   int  // session number, 1-based
	Passive   bool // accepted after PASV/EPSV (else dialed after PORT/EPRT)
	TLS       bool // a TLS handshake completed on it (PROT P)
	DidResume bool // the TLS handshake resumed a TLS session of this control connection
	// HelloRetry says the handshake took a HelloRetryRequest: the
	// client offered no key share for a group the server takes.
	HelloRetry bool
	Remote     string // the client's address
	Bytes      int64  // payload bytes moved on the wire
}

// Server is a running test FTP server. Create it with New.
type Server struct {
	cfg     Config
	rootDir string
	root    *os.Root
	ln      net.Listener
	tlsConf *tls.Config
	dataTLS *tls.Config // Config.DataCertHosts's, else nil
	cert    tls.Certificate
	pool    *x509.CertPool

	ctx       context.Context // cancelled by Close
	cancel    context.CancelFunc
	closeOnce sync.Once
	wg        sync.WaitGroup
	hookMu    sync.Mutex

	mu       sync.Mutex
	closed   bool
	conns    map[io.Closer]struct{} // closed by Close
	cmds     []string
	sessCmds [][]string            // index: session-1
	queued   [][]bool              // index: session-1; see Batches
	ended    []chan struct{}       // index: session-1; closed when the session ends
	trans    [][]string            // index: session-1; see Transcript
	live     map[*session]struct{} // sessions running, for DropSessions
	nCmds    int                   // commands over the server's life (not reset)
	data     []*DataConn
}

// New starts a server for cfg and registers its Close with t.Cleanup. An
// empty Root is a new temporary folder. With Network "tcp6" it skips the
// test when the IPv6 loopback is unavailable.
func New(t testing.TB, cfg Config) *Server {
	t.Helper()
	if cfg.Root == "" {
		cfg.Root = t.TempDir()
	}
	s, err := Start(cfg)
	if errors.Is(err, ErrNoIPv6) {
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// ErrNoIPv6 reports that the IPv6 loopback is unavailable.
var ErrNoIPv6 = errors.New("ftptest: IPv6 loopback unavailable")

// Start starts a server for cfg outside a test; cfg.Root must be set. The
// caller must Close it.
func Start(cfg Config) (*Server, error) {
	if cfg.Network == "" {
		cfg.Network = "tcp4"
	}
	if cfg.Root == "" {
		return nil, errors.New("ftptest: Config.Root is required")
	}
	if cfg.Users == nil {
		cfg.Users = map[string]string{"user": "pass"}
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.DataTimeout <= 0 {
		cfg.DataTimeout = 10 * time.Second
	}
	var host string
	switch cfg.Network {
	case "tcp4":
		host = "127.0.0.1"
	case "tcp6":
		host = "::1"
	default:
		return nil, fmt.Errorf("ftptest: network %q: want tcp4 or tcp6", cfg.Network)
	}
	cert, pool, err := testCertificate()
	if len(cfg.CertHosts) > 0 {
		cert, pool, err = newCertificate(cfg.CertHosts)
	}
	if err != nil {
		return nil, fmt.Errorf("ftptest: %w", err)
	}
	root, err := os.OpenRoot(cfg.Root)
	if err != nil {
		return nil, fmt.Errorf("ftptest: %w", err)
	}
	ln, err := net.Listen(cfg.Network, net.JoinHostPort(host, "0"))
	if err != nil {
		root.Close()
		if cfg.Network == "tcp6" {
			return nil, fmt.Errorf("%w: %v", ErrNoIPv6, err)
		}
		return nil, fmt.Errorf("ftptest: %w", err)
	}
	s := &Server{
		cfg:     cfg,
		rootDir: cfg.Root,
		root:    root,
		ln:      ln,
		cert:    cert,
		pool:    pool,
		conns:   make(map[io.Closer]struct{}),
		live:    make(map[*session]struct{}),
		tlsConf: &tls.Config{
			Certificates:     []tls.Certificate{cert},
			MinVersion:       tls.VersionTLS12,
			CurvePreferences: cfg.TLSCurves,
		},
	}
	if len(cfg.DataCertHosts) > 0 {
		dc, _, err := newCertificate(cfg.DataCertHosts)
		if err != nil {
			root.Close()
			ln.Close()
			return nil, fmt.Errorf("ftptest: %w", err)
		}
		s.dataTLS = &tls.Config{Certificates: []tls.Certificate{dc}, MinVersion: tls.VersionTLS12, CurvePreferences: cfg.TLSCurves}
	}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	s.spawn(s.serve)
	return s, nil
}

// Addr returns the control address, "127.0.0.1:PORT" or "[::1]:PORT".
func (s *Server) Addr() string { return s.ln.Addr().String() }

// Root returns the served folder.
func (s *Server) Root() string { return s.rootDir }

// CertPool returns a pool that trusts the server's certificate, which is
// valid for 127.0.0.1, ::1 and localhost unless Config.CertHosts says
// otherwise.
func (s *Server) CertPool() *x509.CertPool { return s.pool }

// Commands returns the raw lines (without CRLF) of every command received,
// all sessions, in order of arrival.
func (s *Server) Commands() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.cmds...)
}

// SessionCommands returns the raw command lines of session n (1-based, in
// accept order); nil for a session that does not exist.
func (s *Server) SessionCommands(n int) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if n < 1 || n > len(s.sessCmds) {
		return nil
	}
	return append([]string(nil), s.sessCmds[n-1]...)
}

// ResetCommands forgets the commands recorded so far. It does not reset
// the count Fault421At and Command.Global use.
func (s *Server) ResetCommands() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cmds = nil
	for i := range s.sessCmds {
		s.sessCmds[i] = nil
		s.queued[i] = nil
		s.trans[i] = nil
	}
}

// Sessions returns how many control connections the server has accepted.
func (s *Server) Sessions() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.sessCmds)
}

// DataConns returns every data connection so far, in order of opening.
func (s *Server) DataConns() []DataConn {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]DataConn, len(s.data))
	for i, d := range s.data {
		out[i] = *d
	}
	return out
}

// Close stops the server: it closes the listener and every connection,
// ends delays and stalls, and waits for all its goroutines. It is safe to
// call more than once.
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		s.mu.Lock()
		s.closed = true
		conns := s.conns
		s.conns = nil
		s.mu.Unlock()
		// Connections first, so that nothing more reaches a client once a
		// stall or delay ends.
		s.ln.Close()
		for c := range conns {
			c.Close()
		}
		s.cancel()
		s.wg.Wait()
		s.root.Close()
	})
}

// spawn runs f in a goroutine Close waits for; it reports false (and does
// not run f) once the server is closing.
func (s *Server) spawn(f func()) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		f()
	}()
	return true
}

// track registers c to be closed by Close; when the server is already
// closing it closes c at once and reports false.
func (s *Server) track(c io.Closer) bool {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		c.Close()
		return false
	}
	s.conns[c] = struct{}{}
	s.mu.Unlock()
	return true
}

func (s *Server) untrack(c io.Closer) {
	s.mu.Lock()
	delete(s.conns, c)
	s.mu.Unlock()
}

func (s *Server) serve() {
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return // closed
		}
		s.mu.Lock()
		s.sessCmds = append(s.sessCmds, nil)
		s.queued = append(s.queued, nil)
		ended := make(chan struct{})
		s.ended = append(s.ended, ended)
		s.trans = append(s.trans, nil)
		id := len(s.sessCmds)
		s.mu.Unlock()
		if !s.track(c) {
			close(ended)
			return
		}
		sess := newSession(s, id, c)
		sess.ended = ended
		s.mu.Lock()
		s.live[sess] = struct{}{}
		s.mu.Unlock()
		if !s.spawn(sess.run) {
			close(ended)
			c.Close()
			return
		}
	}
}

// record stores a received command line and numbers it; queued says it
// had arrived before the reply to the command before it (see Batches).
func (s *Server) record(session, seq int, raw string, queued bool) Command {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cmds = append(s.cmds, raw)
	s.sessCmds[session-1] = append(s.sessCmds[session-1], raw)
	s.queued[session-1] = append(s.queued[session-1], queued)
	s.trans[session-1] = append(s.trans[session-1], "> "+raw)
	s.nCmds++
	c := Command{Session: session, Seq: seq, Global: s.nCmds, Raw: raw, Queued: queued}
	c.Verb, c.Arg = parseCommand(raw)
	return c
}

func (s *Server) hook(c Command) *Reply {
	if s.cfg.Hook == nil {
		return nil
	}
	s.hookMu.Lock()
	defer s.hookMu.Unlock()
	return s.cfg.Hook(c)
}

func (s *Server) disabled(name string) bool {
	for _, d := range s.cfg.Disable {
		if strings.EqualFold(d, name) {
			return true
		}
	}
	return false
}

func (s *Server) addDataConn(d *DataConn) {
	s.mu.Lock()
	s.data = append(s.data, d)
	s.mu.Unlock()
}

// updateDataConn applies f to a recorded DataConn under the server lock.
func (s *Server) updateDataConn(f func()) {
	s.mu.Lock()
	f()
	s.mu.Unlock()
}
