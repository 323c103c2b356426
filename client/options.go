package client

import (
	"context"
	"crypto/tls"
	"io"
	"net"
	"time"
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
	trustPASV      bool
	account        string
	now            func() time.Time
	location       *time.Location
}

func defaultOptions() options {
	return options{
		extended:       true,
		connectTimeout: DefaultConnectTimeout,
		idleTimeout:    DefaultIdleTimeout,
		dialer:         &net.Dialer{},
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
// EPRT and PORT). A pinned mode never switches.
func WithDataMode(m DataMode) Option {
	return func(o *options) { o.mode, o.modePinned = m, true }
}

// WithEPSV turns the extended commands EPSV and EPRT (RFC 2428) on or off.
// They are on by default. Off, only PASV and PORT are used, which limits
// the connection to IPv4.
func WithEPSV(on bool) Option { return func(o *options) { o.extended = on } }

// WithActiveAddr sets the IP address announced in PORT and EPRT, for a
// client behind NAT. By default the control connection's local address is
// announced. The listener still binds the control connection's local IP.
func WithActiveAddr(ip net.IP) Option { return func(o *options) { o.activeAddr = ip } }

// WithActivePorts sets the local port range tried for active-mode
// listeners when the classic control port + 1 is busy. Without a range,
// any free port is used after port + 1.
func WithActivePorts(lo, hi int) Option {
	return func(o *options) { o.portLo, o.portHi = lo, hi }
}

// WithConnectTimeout bounds the time to connect (TCP and TLS handshake)
// for the control connection and for each data connection, and the wait
// for the server to dial in active mode.
func WithConnectTimeout(d time.Duration) Option {
	return func(o *options) { o.connectTimeout = d }
}

// WithIdleTimeout bounds every wait for the server: each reply, and each
// read or write on a data connection that makes no progress.
func WithIdleTimeout(d time.Duration) Option {
	return func(o *options) { o.idleTimeout = d }
}

// WithTrace writes the protocol exchange to w: lines sent prefixed "> ",
// lines received prefixed "< ". PASS and ACCT arguments are masked.
func WithTrace(w io.Writer) Option { return func(o *options) { o.trace = w } }

// WithDialer sets the dialer for control and passive data connections.
func WithDialer(d Dialer) Option { return func(o *options) { o.dialer = d } }

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
