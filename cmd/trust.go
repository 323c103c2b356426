package cmd

import (
	"bufio"
	"context"
	"crypto/x509"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/ferry-ftp/ferry/client"
	"github.com/ferry-ftp/ferry/internal/ftpurl"
	"github.com/ferry-ftp/ferry/internal/trust"
	"github.com/ferry-ftp/ferry/ops"
)

// NewCmdTrust returns `ferry trust` and its sub-commands.
func NewCmdTrust(f *Factory) *cobra.Command {
	c := &cobra.Command{
		Use:   "trust",
		Short: "Trust a server's certificate on first use (add, list, rm)",
		Long: `Trust a TLS server's own certificate, as ssh trusts host keys: 'ferry trust
add URL' connects, shows the certificate (subject, issuer, validity, names,
SHA-256 fingerprint, public key pin) and, once you confirm (or with --yes),
stores it in $XDG_CONFIG_HOME/ferry/trusted.toml under the server's host
and port. From then on that exact certificate is accepted for that host and
port without --insecure, even when it is self-signed, names another host
or has expired (you saw its dates when you added it); any other
certificate there is refused (exit 7) with both fingerprints shown, even
one a CA vouches for, until 'ferry trust rm HOST[:PORT]'.

Checks run in this order: the TLS version (--tls-min); unless the server
is trusted here or --insecure is given, the CA chain (system roots and
--cacert), dates and host name; the pinned keys (--pinnedpubkey, even with
--insecure); then, for a trusted server, the exact certificate. Data
connections are checked like the control connection.`,
		Example: `  ferry trust add ftpes://ftp.example.org
  ferry trust add --yes ftps://ftp.example.org:990
  ferry trust list
  ferry trust list --json
  ferry trust rm ftp.example.org:21`,
	}
	c.AddCommand(newTrustAdd(f), newTrustList(f), newTrustRm(f))
	return c
}

func newTrustAdd(f *Factory) *cobra.Command {
	var yes, replace bool
	c := &cobra.Command{
		Use:   "add URL",
		Short: "Show a server's certificate and trust it",
		Long: `Connect to URL (implicit TLS for ftps://, AUTH TLS otherwise), show the
server's certificate, and store it as trusted for that host and port once
you answer yes on a terminal, or with --yes. Without a terminal and
without --yes nothing is stored (exit 2); answering no stores nothing
(exit 1). Only the host and port of URL matter: no login is made.

When another certificate is trusted for that host and port already, it is
replaced only with --replace: without it, nothing is stored and the exit
code is 7, with both fingerprints shown, so that a script that always
gives --yes still trusts a server on first use only.`,
		Example: `  ferry trust add ftpes://ftp.example.org
  ferry trust add --yes ftps://ftp.example.org:990
  ferry trust add --replace ftpes://ftp.example.org
  ferry trust add work:`,
		Args: exactArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			return trustAdd(c.Context(), f, args[0], yes, replace)
		},
	}
	c.Flags().BoolVarP(&yes, "yes", "y", false, "trust the certificate without asking")
	c.Flags().BoolVar(&replace, "replace", false, "replace a different certificate trusted for the host and port (without it, that is exit 7)")
	return c
}

// trustAdd runs `ferry trust add`.
func trustAdd(ctx context.Context, f *Factory, addr string, yes, replace bool) error {
	if !yes && !(f.IO.StdinTTY && f.IO.StderrTTY) {
		return usageErrorf("ferry trust add asks before it trusts a certificate, and stdin is not a terminal: give --yes to trust it without asking")
	}
	r, err := f.Resolve(addr)
	if err != nil {
		return err
	}
	leaf, chain, err := fetchCertificate(ctx, f, r)
	if err != nil {
		return err
	}
	p, err := f.tlsPolicy(r)
	if err != nil {
		return err
	}
	key := p.Addr
	e := trust.NewEntry(key, leaf, time.Now())
	if f.Opts.JSON {
		if err := ops.WriteJSON(f.IO.Out, entryJSON(e, leaf)); err != nil {
			return err
		}
	} else {
		printCertificate(f.IO.Out, key, leaf, verifyNote(leaf, chain, p.Roots, r.Target.Host))
	}
	store, err := f.files().trustStore(f)
	if err != nil {
		return err
	}
	old := store.Lookup(key)
	switch {
	case old != nil && old.Fingerprint == e.Fingerprint:
		f.Status("this certificate is trusted for %s already", key)
		return nil
	case old != nil && !replace:
		return &client.Error{Kind: client.KindTLS, Op: "trust add", Err: fmt.Errorf(
			"another certificate is trusted for %s since %s (SHA-256 %s); the server presents SHA-256 %s: nothing stored; "+
				"if the server's certificate was replaced on purpose (check the new fingerprint with its administrator), give --replace",
			key, old.Added.Format("2006-01-02"), old.Fingerprint, e.Fingerprint)}
	case old != nil:
		f.Warn("this replaces the certificate trusted for %s since %s (SHA-256 %s)", key, old.Added.Format("2006-01-02"), old.Fingerprint)
	}
	if !yes {
		ok, err := confirm(f, fmt.Sprintf("Trust this certificate for %s? [y/N] ", key))
		if err != nil {
			return err
		}
		if !ok {
			return fmt.Errorf("not trusted: nothing was stored")
		}
	}
	store.Add(e)
	if err := store.Save(); err != nil {
		return err
	}
	f.Status("trusted for %s (stored in %s)", key, store.Path())
	return nil
}

