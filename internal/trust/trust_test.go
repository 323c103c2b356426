package trust

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/youmark/pkcs8"
)

// selfSigned returns a new self-signed certificate for 127.0.0.1 and its key.
func selfSigned(t *testing.T, cn string) (*x509.Certificate, *ecdsa.PrivateKey) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: cn},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth},
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, IsCA: true, BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return c, key
}

func certPEM(c *x509.Certificate) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})
}

func TestParsePins(t *testing.T) {
	c, _ := selfSigned(t, "a")
	p := PinOf(c)
	got, err := ParsePins(p.String() + ";" + p.String())
	if err != nil || len(got) != 2 || got[0] != p {
		t.Fatalf("ParsePins = %v, %v", got, err)
	}
	for _, bad := range []string{"", "sha256//", "sha256//abc", "md5//" + p.String()[8:], p.String() + ";x"} {
		if _, err := ParsePins(bad); err == nil {
			t.Errorf("ParsePins(%q) took it", bad)
		}
	}
}

func TestPinFromKeyFile(t *testing.T) {
	c, _ := selfSigned(t, "a")
	want := PinOf(c)
	pub := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: c.RawSubjectPublicKeyInfo})
	for name, data := range map[string][]byte{"PEM key": pub, "DER key": c.RawSubjectPublicKeyInfo,
		"PEM certificate": certPEM(c), "DER certificate": c.Raw} {
		if got, err := PinFromKeyFile(data); err != nil || got != want {
			t.Errorf("%s: %v, %v; want %v", name, got, err, want)
		}
	}
	for _, bad := range [][]byte{[]byte("hello"), []byte("-----BEGIN PUBLIC KEY-----\nxx\n"),
		pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: []byte{1}})} {
		if _, err := PinFromKeyFile(bad); err == nil {
			t.Errorf("PinFromKeyFile(%q) took it", bad)
		}
	}
}

func TestFingerprint(t *testing.T) {
	c, _ := selfSigned(t, "a")
	f := FingerprintOf(c)
	s := f.String()
	if len(s) != 95 || strings.ToUpper(s) != s {
		t.Errorf("String = %q", s)
	}
	for _, in := range []string{s, strings.ToLower(s), strings.ReplaceAll(s, ":", "")} {
		if g, err := ParseFingerprint(in); err != nil || g != f {
			t.Errorf("ParseFingerprint(%q) = %v, %v", in, g, err)
		}
	}
}

