package proxy

import (
	"errors"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in                  string
		scheme, addr, shown string
		user, password      string
		hasAuth             bool
	}{
		{in: "socks5://127.0.0.1", scheme: SOCKS5, addr: "127.0.0.1:1080", shown: "socks5://127.0.0.1:1080"},
		{in: "SOCKS5H://proxy.example:9050", scheme: SOCKS5H, addr: "proxy.example:9050", shown: "socks5h://proxy.example:9050"},
		{in: "http://[::1]:3128/", scheme: HTTP, addr: "[::1]:3128", shown: "http://[::1]:3128"},
		{in: "proxy.example:3128", scheme: HTTP, addr: "proxy.example:3128", shown: "http://proxy.example:3128"},
		{in: "socks5://al%40ice:p%3Ass%2Fw@h:1", scheme: SOCKS5, addr: "h:1", shown: "socks5://al%40ice:****@h:1",
			user: "al@ice", password: "p:ss/w", hasAuth: true},
		{in: "http://bob:@h", scheme: HTTP, addr: "h:1080", shown: "http://bob:****@h:1080", user: "bob", hasAuth: true},
	}
	for _, tt := range tests {
		p, err := Parse(tt.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.in, err)
			continue
		}
		if p.Scheme != tt.scheme || p.Addr() != tt.addr || p.String() != tt.shown ||
			p.User != tt.user || p.Password != tt.password || p.HasAuth != tt.hasAuth {
			t.Errorf("Parse(%q) = %+v (%s), want %s %s %s user %q password %q", tt.in, *p, p, tt.scheme, tt.addr, tt.shown, tt.user, tt.password)
		}
		if strings.Contains(p.Name(), "@") {
			t.Errorf("Name() = %q holds credentials", p.Name())
		}
	}
}

func TestParseErrorsHideThePassword(t *testing.T) {
	for _, in := range []string{
		"socks4://u:SECRET@h", "https://u:SECRET@h", "socks5://u:SECRET@h:99999", "socks5://u:SECRET@h:x",
		"socks5://u:SECRET@h/path", "socks5://u:SECRET@", "socks5://:SECRET@h", "http://a%3Ab:SECRET@h",
		"socks5://u:SECRET@h\n", "socks5://u:" + strings.Repeat("SECRET", 50) + "@h", "",
		// '/', '?' and '#' end the authority for url.Parse, whose
		// errors would then quote part of the password.
		"socks5://alice:SEC/RET@127.0.0.1:11081", "socks5://alice:SEC?RET@h", "socks5://alice:SEC#RET@h",
		"socks5://alice:SECRET/x@h", "socks5://alice:SECRET#@h",
	} {
		p, err := Parse(in)
		if err == nil {
			t.Errorf("Parse(%q) = %v, want an error", in, p)
			continue
		}
		if strings.Contains(err.Error(), "SECRET") || strings.Contains(err.Error(), "SEC") || strings.Contains(err.Error(), "RET") {
			t.Errorf("Parse(%q): error %q shows the password", in, err)
		}
	}
	if _, err := Parse("socks4://h"); !errors.Is(err, ErrScheme) {
		t.Errorf("socks4: %v, want ErrScheme", err)
	}
}

func TestRedact(t *testing.T) {
	for in, want := range map[string]string{
		"socks5://u:pw@h:1":        "socks5://u:****@h:1",
		"u:pw@h:1":                 "u:****@h:1",
		"http://u:p@w/x@h":         "http://u:****@h",
		"http://h:3128":            "http://h:3128",
		"socks5://user@h":          "socks5://user@h",
		"socks5://u:a:b:c@h:99999": "socks5://u:****@h:99999",
	} {
		if got := Redact(in); got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
	}
}
