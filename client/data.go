package client

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"
)

// pendingData is a data connection being set up for one transfer: a
// dialed connection in passive mode, or a listener in active mode.
type pendingData struct {
	conn net.Conn
	ln   *net.TCPListener
	// early is, in active mode, the one connection the server made
	// before it answered PORT or EPRT (pyftpdlib connects then), kept
	// unread: it is used only when the server answers the transfer
	// command with 125, "data connection already open".
	early net.Conn
	// refusedEarly counts the connections made before the PORT reply
	// that were closed because they could not be told apart.
	refusedEarly int
	// prelim is the transfer command's preliminary reply when it was
	// read already, before the data command's (see takeAhead).
	prelim *Reply
	// madeBefore reports a connection made before the transfer command
	// was sent (the standby connection): data written on it at once could
	// reach the server before the command does (see earlyData).
	madeBefore bool
}

func (p *pendingData) close() {
	if p.conn != nil {
		p.conn.Close()
	}
	if p.ln != nil {
		p.ln.Close()
	}
	p.dropEarly()
}

// dropEarly closes the connection kept from before the PORT reply.
func (p *pendingData) dropEarly() {
	if p.early != nil {
		p.early.Close()
		p.early = nil
	}
}

// refused reports whether err is the server refusing a command outright
// (a permanent negative reply, RFC 959 4.2) rather than failing it now.
func refused(err error) bool {
	var re *ReplyError
	return errors.As(err, &re) && re.Code >= 500 && re.Code < 600
}

// prepareData negotiates a data connection in the current mode. When the
// server refuses the mode entirely and the mode is not pinned, it
// switches to the other mode for the rest of the session.
func (c *Conn) prepareData(ctx context.Context) (*pendingData, error) {
	mode := c.mode
	for attempt := 0; ; attempt++ {
		var p *pendingData
		var err error
		if mode == Passive {
			p, err = c.passive(ctx)
		} else {
			p, err = c.active(ctx)
		}
		if err == nil {
			c.mode = mode
			return p, nil
		}
		if attempt > 0 || c.modePinned || !refused(err) || c.opts.activeRefused != nil {
			return nil, err
		}
		mode = 1 - mode
		c.tracef("server refused %s mode; switching to %s mode", 1-mode, mode)
	}
}

// dataHost returns the host passive data connections go to: the control
// connection's peer, or, with a custom dialer (a proxy or a tunnel, whose
// address the peer is), the host given to Dial.
func (c *Conn) dataHost() string {
	if c.opts.customDialer {
		return c.host
	}
	return c.peer.IP.String()
}

// serverIPv6 reports whether the server is known to use IPv6, which PASV
// cannot address.
func (c *Conn) serverIPv6() bool {
	if c.opts.customDialer {
		ip := net.ParseIP(c.host)
		return ip != nil && ip.To4() == nil
	}
	return c.peer.IP.To4() == nil
}

// passive asks the server to listen (EPSV, else PASV) and dials it.
func (c *Conn) passive(ctx context.Context) (*pendingData, error) {
	if c.opts.extended && !c.epsvOff() {
		reply, err := c.exchange(ctx, 229, "EPSV", "")
		switch {
		case err == nil:
			port, perr := parseEPSV(reply.Msg())
			if perr != nil {
				return nil, &Error{Kind: KindProtocol, Op: "EPSV", Err: perr}
			}
			nc, derr := c.dialData(ctx, c.dataHost(), port)
			if derr == nil {
				c.epsvOK = true
				return &pendingData{conn: nc}, nil
			}
			if ctx.Err() != nil {
				return nil, derr
			}
			// The port is unreachable (a firewall that does not know
			// EPSV): PASV may work (curl test1233).
			c.tracef("EPSV port unreachable (%v); using PASV from now on", derr)
			err = derr
		case refused(err):
			c.tracef("server refused EPSV; using PASV from now on")
		default:
			return nil, err
		}
		c.dropEPSV(err)
	}
	if c.serverIPv6() {
		return nil, &Error{Kind: KindProtocol, Op: "PASV", Err: errors.New("PASV cannot address an IPv6 server and EPSV is off or refused")}
	}
	reply, err := c.exchange(ctx, 227, "PASV", "")
	if err != nil {
		return nil, err
	}
	ip, port, err := parsePASV(reply.Msg())
	if err != nil {
		return nil, &Error{Kind: KindProtocol, Op: "PASV", Err: err}
	}
	nc, err := c.dialData(ctx, c.pasvHost(ip), port)
	if err != nil {
		return nil, err
	}
	return &pendingData{conn: nc}, nil
}

