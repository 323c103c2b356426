package client

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net"
	"strconv"
	"strings"
	"testing"

	"github.com/ferry-ftp/ferry/internal/ftptest"
)

// Data connection modes, ports and addresses; REST; hashes.

type dialerFunc func(ctx context.Context, network, addr string) (net.Conn, error)

func (f dialerFunc) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	return f(ctx, network, addr)
}

// TestDialerDataGoesToDialedHost: with a custom dialer (a proxy or a
// tunnel), passive data connections dial the host given to Dial through
// that dialer, not the proxy's address.
func TestDialerDataGoesToDialedHost(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{})
	writeFile(t, srv, "f", []byte("data"))
	// A "proxy" on 127.0.0.2 that forwards the control connection only.
	ln, err := net.Listen("tcp4", "127.0.0.2:0")
	if err != nil {
		t.Skip(err)
	}
	defer ln.Close()
	go func() {
		for {
			in, err := ln.Accept()
			if err != nil {
				return
			}
			out, err := net.Dial("tcp", srv.Addr())
			if err != nil {
				in.Close()
				return
			}
			go func() { io.Copy(out, in); out.Close() }()
			go func() { io.Copy(in, out); in.Close() }()
		}
	}()
	var dialed []string
	proxy := dialerFunc(func(ctx context.Context, network, addr string) (net.Conn, error) {
		dialed = append(dialed, addr)
		if addr == srv.Addr() {
			addr = ln.Addr().String()
		}
		var d net.Dialer
		return d.DialContext(ctx, network, addr)
	})
	c := dialLogin(t, srv, WithDialer(proxy))
	if got := c.RemoteAddr().IP.String(); got != "127.0.0.2" {
		t.Fatalf("control peer %s, want the proxy", got)
	}
	if got := string(get(t, c, "f", 0)); got != "data" {
		t.Fatalf("got %q", got)
	}
	if len(dialed) != 2 || !strings.HasPrefix(dialed[1], "127.0.0.1:") {
		t.Errorf("dialed %q, want the server's host for data", dialed)
	}
}

// TestActiveClassicPortFirstOnly: control port + 1 serves the first
// active data connection only; later ones use other ports, since the last
// connection's TIME_WAIT could block a reuse.
func TestActiveClassicPortFirstOnly(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{})
	writeFile(t, srv, "f", []byte("data"))
	c := dialLogin(t, srv, WithDataMode(Active))
	classic := c.LocalAddr().Port + 1
	get(t, c, "f", 0)
	if got := dataPort(t, srv); got != classic {
		t.Errorf("first data connection to port %d, want %d", got, classic)
	}
	for range 2 {
		get(t, c, "f", 0)
		if got := dataPort(t, srv); got == classic {
			t.Errorf("a later data connection used the classic port %d again", got)
		}
	}
}

// TestActivePortRange: with WithActivePorts, only ports of the range are
// used, the first time too, and they change from one transfer to the next.
func TestActivePortRange(t *testing.T) {
	const lo, hi = 41000, 41999
	srv := ftptest.New(t, ftptest.Config{})
	writeFile(t, srv, "f", []byte("data"))
	c := dialLogin(t, srv, WithDataMode(Active), WithActivePorts(lo, hi))
	var ports []int
	for range 3 {
		if got := string(get(t, c, "f", 0)); got != "data" {
			t.Fatalf("got %q", got)
		}
		p := dataPort(t, srv)
		if p < lo || p > hi {
			t.Errorf("data connection to port %d, outside %d-%d", p, lo, hi)
		}
		if len(ports) > 0 && p == ports[len(ports)-1] {
			t.Errorf("port %d used twice in a row", p)
		}
		ports = append(ports, p)
	}
}

// TestActiveRetryOn425: in active mode a 425 (the server could not
// connect) is retried once with a fresh port; in passive mode it is not.
func TestActiveRetryOn425(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{Hook: hookVerb("RETR", 1, &ftptest.Reply{Code: 425, Text: "Can't open data connection."})})
	writeFile(t, srv, "f", []byte("data"))
	c := dialLogin(t, srv, WithDataMode(Active))
	if got := string(get(t, c, "f", 0)); got != "data" {
		t.Fatalf("got %q", got)
	}
	cmds := srv.SessionCommands(1)
	matchCommands(t, cmds, []string{"USER user", "PASS pass", "PORT *", "RETR f", "PORT *", "RETR f"})
	if len(cmds) == 6 && cmds[2] == cmds[4] {
		t.Errorf("retry announced the same port: %q", cmds)
	}

	srv2 := ftptest.New(t, ftptest.Config{Hook: hookVerb("RETR", 1, &ftptest.Reply{Code: 425, Text: "No."})})
	c = dialLogin(t, srv2)
	if _, err := c.Retr(testCtx(t), "f", 0); ReplyCode(err) != 425 {
		t.Fatalf("passive Retr = %v, want the 425", err)
	}
	matchCommands(t, srv2.SessionCommands(1), []string{"USER user", "PASS pass", "EPSV", "RETR f"})
}

