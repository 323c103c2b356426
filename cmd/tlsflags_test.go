package cmd_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/youmark/pkcs8"

	"github.com/ferry-ftp/ferry/cmd"
	"github.com/ferry-ftp/ferry/internal/ftptest"
	"github.com/ferry-ftp/ferry/internal/testsupport"
)

// tlsHome is a home folder (with its trust store) and a configuration
// file for running ferry in-process with cmd.Run.
type tlsHome struct {
	t      *testing.T
	dir    string
	config string
	env    map[string]string
	// tty makes stdin and stderr terminals, as far as ferry can tell.
	tty bool
	// readPassword, when set, is the terminal's password reader.
	readPassword func(prompt string) (string, error)
}

func newTLSHome(t *testing.T) *tlsHome {
	dir := t.TempDir()
	return &tlsHome{t: t, dir: dir, config: filepath.Join(dir, "config.toml"), env: map[string]string{}}
}

// run runs ferry with args (global flags first if any) and returns the
// exit code and output; stdin is the given text.
func (h *tlsHome) run(stdin string, args ...string) (int, string, string) {
	var out, errOut testsupport.LockedBuffer
	f := &cmd.Factory{
		IO: &cmd.IOStreams{In: strings.NewReader(stdin), Out: &out, ErrOut: &errOut,
			StdinTTY: h.tty, StderrTTY: h.tty, ReadPassword: h.readPassword},
		Opts:   &cmd.GlobalOptions{},
		Getenv: func(k string) string { return h.env[k] },
		Home:   func() (string, error) { return h.dir, nil },
	}
	full := append([]string{"--config", h.config, "--retries", "0", "-q"}, args...)
	code := cmd.Run(context.Background(), f, full)
	return code, out.String(), errOut.String()
}

// want runs ferry and checks the exit code and that stderr holds each of
// subs; it returns stdout.
func (h *tlsHome) want(code int, subs []string, args ...string) string {
	h.t.Helper()
	got, stdout, stderr := h.run("", args...)
	if got != code {
		h.t.Errorf("ferry %s: exit %d, want %d; stderr:\n%s", strings.Join(args, " "), got, code, stderr)
	}
	for _, s := range subs {
		if !strings.Contains(stderr, s) {
			h.t.Errorf("ferry %s: stderr lacks %q:\n%s", strings.Join(args, " "), s, stderr)
		}
	}
	return stdout
}

// TestTLSFlags checks the TLS trust flags and settings against the
// in-process server: --cacert as a flag, a bookmark's setting and a
// [defaults] one; --tls-min; the pins on a trusted server and through the
// shell's open --insecure; and the usage errors and unreadable files,
// each naming the flag and the file.
func TestTLSFlags(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{TLS: ftptest.TLSExplicit})
	testsupport.WriteFile(t, filepath.Join(srv.Root(), "f.txt"), "hello\n")
	h := newTLSHome(t)
	ca := filepath.Join(h.dir, "ca.pem")
	testsupport.WriteFile(t, ca, string(srv.CertPEM()))
	notPEM := filepath.Join(h.dir, "notes.txt")
	testsupport.WriteFile(t, notPEM, "not a certificate\n")
	missing := filepath.Join(h.dir, "missing.pem")
	url := "ftpes://user:pass@" + srv.Addr() + "/"
	wrongPin := "sha256//" + strings.Repeat("A", 43) + "="
	host, port, _ := strings.Cut(srv.Addr(), ":")
	ls := func(out string) {
		t.Helper()
		if out != "f.txt\n" {
			t.Errorf("ls printed %q", out)
		}
	}

	h.want(7, []string{"certificate signed by unknown authority"}, "ls", url)
	ls(h.want(0, nil, "--cacert", ca, "ls", url))
	ls(h.want(0, nil, "--cacert", ca, "--tls-min", "1.3", "ls", url))

	// Settings: a bookmark's cacert, then [defaults]' with tls-min.
	testsupport.WriteFile(t, h.config, fmt.Sprintf("[site.secure]\nhost = %q\nport = %s\nuser = \"user\"\ntls = \"explicit\"\ncacert = %q\n", host, port, ca))
	h.env["FERRY_PASSWORD"] = "pass"
	ls(h.want(0, nil, "ls", "secure:"))
	testsupport.WriteFile(t, h.config, fmt.Sprintf("[defaults]\ncacert = %q\ntls-min = \"1.3\"\n", ca))
	ls(h.want(0, nil, "ls", url))
	testsupport.WriteFile(t, h.config, "[defaults]\ntls-min = \"1.1\"\n")
	h.want(2, []string{`tls-min = "1.1"`, `"1.2" or "1.3"`}, "ls", url)
	os.Remove(h.config)

	// Pins: on a trusted server, and in the shell's open --insecure.
	if code, _, stderr := h.run("", "trust", "add", "--yes", "ftpes://"+srv.Addr()); code != 0 {
		t.Fatalf("trust add: exit %d\n%s", code, stderr)
	}
	h.want(7, []string{"is not pinned: the server's key is sha256//", wrongPin}, "--pinnedpubkey", wrongPin, "ls", url)
	ls(h.want(0, nil, "--pinnedpubkey", ca, "ls", url))
	if code, _, stderr := h.run("", "trust", "rm", srv.Addr()); code != 0 {
		t.Fatalf("trust rm: exit %d\n%s", code, stderr)
	}
	script := filepath.Join(h.dir, "open.ftp")
	testsupport.WriteFile(t, script, "open --insecure "+url+"\nls\n")
	h.want(7, []string{"is not pinned"}, "--pinnedpubkey", wrongPin, "shell", "-b", script)
	ls(h.want(0, nil, "--pinnedpubkey", ca, "shell", "-b", script))

	// Usage errors (2) and files that cannot be read (6).
	for _, tc := range []struct {
		code int
		want string
		args []string
	}{
		{2, `--tls-min "1.1": want 1.2 or 1.3`, []string{"--tls-min", "1.1"}},
		{2, `--pinnedpubkey: pin "sha256//abc": want the base64 of 32 bytes`, []string{"--pinnedpubkey", "sha256//abc"}},
		{6, `local read --pinnedpubkey "` + missing + `": no such file`, []string{"--pinnedpubkey", missing}},
		{2, `--pinnedpubkey "` + notPEM + `": not a public key`, []string{"--pinnedpubkey", notPEM}},
		{6, `local read --cacert "` + missing + `": no such file`, []string{"--cacert", missing}},
		{2, `--cacert "` + notPEM + `": no CERTIFICATE in PEM form`, []string{"--cacert", notPEM}},
		{2, `--cert "` + ca + `": no private key`, []string{"--cert", ca}},
		{2, `--key "` + ca + `" needs --cert`, []string{"--key", ca}},
		{6, `local read --cert "` + missing + `"`, []string{"--cert", missing}},
		{6, `local read --key "` + missing + `"`, []string{"--cert", ca, "--key", missing}},
	} {
		h.want(tc.code, []string{tc.want}, append(tc.args, "ls", url)...)
	}
}

