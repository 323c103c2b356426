package ftptest

import (
	"bufio"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"net"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The default certificate is generated once per process: ECDSA P-256,
// self-signed, valid for 127.0.0.1, ::1 and localhost.
var (
	certOnce sync.Once
	certVal  tls.Certificate
	certPool *x509.CertPool
	certErr  error
)

func testCertificate() (tls.Certificate, *x509.CertPool, error) {
	certOnce.Do(func() {
		certVal, certPool, certErr = newCertificate([]string{"localhost", "127.0.0.1", "::1"})
	})
	return certVal, certPool, certErr
}

// newCertificate returns a new self-signed ECDSA P-256 certificate valid
// for hosts (DNS names or IP addresses), and a pool that trusts it.
func newCertificate(hosts []string) (tls.Certificate, *x509.CertPool, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 64))
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: "ftptest", Organization: []string{"ferry"}},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(10 * 365 * 24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	for _, h := range hosts {
		if ip := net.ParseIP(h); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else {
			tmpl.DNSNames = append(tmpl.DNSNames, h)
		}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool, nil
}

// sessionTLSConfig returns a copy of base with session ticket keys of its
// own. Each session's control and data connections use its copy, so a
// data connection can resume only a TLS session of its own control
// connection: a ticket issued to another session does not decrypt, and
// the handshake is a full one (DidResume false). That is what makes
// RequireSessionReuse as strict as vsftpd's require_ssl_reuse, which
// compares the data connection's session with the control connection's.
func sessionTLSConfig(base *tls.Config) *tls.Config {
	cfg := base.Clone()
	var key [32]byte
	if _, err := rand.Read(key[:]); err != nil {
		panic("ftptest: " + err.Error()) // crypto/rand does not fail
	}
	cfg.SetSessionTicketKeys([][32]byte{key})
	return cfg
}

// startTLS runs the server side of a TLS handshake on the control
// connection. Control and data connections share the session's tls.Config,
// whose session ticket keys let a data connection resume the control
// session (and no other session's).
// Bytes the client sent after AUTH and before its handshake are dropped
// (they would be plaintext injected into the secure session).
func (s *session) startTLS() bool {
	tc := tls.Server(s.raw, s.tlsConf)
	_ = s.raw.SetDeadline(time.Now().Add(s.srv.cfg.DataTimeout))
	err := tc.HandshakeContext(s.ctx)
	_ = s.raw.SetDeadline(time.Time{})
	if err != nil {
		return false
	}
	s.wmu.Lock()
	s.conn = tc
	s.wmu.Unlock()
	s.r = bufio.NewReaderSize(tc, maxLine+2)
	s.secure = true
	return true
}

// cmdAUTH: RFC 4217 section 4. A successful AUTH resets the login
// (RFC 2228: the user must log in again).
func cmdAUTH(s *session, arg string) {
	switch {
	case s.srv.cfg.TLS == TLSNone:
		s.reply(502, "Command not implemented.")
		return
	case s.secure:
		s.reply(503, "Already using TLS.")
		return
	}
	switch strings.ToUpper(arg) {
	case "TLS", "TLS-C", "SSL", "TLS-P":
	default:
		s.reply(504, "Unknown AUTH type.")
		return
	}
	s.reply(234, "Proceed with negotiation.")
	if !s.startTLS() {
		s.ending = true
		return
	}
	s.loggedIn = false
	s.stage = stageNone
	s.user = ""
	s.pbsz = false
	s.protP = false
}

// cmdPBSZ: RFC 4217 section 8; the only size for TLS is 0.
func cmdPBSZ(s *session, arg string) {
	if !s.secure {
		s.reply(503, "PBSZ needs a secure control connection.")
		return
	}
	if _, err := strconv.ParseUint(arg, 10, 32); err != nil {
		s.reply(501, "PBSZ needs a number.")
		return
	}
	s.pbsz = true
	s.reply(200, "PBSZ=0")
}

// cmdPROT: RFC 4217 section 9; PBSZ must come first (RFC 2228).
func cmdPROT(s *session, arg string) {
	switch {
	case !s.secure:
		s.reply(503, "PROT needs a secure control connection.")
		return
	case !s.pbsz:
		s.reply(503, "PROT needs PBSZ first.")
		return
	}
	switch strings.ToUpper(arg) {
	case "C":
		s.protP = false
		s.reply(200, "PROT now Clear.")
	case "P":
		s.protP = true
		s.reply(200, "PROT now Private.")
	case "S", "E":
		s.reply(536, "PROT %s not supported.", arg)
	default:
		s.reply(504, "Bad PROT level.")
	}
}
