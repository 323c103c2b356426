package realserver

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Kind names a server program.
type Kind string

// The servers this package runs.
const (
	Vsftpd    Kind = "vsftpd"    // vsftpd 3.0.3
	PureFTPd  Kind = "pure-ftpd" // pure-ftpd 1.0.50
	ProFTPD   Kind = "proftpd"   // proftpd 1.3.8
	Pyftpdlib Kind = "pyftpdlib" // pyftpdlib 1.5.7 under Debian's python3
	Twisted   Kind = "twisted"   // Twisted 22.4's FTP server under Debian's python3
	Aioftp    Kind = "aioftp"    // aioftp 0.21.4 under Debian's python3

	InetutilsFTPd Kind = "inetutils-ftpd" // GNU inetutils' ftpd 2.4, run per connection
	FtpdSSLDE     Kind = "ftpd-ssl-de"    // linux-ftpd-ssl 0.17 (BSD ftpd) under LC_ALL=de_DE.UTF-8
	Ftpserverlib  Kind = "ftpserverlib"   // github.com/fclairamb/ftpserverlib, as go.mod requires it
)

// Kinds lists every Kind.
var Kinds = []Kind{Vsftpd, PureFTPd, ProFTPD, Pyftpdlib, Twisted, Aioftp, InetutilsFTPd, FtpdSSLDE, Ftpserverlib}

// TLSMode says whether and how a server speaks TLS (RFC 4217).
type TLSMode int

const (
	// TLSNone is plain FTP.
	TLSNone TLSMode = iota
	// TLSExplicit requires AUTH TLS before login and PROT P for data.
	TLSExplicit
	// TLSImplicit speaks TLS from the first byte on control and data
	// connections.
	TLSImplicit
)

var tlsModeNames = []string{"none", "explicit", "implicit"}

// String returns "none", "explicit" or "implicit".
func (m TLSMode) String() string {
	if m >= 0 && int(m) < len(tlsModeNames) {
		return tlsModeNames[m]
	}
	return "TLSMode(" + strconv.Itoa(int(m)) + ")"
}

// ParseTLSMode is the inverse of TLSMode.String.
func ParseTLSMode(s string) (TLSMode, error) {
	for i, n := range tlsModeNames {
		if s == n {
			return TLSMode(i), nil
		}
	}
	return 0, fmt.Errorf("realserver: unknown TLS mode %q (want none, explicit or implicit)", s)
}

// Options choose how a server is set up.
type Options struct {
	TLS  TLSMode
	IPv6 bool // listen on ::1 instead of 127.0.0.1
	// Parent is the folder the server's own folder (config, home, logs)
	// is made in; os.TempDir() when empty. Benchmarks put it on tmpfs so
	// that the disk does not set the pace of uploads.
	Parent string
	// PassiveAddress is the IPv4 address the server names in its 227
	// replies instead of its own, as for a relay in front of it (see
	// internal/bench/relay); vsftpd only (pasv_address).
	PassiveAddress string
	// Host is the IPv4 loopback address to listen on instead of
	// 127.0.0.1, such as 127.0.0.2: a server that ferry reaches at another
	// address than a second one, for server-to-server copies (FXP).
	Host string
	// FXP lets the server take part in server-to-server copies: PORT to
	// another address than the client's and passive data connections from
	// another host (vsftpd's port_promiscuous and pasv_promiscuous,
	// pure-ftpd's -w); vsftpd and pure-ftpd only.
	FXP bool
	// Cert chooses the certificate the server presents (vsftpd only for
	// other than CertRun).
	Cert CertKind
	// RequireClientCert makes the server demand a client certificate
	// signed by the run's CA (see ClientCertificate) on control and data
	// connections: vsftpd's require_cert, validate_cert and ca_certs_file.
	RequireClientCert bool
}

// String names the options, as in "explicit-ipv6"; tests use it in names.
func (o Options) String() string {
	s := o.TLS.String() + "-ipv4"
	if o.IPv6 {
		s = o.TLS.String() + "-ipv6"
	}
	if o.Host != "" {
		s += "-" + o.Host
	}
	if o.FXP {
		s += "-fxp"
	}
	switch o.Cert {
	case CertCA:
		s += "-cacert"
	case CertOwn:
		s += "-owncert"
	}
	if o.RequireClientCert {
		s += "-clientcert"
	}
	return s
}

// AllOptions lists every combination of Options, supported or not.
func AllOptions() []Options {
	var all []Options
	for _, v6 := range []bool{false, true} {
		for m := TLSNone; m <= TLSImplicit; m++ {
			all = append(all, Options{TLS: m, IPv6: v6})
		}
	}
	return all
}

