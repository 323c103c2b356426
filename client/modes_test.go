package client

import (
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ferry-ftp/ferry/internal/ftptest"
)

// dataPort returns the port the server dialed for the last active data
// connection.
func dataPort(t *testing.T, srv *ftptest.Server) int {
	t.Helper()
	dcs := srv.DataConns()
	if len(dcs) == 0 {
		t.Fatal("no data connection")
	}
	_, p, err := net.SplitHostPort(dcs[len(dcs)-1].Remote)
	if err != nil {
		t.Fatal(err)
	}
	n, _ := strconv.Atoi(p)
	return n
}

func TestActiveListensOnControlPortPlusOne(t *testing.T) {
	for _, network := range []string{"tcp4", "tcp6"} {
		t.Run(network, func(t *testing.T) {
			srv := ftptest.New(t, ftptest.Config{Network: network})
			writeFile(t, srv, "f", []byte("data"))
			c := dialLogin(t, srv, WithDataMode(Active))
			if got := string(get(t, c, "f", 0)); got != "data" {
				t.Fatalf("got %q", got)
			}
			classic := c.LocalAddr().Port + 1
			if got := dataPort(t, srv); got != classic {
				t.Errorf("server dialed port %d, want control port + 1 = %d", got, classic)
			}
			// The announced port is the classic one: PORT for IPv4 (FEAT
			// was not asked), EPRT for IPv6.
			want := []string{"USER user", "PASS pass", fmt.Sprintf("PORT 127,0,0,1,%d,%d", classic>>8, classic&0xff), "RETR f"}
			if network == "tcp6" {
				want[2] = fmt.Sprintf("EPRT |2|::1|%d|", classic)
			}
			matchCommands(t, srv.SessionCommands(1), want)
			// The listener accepted one connection and is closed.
			if listening(c.LocalAddr().IP.String(), classic) {
				t.Errorf("the active listener on port %d still accepts connections", classic)
			}
		})
	}
}

// listening reports whether something accepts connections on host:port. A
// connection to itself (TCP simultaneous open, when the kernel happens to
// pick port as the source port) does not count.
func listening(host string, port int) bool {
	nc, err := net.Dial("tcp", net.JoinHostPort(host, strconv.Itoa(port)))
	if err != nil {
		return false
	}
	defer nc.Close()
	return nc.LocalAddr().String() != nc.RemoteAddr().String()
}

// dialBusyNextPort logs in over a control connection from a local port P
// whose successor P+1 is held by a listener, so that the classic active
// port is busy. It holds P+1 first and binds P directly, so no port is
// picked, released and hoped free again.
func dialBusyNextPort(t *testing.T, srv *ftptest.Server, opts ...Option) *Conn {
	t.Helper()
	// SO_REUSEADDR lets P be bound while an earlier connection from it
	// sits in TIME_WAIT, which a busy machine (a mirror of thousands of
	// files in a parallel test) has plenty of.
	reuse := func(_, _ string, rc syscall.RawConn) error {
		var serr error
		err := rc.Control(func(fd uintptr) {
			serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_REUSEADDR, 1)
		})
		return errors.Join(err, serr)
	}
	for i := 0; i < 500; i++ {
		busy, err := net.Listen("tcp4", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		p := busy.Addr().(*net.TCPAddr).Port - 1
		if p < 1024 {
			busy.Close()
			continue
		}
		d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: p}, Control: reuse}
		c, err := Dial(testCtx(t), srv.Addr(), append(opts, WithDialer(d))...)
		if err != nil { // P is taken
			busy.Close()
			continue
		}
		t.Cleanup(func() { c.Close(); busy.Close() })
		if err := c.Login(testCtx(t), "user", "pass"); err != nil {
			t.Fatal(err)
		}
		return c
	}
	t.Fatal("no pair of free ports found")
	return nil
}

