package config

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/ferry-ftp/ferry/internal/ftpurl"
)

// FuzzParse checks what holds for any configuration file: parse never
// panics; its errors start with the position or a colon, as Load expects;
// an accepted file is valid, holds no CR, LF or NUL in a site's user or
// path, keeps its sites sorted by name, and survives marshal and parse
// unchanged; and each site's address reads back through ftpurl as the
// same host, port, user and scheme.
func FuzzParse(f *testing.F) {
	if b, err := full().marshal(); err == nil {
		f.Add(string(b))
	}
	for _, s := range []string{
		"",
		"[defaults]\nparallel = 4\ntimeout = '30s'\nactive-ports = '50000-50100'\n",
		"[site.w]\nhost = 'h'\npassword = 'hunter2'\n",
		"[site.w]\nhost = 'fe80::1%eth0'\nport = 2121\n",
		"[site.a]\nhost = 'a'\n[site.b]\nhost = 'b'\nuser = 'u\\r\\nPASS x'\n",
		"[site.w]\nhost = 'h'\npath = '../..'\ntls = 'implicit'\nmode = 'active'\n",
		"[[site]]\nhost = 'h'\n",
		"[defaults\n",
		"[site.'my site']\nhost = 'h'\n",
		"[site.w]\nhost = 'bob:pw@h'\n",
		"[site.w]\nhost = '[::1]'\n",
		"[defaults]\nactive-addr = '::1'\nretries = 0\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		c, err := parse([]byte(in))
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Msg == "" || e.Line < 0 {
				t.Fatalf("parse(%q): error %#v is no *Error with a message", in, err)
			}
			for _, g := range []string{"struct field", "config.Defaults", "config.Site", "config.document", "map[string]"} {
				if strings.Contains(e.Msg, g) && !strings.Contains(in, g) {
					t.Fatalf("parse(%q): error %q names Go types", in, e.Msg)
				}
			}
			return
		}
		if err := c.validate(); err != nil {
			t.Fatalf("parse(%q) accepted an invalid configuration: %v", in, err)
		}
		for i, s := range c.Sites {
			if strings.ContainsAny(s.User+s.Path+s.Host, "\r\n\x00") {
				t.Fatalf("parse(%q): site %#v holds CR, LF or NUL", in, s)
			}
			if i > 0 && c.Sites[i-1].Name >= s.Name {
				t.Fatalf("parse(%q): sites not sorted by unique names: %q then %q", in, c.Sites[i-1].Name, s.Name)
			}
			checkSiteAddress(t, s)
		}
		out, err := c.marshal()
		if err != nil {
			t.Fatalf("parse(%q) then marshal: %v", in, err)
		}
		again, err := parse(out)
		if err != nil {
			t.Fatalf("parse(%q) then marshal gives %q, which does not parse: %v", in, out, err)
		}
		if !reflect.DeepEqual(again, c) {
			t.Fatalf("parse(%q) = %#v, after marshal and parse %#v", in, c, again)
		}
	})
}

// FuzzSiteTarget checks bookmark resolution: for a valid site and a path
// without CR, LF or NUL, the address of the path parses back through
// ftpurl to the same target, SiteFromTarget recovers the site's host,
// user, TLS mode and port, and Resolve of "NAME:path" gives the same
// target as Target.
func FuzzSiteTarget(f *testing.F) {
	f.Add("work", "ftp.example.com", 0, "alice", TLSExplicit, "/srv/data", "reports/q3.pdf")
	f.Add("v6", "2001:db8::21", 2121, "", TLSNone, "pub/", "")
	f.Add("zone", "fe80::1%eth0", 21, "bob smith", TLSImplicit, "", "/abs/x")
	f.Add("p", "10.0.0.1", 990, "u@x", TLSImplicit, "a;type=i", "b%2Fc")
	f.Add("q", "h", 65535, "", TLSNone, "..", "../../etc/passwd")
	f.Fuzz(func(t *testing.T, name, host string, port int, user, tlsMode, base, p string) {
		s := Site{Name: name, Host: host, Port: port, User: user, TLS: tlsMode, Path: base}
		if s.Validate() != nil || strings.ContainsAny(p, "\r\n\x00") {
			return
		}
		checkSiteAddress(t, s)
		tg := s.Target(p)
		back := SiteFromTarget(s.Name, tg)
		wantPort := s.Port
		if wantPort == ftpurl.DefaultPort(tg.Scheme) {
			wantPort = 0
		}
		if back.Host != s.Host || back.User != s.User || back.TLS != s.TLS || back.Port != wantPort {
			t.Fatalf("site %#v: SiteFromTarget(Target(%q)) = %#v", s, p, back)
		}
		c := &Config{Sites: []Site{s}}
		ref, err := ftpurl.Parse(s.Name + ":" + p)
		if err != nil || ref.Bookmark != s.Name {
			return // not every path reads as a bookmark reference
		}
		r, err := c.Resolve(ref)
		if err != nil {
			t.Fatalf("site %#v: Resolve(%q): %v", s, s.Name+":"+p, err)
		}
		if want := s.Target(ref.Path); r.Host != want.Host || r.Port != want.Port || r.Path != want.Path || r.Scheme != want.Scheme {
			t.Fatalf("site %#v: Resolve(%q) = %#v, want %#v", s, s.Name+":"+p, r, want)
		}
	})
}

// checkSiteAddress checks that the site's address parses back through
// ftpurl with the same scheme, host, port and user, and no password.
func checkSiteAddress(t *testing.T, s Site) {
	t.Helper()
	tg := s.Target("")
	tg.Bookmark = "" // print the URL, not the reference
	got, err := ftpurl.Parse(tg.String())
	if err != nil {
		t.Fatalf("site %#v: address %q does not parse: %v", s, tg.String(), err)
	}
	if got.Scheme != tg.Scheme || got.Host != tg.Host || got.Port != tg.Port || got.User != tg.User || got.HasPassword {
		t.Fatalf("site %#v: address %q parses to %#v, want %#v", s, tg.String(), got, tg)
	}
}
