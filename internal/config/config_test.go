package config

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
)

func ptr[T any](v T) *T { return &v }

// full is a configuration that sets every field.
func full() *Config {
	return &Config{
		Defaults: Defaults{
			Active:      ptr(false),
			ActiveAddr:  "192.0.2.7",
			ActivePorts: "50000-50100",
			NoEPSV:      ptr(true),
			TLS:         ptr(true),
			Insecure:    ptr(false),
			User:        "alice",
			NetrcFile:   "/home/alice/.netrc-ferry",
			Timeout:     "45s",
			Retries:     ptr(0),
			Quiet:       ptr(true),
			NoProgress:  ptr(false),
			Parallel:    ptr(8),
		},
		Sites: []Site{
			{Name: "Mirror.old", Host: "2001:db8::21", Port: 2121, Mode: ModeActive},
			{Name: "work", Host: "ftp.example.com", User: "alice", TLS: TLSExplicit, Mode: ModePassive, Path: "/srv/data"},
			{Name: "zeta-1_x", Host: "10.0.0.1", TLS: TLSImplicit, Path: "pub/"},
		},
	}
}

func TestSaveLoadRoundTrip(t *testing.T) {
	for name, c := range map[string]*Config{"empty": {}, "full": full()} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "ferry", "config.toml")
			if err := c.Save(path); err != nil {
				t.Fatal(err)
			}
			got, err := Load(path)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, c) {
				data, _ := os.ReadFile(path)
				t.Fatalf("round trip through\n%s\n got %#v\nwant %#v", data, got, c)
			}
		})
	}
}

func TestSaveWritesReadableTOML(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.toml")
	if err := full().Save(path); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"[defaults]", "no-epsv = true", "retries = 0", "[site.work]", "tls = 'explicit'", "netrc"} {
		if !strings.Contains(string(data), want) {
			t.Errorf("saved file lacks %q:\n%s", want, data)
		}
	}
	if strings.Contains(string(data), "name") {
		t.Errorf("saved file has a name key:\n%s", data)
	}
}

func TestSavePermissionsAndNoTempFiles(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix permissions")
	}
	dir := filepath.Join(t.TempDir(), "a", "ferry")
	path := filepath.Join(dir, "config.toml")
	c := full()
	for i := 0; i < 3; i++ { // create, then replace twice
		if err := c.Save(path); err != nil {
			t.Fatal(err)
		}
		c.Defaults.User = strings.Repeat("x", i)
	}
	fi, err := os.Stat(dir)
	if err != nil {
		t.Fatal(err)
	}
	if perm := fi.Mode().Perm(); perm != 0o700 {
		t.Errorf("folder mode %v, want 0700", perm)
	}
	fi, err = os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if perm := fi.Mode().Perm(); perm != 0o600 {
		t.Errorf("file mode %v, want 0600", perm)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Name() != "config.toml" {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("folder holds %q, want only config.toml", names)
	}
}

func TestSaveReplacesLooserFile(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix permissions")
	}
	path := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(path, []byte("# old\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := full().Save(path); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if perm := fi.Mode().Perm(); perm != 0o600 {
		t.Errorf("file mode %v, want 0600", perm)
	}
}

func TestSaveFailureLeavesOldFile(t *testing.T) {
	if runtime.GOOS == "windows" || os.Geteuid() == 0 {
		t.Skip("needs Unix permissions that bind the user")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "config.toml")
	if err := full().Save(path); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(path)
	if err := os.Chmod(dir, 0o500); err != nil {
		t.Fatal(err)
	}
	defer os.Chmod(dir, 0o700)
	if err := (&Config{}).Save(path); err == nil {
		t.Fatal("Save into a read-only folder succeeded")
	}
	after, _ := os.ReadFile(path)
	if string(before) != string(after) {
		t.Fatal("a failed Save changed the file")
	}
}

