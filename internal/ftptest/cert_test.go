package ftptest

import (
	"bufio"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"net"
	"strings"
	"testing"
	"time"
)

// TestCertHosts checks that a server with CertHosts presents a certificate
// for those names only, and that CertPool and CertPEM trust that one.
func TestCertHosts(t *testing.T) {
	srv := New(t, Config{TLS: TLSImplicit, CertHosts: []string{"ftp.example.org"}})
	handshake := func(name string) error {
		nc, err := net.DialTimeout("tcp", srv.Addr(), 5*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		defer nc.Close()
		nc.SetDeadline(time.Now().Add(5 * time.Second))
		tc := tls.Client(nc, &tls.Config{RootCAs: srv.CertPool(), ServerName: name})
		if err := tc.Handshake(); err != nil {
			return err
		}
		line, err := bufio.NewReader(tc).ReadString('\n')
		if err != nil || !strings.HasPrefix(line, "220") {
			t.Errorf("greeting %q, %v", line, err)
		}
		return nil
	}
	if err := handshake("ftp.example.org"); err != nil {
		t.Errorf("handshake for the certificate's name: %v", err)
	}
	var hostErr x509.HostnameError
	if err := handshake("127.0.0.1"); !errors.As(err, &hostErr) {
		t.Errorf("handshake for 127.0.0.1 = %v, want a host name error", err)
	}
	b, _ := pem.Decode(srv.CertPEM())
	if b == nil {
		t.Fatal("CertPEM holds no PEM block")
	}
	cert, err := x509.ParseCertificate(b.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	if len(cert.DNSNames) != 1 || cert.DNSNames[0] != "ftp.example.org" || len(cert.IPAddresses) != 0 {
		t.Errorf("certificate names %q, addresses %v", cert.DNSNames, cert.IPAddresses)
	}
}