// TestStore checks the file: its modes, an atomic replacement, entries
// keyed by host and port, and removal by host or host:port.
func TestStore(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ferry")
	path := filepath.Join(dir, FileName)
	s, err := Load(path)
	if err != nil || len(s.Entries) != 0 {
		t.Fatalf("Load of a missing file: %v, %v", s, err)
	}
	a, _ := selfSigned(t, "a")
	b, _ := selfSigned(t, "b")
	now := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	s.Add(NewEntry(Key("FTP.Example.org", 21), a, now))
	s.Add(NewEntry(Key("ftp.example.org", 990), b, now))
	s.Add(NewEntry(Key("::1", 21), b, now))
	if err := s.Save(); err != nil {
		t.Fatal(err)
	}
	for p, mode := range map[string]os.FileMode{dir: 0o700 | os.ModeDir, path: 0o600} {
		fi, err := os.Stat(p)
		if err != nil || fi.Mode() != mode {
			t.Errorf("%s: mode %v, %v; want %v", p, fi.Mode(), err, mode)
		}
	}
	s2, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	e := s2.Lookup("ftp.example.org:21")
	if e == nil || e.Fingerprint != FingerprintOf(a) || e.Subject != "CN=a" || !e.Added.Equal(now) {
		t.Fatalf("Lookup = %+v", e)
	}
	if s2.Lookup("[::1]:21") == nil {
		t.Errorf("no entry for [::1]:21: %+v", s2.Entries)
	}
	if gone := s2.Remove("ftp.example.org", 990); len(gone) != 1 || s2.Lookup("ftp.example.org:21") == nil {
		t.Errorf("Remove host:990 removed %v, left %v", gone, s2.Entries)
	}
	if gone := s2.Remove("FTP.example.org", 0); len(gone) != 1 || len(s2.Entries) != 1 {
		t.Errorf("Remove host removed %v, left %v", gone, s2.Entries)
	}
	if err := os.WriteFile(path, []byte("[[cert]]\naddr = 'x:1'\nsha256 = 'nope'\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(path); err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("Load of a bad file: %v", err)
	}
}

// TestKeyPair loads client certificates: key apart or in the same file,
// encrypted in the legacy PEM form and as PKCS #8, a wrong passphrase, a
// key that belongs to another certificate, and no key at all.
func TestKeyPair(t *testing.T) {
	c, key := selfSigned(t, "client")
	other, otherKey := selfSigned(t, "other")
	_ = other
	pk, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	plain := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pk})
	ec, _ := x509.MarshalECPrivateKey(key)
	legacyBlock, err := x509.EncryptPEMBlock(rand.Reader, "EC PRIVATE KEY", ec, []byte("secret"), x509.PEMCipherAES256)
	if err != nil {
		t.Fatal(err)
	}
	legacy := pem.EncodeToMemory(legacyBlock)
	enc, err := pkcs8.MarshalPrivateKey(key, []byte("secret"), nil)
	if err != nil {
		t.Fatal(err)
	}
	p8 := pem.EncodeToMemory(&pem.Block{Type: "ENCRYPTED PRIVATE KEY", Bytes: enc})
	opk, _ := x509.MarshalPKCS8PrivateKey(otherKey)
	wrongKey := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: opk})

	asked := 0
	pass := func(p string) func() ([]byte, error) {
		return func() ([]byte, error) { asked++; return []byte(p), nil }
	}
	for _, tc := range []struct {
		name      string
		cert, key []byte
		pass      string
		wantErr   string
		wantAsked int
	}{
		{name: "apart", cert: certPEM(c), key: plain},
		{name: "one file", cert: append(certPEM(c), plain...)},
		{name: "legacy encrypted", cert: certPEM(c), key: legacy, pass: "secret", wantAsked: 1},
		{name: "PKCS #8 encrypted", cert: certPEM(c), key: p8, pass: "secret", wantAsked: 1},
		{name: "PKCS #8 wrong passphrase", cert: certPEM(c), key: p8, pass: "nope", wantErr: "wrong passphrase", wantAsked: 1},
		{name: "mismatch", cert: certPEM(c), key: wrongKey, wantErr: "private key does not match public key"},
		{name: "no key", cert: certPEM(c), wantErr: "no private key"},
		{name: "no certificate", cert: plain, key: plain, wantErr: "no CERTIFICATE"},
	} {
		asked = 0
		got, err := KeyPair(tc.cert, tc.key, pass(tc.pass))
		switch {
		case tc.wantErr == "" && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
			t.Errorf("%s: error %v, want %q", tc.name, err, tc.wantErr)
		case err == nil && got.Leaf != nil && got.Leaf.Subject.CommonName != "client":
			t.Errorf("%s: certificate %v", tc.name, got.Leaf.Subject)
		}
		if asked != tc.wantAsked {
			t.Errorf("%s: passphrase asked %d times, want %d", tc.name, asked, tc.wantAsked)
		}
	}
	if _, err := KeyPair(certPEM(c), p8, nil); err == nil {
		t.Error("an encrypted key without a way to ask was taken")
	}
}

// tcpPair returns the two ends of a loopback TCP connection (net.Pipe
// has no buffer: a client that sends an alert while the server is still
// writing its flight would block both).
func tcpPair(t *testing.T) (server, client net.Conn) {
	t.Helper()
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	client, err = net.Dial("tcp4", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	server, err = ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	server.SetDeadline(deadline)
	client.SetDeadline(deadline)
	t.Cleanup(func() { server.Close(); client.Close() })
	return server, client
}

// handshake runs a TLS handshake between a server presenting cert and a
// client with cfg, and returns the client's error.
func handshake(t *testing.T, cert *x509.Certificate, key *ecdsa.PrivateKey, cfg *tls.Config) error {
	t.Helper()
	a, b := tcpPair(t)
	srv := tls.Server(a, &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{cert.Raw}, PrivateKey: key}}})
	done := make(chan struct{})
	go func() { srv.Handshake(); close(done) }()
	cfg = cfg.Clone()
	cfg.ServerName = "127.0.0.1"
	err := tls.Client(b, cfg).Handshake()
	b.Close()
	<-done
	return err
}