// pasvHost returns the host to dial for a PASV reply that named ip: the
// control connection's peer (see dataHost), or ip with WithTrustPASVAddr.
func (c *Conn) pasvHost(ip net.IP) string {
	host := c.dataHost()
	if c.opts.trustPASV {
		return ip.String()
	}
	if !ip.Equal(net.ParseIP(host)) {
		c.tracef("ignoring address %s in PASV reply; connecting to %s", ip, host)
	}
	return host
}

func (c *Conn) dialData(ctx context.Context, host string, port int) (net.Conn, error) {
	dctx, cancel := context.WithTimeout(ctx, c.opts.connectTimeout)
	defer cancel()
	addr := net.JoinHostPort(host, strconv.Itoa(port))
	nc, err := c.opts.dataDialer.DialContext(dctx, "tcp", addr)
	if err != nil {
		if cerr := ctx.Err(); cerr != nil {
			return nil, &Error{Kind: KindOther, Op: "data connection", Err: cerr}
		}
		return nil, &Error{Kind: KindConnection, Op: "data connection", Err: err}
	}
	return nc, nil
}

// active listens for the server's data connection and announces the
// address with PORT or EPRT.
func (c *Conn) active(ctx context.Context) (*pendingData, error) {
	if c.opts.activeRefused != nil {
		return nil, &Error{Kind: KindOther, Op: "active mode", Err: c.opts.activeRefused}
	}
	ln, err := c.listenActive(ctx)
	if err != nil {
		return nil, err
	}
	port := ln.Addr().(*net.TCPAddr).Port
	if err := c.announce(ctx, c.activeIP(), port); err != nil {
		ln.Close()
		return nil, err
	}
	p := &pendingData{ln: ln}
	// A server may connect in answer to PORT, before its reply
	// (pyftpdlib does). Keep such a connection, unread, for a 125 reply;
	// more than one, or one from elsewhere, cannot be told from an
	// intruder's, and all are closed.
	from, kept, err := c.takeQueued(ctx, ln, true)
	if err != nil {
		p.close()
		for _, nc := range kept {
			nc.Close()
		}
		return nil, &Error{Kind: KindConnection, Op: "data connection", Err: err}
	}
	if len(kept) == 1 && c.fromServer(kept[0].RemoteAddr().(*net.TCPAddr).IP) {
		p.early = kept[0]
		c.tracef("data connection from %s made before the PORT reply: kept unread, for a 125 reply only", from[0])
		return p, nil
	}
	for _, nc := range kept {
		nc.Close()
	}
	p.refusedEarly = len(from)
	for i, addr := range from {
		if i == 4 {
			break
		}
		c.tracef("refused data connection from %s: it connected before the transfer command was sent (one of %d)", addr, len(from))
	}
	return p, nil
}

// maxKept bounds the connections takeQueued keeps open; the rest are
// closed.
const maxKept = 4

// announce sends EPRT or PORT for ip:port (see announceLine); an EPRT
// that the server refuses is followed by PORT, used from then on.
func (c *Conn) announce(ctx context.Context, ip net.IP, port int) error {
	verb, arg, err := c.announceLine(ip, port)
	if err != nil {
		return err
	}
	_, err = c.exchange(ctx, 2, verb, arg)
	if verb != "EPRT" || ip.To4() == nil || !refused(err) {
		return err
	}
	c.tracef("server refused EPRT; using PORT from now on")
	c.noEPRT = true
	verb, arg, _ = c.announceLine(ip, port)
	_, err = c.exchange(ctx, 2, verb, arg)
	return err
}

// announceLine returns the command that announces ip:port for an active
// data connection. IPv6 needs EPRT. IPv4 uses EPRT only when the server
// lists it in FEAT, and PORT once EPRT was refused.
func (c *Conn) announceLine(ip net.IP, port int) (verb, arg string, err error) {
	ip4 := ip.To4()
	switch {
	case ip4 == nil && !c.opts.extended:
		return "", "", &Error{Kind: KindOther, Op: "EPRT", Err: errors.New("active mode over IPv6 needs EPRT, which is turned off")}
	case ip4 == nil:
		return "EPRT", fmt.Sprintf("|2|%s|%d|", ip, port), nil
	case c.opts.extended && !c.noEPRT && c.HasFeature("EPRT"):
		return "EPRT", fmt.Sprintf("|1|%s|%d|", ip4, port), nil
	}
	return "PORT", fmt.Sprintf("%d,%d,%d,%d,%d,%d", ip4[0], ip4[1], ip4[2], ip4[3], port>>8, port&0xff), nil
}

