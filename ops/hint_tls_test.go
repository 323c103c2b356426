package ops

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/ferry-ftp/ferry/client"
)

// A server that offers only TLS 1.2 to a client with --tls-min 1.3 is
// exit 7 with a hint naming --tls-min, not only the TLS library's
// "protocol version not supported".
func TestHintTLSMinVersion(t *testing.T) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "old"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		c.SetDeadline(time.Now().Add(10 * time.Second))
		srv := tls.Server(c, &tls.Config{MaxVersion: tls.VersionTLS12,
			Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}})
		srv.Handshake()
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := client.Dial(ctx, ln.Addr().String(), client.WithTLS(client.TLSImplicit),
		client.WithTLSConfig(&tls.Config{MinVersion: tls.VersionTLS13, InsecureSkipVerify: true}))
	if err == nil {
		c.Close()
		t.Fatal("a TLS 1.2 server was accepted with MinVersion 1.3")
	}
	if code := ExitCode(err); code != ExitTLS {
		t.Errorf("exit %d for %v, want %d", code, err, ExitTLS)
	}
	if h := Hint(err); !strings.Contains(h, "--tls-min") {
		t.Errorf("hint for %v: %q, want one naming --tls-min", err, h)
	}
}
