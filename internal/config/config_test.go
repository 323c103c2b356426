package config

import (
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
	if err == nil || !strings.Contains(err.Error(), "not saved") || !strings.Contains(err.Error(), "empty host") {
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
		{"unknown default", "[defaults]\nparalel = 4\n", []string{`line 2: unknown key "defaults.paralel"`}},
		{"unknown site key", "[site.w]\nhost = 'h'\nhots = 'x'\n", []string{`line 3: unknown key "site.w.hots"`}},
		{"unknown table", "[sites.w]\nhost = 'h'\n", []string{`unknown key "sites`}},
		{"all unknown keys", "[defaults]\na = 1\n[site.w]\nhost = 'h'\nb = 2\n", []string{`line 2: unknown key "defaults.a"`, `line 5: unknown key "site.w.b"`}},
		{"site password", "[site.w]\nhost = 'h'\npassword = 'hunter2'\n", []string{`line 3: key "site.w.password" holds a password`, "~/.netrc"}},
		{"site pass", "[site.w]\nhost = 'h'\npass = 'hunter2'\n", []string{"holds a password"}},
		{"password upper case", "[site.w]\nhost = 'h'\nPassword = 'hunter2'\n", []string{"holds a password"}},
		{"default password", "[defaults]\npassword = 'hunter2'\n", []string{`key "defaults.password" holds a password`}},
		{"password beside typo", "[defaults]\nusr = 'a'\n[site.w]\nhost = 'h'\npasswd = 'x'\n", []string{"holds a password"}},
		{"syntax", "[defaults\n", []string{"line 1 column"}},
		{"wrong type", "[site.w]\nhost = 'h'\nport = '21'\n", []string{"line 3 column", `key "site.w.port"`}},
		{"array of sites", "[[site]]\nhost = 'h'\n", []string{"line 1"}},
		{"duplicate site", "[site.w]\nhost = 'a'\n[site.w]\nhost = 'b'\n", []string{"line 3", "already exists"}},
		{"bad site name", "[site.'my site']\nhost = 'h'\n", []string{`bad site name "my site"`}},
		{"scheme as site name", "[site.ftp]\nhost = 'h'\n", []string{`bad site name "ftp"`}},
		{"empty host", "[site.w]\nuser = 'u'\n", []string{`site "w": empty host`}},
		{"host with user", "[site.w]\nhost = 'bob:pw@h'\n", []string{`site "w"`, "host"}},
		{"bad tls", "[site.w]\nhost = 'h'\ntls = 'yes'\n", []string{`tls "yes"`}},
		{"bad mode", "[site.w]\nhost = 'h'\nmode = 'PASV'\n", []string{`mode "PASV"`}},
		{"bad port", "[site.w]\nhost = 'h'\nport = 70000\n", []string{"port 70000"}},
		{"bad timeout", "[defaults]\ntimeout = '30'\n", []string{`timeout "30"`}},
		{"bad parallel", "[defaults]\nparallel = 0\n", []string{"parallel 0"}},
		{"bad retries", "[defaults]\nretries = -1\n", []string{"retries -1"}},
		{"bad active addr", "[defaults]\nactive-addr = 'home'\n", []string{`active-addr "home"`}},
		{"bad active ports", "[defaults]\nactive-ports = '9-1'\n", []string{`bad port range "9-1"`}},
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
