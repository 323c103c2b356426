package proxy

import (
	"errors"
	"testing"
)

// TestBypass follows curl's rules for NO_PROXY (lib/noproxy.c and its
// unit test 1614).
func TestBypass(t *testing.T) {
	tests := []struct {
		host, list string
		want       bool
	}{
		{"www.example.com", "", false},
		{"www.example.com", "*", true},
		{"www.example.com", "*,other", false}, // only a lone * is the wildcard
		{"example.com", "example.com", true},
		{"www.example.com", "example.com", true},
		{"www.example.com", ".example.com", true},
		{"example.com", ".example.com", true},
		{"nonexample.com", "example.com", false},
		{"example.com.org", "example.com", false},
		{"WWW.Example.COM", "example.com", true},
		{"example.com.", "example.com", true},
		{"example.com", "example.com.", true},
		{"www.example.com", "other.org, example.com", true},
		{"www.example.com", " ,, example.com ,", true},
		{"www.example.com", "other.org example.com", true}, // blanks separate names, as commas do
		{"vm", "localhost vm", true},
		{"localhost", "localhost vm", true},
		{"vm", "localhost\tvm", true},
		{"b.example", "a.example  ,  b.example c.example", true},
		{"c.example", "a.example  ,  b.example c.example", true},
		{"d.example", "a.example  ,  b.example c.example", false},
		{"10.0.0.5", "localhost 10.0.0.0/8", true},
		{"www.example.com", " * ", false}, // only a lone * is the wildcard
		{"www.example.com", "* example.org", false},
		{"example.com", "example.com:21", false}, // a port never matches
		{"localhost", "127.0.0.1", false},
		{"127.0.0.1", "localhost", false},
		{"127.0.0.1", "127.0.0.1", true},
		{"127.0.0.1", "127.0.0.2", false},
		{"127.0.0.1", "127.0.0.0/8", true},
		{"10.1.2.3", "10.0.0.0/16", false},
		{"10.0.2.3", "10.0.0.0/16", true},
		{"10.0.2.3", "10.0.0.0/33", false},
		{"::1", "::1", true},
		{"[::1]", "::1", true},
		{"2001:db8::5", "2001:db8::/32", true},
		{"2001:db9::5", "2001:db8::/32", false},
		{"::1", "127.0.0.1", false},
		{"127.0.0.1", "::ffff:127.0.0.1", false},
		{"ftp.local", "local", true},
		{"ftp.local", "l", false},
		{"x", ".", false},
	}
	for _, tt := range tests {
		if got := Bypass(tt.list, tt.host); got != tt.want {
			t.Errorf("Bypass(%q, %q) = %v, want %v", tt.list, tt.host, got, tt.want)
		}
	}
}

func TestChoice(t *testing.T) {
	env := map[string]string{}
	getenv := func(k string) string { return env[k] }
	pick := func(c Choice, scheme, host string) string {
		t.Helper()
		c.Getenv = getenv
		p, source, err := c.For(scheme, host)
		if err != nil {
			t.Fatalf("For(%s, %s): %v", scheme, host, err)
		}
		if p == nil {
			return "direct"
		}
		return p.Name() + " from " + source
	}
	check := func(got, want string) {
		t.Helper()
		if got != want {
			t.Errorf("got %s, want %s", got, want)
		}
	}
	check(pick(Choice{}, "ftp", "h"), "direct")

	env["ALL_PROXY"] = "socks5://all:1"
	check(pick(Choice{}, "ftp", "h"), "socks5://all:1 from ALL_PROXY")
	env["all_proxy"] = "socks5://lower:1"
	check(pick(Choice{}, "ftp", "h"), "socks5://lower:1 from all_proxy")
	env["FTP_PROXY"] = "http://ftpup:2"
	check(pick(Choice{}, "ftp", "h"), "http://ftpup:2 from FTP_PROXY")
	check(pick(Choice{}, "ftpes", "h"), "http://ftpup:2 from FTP_PROXY")
	env["ftp_proxy"] = "http://ftplow:2"
	check(pick(Choice{}, "ftp", "h"), "http://ftplow:2 from ftp_proxy")
	// ftps:// reads ftps_proxy, as curl does, then all_proxy.
	check(pick(Choice{}, "ftps", "h"), "socks5://lower:1 from all_proxy")
	env["ftps_proxy"] = "socks5h://tls:3"
	check(pick(Choice{}, "ftps", "h"), "socks5h://tls:3 from ftps_proxy")

	check(pick(Choice{Default: "socks5://conf:4"}, "ftp", "h"), "socks5://conf:4 from the configuration")
	check(pick(Choice{Default: "socks5://conf:4", Bookmark: "socks5://bm:5"}, "ftp", "h"), "socks5://bm:5 from the bookmark")
	check(pick(Choice{Bookmark: "socks5://bm:5", Flag: "socks5://flag:6", FlagSet: true}, "ftp", "h"), "socks5://flag:6 from --proxy")
	check(pick(Choice{Bookmark: "socks5://bm:5", FlagSet: true}, "ftp", "h"), "direct")

	// NO_PROXY applies whatever the source; --noproxy replaces it.
	env["NO_PROXY"] = "corp.example"
	check(pick(Choice{}, "ftp", "ftp.corp.example"), "direct")
	check(pick(Choice{Flag: "socks5://flag:6", FlagSet: true}, "ftp", "ftp.corp.example"), "direct")
	env["no_proxy"] = "other.example"
	check(pick(Choice{}, "ftp", "ftp.corp.example"), "http://ftplow:2 from ftp_proxy")
	check(pick(Choice{}, "ftp", "ftp.other.example"), "direct")
	check(pick(Choice{NoProxySet: true}, "ftp", "ftp.other.example"), "http://ftplow:2 from ftp_proxy")
	check(pick(Choice{NoProxy: "*", NoProxySet: true}, "ftp", "h"), "direct")
	// Blanks separate names as commas do, in each source.
	env["no_proxy"] = "localhost other.example\tvm"
	check(pick(Choice{}, "ftp", "vm"), "direct")
	check(pick(Choice{}, "ftp", "ftp.other.example"), "direct")
	check(pick(Choice{NoProxy: "localhost vm", NoProxySet: true}, "ftp", "vm"), "direct")
	check(pick(Choice{NoProxy: "localhost vm", NoProxySet: true}, "ftp", "h"), "http://ftplow:2 from ftp_proxy")

	env["ftp_proxy"] = "socks4://u:SECRET@h"
	_, source, err := Choice{Getenv: getenv}.For("ftp", "h")
	var se *SourceError
	if !errors.As(err, &se) || source != "ftp_proxy" || !errors.Is(err, ErrScheme) {
		t.Errorf("bad ftp_proxy: %v (source %q)", err, source)
	}
}
