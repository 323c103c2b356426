package config

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/ferry-ftp/ferry/internal/ftpurl"
)

// The values of Site.TLS.
const (
	// TLSNone is plain FTP.
	TLSNone = ""
	// TLSExplicit is explicit TLS: AUTH TLS on the plain port (ftpes://).
	TLSExplicit = "explicit"
	// TLSImplicit is implicit TLS from the first byte, port 990 (ftps://).
	TLSImplicit = "implicit"
)

// The values of Site.Mode.
const (
	// ModeDefault leaves the data-connection mode to the global flags.
	ModeDefault = ""
	// ModePassive is passive mode (EPSV, then PASV).
	ModePassive = "passive"
	// ModeActive is active mode (EPRT or PORT).
	ModeActive = "active"
)

// Site is a bookmark: where a server is and how to reach it. It never
// holds a password; those belong in ~/.netrc.
type Site struct {
	// Name is the bookmark's name, used as NAME:/path. In the file it is
	// the table's key ([site.NAME]).
	Name string `toml:"-"`
	// Host is the host name or IP address, without brackets for IPv6.
	Host string `toml:"host"`
	// Port is the server's port, or 0 for the default of the TLS mode.
	Port int `toml:"port,omitempty"`
	// User is the login name, "" to use the global default.
	User string `toml:"user,omitempty"`
	// TLS is TLSNone, TLSExplicit or TLSImplicit.
	TLS string `toml:"tls,omitempty"`
	// Mode is ModeDefault, ModePassive or ModeActive.
	Mode string `toml:"mode,omitempty"`
	// Path is the folder a relative path starts from: relative to the login
	// folder, or absolute when it starts with "/"; "" is the login folder.
	Path string `toml:"path,omitempty"`
	// Charset is the charset of the server's names when it is not UTF-8
	// ("cp1251", "latin1"; see client.LookupCharset), "" for the global
	// default.
	Charset string `toml:"charset,omitempty"`
	// CACert, PinnedPubKey, Cert and Key are the site's TLS trust
	// settings, as the flags of the same names take them; a flag given on
	// the command line wins.
	CACert       string `toml:"cacert,omitempty"`
	PinnedPubKey string `toml:"pinnedpubkey,omitempty"`
	Cert         string `toml:"cert,omitempty"`
	Key          string `toml:"key,omitempty"`
	// Proxy is the proxy URL for this site (see Defaults.Proxy), "" for
	// the global setting.
	Proxy string `toml:"proxy,omitempty"`
}

// Site returns the site called name.
func (c *Config) Site(name string) (Site, bool) {
	i := c.find(name)
	if i < 0 {
		return Site{}, false
	}
	return c.Sites[i], true
}

// find returns the index of the site called name in c.Sites, or -1.
func (c *Config) find(name string) int {
	for i, s := range c.Sites {
		if s.Name == name {
			return i
		}
	}
	return -1
}

// AddSite checks s and adds it, replacing a site of the same name and
// keeping Sites sorted by name.
func (c *Config) AddSite(s Site) error {
	if err := s.Validate(); err != nil {
		return fmt.Errorf("config: %w", err)
	}
	if i := c.find(s.Name); i >= 0 {
		c.Sites[i] = s
		return nil
	}
	c.Sites = append(c.Sites, s)
	sortSites(c.Sites)
	return nil
}

func sortSites(ss []Site) {
	sort.SliceStable(ss, func(i, j int) bool { return ss[i].Name < ss[j].Name })
}

// RemoveSite removes the site called name and reports whether there was
// one.
func (c *Config) RemoveSite(name string) bool {
	i := c.find(name)
	if i < 0 {
		return false
	}
	c.Sites = append(c.Sites[:i], c.Sites[i+1:]...)
	return true
}

// Resolve completes a bookmark reference parsed by ftpurl.Parse
// ("NAME:path") with the site it names. A target that is not an unresolved
// bookmark reference is returned as it is.
func (c *Config) Resolve(t ftpurl.Target) (ftpurl.Target, error) {
	if t.Bookmark == "" || t.Host != "" {
		return t, nil
	}
	s, ok := c.Site(t.Bookmark)
	if !ok {
		return ftpurl.Target{}, fmt.Errorf("config: no bookmark named %q", t.Bookmark)
	}
	r := s.Target(t.Path)
	r.Type = t.Type
	return r, nil
}

// Validate checks a site: a name that ftpurl accepts as a bookmark name, a
// valid non-empty host, a port from 0 to 65535, known TLS and Mode values,
// no CR, LF or NUL in the user or path, and a charset ferry knows.
func (s Site) Validate() error {
	if !ftpurl.IsBookmarkName(s.Name) {
		return &valueError{site: s.Name, tail: fmt.Sprintf("bad site name %q: a name starts with a letter, then letters, digits, '_', '.' or '-', and is not ftp, ftps or ftpes", s.Name)}
	}
	if s.Host == "" {
		return &valueError{site: s.Name, tail: "no host: add host = \"ftp.example.com\", the server's name or IP address"}
	}
	if err := checkHost(s.Host); err != nil {
		return &valueError{site: s.Name, key: "host", value: strconv.Quote(redactUser(s.Host)), tail: err.Error()}
	}
	if s.Port < 0 || s.Port > 65535 {
		return &valueError{site: s.Name, key: "port", value: strconv.Itoa(s.Port), tail: mustBe("site.port")}
	}
	switch s.TLS {
	case TLSNone, TLSExplicit, TLSImplicit:
	default:
		return &valueError{site: s.Name, key: "tls", value: strconv.Quote(s.TLS), tail: mustBe("site.tls")}
	}
	switch s.Mode {
	case ModeDefault, ModePassive, ModeActive:
	default:
		return &valueError{site: s.Name, key: "mode", value: strconv.Quote(s.Mode), tail: mustBe("site.mode")}
	}
	if strings.ContainsAny(s.User, "\r\n\x00") {
		return &valueError{site: s.Name, key: "user", tail: "holds CR, LF or NUL: remove them"}
	}
	if strings.ContainsAny(s.Path, "\r\n\x00") {
		return &valueError{site: s.Name, key: "path", tail: "holds CR, LF or NUL: remove them"}
	}
	if err := checkCharset("site.charset", s.Charset); err != nil {
		return &valueError{site: s.Name, key: "charset", value: strconv.Quote(s.Charset), tail: err.Error()}
	}
	return checkProxy(s.Name, s.Proxy)
}

