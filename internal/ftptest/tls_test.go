package ftptest

import (
	"crypto/tls"
	"io"
	"net"
	"testing"
)

var tlsVersions = []struct {
	name    string
	version uint16
}{{"TLS1.2", tls.VersionTLS12}, {"TLS1.3", tls.VersionTLS13}}

func TestExplicitTLS(t *testing.T) {
	for _, network := range []string{"tcp4", "tcp6"} {
		for _, v := range tlsVersions {
			t.Run(network+"/"+v.name, func(t *testing.T) {
				s := newServer(t, Config{Network: network, TLS: TLSExplicit, RequireTLS: true, RequireSessionReuse: true})
				writeFile(t, s, "f", "secret data")
				c := dial(t, s)
				c.startTLS(v.version)
				c.login()
				c.expect(200, "PBSZ 0")
				c.expect(200, "PROT P")
				c.expect(200, "TYPE I")
				get := c.prepare(modeEPSV)
				c.send("RETR f")
				dc := get()
				c.expectReply(150)
				b, err := io.ReadAll(dc)
				if err != nil || string(b) != "secret data" {
					t.Fatalf("RETR over TLS: %q, %v", b, err)
				}
				st := dc.(*tls.Conn).ConnectionState()
				if !st.DidResume || st.Version != v.version {
					t.Errorf("client side: DidResume %v, version %x", st.DidResume, st.Version)
				}
				dc.Close()
				c.expectReply(226)
				c.stor(modeEPRT, "STOR up", "uploaded")
				c.stor(modeEPSV, "STOR empty", "")
				if got := readFile(t, s, "up") + "|" + readFile(t, s, "empty"); got != "uploaded|" {
					t.Errorf("STOR over TLS wrote %q", got)
				}
				for _, d := range s.DataConns() {
					if !d.TLS || !d.DidResume {
						t.Errorf("DataConn %+v", d)
					}
				}
			})
		}
	}
}

// Without resumption of the control session, RequireSessionReuse answers
// as vsftpd does.
func TestSessionReuseRequired(t *testing.T) {
	for _, v := range tlsVersions {
		t.Run(v.name, func(t *testing.T) {
			s := newServer(t, Config{TLS: TLSExplicit, RequireSessionReuse: true})
			writeFile(t, s, "f", "data")
			c := dial(t, s)
			c.startTLS(v.version)
			c.login()
			c.expect(200, "PBSZ 0")
			c.expect(200, "PROT P")
			fresh := c.tls.Clone()
			fresh.ClientSessionCache = nil
			c.tls = fresh
			get := c.prepare(modeEPSV)
			c.send("RETR f")
			dc := get()
			c.expectReply(150)
			if b, err := io.ReadAll(dc); err == nil && len(b) > 0 {
				t.Errorf("got data %q", b)
			}
			if msg := c.expectReply(522); msg != "SSL connection failed: session reuse required" {
				t.Errorf("522 text %q", msg)
			}
			if d := s.DataConns(); len(d) != 1 || !d[0].TLS || d[0].DidResume {
				t.Errorf("DataConns %+v", d)
			}
			// Without the requirement the same connection is served.
			s2 := newServer(t, Config{TLS: TLSExplicit})
			writeFile(t, s2, "f", "data")
			c2 := dial(t, s2)
			c2.startTLS(v.version)
			c2.login()
			c2.expect(200, "PBSZ 0")
			c2.expect(200, "PROT P")
			c2.tls = fresh
			if got := c2.retr(modeEPSV, "f"); got != "data" {
				t.Errorf("RETR: %q", got)
			}
			if d := s2.DataConns(); len(d) != 1 || !d[0].TLS || d[0].DidResume {
				t.Errorf("DataConns %+v", d)
			}
		})
	}
}

func TestImplicitTLS(t *testing.T) {
	s := newServer(t, Config{TLS: TLSImplicit})
	writeFile(t, s, "f", "implicit")
	c := dialRaw(t, s)
	c.handshake(0)
	c.expectReply(220)
	c.expect(503, "AUTH TLS")
	c.login()
	feat := c.expect(211, "FEAT")
	if want := "Features:\n PBSZ\n PROT\n"; feat[:len(want)] != want {
		t.Errorf("FEAT: %q", feat)
	}
	c.expect(200, "PBSZ 0")
	c.expect(200, "PROT P")
	if got := c.retr(modePASV, "f"); got != "implicit" {
		t.Errorf("RETR: %q", got)
	}
	if d := s.DataConns(); len(d) != 1 || !d[0].TLS || !d[0].DidResume {
		t.Errorf("DataConns %+v", d)
	}
}

