package ftptest

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"
)

// Data connection setup: PASV/PORT (RFC 959 section 4.1.2) and EPSV/EPRT
// (RFC 2428). Each setup serves one transfer.

func (s *session) localIP() net.IP  { return s.raw.LocalAddr().(*net.TCPAddr).IP }
func (s *session) remoteIP() net.IP { return s.raw.RemoteAddr().(*net.TCPAddr).IP }
func (s *session) isIPv6() bool     { return s.localIP().To4() == nil }

// closePassive drops any data connection setup.
func (s *session) closePassive() {
	if s.pasv != nil {
		s.pasv.Close()
		s.srv.untrack(s.pasv)
		s.pasv = nil
	}
	s.port = nil
}

// listenPassive opens a listener on the control connection's local address
// and returns its port.
func (s *session) listenPassive() (int, bool) {
	s.closePassive()
	network := "tcp4"
	if s.isIPv6() {
		network = "tcp6"
	}
	ln, err := net.Listen(network, net.JoinHostPort(s.localIP().String(), "0"))
	if err != nil {
		s.reply(425, "Cannot open passive connection: %v.", err)
		return 0, false
	}
	if !s.srv.track(ln) {
		return 0, false
	}
	s.pasv = ln
	return ln.Addr().(*net.TCPAddr).Port, true
}

func cmdPASV(s *session, _ string) {
	if s.epsvAll {
		s.reply(503, "PASV not allowed after EPSV ALL.")
		return
	}
	ip := s.localIP().To4()
	if ip == nil {
		s.reply(425, "PASV needs IPv4; use EPSV.")
		return
	}
	if a := s.srv.cfg.PASVAddress; a != "" {
		if p := net.ParseIP(a).To4(); p != nil {
			ip = p
		}
	}
	port, ok := s.listenPassive()
	if !ok {
		return
	}
	s.reply(227, "Entering Passive Mode (%d,%d,%d,%d,%d,%d).", ip[0], ip[1], ip[2], ip[3], port>>8, port&0xFF)
}

// familyNumber is the RFC 2428 address family of the session.
func (s *session) familyNumber() int {
	if s.isIPv6() {
		return 2
	}
	return 1
}

func cmdEPSV(s *session, arg string) {
	switch {
	case strings.EqualFold(arg, "ALL"):
		s.epsvAll = true
		s.reply(200, "EPSV ALL ok.")
		return
	case arg == "":
	default:
		n, err := strconv.Atoi(arg)
		if err != nil {
			s.reply(501, "Bad EPSV argument.")
			return
		}
		if n != s.familyNumber() {
			s.reply(522, "Network protocol not supported, use (%d)", s.familyNumber())
			return
		}
	}
	port, ok := s.listenPassive()
	if !ok {
		return
	}
	s.reply(229, "Entering Extended Passive Mode (|||%d|)", port)
}

func cmdPORT(s *session, arg string) {
	if s.epsvAll {
		s.reply(503, "PORT not allowed after EPSV ALL.")
		return
	}
	if s.isIPv6() {
		s.reply(522, "Network protocol not supported, use (2)")
		return
	}
	parts := strings.Split(arg, ",")
	if len(parts) != 6 {
		s.reply(501, "Bad PORT argument.")
		return
	}
	var b [6]byte
	for i, p := range parts {
		n, err := strconv.ParseUint(strings.TrimSpace(p), 10, 8)
		if err != nil {
			s.reply(501, "Bad PORT argument.")
			return
		}
		b[i] = byte(n)
	}
	s.setActive(net.IPv4(b[0], b[1], b[2], b[3]), int(b[4])<<8|int(b[5]), "PORT")
}

func cmdEPRT(s *session, arg string) {
	if s.epsvAll {
		s.reply(503, "EPRT not allowed after EPSV ALL.")
		return
	}
	// |af|addr|port| with any printable delimiter (RFC 2428 section 2).
	if len(arg) < 7 || arg[0] < 33 || arg[0] > 126 {
		s.reply(501, "Bad EPRT argument.")
		return
	}
	f := strings.Split(arg, arg[:1])
	if len(f) != 5 || f[0] != "" || f[4] != "" {
		s.reply(501, "Bad EPRT argument.")
		return
	}
	af, err1 := strconv.Atoi(f[1])
	port, err2 := strconv.ParseUint(f[3], 10, 16)
	ip := net.ParseIP(f[2])
	if err1 != nil || err2 != nil || ip == nil || (af != 1 && af != 2) {
		s.reply(501, "Bad EPRT argument.")
		return
	}
	if af != s.familyNumber() || (af == 1) != (ip.To4() != nil) {
		s.reply(522, "Network protocol not supported, use (%d)", s.familyNumber())
		return
	}
	s.setActive(ip, int(port), "EPRT")
}

// setActive accepts an active-mode address: only the control connection's
// peer, so the server cannot be used to bounce (RFC 2577).
func (s *session) setActive(ip net.IP, port int, verb string) {
	if !ip.Equal(s.remoteIP()) || port == 0 {
		s.reply(500, "Illegal %s command.", verb)
		return
	}
	s.closePassive()
	s.port = &net.TCPAddr{IP: ip, Port: port}
	s.reply(200, "%s command successful.", verb)
}

// openData establishes the data connection of x: it accepts one
// connection from the control peer's IP on the passive listener, or dials
// the active address.
func (x *xfer) openData() (net.Conn, error) {
	s := x.s
	timeout := s.srv.cfg.DataTimeout
	if x.ln != nil {
		defer func() {
			x.ln.Close()
			s.srv.untrack(x.ln)
		}()
		if tl, ok := x.ln.(*net.TCPListener); ok {
			_ = tl.SetDeadline(time.Now().Add(timeout))
		}
		for {
			c, err := x.ln.Accept()
			if err != nil {
				return nil, err
			}
			if ra, ok := c.RemoteAddr().(*net.TCPAddr); ok && ra.IP.Equal(s.remoteIP()) {
				return c, nil
			}
			c.Close() // a stranger: keep waiting for the client
		}
	}
	d := net.Dialer{Timeout: timeout}
	if src := s.srv.cfg.ActiveSourceIP; src != "" {
		d.LocalAddr = &net.TCPAddr{IP: net.ParseIP(src)}
	}
	network := "tcp4"
	if x.addr.IP.To4() == nil {
		network = "tcp6"
	}
	c, err := d.DialContext(x.ctx, network, x.addr.String())
	if err != nil {
		return nil, fmt.Errorf("dial %s: %w", x.addr, err)
	}
	return c, nil
}

// secureData runs the TLS handshake (server side, RFC 4217 section 10) on
// a data connection and enforces RequireSessionReuse.
func (x *xfer) secureData(ctx context.Context, c net.Conn) (net.Conn, int, string) {
	s := x.s
	conf := s.tlsConf
	if s.srv.dataTLS != nil {
		conf = s.srv.dataTLS
	}
	tc := tls.Server(c, conf)
	_ = c.SetDeadline(time.Now().Add(s.srv.cfg.DataTimeout))
	err := tc.HandshakeContext(ctx)
	_ = c.SetDeadline(time.Time{})
	if err != nil {
		return nil, 425, "TLS handshake failed on the data connection."
	}
	st := tc.ConnectionState()
	resumed := st.DidResume
	s.srv.updateDataConn(func() {
		x.rec.TLS = true
		x.rec.DidResume = resumed
		x.rec.HelloRetry = st.HelloRetryRequest
	})
	if s.srv.cfg.RequireSessionReuse && !resumed {
		return nil, 522, "SSL connection failed: session reuse required"
	}
	return tc, 0, ""
}
