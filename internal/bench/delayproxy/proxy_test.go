package delayproxy

import (
	"bytes"
	"context"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ferry-ftp/ferry/client"
	"github.com/ferry-ftp/ferry/internal/ftptest"
)

func TestParsePASV(t *testing.T) {
	tests := []struct {
		line string
		port int
		ok   bool
	}{
		{"227 Entering Passive Mode (127,0,0,1,39,16).\r\n", 10000, true},
		{"227 =127,0,0,1,4,1\r\n", 1025, true},
		{"227 Entering Passive Mode (127,0,0,1,300,16).\r\n", 0, false},
		{"227 Entering Passive Mode (127,0,0,1,39).\r\n", 0, false},
		{"227 no address\r\n", 0, false},
	}
	for _, tt := range tests {
		_, port, err := parsePASV(tt.line)
		if (err == nil) != tt.ok || port != tt.port {
			t.Errorf("parsePASV(%q) = %d, %v; want %d, ok %v", tt.line, port, err, tt.port, tt.ok)
		}
	}
}

func TestParseEPSV(t *testing.T) {
	tests := []struct {
		line string
		port int
		ok   bool
	}{
		{"229 Entering Extended Passive Mode (|||6446|)\r\n", 6446, true},
		{"229 Entering Extended Passive Mode (!!!21!)\r\n", 21, true},
		{"229 Entering Extended Passive Mode (|||0|)\r\n", 0, false},
		{"229 Entering Extended Passive Mode (||6446|)\r\n", 0, false},
		{"229 Entering Extended Passive Mode (|||70000|)\r\n", 0, false},
		{"229 nothing\r\n", 0, false},
	}
	for _, tt := range tests {
		port, err := parseEPSV(tt.line)
		if (err == nil) != tt.ok || port != tt.port {
			t.Errorf("parseEPSV(%q) = %d, %v; want %d, ok %v", tt.line, port, err, tt.port, tt.ok)
		}
	}
}

func TestFormatRoundTrip(t *testing.T) {
	line, err := formatPASV("127.0.0.1", 50123)
	if err != nil {
		t.Fatal(err)
	}
	if _, port, err := parsePASV(line); err != nil || port != 50123 {
		t.Errorf("parsePASV(%q) = %d, %v", line, port, err)
	}
	if port, err := parseEPSV(formatEPSV(50123)); err != nil || port != 50123 {
		t.Errorf("parseEPSV(formatEPSV(50123)) = %d, %v", port, err)
	}
	if _, err := formatPASV("::1", 21); err == nil {
		t.Error("formatPASV accepted an IPv6 host")
	}
}

// TestRewriteKeepsOtherLines checks that replies other than 227 and 229,
// and continuation lines that look like them, pass unchanged.
func TestRewriteKeepsOtherLines(t *testing.T) {
	p := &Proxy{upstream: "127.0.0.1:21", host: "127.0.0.1"}
	for _, line := range []string{
		"220 ready\r\n",
		"227-not a final line\r\n",
		"2270 nonsense\r\n",
		"229 Entering Extended Passive Mode (broken)\r\n",
	} {
		if got := p.rewrite(line); got != line {
			t.Errorf("rewrite(%q) = %q", line, got)
		}
	}
}

// session starts a test server holding a file of size bytes, and a proxy
// in front of it with the given round trip, and returns a logged-in
// client connection through the proxy.
func session(t *testing.T, rtt time.Duration, size int, opts ...client.Option) (*client.Conn, *ftptest.Server, *Proxy, []byte) {
	t.Helper()
	root := t.TempDir()
	data := make([]byte, size)
	rand.NewChaCha8([32]byte{1}).Read(data)
	if err := os.WriteFile(filepath.Join(root, "file.bin"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	srv := ftptest.New(t, ftptest.Config{Root: root})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	p, err := Listen(ctx, "127.0.0.1:0", srv.Addr(), rtt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	c, err := client.Dial(ctx, p.Addr(), opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if err := c.Login(ctx, "user", "pass"); err != nil {
		t.Fatal(err)
	}
	if err := c.Type(ctx, client.TypeBinary); err != nil {
		t.Fatal(err)
	}
	return c, srv, p, data
}

// TestTransfersPassThrough downloads and uploads through the proxy with
// EPSV and with PASV, and checks the bytes and that every data connection
// went through the proxy.
func TestTransfersPassThrough(t *testing.T) {
	for _, epsv := range []bool{true, false} {
		name := map[bool]string{true: "EPSV", false: "PASV"}[epsv]
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			c, srv, p, data := session(t, 2*time.Millisecond, 3<<20, client.WithEPSV(epsv))
			r, err := c.Retr(ctx, "file.bin", 0)
			if err != nil {
				t.Fatal(err)
			}
			got, err := io.ReadAll(r)
			if cerr := r.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, data) {
				t.Fatalf("downloaded %d bytes, not the %d of the file", len(got), len(data))
			}
			w, err := c.Stor(ctx, "up.bin", 0)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := w.Write(data); err != nil {
				t.Fatal(err)
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			up, err := os.ReadFile(filepath.Join(srv.Root(), "up.bin"))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(up, data) {
				t.Fatalf("uploaded file has %d bytes, want the %d sent", len(up), len(data))
			}
			if n := p.DataConns(); n != 2 {
				t.Errorf("proxy relayed %d data connections, want 2", n)
			}
		})
	}
}

// TestAddsRoundTrip checks that a command's reply comes no sooner than one
// round trip after it was sent.
func TestAddsRoundTrip(t *testing.T) {
	const rtt = 30 * time.Millisecond
	c, _, _, _ := session(t, rtt, 1)
	ctx := context.Background()
	for range 3 {
		began := time.Now()
		if err := c.Noop(ctx); err != nil {
			t.Fatal(err)
		}
		if took := time.Since(began); took < rtt {
			t.Errorf("NOOP answered after %v, before the %v round trip", took, rtt)
		}
	}
}

// TestCloseEndsSessions checks that Close returns while a session is open
// and that the client then sees its connection closed.
func TestCloseEndsSessions(t *testing.T) {
	c, _, p, _ := session(t, time.Millisecond, 1)
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	if err := c.Noop(context.Background()); err == nil {
		t.Error("NOOP succeeded after the proxy closed")
	}
}
