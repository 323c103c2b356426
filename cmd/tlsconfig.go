package cmd

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"github.com/ferry-ftp/ferry/client"
	"github.com/ferry-ftp/ferry/internal/trust"
	"github.com/ferry-ftp/ferry/ops"
	"github.com/ferry-ftp/ferry/transfer"
)

// tlsFiles keeps what the TLS settings load from files, so that a command
// reads each file once (and asks for a key's passphrase once) however many
// connections it makes.
type tlsFiles struct {
	mu    sync.Mutex
	pools map[string]*x509.CertPool
	pins  map[string][]trust.Pin
	certs map[[2]string]*tls.Certificate
	store *trust.Store
}

// files returns the factory's cache of loaded TLS files.
func (f *Factory) files() *tlsFiles {
	if f.tlsFiles == nil {
		f.tlsFiles = &tlsFiles{pools: map[string]*x509.CertPool{}, pins: map[string][]trust.Pin{},
			certs: map[[2]string]*tls.Certificate{}}
	}
	return f.tlsFiles
}

// tlsSettings returns the TLS trust settings for r: each one from its flag
// when given, else from r's bookmark, else from the configuration's
// [defaults].
func (f *Factory) tlsSettings(r Remote) (ops.TLSOptions, error) {
	cfg, err := f.Config()
	if err != nil {
		return ops.TLSOptions{}, err
	}
	d := cfg.Defaults
	pick := func(vals ...string) string {
		for _, v := range vals {
			if v != "" {
				return v
			}
		}
		return ""
	}
	o, b := f.Opts.TLSOptions, r.TLS
	return ops.TLSOptions{
		CACert:       pick(o.CACert, b.CACert, d.CACert),
		PinnedPubKey: pick(o.PinnedPubKey, b.PinnedPubKey),
		Cert:         pick(o.Cert, b.Cert, d.Cert),
		Key:          pick(o.Key, b.Key, d.Key),
		TLSMin:       o.TLSMin,
	}, nil
}

// tlsPolicy returns the trust policy for a connection to r (see
// trust.Policy): --insecure, the CA bundle, the pins, the trust store's
// entry for r's host and port, the lowest version and the client
// certificate.
func (f *Factory) tlsPolicy(r Remote) (*trust.Policy, error) {
	s, err := f.tlsSettings(r)
	if err != nil {
		return nil, err
	}
	minVersion, err := ops.TLSVersion(s.TLSMin)
	if err != nil {
		return nil, err
	}
	p := &trust.Policy{Addr: trust.Key(r.Target.Host, r.Target.Port), Insecure: f.Opts.Insecure, MinVersion: minVersion}
	fs := f.files()
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if s.CACert != "" {
		if p.Roots, err = fs.caPool(s.CACert); err != nil {
			return nil, err
		}
	}
	if s.PinnedPubKey != "" {
		if p.Pins, err = fs.pinsOf(s.PinnedPubKey); err != nil {
			return nil, err
		}
	}
	switch {
	case s.Cert != "":
		if p.Certificate, err = fs.clientCert(f, s.Cert, s.Key); err != nil {
			return nil, err
		}
	case s.Key != "":
		return nil, usageErrorf("--key %q needs --cert, the certificate that goes with it", s.Key)
	}
	store, err := fs.trustStore(f)
	if err != nil {
		return nil, err
	}
	p.Trusted = store.Lookup(p.Addr)
	return p, nil
}

// tlsOptions returns the client options for the TLS trust settings of r.
// They are made for plain addresses too, since the shell's open --tls
// secures an ftp:// one.
func (f *Factory) tlsOptions(r Remote) ([]client.Option, error) {
	p, err := f.tlsPolicy(r)
	if err != nil {
		return nil, err
	}
	return []client.Option{client.WithTLSConfig(p.Config())}, nil
}

// caPool returns the system's roots with the certificates of the PEM
// bundle at path added (curl's --cacert replaces them; the issue this
// implements asks for an addition, so a private CA does not cost the
// public ones).
func (fs *tlsFiles) caPool(path string) (*x509.CertPool, error) {
	if p, ok := fs.pools[path]; ok {
		return p, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &transfer.LocalError{Op: "read --cacert", Path: path, Err: unwrapPath(err)}
	}
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		pool = x509.NewCertPool()
	}
	if _, err := trust.AddCAs(pool, data); err != nil {
		return nil, usageErrorf("--cacert %q: %v", path, err)
	}
	fs.pools[path] = pool
	return pool, nil
}