// Supports reports whether kind offers opts. pure-ftpd (as Debian builds
// it) and pyftpdlib have no implicit TLS. aioftp has implicit TLS only (an
// SSL context on its listening sockets, no AUTH TLS). Twisted's FTP server
// has no TLS at all, and no EPSV or EPRT, so it serves IPv4 only.
// inetutils-ftpd has no TLS, nor has ftpd-ssl-de (Debian's ftpd-ssl answers
// AUTH TLS but never loads a certificate, so no handshake succeeds). The
// others listen on IPv6 too.
func Supports(kind Kind, opts Options) bool {
	switch kind {
	case Vsftpd, ProFTPD, Ftpserverlib:
		return opts.TLS >= TLSNone && opts.TLS <= TLSImplicit
	case PureFTPd, Pyftpdlib:
		return opts.TLS == TLSNone || opts.TLS == TLSExplicit
	case Twisted:
		return opts.TLS == TLSNone && !opts.IPv6
	case Aioftp:
		return opts.TLS == TLSNone || opts.TLS == TLSImplicit
	case InetutilsFTPd, FtpdSSLDE:
		return opts.TLS == TLSNone
	}
	return false
}

// ActiveMode reports whether kind offers active data connections (PORT,
// or EPRT for IPv6). aioftp has neither command: it answers 502.
func ActiveMode(kind Kind) bool { return kind != Aioftp }

// needsRoot reports whether kind must be started as root: the C servers
// switch users and chroot; the Python ones run as whoever starts them.
func needsRoot(kind Kind) bool {
	switch kind {
	case Pyftpdlib, Twisted, Aioftp:
		return false
	}
	return true
}

// Required reports whether FERRY_INTEROP=required: then a server that
// cannot start fails the test instead of skipping it.
func Required() bool { return os.Getenv("FERRY_INTEROP") == "required" }

// ErrUnsupported is returned for a combination that Supports rejects.
var ErrUnsupported = errors.New("realserver: combination not offered by the server")

// ErrNoIPv6 is returned for Options.IPv6 when ::1 is not configured.
var ErrNoIPv6 = errors.New("realserver: no IPv6 loopback (::1) on this machine")

// Server is a running server.
type Server struct {
	Kind     Kind
	Options  Options
	Addr     string // host:port of the control connection
	User     string
	Password string
	// Home is the test user's home folder on disk: files uploaded land here.
	// The server writes as an unprivileged user; Chown hands files put here
	// by the test to it.
	Home string
	// CertPool trusts the certificate made for this run, which is valid for
	// 127.0.0.1, 127.0.0.2 (a relay), ::1 and localhost.
	CertPool *x509.CertPool
	CertFile string // that certificate, PEM
	// CAFile is the run's CA certificate, PEM, which signs the server's
	// certificate under Options.Cert CertCA and the client certificates
	// Options.RequireClientCert demands; "" otherwise.
	CAFile string
	Log    string // the server's log, for failure messages
	Dir    string // the server's temporary folder: config, certificate, logs
	// PassivePorts is the passive range given to the server; zero for the
	// servers that take passive ports from the kernel's ephemeral range
	// (inetutils-ftpd, ftpd-ssl-de).
	PassivePorts [2]int
	// SessionReuse is true when the server refuses a TLS data connection
	// whose session does not resume the control connection's (vsftpd's
	// require_ssl_reuse, proftpd's default). Go's crypto/tls resumes only
	// with a ClientSessionCache in its tls.Config.
	SessionReuse bool
	// Locale is the locale the server runs in when it is not C, as
	// "de_DE.UTF-8": its LIST output follows it (month names, date order).
	Locale string
	// Startup is how long the server took from launch to its 220 greeting.
	Startup time.Duration

	proc     *process
	launch   launchSpec // how proc was started, for Restart
	ports    *portBlock
	uid, gid int
	stopped  bool
	keep     bool // leave Dir for a failed test's logs
}

// Host returns the host part of Addr: "127.0.0.1" (or Options.Host) or
// "::1".
func (s *Server) Host() string {
	h, _, _ := net.SplitHostPort(s.Addr)
	return h
}

// TLSConfig returns a client config that trusts the server's certificate,
// with ServerName set (crypto/tls needs it, and keys its session cache by
// it) and a ClientSessionCache of its own, so that data connections made
// with it resume the control connection's session.
func (s *Server) TLSConfig() *tls.Config {
	return &tls.Config{
		RootCAs:            s.CertPool,
		ServerName:         s.Host(),
		ClientSessionCache: tls.NewLRUClientSessionCache(4),
	}
}

// Chown gives path, and everything below it, to the user the server writes
// files as, so the server can change what the test put in Home.
func (s *Server) Chown(path string) error {
	return filepath.WalkDir(path, func(p string, _ os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(p, s.uid, s.gid)
	})
}