func TestSaveInvalidSaysNotSaved(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.toml")
	c := &Config{Sites: []Site{{Name: "w"}}}
	err := c.Save(path)
	if err == nil || !strings.Contains(err.Error(), "not saved") || !strings.Contains(err.Error(), "no host") {
		t.Fatalf("Save of an invalid site: %v", err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatalf("an invalid config was written: %v", err)
	}
	c = &Config{Sites: []Site{{Name: "w", Host: "a"}, {Name: "w", Host: "b"}}}
	if err := c.Save(path); err == nil || !strings.Contains(err.Error(), `two sites named "w"`) {
		t.Fatalf("Save of duplicate sites: %v", err)
	}
}

func TestSaveFollowsSymlink(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symbolic links need privileges")
	}
	dir := t.TempDir()
	real := filepath.Join(dir, "dotfiles", "ferry.toml")
	if err := os.MkdirAll(filepath.Dir(real), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(real, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "config.toml")
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	if err := full().Save(link); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("the link was replaced: %v", err)
	}
	got, err := Load(real)
	if err != nil || !reflect.DeepEqual(got, full()) {
		t.Fatalf("Load(target) = %#v, %v", got, err)
	}
}

func TestLoadMissingFile(t *testing.T) {
	c, err := Load(filepath.Join(t.TempDir(), "nope", "config.toml"))
	if err != nil {
		t.Fatal(err)
	}
	if c == nil || !reflect.DeepEqual(*c, Config{}) {
		t.Fatalf("Load(missing) = %#v, want an empty config", c)
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string // substrings of the error, after the file name
	}{
		{"unknown default", "[defaults]\nparalel = 4\n", []string{`line 2: unknown key "paralel" in [defaults] (did you mean "parallel"?); it takes active, `}},
		{"unknown site key", "[site.w]\nhost = 'h'\nhots = 'x'\n", []string{`line 3: unknown key "hots" in [site.w] (did you mean "host"?); a site takes cacert, cert, charset, host, key, mode, path, pinnedpubkey, port, proxy, tls, user`}},
		{"url in a site", "[site.w]\nurl = 'ftp://h/x'\n", []string{`line 2: unknown key "url" in [site.w]`, "ferry bookmark add w URL"}},
		{"unknown table", "[sites.w]\nhost = 'h'\n", []string{`line 1: unknown table or key "sites.w" (did you mean "site"?): the file holds [defaults] and [site.NAME] tables`}},
		{"all unknown keys", "[defaults]\na = 1\n[site.w]\nhost = 'h'\nb = 2\n", []string{`line 2: unknown key "a" in [defaults]`, `; line 5: unknown key "b" in [site.w]`}},
		{"site password", "[site.w]\nhost = 'h'\npassword = 'hunter2'\n", []string{`line 3: key "site.w.password" holds a password`, "~/.netrc"}},
		{"site pass", "[site.w]\nhost = 'h'\npass = 'hunter2'\n", []string{"holds a password"}},
		{"password upper case", "[site.w]\nhost = 'h'\nPassword = 'hunter2'\n", []string{"holds a password"}},
		{"default password", "[defaults]\npassword = 'hunter2'\n", []string{`key "defaults.password" holds a password`}},
		{"password beside typo", "[defaults]\nusr = 'a'\n[site.w]\nhost = 'h'\npasswd = 'x'\n", []string{"holds a password"}},
		{"syntax", "[defaults\n", []string{"line 1: [defaults: not valid TOML at column 10", "[defaults] or [site.NAME]"}},
		{"syntax in a value", "[defaults]\nparallel = 4 4\n", []string{"line 2: [defaults] parallel = 4 4: not valid TOML (expected newline but got '4'): must be a whole number of 1 or more"}},
		{"syntax in a site", "[site.w]\nhost = h\n", []string{`line 2: [site.w] host = h: not valid TOML (`, `must be the server's name or IP address in quotes, such as "ftp.example.com"`}},
		{"syntax in an unknown key", "[defaults]\nfoo = 4 4\n", []string{"line 2: foo = 4 4: not valid TOML at column 9", "key = value"}},
		{"wrong type", "[site.w]\nhost = 'h'\nport = '21'\n", []string{`line 3: [site.w] port = '21': must be a port number from 1 to 65535, without quotes`}},
		{"string for a number", "[defaults]\nparallel = \"four\"\n", []string{`line 2: [defaults] parallel = "four": must be a whole number of 1 or more, without quotes, such as 4`}},
		{"number for a duration", "[defaults]\ntimeout = 30\n", []string{`line 2: [defaults] timeout = 30: must be a duration in quotes, such as "30s"`}},
		{"string for a bool", "[defaults]\ntls = 'yes'\n", []string{`line 2: [defaults] tls = 'yes': must be true or false, without quotes`}},
		{"number too large", "[defaults]\nretries = 99999999999999999999\n", []string{`line 2: [defaults] retries = 99999999999999999999: must be a whole number of 0 or more`}},
		{"keys in another case", "[Defaults]\nActive = 1\nRetries = -2\n", []string{`line 2: [defaults] Active = 1: must be true or false`}},
		{"validated key in another case", "[Defaults]\nRetries = -2\n", []string{`line 2: [defaults] retries = -2: must be 0 or more`}},
		{"defaults not a table", "defaults = 1\n", []string{"line 1: defaults is a table: write [defaults]"}},
		{"array of sites", "[[site]]\nhost = 'h'\n", []string{"line 1: each site is a table of its own: write [site.NAME]"}},
		{"duplicate site", "[site.w]\nhost = 'a'\n[site.w]\nhost = 'b'\n", []string{"line 3: [site.w]: the table appears twice", "keep one"}},
		{"bad site name", "[site.'my site']\nhost = 'h'\n", []string{`line 1: [site."my site"]: bad site name "my site": a name starts with a letter`}},
		{"scheme as site name", "[site.ftp]\nhost = 'h'\n", []string{`bad site name "ftp"`}},
		{"empty host", "[site.w]\nuser = 'u'\n", []string{`line 1: [site.w]: no host: add host = "ftp.example.com"`}},
		{"host with user", "[site.w]\nhost = 'bob:hunter2@h'\n", []string{`line 2: [site.w] host = "...@h": must be the server's name alone: put the login name in user`}},
		{"host is a URL", "[site.w]\nuser = 'u'\nhost = 'ftpes://bob:hunter2@example.com:2121/pub'\n", []string{`line 3: [site.w] host = "...@example.com:2121/pub": is a URL, but host takes the server's name alone: write host = "example.com", port = 2121, user = "bob", tls = "explicit", path = "pub"`}},
		{"bad tls", "[site.w]\nhost = 'h'\ntls = 'yes'\n", []string{`line 3: [site.w] tls = "yes": must be "explicit" or "implicit"`}},
		{"bad mode", "[site.w]\nhost = 'h'\nmode = 'PASV'\n", []string{`line 3: [site.w] mode = "PASV": must be "passive" or "active"`}},
		{"bad port", "[site.w]\nhost = 'h'\nport = 70000\n", []string{"line 3: [site.w] port = 70000: must be a port number from 1 to 65535"}},
		{"bad timeout", "[defaults]\ntimeout = '30'\n", []string{`line 2: [defaults] timeout = "30": must be a positive duration with its unit, in quotes, such as "30s"`}},
		{"bad parallel", "[defaults]\nparallel = 0\n", []string{"line 2: [defaults] parallel = 0: must be 1 or more"}},
		{"bad retries", "[defaults]\n# comment\nretries = -1\n", []string{"line 3: [defaults] retries = -1: must be 0 or more (0 turns retries off)"}},
		{"bad active addr", "[defaults]\nactive-addr = 'home'\n", []string{`line 2: [defaults] active-addr = "home": must be an IP address`}},
		{"bad active ports", "[defaults]\nactive-ports = '9-1'\n", []string{`line 2: [defaults] active-ports = "9-1": must be a port range LOW-HIGH`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "config.toml")
			if err := os.WriteFile(path, []byte(tt.in), 0o600); err != nil {
				t.Fatal(err)
			}
			c, err := Load(path)
			if err == nil {
				t.Fatalf("Load(%q) = %#v, want an error", tt.in, c)
			}
			msg := err.Error()
			if prefix := "config: " + `"` + path + `"`; !strings.HasPrefix(msg, prefix) {
				t.Errorf("error %q does not start with %q", msg, prefix)
			}
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q lacks %q", msg, w)
				}
			}
			// The user's words, not Go's.
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %T is no *Error", err)
			}
			for _, g := range []string{"struct", "config.", "int64", "of type", "U+"} {
				if strings.Contains(e.Msg, g) {
					t.Errorf("error %q speaks Go (%q)", e.Msg, g)
				}
			}
			if strings.Contains(msg, "hunter2") {
				t.Errorf("error %q shows the password", msg)
			}
		})
	}
}

