// Package ftpurl parses the addresses that ferry accepts on its command line
// and in its shell: ftp://, ftps:// and ftpes:// URLs (RFC 1738 section 3.2,
// with RFC 3986 bracketed IPv6 hosts and RFC 6874 zones) and bookmark
// references of the form NAME:/path, NAME:path or NAME:.
//
// A URL path is relative to the login folder, as RFC 1738 says:
// ftp://host/pub/x names "pub/x" under the login folder, while
// ftp://host//etc/x and ftp://host/%2Fetc/x name the absolute "/etc/x".
package ftpurl

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"strings"
)

// The schemes ferry speaks.
const (
	// SchemeFTP is plain FTP, port 21.
	SchemeFTP = "ftp"
	// SchemeFTPS is FTP over implicit TLS (TLS from the first byte), port 990.
	SchemeFTPS = "ftps"
	// SchemeFTPES is FTP with explicit TLS (AUTH TLS, RFC 4217), port 21.
	SchemeFTPES = "ftpes"
)

// ErrNotAddress is returned, wrapped, for a string that is neither a URL
// nor a bookmark reference.
var ErrNotAddress = errors.New("an ftp:// URL or a bookmark (NAME:/path) is expected")

// ErrControlChar is returned, wrapped, when a field holds a CR, LF or NUL
// after percent-decoding: such a byte could inject FTP commands.
var ErrControlChar = errors.New("CR, LF and NUL are not allowed")

// Target is a parsed address: either a URL, or a bookmark reference whose
// Host is empty until the bookmark is resolved.
type Target struct {
	// Scheme is "ftp", "ftps" (implicit TLS) or "ftpes" (explicit TLS).
	// It is empty for an unresolved bookmark reference.
	Scheme string
	// Host is the host name or IP address, without brackets for IPv6. An
	// IPv6 zone follows a "%" ("fe80::1%eth0").
	Host string
	// Port is the explicit port or the scheme's default (see DefaultPort).
	Port int
	// User is the percent-decoded user name, "" when not given.
	User string
	// Password is the percent-decoded password. It is never printed by
	// String.
	Password string
	// HasPassword tells an empty password ("ftp://u:@h") from none.
	HasPassword bool
	// Path is the path to use on the server: relative to the login folder
	// unless it starts with "/", "" for the login folder itself. A trailing
	// slash is kept: it says the path names a folder.
	Path string
	// Type is the RFC 1738 typecode given as ";type=X": 'a' (ASCII),
	// 'i' (image, binary) or 'd' (directory listing), or 0 when absent.
	Type byte
	// Bookmark is the bookmark name when the address was NAME:/path.
	Bookmark string
}

// DefaultPort returns the port a scheme uses when the URL names none: 21
// for ftp and ftpes, 990 for ftps, and 0 for anything else.
func DefaultPort(scheme string) int {
	switch scheme {
	case SchemeFTP, SchemeFTPES:
		return 21
	case SchemeFTPS:
		return 990
	}
	return 0
}

// knownScheme reports whether s, in any case, is a scheme ferry speaks.
func knownScheme(s string) bool {
	return DefaultPort(strings.ToLower(s)) != 0
}

// IsBookmarkName reports whether name can name a bookmark: a letter, then
// letters, digits, '_', '.' or '-', and not a scheme name such as "ftp".
func IsBookmarkName(name string) bool {
	return bookmarkSyntax(name) && !knownScheme(name)
}

// bookmarkSyntax reports whether s matches ^[A-Za-z][A-Za-z0-9_.-]*$.
func bookmarkSyntax(s string) bool {
	if s == "" || !isAlpha(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		if !isAlpha(c) && !isDigit(c) && c != '_' && c != '.' && c != '-' {
			return false
		}
	}
	return true
}

// schemeSyntax reports whether s is a URI scheme as RFC 3986 section 3.1
// spells it: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ).
func schemeSyntax(s string) bool {
	if s == "" || !isAlpha(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		if !isAlpha(c) && !isDigit(c) && c != '+' && c != '-' && c != '.' {
			return false
		}
	}
	return true
}

func isAlpha(c byte) bool { return 'a' <= c|0x20 && c|0x20 <= 'z' }
func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// IsRemote reports whether s is written as a remote address, a URL
// ("ftp://...", or any other "scheme://") or a bookmark reference
// ("NAME:..."), so that commands such as put can tell remote arguments from
// local ones. It does not check that s parses: IsRemote("http://x") is true
// and Parse then explains that the scheme is unknown. A local path whose
// first component looks like NAME: can be written "./NAME:..."; paths such
// as "./a:b", "/tmp/x" or "dir/a:b" are local.
func IsRemote(s string) bool {
	if i := strings.Index(s, "://"); i > 0 && schemeSyntax(s[:i]) {
		return true
	}
	i := strings.IndexByte(s, ':')
	return i > 0 && bookmarkSyntax(s[:i])
}

