package client

import (
	"context"
	"crypto/tls"
	"io"
	"net"
	"time"

	"golang.org/x/text/encoding"
)

// TLSMode says whether and how the control connection uses TLS.
type TLSMode int

const (
	// TLSNone speaks plain FTP.
	TLSNone TLSMode = iota
	// TLSExplicit sends AUTH TLS after the greeting (RFC 4217) and fails
	// before sending any credentials when the server refuses it.
	TLSExplicit
	// TLSImplicit starts TLS on the first byte (the "ftps://" scheme,
	// usually on port 990).
	TLSImplicit
)

// DataMode says who opens data connections.
type DataMode int

const (
	// Passive: the server listens (EPSV or PASV) and the client dials.
	Passive DataMode = iota
	// Active: the client listens and the server dials (PORT or EPRT).
	Active
)

// String returns "passive" or "active".
func (m DataMode) String() string {
	if m == Active {
		return "active"
	}
	return "passive"
}

// Dialer makes network connections. *net.Dialer satisfies it.
type Dialer interface {
	DialContext(ctx context.Context, network, address string) (net.Conn, error)
}

// Default timeouts.
const (
	DefaultConnectTimeout = 30 * time.Second
	DefaultIdleTimeout    = 60 * time.Second
)

// An Option configures Dial.
type Option func(*options)

type options struct {
	tlsMode        TLSMode
	tlsConfig      *tls.Config
	mode           DataMode
	modePinned     bool
	extended       bool // EPSV and EPRT
	activeAddr     net.IP
	portLo, portHi int
	connectTimeout time.Duration
	idleTimeout    time.Duration
	trace          io.Writer
	dialer         Dialer
	dataDialer     Dialer // passive data connections: dialer, or one without TCP keep-alive
	customDialer   bool   // WithDialer: data connections go to the dialed host
	trustPASV      bool
	account        string
	now            func() time.Time
	location       *time.Location
	pipeline       bool    // see WithPipelining
	lockstep       bool    // WithPipelining(false): no batches either (see batch.go)
	budget         *Budget // see WithBudget
	charset        encoding.Encoding
	activeRefused  error         // see WithActiveRefused
	noopInterval   time.Duration // see WithNoopInterval

	refusals *Refusals // see WithRefusals
}

func defaultOptions() options {
	return options{
		extended:       true,
		connectTimeout: DefaultConnectTimeout,
		idleTimeout:    DefaultIdleTimeout,
		dialer:         &net.Dialer{},
		// Data connections are short and have deadlines of their own:
		// TCP keep-alive would cost four system calls each for nothing.
		dataDialer: &net.Dialer{KeepAlive: -1},
	}
}

// WithTLS selects plain FTP, explicit TLS or implicit TLS.
func WithTLS(mode TLSMode) Option { return func(o *options) { o.tlsMode = mode } }

// WithTLSConfig sets the TLS configuration for the control and data
// connections. Certificates are verified unless the configuration sets
// InsecureSkipVerify. When ServerName is empty, the host of the dialed
// address is used. The configuration is cloned; the caller may reuse it.
func WithTLSConfig(cfg *tls.Config) Option {
	return func(o *options) { o.tlsConfig = cfg }
}

// WithDataMode pins the data connection mode. Without it, the connection
// starts passive and switches to active for the rest of the session when
// the server refuses both EPSV and PASV (and back when it refuses both
// EPRT and PORT). A pinned mode never switches. See also
// WithDataModeHint and Conn.SetDataMode.
func WithDataMode(m DataMode) Option {
	return func(o *options) { o.mode, o.modePinned = m, true }
}

// WithDataModeHint starts the connection in mode m without pinning it: the
// mode switches for the rest of the session when the server refuses it.
func WithDataModeHint(m DataMode) Option {
	return func(o *options) { o.mode, o.modePinned = m, false }
}

// WithEPSV turns the extended commands EPSV and EPRT (RFC 2428) on or off.
// They are on by default. Off, only PASV and PORT are used, which limits
// the connection to IPv4.
func WithEPSV(on bool) Option { return func(o *options) { o.extended = on } }