func TestLoadUnreadable(t *testing.T) {
	dir := t.TempDir()
	_, err := Load(dir) // a folder, not a file
	if err == nil || !strings.Contains(err.Error(), dir) {
		t.Fatalf("Load(folder) = %v, want an error naming it", err)
	}
}

func TestDefaultPath(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("USERPROFILE", home) // Windows
	tests := []struct {
		xdg  string
		want string
	}{
		{"/xdg/conf", filepath.Join("/xdg/conf", "ferry", "config.toml")},
		{"", filepath.Join(home, ".config", "ferry", "config.toml")},
		{"relative/dir", filepath.Join(home, ".config", "ferry", "config.toml")},
	}
	for _, tt := range tests {
		t.Setenv("XDG_CONFIG_HOME", tt.xdg)
		got, err := DefaultPath()
		if err != nil {
			t.Fatal(err)
		}
		if runtime.GOOS == "windows" && filepath.IsAbs(tt.xdg) == false && tt.xdg != "" {
			continue
		}
		if got != tt.want {
			t.Errorf("XDG_CONFIG_HOME=%q: DefaultPath() = %q, want %q", tt.xdg, got, tt.want)
		}
	}
}

func TestParsePortRange(t *testing.T) {
	tests := []struct {
		in     string
		lo, hi int
		ok     bool
	}{
		{"50000-50100", 50000, 50100, true},
		{"2121", 2121, 2121, true},
		{"1-65535", 1, 65535, true},
		{"7-7", 7, 7, true},
		{"0-10", 0, 0, false},
		{"10-65536", 0, 0, false},
		{"9-1", 0, 0, false},
		{"a-b", 0, 0, false},
		{"", 0, 0, false},
		{"1-2-3", 0, 0, false},
	}
	for _, tt := range tests {
		lo, hi, err := ParsePortRange(tt.in)
		if (err == nil) != tt.ok || lo != tt.lo || hi != tt.hi {
			t.Errorf("ParsePortRange(%q) = %d, %d, %v", tt.in, lo, hi, err)
		}
	}
}