// Parse parses a URL or a bookmark reference. The error never shows a
// password from s.
func Parse(s string) (Target, error) {
	t, err := parse(s)
	if err != nil {
		return Target{}, fmt.Errorf("bad address %q: %w", redact(s), err)
	}
	return t, nil
}

func parse(s string) (Target, error) {
	if i := strings.Index(s, "://"); i > 0 && schemeSyntax(s[:i]) {
		scheme := strings.ToLower(s[:i])
		if !knownScheme(scheme) {
			return Target{}, fmt.Errorf("unknown scheme %q (ferry speaks ftp, ftps and ftpes)", s[:i])
		}
		return parseURL(scheme, s[i+3:])
	}
	i := strings.IndexByte(s, ':')
	if i <= 0 || !bookmarkSyntax(s[:i]) {
		return Target{}, ErrNotAddress
	}
	if knownScheme(s[:i]) {
		return Target{}, fmt.Errorf("%s: must be followed by // as in %s://host/path", s[:i], strings.ToLower(s[:i]))
	}
	rest := s[i+1:]
	if err := checkControl("path", rest); err != nil {
		return Target{}, err
	}
	return Target{Bookmark: s[:i], Path: rest}, nil
}

// parseURL parses what follows "scheme://".
func parseURL(scheme, rest string) (Target, error) {
	t := Target{Scheme: scheme}
	auth, rawPath := rest, ""
	if i := strings.IndexByte(rest, '/'); i >= 0 {
		auth, rawPath = rest[:i], rest[i+1:]
	}

	hostport := auth
	if at := strings.LastIndexByte(auth, '@'); at >= 0 {
		userinfo := auth[:at]
		hostport = auth[at+1:]
		rawUser, rawPass, hasPass := strings.Cut(userinfo, ":")
		var err error
		if t.User, err = decodeField("user name", rawUser); err != nil {
			return Target{}, err
		}
		if hasPass {
			if t.Password, err = decodeField("password", rawPass); err != nil {
				return Target{}, err
			}
			t.HasPassword = true
		}
	}

	host, port, err := parseHostPort(hostport)
	if err != nil {
		if !strings.Contains(auth, "@") && strings.Contains(rawPath, "@") {
			// "ftp://user:pa/ss@host/": the "/" ended the authority
			// early, so what looks like a host or port is part of a
			// password; never echo it.
			return Target{}, errors.New("the user name or password holds a \"/\", which must be percent-encoded")
		}
		return Target{}, err
	}
	t.Host = host
	t.Port = port
	if t.Port == 0 {
		t.Port = DefaultPort(scheme)
	}

	if t.Path, t.Type, err = parsePath(rawPath); err != nil {
		return Target{}, err
	}
	return t, nil
}

// parseHostPort parses "host", "host:port", "[v6]" or "[v6]:port". The port
// is 0 when absent or empty (RFC 3986 allows "host:").
func parseHostPort(hp string) (string, int, error) {
	var host, portStr string
	if strings.HasPrefix(hp, "[") {
		end := strings.IndexByte(hp, ']')
		if end < 0 {
			return "", 0, errors.New("missing ']' after IPv6 address")
		}
		var err error
		if host, err = parseIPv6(hp[1:end]); err != nil {
			return "", 0, err
		}
		after := hp[end+1:]
		if after != "" {
			if after[0] != ':' {
				return "", 0, fmt.Errorf("unexpected %q after IPv6 address", after)
			}
			portStr = after[1:]
		}
	} else {
		host, portStr, _ = strings.Cut(hp, ":")
		if host == "" {
			return "", 0, errors.New("empty host")
		}
		if err := checkHostName(host); err != nil {
			return "", 0, err
		}
	}
	if portStr == "" {
		return host, 0, nil
	}
	port, err := parsePort(portStr)
	return host, port, err
}

// parseIPv6 checks the inside of a bracketed host and returns it with an
// RFC 6874 zone ("%25eth0") turned into Go's form ("%eth0").
func parseIPv6(s string) (string, error) {
	addr, zone, hasZone := strings.Cut(s, "%")
	if hasZone {
		zone = strings.TrimPrefix(zone, "25")
		if zone == "" {
			return "", errors.New("empty IPv6 zone")
		}
		for i := 0; i < len(zone); i++ {
			c := zone[i]
			if !isAlpha(c) && !isDigit(c) && !strings.ContainsRune("-._~", rune(c)) {
				return "", fmt.Errorf("bad IPv6 zone %q", zone)
			}
		}
	}
	ip, err := netip.ParseAddr(addr)
	if err != nil || !ip.Is6() || ip.Zone() != "" {
		return "", fmt.Errorf("bad IPv6 address %q", addr)
	}
	if hasZone {
		return addr + "%" + zone, nil
	}
	return addr, nil
}

