package ftpurl

import (
	"errors"
	"strings"
	"testing"
)

var parseTests = []struct {
	name string
	in   string
	want Target
}{
	// Schemes and default ports.
	{"plain", "ftp://example.com", Target{Scheme: "ftp", Host: "example.com", Port: 21}},
	{"plain slash", "ftp://example.com/", Target{Scheme: "ftp", Host: "example.com", Port: 21}},
	{"implicit TLS", "ftps://example.com/", Target{Scheme: "ftps", Host: "example.com", Port: 990}},
	{"explicit TLS", "ftpes://example.com/", Target{Scheme: "ftpes", Host: "example.com", Port: 21}},
	{"scheme case", "FTP://Example.COM/x", Target{Scheme: "ftp", Host: "Example.COM", Port: 21, Path: "x"}},
	{"explicit port", "ftp://h:2121/x", Target{Scheme: "ftp", Host: "h", Port: 2121, Path: "x"}},
	{"ftps explicit port", "ftps://h:21/", Target{Scheme: "ftps", Host: "h", Port: 21}},
	{"empty port", "ftp://h:/x", Target{Scheme: "ftp", Host: "h", Port: 21, Path: "x"}},
	{"max port", "ftp://h:65535", Target{Scheme: "ftp", Host: "h", Port: 65535}},
	{"ipv4", "ftp://127.0.0.1:2121/", Target{Scheme: "ftp", Host: "127.0.0.1", Port: 2121}},

	// User and password.
	{"user", "ftp://bob@h/", Target{Scheme: "ftp", Host: "h", Port: 21, User: "bob"}},
	{"user password", "ftp://bob:s3cret@h/", Target{Scheme: "ftp", Host: "h", Port: 21, User: "bob", Password: "s3cret", HasPassword: true}},
	{"empty password", "ftp://bob:@h/", Target{Scheme: "ftp", Host: "h", Port: 21, User: "bob", HasPassword: true}},
	{"empty userinfo", "ftp://@h/", Target{Scheme: "ftp", Host: "h", Port: 21}},
	{"encoded user", "ftp://bob%40corp:p%3Aw%2Fd%25@h/", Target{Scheme: "ftp", Host: "h", Port: 21, User: "bob@corp", Password: "p:w/d%", HasPassword: true}},
	{"at in password", "ftp://bob:p@ss@h/", Target{Scheme: "ftp", Host: "h", Port: 21, User: "bob", Password: "p@ss", HasPassword: true}},
	{"plus stays", "ftp://a+b:c+d@h/e+f", Target{Scheme: "ftp", Host: "h", Port: 21, User: "a+b", Password: "c+d", HasPassword: true, Path: "e+f"}},
	{"utf8 user", "ftp://j%C3%BCrgen@h/", Target{Scheme: "ftp", Host: "h", Port: 21, User: "jürgen"}},

	// IPv6.
	{"ipv6", "ftp://[::1]/x", Target{Scheme: "ftp", Host: "::1", Port: 21, Path: "x"}},
	{"ipv6 port", "ftp://[::1]:2121/x", Target{Scheme: "ftp", Host: "::1", Port: 2121, Path: "x"}},
	{"ipv6 user", "ftp://u:p@[2001:db8::7]:21", Target{Scheme: "ftp", Host: "2001:db8::7", Port: 21, User: "u", Password: "p", HasPassword: true}},
	{"ipv6 zone rfc6874", "ftp://[fe80::1%25eth0]/", Target{Scheme: "ftp", Host: "fe80::1%eth0", Port: 21}},
	{"ipv6 zone raw", "ftp://[fe80::1%eth0]:21/", Target{Scheme: "ftp", Host: "fe80::1%eth0", Port: 21}},
	{"ipv4 mapped", "ftp://[::ffff:10.0.0.1]/", Target{Scheme: "ftp", Host: "::ffff:10.0.0.1", Port: 21}},

	// Paths, RFC 1738 section 3.2.2.
	{"relative", "ftp://h/pub/x", Target{Scheme: "ftp", Host: "h", Port: 21, Path: "pub/x"}},
	{"double slash absolute", "ftp://h//etc/x", Target{Scheme: "ftp", Host: "h", Port: 21, Path: "/etc/x"}},
	{"encoded slash absolute", "ftp://h/%2Fetc/x", Target{Scheme: "ftp", Host: "h", Port: 21, Path: "/etc/x"}},
	{"encoded slash lower", "ftp://h/%2fetc", Target{Scheme: "ftp", Host: "h", Port: 21, Path: "/etc"}},
	{"root", "ftp://h//", Target{Scheme: "ftp", Host: "h", Port: 21, Path: "/"}},
	{"root encoded", "ftp://h/%2F", Target{Scheme: "ftp", Host: "h", Port: 21, Path: "/"}},
	{"slash inside segment", "ftp://h/a%2Fb/c", Target{Scheme: "ftp", Host: "h", Port: 21, Path: "a/b/c"}},
	{"trailing slash kept", "ftp://h/pub/", Target{Scheme: "ftp", Host: "h", Port: 21, Path: "pub/"}},
	{"absolute folder", "ftp://h//srv/data/", Target{Scheme: "ftp", Host: "h", Port: 21, Path: "/srv/data/"}},
	{"space", "ftp://h/my%20file.txt", Target{Scheme: "ftp", Host: "h", Port: 21, Path: "my file.txt"}},
	{"utf8 path", "ftp://h/caf%C3%A9", Target{Scheme: "ftp", Host: "h", Port: 21, Path: "café"}},
	{"hash and question literal", "ftp://h/a#1?b", Target{Scheme: "ftp", Host: "h", Port: 21, Path: "a#1?b"}},
	{"at and colon in path", "ftp://h/a@b:c", Target{Scheme: "ftp", Host: "h", Port: 21, Path: "a@b:c"}},
	{"tab allowed", "ftp://h/a%09b", Target{Scheme: "ftp", Host: "h", Port: 21, Path: "a\tb"}},

	// Typecodes.
	{"type i", "ftp://h/x.bin;type=i", Target{Scheme: "ftp", Host: "h", Port: 21, Path: "x.bin", Type: 'i'}},
	{"type a", "ftp://h/x.txt;type=a", Target{Scheme: "ftp", Host: "h", Port: 21, Path: "x.txt", Type: 'a'}},
	{"type d", "ftp://h/pub;type=d", Target{Scheme: "ftp", Host: "h", Port: 21, Path: "pub", Type: 'd'}},
	{"type upper", "ftp://h/x;TYPE=I", Target{Scheme: "ftp", Host: "h", Port: 21, Path: "x", Type: 'i'}},
	{"type on empty path", "ftp://h/;type=d", Target{Scheme: "ftp", Host: "h", Port: 21, Type: 'd'}},
	{"type not in last segment", "ftp://h/a;type=i/b", Target{Scheme: "ftp", Host: "h", Port: 21, Path: "a;type=i/b"}},
	{"encoded semicolon", "ftp://h/x%3Btype=i", Target{Scheme: "ftp", Host: "h", Port: 21, Path: "x;type=i"}},
	{"other parameter kept", "ftp://h/x;v=1", Target{Scheme: "ftp", Host: "h", Port: 21, Path: "x;v=1"}},

	// Bookmarks.
	{"bookmark absolute", "work:/srv/x", Target{Bookmark: "work", Path: "/srv/x"}},
	{"bookmark relative", "work:x/y", Target{Bookmark: "work", Path: "x/y"}},
	{"bookmark bare", "work:", Target{Bookmark: "work"}},
	{"bookmark folder", "work:pub/", Target{Bookmark: "work", Path: "pub/"}},
	{"bookmark chars", "My-site_2.old:/a", Target{Bookmark: "My-site_2.old", Path: "/a"}},
	{"bookmark no decoding", "w:/a%20b", Target{Bookmark: "w", Path: "/a%20b"}},
	{"bookmark colon in path", "w:/a:b", Target{Bookmark: "w", Path: "/a:b"}},
	{"bookmark one letter", "C:x", Target{Bookmark: "C", Path: "x"}},
}

