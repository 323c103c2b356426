package proxy

import (
	"crypto/tls"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ferry-ftp/ferry/client"
	"github.com/ferry-ftp/ferry/internal/ftptest"
)

// ftpThroughSOCKS5H connects to srv, named ftp.test, through a socks5h
// proxy that resolves that name, and downloads f.
func ftpThroughSOCKS5H(t *testing.T, srv *ftptest.Server, opts ...client.Option) (*socksServer, string, error) {
	t.Helper()
	s := &socksServer{resolve: map[string]string{"ftp.test": "127.0.0.1"}}
	p, err := Parse("socks5h://" + fakeProxy(t, s.handle))
	if err != nil {
		t.Fatal(err)
	}
	_, port, _ := net.SplitHostPort(srv.Addr())
	opts = append(opts, client.WithDialer(p.Dialer()))
	c, err := client.Dial(dialCtx(t), "ftp.test:"+port, opts...)
	if err != nil {
		return s, "", err
	}
	defer c.Close()
	if err := c.Login(dialCtx(t), "user", "pass"); err != nil {
		t.Fatal(err)
	}
	rc, err := c.Retr(dialCtx(t), "f", 0)
	if err != nil {
		t.Fatal(err)
	}
	data, err := io.ReadAll(rc)
	if cerr := rc.Close(); err == nil {
		err = cerr
	}
	return s, string(data), err
}

// TestTLSThroughProxy: through a proxy, TLS (explicit and implicit, on
// the control and the data connections) is verified against the FTP server's name, not the
// proxy's address: a certificate for ftp.test only works, one for another
// name is a TLS error.
func TestTLSThroughProxy(t *testing.T) {
	for _, tt := range []struct {
		mode    ftptest.TLSMode
		certFor string
		ok      bool
	}{
		{ftptest.TLSExplicit, "ftp.test", true},
		{ftptest.TLSExplicit, "other.test", false},
		{ftptest.TLSImplicit, "ftp.test", true},
		{ftptest.TLSImplicit, "other.test", false},
	} {
		srv := ftptest.New(t, ftptest.Config{TLS: tt.mode, RequireTLS: true, CertHosts: []string{tt.certFor}})
		if err := os.WriteFile(filepath.Join(srv.Root(), "f"), []byte("secret data"), 0o644); err != nil {
			t.Fatal(err)
		}
		mode := client.TLSExplicit
		if tt.mode == ftptest.TLSImplicit {
			mode = client.TLSImplicit
		}
		s, data, err := ftpThroughSOCKS5H(t, srv, client.WithTLS(mode), client.WithTLSConfig(&tls.Config{RootCAs: srv.CertPool()}))
		if !tt.ok {
			if client.KindOf(err) != client.KindTLS {
				t.Errorf("certificate for %s: %v, want a TLS error", tt.certFor, err)
			}
			continue
		}
		if err != nil || data != "secret data" {
			t.Fatalf("certificate for %s: %q, %v", tt.certFor, data, err)
		}
		seen := s.seen()
		if len(seen) != 2 || !strings.HasPrefix(seen[0], "name ftp.test:") || !strings.HasPrefix(seen[1], "name ftp.test:") {
			t.Errorf("proxy saw %q, want the control and the data connection to ftp.test", seen)
		}
	}
}

// TestPASVAddressThroughProxy: through a proxy, the address in a 227
// reply is still ignored: the data connection goes to the server's name.
func TestPASVAddressThroughProxy(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{PASVAddress: "10.255.0.1", Disable: []string{"EPSV"}})
	if err := os.WriteFile(filepath.Join(srv.Root(), "f"), []byte("data"), 0o644); err != nil {
		t.Fatal(err)
	}
	s, data, err := ftpThroughSOCKS5H(t, srv)
	if err != nil || data != "data" {
		t.Fatalf("%q, %v", data, err)
	}
	for _, seen := range s.seen() {
		if !strings.HasPrefix(seen, "name ftp.test:") {
			t.Errorf("proxy was asked for %s, want ftp.test only", seen)
		}
	}
}