// activeIP returns the address active mode announces: the control
// connection's local address, or the one given with WithActiveAddr.
func (c *Conn) activeIP() net.IP {
	if c.opts.activeAddr != nil {
		return c.opts.activeAddr
	}
	return c.local.IP
}

// listenActive listens on the control connection's local IP. With
// WithActivePorts it uses only that range, starting at a different port
// each time. Otherwise the first active data connection of the session
// tries the classic port (control port + 1, RFC 959 section 3.2); all
// others, and the first when that port is busy, use any free port, since
// reusing a port could meet the last connection's TIME_WAIT.
func (c *Conn) listenActive(ctx context.Context) (*net.TCPListener, error) {
	var lc net.ListenConfig
	listen := func(port int) (*net.TCPListener, error) {
		addr := net.JoinHostPort(c.local.IP.String(), strconv.Itoa(port))
		ln, err := lc.Listen(ctx, "tcp", addr)
		if err != nil {
			return nil, err
		}
		return ln.(*net.TCPListener), nil
	}
	if lo, hi := c.opts.portLo, c.opts.portHi; lo > 0 && hi >= lo {
		n := hi - lo + 1
		// Start at a point that depends on the control port, so that
		// parallel connections do not all race for the same ports, and
		// after the last port used.
		start := c.local.Port
		if c.lastPort >= lo && c.lastPort <= hi {
			start = c.lastPort - lo + 1
		}
		var last error
		for i := 0; i < n; i++ {
			ln, err := listen(lo + (start+i)%n)
			if err == nil {
				c.lastPort = ln.Addr().(*net.TCPAddr).Port
				return ln, nil
			}
			last = err
		}
		return nil, &Error{Kind: KindConnection, Op: "active listen", Err: fmt.Errorf("no free port in %d-%d: %w", lo, hi, last)}
	}
	if !c.classicTried {
		c.classicTried = true
		if p := c.local.Port + 1; p <= 65535 {
			ln, err := listen(p)
			if err == nil {
				return ln, nil
			}
			c.tracef("active port %d busy (%v)", p, err)
		}
	}
	ln, err := listen(0)
	if err != nil {
		return nil, &Error{Kind: KindConnection, Op: "active listen", Err: err}
	}
	return ln, nil
}

// fromServer reports whether a data connection from ip may be the
// server's: the control connection's peer or, with a custom dialer and an
// IP address given to Dial, that address.
func (c *Conn) fromServer(ip net.IP) bool {
	if ip.Equal(c.peer.IP) {
		return true
	}
	return c.opts.customDialer && ip.Equal(net.ParseIP(c.host))
}

// accept waits for the server's data connection and accepts exactly one,
// from the server's IP (see fromServer); connections from anywhere else
// are closed and the wait goes on, until the connect timeout. Then it
// closes the listener.
func (c *Conn) accept(ctx context.Context, ln *net.TCPListener) (net.Conn, error) {
	defer ln.Close()
	ln.SetDeadline(time.Now().Add(c.opts.connectTimeout))
	stop := context.AfterFunc(ctx, func() { ln.Close() })
	defer stop()
	var strangers []string
	for {
		nc, err := ln.AcceptTCP()
		if err != nil {
			if cerr := ctx.Err(); cerr != nil {
				return nil, &Error{Kind: KindOther, Op: "data connection", Err: cerr}
			}
			if len(strangers) > 0 {
				return nil, &Error{Kind: KindProtocol, Op: "data connection",
					Err: fmt.Errorf("refused connection from %s: expected the server at %s, which did not connect: %w", strings.Join(strangers, ", "), c.peer.IP, err)}
			}
			if IsTimeout(err) {
				err = fmt.Errorf("server did not connect: %w", err)
			}
			return nil, &Error{Kind: KindConnection, Op: "data connection", Err: err}
		}
		from := nc.RemoteAddr().(*net.TCPAddr)
		if c.fromServer(from.IP) {
			return nc, nil
		}
		nc.Close()
		c.tracef("refused data connection from %s: expected the server at %s", from, c.peer.IP)
		if len(strangers) < 4 {
			strangers = append(strangers, from.IP.String())
		}
	}
}

// maxQueued bounds the connections dropEarly closes at once; a listener
// still holding more is not used.
const maxQueued = 1 << 16