func TestActiveFallbackWhenPortBusy(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{})
	writeFile(t, srv, "f", []byte("data"))
	c := dialBusyNextPort(t, srv, WithDataMode(Active))
	if got := string(get(t, c, "f", 0)); got != "data" {
		t.Fatalf("got %q", got)
	}
	got := dataPort(t, srv)
	if got == c.LocalAddr().Port+1 {
		t.Errorf("server dialed the busy port %d", got)
	}
	matchCommands(t, srv.SessionCommands(1), []string{
		"USER user", "PASS pass", fmt.Sprintf("PORT 127,0,0,1,%d,%d", got>>8, got&0xff), "RETR f"})
}

func TestActiveRefusesForeignSource(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{ActiveSourceIP: "127.0.0.2"})
	writeFile(t, srv, "f", []byte("secret"))
	c := dialLogin(t, srv, WithDataMode(Active))
	setTimeouts(c, 300*time.Millisecond, 0)
	_, err := c.Retr(testCtx(t), "f", 0)
	if err == nil || KindOf(err) != KindProtocol || !strings.Contains(err.Error(), "127.0.0.2") {
		t.Fatalf("Retr = %v, want a protocol error naming 127.0.0.2", err)
	}
	// The listener is closed after the deadline.
	cmds := srv.SessionCommands(1)
	if len(cmds) < 3 || !strings.HasPrefix(cmds[2], "PORT ") {
		t.Fatalf("commands %q", cmds)
	}
	f := strings.Split(strings.TrimPrefix(cmds[2], "PORT "), ",")
	hi, _ := strconv.Atoi(f[4])
	lo, _ := strconv.Atoi(f[5])
	if listening("127.0.0.1", hi<<8|lo) {
		t.Errorf("the active listener on port %d still accepts connections", hi<<8|lo)
	}
	// The session is resynchronised and still usable.
	if err := c.Noop(testCtx(t)); err != nil {
		t.Fatalf("Noop after refused data connection: %v", err)
	}
}

func TestPASVForeignAddressIgnored(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{PASVAddress: "10.9.8.7", Disable: []string{"EPSV"}})
	writeFile(t, srv, "f", []byte("data"))
	d := &recordingDialer{}
	c := dialLogin(t, srv, WithDialer(d))
	if got := string(get(t, c, "f", 0)); got != "data" {
		t.Fatalf("got %q", got)
	}
	dialed := d.dialed()
	if len(dialed) != 2 || !strings.HasPrefix(dialed[1], "127.0.0.1:") {
		t.Fatalf("dialed %q, want the control IP for data", dialed)
	}
	matchCommands(t, srv.SessionCommands(1), []string{"USER user", "PASS pass", "EPSV", "PASV", "RETR f"})
}

// TestPASVForeignAddressIgnoredDefaultDialer: with the default dialer the
// control connection's peer is dialed. 127.0.0.3 has no listener, so the
// transfer only works when the address from the 227 reply is ignored.
func TestPASVForeignAddressIgnoredDefaultDialer(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{PASVAddress: "127.0.0.3", Disable: []string{"EPSV"}})
	writeFile(t, srv, "f", []byte("data"))
	var trace strings.Builder
	c := dialLogin(t, srv, WithTrace(&trace))
	if got := string(get(t, c, "f", 0)); got != "data" {
		t.Fatalf("got %q", got)
	}
	if !strings.Contains(trace.String(), "ignoring address 127.0.0.3 in PASV reply; connecting to 127.0.0.1") {
		t.Errorf("trace:\n%s", trace.String())
	}
	matchCommands(t, srv.SessionCommands(1), []string{"USER user", "PASS pass", "EPSV", "PASV", "RETR f"})
	if dcs := srv.DataConns(); len(dcs) != 1 || !dcs[0].Passive {
		t.Errorf("data connections: %+v", dcs)
	}
}

