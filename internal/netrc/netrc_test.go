package netrc

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
)

var parseTests = []struct {
	name string
	in   string
	want []Machine
}{
	{"empty", "", nil},
	{"only space", " \n\t\n", nil},
	{"one line", "machine h login bob password pw",
		[]Machine{{Name: "h", Login: "bob", Password: "pw"}}},
	{"one per line", "machine h\n  login bob\n  password pw\n  account acct\n",
		[]Machine{{Name: "h", Login: "bob", Password: "pw", Account: "acct"}}},
	{"multiple machines", "machine a login u1 password p1\nmachine b login u2 password p2\nmachine a login u3 password p3\n",
		[]Machine{
			{Name: "a", Login: "u1", Password: "p1"},
			{Name: "b", Login: "u2", Password: "p2"},
			{Name: "a", Login: "u3", Password: "p3"},
		}},
	{"default", "machine a login u password p\ndefault login anonymous password me@example.com\n",
		[]Machine{
			{Name: "a", Login: "u", Password: "p"},
			{Login: "anonymous", Password: "me@example.com", Default: true},
		}},
	{"machine without password", "machine a login u",
		[]Machine{{Name: "a", Login: "u"}}},
	{"machine alone", "machine a",
		[]Machine{{Name: "a"}}},
	{"keywords any case", "MACHINE a Login u PASSWORD p",
		[]Machine{{Name: "a", Login: "u", Password: "p"}}},
	{"later value wins", "machine a login u password p1 password p2",
		[]Machine{{Name: "a", Login: "u", Password: "p2"}}},
	{"crlf", "machine a\r\nlogin u\r\npassword p\r\n",
		[]Machine{{Name: "a", Login: "u", Password: "p"}}},
	{"tabs", "machine\ta\tlogin\tu\tpassword\tp",
		[]Machine{{Name: "a", Login: "u", Password: "p"}}},

	// Comments.
	{"comment line", "# my hosts\nmachine a login u password p\n",
		[]Machine{{Name: "a", Login: "u", Password: "p"}}},
	{"indented comment", "machine a\n   # the work account\n   login u\n",
		[]Machine{{Name: "a", Login: "u"}}},
	{"comment after entry", "machine a login u password p # trailing words here\nmachine b",
		[]Machine{{Name: "a", Login: "u", Password: "p"}, {Name: "b"}}},
	{"comment with quote", "# say \"hi\nmachine a",
		[]Machine{{Name: "a"}}},
	{"comment at end without newline", "machine a\n#end",
		[]Machine{{Name: "a"}}},
	{"hash in value", "machine a login u password #secret",
		[]Machine{{Name: "a", Login: "u", Password: "#secret"}}},
	{"hash inside value", "machine a password pa#ss",
		[]Machine{{Name: "a", Password: "pa#ss"}}},

	// Quoting.
	{"quoted space", `machine a login "bob smith" password "two words"`,
		[]Machine{{Name: "a", Login: "bob smith", Password: "two words"}}},
	{"quoted escapes", `machine a password "q\"uo\\te\x"`,
		[]Machine{{Name: "a", Password: `q"uo\tex`}}},
	{"quoted tab", `machine a password "a\tb"`,
		[]Machine{{Name: "a", Password: "a\tb"}}},
	{"quoted empty", `machine a login u password ""`,
		[]Machine{{Name: "a", Login: "u"}}},
	{"quoted hash", `machine a password "# not a comment"`,
		[]Machine{{Name: "a", Password: "# not a comment"}}},
	{"quoted machine", `machine "ftp.example.com" login u`,
		[]Machine{{Name: "ftp.example.com", Login: "u"}}},
	{"quote inside unquoted", `machine a password ab"cd`,
		[]Machine{{Name: "a", Password: `ab"cd`}}},
	{"backslash unquoted", `machine a password a\b`,
		[]Machine{{Name: "a", Password: `a\b`}}},
	{"keyword as value", "machine a login machine password default",
		[]Machine{{Name: "a", Login: "machine", Password: "default"}}},

	// Macros.
	{"macdef", "machine a login u\nmacdef init\nbinary\ncd /pub\n\nmachine b login v\n",
		[]Machine{{Name: "a", Login: "u"}, {Name: "b", Login: "v"}}},
	{"macdef body with keywords", "macdef x\nmachine evil login e password e\n\nmachine a",
		[]Machine{{Name: "a"}}},
	{"macdef blank line with spaces", "macdef x\nls\n   \t\nmachine a",
		[]Machine{{Name: "a"}}},
	{"macdef to end of file", "machine a\nmacdef x\nls\nget f",
		[]Machine{{Name: "a"}}},
	{"macdef empty body", "macdef x\n\nmachine a",
		[]Machine{{Name: "a"}}},
	{"macdef rest of line", "macdef x machine skipped\nbody\n\nmachine a",
		[]Machine{{Name: "a"}}},
}

