package client

import (
	"crypto/tls"
	"testing"

	"github.com/ferry-ftp/ferry/internal/ftptest"
)

// TestDataTLSResumesControlSession checks session reuse under both TLS
// versions, and that each control connection resumes its own session.
func TestDataTLSResumesControlSession(t *testing.T) {
	for _, v := range []uint16{tls.VersionTLS12, tls.VersionTLS13} {
		t.Run(tls.VersionName(v), func(t *testing.T) {
			srv := ftptest.New(t, ftptest.Config{TLS: ftptest.TLSExplicit, RequireTLS: true, RequireSessionReuse: true})
			writeFile(t, srv, "f", []byte("data"))
			cfg := &tls.Config{RootCAs: srv.CertPool(), MinVersion: v, MaxVersion: v}
			a := dialLogin(t, srv, WithTLS(TLSExplicit), WithTLSConfig(cfg))
			b := dialLogin(t, srv, WithTLS(TLSExplicit), WithTLSConfig(cfg), WithDataMode(Active))
			for _, c := range []*Conn{a, b, a, b} {
				if got := string(get(t, c, "f", 0)); got != "data" {
					t.Fatalf("got %q", got)
				}
			}
			st, _ := a.TLSState()
			if st.Version != v {
				t.Errorf("control connection uses %s", tls.VersionName(st.Version))
			}
			dcs := srv.DataConns()
			if len(dcs) != 4 {
				t.Fatalf("%d data connections", len(dcs))
			}
			for i, dc := range dcs {
				if !dc.TLS || !dc.DidResume {
					t.Errorf("data connection %d: %+v", i, dc)
				}
			}
		})
	}
}

// TestDataTLSOffersControlGroup lists and downloads from a server that
// takes only P-256, as vsftpd does: the control connection's handshake
// needs a HelloRetryRequest, the data connections' never do, and they
// still resume the control session.
func TestDataTLSOffersControlGroup(t *testing.T) {
	for _, v := range []uint16{tls.VersionTLS12, tls.VersionTLS13} {
		t.Run(tls.VersionName(v), func(t *testing.T) {
			srv := ftptest.New(t, ftptest.Config{TLS: ftptest.TLSExplicit, RequireTLS: true, RequireSessionReuse: true,
				TLSCurves: []tls.CurveID{tls.CurveP256}})
			writeFile(t, srv, "f", []byte("data"))
			cfg := &tls.Config{RootCAs: srv.CertPool(), MaxVersion: v}
			c := dialLogin(t, srv, WithTLS(TLSExplicit), WithTLSConfig(cfg))
			for range 3 {
				if got := string(get(t, c, "f", 0)); got != "data" {
					t.Fatalf("got %q", got)
				}
			}
			st, _ := c.TLSState()
			if st.CurveID != tls.CurveP256 {
				t.Fatalf("control connection agreed on %v", st.CurveID)
			}
			if v == tls.VersionTLS13 && !st.HelloRetryRequest {
				t.Errorf("the control handshake took no HelloRetryRequest: the test server does not force one")
			}
			dcs := srv.DataConns()
			if len(dcs) != 3 {
				t.Fatalf("%d data connections", len(dcs))
			}
			for i, dc := range dcs {
				if !dc.TLS || !dc.DidResume || dc.HelloRetry {
					t.Errorf("data connection %d: %+v; want resumed without a HelloRetryRequest", i, dc)
				}
			}
			if cfg.CurvePreferences != nil {
				t.Errorf("the caller's configuration was changed: %v", cfg.CurvePreferences)
			}
		})
	}
}
