package realserver

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// CertKind says which certificate a server presents (Options.Cert).
type CertKind int

const (
	// CertRun is the self-signed certificate made once for the run and
	// shared by every server (Server.CertPool trusts it).
	CertRun CertKind = iota
	// CertCA is a certificate signed by the run's CA (Server.CAFile),
	// which is not the run's shared certificate: a client trusts it only
	// through that CA.
	CertCA
	// CertOwn is a self-signed certificate of the server's own, made anew
	// at each start: a restarted server presents another one, as a
	// server whose certificate was replaced.
	CertOwn
)

// runCA is the certificate authority made once per process: it signs
// CertCA server certificates and the client certificates that servers
// started with Options.RequireClientCert demand (ClientCertificate).
var runCA = sync.OnceValues(func() (*authority, error) { return newAuthority("ferry test CA") })

// authority is a CA that can sign certificates.
type authority struct {
	cert    *x509.Certificate
	key     *ecdsa.PrivateKey
	certPEM []byte
}

func newAuthority(name string) (*authority, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("realserver: make CA key: %w", err)
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber:          serialNumber(),
		Subject:               pkix.Name{Organization: []string{"ferry interop tests"}, CommonName: name},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(30 * 24 * time.Hour),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, fmt.Errorf("realserver: make CA: %w", err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("realserver: parse CA: %w", err)
	}
	return &authority{cert: cert, key: key, certPEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})}, nil
}

func serialNumber() *big.Int {
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 120))
	if err != nil {
		panic("realserver: " + err.Error()) // crypto/rand does not fail
	}
	return n
}

// serverTemplate is a server certificate's template for the loopback
// names every server answers on.
func serverTemplate(cn string) *x509.Certificate {
	now := time.Now()
	return &x509.Certificate{
		SerialNumber: serialNumber(),
		Subject:      pkix.Name{Organization: []string{"ferry interop tests"}, CommonName: cn},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(30 * 24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames:     []string{"localhost"},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1), net.IPv4(127, 0, 0, 2), net.IPv6loopback},
	}
}

// serverCertificate makes the certificate of kind for one server: signed
// by the run's CA, or self-signed (with IsCA, so that a client can trust
// it alone as a root). RSA, for the servers' "RSA" directives.
func serverCertificate(kind CertKind) (*certificate, error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, fmt.Errorf("realserver: make key: %w", err)
	}
	tmpl := serverTemplate("localhost")
	parent, signer := tmpl, any(key)
	pool := x509.NewCertPool()
	switch kind {
	case CertCA:
		ca, err := runCA()
		if err != nil {
			return nil, err
		}
		parent, signer = ca.cert, ca.key
		pool.AddCert(ca.cert)
	case CertOwn:
		tmpl.Subject.CommonName = "localhost (own certificate)"
		tmpl.IsCA, tmpl.BasicConstraintsValid = true, true
		tmpl.KeyUsage |= x509.KeyUsageCertSign
	default:
		return runCert()
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &key.PublicKey, signer)
	if err != nil {
		return nil, fmt.Errorf("realserver: make certificate: %w", err)
	}
	if kind == CertOwn {
		leaf, err := x509.ParseCertificate(der)
		if err != nil {
			return nil, fmt.Errorf("realserver: parse certificate: %w", err)
		}
		pool.AddCert(leaf)
	}
	return &certificate{
		certPEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		keyPEM:  pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)}),
		pool:    pool,
	}, nil
}

// writeCA writes the run's CA certificate into dir as ca.pem and returns
// its name.
func writeCA(dir string) (string, error) {
	ca, err := runCA()
	if err != nil {
		return "", err
	}
	name := filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(name, ca.certPEM, 0o644); err != nil {
		return "", fmt.Errorf("realserver: %w", err)
	}
	return name, nil
}

// ClientCertificate makes a client certificate signed by the run's CA,
// which servers started with Options.RequireClientCert accept, and
// returns it with its ECDSA key as PEM (the key in PKCS #8 form).
func ClientCertificate(name string) (certPEM, keyPEM []byte, err error) {
	ca, err := runCA()
	if err != nil {
		return nil, nil, err
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, fmt.Errorf("realserver: make client key: %w", err)
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber: serialNumber(),
		Subject:      pkix.Name{Organization: []string{"ferry interop tests"}, CommonName: name},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(30 * 24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, &key.PublicKey, ca.key)
	if err != nil {
		return nil, nil, fmt.Errorf("realserver: make client certificate: %w", err)
	}
	pk, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, nil, fmt.Errorf("realserver: %w", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pk}), nil
}

// clientKeyPair is ClientCertificate as a tls.Certificate, for the
// readiness check of a server that demands one.
func clientKeyPair() (tls.Certificate, error) {
	c, k, err := ClientCertificate("ferry readiness check")
	if err != nil {
		return tls.Certificate{}, err
	}
	return tls.X509KeyPair(c, k)
}
