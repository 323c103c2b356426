// Package proxy connects to FTP servers through a SOCKS5 proxy (RFC 1928,
// with the user name and password of RFC 1929) or an HTTP proxy that
// tunnels with CONNECT (RFC 9110 section 9.3.6), and chooses the proxy for
// a server the way curl does: the --proxy URL, else the environment
// (ftp_proxy, FTP_PROXY, all_proxy, ALL_PROXY), except for the hosts in
// NO_PROXY.
//
// A Dialer returns the proxy's own TCP connection once the tunnel is up,
// so what the caller reads and writes goes to the FTP server unchanged
// (TLS included, verified against the FTP server's name). A proxy's
// password never appears in what this package prints or returns: URLs are
// shown with it masked, and errors name the proxy by scheme, host and port.
package proxy

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
)

// The proxy kinds, as their URL schemes.
const (
	// SOCKS5 resolves the server's name itself and sends the proxy an IP
	// address.
	SOCKS5 = "socks5"
	// SOCKS5H sends the server's name and lets the proxy resolve it.
	SOCKS5H = "socks5h"
	// HTTP asks an HTTP proxy for a tunnel with CONNECT; the proxy
	// resolves the name.
	HTTP = "http"
)

// DefaultPort is the port of a proxy URL that names none, as in curl.
const DefaultPort = 1080

// Proxy is a parsed proxy URL.
type Proxy struct {
	// Scheme is SOCKS5, SOCKS5H or HTTP.
	Scheme string
	// Host is the proxy's host name or IP address, without brackets.
	Host string
	Port int
	// User and Password are the URL's credentials, percent-decoded;
	// HasAuth reports whether the URL gave any.
	User, Password string
	HasAuth        bool
}

// ErrScheme reports a proxy URL whose scheme ferry does not speak.
var ErrScheme = errors.New("unsupported proxy scheme: use socks5://, socks5h:// or http://")

// Parse reads a proxy URL: socks5://, socks5h:// or http://, with an
// optional user and password (percent-encoded) and port (1080 when
// missing, as in curl). A value without a scheme is an HTTP proxy, as in
// curl. Errors never hold the password.
func Parse(raw string) (*Proxy, error) {
	shown := Redact(raw)
	if raw == "" {
		return nil, errors.New("empty proxy URL")
	}
	if !strings.Contains(raw, "://") {
		raw = HTTP + "://" + raw
	}
	// url.Parse ends the user and password at the first '/', '?' or '#',
	// and its errors then quote what follows: part of the password. Such
	// a URL is refused before it, and its errors are never shown.
	if auth := raw[strings.Index(raw, "://")+3:]; strings.LastIndexByte(auth, '@') >= 0 &&
		strings.ContainsAny(auth[:strings.LastIndexByte(auth, '@')], "/?#") {
		return nil, fmt.Errorf("bad proxy URL %q: the user or password holds '/', '?' or '#', which must be percent-encoded (%%2F, %%3F, %%23)", shown)
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("bad proxy URL %q: want SCHEME://[USER:PASSWORD@]HOST[:PORT], with '@', ':', '/', '?', '#' and '%%' in the user or password percent-encoded", shown)
	}
	p := &Proxy{Scheme: strings.ToLower(u.Scheme), Host: u.Hostname()}
	switch p.Scheme {
	case SOCKS5, SOCKS5H, HTTP:
	default:
		return nil, fmt.Errorf("proxy URL %q: %w", shown, ErrScheme)
	}
	if p.Host == "" {
		return nil, fmt.Errorf("bad proxy URL %q: no host", shown)
	}
	if (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" || u.Opaque != "" {
		return nil, fmt.Errorf("bad proxy URL %q: a proxy URL has no path or query", shown)
	}
	p.Port = DefaultPort
	if s := u.Port(); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 65535 {
			return nil, fmt.Errorf("bad proxy URL %q: the port must be a number from 1 to 65535", shown)
		}
		p.Port = n
	}
	if u.User != nil {
		p.User = u.User.Username()
		p.Password, _ = u.User.Password()
		p.HasAuth = true
		if err := p.checkAuth(); err != nil {
			return nil, fmt.Errorf("bad proxy URL %q: %v", shown, err)
		}
	}
	return p, nil
}

// checkAuth checks that the credentials can be sent: RFC 1929 allows 1 to
// 255 bytes for each, and HTTP Basic authentication no ':' in the user.
func (p *Proxy) checkAuth() error {
	if p.User == "" {
		return errors.New("a user is needed with a password")
	}
	if p.Scheme == HTTP {
		if strings.Contains(p.User, ":") {
			return errors.New("the user holds ':', which HTTP Basic authentication cannot send")
		}
		return nil
	}
	if len(p.User) > 255 || len(p.Password) > 255 {
		return errors.New("SOCKS5 takes at most 255 bytes of user name and of password")
	}
	if p.Password == "" {
		return errors.New("SOCKS5 authentication needs a password")
	}
	return nil
}

// Addr returns the proxy's "host:port".
func (p *Proxy) Addr() string {
	return net.JoinHostPort(p.Host, strconv.Itoa(p.Port))
}

// Name returns the proxy as it is named in messages: its scheme, host and
// port, without the credentials.
func (p *Proxy) Name() string {
	return p.Scheme + "://" + p.Addr()
}

// String returns the proxy's URL with its password masked ("****").
func (p *Proxy) String() string {
	if !p.HasAuth {
		return p.Name()
	}
	return p.Scheme + "://" + url.User(p.User).String() + ":****@" + p.Addr()
}

// Redact returns s, a proxy URL as given, with whatever could be its
// password masked, even when s does not parse: from the first ':' of the
// part before the last '@' up to that '@'.
func Redact(s string) string {
	start := 0
	if i := strings.Index(s, "://"); i >= 0 {
		start = i + 3
	}
	rest := s[start:]
	at := strings.LastIndexByte(rest, '@')
	if at < 0 {
		return s
	}
	colon := strings.IndexByte(rest[:at], ':')
	if colon < 0 {
		return s
	}
	return s[:start+colon+1] + "****" + s[start+at:]
}