// dropEarly closes, unread, every connection made to the active-mode
// listener ln so far. It runs right before the transfer command is sent:
// the server connects in answer to that command, so whoever connected
// earlier (anyone on the server's host can: control port + 1 is easy to
// guess, and the connection comes from the server's IP) is not the
// server. The trace names each connection refused.
func (c *Conn) dropEarly(ctx context.Context, ln *net.TCPListener, verb string) error {
	from, _, err := c.takeQueued(ctx, ln, false)
	for i, addr := range from {
		if i == 4 {
			c.tracef("refused %d more data connections made before %s was sent", len(from)-i, verb)
			break
		}
		c.tracef("refused data connection from %s: it connected before %s was sent", addr, verb)
	}
	if err != nil {
		return &Error{Kind: KindConnection, Op: "data connection", Err: fmt.Errorf("closing connections made before %s: %w", verb, err)}
	}
	return nil
}

// takeQueuedByDial is takeQueued where a listener's socket cannot be
// accepted from without waiting: it connects to ln itself and accepts
// until its own connection comes out, keeping (up to maxKept, with keep)
// or closing the others unread. A listener's queue is first in, first
// out, so every connection accepted before its own had been made before
// the dial. It returns the addresses of the others.
func (c *Conn) takeQueuedByDial(ctx context.Context, ln *net.TCPListener, keep bool) ([]string, []net.Conn, error) {
	d := net.Dialer{Timeout: c.opts.connectTimeout}
	self, err := d.DialContext(ctx, "tcp", ln.Addr().String())
	if err != nil {
		return nil, nil, err
	}
	defer self.Close()
	me := self.LocalAddr().(*net.TCPAddr)
	ln.SetDeadline(time.Now().Add(c.opts.connectTimeout))
	defer ln.SetDeadline(time.Time{})
	var from []string
	var kept []net.Conn
	for range maxQueued + 1 {
		nc, err := ln.AcceptTCP()
		if err != nil {
			return from, kept, err
		}
		addr := nc.RemoteAddr().(*net.TCPAddr)
		if addr.Port == me.Port && addr.IP.Equal(me.IP) {
			nc.Close()
			return from, kept, nil
		}
		if keep && len(kept) < maxKept {
			kept = append(kept, nc)
		} else {
			nc.Close()
		}
		from = append(from, addr.String())
	}
	return from, kept, errTooManyQueued
}

// errTooManyQueued reports a listener that still held connections after
// maxQueued were closed.
var errTooManyQueued = fmt.Errorf("more than %d connections waiting", maxQueued)

// parseEPSV reads the port from a 229 reply text such as
// "Entering Extended Passive Mode (|||6446|)" (RFC 2428 section 3).
func parseEPSV(text string) (int, error) {
	open := strings.IndexByte(text, '(')
	end := strings.LastIndexByte(text, ')')
	if open < 0 || end < open+5 {
		return 0, fmt.Errorf("malformed EPSV reply %q", clip(text))
	}
	in := text[open+1 : end]
	d := in[0]
	if d < 33 || d > 126 || len(in) < 5 || in[1] != d || in[2] != d || in[len(in)-1] != d {
		return 0, fmt.Errorf("malformed EPSV reply %q", clip(text))
	}
	port, err := strconv.Atoi(in[3 : len(in)-1])
	if err != nil || port < 1 || port > 65535 {
		return 0, fmt.Errorf("malformed EPSV port in %q", clip(text))
	}
	return port, nil
}

// parsePASV reads "h1,h2,h3,h4,p1,p2" from a 227 reply text (RFC 959
// section 4.1.2; RFC 1123 4.1.2.6: find the numbers anywhere in the text).
func parsePASV(text string) (net.IP, int, error) {
	for i := 0; i < len(text); i++ {
		if text[i] < '0' || text[i] > '9' || (i > 0 && (text[i-1] == ',' || (text[i-1] >= '0' && text[i-1] <= '9'))) {
			continue
		}
		end := i
		for end < len(text) && (text[end] == ',' || (text[end] >= '0' && text[end] <= '9')) {
			end++
		}
		fields := strings.Split(strings.TrimRight(text[i:end], ","), ",")
		if len(fields) != 6 {
			continue
		}
		var n [6]byte
		ok := true
		for j, f := range fields {
			v, err := strconv.Atoi(f)
			if err != nil || v < 0 || v > 255 || len(f) > 3 {
				ok = false
				break
			}
			n[j] = byte(v)
		}
		if !ok {
			continue
		}
		port := int(n[4])<<8 | int(n[5])
		if port == 0 {
			break
		}
		return net.IPv4(n[0], n[1], n[2], n[3]), port, nil
	}
	return nil, 0, fmt.Errorf("malformed PASV reply %q", clip(text))
}