// LogTail returns the last n lines of the server's log and of its standard
// output and error.
func (s *Server) LogTail(n int) string {
	var b strings.Builder
	for _, name := range []string{s.Log, s.outFile()} {
		if name == "" {
			continue
		}
		data, err := os.ReadFile(name)
		if err != nil {
			fmt.Fprintf(&b, "(%v)\n", err)
			continue
		}
		lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
		if len(lines) > n {
			lines = lines[len(lines)-n:]
		}
		fmt.Fprintf(&b, "--- %s (last %d lines)\n%s\n", name, len(lines), strings.Join(lines, "\n"))
	}
	return b.String()
}

func (s *Server) outFile() string {
	if s.proc == nil || s.proc.out == s.Log {
		return ""
	}
	return s.proc.out
}

// Stop ends the server's process group, frees its ports and removes its
// folder, which is kept when FERRY_KEEP_SERVERS is set or the test failed.
// Calling it twice is harmless.
func (s *Server) Stop() error {
	if s.stopped {
		return nil
	}
	s.stopped = true
	var err error
	if s.proc != nil {
		err = s.proc.stop()
	}
	if s.ports != nil {
		s.ports.release()
	}
	if !s.keep && os.Getenv("FERRY_KEEP_SERVERS") == "" {
		if rerr := os.RemoveAll(s.Dir); err == nil && rerr != nil {
			err = fmt.Errorf("realserver: %w", rerr)
		}
	}
	return err
}

// Start launches a server on a free port and stops it in t.Cleanup. ctx
// bounds the startup only.
func Start(ctx context.Context, t testing.TB, kind Kind, opts Options) (*Server, error) {
	t.Helper()
	s, err := Launch(ctx, kind, opts)
	if err != nil {
		return nil, err
	}
	t.Cleanup(func() {
		if t.Failed() {
			s.keep = true
			t.Logf("%s %s, folder %s kept:\n%s", s.Kind, s.Options, s.Dir, s.LogTail(30))
		}
		if err := s.Stop(); err != nil {
			t.Errorf("stop %s: %v", s.Kind, err)
		}
	})
	return s, nil
}

// StartOrSkip starts a server for the test. When the server cannot start
// it fails the test under FERRY_INTEROP=required and otherwise skips it,
// saying how to install the servers. Combinations the server does not
// offer are always skipped; IPv6 on a machine without ::1 is skipped too,
// except under FERRY_INTEROP=required, where the matrix must be whole.
func StartOrSkip(t *testing.T, kind Kind, opts Options) *Server {
	t.Helper()
	// A helper program is built before the startup clock starts.
	err := buildHelperOf(kind)
	var s *Server
	if err == nil {
		ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
		defer cancel()
		s, err = Start(ctx, t, kind, opts)
	}
	switch {
	case err == nil:
		return s
	case errors.Is(err, ErrUnsupported):
		t.Skip(err)
	case Required():
		t.Fatalf("%v\n(FERRY_INTEROP=required, so this fails instead of skipping)", err)
	case errors.Is(err, ErrNotInstalled), errors.Is(err, ErrNoIPv6):
		t.Skip(err)
	default:
		t.Skipf("%v\n%s", err, InstallHint)
	}
	return nil
}

// startTimeout bounds a server's startup when the caller's context does not.
const startTimeout = 20 * time.Second

