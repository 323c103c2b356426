package trust

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"strings"

	"github.com/youmark/pkcs8"
)

// ErrNoKey reports PEM data without a private key: --cert without --key
// needs both in one file.
var ErrNoKey = errors.New("no private key (give it with --key, or put it in the --cert file)")

// ErrWrongPassphrase reports a passphrase that does not decrypt the key.
var ErrWrongPassphrase = errors.New("wrong passphrase")

// KeyPair builds a client certificate from PEM data: certPEM holds the
// certificate (and its chain), keyPEM the private key; keyPEM may be nil
// when certPEM holds the key too. An encrypted key, legacy
// ("Proc-Type: 4,ENCRYPTED") or PKCS #8 ("ENCRYPTED PRIVATE KEY"), is
// decrypted with what passphrase returns; passphrase is called only for
// such a key. The key must match the certificate.
func KeyPair(certPEM, keyPEM []byte, passphrase func() ([]byte, error)) (tls.Certificate, error) {
	var certs []byte
	var keyBlock *pem.Block
	for rest := certPEM; ; {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			break
		}
		switch {
		case b.Type == "CERTIFICATE":
			certs = append(certs, pem.EncodeToMemory(b)...)
		case strings.HasSuffix(b.Type, "PRIVATE KEY") && keyBlock == nil:
			keyBlock = b
		}
	}
	if len(certs) == 0 {
		return tls.Certificate{}, errors.New("no CERTIFICATE in PEM form")
	}
	if keyPEM != nil {
		keyBlock = nil
		for rest := keyPEM; keyBlock == nil; {
			var b *pem.Block
			b, rest = pem.Decode(rest)
			if b == nil {
				break
			}
			if strings.HasSuffix(b.Type, "PRIVATE KEY") {
				keyBlock = b
			}
		}
	}
	if keyBlock == nil {
		return tls.Certificate{}, ErrNoKey
	}
	der, err := decryptKey(keyBlock, passphrase)
	if err != nil {
		return tls.Certificate{}, err
	}
	cert, err := tls.X509KeyPair(certs, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("%s", strings.TrimPrefix(err.Error(), "tls: "))
	}
	return cert, nil
}

// decryptKey returns the key of b in PKCS #8 DER form, decrypted.
func decryptKey(b *pem.Block, passphrase func() ([]byte, error)) ([]byte, error) {
	encrypted := b.Type == "ENCRYPTED PRIVATE KEY"
	// Legacy PEM encryption (RFC 1423) is weak and deprecated, but keys
	// that older tools made use it.
	legacy := x509.IsEncryptedPEMBlock(b)
	der := b.Bytes
	if encrypted || legacy {
		if passphrase == nil {
			return nil, errors.New("the key is encrypted and no passphrase can be asked for")
		}
		pass, err := passphrase()
		if err != nil {
			return nil, err
		}
		if encrypted {
			key, err := pkcs8.ParsePKCS8PrivateKey(b.Bytes, pass)
			if err != nil {
				return nil, fmt.Errorf("%w (or a key ferry cannot decrypt: %v)", ErrWrongPassphrase, err)
			}
			return x509.MarshalPKCS8PrivateKey(key)
		}
		der, err = x509.DecryptPEMBlock(b, pass)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrWrongPassphrase, err)
		}
	}
	key, err := parseKey(b.Type, der)
	if err != nil {
		if legacy {
			// The legacy format has no integrity check: a wrong
			// passphrase often shows only here.
			return nil, fmt.Errorf("%w: %v", ErrWrongPassphrase, err)
		}
		return nil, err
	}
	return x509.MarshalPKCS8PrivateKey(key)
}

// parseKey parses a private key in the form its PEM type names.
func parseKey(typ string, der []byte) (any, error) {
	switch typ {
	case "RSA PRIVATE KEY":
		return x509.ParsePKCS1PrivateKey(der)
	case "EC PRIVATE KEY":
		return x509.ParseECPrivateKey(der)
	case "PRIVATE KEY":
		return x509.ParsePKCS8PrivateKey(der)
	}
	return nil, fmt.Errorf("PEM block %q: want RSA PRIVATE KEY, EC PRIVATE KEY, PRIVATE KEY or ENCRYPTED PRIVATE KEY", typ)
}

// AddCAs adds the certificates of a PEM bundle to pool and returns how
// many it added; a bundle without any is an error.
func AddCAs(pool *x509.CertPool, bundle []byte) (int, error) {
	n := 0
	for rest := bundle; ; {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			break
		}
		if b.Type != "CERTIFICATE" {
			continue
		}
		c, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			return n, fmt.Errorf("certificate %d: %v", n+1, err)
		}
		pool.AddCert(c)
		n++
	}
	if n == 0 {
		return 0, errors.New("no CERTIFICATE in PEM form")
	}
	return n, nil
}