func TestParse(t *testing.T) {
	for _, tt := range parseTests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(strings.NewReader(tt.in))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("Parse(%q)\n got %#v\nwant %#v", tt.in, got, tt.want)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		in   string
		line int
		msg  string // a substring of the message
	}{
		{"login before machine", "# c\nlogin u", 2, `"login" before the first machine`},
		{"password before machine", "password p", 1, "before the first machine"},
		{"unknown keyword", "machine a\nlogin u\npasswd p\n", 3, `unexpected "passwd"`},
		{"typo", "machine a loggin u", 1, `unexpected "loggin"`},
		{"quoted keyword", `"machine" a`, 1, `unexpected "machine"`},
		{"machine without name", "machine a\nmachine", 2, `"machine" at the end of the file needs a value`},
		{"login without value", "machine a login", 1, `"login" at the end of the file needs a value`},
		{"password without value", "machine a\n\n\npassword\n", 4, "needs a value"},
		{"account without value", "machine a account", 1, "needs a value"},
		{"macdef without name", "machine a\nmacdef", 2, "needs a value"},
		{"empty machine name", `machine ""`, 1, "empty machine name"},
		{"unterminated quote", "machine a\npassword \"abc\nmachine b", 2, "unterminated quoted string"},
		{"unterminated at end", `machine a password "abc`, 1, "unterminated quoted string"},
		{"backslash at end", `machine a password "abc\`, 1, "unterminated quoted string"},
		{"escaped newline", "machine a password \"abc\\\ndef\"", 1, "unterminated quoted string"},
		{"newline escape", `machine a password "a\nb"`, 1, "holds CR, LF or NUL"},
		{"CR escape", `machine a login "a\rb"`, 1, "holds CR, LF or NUL"},
		{"NUL", "machine a password a\x00b", 1, "holds CR, LF or NUL"},
		{"line after macro", "macdef m\nx\n\nbogus", 4, `unexpected "bogus"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(strings.NewReader(tt.in))
			if err == nil {
				t.Fatalf("Parse(%q) = %#v, want an error", tt.in, got)
			}
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("Parse(%q) error %v (%T) is not a *ParseError", tt.in, err, err)
			}
			if pe.Line != tt.line || !strings.Contains(pe.Msg, tt.msg) {
				t.Fatalf("Parse(%q) error at line %d %q, want line %d with %q", tt.in, pe.Line, pe.Msg, tt.line, tt.msg)
			}
			if want := "netrc: line "; !strings.HasPrefix(err.Error(), want) {
				t.Fatalf("error %q does not start with %q", err, want)
			}
		})
	}
}

func TestParseTooLarge(t *testing.T) {
	big := strings.Repeat("# padding\n", maxSize/10+1)
	if _, err := Parse(strings.NewReader(big)); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Fatalf("Parse of %d bytes: %v", len(big), err)
	}
}