func TestParse(t *testing.T) {
	for _, tt := range parseTests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(tt.in)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.in, err)
			}
			if got != tt.want {
				t.Fatalf("Parse(%q)\n got %#v\nwant %#v", tt.in, got, tt.want)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string // a substring of the error
	}{
		{"empty", "", "ftp:// URL or a bookmark"},
		{"bare word", "example.com", "ftp:// URL or a bookmark"},
		{"local path", "/tmp/x", "ftp:// URL or a bookmark"},
		{"dot path", "./a:b", "ftp:// URL or a bookmark"},
		{"bad bookmark name", "1site:/x", "ftp:// URL or a bookmark"},
		{"scheme without slashes", "ftp:/x", "must be followed by //"},
		{"scheme without slashes upper", "FTPS:x", "must be followed by //"},
		{"unknown scheme", "http://h/", `unknown scheme "http"`},
		{"sftp", "sftp://h/", `unknown scheme "sftp"`},
		{"empty host", "ftp:///x", "empty host"},
		{"empty host with user", "ftp://u@/x", "empty host"},
		{"empty host port", "ftp://:21/x", "empty host"},
		{"nothing", "ftp://", "empty host"},
		{"port zero", "ftp://h:0/", "bad port"},
		{"port too big", "ftp://h:65536/", "bad port"},
		{"port letters", "ftp://h:ftp/", "bad port"},
		{"port sign", "ftp://h:+21/", "bad port"},
		{"port long", "ftp://h:000021/", "bad port"},
		{"two colons", "ftp://h:1:2/", "bad port"},
		{"ipv6 unbracketed", "ftp://::1/", "empty host"},
		{"ipv6 no close", "ftp://[::1/x", "missing ']'"},
		{"ipv6 junk after", "ftp://[::1]x/", "after IPv6"},
		{"ipv6 bad", "ftp://[zz::1]/", "bad IPv6 address"},
		{"ipv4 in brackets", "ftp://[10.0.0.1]/", "bad IPv6 address"},
		{"ipv6 empty zone", "ftp://[fe80::1%25]/", "empty IPv6 zone"},
		{"ipv6 bad zone", "ftp://[fe80::1%25a/b]/", "missing ']'"},
		{"host space", "ftp://a b/", "bad character"},
		{"host percent", "ftp://h%41/", "bad character"},
		{"host semicolon", "ftp://h;type=i", "bad character"},
		{"bad escape", "ftp://h/a%zz", "bad percent-encoding"},
		{"short escape", "ftp://h/a%4", "bad percent-encoding"},
		{"bad escape user", "ftp://u%g0@h/", "user name: bad percent-encoding"},
		{"bad typecode", "ftp://h/x;type=b", "bad typecode"},
		{"long typecode", "ftp://h/x;type=ii", "bad typecode"},
		{"empty typecode", "ftp://h/x;type=", "bad typecode"},
		{"non-ASCII typecode", "ftp://h/x;type=\u0130", "bad typecode"},         // folds to 'i' in Unicode
		{"invalid UTF-8 before typecode", "ftp://0/\xba;tYpe=", "bad typecode"}, // found by FuzzParse
		{"CR in path", "ftp://h/a%0Db", "path contains a carriage return (CR)"},
		{"LF in path", "ftp://h/a%0ab", "path contains a line feed (LF)"},
		{"NUL in path", "ftp://h/a%00b", "path contains a NUL byte"},
		{"raw LF in path", "ftp://h/a\nb", "line feed"},
		{"LF in user", "ftp://a%0A@h/", "user name contains a line feed"},
		{"CR in password", "ftp://a:b%0D@h/", "password contains a carriage return"},
		{"LF in host", "ftp://h\n/", "bad character"},
		{"LF in bookmark path", "w:/a\r\nDELE x", "carriage return"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(tt.in)
			if err == nil {
				t.Fatalf("Parse(%q) = %#v, want an error with %q", tt.in, got, tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Parse(%q) error %q, want it to contain %q", tt.in, err, tt.want)
			}
			if got != (Target{}) {
				t.Fatalf("Parse(%q) returned %#v with an error", tt.in, got)
			}
		})
	}
}

