package ftpurl

import (
	"net"
	"strconv"
	"strings"
	"testing"
)

func FuzzParse(f *testing.F) {
	for _, tt := range parseTests {
		f.Add(tt.in)
	}
	for _, s := range []string{
		"", "ftp://", "ftp://h:0", "ftp://[", "ftp://[::1%25]", "ftp://u:p@h/%0a",
		"w:\r", "ftp:/x", "http://h", "ftp://h/x;type=", "ftp://h/%", "ftp://@@@",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tg, err := Parse(s)
		if err != nil {
			return
		}
		for name, v := range map[string]string{
			"Scheme": tg.Scheme, "Host": tg.Host, "User": tg.User,
			"Password": tg.Password, "Path": tg.Path, "Bookmark": tg.Bookmark,
		} {
			if strings.ContainsAny(v, "\r\n\x00") {
				t.Fatalf("Parse(%q): %s %q holds CR, LF or NUL", s, name, v)
			}
		}
		host, port, err := net.SplitHostPort(tg.Addr())
		if err != nil {
			t.Fatalf("Parse(%q).Addr() = %q: %v", s, tg.Addr(), err)
		}
		if host != tg.Host || port != strconv.Itoa(tg.Port) {
			t.Fatalf("Parse(%q).Addr() = %q splits to %q %q", s, tg.Addr(), host, port)
		}
		if tg.Bookmark == "" && (tg.Host == "" || tg.Port < 1 || tg.Port > 65535) {
			t.Fatalf("Parse(%q) = %#v: URL without a host or port", s, tg)
		}
		// The authority, before the path: an empty password's ":@" may
		// well be in the path.
		_, rest, _ := strings.Cut(tg.String(), "://")
		authority, _, _ := strings.Cut(rest, "/")
		if tg.HasPassword && strings.Contains(authority, ":"+tg.Password+"@") && tg.Password != "****" {
			t.Fatalf("Parse(%q).String() = %q shows the password", s, tg.String())
		}
		checkRoundTrip(t, s)
	})
}
