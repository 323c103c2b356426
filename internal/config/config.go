// Package config reads and writes ferry's configuration file: defaults for
// the global flags and bookmarks (sites). The file is TOML:
//
//	[defaults]
//	tls = true
//	timeout = "30s"
//	parallel = 4
//
//	[site.work]
//	host = "ftp.example.com"
//	user = "alice"
//	tls = "explicit"
//	path = "/srv/data"
//
//	[site.old]
//	host = "ftp.example.ru"
//	charset = "cp1251"
//
// The keys of [defaults] are the names of the global flags. The file never
// holds passwords: Load refuses one that does, and passwords belong in
// ~/.netrc. Unknown keys are errors, so that a typo does not pass silently.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/pelletier/go-toml/v2"

	"github.com/ferry-ftp/ferry/client"
)

// Defaults holds defaults for the global flags. A nil pointer or an empty
// string means "not set": the flag's own default applies.
type Defaults struct {
	// Active selects active mode (--active).
	Active *bool `toml:"active,omitempty"`
	// ActiveAddr is the IP address announced in active mode (--active-addr).
	ActiveAddr string `toml:"active-addr,omitempty"`
	// ActivePorts is the local port range for active mode, "LOW-HIGH"
	// (--active-ports).
	ActivePorts string `toml:"active-ports,omitempty"`
	// NoEPSV turns EPSV off and uses PASV only (--no-epsv).
	NoEPSV *bool `toml:"no-epsv,omitempty"`
	// NoPipeline sends each command after the reply to the one before
	// (--no-pipeline).
	NoPipeline *bool `toml:"no-pipeline,omitempty"`
	// TLS requires explicit TLS (--tls).
	TLS *bool `toml:"tls,omitempty"`
	// Insecure skips certificate verification (--insecure).
	Insecure *bool `toml:"insecure,omitempty"`
	// User is the default login name (--user).
	User string `toml:"user,omitempty"`
	// NetrcFile is the netrc file to read (--netrc-file).
	NetrcFile string `toml:"netrc-file,omitempty"`
	// Timeout is a Go duration such as "30s" (--timeout).
	Timeout string `toml:"timeout,omitempty"`
	// Retries is how often a failed transfer is retried (--retries).
	Retries *int `toml:"retries,omitempty"`
	// Quiet silences status messages (--quiet).
	Quiet *bool `toml:"quiet,omitempty"`
	// NoProgress hides progress bars (--no-progress).
	NoProgress *bool `toml:"no-progress,omitempty"`
	// Parallel is the number of concurrent transfers (--parallel).
	Parallel *int `toml:"parallel,omitempty"`
	// Charset is the charset of the names on the servers, for servers
	// that do not use UTF-8 (--charset).
	Charset string `toml:"charset,omitempty"`
	// TLS trust: CA bundle, client certificate and key, lowest TLS
	// version (--cacert, --cert, --key, --tls-min; see Site for the same
	// per bookmark).
	CACert string `toml:"cacert,omitempty"`
	Cert   string `toml:"cert,omitempty"`
	Key    string `toml:"key,omitempty"`
	TLSMin string `toml:"tls-min,omitempty"`
	// Proxy is the proxy URL for every server, below --proxy and a
	// bookmark's and above the environment's; it holds no password.
	Proxy string `toml:"proxy,omitempty"`
	// NoProxy lists the hosts reached directly, as NO_PROXY does
	// (--noproxy).
	NoProxy string `toml:"noproxy,omitempty"`
	// NoopInterval is a Go duration such as "60s": how often a NOOP goes
	// on the control connection during transfers (--noop-interval).
	NoopInterval string `toml:"noop-interval,omitempty"`
}

// Config is the whole configuration.
type Config struct {
	// Defaults holds defaults for the global flags.
	Defaults Defaults
	// Sites holds the bookmarks, sorted by name. Change it through AddSite
	// and RemoveSite to keep it sorted and valid.
	Sites []Site
}

// document is the file's layout.
type document struct {
	Defaults Defaults        `toml:"defaults,omitempty"`
	Sites    map[string]Site `toml:"site,omitempty"`
}

// header starts every file that Save writes.
const header = "# ferry configuration. Passwords do not belong here: put them in ~/.netrc.\n\n"

// DefaultPath returns where the configuration lives:
// $XDG_CONFIG_HOME/ferry/config.toml, or ~/.config/ferry/config.toml when
// XDG_CONFIG_HOME is unset or not an absolute path (as the XDG Base
// Directory specification asks).
func DefaultPath() (string, error) {
	if dir := os.Getenv("XDG_CONFIG_HOME"); dir != "" && filepath.IsAbs(dir) {
		return filepath.Join(dir, "ferry", "config.toml"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("config: no home folder: %w", err)
	}
	return filepath.Join(home, ".config", "ferry", "config.toml"), nil
}

// Load reads the configuration at path. A missing file is an empty
// configuration. A file that cannot be used is an *Error that names the
// file and the line, and says what to fix: syntax errors, values of the
// wrong kind, unknown keys, passwords, and invalid values.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return &Config{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	c, err := parse(data)
	if err != nil {
		e := err.(*Error)
		e.Path = path
		return nil, e
	}
	return c, nil
}

// parse decodes a file. Its errors are *Error, without the Path.
func parse(data []byte) (*Config, error) {
	var doc document
	dec := toml.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&doc); err != nil {
		return nil, decodeError(data, err)
	}
	c := &Config{Defaults: doc.Defaults}
	for name, s := range doc.Sites {
		s.Name = name
		c.Sites = append(c.Sites, s)
	}
	sortSites(c.Sites)
	err := c.validate()
	if err == nil {
		err = checkEmptyPins(data)
	}
	if err != nil {
		var ve *valueError
		if errors.As(err, &ve) {
			return nil, &Error{Line: ve.line(data), Msg: ve.Error()}
		}
		return nil, &Error{Msg: err.Error()}
	}
	return c, nil
}

