package interop

import (
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/youmark/pkcs8"

	"github.com/ferry-ftp/ferry/cmd"
	"github.com/ferry-ftp/ferry/internal/realserver"
	"github.com/ferry-ftp/ferry/internal/testsupport"
	"github.com/ferry-ftp/ferry/internal/trust"
)

// trustCLI runs ferry's command line against one server with a home
// folder of its own (where the trust store lives) and the environment
// variables the test sets.
type trustCLI struct {
	t    *testing.T
	s    *realserver.Server
	home string
	env  map[string]string
}

func newTrustCLI(t *testing.T, s *realserver.Server) *trustCLI {
	return &trustCLI{t: t, s: s, home: t.TempDir(), env: map[string]string{}}
}

// run runs a command line (the command first) and returns its exit code
// and output.
func (c *trustCLI) run(args ...string) (code int, stdout, stderr string) {
	c.t.Helper()
	var out, errOut testsupport.LockedBuffer
	f := &cmd.Factory{
		IO:     &cmd.IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut},
		Opts:   &cmd.GlobalOptions{},
		Getenv: func(k string) string { return c.env[k] },
		Home:   func() (string, error) { return c.home, nil },
	}
	full := append([]string{args[0], "--config", filepath.Join(c.home, "none.toml"), "--no-progress",
		"--timeout", "20s", "--retries", "0"}, args[1:]...)
	code = cmd.Run(c.t.Context(), f, full)
	c.t.Logf("$ ferry %s\n(exit %d)\n%s%s", strings.Join(redact(full), " "), code, out.String(), errOut.String())
	return code, out.String(), errOut.String()
}

// url returns the server's ftpes:// URL for path, with the credentials.
func (c *trustCLI) url(path string) string {
	return fmt.Sprintf("ftpes://%s:%s@%s/%s", c.s.User, c.s.Password, c.s.Addr, path)
}

// want checks an exit code and that stderr holds each of subs.
func (c *trustCLI) want(code, wantCode int, stderr string, subs ...string) {
	c.t.Helper()
	if code != wantCode {
		c.t.Errorf("exit code %d, want %d; stderr:\n%s", code, wantCode, stderr)
	}
	for _, s := range subs {
		if !strings.Contains(stderr, s) {
			c.t.Errorf("stderr lacks %q:\n%s", s, stderr)
		}
	}
}