func TestParseErrorKinds(t *testing.T) {
	if _, err := Parse("example.com"); !errors.Is(err, ErrNotAddress) {
		t.Errorf("bare word: %v is not ErrNotAddress", err)
	}
	for _, in := range []string{"ftp://h/%0D", "ftp://u%00@h", "w:\n"} {
		if _, err := Parse(in); !errors.Is(err, ErrControlChar) {
			t.Errorf("%q: %v is not ErrControlChar", in, err)
		}
	}
}

func TestParseErrorHidesPassword(t *testing.T) {
	for _, in := range []string{
		"ftp://bob:hunter2@h:99999/",
		"ftp://bob:hunter2@h/%zz",
		"ftp://bob:hunter2@/x",
		"ftp://bob:hun/ter2@h/",        // unencoded slash in the password
		"ftp://bob:hunter2@[::1/",      // broken IPv6 host
		"ftp://bob:hunter2@h/a%0Ab",    // control character in the path
		"http://bob:hunter2@h/",        // unknown scheme
		"ftp://bob:hunter2@h/x;type=q", // bad typecode
		"ftp://bob:ter2%zz@h/",         // bad escape in the password
		"ftp://bob:hunter%2@h/",        // short escape in the password
	} {
		_, err := Parse(in)
		if err == nil {
			t.Fatalf("Parse(%q) succeeded", in)
		}
		if strings.Contains(err.Error(), "hunter") || strings.Contains(err.Error(), "ter2") || strings.Contains(err.Error(), "%2") {
			t.Errorf("Parse(%q) error shows the password: %v", in, err)
		}
	}
}