// Launch starts a server on a free port; the caller must Stop it. Start is
// the form for tests; Launch serves the command and benchmarks.
func Launch(ctx context.Context, kind Kind, opts Options) (*Server, error) {
	starter, ok := starters[kind]
	if !ok {
		return nil, fmt.Errorf("realserver: unknown server %q", kind)
	}
	if !Supports(kind, opts) {
		return nil, fmt.Errorf("%w: %s %s", ErrUnsupported, kind, opts)
	}
	if opts.PassiveAddress != "" && kind != Vsftpd {
		return nil, fmt.Errorf("%w: %s with a passive address", ErrUnsupported, kind)
	}
	if opts.FXP && kind != Vsftpd && kind != PureFTPd {
		return nil, fmt.Errorf("%w: %s with FXP", ErrUnsupported, kind)
	}
	if ip := net.ParseIP(opts.Host); opts.Host != "" && (opts.IPv6 || ip == nil || ip.To4() == nil || !ip.IsLoopback()) {
		return nil, fmt.Errorf("realserver: host %q is not an IPv4 loopback address", opts.Host)
	}
	if (opts.Cert != CertRun || opts.RequireClientCert) && (kind != Vsftpd || opts.TLS == TLSNone) {
		return nil, fmt.Errorf("%w: %s %s", ErrUnsupported, kind, opts)
	}
	root, err := installedRoot(kind)
	if err != nil {
		return nil, err
	}
	if needsRoot(kind) && os.Geteuid() != 0 {
		return nil, fmt.Errorf("%w: %s", errNeedsRoot, kind)
	}
	if err := buildHelperOf(kind); err != nil {
		return nil, err
	}
	host := "127.0.0.1"
	if opts.Host != "" {
		host = opts.Host
	}
	if opts.IPv6 {
		host = "::1"
		l, err := net.Listen("tcp", "[::1]:0")
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrNoIPv6, err)
		}
		l.Close()
	}
	cert, err := serverCertificate(opts.Cert)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, startTimeout)
	defer cancel()

	dir, err := os.MkdirTemp(opts.Parent, "ferry-"+string(kind)+"-")
	if err != nil {
		return nil, fmt.Errorf("realserver: %w", err)
	}
	s := &Server{Kind: kind, Options: opts, Dir: dir, CertPool: cert.pool}
	started := false
	defer func() {
		if !started {
			s.Stop()
		}
	}()
	// Servers drop privileges before they reach the home folder.
	if err := os.Chmod(dir, 0o755); err != nil {
		return nil, fmt.Errorf("realserver: %w", err)
	}
	s.Home = filepath.Join(dir, "home")
	if err := os.Mkdir(s.Home, 0o755); err != nil {
		return nil, fmt.Errorf("realserver: %w", err)
	}
	files, err := cert.write(dir)
	if err != nil {
		return nil, err
	}
	s.CertFile = files.Cert
	if opts.Cert == CertCA || opts.RequireClientCert {
		if s.CAFile, err = writeCA(dir); err != nil {
			return nil, err
		}
	}
	if s.ports, err = reservePorts(host); err != nil {
		return nil, err
	}
	s.Addr = net.JoinHostPort(host, strconv.Itoa(s.ports.control()))
	lo, hi := s.ports.passive()
	s.PassivePorts = [2]int{lo, hi}

	c := &config{
		Server: s, root: root, host: host, port: s.ports.control(),
		certs: files, env: baseEnv(root, dir),
	}
	argv, err := starter(ctx, c)
	if err != nil {
		return nil, err
	}
	if err := os.Lchown(s.Home, s.uid, s.gid); err != nil {
		return nil, fmt.Errorf("realserver: %w", err)
	}
	began := time.Now()
	s.launch = launchSpec{argv: argv, env: c.env, mountNS: c.mountNS, certs: files}
	if s.proc, err = startProcess(dir, filepath.Join(dir, string(kind)+".out"), c.env, c.mountNS, argv...); err != nil {
		return nil, err
	}
	if err := waitReady(ctx, s); err != nil {
		return nil, fmt.Errorf("%w\n%s", err, s.LogTail(20))
	}
	s.Startup = time.Since(began)
	started = true
	return s, nil
}

// config is what a starter needs to write a server's configuration.
type config struct {
	*Server
	root  string // unpacked packages
	host  string
	port  int
	certs certFiles
	env   []string // the server's whole environment; starters may add
	// mountNS starts the server in a mount namespace of its own, for
	// files bind-mounted where the server looks for them (inetutils.go).
	mountNS bool
}

// A starter writes the server's configuration into c.Dir, sets c.User,
// c.Password, c.Log, c.uid, c.gid and c.SessionReuse, and returns the
// command line.
type starter func(ctx context.Context, c *config) ([]string, error)

var starters = map[Kind]starter{
	Vsftpd:    startVsftpd,
	PureFTPd:  startPureFTPd,
	ProFTPD:   startProFTPD,
	Pyftpdlib: startPyftpdlib,
	Twisted:   startTwisted,
	Aioftp:    startAioftp,

	InetutilsFTPd: startInetutils,
	FtpdSSLDE:     startFtpdSSLDE,
	Ftpserverlib:  startFtpserverlib,
}

// baseEnv is a clean environment for the servers: nothing from the test's
// own (no pyenv PYTHONPATH, no locale surprises), UTC for listings.
func baseEnv(root, dir string) []string {
	return []string{
		"PATH=/usr/sbin:/usr/bin:/sbin:/bin",
		"HOME=" + dir,
		"LC_ALL=C",
		"TZ=UTC",
		"LD_LIBRARY_PATH=" + libraryPath(root),
	}
}

// nobody returns the uid, gid and group name of the unprivileged account
// that pure-ftpd's and proftpd's virtual users are mapped to.
func nobody() (uid, gid int, group string) {
	uid, gid, group = 65534, 65534, "nogroup"
	if u, err := lookupUser("nobody"); err == nil {
		uid, gid = u.uid, u.gid
		if g, err := lookupGroupName(gid); err == nil {
			group = g
		}
	}
	return uid, gid, group
}