// leafOf reads the certificate in a PEM file.
func leafOf(t *testing.T, path string) *x509.Certificate {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := pem.Decode(data)
	if b == nil {
		t.Fatalf("%s: no PEM", path)
	}
	c, err := x509.ParseCertificate(b.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestTrustClientCertificate runs ferry against vsftpd with require_cert,
// validate_cert and ca_certs_file naming a CA made for the run, which also
// signed the server's certificate. Without --cacert the server's
// certificate is refused (exit 7, with the hint naming every way out);
// without a client certificate the server drops the handshake (exit 7,
// saying that it demands one); with one signed by the CA, given as --cert
// and --key, in one file, or with its key encrypted (PKCS #8 and legacy
// PEM, the passphrase from $FERRY_KEY_PASSWORD), control and data
// connections work. An encrypted key without its passphrase, a wrong
// passphrase, a missing key file and an unreadable --cacert name the file
// (exit 2 or 6).
func TestTrustClientCertificate(t *testing.T) {
	skipShort(t)
	s := realserver.StartOrSkip(t, realserver.Vsftpd, realserver.Options{TLS: realserver.TLSExplicit,
		Cert: realserver.CertCA, RequireClientCert: true})
	c := newTrustCLI(t, s)
	certPEM, keyPEM, err := realserver.ClientCertificate("alice")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	file := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		testsupport.WriteFile(t, p, string(data))
		return p
	}
	certFile, keyFile := file("client.pem", certPEM), file("client.key", keyPEM)
	both := file("both.pem", append(append([]byte{}, certPEM...), keyPEM...))
	b, _ := pem.Decode(keyPEM)
	key, err := x509.ParsePKCS8PrivateKey(b.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	enc, err := pkcs8.MarshalPrivateKey(key, []byte("open sesame"), nil)
	if err != nil {
		t.Fatal(err)
	}
	p8File := file("p8.key", pem.EncodeToMemory(&pem.Block{Type: "ENCRYPTED PRIVATE KEY", Bytes: enc}))
	ec, err := x509.MarshalECPrivateKey(key.(*ecdsa.PrivateKey))
	if err != nil {
		t.Fatal(err)
	}
	lb, err := x509.EncryptPEMBlock(rand.Reader, "EC PRIVATE KEY", ec, []byte("open sesame"), x509.PEMCipherAES256)
	if err != nil {
		t.Fatal(err)
	}
	legacyFile := file("legacy.key", pem.EncodeToMemory(lb))
	testsupport.WriteFile(t, filepath.Join(s.Home, "f.txt"), "hello\n")

	code, _, stderr := c.run("ls", "--cert", certFile, "--key", keyFile, c.url(""))
	c.want(code, 7, stderr, "certificate signed by unknown authority", "--cacert FILE", "'ferry trust add URL'", "--pinnedpubkey", "--insecure")
	code, _, stderr = c.run("ls", "--cacert", s.CAFile, c.url(""))
	c.want(code, 7, stderr, "certificate required", "the server demands a client certificate: give it with --cert FILE")

	for _, tc := range []struct {
		name string
		args []string
		pass string
	}{
		{"cert and key", []string{"--cert", certFile, "--key", keyFile}, ""},
		{"one file", []string{"--cert", both}, ""},
		{"PKCS #8 encrypted key", []string{"--cert", certFile, "--key", p8File}, "open sesame"},
		{"legacy encrypted key", []string{"--cert", certFile, "--key", legacyFile}, "open sesame"},
	} {
		c.env["FERRY_KEY_PASSWORD"] = tc.pass
		args := append(append([]string{"cat", "--cacert", s.CAFile}, tc.args...), c.url("f.txt"))
		code, stdout, stderr := c.run(args...)
		c.want(code, 0, stderr)
		if stdout != "hello\n" {
			t.Errorf("%s: cat printed %q", tc.name, stdout)
		}
		if strings.Contains(stderr, "open sesame") {
			t.Errorf("%s: the passphrase was printed", tc.name)
		}
	}
	c.env["FERRY_KEY_PASSWORD"] = ""
	code, _, stderr = c.run("ls", "--cacert", s.CAFile, "--cert", certFile, "--key", p8File, c.url(""))
	c.want(code, 2, stderr, p8File, "FERRY_KEY_PASSWORD")
	c.env["FERRY_KEY_PASSWORD"] = "wrong"
	code, _, stderr = c.run("ls", "--cacert", s.CAFile, "--cert", certFile, "--key", p8File, c.url(""))
	c.want(code, 2, stderr, p8File, "wrong passphrase")
	code, _, stderr = c.run("ls", "--cacert", s.CAFile, "--cert", certFile, "--key", filepath.Join(dir, "missing.key"), c.url(""))
	c.want(code, 6, stderr, "missing.key")
	code, _, stderr = c.run("ls", "--cacert", filepath.Join(dir, "missing.pem"), c.url(""))
	c.want(code, 6, stderr, "missing.pem")
	code, _, stderr = c.run("ls", "--cacert", keyFile, c.url(""))
	c.want(code, 2, stderr, keyFile, "no CERTIFICATE")
}

// TestTrustSelfSigned runs ferry against vsftpd presenting a self-signed
// certificate of its own: --pinnedpubkey with the right key works with
// --insecure or --cacert (a pin does not replace CA verification, as in
// curl), a wrong pin is exit 7 showing both pins; 'ferry trust add --yes'
// stores the certificate (file 0600, folder 0700) after which ls works
// without --insecure; after the server restarts with a new certificate,
// ls is exit 7 with both fingerprints and the 'ferry trust rm' hint; and
// after 'ferry trust rm' the certificate is an unknown one again.
func TestTrustSelfSigned(t *testing.T) {
	skipShort(t)
	s := realserver.StartOrSkip(t, realserver.Vsftpd, realserver.Options{TLS: realserver.TLSExplicit, Cert: realserver.CertOwn})
	c := newTrustCLI(t, s)
	leaf := leafOf(t, s.CertFile)
	pin, fp := trust.PinOf(leaf).String(), trust.FingerprintOf(leaf).String()
	wrong := "sha256//" + strings.Repeat("A", 43) + "="

	code, _, stderr := c.run("ls", "--pinnedpubkey", pin, c.url(""))
	c.want(code, 7, stderr, "certificate signed by unknown authority")
	code, _, stderr = c.run("ls", "--pinnedpubkey", wrong+";"+pin, "--insecure", c.url(""))
	c.want(code, 0, stderr)
	code, _, stderr = c.run("ls", "--pinnedpubkey", s.CertFile, "--cacert", s.CertFile, c.url(""))
	c.want(code, 0, stderr)
	code, _, stderr = c.run("ls", "--pinnedpubkey", wrong, "--insecure", c.url(""))
	c.want(code, 7, stderr, "is not pinned", pin, wrong)

	store := filepath.Join(c.home, ".config", "ferry", trust.FileName)
	code, _, stderr = c.run("trust", "add", c.url(""))
	c.want(code, 2, stderr, "--yes")
	if _, err := os.Stat(store); !os.IsNotExist(err) {
		t.Fatalf("trust add without --yes left %s (%v)", store, err)
	}
	code, stdout, stderr := c.run("trust", "add", "--yes", c.url(""))
	c.want(code, 0, stderr)
	for _, want := range []string{"Subject:", "CN=localhost (own certificate)", "Issuer:", "Valid:", "Names:", "127.0.0.1",
		"SHA-256:", fp, "Public key:", pin, "CA-verified:", "no: x509: certificate signed by unknown authority"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("trust add printed no %q:\n%s", want, stdout)
		}
	}
	for p, mode := range map[string]os.FileMode{store: 0o600, filepath.Dir(store): 0o700 | os.ModeDir} {
		if fi, err := os.Stat(p); err != nil || fi.Mode() != mode {
			t.Errorf("%s: %v %v, want mode %v", p, fi.Mode(), err, mode)
		}
	}
	code, stdout, stderr = c.run("trust", "list")
	c.want(code, 0, stderr)
	if !strings.HasPrefix(stdout, s.Addr+"  SHA-256 "+fp) {
		t.Errorf("trust list printed %q", stdout)
	}
	testsupport.WriteFile(t, filepath.Join(s.Home, "f.txt"), "hello\n")
	code, stdout, stderr = c.run("cat", c.url("f.txt"))
	c.want(code, 0, stderr)
	if stdout != "hello\n" {
		t.Errorf("cat printed %q", stdout)
	}

	if err := s.Restart(t.Context()); err != nil {
		t.Fatal(err)
	}
	fp2 := trust.FingerprintOf(leafOf(t, s.CertFile)).String()
	if fp2 == fp {
		t.Fatal("the restarted server kept its certificate")
	}
	code, _, stderr = c.run("ls", c.url(""))
	c.want(code, 7, stderr, "trusted SHA-256 "+fp, "the server presents SHA-256 "+fp2, "ferry trust rm "+s.Addr)

	code, _, stderr = c.run("trust", "rm", s.Addr)
	c.want(code, 0, stderr, "no longer trusted: "+s.Addr)
	code, _, stderr = c.run("ls", c.url(""))
	c.want(code, 7, stderr, "certificate signed by unknown authority")
}
