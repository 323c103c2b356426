package trust

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/ferry-ftp/ferry/client"
)

// Policy is what a server's certificate must satisfy, and what ferry shows
// a server that asks for a client certificate. Its checks run in this
// order, on the control connection and on every data connection:
//
//  1. The TLS version must be at least MinVersion.
//  2. Unless Insecure is set or Trusted holds an entry for the server, the
//     chain must lead to a root of Roots (the system's roots plus
//     --cacert's), be valid now and name the host dialed; crypto/tls
//     does this.
//  3. With Pins, the public key of the server's certificate must be one of
//     them, even with Insecure (as curl's --pinnedpubkey with -k).
//  4. With a Trusted entry and without Insecure, the certificate must be
//     exactly the one stored: its name, issuer and dates are not checked
//     again, since the user accepted them when adding it.
type Policy struct {
	// Addr is the server's host:port, for messages.
	Addr string
	// Roots are the trusted roots; nil means the system's.
	Roots *x509.CertPool
	// Pins, when not empty, are the only public keys accepted.
	Pins []Pin
	// Trusted is the trust store's entry for Addr, or nil.
	Trusted *Entry
	// Insecure turns off checks 2 and 4.
	Insecure bool
	// MinVersion is the lowest TLS version accepted (tls.VersionTLS12 when
	// zero).
	MinVersion uint16
	// Certificate, when set, is the client certificate sent to a server
	// that asks for one.
	Certificate *tls.Certificate
}

// Config returns a TLS configuration that enforces the policy. ServerName
// is left for the FTP engine to set to the host it dials.
func (p *Policy) Config() *tls.Config {
	cfg := &tls.Config{RootCAs: p.Roots, MinVersion: p.MinVersion}
	if cfg.MinVersion == 0 {
		cfg.MinVersion = tls.VersionTLS12
	}
	if p.Certificate != nil {
		// Sent whatever CAs the server says it accepts, as curl and
		// OpenSSL do: crypto/tls's own choice from Certificates would
		// send nothing when the server's list does not name the issuer.
		cert := p.Certificate
		cfg.GetClientCertificate = func(*tls.CertificateRequestInfo) (*tls.Certificate, error) { return cert, nil }
	}
	trusted := p.Trusted != nil && !p.Insecure
	cfg.InsecureSkipVerify = p.Insecure || trusted
	if len(p.Pins) == 0 && !trusted {
		return cfg
	}
	pins, addr := slices.Clone(p.Pins), p.Addr
	var stored *Entry
	if trusted {
		e := *p.Trusted
		stored = &e
	}
	// VerifyConnection runs after crypto/tls's own verification, on every
	// handshake, resumed ones included (where PeerCertificates are the
	// session's), and whatever InsecureSkipVerify says.
	cfg.VerifyConnection = func(cs tls.ConnectionState) error {
		if len(cs.PeerCertificates) == 0 {
			return errors.New("the server sent no certificate")
		}
		leaf := cs.PeerCertificates[0]
		if len(pins) > 0 {
			if got := PinOf(leaf); !slices.Contains(pins, got) {
				return &PinError{Addr: addr, Got: got, Want: pins}
			}
		}
		if stored != nil {
			if got := FingerprintOf(leaf); got != stored.Fingerprint {
				return &ChangedError{Addr: addr, Stored: stored.Fingerprint, Got: got, Subject: leaf.Subject.String()}
			}
		}
		return nil
	}
	return cfg
}

// PinError is a server whose public key is not among the pinned ones.
type PinError struct {
	Addr string
	Got  Pin
	Want []Pin
}

func (e *PinError) Error() string {
	want := make([]string, len(e.Want))
	for i, p := range e.Want {
		want[i] = p.String()
	}
	return fmt.Sprintf("public key of %s is not pinned: the server's key is %s, --pinnedpubkey accepts %s",
		e.Addr, e.Got, strings.Join(want, ";"))
}

// ChangedError is a server whose certificate is not the one its trust
// store entry holds.
type ChangedError struct {
	Addr    string
	Stored  Fingerprint
	Got     Fingerprint
	Subject string // of the certificate the server sent
}

func (e *ChangedError) Error() string {
	return fmt.Sprintf("the certificate of %s is not the one trusted with 'ferry trust add': trusted SHA-256 %s; the server presents SHA-256 %s (%s)",
		e.Addr, e.Stored, e.Got, Printable(e.Subject))
}

// Printable returns a field of a certificate (a subject, an issuer, a
// name) as ferry prints it: with control characters, CR and LF among them,
// and invalid UTF-8 escaped (client.Sanitize), since a server chooses what
// its certificate says. Every certificate field ferry prints goes through
// it.
func Printable(field string) string { return client.Sanitize(field) }