func TestPASVAddressTrustedWhenAsked(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{PASVAddress: "127.0.0.3", Disable: []string{"EPSV"}})
	d := &recordingDialer{}
	c := dialLogin(t, srv, WithDialer(d), WithTrustPASVAddr(true))
	c.Retr(testCtx(t), "missing", 0)
	dialed := d.dialed()
	if len(dialed) != 2 || !strings.HasPrefix(dialed[1], "127.0.0.3:") {
		t.Fatalf("dialed %q, want the address from the 227 reply", dialed)
	}
}

func TestEPSVRefusedFallsBackToPASVForTheSession(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{Disable: []string{"EPSV"}})
	writeFile(t, srv, "f", []byte("data"))
	c := dialLogin(t, srv)
	get(t, c, "f", 0)
	get(t, c, "f", 2)
	matchCommands(t, srv.SessionCommands(1), []string{
		"USER user", "PASS pass", "EPSV", "PASV", "RETR f", "PASV", "REST 2", "RETR f"})
}

func TestEPSVOff(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{})
	writeFile(t, srv, "f", []byte("data"))
	c := dialLogin(t, srv, WithEPSV(false))
	get(t, c, "f", 0)
	c2 := dialLogin(t, srv, WithEPSV(false), WithDataMode(Active))
	c2.Features(testCtx(t))
	get(t, c2, "f", 0)
	matchCommands(t, srv.SessionCommands(1), []string{"USER user", "PASS pass", "PASV", "RETR f"})
	matchCommands(t, srv.SessionCommands(2), []string{"USER user", "PASS pass", "FEAT", "PORT *", "RETR f"})
	if arg := strings.TrimPrefix(srv.SessionCommands(2)[3], "PORT "); !portArg.MatchString(arg) {
		t.Errorf("PORT argument %q", arg)
	}
}

func TestModeSwitch(t *testing.T) {
	t.Run("passive refused", func(t *testing.T) {
		srv := ftptest.New(t, ftptest.Config{Disable: []string{"EPSV", "PASV"}})
		writeFile(t, srv, "f", []byte("data"))
		c := dialLogin(t, srv)
		if got := string(get(t, c, "f", 0)); got != "data" {
			t.Fatalf("got %q", got)
		}
		get(t, c, "f", 0)
		if c.DataMode() != Active {
			t.Errorf("mode %v after switch", c.DataMode())
		}
		matchCommands(t, srv.SessionCommands(1), []string{
			"USER user", "PASS pass", "EPSV", "PASV", "PORT *", "RETR f", "PORT *", "RETR f"})
	})
	t.Run("active refused", func(t *testing.T) {
		srv := ftptest.New(t, ftptest.Config{Disable: []string{"PORT", "EPRT"}})
		writeFile(t, srv, "f", []byte("data"))
		c := dialLogin(t, srv, WithDataModeHint(Active))
		if got := string(get(t, c, "f", 0)); got != "data" {
			t.Fatalf("got %q", got)
		}
		matchCommands(t, srv.SessionCommands(1), []string{"USER user", "PASS pass", "PORT *", "EPSV", "RETR f"})
	})
	t.Run("pinned passive does not switch", func(t *testing.T) {
		srv := ftptest.New(t, ftptest.Config{Disable: []string{"EPSV", "PASV"}})
		c := dialLogin(t, srv, WithDataMode(Passive))
		_, err := c.Retr(testCtx(t), "f", 0)
		if ReplyCode(err) != 502 {
			t.Fatalf("Retr = %v, want the 502 refusal", err)
		}
		matchCommands(t, srv.SessionCommands(1), []string{"USER user", "PASS pass", "EPSV", "PASV"})
	})
}

func TestPASVOverIPv6Refused(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{Network: "tcp6", Disable: []string{"EPSV"}})
	c := dialLogin(t, srv, WithDataMode(Passive))
	_, err := c.Retr(testCtx(t), "f", 0)
	var fe *Error
	if !errors.As(err, &fe) || fe.Kind != KindProtocol || !strings.Contains(err.Error(), "IPv6") {
		t.Fatalf("Retr = %v", err)
	}
}
