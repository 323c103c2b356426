package ops

import (
	"crypto/tls"
	"errors"
	"strings"

	"github.com/spf13/pflag"
)

// TLSOptions are the settings that say which servers to believe and what
// client certificate to show (package internal/trust applies them): the
// command line's global flags, and the same settings of bookmarks and of
// the configuration file's [defaults].
type TLSOptions struct {
	// CACert is a PEM bundle of certificate authorities trusted besides
	// the system's (--cacert).
	CACert string
	// PinnedPubKey is curl's --pinnedpubkey: sha256//BASE64 pins separated
	// by ";", or a public key file.
	PinnedPubKey string
	// Cert and Key are the client certificate and its private key, PEM
	// (--cert, --key); Cert may hold both.
	Cert, Key string
	// TLSMin is the lowest TLS version accepted, "1.2" or "1.3" (--tls-min).
	TLSMin string
}

// DefaultTLSMin is --tls-min's default.
const DefaultTLSMin = "1.2"

// AddTLSFlags defines the TLS trust flags, with the values o holds as their
// defaults.
func (o *TLSOptions) AddTLSFlags(fl *pflag.FlagSet) {
	if o.TLSMin == "" {
		o.TLSMin = DefaultTLSMin
	}
	fl.StringVar(&o.CACert, "cacert", o.CACert, "also trust the certificate authorities in PEM `FILE` (added to the system's; config: cacert)")
	fl.Var((*pinsValue)(&o.PinnedPubKey), "pinnedpubkey", "accept only the server public keys `PINS`, sha256//BASE64[;sha256//...], or the one in a PEM/DER key file, as curl takes them (bookmark: pinnedpubkey)")
	fl.StringVar(&o.Cert, "cert", o.Cert, "client certificate, PEM `FILE`; it may hold the key too (config: cert)")
	fl.StringVar(&o.Key, "key", o.Key, "private key of --cert, PEM `FILE`; an encrypted one takes its passphrase from $FERRY_KEY_PASSWORD or a prompt (config: key)")
	fl.StringVar(&o.TLSMin, "tls-min", o.TLSMin, "lowest TLS `VERSION` accepted: 1.2 or 1.3 (config: tls-min)")
}

// TLSVersion returns the crypto/tls constant of a --tls-min value; ""
// is the default, 1.2.
func TLSVersion(v string) (uint16, error) {
	switch v {
	case "", "1.2":
		return tls.VersionTLS12, nil
	case "1.3":
		return tls.VersionTLS13, nil
	}
	return 0, usageErrorf("--tls-min %q: want 1.2 or 1.3", v)
}

// CheckTLSMin refuses a --tls-min that is not 1.2 or 1.3 (exit code 2).
func (o *TLSOptions) CheckTLSMin() error {
	_, err := TLSVersion(o.TLSMin)
	return err
}

// pinsValue is --pinnedpubkey's value. An empty one is refused (exit
// code 2): it would turn pinning off without a word, where curl fails.
type pinsValue string

func (v *pinsValue) String() string { return string(*v) }
func (v *pinsValue) Type() string   { return "string" }

func (v *pinsValue) Set(s string) error {
	if err := CheckPins(s); err != nil {
		return err
	}
	*v = pinsValue(s)
	return nil
}

// CheckPins refuses a --pinnedpubkey value (or a bookmark's pinnedpubkey)
// that is empty or blank: pins, or a key file, must be named.
func CheckPins(s string) error {
	if strings.TrimSpace(s) == "" {
		return errors.New("empty: want sha256//BASE64[;sha256//...] or a public key file; leave the flag out to verify without pins")
	}
	return nil
}