// TestTrustAddAsks checks that ferry trust add on a terminal stores the
// certificate only when the answer is yes: no, an empty line and the end
// of input store nothing and exit 1.
func TestTrustAddAsks(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{TLS: ftptest.TLSExplicit})
	h := newTLSHome(t)
	h.tty = true
	store := filepath.Join(h.dir, ".config", "ferry", "trusted.toml")
	for _, answer := range []string{"n\n", "\n", "", "nope\n"} {
		code, stdout, stderr := h.run(answer, "trust", "add", "ftpes://"+srv.Addr())
		if code != 1 || !strings.Contains(stderr, "Trust this certificate for "+srv.Addr()+"? [y/N] ") ||
			!strings.Contains(stderr, "not trusted: nothing was stored") || !strings.Contains(stdout, "SHA-256:") {
			t.Errorf("answer %q: exit %d\nstdout:\n%s\nstderr:\n%s", answer, code, stdout, stderr)
		}
		if _, err := os.Stat(store); !os.IsNotExist(err) {
			t.Fatalf("answer %q: the store exists (%v)", answer, err)
		}
	}
	if code, _, stderr := h.run("yes\n", "trust", "add", "ftpes://"+srv.Addr()); code != 0 {
		t.Fatalf("answer yes: exit %d\n%s", code, stderr)
	}
	if _, err := os.Stat(store); err != nil {
		t.Fatalf("answer yes: %v", err)
	}
}

// TestKeyPassphrase checks where the passphrase of an encrypted client key
// comes from: $FERRY_KEY_PASSWORD first, else the terminal's password
// reader (the login prompt's) with a prompt naming the key file, asked
// once for a command; it is never printed.
func TestKeyPassphrase(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{TLS: ftptest.TLSExplicit})
	h := newTLSHome(t)
	ca := filepath.Join(h.dir, "ca.pem")
	testsupport.WriteFile(t, ca, string(srv.CertPEM()))
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: "client"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	enc, err := pkcs8.MarshalPrivateKey(key, []byte("hunter2"), nil)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile := filepath.Join(h.dir, "client.pem"), filepath.Join(h.dir, "client.key")
	testsupport.WriteFile(t, certFile, string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})))
	testsupport.WriteFile(t, keyFile, string(pem.EncodeToMemory(&pem.Block{Type: "ENCRYPTED PRIVATE KEY", Bytes: enc})))
	url := "ftpes://user:pass@" + srv.Addr() + "/"
	args := []string{"--cacert", ca, "--cert", certFile, "--key", keyFile, "mkdir", url + "a", url + "b"}

	var prompts []string
	h.tty = true
	h.readPassword = func(p string) (string, error) { prompts = append(prompts, p); return "hunter2", nil }
	code, stdout, stderr := h.run("", args...)
	if code != 0 || len(prompts) != 1 || prompts[0] != "Passphrase for "+keyFile+": " {
		t.Errorf("on a terminal: exit %d, prompts %q\n%s", code, prompts, stderr)
	}
	h.env["FERRY_KEY_PASSWORD"] = "hunter2"
	prompts = nil
	args[7], args[8] = url+"c", url+"d"
	code, stdout2, stderr2 := h.run("", args...)
	if code != 0 || len(prompts) != 0 {
		t.Errorf("with $FERRY_KEY_PASSWORD: exit %d, prompts %q\n%s", code, prompts, stderr2)
	}
	if strings.Contains(stdout+stderr+stdout2+stderr2, "hunter2") {
		t.Error("the passphrase was printed")
	}
	for _, d := range []string{"a", "b", "c", "d"} {
		if fi, err := os.Stat(filepath.Join(srv.Root(), d)); err != nil || !fi.IsDir() {
			t.Errorf("folder %s: %v", d, err)
		}
	}
}
