package trust

import (
	"bytes"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pelletier/go-toml/v2"

	"github.com/ferry-ftp/ferry/internal/config"
)

// FileName is the trust store's name in ferry's configuration folder.
const FileName = "trusted.toml"

// Entry is a certificate the user trusts for one server, by host and
// port: the exact certificate, whoever signed it and whatever it names.
type Entry struct {
	// Addr is the server's host:port, the host in lower case and an IPv6
	// address in brackets (see Key).
	Addr string `toml:"addr"`
	// Fingerprint is the SHA-256 of the certificate.
	Fingerprint Fingerprint `toml:"sha256"`
	// Subject, Issuer, NotBefore and NotAfter describe the certificate,
	// for "ferry trust list".
	Subject   string    `toml:"subject"`
	Issuer    string    `toml:"issuer"`
	NotBefore time.Time `toml:"not-before"`
	NotAfter  time.Time `toml:"not-after"`
	// Added is when the user trusted it.
	Added time.Time `toml:"added"`
	// PEM is the certificate itself.
	PEM string `toml:"pem"`
}

// NewEntry makes the entry that trusts cert for addr.
func NewEntry(addr string, cert *x509.Certificate, now time.Time) Entry {
	return Entry{
		Addr:        addr,
		Fingerprint: FingerprintOf(cert),
		Subject:     cert.Subject.String(),
		Issuer:      cert.Issuer.String(),
		NotBefore:   cert.NotBefore.UTC(),
		NotAfter:    cert.NotAfter.UTC(),
		Added:       now.UTC().Truncate(time.Second),
		PEM:         string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw})),
	}
}

// MarshalText writes the fingerprint as String does.
func (f Fingerprint) MarshalText() ([]byte, error) { return []byte(f.String()), nil }

// UnmarshalText reads what MarshalText writes.
func (f *Fingerprint) UnmarshalText(b []byte) error {
	v, err := ParseFingerprint(string(b))
	if err != nil {
		return err
	}
	*f = v
	return nil
}

// Key returns the form of host and port entries are stored under: the
// host in lower case, an IPv6 address in brackets.
func Key(host string, port int) string {
	return net.JoinHostPort(strings.ToLower(strings.Trim(host, "[]")), strconv.Itoa(port))
}

// Store is the trust store file: the certificates trusted with "ferry
// trust add", one per server.
type Store struct {
	path string
	// Entries are sorted by Addr.
	Entries []Entry
}

type storeFile struct {
	Certs []Entry `toml:"cert"`
}

const storeHeader = "# Certificates trusted with 'ferry trust add', one per host:port.\n" +
	"# Manage with 'ferry trust list' and 'ferry trust rm HOST[:PORT]'.\n\n"

// Load reads the trust store at path; a missing file is an empty store.
// A file that cannot be read or parsed is an error that names it, and a
// file that others could have written to is a *PermError (see CheckPerms).
func Load(path string) (*Store, error) {
	s := &Store{path: path}
	if err := CheckPerms(path); err != nil {
		return nil, err
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return s, nil
	}
	if err != nil {
		return nil, err
	}
	var f storeFile
	dec := toml.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("trust store %q: %v", path, err)
	}
	for _, e := range f.Certs {
		if e.Addr == "" {
			return nil, fmt.Errorf("trust store %q: an entry without addr", path)
		}
	}
	s.Entries = f.Certs
	s.sort()
	return s, nil
}

// Path returns the file the store is read from and saved to.
func (s *Store) Path() string { return s.path }

// Lookup returns the entry for addr (see Key), or nil.
func (s *Store) Lookup(addr string) *Entry {
	for i := range s.Entries {
		if s.Entries[i].Addr == addr {
			return &s.Entries[i]
		}
	}
	return nil
}

// Add adds e, replacing an entry for the same address.
func (s *Store) Add(e Entry) {
	s.Entries = slices.DeleteFunc(s.Entries, func(o Entry) bool { return o.Addr == e.Addr })
	s.Entries = append(s.Entries, e)
	s.sort()
}

// Remove removes the entry for host:port, or with port 0 those for host
// on any port, and returns what it removed.
func (s *Store) Remove(host string, port int) []Entry {
	var gone []Entry
	s.Entries = slices.DeleteFunc(s.Entries, func(e Entry) bool {
		h, p, _ := net.SplitHostPort(e.Addr)
		match := strings.EqualFold(h, strings.Trim(host, "[]")) && (port == 0 || p == strconv.Itoa(port))
		if match {
			gone = append(gone, e)
		}
		return match
	})
	return gone
}

func (s *Store) sort() {
	slices.SortFunc(s.Entries, func(a, b Entry) int { return strings.Compare(a.Addr, b.Addr) })
}

// Save writes the store atomically, with mode 0600 in a folder of mode
// 0700: made so when missing, and made so when the user owns it and it
// was open to others (its parent is left as it is).
func (s *Store) Save() error {
	var buf bytes.Buffer
	buf.WriteString(storeHeader)
	enc := toml.NewEncoder(&buf)
	enc.SetIndentTables(false)
	if err := enc.Encode(storeFile{Certs: s.Entries}); err != nil {
		return fmt.Errorf("trust store: %w", err)
	}
	dir := filepath.Dir(s.path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("trust store: save %q: %w", s.path, err)
	}
	if err := tightenDir(dir); err != nil {
		return fmt.Errorf("trust store: save %q: %w", s.path, err)
	}
	if err := config.WriteFileAtomic(s.path, buf.Bytes()); err != nil {
		return fmt.Errorf("trust store: save %q: %w", s.path, err)
	}
	return nil
}
