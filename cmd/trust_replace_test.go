package cmd_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/ferry-ftp/ferry/internal/ftptest"
	"github.com/ferry-ftp/ferry/internal/testsupport"
)

// `ferry trust add --yes` never replaces a different certificate trusted
// for the host and port: that is exit 7 with both fingerprints, nothing
// stored, unless --replace is given.
func TestTrustAddReplace(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{TLS: ftptest.TLSExplicit})
	testsupport.WriteFile(t, filepath.Join(srv.Root(), "f.txt"), "hello\n")
	h := newTLSHome(t)
	store := filepath.Join(h.dir, ".config", "ferry", "trusted.toml")
	addr := "ftpes://" + srv.Addr() + "/"
	url := "ftpes://user:pass@" + srv.Addr() + "/"

	h.want(0, nil, "trust", "add", "--yes", addr)
	data, err := os.ReadFile(store)
	if err != nil {
		t.Fatal(err)
	}
	fp := regexp.MustCompile(`sha256 = '([0-9A-F:]+)'|sha256 = "([0-9A-F:]+)"`).FindSubmatch(data)
	if fp == nil {
		t.Fatalf("no fingerprint in the store:\n%s", data)
	}
	real := string(fp[1]) + string(fp[2])
	// Another certificate trusted for the same host and port.
	other := strings.TrimSuffix(strings.Repeat("AB:", 32), ":")
	changed := strings.Replace(string(data), real, other, 1)
	testsupport.WriteFile(t, store, changed)
	if err := os.Chmod(store, 0o600); err != nil {
		t.Fatal(err)
	}

	h.want(7, []string{"SHA-256 " + other, "SHA-256 " + real, "--replace", "nothing stored"}, "trust", "add", "--yes", addr)
	if got, _ := os.ReadFile(store); string(got) != changed {
		t.Errorf("the store changed without --replace:\n%s", got)
	}
	h.want(7, []string{other}, "ls", url)

	h.want(0, []string{"this replaces the certificate"}, "trust", "add", "--yes", "--replace", addr)
	if got, _ := os.ReadFile(store); strings.Contains(string(got), other) || !strings.Contains(string(got), real) {
		t.Errorf("--replace did not replace the certificate:\n%s", got)
	}
	if out := h.want(0, nil, "ls", url); out != "f.txt\n" {
		t.Errorf("ls printed %q", out)
	}
}