func TestRequireTLS(t *testing.T) {
	s := newServer(t, Config{TLS: TLSExplicit, RequireTLS: true})
	c := dial(t, s)
	c.expect(530, "USER user")
	c.startTLS(0)
	c.login()
	c.expect(521, "LIST")
	c.expect(200, "PBSZ 0")
	c.expect(200, "PROT C")
	c.prepare(modeEPSV)
	c.expect(521, "RETR f")
	c.expect(200, "PROT P")
	if got := c.list(modeEPSV, "NLST"); got != "" {
		t.Errorf("NLST: %q", got)
	}
}

func TestTLSCommandOrder(t *testing.T) {
	s := newServer(t, Config{TLS: TLSExplicit})
	c := dial(t, s)
	c.expect(503, "PBSZ 0")
	c.expect(503, "PROT P")
	c.expect(504, "AUTH KERBEROS_V4")
	c.login()
	// AUTH resets the login (RFC 2228).
	c.startTLS(0)
	c.expect(530, "PWD")
	c.expect(503, "AUTH TLS")
	c.expect(503, "PROT P")
	c.expect(501, "PBSZ x")
	c.expect(200, "PBSZ 0")
	c.expect(536, "PROT S")
	c.expect(504, "PROT Q")

	plain := newServer(t, Config{})
	dial(t, plain).expect(502, "AUTH TLS")
	disabled := newServer(t, Config{TLS: TLSExplicit, Disable: []string{"AUTH"}})
	dial(t, disabled).expect(502, "AUTH TLS")
}

// The certificate verifies for every loopback name.
func TestCertificateNames(t *testing.T) {
	for _, tc := range []struct{ network, name string }{
		{"tcp4", "127.0.0.1"}, {"tcp4", "localhost"}, {"tcp6", "::1"},
	} {
		s := newServer(t, Config{Network: tc.network, TLS: TLSImplicit})
		conn, err := tls.Dial("tcp", s.Addr(), &tls.Config{RootCAs: s.CertPool(), ServerName: tc.name})
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		conn.Close()
	}
}

// A data connection that never starts its TLS handshake fails with 425
// (the zero-byte upload trap, jlaffaye/ftp PR 221).
func TestDataWithoutHandshake(t *testing.T) {
	s := newServer(t, Config{TLS: TLSExplicit})
	c := dial(t, s)
	c.startTLS(0)
	c.login()
	c.expect(200, "PBSZ 0")
	c.expect(200, "PROT P")
	get := c.prepare(modeEPSV)
	c.send("STOR empty")
	dc := get().(*tls.Conn)
	c.expectReply(150)
	dc.NetConn().(*net.TCPConn).Close()
	c.expectReply(425)
}

// A data connection that resumes the TLS session of another control
// connection (a client sharing one session cache across connections,
// rclone issue 7234) is refused: each session has ticket keys of its own.
func TestSessionReuseOfAnotherSessionRefused(t *testing.T) {
	for _, v := range tlsVersions {
		t.Run(v.name, func(t *testing.T) {
			s := newServer(t, Config{TLS: TLSExplicit, RequireSessionReuse: true})
			writeFile(t, s, "f", "data")
			a, b := dial(t, s), dial(t, s)
			for _, c := range []*client{a, b} {
				c.startTLS(v.version)
				c.login()
				c.expect(200, "PBSZ 0")
				c.expect(200, "PROT P")
			}
			// Each resumes its own session.
			if got := a.retr(modeEPSV, "f") + b.retr(modeEPSV, "f"); got != "datadata" {
				t.Fatalf("RETR: %q", got)
			}
			// a's data connection offers b's ticket.
			a.tls = b.tls
			get := a.prepare(modeEPSV)
			a.send("RETR f")
			dc := get()
			a.expectReply(150)
			if d, err := io.ReadAll(dc); err == nil && len(d) > 0 {
				t.Errorf("got data %q", d)
			}
			a.expectReply(522)
			d := s.DataConns()
			if len(d) != 3 || !d[0].DidResume || !d[1].DidResume || d[2].DidResume {
				t.Errorf("DataConns %+v", d)
			}
		})
	}
}
