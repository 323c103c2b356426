package realserver

import (
	"crypto/rand"
	"crypto/rsa"
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

// certificate is the TLS identity made once per process for all servers it
// starts: a self-signed RSA certificate for 127.0.0.1, 127.0.0.2 (for a
// relay in front of the server), ::1 and localhost.
// RSA because vsftpd and proftpd take it through their "RSA" directives.
type certificate struct {
	certPEM, keyPEM []byte
	pool            *x509.CertPool
}

var runCert = sync.OnceValues(newCertificate)

func newCertificate() (*certificate, error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, fmt.Errorf("realserver: make key: %w", err)
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 120))
	if err != nil {
		return nil, fmt.Errorf("realserver: make serial: %w", err)
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{Organization: []string{"ferry interop tests"}, CommonName: "localhost"},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(30 * 24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		DNSNames:              []string{"localhost"},
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1), net.IPv4(127, 0, 0, 2), net.IPv6loopback},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, fmt.Errorf("realserver: make certificate: %w", err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("realserver: parse certificate: %w", err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return &certificate{
		certPEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		keyPEM:  pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)}),
		pool:    pool,
	}, nil
}

// certFiles are the PEM files written into a server's folder.
type certFiles struct {
	Cert, Key string
	Both      string // key then certificate in one file, as pure-ftpd wants
}

// write puts the certificate and key into dir; the keys are readable by
// their owner only.
func (c *certificate) write(dir string) (certFiles, error) {
	f := certFiles{
		Cert: filepath.Join(dir, "cert.pem"),
		Key:  filepath.Join(dir, "key.pem"),
		Both: filepath.Join(dir, "key-cert.pem"),
	}
	both := append(append([]byte{}, c.keyPEM...), c.certPEM...)
	for _, w := range []struct {
		name string
		data []byte
		perm os.FileMode
	}{{f.Cert, c.certPEM, 0o644}, {f.Key, c.keyPEM, 0o600}, {f.Both, both, 0o600}} {
		if err := os.WriteFile(w.name, w.data, w.perm); err != nil {
			return certFiles{}, fmt.Errorf("realserver: %w", err)
		}
	}
	return f, nil
}