// fetchCertificate connects to r far enough to see its certificate:
// through the TLS handshake, without verifying it and without logging in.
// The client certificate and --tls-min still apply.
func fetchCertificate(ctx context.Context, f *Factory, r Remote) (*x509.Certificate, []*x509.Certificate, error) {
	p, err := f.tlsPolicy(r)
	if err != nil {
		return nil, nil, err
	}
	p.Insecure, p.Pins = true, nil
	opts, err := f.clientOptions(r, nil)
	if err != nil {
		return nil, nil, err
	}
	mode := client.TLSExplicit
	if r.Target.Scheme == ftpurl.SchemeFTPS {
		mode = client.TLSImplicit
	}
	opts = append(opts, client.WithTLS(mode), client.WithTLSConfig(p.Config()))
	c, err := client.Dial(ctx, r.Target.Addr(), opts...)
	if err != nil {
		return nil, nil, err
	}
	defer func() {
		qctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
		defer cancel()
		c.Quit(qctx)
	}()
	st, ok := c.TLSState()
	if !ok || len(st.PeerCertificates) == 0 {
		return nil, nil, &client.Error{Kind: client.KindTLS, Op: "TLS handshake", Err: fmt.Errorf("the server sent no certificate")}
	}
	return st.PeerCertificates[0], st.PeerCertificates[1:], nil
}

// verifyNote says whether the certificate passes the usual checks (CA,
// dates, name) without the trust store.
func verifyNote(leaf *x509.Certificate, chain []*x509.Certificate, roots *x509.CertPool, host string) string {
	inter := x509.NewCertPool()
	for _, c := range chain {
		inter.AddCert(c)
	}
	if _, err := leaf.Verify(x509.VerifyOptions{Roots: roots, Intermediates: inter, DNSName: strings.Trim(host, "[]")}); err != nil {
		return "no: " + err.Error()
	}
	return "yes: a trusted CA vouches for it (trusting it here pins this exact certificate)"
}

// printCertificate shows what a user needs to decide.
func printCertificate(w io.Writer, addr string, c *x509.Certificate, verified string) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	valid := fmt.Sprintf("%s to %s", c.NotBefore.UTC().Format(time.DateTime+" MST"), c.NotAfter.UTC().Format(time.DateTime+" MST"))
	switch now := time.Now(); {
	case now.After(c.NotAfter):
		valid += " (EXPIRED)"
	case now.Before(c.NotBefore):
		valid += " (NOT YET VALID)"
	}
	names := sanNames(c)
	if len(names) == 0 {
		names = []string{"(none)"}
	}
	for _, row := range [][2]string{
		{"Server", addr},
		{"Subject", c.Subject.String()},
		{"Issuer", c.Issuer.String()},
		{"Valid", valid},
		{"Names", strings.Join(names, ", ")},
		{"SHA-256", trust.FingerprintOf(c).String()},
		{"Public key", trust.PinOf(c).String()},
		{"CA-verified", verified},
	} {
		fmt.Fprintf(tw, "%s:\t%s\n", row[0], trust.Printable(row[1]))
	}
	tw.Flush()
}

// sanNames returns the subject alternative names of c.
func sanNames(c *x509.Certificate) []string {
	names := append([]string(nil), c.DNSNames...)
	for _, ip := range c.IPAddresses {
		names = append(names, ip.String())
	}
	for _, u := range c.URIs {
		names = append(names, u.String())
	}
	return append(names, c.EmailAddresses...)
}

