package proxy

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
)

// SOCKS5 protocol values (RFC 1928, RFC 1929).
const (
	socksVersion   = 5
	authNone       = 0x00
	authPassword   = 0x02
	authNoneOK     = 0xff // "no acceptable methods"
	authPwdVersion = 1
	cmdConnect     = 1
	atypIPv4       = 1
	atypDomain     = 3
	atypIPv6       = 4
)

// socksReplies names the reply codes of RFC 1928 section 6; permanent
// says whether another try would get the same answer.
var socksReplies = map[byte]struct {
	text      string
	permanent bool
}{
	1: {"general SOCKS server failure", false},
	2: {"connection not allowed by ruleset", true},
	3: {"network unreachable", false},
	4: {"host unreachable", false},
	5: {"connection refused", true},
	6: {"TTL expired", false},
	7: {"command not supported", true},
	8: {"address type not supported", true},
}

// connectSOCKS runs a SOCKS5 handshake on nc for a CONNECT to host:port:
// host goes as an IP address when it is one, else as a name for the proxy
// to resolve. Every read is of a known, bounded size; the caller has set
// nc's deadline.
func (d *Dialer) connectSOCKS(nc net.Conn, host string, port int) error {
	methods := []byte{authNone}
	if d.p.HasAuth {
		methods = append(methods, authPassword)
	}
	hello := append([]byte{socksVersion, byte(len(methods))}, methods...)
	if _, err := nc.Write(hello); err != nil {
		return err
	}
	var b [2]byte
	if _, err := io.ReadFull(nc, b[:]); err != nil {
		return notSOCKS(err)
	}
	if b[0] != socksVersion {
		return failure("not a SOCKS5 proxy: it answered with version %d", b[0])
	}
	switch b[1] {
	case authNone:
	case authPassword:
		if !d.p.HasAuth {
			return refusal("the proxy asks for a user name and password, and the proxy URL gives none")
		}
		if err := d.authenticate(nc); err != nil {
			return err
		}
	case authNoneOK:
		if !d.p.HasAuth {
			return refusal("the proxy needs authentication, and the proxy URL gives no user name and password")
		}
		return refusal("the proxy takes neither no authentication nor a user name and password")
	default:
		return failure("the proxy chose authentication method %d, which was not offered", b[1])
	}

	req := []byte{socksVersion, cmdConnect, 0}
	if ip, err := netip.ParseAddr(host); err == nil {
		ip = ip.Unmap()
		if ip.Is4() {
			req = append(req, atypIPv4)
		} else {
			req = append(req, atypIPv6)
		}
		req = append(req, ip.AsSlice()...)
	} else {
		if len(host) > 255 {
			return refusal("the host name %q is too long for SOCKS5", host)
		}
		req = append(req, atypDomain, byte(len(host)))
		req = append(req, host...)
	}
	req = binary.BigEndian.AppendUint16(req, uint16(port))
	if _, err := nc.Write(req); err != nil {
		return err
	}
	// VER REP RSV ATYP, then the bound address, which is not used.
	var head [4]byte
	if _, err := io.ReadFull(nc, head[:]); err != nil {
		return err
	}
	if head[0] != socksVersion {
		return failure("malformed SOCKS5 reply: version %d", head[0])
	}
	if head[1] != 0 {
		r, ok := socksReplies[head[1]]
		if !ok {
			return failure("the proxy could not connect to %s (SOCKS5 reply %d)", net.JoinHostPort(host, fmt.Sprint(port)), head[1])
		}
		msg := fmt.Sprintf("the proxy could not connect to %s: %s (SOCKS5 reply %d)", net.JoinHostPort(host, fmt.Sprint(port)), r.text, head[1])
		if r.permanent {
			return refusal("%s", msg)
		}
		return failure("%s", msg)
	}
	var rest int
	switch head[3] {
	case atypIPv4:
		rest = 4
	case atypIPv6:
		rest = 16
	case atypDomain:
		var n [1]byte
		if _, err := io.ReadFull(nc, n[:]); err != nil {
			return err
		}
		rest = int(n[0])
	default:
		return failure("malformed SOCKS5 reply: address type %d", head[3])
	}
	_, err := io.ReadFull(nc, make([]byte, rest+2))
	return err
}

// authenticate sends the user name and password (RFC 1929).
func (d *Dialer) authenticate(nc net.Conn) error {
	msg := []byte{authPwdVersion, byte(len(d.p.User))}
	msg = append(msg, d.p.User...)
	msg = append(msg, byte(len(d.p.Password)))
	msg = append(msg, d.p.Password...)
	if _, err := nc.Write(msg); err != nil {
		return err
	}
	var b [2]byte
	if _, err := io.ReadFull(nc, b[:]); err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			// Some proxies close instead of answering a failure.
			return refusal("the proxy refused the user name and password (it closed the connection)")
		}
		return err
	}
	if b[1] != 0 {
		return refusal("the proxy refused the user name and password")
	}
	return nil
}

// notSOCKS explains a proxy that closed the connection at once.
func notSOCKS(err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return failure("the proxy closed the connection without a SOCKS5 answer")
	}
	return err
}