// pinsOf parses --pinnedpubkey: pins, or a public key file.
func (fs *tlsFiles) pinsOf(v string) ([]trust.Pin, error) {
	if p, ok := fs.pins[v]; ok {
		return p, nil
	}
	if err := ops.CheckPins(v); err != nil {
		return nil, usageErrorf("--pinnedpubkey %q: %v", v, err)
	}
	var pins []trust.Pin
	if trust.IsPinList(v) {
		var err error
		if pins, err = trust.ParsePins(v); err != nil {
			return nil, usageErrorf("--pinnedpubkey: %v", err)
		}
	} else {
		data, err := os.ReadFile(v)
		if err != nil {
			return nil, &transfer.LocalError{Op: "read --pinnedpubkey", Path: v, Err: unwrapPath(err)}
		}
		pin, err := trust.PinFromKeyFile(data)
		if err != nil {
			return nil, usageErrorf("--pinnedpubkey %q: %v", v, err)
		}
		pins = []trust.Pin{pin}
	}
	fs.pins[v] = pins
	return pins, nil
}

// clientCert loads --cert and --key, asking for the key's passphrase when
// it is encrypted: $FERRY_KEY_PASSWORD, else a prompt on a terminal.
func (fs *tlsFiles) clientCert(f *Factory, certPath, keyPath string) (*tls.Certificate, error) {
	k := [2]string{certPath, keyPath}
	if c, ok := fs.certs[k]; ok {
		return c, nil
	}
	certPEM, err := os.ReadFile(certPath)
	if err != nil {
		return nil, &transfer.LocalError{Op: "read --cert", Path: certPath, Err: unwrapPath(err)}
	}
	var keyPEM []byte
	keyName := certPath
	if keyPath != "" {
		keyName = keyPath
		if keyPEM, err = os.ReadFile(keyPath); err != nil {
			return nil, &transfer.LocalError{Op: "read --key", Path: keyPath, Err: unwrapPath(err)}
		}
	}
	pass := func() ([]byte, error) {
		if p := f.Getenv("FERRY_KEY_PASSWORD"); p != "" {
			return []byte(p), nil
		}
		if f.IO.StdinTTY && f.IO.ReadPassword != nil {
			p, err := f.IO.ReadPassword(fmt.Sprintf("Passphrase for %s: ", keyName))
			fmt.Fprintln(f.IO.ErrOut)
			if err != nil {
				return nil, fmt.Errorf("reading the passphrase: %w", err)
			}
			return []byte(p), nil
		}
		return nil, errors.New("the key is encrypted: set $FERRY_KEY_PASSWORD to its passphrase, or run ferry on a terminal to be asked")
	}
	cert, err := trust.KeyPair(certPEM, keyPEM, pass)
	if err != nil {
		if keyPath == "" {
			return nil, usageErrorf("--cert %q: %v", certPath, err)
		}
		return nil, usageErrorf("--cert %q, --key %q: %v", certPath, keyPath, err)
	}
	fs.certs[k] = &cert
	return &cert, nil
}

// trustStore loads the trust store once.
func (fs *tlsFiles) trustStore(f *Factory) (*trust.Store, error) {
	if fs.store != nil {
		return fs.store, nil
	}
	p, err := f.trustPath()
	if err != nil {
		return nil, err
	}
	s, err := trust.Load(p)
	if err != nil {
		var perm *trust.PermError
		if errors.As(err, &perm) {
			return nil, &client.Error{Kind: client.KindTLS, Op: "trust store", Err: err}
		}
		var pe *os.PathError
		if errors.As(err, &pe) {
			return nil, &transfer.LocalError{Op: "read trust store", Path: p, Err: pe.Err}
		}
		return nil, &FlagError{Err: err}
	}
	fs.store = s
	return s, nil
}

// trustPath returns the trust store's file: trusted.toml beside the
// default configuration file, in $XDG_CONFIG_HOME/ferry (an absolute
// one) or ~/.config/ferry.
func (f *Factory) trustPath() (string, error) {
	if dir := f.Getenv("XDG_CONFIG_HOME"); dir != "" && filepath.IsAbs(dir) {
		return filepath.Join(dir, "ferry", trust.FileName), nil
	}
	home, err := f.Home()
	if err != nil {
		return "", fmt.Errorf("trust store: no home folder: %w", err)
	}
	return filepath.Join(home, ".config", "ferry", trust.FileName), nil
}

// unwrapPath drops the *os.PathError around err, whose path the caller's
// message names already.
func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
