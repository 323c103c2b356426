package client

import (
	"bytes"
	"crypto/tls"
	"os"
	"path/filepath"
	"testing"

	"github.com/ferry-ftp/ferry/internal/realserver"
)

// TestTLS13UploadComplete uploads over TLS 1.3 to real servers that send
// session tickets on data connections: closing without reading them reset
// the connection and pyftpdlib kept a short file (found by the realserver
// tests; see closeUpload).
func TestTLS13UploadComplete(t *testing.T) {
	for _, kind := range []realserver.Kind{"pyftpdlib", "vsftpd"} {
		srv := realserver.StartOrSkip(t, kind, realserver.Options{TLS: realserver.TLSExplicit})
		cfg := srv.TLSConfig()
		cfg.MinVersion = tls.VersionTLS13
		c, err := Dial(testCtx(t), srv.Addr, WithTLS(TLSExplicit), WithTLSConfig(cfg))
		if err != nil {
			t.Fatal(err)
		}
		if err := c.Login(testCtx(t), srv.User, srv.Password); err != nil {
			t.Fatal(err)
		}
		c.Type(testCtx(t), TypeBinary)
		data := bytes.Repeat([]byte("abcdefghij"), 200_000)
		for i := 0; i < 10; i++ {
			wc, err := c.Stor(testCtx(t), "up.bin", 0)
			if err != nil {
				t.Fatal(err)
			}
			wc.Write(data)
			if err := wc.Close(); err != nil {
				t.Fatalf("%s round %d: %v", kind, i, err)
			}
			got, _ := os.ReadFile(filepath.Join(srv.Home, "up.bin"))
			if len(got) != len(data) {
				t.Fatalf("%s round %d: %d bytes on server", kind, i, len(got))
			}
		}
		c.Quit(testCtx(t))
	}
}