// checkHostName rejects bytes that cannot be in a host name: controls,
// spaces and URL delimiters. Non-ASCII (IDN) names pass.
func checkHostName(h string) error {
	for i := 0; i < len(h); i++ {
		c := h[i]
		if c <= ' ' || c == 0x7f || strings.IndexByte(`/\?#@[]%;"<>{}|^`+"`", c) >= 0 {
			return fmt.Errorf("bad character %q in host %q", c, h)
		}
	}
	return nil
}

// parsePort parses a decimal port in 1..65535.
func parsePort(s string) (int, error) {
	if len(s) > 5 {
		return 0, fmt.Errorf("bad port %q", s)
	}
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return 0, fmt.Errorf("bad port %q", s)
		}
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > 65535 {
		return 0, fmt.Errorf("bad port %q: want 1 to 65535", s)
	}
	return n, nil
}

// parsePath strips an RFC 1738 typecode from the path after the host's
// slash and decodes its segments. A %2F inside a segment becomes a literal
// slash, so "%2Fetc" is the absolute "/etc", like "/etc" after the
// separating slash ("ftp://h//etc").
func parsePath(raw string) (string, byte, error) {
	var typ byte
	if i := lastTypecode(raw); i >= 0 {
		code := raw[i+len(";type="):]
		if len(code) != 1 || strings.IndexByte("aid", code[0]|0x20) < 0 {
			return "", 0, fmt.Errorf("bad typecode %q: want a, i or d", code)
		}
		typ = code[0] | 0x20
		raw = raw[:i]
	}
	segs := strings.Split(raw, "/")
	for i, seg := range segs {
		var err error
		if segs[i], err = decodeField("path", seg); err != nil {
			return "", 0, err
		}
	}
	return strings.Join(segs, "/"), typ, nil
}

// lastTypecode returns the index of the last ";type=", in any ASCII case,
// in the last segment of raw, or -1.
func lastTypecode(raw string) int {
	const param = ";type="
	start := strings.LastIndexByte(raw, '/') + 1
	for i := len(raw) - len(param); i >= start; i-- {
		if raw[i] == ';' && asciiEqualFold(raw[i:i+len(param)], param) {
			return i
		}
	}
	return -1
}

// asciiEqualFold compares s with the lower-case ASCII string lower,
// folding only ASCII letters in s.
func asciiEqualFold(s, lower string) bool {
	if len(s) != len(lower) {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isAlpha(c) {
			c |= 0x20
		}
		if c != lower[i] {
			return false
		}
	}
	return true
}

// decodeField percent-decodes one field and rejects CR, LF and NUL in the
// result.
func decodeField(field, s string) (string, error) {
	v, err := unescape(s)
	if err != nil {
		if field == "password" {
			// The details would quote part of the password.
			return "", errors.New("password: bad percent-encoding")
		}
		return "", fmt.Errorf("%s: %w", field, err)
	}
	if err := checkControl(field, v); err != nil {
		return "", err
	}
	return v, nil
}

// checkControl rejects CR, LF and NUL, naming the field and the byte.
func checkControl(field, v string) error {
	for i := 0; i < len(v); i++ {
		var name string
		switch v[i] {
		case '\r':
			name = "a carriage return (CR)"
		case '\n':
			name = "a line feed (LF)"
		case 0:
			name = "a NUL byte"
		default:
			continue
		}
		return fmt.Errorf("%s contains %s: %w", field, name, ErrControlChar)
	}
	return nil
}

// Addr returns "host:port" for net.Dial, with an IPv6 host in brackets.
// It is meaningful only once Host is set, that is for a URL or a resolved
// bookmark.
func (t Target) Addr() string {
	return net.JoinHostPort(t.Host, strconv.Itoa(t.Port))
}

// WithPath returns a copy of t with its Path replaced by p; the other
// fields, including Type, are kept.
func (t Target) WithPath(p string) Target {
	t.Path = p
	return t
}

// redact masks a password in s for an error message, even when s did not
// parse. It masks from the first ':' of the userinfo up to the last '@' of
// the authority; when a password holds an unencoded '/', the authority seen
// by the parser ends early, so an '@' later in s also counts.
func redact(s string) string {
	i := strings.Index(s, "://")
	if i < 0 {
		return s
	}
	start := i + 3
	rest := s[start:]
	auth := rest
	if j := strings.IndexByte(rest, '/'); j >= 0 {
		auth = rest[:j]
	}
	at := strings.LastIndexByte(auth, '@')
	if at < 0 {
		if strings.HasPrefix(auth, "[") || !strings.Contains(auth, ":") {
			return s
		}
		if at = strings.LastIndexByte(rest, '@'); at < 0 {
			return s
		}
	}
	colon := strings.IndexByte(rest[:at], ':')
	if colon < 0 {
		return s
	}
	return s[:start+colon+1] + "****" + s[start+at:]
}