// TestPolicy checks the order and effect of the checks: CA, pins (also
// with Insecure), a trusted certificate (accepted without CA, refused when
// another comes, ignored with Insecure).
func TestPolicy(t *testing.T) {
	c, key := selfSigned(t, "server")
	other, otherKey := selfSigned(t, "other")
	roots := x509.NewCertPool()
	roots.AddCert(c)
	entry := NewEntry("127.0.0.1:21", c, time.Now())
	var pe *PinError
	var ce *ChangedError
	var cv *tls.CertificateVerificationError
	for _, tc := range []struct {
		name   string
		p      Policy
		server *x509.Certificate
		want   any // nil, &pe, &ce or &cv
	}{
		{"no CA", Policy{}, c, &cv},
		{"CA", Policy{Roots: roots}, c, nil},
		{"CA and right pin", Policy{Roots: roots, Pins: []Pin{PinOf(other), PinOf(c)}}, c, nil},
		{"CA and wrong pin", Policy{Roots: roots, Pins: []Pin{PinOf(other)}}, c, &pe},
		{"right pin without CA", Policy{Pins: []Pin{PinOf(c)}}, c, &cv},
		{"right pin, insecure", Policy{Insecure: true, Pins: []Pin{PinOf(c)}}, c, nil},
		{"wrong pin, insecure", Policy{Insecure: true, Pins: []Pin{PinOf(other)}}, c, &pe},
		{"trusted", Policy{Trusted: &entry}, c, nil},
		{"trusted, changed", Policy{Trusted: &entry}, other, &ce},
		{"trusted, changed, insecure", Policy{Trusted: &entry, Insecure: true}, other, nil},
		{"trusted, wrong pin", Policy{Trusted: &entry, Pins: []Pin{PinOf(other)}}, c, &pe},
	} {
		k := key
		if tc.server == other {
			k = otherKey
		}
		tc.p.Addr = "127.0.0.1:21"
		err := handshake(t, tc.server, k, tc.p.Config())
		switch w := tc.want.(type) {
		case nil:
			if err != nil {
				t.Errorf("%s: %v", tc.name, err)
			}
		default:
			if err == nil || !errors.As(err, w) {
				t.Errorf("%s: error %v, want %T", tc.name, err, w)
			}
		}
	}
	err := handshake(t, other, otherKey, (&Policy{Addr: "h:21", Trusted: &entry}).Config())
	for _, want := range []string{"h:21", FingerprintOf(c).String(), FingerprintOf(other).String(), "ferry trust add"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("changed certificate: %v lacks %q", err, want)
		}
	}
	err = handshake(t, c, key, (&Policy{Addr: "h:21", Insecure: true, Pins: []Pin{PinOf(other)}}).Config())
	for _, want := range []string{PinOf(c).String(), PinOf(other).String()} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("wrong pin: %v lacks %q", err, want)
		}
	}
}

// TestPolicyMinVersion checks that a server offering only TLS 1.2 is
// refused with MinVersion 1.3.
func TestPolicyMinVersion(t *testing.T) {
	c, key := selfSigned(t, "server")
	a, b := tcpPair(t)
	srv := tls.Server(a, &tls.Config{MaxVersion: tls.VersionTLS12,
		Certificates: []tls.Certificate{{Certificate: [][]byte{c.Raw}, PrivateKey: key}}})
	go srv.Handshake()
	cfg := (&Policy{Insecure: true, MinVersion: tls.VersionTLS13}).Config()
	cfg.ServerName = "127.0.0.1"
	if err := tls.Client(b, cfg).Handshake(); err == nil || !strings.Contains(err.Error(), "protocol version") {
		t.Errorf("handshake: %v, want a protocol version error", err)
	}
}

// A changed certificate's message shows the server's subject with its
// control characters escaped: a CN holding CR LF cannot forge a line.
func TestChangedErrorEscapesSubject(t *testing.T) {
	e := &ChangedError{Addr: "h:21", Subject: "CN=evil\r\nferry: all is well\x1b[2J"}
	msg := e.Error()
	if strings.ContainsAny(msg, "\r\n\x1b") {
		t.Errorf("message holds control characters: %q", msg)
	}
	if !strings.Contains(msg, `CN=evil\r\nferry: all is well\x1b[2J`) {
		t.Errorf("message does not show the escaped subject: %q", msg)
	}
}
