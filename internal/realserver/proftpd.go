package realserver

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// startProFTPD configures proftpd 1.3.8 as a standalone server in the
// foreground (-n). It starts as root, serves sessions as nobody, and knows
// one virtual user from AuthUserFile (a SHA-512 crypt hash) mapped to
// nobody's ids and chrooted into its home (DefaultRoot ~). mod_tls comes
// from proftpd-mod-crypto, loaded from the unpacked ModulePath.
//
// Choices:
//   - AuthOrder mod_auth_file.c: no PAM, no system accounts;
//     RequireValidShell off, UseFtpUsers off.
//   - DelayEngine off: mod_delay would slow every login down.
//   - TLS: TLSRequired on (control and data), TLSv1.2 and TLSv1.3. Session
//     reuse on data connections is required by default, as in vsftpd, and
//     is left so (no TLSOptions NoSessionReuseRequired): see
//     Server.SessionReuse. Implicit TLS is TLSOptions UseImplicitSSL.
//   - Active mode is allowed; proftpd connects from port 20 only when
//     configured to (it is not).
func startProFTPD(_ context.Context, c *config) ([]string, error) {
	c.User, c.Password = "ferry", randomString(16)
	var group string
	c.uid, c.gid, group = nobody()
	passwd := filepath.Join(c.Dir, "ftpd.passwd")
	groupFile := filepath.Join(c.Dir, "ftpd.group")
	line := fmt.Sprintf("%s:%s:%d:%d:ferry test user:%s:/bin/false\n",
		c.User, sha512Crypt(c.Password, randomString(16), 0), c.uid, c.gid, c.Home)
	if err := os.WriteFile(passwd, []byte(line), 0o600); err != nil {
		return nil, fmt.Errorf("realserver: %w", err)
	}
	if err := os.WriteFile(groupFile, []byte(fmt.Sprintf("ferry:x:%d:\n", c.gid)), 0o600); err != nil {
		return nil, fmt.Errorf("realserver: %w", err)
	}
	c.Log = filepath.Join(c.Dir, "proftpd.log")
	lo, hi := c.ports.passive()
	d := func(name string) string { return filepath.Join(c.Dir, name) }
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	w("# Written by ferry's internal/realserver.")
	w(`ServerName "ferry test proftpd"`)
	w("ServerType standalone")
	w("DefaultServer on")
	w("Port %d", c.port)
	w("DefaultAddress %s", c.host)
	w("SocketBindTight on")
	w("UseIPv6 on")
	w("User nobody")
	w("Group %s", group)
	w("Umask 022")
	w("MaxInstances 200")
	w("PidFile %s", d("proftpd.pid"))
	w("ScoreboardFile %s", d("proftpd.scoreboard"))
	w("DelayTable %s", d("proftpd.delay"))
	w("SystemLog %s", c.Log)
	w("TransferLog %s", d("proftpd-xfer.log"))
	w("WtmpLog off")
	w("UseLastlog off")
	w("UseReverseDNS off")
	w("UseFtpUsers off")
	w("DelayEngine off")
	w("TimesGMT on")
	w("ModulePath %s", filepath.Join(c.root, "usr/lib/proftpd"))
	w("AuthOrder mod_auth_file.c")
	w("AuthUserFile %s", passwd)
	w("AuthGroupFile %s", groupFile)
	w("RequireValidShell off")
	w("DefaultRoot ~")
	w("PassivePorts %d %d", lo, hi)
	w("AllowOverwrite on")
	w("AllowStoreRestart on")
	w("MaxLoginAttempts 3")
	if c.Options.TLS != TLSNone {
		w("LoadModule mod_tls.c")
		w("TLSEngine on")
		w("TLSLog %s", d("proftpd-tls.log"))
		w("TLSProtocol TLSv1.2 TLSv1.3")
		w("TLSRSACertificateFile %s", c.certs.Cert)
		w("TLSRSACertificateKeyFile %s", c.certs.Key)
		w("TLSVerifyClient off")
		w("TLSRequired on")
		w("TLSRenegotiate none")
		if c.Options.TLS == TLSImplicit {
			w("TLSOptions UseImplicitSSL")
		}
		c.SessionReuse = true
	}
	conf := d("proftpd.conf")
	if err := os.WriteFile(conf, []byte(b.String()), 0o600); err != nil {
		return nil, fmt.Errorf("realserver: %w", err)
	}
	return []string{filepath.Join(c.root, "usr/sbin/proftpd"), "-n", "-c", conf}, nil
}
