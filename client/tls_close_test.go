package client

import (
	"context"
	"crypto/tls"
	"net"
	"sync"
	"testing"

	"github.com/ferry-ftp/ferry/internal/ftptest"
)

// recordTypeAlert is the TLS record type of alerts, close_notify among
// them (RFC 5246 section 6.2.1). Under TLS 1.2 it is visible on the wire.
const recordTypeAlert = 21

// recordConn notes the TLS record type of every write; crypto/tls writes
// each record after the handshake with one Write call.
type recordConn struct {
	net.Conn
	mu    *sync.Mutex
	types *[]byte
}

func (r recordConn) Write(b []byte) (int, error) {
	if len(b) > 0 {
		r.mu.Lock()
		*r.types = append(*r.types, b[0])
		r.mu.Unlock()
	}
	return r.Conn.Write(b)
}

// recordDialer wraps the data connections it dials (every one after the
// first dial, which is the control connection) in a recordConn.
type recordDialer struct {
	mu    sync.Mutex
	n     int
	types []*[]byte
}

func (d *recordDialer) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	var nd net.Dialer
	nc, err := nd.DialContext(ctx, network, addr)
	if err != nil {
		return nil, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.n++; d.n == 1 {
		return nc, nil
	}
	types := new([]byte)
	d.types = append(d.types, types)
	return recordConn{Conn: nc, mu: &d.mu, types: types}, nil
}

// lastTypes returns the record type of the last write on each data
// connection.
func (d *recordDialer) lastTypes() []byte {
	d.mu.Lock()
	defer d.mu.Unlock()
	var out []byte
	for _, t := range d.types {
		if len(*t) == 0 {
			out = append(out, 0)
			continue
		}
		out = append(out, (*t)[len(*t)-1])
	}
	return out
}

// TestDataTLSSendsCloseNotify: every protected data connection ends with
// a TLS alert record, the close_notify, from the client: after a download,
// after an upload, and after a zero-byte upload.
func TestDataTLSSendsCloseNotify(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{TLS: ftptest.TLSExplicit, RequireTLS: true, RequireSessionReuse: true})
	writeFile(t, srv, "f", []byte("data"))
	d := &recordDialer{}
	cfg := &tls.Config{RootCAs: srv.CertPool(), MaxVersion: tls.VersionTLS12}
	c := dialLogin(t, srv, WithTLS(TLSExplicit), WithTLSConfig(cfg), WithDialer(d))
	if got := string(get(t, c, "f", 0)); got != "data" {
		t.Fatalf("Retr = %q", got)
	}
	put(t, c, "up", 0, []byte("uploaded"), false)
	put(t, c, "empty", 0, nil, false)
	if got := string(readFile(t, srv, "up")); got != "uploaded" {
		t.Fatalf("uploaded file = %q", got)
	}
	last := d.lastTypes()
	if len(last) != 3 {
		t.Fatalf("%d data connections dialed, want 3", len(last))
	}
	for i, typ := range last {
		if typ != recordTypeAlert {
			t.Errorf("data connection %d: last record type %d, want an alert (close_notify)", i, typ)
		}
	}
	for i, dc := range srv.DataConns() {
		if !dc.TLS || !dc.DidResume {
			t.Errorf("data connection %d: %+v", i, dc)
		}
	}
}