// isPasswordKey reports whether a key names a password; such keys are
// refused anywhere in the file.
func isPasswordKey(k string) bool {
	switch strings.ToLower(k) {
	case "password", "passwd", "pass":
		return true
	}
	return false
}

// validate checks the defaults and every site, and that no two sites share
// a name.
func (c *Config) validate() error {
	if err := c.Defaults.Validate(); err != nil {
		return err
	}
	for i, s := range c.Sites {
		if err := s.Validate(); err != nil {
			return err
		}
		for _, t := range c.Sites[:i] {
			if t.Name == s.Name {
				return fmt.Errorf("two sites named %q", s.Name)
			}
		}
	}
	return nil
}

// Validate checks the values that have a fixed form: ActiveAddr is an IP
// address, ActivePorts a range, Timeout a positive duration, Retries not
// negative, Parallel at least 1 and Charset a charset ferry knows. Its errors say what the value must be.
func (d Defaults) Validate() error {
	if d.ActiveAddr != "" && net.ParseIP(d.ActiveAddr) == nil {
		return &valueError{key: "active-addr", value: strconv.Quote(d.ActiveAddr), tail: mustBe("defaults.active-addr")}
	}
	if d.ActivePorts != "" {
		if _, _, err := ParsePortRange(d.ActivePorts); err != nil {
			return &valueError{key: "active-ports", value: strconv.Quote(d.ActivePorts),
				tail: "must be a port range LOW-HIGH within 1-65535 in quotes, such as \"50000-50100\""}
		}
	}
	if d.Timeout != "" {
		if t, err := time.ParseDuration(d.Timeout); err != nil || t <= 0 {
			return &valueError{key: "timeout", value: strconv.Quote(d.Timeout), tail: "must be a positive duration with its unit, in quotes, such as \"30s\" or \"2m\""}
		}
	}
	if d.Retries != nil && *d.Retries < 0 {
		return &valueError{key: "retries", value: strconv.Itoa(*d.Retries), tail: "must be 0 or more (0 turns retries off)"}
	}
	if d.Parallel != nil && *d.Parallel < 1 {
		return &valueError{key: "parallel", value: strconv.Itoa(*d.Parallel), tail: "must be 1 or more"}
	}
	if err := checkCharset("defaults.charset", d.Charset); err != nil {
		return &valueError{key: "charset", value: strconv.Quote(d.Charset), tail: err.Error()}
	}
	if d.TLSMin != "" && d.TLSMin != "1.2" && d.TLSMin != "1.3" {
		return &valueError{key: "tls-min", value: strconv.Quote(d.TLSMin), tail: mustBe("defaults.tls-min")}
	}
	if err := checkProxy("", d.Proxy); err != nil {
		return err
	}
	return checkNoopInterval(d.NoopInterval)
}

// checkCharset checks the charset setting key ("site.charset"): empty,
// or a name that client.LookupCharset knows.
func checkCharset(key, name string) error {
	if name == "" {
		return nil
	}
	if _, err := client.LookupCharset(name); err != nil {
		return fmt.Errorf("%s; %v", mustBe(key), err)
	}
	return nil
}

// ParsePortRange parses "LOW-HIGH" (or a single port "N") with
// 1 <= LOW <= HIGH <= 65535.
func ParsePortRange(s string) (lo, hi int, err error) {
	los, his, isRange := strings.Cut(s, "-")
	if !isRange {
		his = los
	}
	lo, err1 := strconv.Atoi(strings.TrimSpace(los))
	hi, err2 := strconv.Atoi(strings.TrimSpace(his))
	if err1 != nil || err2 != nil || lo < 1 || hi > 65535 || lo > hi {
		return 0, 0, fmt.Errorf("bad port range %q: want LOW-HIGH within 1-65535", s)
	}
	return lo, hi, nil
}

// Save writes the configuration to path atomically: it writes a temporary
// file in the same folder and renames it over path, so a reader sees the
// old file or the new one, never half of one. It creates the folder with
// mode 0700 when missing and writes the file with mode 0600. When path is
// a symbolic link, the file it points to is replaced.
func (c *Config) Save(path string) error {
	if err := c.validate(); err != nil {
		return fmt.Errorf("config: not saved: %w", err)
	}
	data, err := c.marshal()
	if err != nil {
		return fmt.Errorf("config: %w", err)
	}
	if real, err := filepath.EvalSymlinks(path); err == nil {
		path = real
	}
	if err := writeAtomic(path, data); err != nil {
		return fmt.Errorf("config: save %q: %w", path, err)
	}
	return nil
}

// marshal encodes c with the header comment.
func (c *Config) marshal() ([]byte, error) {
	doc := document{Defaults: c.Defaults}
	if len(c.Sites) > 0 {
		doc.Sites = make(map[string]Site, len(c.Sites))
		for _, s := range c.Sites {
			doc.Sites[s.Name] = s
		}
	}
	var buf bytes.Buffer
	buf.WriteString(header)
	enc := toml.NewEncoder(&buf)
	enc.SetIndentTables(false)
	if err := enc.Encode(doc); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// WriteFileAtomic writes data to path as Save does: through a temporary
// file renamed over path, with mode 0600, in a folder made with mode 0700
// when missing. The trust store is written this way too.
func WriteFileAtomic(path string, data []byte) error { return writeAtomic(path, data) }

// writeAtomic writes data to a temporary file beside path and renames it
// to path, removing the temporary file on any failure.
func writeAtomic(path string, data []byte) (err error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if err := f.Chmod(0o600); err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	// Make the rename itself durable where the system allows it.
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}
