package ftptest

import (
	"bytes"
	"fmt"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The server's PORT and EPRT parsers are fuzzed on a session over a fake
// connection: the handlers only read the connection's addresses, write
// one reply and set the session's active-mode address.

// addrConn is a net.Conn with TCP addresses that records what is written
// to it.
type addrConn struct {
	local, remote *net.TCPAddr
	out           bytes.Buffer
}

func (c *addrConn) Read([]byte) (int, error)         { return 0, net.ErrClosed }
func (c *addrConn) Write(b []byte) (int, error)      { return c.out.Write(b) }
func (c *addrConn) Close() error                     { return nil }
func (c *addrConn) LocalAddr() net.Addr              { return c.local }
func (c *addrConn) RemoteAddr() net.Addr             { return c.remote }
func (c *addrConn) SetDeadline(time.Time) error      { return nil }
func (c *addrConn) SetReadDeadline(time.Time) error  { return nil }
func (c *addrConn) SetWriteDeadline(time.Time) error { return nil }

// activeSession returns a session whose peer is 127.0.0.1, or ::1 with v6.
func activeSession(v6 bool) (*session, *addrConn) {
	ip := net.IPv4(127, 0, 0, 1)
	if v6 {
		ip = net.IPv6loopback
	}
	c := &addrConn{local: &net.TCPAddr{IP: ip, Port: 21}, remote: &net.TCPAddr{IP: ip, Port: 40000}}
	return &session{raw: c, conn: c, cwd: "/"}, c
}

// runActive runs PORT or EPRT with arg and returns the reply code, the
// reply, and the active-mode address the session kept.
func runActive(t *testing.T, verb, arg string, v6 bool) (int, string, *net.TCPAddr) {
	t.Helper()
	s, c := activeSession(v6)
	switch verb {
	case "PORT":
		cmdPORT(s, arg)
	case "EPRT":
		cmdEPRT(s, arg)
	}
	reply := c.out.String()
	if len(reply) < 6 || !strings.HasSuffix(reply, "\r\n") || strings.Count(reply, "\n") != 1 || reply[3] != ' ' {
		t.Fatalf("%s %q: reply %q is not one line", verb, arg, reply)
	}
	code, err := strconv.Atoi(reply[:3])
	if err != nil {
		t.Fatalf("%s %q: reply %q", verb, arg, reply)
	}
	return code, reply, s.port
}

// checkActive checks what holds for any argument: the reply is 200, 500,
// 501 or 522; an address is kept exactly when the reply is 200, and then
// it is the control connection's peer (no bounce, RFC 2577) on a port
// from 1 to 65535, and the argument written back in the verb's form is
// accepted as the same address.
func checkActive(t *testing.T, verb, arg string, v6 bool) {
	t.Helper()
	code, reply, addr := runActive(t, verb, arg, v6)
	switch code {
	case 200, 500, 501, 522:
	default:
		t.Fatalf("%s %q (IPv6 %v): reply %q", verb, arg, v6, reply)
	}
	if (code == 200) != (addr != nil) {
		t.Fatalf("%s %q (IPv6 %v): reply %q with address %v", verb, arg, v6, reply, addr)
	}
	if addr == nil {
		return
	}
	s, _ := activeSession(v6)
	if !addr.IP.Equal(s.remoteIP()) || addr.Port < 1 || addr.Port > 65535 {
		t.Fatalf("%s %q (IPv6 %v): accepted %v, not the peer %v", verb, arg, v6, addr, s.remoteIP())
	}
	canon := canonicalActive(verb, addr)
	code2, reply2, addr2 := runActive(t, verb, canon, v6)
	if code2 != 200 || !addr2.IP.Equal(addr.IP) || addr2.Port != addr.Port {
		t.Fatalf("%s %q gave %v, but %s %q gives %q, %v", verb, arg, addr, verb, canon, reply2, addr2)
	}
}

// canonicalActive writes addr as the argument of verb.
func canonicalActive(verb string, addr *net.TCPAddr) string {
	if verb == "PORT" {
		ip := addr.IP.To4()
		return fmt.Sprintf("%d,%d,%d,%d,%d,%d", ip[0], ip[1], ip[2], ip[3], addr.Port>>8, addr.Port&0xff)
	}
	af := 2
	if addr.IP.To4() != nil {
		af = 1
	}
	return fmt.Sprintf("|%d|%s|%d|", af, addr.IP, addr.Port)
}

func FuzzPORT(f *testing.F) {
	for _, s := range []string{
		"127,0,0,1,4,1", "127,0,0,1,0,0", "127,0,0,1,255,255", " 127, 0 ,0,1,4,1", "1,2,3,4,5,6",
		"127,0,0,1,4", "127,0,0,1,4,1,9", "127,0,0,1,256,1", "127,0,0,1,-1,1", "127,0,0,1,+4,1", "",
	} {
		f.Add(s, false)
	}
	f.Add("127,0,0,1,4,1", true)
	f.Fuzz(func(t *testing.T, arg string, v6 bool) {
		checkActive(t, "PORT", arg, v6)
	})
}

func FuzzEPRT(f *testing.F) {
	for _, s := range []string{
		"|1|127.0.0.1|1025|", "!1!127.0.0.1!1025!", "|2|::1|1025|", "|1|127.0.0.1|0|", "|1|127.0.0.1|65536|",
		"|1|1.2.3.4|1025|", "|1|::ffff:127.0.0.1|1025|", "|3|127.0.0.1|1025|", "|1|127.0.0.1|1025", "||||",
		"|1|127.0.0.1|+1025|", " |1|127.0.0.1|1025|", "|01|127.0.0.1|01025|", "1127.0.0.111025 1", "",
	} {
		f.Add(s, false)
	}
	f.Add("|2|::1|1025|", true)
	f.Add("|2|0:0::1|1025|", true)
	f.Add("|2|fe80::1%lo|1025|", true)
	f.Fuzz(func(t *testing.T, arg string, v6 bool) {
		checkActive(t, "EPRT", arg, v6)
	})
}

// TestActiveParsers pins the exact replies of the seeds the fuzz targets
// start from.
func TestActiveParsers(t *testing.T) {
	tests := []struct {
		verb, arg string
		v6        bool
		code      int
		port      int
	}{
		{"PORT", "127,0,0,1,4,1", false, 200, 1025},
		{"PORT", " 127, 0 ,0,1,4,1", false, 200, 1025},
		{"PORT", "127,0,0,1,0,0", false, 500, 0},
		{"PORT", "1,2,3,4,5,6", false, 500, 0},
		{"PORT", "127,0,0,1,256,1", false, 501, 0},
		{"PORT", "127,0,0,1,4", false, 501, 0},
		{"PORT", "127,0,0,1,4,1", true, 522, 0},
		{"EPRT", "|1|127.0.0.1|1025|", false, 200, 1025},
		{"EPRT", "!1!127.0.0.1!1025!", false, 200, 1025},
		{"EPRT", "|2|::1|1025|", true, 200, 1025},
		{"EPRT", "|2|::1|1025|", false, 522, 0},
		{"EPRT", "|1|1.2.3.4|1025|", false, 500, 0},
		{"EPRT", "|1|127.0.0.1|0|", false, 500, 0},
		{"EPRT", "|1|127.0.0.1|65536|", false, 501, 0},
		{"EPRT", "|3|127.0.0.1|1025|", false, 501, 0},
		{"EPRT", "|1|127.0.0.1|1025", false, 501, 0},
	}
	for _, tt := range tests {
		code, reply, addr := runActive(t, tt.verb, tt.arg, tt.v6)
		port := 0
		if addr != nil {
			port = addr.Port
		}
		if code != tt.code || port != tt.port {
			t.Errorf("%s %q (IPv6 %v) = %q, port %d; want %d, port %d", tt.verb, tt.arg, tt.v6, reply, port, tt.code, tt.port)
		}
	}
}
