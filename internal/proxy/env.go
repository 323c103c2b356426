package proxy

import (
	"net/netip"
	"strconv"
	"strings"
)

// Choice is what decides the proxy for a server, highest first: a proxy
// given for the command (--proxy; "" there means none), the bookmark's,
// the configuration's default, and the environment. NO_PROXY then exempts
// hosts whatever the proxy's source, as in curl.
type Choice struct {
	// Flag is --proxy; FlagSet says it was given (an empty Flag then
	// turns every other source off).
	Flag    string
	FlagSet bool
	// Bookmark and Default are the bookmark's and the configuration's
	// proxy settings, "" for none.
	Bookmark, Default string
	// NoProxy is --noproxy (or the configuration's noproxy); NoProxySet
	// says it was given, and then the environment's NO_PROXY is not read
	// (an empty NoProxy exempts no host).
	NoProxy    string
	NoProxySet bool
	// Getenv reads the environment; nil reads nothing.
	Getenv func(string) string
}

// For returns the proxy to reach host (a name or an IP address, without
// brackets) for a URL of scheme ("ftp", "ftps" or "ftpes"), or nil for a
// direct connection, with where the proxy came from ("--proxy", "the
// bookmark", "the configuration" or an environment variable's name). An
// invalid proxy URL is an error that names its source.
func (c Choice) For(scheme, host string) (p *Proxy, source string, err error) {
	raw, source := c.raw(scheme)
	if raw == "" {
		return nil, "", nil
	}
	list, _ := c.noProxy()
	if Bypass(list, host) {
		return nil, "", nil
	}
	p, err = Parse(raw)
	if err != nil {
		return nil, source, &SourceError{Source: source, Err: err}
	}
	return p, source, nil
}

// raw returns the proxy URL that applies before NO_PROXY, and its source.
func (c Choice) raw(scheme string) (string, string) {
	switch {
	case c.FlagSet:
		return c.Flag, "--proxy"
	case c.Bookmark != "":
		return c.Bookmark, "the bookmark"
	case c.Default != "":
		return c.Default, "the configuration"
	}
	return FromEnv(c.Getenv, scheme)
}

// noProxy returns the list of hosts to reach directly, and its source.
func (c Choice) noProxy() (string, string) {
	if c.NoProxySet {
		return c.NoProxy, "--noproxy"
	}
	return getenvPair(c.Getenv, "no_proxy")
}

// SourceError is an invalid proxy URL, with where it came from.
type SourceError struct {
	Source string
	Err    error
}

func (e *SourceError) Error() string { return e.Source + ": " + e.Err.Error() }

func (e *SourceError) Unwrap() error { return e.Err }

// FromEnv returns the proxy URL that curl reads from the environment for a
// URL of scheme, and the variable it came from: scheme_proxy, then
// SCHEME_PROXY, then all_proxy, then ALL_PROXY; a variable set to "" counts
// as unset. ftpes:// (explicit TLS, which curl spells ftp:// with
// --ssl-reqd) reads ftp_proxy; ftps:// (implicit TLS) reads ftps_proxy, as
// curl does, and not ftp_proxy.
func FromEnv(getenv func(string) string, scheme string) (value, name string) {
	if getenv == nil {
		return "", ""
	}
	scheme = strings.ToLower(scheme)
	if scheme == "ftpes" {
		scheme = "ftp"
	}
	if v, n := getenvPair(getenv, scheme+"_proxy"); v != "" {
		return v, n
	}
	return getenvPair(getenv, "all_proxy")
}

// getenvPair reads name in lower case, else in upper case.
func getenvPair(getenv func(string) string, name string) (string, string) {
	if getenv == nil {
		return "", ""
	}
	for _, n := range []string{name, strings.ToUpper(name)} {
		if v := getenv(n); v != "" {
			return v, n
		}
	}
	return "", ""
}

// Bypass reports whether host is exempt from the proxy by list, a NO_PROXY
// value, with curl's rules: list is "*" (all hosts), or names separated by
// commas, blanks or both ("localhost vm", "a, b"). A name matches a host name
// that is the name or ends with "." and the name (example.com matches
// example.com and ftp.example.com, not myexample.com); a leading or
// trailing dot is ignored on either side, and case does not matter. An IP
// address matches an IP host exactly, or as a CIDR block ("10.0.0.0/8",
// "fd00::/8"); a name never matches an IP host, nor an IP a name. A
// port is not part of the match: an entry with one matches nothing, as in
// curl.
func Bypass(list, host string) bool {
	if list == "" || host == "" {
		return false
	}
	if list == "*" {
		return true
	}
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	ip, ipErr := netip.ParseAddr(host)
	isIP := ipErr == nil
	if !isIP {
		host = strings.TrimSuffix(host, ".")
	}
	for _, token := range strings.FieldsFunc(list, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' }) {
		if isIP && matchIP(ip, token) || !isIP && matchName(host, token) {
			return true
		}
	}
	return false
}

// matchName matches a host name against one NO_PROXY name.
func matchName(host, token string) bool {
	token = strings.TrimSuffix(token, ".")
	token = strings.TrimPrefix(token, ".")
	switch {
	case token == "":
		return false
	case len(token) == len(host):
		return strings.EqualFold(token, host)
	case len(token) < len(host):
		tail := host[len(host)-len(token):]
		return host[len(host)-len(token)-1] == '.' && strings.EqualFold(token, tail)
	}
	return false
}

// matchIP matches an IP host against one NO_PROXY address or CIDR block.
func matchIP(ip netip.Addr, token string) bool {
	addr, bitsText, hasBits := strings.Cut(token, "/")
	network, err := netip.ParseAddr(addr)
	if err != nil || network.Is4() != ip.Is4() {
		return false
	}
	bits := network.BitLen()
	if hasBits {
		n, err := strconv.Atoi(bitsText)
		if err != nil || n < 0 || n > network.BitLen() {
			return false
		}
		if n > 0 {
			bits = n
		}
	}
	prefix, err := network.Prefix(bits)
	if err != nil {
		return false
	}
	return prefix.Contains(ip.WithZone(""))
}