// redactUser hides what comes before an "@" in a host, which may be a
// user and password that do not belong there.
func redactUser(h string) string {
	if i := strings.LastIndexByte(h, '@'); i >= 0 {
		return "..." + h[i:]
	}
	return h
}

// checkHost accepts what ftpurl accepts as a URL's host. Its errors say
// what the host must be.
func checkHost(h string) error {
	if strings.Contains(h, "://") {
		return hostFromURL(h)
	}
	if strings.Contains(h, "@") {
		return errors.New(`must be the server's name alone: put the login name in user = "...", and the password in ~/.netrc`)
	}
	if strings.HasPrefix(h, "[") {
		return errors.New("must be an IPv6 address without brackets, such as \"2001:db8::1\"")
	}
	u := h
	if strings.Contains(h, ":") {
		u = "[" + strings.Replace(h, "%", "%25", 1) + "]"
	}
	t, err := ftpurl.Parse("ftp://" + u + "/")
	if err != nil || t.Host != h || t.User != "" || t.HasPassword {
		why := ""
		if err != nil {
			why = " (" + strings.TrimPrefix(err.Error(), fmt.Sprintf("bad address %q: ", "ftp://"+u+"/")) + ")"
		}
		return fmt.Errorf("must be the server's name or IP address alone, such as \"ftp.example.com\", with the port in port = N%s", why)
	}
	return nil
}

// hostFromURL explains a URL given as a site's host, with the settings
// that say the same.
func hostFromURL(h string) error {
	t, err := ftpurl.Parse(h)
	if err != nil || t.Host == "" {
		return errors.New("is a URL, but host takes the server's name alone, such as \"ftp.example.com\"; the folder goes in path, the port in port, TLS in tls")
	}
	sets := []string{fmt.Sprintf("host = %q", t.Host)}
	if t.Port != ftpurl.DefaultPort(t.Scheme) {
		sets = append(sets, fmt.Sprintf("port = %d", t.Port))
	}
	if t.User != "" {
		sets = append(sets, fmt.Sprintf("user = %q", t.User))
	}
	switch t.Scheme {
	case ftpurl.SchemeFTPES:
		sets = append(sets, fmt.Sprintf("tls = %q", TLSExplicit))
	case ftpurl.SchemeFTPS:
		sets = append(sets, fmt.Sprintf("tls = %q", TLSImplicit))
	}
	if t.Path != "" {
		sets = append(sets, fmt.Sprintf("path = %q", t.Path))
	}
	return fmt.Errorf("is a URL, but host takes the server's name alone: write %s", strings.Join(sets, ", "))
}

// scheme returns the URL scheme for the site's TLS mode.
func (s Site) scheme() string {
	switch s.TLS {
	case TLSExplicit:
		return ftpurl.SchemeFTPES
	case TLSImplicit:
		return ftpurl.SchemeFTPS
	}
	return ftpurl.SchemeFTP
}

// Target returns the address of p on the site. A relative p is joined to
// the site's Path; an absolute p (starting with "/") is used as it is; an
// empty p is the site's Path itself. A trailing slash on p is kept. The
// target's Bookmark is the site's name.
func (s Site) Target(p string) ftpurl.Target {
	scheme := s.scheme()
	port := s.Port
	if port == 0 {
		port = ftpurl.DefaultPort(scheme)
	}
	return ftpurl.Target{
		Scheme:   scheme,
		Host:     s.Host,
		Port:     port,
		User:     s.User,
		Path:     joinPath(s.Path, p),
		Bookmark: s.Name,
	}
}

// joinPath joins p to base without cleaning either, so that "..", a
// trailing slash and the server's own path rules stay the server's business.
func joinPath(base, p string) string {
	switch {
	case p == "":
		return base
	case strings.HasPrefix(p, "/") || base == "":
		return p
	}
	return strings.TrimSuffix(base, "/") + "/" + p
}

// SiteFromTarget makes a site called name from a parsed URL, for
// "ferry bookmark add NAME URL". It never copies the password, and it
// leaves Port 0 when the URL's port is the scheme's default.
func SiteFromTarget(name string, t ftpurl.Target) Site {
	s := Site{Name: name, Host: t.Host, User: t.User, Path: t.Path}
	switch t.Scheme {
	case ftpurl.SchemeFTPES:
		s.TLS = TLSExplicit
	case ftpurl.SchemeFTPS:
		s.TLS = TLSImplicit
	}
	if t.Port != ftpurl.DefaultPort(t.Scheme) {
		s.Port = t.Port
	}
	return s
}