// TestActiveAddrAnnounced: WithActiveAddr sets the address in PORT and
// EPRT (the listener still binds the local address).
func TestActiveAddrAnnounced(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{})
	writeFile(t, srv, "f", []byte("data"))
	c := dialLogin(t, srv, WithDataMode(Active), WithActiveAddr(net.ParseIP("127.0.0.1")))
	if got := string(get(t, c, "f", 0)); got != "data" {
		t.Fatalf("got %q", got)
	}
	// A NAT address: this server refuses a PORT to another host (RFC
	// 2577), which shows what was announced.
	nat := net.ParseIP("192.0.2.7")
	c = dialLogin(t, srv, WithDataMode(Active), WithActiveAddr(nat))
	if _, err := c.Retr(testCtx(t), "f", 0); ReplyCode(err) != 500 {
		t.Fatalf("Retr = %v", err)
	}
	c.Features(testCtx(t))
	c.Retr(testCtx(t), "f", 0) // EPRT, refused: PORT
	cmds := srv.SessionCommands(2)
	if len(cmds) != 6 || !strings.HasPrefix(cmds[2], "PORT 192,0,2,7,") || !strings.HasPrefix(cmds[4], "EPRT |1|192.0.2.7|") {
		t.Errorf("commands %q, want PORT and EPRT announcing 192.0.2.7", cmds)
	}
}

// TestActiveForeignConnectionIgnored: a connection to the active listener
// from another host is closed and the wait for the server goes on.
func TestActiveForeignConnectionIgnored(t *testing.T) {
	var foreign net.Conn
	srv := ftptest.New(t, ftptest.Config{Hook: func(c ftptest.Command) *ftptest.Reply {
		if c.Verb != "PORT" || foreign != nil {
			return nil
		}
		f := strings.Split(c.Arg, ",")
		hi, _ := strconv.Atoi(f[4])
		lo, _ := strconv.Atoi(f[5])
		d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP("127.0.0.2")}}
		nc, err := d.Dial("tcp4", net.JoinHostPort("127.0.0.1", strconv.Itoa(hi<<8|lo)))
		if err == nil {
			foreign = nc
		}
		return nil
	}})
	t.Cleanup(func() {
		if foreign != nil {
			foreign.Close()
		}
	})
	writeFile(t, srv, "f", []byte("data"))
	var trace strings.Builder
	c := dialLogin(t, srv, WithDataMode(Active), WithTrace(&trace))
	if got := string(get(t, c, "f", 0)); got != "data" {
		t.Fatalf("got %q", got)
	}
	if foreign == nil {
		t.Skip("cannot connect from 127.0.0.2")
	}
	if !strings.Contains(trace.String(), "refused data connection from 127.0.0.2") {
		t.Errorf("trace:\n%s", trace.String())
	}
}

// TestRESTRefused: a refused REST fails the transfer before the transfer
// command; the connection stays usable.
func TestRESTRefused(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{Hook: hookVerb("REST", 1, &ftptest.Reply{Code: 502, Text: "REST not implemented."})})
	writeFile(t, srv, "f", []byte("0123456789"))
	c := dialLogin(t, srv)
	if _, err := c.Retr(testCtx(t), "f", 5); ReplyCode(err) != 502 {
		t.Fatalf("Retr from 5 = %v, want the 502", err)
	}
	if got := string(get(t, c, "f", 0)); got != "0123456789" {
		t.Fatalf("got %q", got)
	}
	matchCommands(t, srv.SessionCommands(1), []string{"USER user", "PASS pass", "EPSV", "REST 5", "EPSV", "RETR f"})
}

// TestSetDataMode: a shell toggles the mode; pinned, it never switches.
func TestSetDataMode(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{Disable: []string{"PORT", "EPRT"}})
	writeFile(t, srv, "f", []byte("data"))
	c := dialLogin(t, srv)
	c.SetDataMode(Active, true)
	if _, err := c.Retr(testCtx(t), "f", 0); ReplyCode(err) != 502 || c.DataMode() != Active {
		t.Fatalf("pinned active Retr = %v, mode %v", err, c.DataMode())
	}
	c.SetDataMode(Active, false)
	if got := string(get(t, c, "f", 0)); got != "data" || c.DataMode() != Passive {
		t.Fatalf("got %q in mode %v", got, c.DataMode())
	}
	matchCommands(t, srv.SessionCommands(1), []string{"USER user", "PASS pass", "PORT *", "PORT *", "EPSV", "RETR f"})
}

