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