// WithActiveAddr sets the IP address announced in PORT and EPRT, for a
// client behind NAT or behind a proxy given with WithDialer. By default
// the control connection's local address is announced. The listener still
// binds the control connection's local IP.
func WithActiveAddr(ip net.IP) Option { return func(o *options) { o.activeAddr = ip } }

// WithActivePorts sets the local port range for active-mode listeners
// (for a firewall that opens only those): only ports in the range are
// used, each listener starting at the port after the last one's. Without
// a range, the first active data connection of the session uses the
// classic port, control port + 1 (RFC 959 section 3.2), when it is free,
// and every other one any free port.
func WithActivePorts(lo, hi int) Option {
	return func(o *options) { o.portLo, o.portHi = lo, hi }
}

// WithConnectTimeout bounds the time to connect for the control
// connection (TCP, an implicit TLS handshake and the whole greeting) and
// for each data connection (TCP and TLS handshake), and the wait for the
// server to dial in active mode. Zero or a negative value means the
// default, DefaultConnectTimeout.
func WithConnectTimeout(d time.Duration) Option {
	if d <= 0 {
		d = DefaultConnectTimeout
	}
	return func(o *options) { o.connectTimeout = d }
}

// WithIdleTimeout bounds every wait for the server: each reply, and each
// read or write on a data connection that makes no progress. Zero or a
// negative value means the default, DefaultIdleTimeout.
func WithIdleTimeout(d time.Duration) Option {
	if d <= 0 {
		d = DefaultIdleTimeout
	}
	return func(o *options) { o.idleTimeout = d }
}

// WithTrace writes the protocol exchange to w: lines sent prefixed "> ",
// lines received prefixed "< ". PASS and ACCT arguments are masked.
func WithTrace(w io.Writer) Option { return func(o *options) { o.trace = w } }

// WithDialer sets the dialer for control and passive data connections, such
// as one that connects through a proxy or a tunnel. Since the control
// connection's peer is then the proxy, passive data connections dial the
// host given to Dial (not the peer's address) with the port from the EPSV
// or PASV reply, through the same dialer; the address in a PASV reply is
// still ignored unless WithTrustPASVAddr is set.
//
// Active mode does not go through the dialer: the client listens on the
// control connection's local address and announces that address (or the
// one set with WithActiveAddr), which a server behind a proxy usually
// cannot reach. It accepts the data connection from the control
// connection's peer or, when Dial was given an IP address, from that
// address. A nil d restores the default dialer (an option given later
// overrides one given earlier).
func WithDialer(d Dialer) Option {
	return func(o *options) {
		if d == nil {
			def := defaultOptions()
			o.dialer, o.dataDialer, o.customDialer = def.dialer, def.dataDialer, false
			return
		}
		o.dialer, o.dataDialer, o.customDialer = d, d, true
	}
}

// WithActiveRefused makes active mode fail with reason, before anything is
// sent, and keeps a connection that starts passive from switching to
// active mode when the server refuses passive mode: for a dialer through
// a proxy, where the server could not connect back. The error returned
// wraps reason. A nil reason allows active mode again.
func WithActiveRefused(reason error) Option {
	return func(o *options) { o.activeRefused = reason }
}

// WithTrustPASVAddr makes passive mode dial the address in a 227 reply.
// By default that address is ignored and the control connection's peer is
// dialed, since a hostile server could use it to make the client connect
// elsewhere (CVE-2020-8284).
func WithTrustPASVAddr(trust bool) Option {
	return func(o *options) { o.trustPASV = trust }
}

// WithAccount sets the account sent with ACCT when the server asks for one
// during login (reply 332).
func WithAccount(account string) Option { return func(o *options) { o.account = account } }

// WithListClock sets the clock and time zone used to read LIST times,
// which carry no zone and often no year. The defaults are time.Now and UTC.
func WithListClock(now func() time.Time, loc *time.Location) Option {
	return func(o *options) { o.now, o.location = now, loc }
}