// TestHash: HASH when FEAT lists it, else XSHA256, else XMD5.
func TestHash(t *testing.T) {
	content := []byte("hash me")
	sum := sha256.Sum256(content)
	want := hex.EncodeToString(sum[:])
	t.Run("HASH", func(t *testing.T) {
		srv := ftptest.New(t, ftptest.Config{})
		writeFile(t, srv, "f f", content)
		c := dialLogin(t, srv)
		algo, h, err := c.Hash(testCtx(t), "f f")
		if err != nil || algo != "SHA-256" || h != want {
			t.Fatalf("Hash = %q %q, %v", algo, h, err)
		}
		matchCommands(t, srv.SessionCommands(1), []string{"USER user", "PASS pass", "FEAT", "HASH f f"})
	})
	feat := func(names ...string) *ftptest.Reply {
		return &ftptest.Reply{Code: 211, Text: "Features:\n " + strings.Join(names, "\n ") + "\nEnd"}
	}
	t.Run("XSHA256", func(t *testing.T) {
		srv := ftptest.New(t, ftptest.Config{Hook: func(c ftptest.Command) *ftptest.Reply {
			switch c.Verb {
			case "FEAT":
				return feat("SIZE", "XMD5", "XSHA256")
			case "XSHA256":
				return &ftptest.Reply{Code: 250, Text: strings.ToUpper(want)}
			}
			return nil
		}})
		c := dialLogin(t, srv)
		if algo, h, err := c.Hash(testCtx(t), "f"); err != nil || algo != "SHA-256" || h != want {
			t.Fatalf("Hash = %q %q, %v", algo, h, err)
		}
	})
	t.Run("XMD5", func(t *testing.T) {
		srv := ftptest.New(t, ftptest.Config{Hook: func(c ftptest.Command) *ftptest.Reply {
			switch c.Verb {
			case "FEAT":
				return feat("XMD5")
			case "XMD5":
				return &ftptest.Reply{Code: 213, Text: "f 0123456789ABCDEF0123456789abcdef"}
			}
			return nil
		}})
		c := dialLogin(t, srv)
		if algo, h, err := c.Hash(testCtx(t), "f"); err != nil || algo != "MD5" || h != "0123456789abcdef0123456789abcdef" {
			t.Fatalf("Hash = %q %q, %v", algo, h, err)
		}
	})
	t.Run("none", func(t *testing.T) {
		srv := ftptest.New(t, ftptest.Config{Disable: []string{"HASH"}})
		c := dialLogin(t, srv)
		if _, _, err := c.Hash(testCtx(t), "f"); !errors.Is(err, ErrHashUnsupported) || KindOf(err) != KindOther {
			t.Fatalf("Hash = %v, want ErrHashUnsupported", err)
		}
	})
}

// TestEPRTRefusedFallsBackToPORT: EPRT refused once means PORT for the
// rest of the session.
func TestEPRTRefusedFallsBackToPORT(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{Hook: hookVerb("EPRT", 1, &ftptest.Reply{Code: 500, Text: "EPRT not understood."})})
	writeFile(t, srv, "f", []byte("data"))
	c := dialLogin(t, srv, WithDataMode(Active))
	c.Features(testCtx(t))
	get(t, c, "f", 0)
	get(t, c, "f", 0)
	matchCommands(t, srv.SessionCommands(1), []string{"USER user", "PASS pass", "FEAT", "EPRT *", "PORT *", "RETR f", "PORT *", "RETR f"})
}

// TestServerClosing421Instead150: 421 in answer to the transfer command
// (curl test1207) fails promptly; nothing is sent after it.
func TestServerClosing421Instead150(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{Hook: hookVerb("RETR", 1, &ftptest.Reply{Code: 421, Text: "Bye."})})
	c := dialLogin(t, srv)
	if _, err := c.Retr(testCtx(t), "f", 0); KindOf(err) != KindConnection || ReplyCode(err) != 421 {
		t.Fatalf("Retr = %v", err)
	}
	if err := c.Noop(testCtx(t)); KindOf(err) != KindConnection {
		t.Fatalf("Noop = %v", err)
	}
	matchCommands(t, srv.SessionCommands(1), []string{"USER user", "PASS pass", "EPSV", "RETR f"})
}
