// Package trust decides which TLS servers ferry believes: certificate
// authorities added with --cacert, public keys pinned with --pinnedpubkey
// (curl's form), certificates trusted on first use with "ferry trust add"
// (the trust store), and the client certificate ferry shows when a server
// asks for one. Policy turns these into a tls.Config; the errors it makes
// say what failed and show the values to compare.
package trust

import (
	"bytes"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"strings"
)

// A Pin is the SHA-256 digest of a public key in its DER
// SubjectPublicKeyInfo form: what curl's --pinnedpubkey sha256//BASE64
// names. A certificate renewed with the same key keeps its pin.
type Pin [sha256.Size]byte

// PinOf returns the pin of a certificate's public key.
func PinOf(cert *x509.Certificate) Pin { return sha256.Sum256(cert.RawSubjectPublicKeyInfo) }

// String returns the pin in curl's form, sha256//BASE64.
func (p Pin) String() string { return pinPrefix + base64.StdEncoding.EncodeToString(p[:]) }

const pinPrefix = "sha256//"

// IsPinList reports whether s is written as pins (sha256//...) rather
// than naming a public key file, as curl tells them apart.
func IsPinList(s string) bool { return strings.HasPrefix(s, pinPrefix) }

// ParsePins parses curl's list of pins: "sha256//BASE64" items separated
// by ";". Each must be the base64 of 32 bytes.
func ParsePins(s string) ([]Pin, error) {
	var pins []Pin
	for _, item := range strings.Split(s, ";") {
		item = strings.TrimSpace(item)
		b64, ok := strings.CutPrefix(item, pinPrefix)
		if !ok {
			return nil, fmt.Errorf("pin %q: want sha256//BASE64 (the base64 of the SHA-256 of the public key), items separated by ';'", item)
		}
		raw, err := base64.StdEncoding.DecodeString(b64)
		if err != nil || len(raw) != sha256.Size {
			return nil, fmt.Errorf("pin %q: want the base64 of 32 bytes (a SHA-256 digest)", item)
		}
		pins = append(pins, Pin(raw))
	}
	return pins, nil
}

// PinFromKeyFile returns the pin of the public key in data, the contents of
// a file: a PEM "PUBLIC KEY" block or DER SubjectPublicKeyInfo, as curl
// takes, or a PEM or DER certificate, whose key is pinned.
func PinFromKeyFile(data []byte) (Pin, error) {
	der := data
	if block, _ := pem.Decode(data); block != nil {
		der = block.Bytes
		switch block.Type {
		case "PUBLIC KEY":
		case "CERTIFICATE":
			return pinOfCertDER(der)
		default:
			return Pin{}, fmt.Errorf("PEM block %q: want PUBLIC KEY or CERTIFICATE", block.Type)
		}
	} else if bytes.Contains(data, []byte("-----BEGIN")) {
		return Pin{}, errors.New("no valid PEM block")
	}
	if _, err := x509.ParsePKIXPublicKey(der); err == nil {
		return sha256.Sum256(der), nil
	}
	if p, err := pinOfCertDER(der); err == nil {
		return p, nil
	}
	return Pin{}, errors.New("not a public key or certificate in PEM or DER form")
}

func pinOfCertDER(der []byte) (Pin, error) {
	c, err := x509.ParseCertificate(der)
	if err != nil {
		return Pin{}, err
	}
	return PinOf(c), nil
}

// A Fingerprint is the SHA-256 digest of a whole certificate (its DER
// form), as "openssl x509 -fingerprint -sha256" shows it.
type Fingerprint [sha256.Size]byte

// FingerprintOf returns the fingerprint of a certificate.
func FingerprintOf(cert *x509.Certificate) Fingerprint { return sha256.Sum256(cert.Raw) }

// String returns the fingerprint as upper-case hex bytes separated by
// colons.
func (f Fingerprint) String() string {
	h := strings.ToUpper(hex.EncodeToString(f[:]))
	var b strings.Builder
	for i := 0; i < len(h); i += 2 {
		if i > 0 {
			b.WriteByte(':')
		}
		b.WriteString(h[i : i+2])
	}
	return b.String()
}

// ParseFingerprint is the inverse of Fingerprint.String; it also takes
// lower case and hex without colons.
func ParseFingerprint(s string) (Fingerprint, error) {
	raw, err := hex.DecodeString(strings.ReplaceAll(s, ":", ""))
	if err != nil || len(raw) != sha256.Size {
		return Fingerprint{}, fmt.Errorf("fingerprint %q: want 32 hex bytes", s)
	}
	return Fingerprint(raw), nil
}
