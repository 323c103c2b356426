package config

import (
	"reflect"
	"strings"
	"testing"

	"github.com/ferry-ftp/ferry/internal/ftpurl"
)

func TestSiteValidate(t *testing.T) {
	ok := Site{Name: "work", Host: "ftp.example.com"}
	tests := []struct {
		name   string
		change func(*Site)
		want   string // "" for valid, else a substring of the error
	}{
		{"minimal", func(*Site) {}, ""},
		{"everything", func(s *Site) {
			*s = Site{Name: "a.b-c_1", Host: "10.0.0.1", Port: 65535, User: "u", TLS: TLSImplicit, Mode: ModeActive, Path: "/x/"}
		}, ""},
		{"ipv6", func(s *Site) { s.Host = "2001:db8::1" }, ""},
		{"ipv6 zone", func(s *Site) { s.Host = "fe80::1%eth0" }, ""},
		{"port 0 means default", func(s *Site) { s.Port = 0 }, ""},
		{"explicit", func(s *Site) { s.TLS = TLSExplicit }, ""},
		{"passive", func(s *Site) { s.Mode = ModePassive }, ""},
		{"empty name", func(s *Site) { s.Name = "" }, "bad site name"},
		{"name with space", func(s *Site) { s.Name = "my site" }, "bad site name"},
		{"name with digit first", func(s *Site) { s.Name = "1st" }, "bad site name"},
		{"name with colon", func(s *Site) { s.Name = "a:b" }, "bad site name"},
		{"scheme name", func(s *Site) { s.Name = "ftps" }, "bad site name"},
		{"empty host", func(s *Site) { s.Host = "" }, "no host: add host"},
		{"host with space", func(s *Site) { s.Host = "a b" }, "host"},
		{"host with slash", func(s *Site) { s.Host = "a/b" }, "host"},
		{"host with user", func(s *Site) { s.Host = "u@h" }, "host"},
		{"host with port", func(s *Site) { s.Host = "h:21" }, "host"},
		{"bracketed host", func(s *Site) { s.Host = "[::1]" }, "without brackets"},
		{"bad ipv6", func(s *Site) { s.Host = "1:2:3" }, "host"},
		{"negative port", func(s *Site) { s.Port = -1 }, "port = -1: must be a port number"},
		{"big port", func(s *Site) { s.Port = 65536 }, "port = 65536: must be"},
		{"bad tls", func(s *Site) { s.TLS = "Explicit" }, `tls = "Explicit": must be`},
		{"bad mode", func(s *Site) { s.Mode = "pasv" }, `mode = "pasv": must be`},
		{"user with LF", func(s *Site) { s.User = "u\nPASS x" }, "user: holds CR, LF or NUL"},
		{"path with CR", func(s *Site) { s.Path = "/a\r" }, "path: holds CR, LF or NUL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := ok
			tt.change(&s)
			err := s.Validate()
			if tt.want == "" {
				if err != nil {
					t.Fatalf("Validate(%#v): %v", s, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Validate(%#v) = %v, want an error with %q", s, err, tt.want)
			}
			var c Config
			if err := c.AddSite(s); err == nil || !strings.HasPrefix(err.Error(), "config: ") {
				t.Fatalf("AddSite(%#v) = %v, want a config: error", s, err)
			}
			if len(c.Sites) != 0 {
				t.Fatalf("AddSite kept an invalid site")
			}
		})
	}
}

func TestSites(t *testing.T) {
	var c Config
	for _, name := range []string{"m", "b", "z", "a"} {
		if err := c.AddSite(Site{Name: name, Host: name + ".example.com"}); err != nil {
			t.Fatal(err)
		}
	}
	if got := siteNames(c.Sites); got != "a b m z" {
		t.Fatalf("sites %q, want sorted", got)
	}
	if err := c.AddSite(Site{Name: "m", Host: "new.example.com", Port: 2121}); err != nil {
		t.Fatal(err)
	}
	if got := siteNames(c.Sites); got != "a b m z" {
		t.Fatalf("after replacing: sites %q", got)
	}
	s, ok := c.Site("m")
	if !ok || s.Host != "new.example.com" || s.Port != 2121 {
		t.Fatalf("Site(m) = %#v, %v", s, ok)
	}
	if _, ok := c.Site("M"); ok {
		t.Fatal("site names are case-sensitive, but Site(M) found one")
	}
	if !c.RemoveSite("b") || c.RemoveSite("b") {
		t.Fatal("RemoveSite(b) twice did not report true, false")
	}
	if got := siteNames(c.Sites); got != "a m z" {
		t.Fatalf("after removing: sites %q", got)
	}
	if _, ok := c.Site("b"); ok {
		t.Fatal("removed site still found")
	}
}

func siteNames(ss []Site) string {
	var names []string
	for _, s := range ss {
		names = append(names, s.Name)
	}
	return strings.Join(names, " ")
}

func TestSiteTarget(t *testing.T) {
	tests := []struct {
		name string
		site Site
		path string
		want ftpurl.Target
	}{
		{"login folder", Site{Name: "w", Host: "h"}, "",
			ftpurl.Target{Scheme: "ftp", Host: "h", Port: 21, Bookmark: "w"}},
		{"relative, no base", Site{Name: "w", Host: "h"}, "pub/x",
			ftpurl.Target{Scheme: "ftp", Host: "h", Port: 21, Path: "pub/x", Bookmark: "w"}},
		{"base alone", Site{Name: "w", Host: "h", Path: "/srv/data"}, "",
			ftpurl.Target{Scheme: "ftp", Host: "h", Port: 21, Path: "/srv/data", Bookmark: "w"}},
		{"joined to absolute base", Site{Name: "w", Host: "h", Path: "/srv/data"}, "x/y.txt",
			ftpurl.Target{Scheme: "ftp", Host: "h", Port: 21, Path: "/srv/data/x/y.txt", Bookmark: "w"}},
		{"base with slash", Site{Name: "w", Host: "h", Path: "/srv/data/"}, "x",
			ftpurl.Target{Scheme: "ftp", Host: "h", Port: 21, Path: "/srv/data/x", Bookmark: "w"}},
		{"root base", Site{Name: "w", Host: "h", Path: "/"}, "etc",
			ftpurl.Target{Scheme: "ftp", Host: "h", Port: 21, Path: "/etc", Bookmark: "w"}},
		{"relative base", Site{Name: "w", Host: "h", Path: "pub"}, "x",
			ftpurl.Target{Scheme: "ftp", Host: "h", Port: 21, Path: "pub/x", Bookmark: "w"}},
		{"absolute path wins", Site{Name: "w", Host: "h", Path: "/srv"}, "/etc/x",
			ftpurl.Target{Scheme: "ftp", Host: "h", Port: 21, Path: "/etc/x", Bookmark: "w"}},
		{"trailing slash kept", Site{Name: "w", Host: "h", Path: "/srv"}, "sub/",
			ftpurl.Target{Scheme: "ftp", Host: "h", Port: 21, Path: "/srv/sub/", Bookmark: "w"}},
		{"dot dot not cleaned", Site{Name: "w", Host: "h", Path: "/srv"}, "../x",
			ftpurl.Target{Scheme: "ftp", Host: "h", Port: 21, Path: "/srv/../x", Bookmark: "w"}},
		{"explicit TLS", Site{Name: "w", Host: "h", TLS: TLSExplicit, User: "u"}, "",
			ftpurl.Target{Scheme: "ftpes", Host: "h", Port: 21, User: "u", Bookmark: "w"}},
		{"implicit TLS", Site{Name: "w", Host: "h", TLS: TLSImplicit}, "",
			ftpurl.Target{Scheme: "ftps", Host: "h", Port: 990, Bookmark: "w"}},
		{"explicit port", Site{Name: "w", Host: "::1", TLS: TLSImplicit, Port: 2990}, "",
			ftpurl.Target{Scheme: "ftps", Host: "::1", Port: 2990, Bookmark: "w"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.site.Target(tt.path); got != tt.want {
				t.Fatalf("Target(%q)\n got %#v\nwant %#v", tt.path, got, tt.want)
			}
		})
	}
}

func TestSiteFromTarget(t *testing.T) {
	tests := []struct {
		url  string
		want Site
	}{
		{"ftp://h/", Site{Name: "n", Host: "h"}},
		{"ftp://bob:hunter2@h:2121//srv/", Site{Name: "n", Host: "h", Port: 2121, User: "bob", Path: "/srv/"}},
		{"ftpes://h/pub", Site{Name: "n", Host: "h", TLS: TLSExplicit, Path: "pub"}},
		{"ftps://h", Site{Name: "n", Host: "h", TLS: TLSImplicit}},
		{"ftps://h:21", Site{Name: "n", Host: "h", TLS: TLSImplicit, Port: 21}},
		{"ftp://[::1]:2121", Site{Name: "n", Host: "::1", Port: 2121}},
	}
	for _, tt := range tests {
		tg, err := ftpurl.Parse(tt.url)
		if err != nil {
			t.Fatal(err)
		}
		got := SiteFromTarget("n", tg)
		if got != tt.want {
			t.Errorf("SiteFromTarget(%q)\n got %#v\nwant %#v", tt.url, got, tt.want)
		}
		if strings.Contains(got.Host+got.User+got.Path, "hunter2") {
			t.Errorf("SiteFromTarget(%q) copied the password", tt.url)
		}
		if err := got.Validate(); err != nil {
			t.Errorf("SiteFromTarget(%q) is not valid: %v", tt.url, err)
		}
		// Back to a target: the same address, less the password.
		back := got.Target("")
		want := tg
		want.Password, want.HasPassword, want.Bookmark = "", false, "n"
		if back != want {
			t.Errorf("SiteFromTarget(%q).Target\n got %#v\nwant %#v", tt.url, back, want)
		}
	}
}

func TestResolve(t *testing.T) {
	var c Config
	if err := c.AddSite(Site{Name: "work", Host: "h", TLS: TLSExplicit, Path: "/srv"}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		in      string
		want    string // the resolved target's String, or "" for an error
		wantErr string
	}{
		{"work:x", "ftpes://h//srv/x", ""},
		{"work:/etc", "ftpes://h//etc", ""},
		{"work:", "ftpes://h//srv", ""},
		{"ftp://other/x", "ftp://other/x", ""},
		{"home:x", "", `no bookmark named "home"`},
	}
	for _, tt := range tests {
		tg, err := ftpurl.Parse(tt.in)
		if err != nil {
			t.Fatal(err)
		}
		got, err := c.Resolve(tg)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("Resolve(%q) = %v, %v; want error %q", tt.in, got, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got.String() != tt.want {
			t.Errorf("Resolve(%q) = %q, %v; want %q", tt.in, got.String(), err, tt.want)
		}
	}
}

func TestLoadedSitesAreSorted(t *testing.T) {
	c, err := parse([]byte("[site.zz]\nhost = 'z'\n[site.aa]\nhost = 'a'\n[site.mm]\nhost = 'm'\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := []Site{{Name: "aa", Host: "a"}, {Name: "mm", Host: "m"}, {Name: "zz", Host: "z"}}
	if !reflect.DeepEqual(c.Sites, want) {
		t.Fatalf("sites %#v, want %#v", c.Sites, want)
	}
}
