package cmd_test

import (
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ferry-ftp/ferry/internal/ftptest"
	"github.com/ferry-ftp/ferry/internal/testsupport"
	"github.com/ferry-ftp/ferry/internal/trust"
)

// TestTLSDataConnectionVerified checks that the data connections are held
// to the same trust as the control connection: against a server whose
// data connections present a certificate of their own (another key, never
// a resumption of the control session), a CA file, a pinned key or a
// trusted certificate that the control connection passes still fails the
// listing and the download with exit 7, naming the data connection; the
// same commands against the same server without that second certificate
// work.
func TestTLSDataConnectionVerified(t *testing.T) {
	for _, dataCert := range []bool{false, true} {
		cfg := ftptest.Config{TLS: ftptest.TLSExplicit}
		if dataCert {
			cfg.DataCertHosts = []string{"127.0.0.1"}
		}
		srv := ftptest.New(t, cfg)
		testsupport.WriteFile(t, filepath.Join(srv.Root(), "f.txt"), "hello\n")
		h := newTLSHome(t)
		home := h.dir
		ca := filepath.Join(home, "ca.pem")
		testsupport.WriteFile(t, ca, string(srv.CertPEM()))
		b, _ := pem.Decode(srv.CertPEM())
		leaf, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			t.Fatal(err)
		}
		run := func(args ...string) (int, string, string) { return h.run("", args...) }
		if code, _, stderr := run("trust", "add", "--yes", "ftpes://"+srv.Addr()); code != 0 {
			t.Fatalf("trust add: exit %d\n%s", code, stderr)
		}
		store, err := trust.Load(filepath.Join(home, ".config", "ferry", trust.FileName))
		if err != nil || len(store.Entries) != 1 {
			t.Fatalf("trust store: %v %v", store, err)
		}
		url := "ftpes://user:pass@" + srv.Addr() + "/"
		for _, tc := range []struct {
			name string
			args []string
		}{
			{"trusted", nil},
			{"cacert", []string{"--cacert", ca}},
			{"pinned", []string{"--insecure", "--pinnedpubkey", trust.PinOf(leaf).String()}},
		} {
			for _, op := range [][]string{{"ls", url}, {"cat", url + "f.txt"}} {
				args := append(append([]string{}, op[0]), tc.args...)
				if tc.name != "trusted" {
					// The CA or the pin alone, without the trust store.
					os.Remove(filepath.Join(home, ".config", "ferry", trust.FileName))
				}
				code, stdout, stderr := run(append(args, op[1])...)
				want, wantOut := 0, map[string]string{"ls": "f.txt\n", "cat": "hello\n"}[op[0]]
				if dataCert {
					want, wantOut = 7, ""
				}
				if code != want || stdout != wantOut {
					t.Errorf("data certificate %v, %s %s: exit %d, stdout %q; want %d, %q\nstderr:\n%s", dataCert, tc.name, op[0], code, stdout, want, wantOut, stderr)
				}
				if dataCert && testing.Verbose() {
					t.Logf("%s %s: %s", tc.name, op[0], stderr)
				}
				if dataCert && !strings.Contains(stderr, "data connection TLS handshake") {
					t.Errorf("%s %s: stderr does not name the data connection:\n%s", tc.name, op[0], stderr)
				}
			}
		}
	}
}