func TestSaveFailureCleansUp(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "config.toml")
	// A non-empty folder in the file's place makes the rename fail.
	if err := os.MkdirAll(filepath.Join(path, "x"), 0o700); err != nil {
		t.Fatal(err)
	}
	err := full().Save(path)
	if err == nil || !strings.Contains(err.Error(), path) {
		t.Fatalf("Save over a folder = %v, want an error naming %q", err, path)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Fatalf("folder holds %d entries after a failed Save, want only the config folder", len(entries))
	}
}

// TestCharsetSetting: charset is a default and a site setting; it is
// saved and loaded as written, and a name ferry does not know is an
// error that names the line and some names it knows.
func TestCharsetSetting(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.toml")
	c := &Config{Defaults: Defaults{Charset: "latin1"}}
	if err := c.AddSite(Site{Name: "ru", Host: "ftp.example.ru", Charset: "cp1251"}); err != nil {
		t.Fatal(err)
	}
	if err := c.Save(path); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	if !strings.Contains(string(data), "charset = 'cp1251'") || !strings.Contains(string(data), "charset = 'latin1'") {
		t.Errorf("saved file:\n%s", data)
	}
	got, err := Load(path)
	if err != nil || !reflect.DeepEqual(got, c) {
		t.Fatalf("Load = %#v, %v", got, err)
	}
	for in, want := range map[string]string{
		"[defaults]\ncharset = 'klingon'\n":          `line 2: [defaults] charset = "klingon": must be a charset name in quotes, such as "cp1251" or "latin1"; unknown charset "klingon"; known names include latin1,`,
		"[site.w]\nhost = 'h'\ncharset = 'utf-16'\n": `line 3: [site.w] charset = "utf-16": must be a charset name in quotes, such as "cp1251" or "latin1" (leave it out for UTF-8); charset "utf-16" does not keep ASCII`,
	} {
		p := filepath.Join(t.TempDir(), "config.toml")
		os.WriteFile(p, []byte(in), 0o600)
		if _, err := Load(p); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Load(%q) = %v, want %q", in, err, want)
		}
	}
	if err := c.AddSite(Site{Name: "x", Host: "h", Charset: "bogus"}); err == nil {
		t.Error("AddSite took an unknown charset")
	}
}
