package realserver

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
)

// startPureFTPd configures pure-ftpd 1.0.50 from the command line, without
// Debian's wrapper. The test user is a virtual user in a puredb made with
// pure-pw mkdb from a passwd line holding a SHA-512 crypt hash; it maps to
// nobody's uid and gid and is chrooted into the home folder (-A).
//
// Choices:
//   - -Y 3 -2 key-cert.pem for TLS: TLS required on the control and data
//     connections; pure-ftpd does not require session reuse. Debian's
//     build has no implicit TLS.
//   - -f none: pure-ftpd logs only to syslog, which test machines lack;
//     the log is the transfer log (-O clf:...).
//   - Active mode is on (no -N); pure-ftpd connects from a port of its
//     own choice.
//   - FXP is refused (PORT only to the client's address) unless
//     Options.FXP, which adds -w (--allowuserfxp).
//   - Failed logins are delayed 3 to 6 s by pure-ftpd itself; it cannot be
//     turned off.
func startPureFTPd(ctx context.Context, c *config) ([]string, error) {
	c.User, c.Password = "ferry", randomString(16)
	c.uid, c.gid, _ = nobody()
	passwd := filepath.Join(c.Dir, "pureftpd.passwd")
	pdb := filepath.Join(c.Dir, "pureftpd.pdb")
	line := fmt.Sprintf("%s:%s:%d:%d::%s/./::::::::::::\n",
		c.User, sha512Crypt(c.Password, randomString(16), 0), c.uid, c.gid, c.Home)
	if err := os.WriteFile(passwd, []byte(line), 0o600); err != nil {
		return nil, fmt.Errorf("realserver: %w", err)
	}
	pw := filepath.Join(c.root, "usr/bin/pure-pw")
	if out, err := run(ctx, c.Dir, c.env, pw, "mkdb", pdb, "-f", passwd); err != nil {
		return nil, fmt.Errorf("realserver: pure-pw mkdb: %w\n%s", err, out)
	}
	c.Log = filepath.Join(c.Dir, "pure-ftpd-transfers.log")
	lo, hi := c.ports.passive()
	argv := []string{
		filepath.Join(c.root, "usr/sbin/pure-ftpd"),
		"-S", c.host + "," + strconv.Itoa(c.port),
		"-l", "puredb:" + pdb,
		"-E",        // no anonymous logins
		"-A",        // chroot everyone
		"-H",        // no reverse DNS
		"-c", "200", // clients
		"-C", "200", // clients per IP
		"-U", "133:022", // umask for files:folders
		"-p", fmt.Sprintf("%d:%d", lo, hi),
		"-O", "clf:" + c.Log,
		"-g", filepath.Join(c.Dir, "pure-ftpd.pid"),
		"-f", "none",
	}
	if c.Options.IPv6 {
		argv = append(argv, "-6")
	} else {
		argv = append(argv, "-4")
	}
	if c.Options.FXP {
		argv = append(argv, "-w") // FXP for authenticated users
	}
	if c.Options.TLS == TLSExplicit {
		argv = append(argv, "-Y", "3", "-2", c.certs.Both)
	}
	return argv, nil
}
