package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestProxySettings(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.toml")
	in := "[defaults]\nproxy = 'socks5h://proxy.example:1080'\nnoproxy = 'localhost,.corp.example'\nnoop-interval = '45s'\n\n[site.w]\nhost = 'h'\nproxy = 'http://proxy.example:3128'\n"
	if err := os.WriteFile(path, []byte(in), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	d := c.Defaults
	if d.Proxy != "socks5h://proxy.example:1080" || d.NoProxy != "localhost,.corp.example" || d.NoopInterval != "45s" {
		t.Errorf("defaults %+v", d)
	}
	if s, _ := c.Site("w"); s.Proxy != "http://proxy.example:3128" {
		t.Errorf("site %+v", s)
	}
	// Saved and loaded again, the same.
	if err := c.Save(path); err != nil {
		t.Fatal(err)
	}
	if again, err := Load(path); err != nil || again.Defaults != d || again.Sites[0].Proxy != "http://proxy.example:3128" {
		t.Errorf("after Save: %+v, %v", again, err)
	}
}

func TestProxySettingErrors(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"[defaults]\nproxy = 'socks5://alice:hunter2@proxy.example'\n", `line 2: [defaults] proxy = "socks5://alice:****@proxy.example": holds a password`},
		{"[site.w]\nhost = 'h'\nproxy = 'http://bob:hunter2@p:3128'\n", `line 3: [site.w] proxy = "http://bob:****@p:3128": holds a password`},
		{"[defaults]\nproxy = 'socks4://u:hunter2@p'\n", `[defaults] proxy = "socks4://u:****@p": must be a proxy URL`},
		{"[defaults]\nnoop-interval = '-1s'\n", `[defaults] noop-interval = "-1s": must be a duration`},
	} {
		path := filepath.Join(t.TempDir(), "config.toml")
		if err := os.WriteFile(path, []byte(tt.in), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := Load(path)
		if err == nil || !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), "hunter2") {
			t.Errorf("Load(%q) = %v, want %q and no password", tt.in, err, tt.want)
		}
	}
	s := Site{Name: "w", Host: "h", Proxy: "socks5://u:hunter2@p"}
	if err := new(Config).AddSite(s); err == nil || strings.Contains(err.Error(), "hunter2") {
		t.Errorf("AddSite with a proxy password = %v", err)
	}
}