func TestFind(t *testing.T) {
	ms := []Machine{
		{Name: "a.example.com", Login: "alice", Password: "pa"},
		{Name: "A.example.com", Login: "bob", Password: "pb"},
		{Name: "b.example.com", Password: "any-user"},
		{Name: "c.example.com", Login: "carol", Password: "pc"},
		{Default: true, Login: "anonymous", Password: "guest@"},
		{Default: true, Login: "dave", Password: "pd"},
	}
	tests := []struct {
		name        string
		host, login string
		want        string // the password found, "" for no match
	}{
		{"first match", "a.example.com", "", "pa"},
		{"case-insensitive host", "A.EXAMPLE.COM", "", "pa"},
		{"login picks entry", "a.example.com", "bob", "pb"},
		{"login picks first", "a.example.com", "alice", "pa"},
		{"entry without login fits any", "b.example.com", "zed", "any-user"},
		{"entry without login, no login asked", "b.example.com", "", "any-user"},
		{"login mismatch falls to default", "c.example.com", "dave", "pd"},
		{"unknown host gets default", "z.example.com", "", "guest@"},
		{"unknown host, default login", "z.example.com", "anonymous", "guest@"},
		{"unknown host, second default", "z.example.com", "dave", "pd"},
		{"no match at all", "z.example.com", "erin", ""},
		{"empty host gets default", "", "", "guest@"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, ok := Find(ms, tt.host, tt.login)
			if ok != (tt.want != "") || m.Password != tt.want {
				t.Fatalf("Find(%q, %q) = %#v, %v; want password %q", tt.host, tt.login, m, ok, tt.want)
			}
		})
	}
	if _, ok := Find(nil, "h", ""); ok {
		t.Fatal("Find in no entries matched")
	}
	if _, ok := Find([]Machine{{Name: "h"}}, "", ""); ok {
		t.Fatal("an empty host matched a machine entry")
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "netrc")
	writeFile(t, good, "machine h login u password p\n", 0o600)
	ms, err := Load(good)
	if err != nil {
		t.Fatal(err)
	}
	if want := []Machine{{Name: "h", Login: "u", Password: "p"}}; !reflect.DeepEqual(ms, want) {
		t.Fatalf("Load = %#v, want %#v", ms, want)
	}

	bad := filepath.Join(dir, "bad")
	writeFile(t, bad, "machine h\n\n  pasword p\n", 0o600)
	_, err = Load(bad)
	var pe *ParseError
	if !errors.As(err, &pe) || pe.File != bad || pe.Line != 3 {
		t.Fatalf("Load(bad) = %v, want a ParseError for %q line 3", err, bad)
	}
	if !strings.Contains(err.Error(), bad) || !strings.Contains(err.Error(), "line 3") {
		t.Fatalf("error %q does not name the file and line", err)
	}

	_, err = Load(filepath.Join(dir, "missing"))
	if !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("Load(missing) = %v, want fs.ErrNotExist", err)
	}
}

func TestInsecurePerm(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix permissions")
	}
	dir := t.TempDir()
	tests := []struct {
		perm os.FileMode
		want bool
	}{
		{0o600, false},
		{0o400, false},
		{0o700, false},
		{0o644, true},
		{0o640, true},
		{0o604, true},
	}
	for _, tt := range tests {
		p := filepath.Join(dir, tt.perm.String())
		writeFile(t, p, "machine h password p\n", tt.perm)
		got, err := InsecurePerm(p)
		if err != nil {
			t.Fatal(err)
		}
		if got != tt.want {
			t.Errorf("InsecurePerm(%v) = %v, want %v", tt.perm, got, tt.want)
		}
	}
	if _, err := InsecurePerm(filepath.Join(dir, "missing")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("InsecurePerm(missing) = %v, want fs.ErrNotExist", err)
	}
}

// writeFile writes a file with exactly perm, whatever the umask.
func writeFile(t *testing.T, path, data string, perm os.FileMode) {
	t.Helper()
	if err := os.WriteFile(path, []byte(data), perm); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, perm); err != nil {
		t.Fatal(err)
	}
}