// confirm asks a yes/no question on the terminal; only y or yes is yes.
func confirm(f *Factory, question string) (bool, error) {
	fmt.Fprint(f.IO.ErrOut, question)
	line, err := bufio.NewReader(f.IO.In).ReadString('\n')
	if err != nil && line == "" {
		if err == io.EOF {
			fmt.Fprintln(f.IO.ErrOut)
			return false, nil
		}
		return false, fmt.Errorf("reading the answer: %w", err)
	}
	switch strings.ToLower(strings.TrimSpace(line)) {
	case "y", "yes":
		return true, nil
	}
	return false, nil
}

// trustJSON is an entry of `ferry trust list --json` and `trust add --json`.
type trustJSON struct {
	Addr      string    `json:"addr"`
	SHA256    string    `json:"sha256"`
	PublicKey string    `json:"public_key,omitempty"`
	Subject   string    `json:"subject"`
	Issuer    string    `json:"issuer"`
	Names     []string  `json:"names,omitempty"`
	NotBefore time.Time `json:"not_before"`
	NotAfter  time.Time `json:"not_after"`
	Added     time.Time `json:"added,omitzero"`
}

// entryJSON describes e; leaf, when known, adds its names and pin.
func entryJSON(e trust.Entry, leaf *x509.Certificate) trustJSON {
	j := trustJSON{Addr: e.Addr, SHA256: e.Fingerprint.String(), Subject: e.Subject, Issuer: e.Issuer,
		NotBefore: e.NotBefore, NotAfter: e.NotAfter, Added: e.Added}
	if leaf != nil {
		j.PublicKey, j.Names, j.Added = trust.PinOf(leaf).String(), sanNames(leaf), time.Time{}
	}
	return j
}

func newTrustList(f *Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List the trusted certificates",
		Example: `  ferry trust list
  ferry trust list --json`,
		Args: exactArgs(0),
		RunE: func(c *cobra.Command, _ []string) error {
			store, err := f.files().trustStore(f)
			if err != nil {
				return err
			}
			if f.Opts.JSON {
				out := []trustJSON{}
				for _, e := range store.Entries {
					out = append(out, entryJSON(e, nil))
				}
				return ops.WriteJSON(f.IO.Out, out)
			}
			tw := tabwriter.NewWriter(f.IO.Out, 0, 4, 2, ' ', 0)
			for _, e := range store.Entries {
				until := "expires " + e.NotAfter.Format(time.DateOnly)
				if time.Now().After(e.NotAfter) {
					until = "expired " + e.NotAfter.Format(time.DateOnly)
				}
				fmt.Fprintf(tw, "%s\tSHA-256 %s\t%s\t%s\n", e.Addr, e.Fingerprint, until, trust.Printable(e.Subject))
			}
			return tw.Flush()
		},
	}
}

func newTrustRm(f *Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "rm HOST[:PORT]...",
		Short: "Stop trusting certificates (every port of HOST without :PORT)",
		Example: `  ferry trust rm ftp.example.org:21
  ferry trust rm ftp.example.org
  ferry trust rm '[2001:db8::1]:990'`,
		Args: minArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			store, err := f.files().trustStore(f)
			if err != nil {
				return err
			}
			for _, a := range args {
				host, port, err := splitTrustArg(a)
				if err != nil {
					return err
				}
				gone := store.Remove(host, port)
				if len(gone) == 0 {
					return usageErrorf("no certificate is trusted for %q (see 'ferry trust list')", a)
				}
				for _, e := range gone {
					f.Status("no longer trusted: %s (SHA-256 %s)", e.Addr, e.Fingerprint)
				}
			}
			return store.Save()
		},
	}
}

// splitTrustArg reads HOST, HOST:PORT, [IPv6] or [IPv6]:PORT; port 0 means
// any port. A bare IPv6 address is taken whole.
func splitTrustArg(a string) (string, int, error) {
	if a == "" || strings.ContainsAny(a, "/@ ") {
		return "", 0, usageErrorf("%q: want HOST or HOST:PORT, as 'ferry trust list' shows them", a)
	}
	if h, p, err := net.SplitHostPort(a); err == nil {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return "", 0, usageErrorf("%q: the port must be a number from 1 to 65535", a)
		}
		return h, n, nil
	}
	return strings.Trim(a, "[]"), 0, nil
}