func TestRedact(t *testing.T) {
	tests := []struct{ in, want string }{
		{"ftp://u:p@h/", "ftp://u:****@h/"},
		{"ftp://u@h/", "ftp://u@h/"},
		{"ftp://h:21/a@b", "ftp://h:****@b"}, // over-masking in an error is fine
		{"ftp://[::1]:21/a@b", "ftp://[::1]:21/a@b"},
		{"ftp://u:p/q@h/", "ftp://u:****@h/"},
		{"w:/x", "w:/x"},
	}
	for _, tt := range tests {
		if got := redact(tt.in); got != tt.want {
			t.Errorf("redact(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestString(t *testing.T) {
	tests := []struct {
		name string
		in   Target
		want string
	}{
		{"minimal", Target{Scheme: "ftp", Host: "h", Port: 21}, "ftp://h"},
		{"no scheme", Target{Host: "h", Port: 21}, "ftp://h"},
		{"password masked", Target{Scheme: "ftp", Host: "h", Port: 21, User: "bob", Password: "s3cret", HasPassword: true}, "ftp://bob:****@h"},
		{"empty password masked", Target{Scheme: "ftp", Host: "h", Port: 21, User: "bob", HasPassword: true}, "ftp://bob:****@h"},
		{"user escaped", Target{Scheme: "ftp", Host: "h", Port: 21, User: "a@b:c d"}, "ftp://a%40b%3Ac%20d@h"},
		{"port kept", Target{Scheme: "ftp", Host: "h", Port: 2121, Path: "x"}, "ftp://h:2121/x"},
		{"ftps default port", Target{Scheme: "ftps", Host: "h", Port: 990}, "ftps://h"},
		{"ftps port 21", Target{Scheme: "ftps", Host: "h", Port: 21}, "ftps://h:21"},
		{"ipv6", Target{Scheme: "ftp", Host: "::1", Port: 2121, Path: "x"}, "ftp://[::1]:2121/x"},
		{"ipv6 zone", Target{Scheme: "ftp", Host: "fe80::1%eth0", Port: 21}, "ftp://[fe80::1%25eth0]"},
		{"absolute", Target{Scheme: "ftp", Host: "h", Port: 21, Path: "/etc/x"}, "ftp://h//etc/x"},
		{"root", Target{Scheme: "ftp", Host: "h", Port: 21, Path: "/"}, "ftp://h//"},
		{"folder", Target{Scheme: "ftp", Host: "h", Port: 21, Path: "pub/"}, "ftp://h/pub/"},
		{"escaped path", Target{Scheme: "ftp", Host: "h", Port: 21, Path: "a b/c%d;e?f#g"}, "ftp://h/a%20b/c%25d%3Be%3Ff%23g"},
		{"typecode", Target{Scheme: "ftp", Host: "h", Port: 21, Path: "x", Type: 'i'}, "ftp://h/x;type=i"},
		{"typecode no path", Target{Scheme: "ftp", Host: "h", Port: 21, Type: 'd'}, "ftp://h/;type=d"},
		{"bookmark", Target{Bookmark: "work", Path: "/srv"}, "work:/srv"},
		{"bookmark bare", Target{Bookmark: "work"}, "work:"},
		{"resolved bookmark", Target{Bookmark: "work", Scheme: "ftpes", Host: "h", Port: 21, Path: "x"}, "ftpes://h/x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.in.String(); got != tt.want {
				t.Fatalf("String() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestStringNeverShowsPassword(t *testing.T) {
	tg, err := Parse("ftp://bob:hunter2@h/x")
	if err != nil {
		t.Fatal(err)
	}
	if s := tg.String(); strings.Contains(s, "hunter2") || !strings.Contains(s, "****") {
		t.Fatalf("String() = %q", s)
	}
}

// TestStringRoundTrip checks that every successful parse prints as an
// address that parses back to the same target, less the password.
func TestStringRoundTrip(t *testing.T) {
	for _, tt := range parseTests {
		t.Run(tt.name, func(t *testing.T) { checkRoundTrip(t, tt.in) })
	}
}

func checkRoundTrip(t *testing.T, in string) {
	t.Helper()
	orig, err := Parse(in)
	if err != nil {
		return
	}
	s := orig.String()
	again, err := Parse(s)
	if err != nil {
		t.Fatalf("Parse(%q) -> String %q does not parse: %v", in, s, err)
	}
	want := orig
	if want.HasPassword {
		want.Password = "****"
	}
	if again != want {
		t.Fatalf("Parse(%q) -> %q -> %#v, want %#v", in, s, again, want)
	}
}

func TestAddr(t *testing.T) {
	tests := []struct{ in, want string }{
		{"ftp://h/x", "h:21"},
		{"ftps://h", "h:990"},
		{"ftp://h:2121", "h:2121"},
		{"ftp://[::1]:2121/", "[::1]:2121"},
		{"ftp://[fe80::1%25eth0]/", "[fe80::1%eth0]:21"},
		{"ftp://10.0.0.1", "10.0.0.1:21"},
	}
	for _, tt := range tests {
		tg, err := Parse(tt.in)
		if err != nil {
			t.Fatalf("Parse(%q): %v", tt.in, err)
		}
		if got := tg.Addr(); got != tt.want {
			t.Errorf("Parse(%q).Addr() = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestWithPath(t *testing.T) {
	tg, err := Parse("ftp://bob:pw@h:2121/a/b;type=i")
	if err != nil {
		t.Fatal(err)
	}
	got := tg.WithPath("/c/")
	want := tg
	want.Path = "/c/"
	if got != want {
		t.Fatalf("WithPath: got %#v, want %#v", got, want)
	}
	if tg.Path != "a/b" {
		t.Fatalf("WithPath changed its receiver: %q", tg.Path)
	}
}

func TestIsRemote(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"ftp://h/x", true},
		{"FTPS://h/x", true},
		{"ftpes://[::1]/", true},
		{"http://h/", true},     // a URL, though Parse refuses the scheme
		{"svn+ssh://h/x", true}, // any scheme://
		{"work:/x", true},
		{"work:x", true},
		{"work:", true},
		{"a.b-c_d:x", true},
		{"ftp:x", true}, // a mistyped URL: Parse explains
		{"C:x", true},   // Windows drive letters are not a concern
		{"", false},
		{"file.txt", false},
		{"./a:b", false},
		{"../a:b", false},
		{"/tmp/x", false},
		{"/tmp/a:b", false},
		{"dir/a:b", false},
		{"~/a:b", false},
		{"1abc:x", false},
		{"_a:x", false},
		{"-a:x", false},
		{":x", false},
		{"a b:x", false},
		{"a@b:x", false},
		{"./ftp://h", false},
		{"a/b://c", false},
		{"report.2024", false},
	}
	for _, tt := range tests {
		if got := IsRemote(tt.in); got != tt.want {
			t.Errorf("IsRemote(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestIsBookmarkName(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"work", true},
		{"W", true},
		{"a1._-", true},
		{"ftp", false},
		{"FTPS", false},
		{"ftpes", false},
		{"ftpx", true},
		{"", false},
		{"1a", false},
		{"a b", false},
		{"a:b", false},
		{"a/b", false},
		{"é", false},
	}
	for _, tt := range tests {
		if got := IsBookmarkName(tt.in); got != tt.want {
			t.Errorf("IsBookmarkName(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestDefaultPort(t *testing.T) {
	for scheme, want := range map[string]int{"ftp": 21, "ftpes": 21, "ftps": 990, "http": 0, "": 0} {
		if got := DefaultPort(scheme); got != want {
			t.Errorf("DefaultPort(%q) = %d, want %d", scheme, got, want)
		}
	}
}

// TestPasswordWithSlashNotEchoed: a password with an unencoded "/" ends
// the authority early; the error must not show any part of it.
func TestPasswordWithSlashNotEchoed(t *testing.T) {
	_, err := Parse("ftp://ferryftp:QRaRTO81iCYJ/vO2Sp.@127.0.0.1:2121/dir")
	if err == nil {
		t.Fatal("parsed")
	}
	for _, frag := range []string{"QRaRTO81iCYJ", "vO2Sp"} {
		if strings.Contains(err.Error(), frag) {
			t.Errorf("error %q shows part of the password", err)
		}
	}
	if !strings.Contains(err.Error(), "percent-encoded") {
		t.Errorf("error %q does not say how to fix it", err)
	}
}
