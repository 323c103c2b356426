package realserver

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// startFtpdSSLDE runs linux-ftpd-ssl 0.17 (Debian's ftpd-ssl, the BSD ftpd
// that the "ftpd" package installs) in German: under LC_ALL=de_DE.UTF-8
// with the locale generated at install (locale.go). Of the servers here it
// is the one whose listings follow the locale, since it answers LIST by
// running /bin/ls -lA (GNU ls):
//
//	insgesamt 8
//	-rw-r--r-- 1 ferryftp ferryftp    6  5. Mär 2024  x.txt
//	drwxr-xr-x 2 ferryftp ferryftp 4096  6. Dez 16:20 sub
//
// (vsftpd, pure-ftpd, pyftpdlib and inetutils-ftpd format listings
// themselves in English under that locale; proftpd too, though its error
// replies are German.) The German date order, "6. Dez", comes from
// coreutils' German message catalog, /usr/share/locale/de/LC_MESSAGES/
// coreutils.mo; a system installed without translations gets "Dez  6".
//
// It runs per connection under the inetd helper, like inetutils-ftpd (see
// startInetutils for the account, the passwd file and the ports), and
// logs in through PAM under its fixed service name "ftp": the inetd
// helper's mount namespace gets a copy of /etc/pam.d with an "ftp" stack
// that lets ferryftp alone in (pam_ftp.so, which ftpd's password dialogue
// needs, then pam_unix). It has no FEAT, MLST or MLSD.
//
// No TLS: it answers AUTH TLS with 234, but Debian 12's build never loads
// a certificate (strace shows no attempt to open the one given with
// -z cert=, nor its default /etc/ftpd-ssl/ftpd.pem), so every handshake
// fails with "no shared cipher".
func startFtpdSSLDE(_ context.Context, c *config) ([]string, error) {
	cached, err := localePath(c.root)
	if err != nil {
		return nil, err
	}
	// The ls that ftpd runs after switching to the login user must read
	// the locale: the cache may lie in a folder only root can enter
	// (/root/.cache), and ls then lists in English without a word. The
	// server's own folder is open to the user.
	locPath := filepath.Join(c.Dir, "locale")
	if err := copyReadable(cached, locPath); err != nil {
		return nil, err
	}
	pamDir := filepath.Join(c.Dir, "pam.d")
	if err := copyPAMDir(pamDir, ftpdSSLPAMStack); err != nil {
		return nil, err
	}
	c.env = withLocale(c.env, germanLocale, locPath)
	c.Locale = germanLocale
	ftpd := []string{filepath.Join(c.root, "usr/sbin/in.ftpd"),
		"-u", "022", // umask, as the other servers have
	}
	return inetdCommand(c, [][2]string{{pamDir, pamDir0}}, ftpd)
}

// pamDir0 is the system's PAM folder.
const pamDir0 = "/etc/pam.d"

// ftpdSSLPAMStack is /etc/pam.d/ftp in ftpd-ssl's mount namespace.
// pam_ftp.so is what ftpd's USER/PASS dialogue is made for: it asks for
// the password, which ftpd answers with 331, and passes it on to pam_unix
// for accounts other than "ftp" and "anonymous".
const ftpdSSLPAMStack = `# Written by ferry's internal/realserver for the ftpd-ssl it runs in tests.
# Only the ferryftp system account can log in through this service.
auth     required   pam_succeed_if.so quiet user = ferryftp
auth     sufficient pam_ftp.so
auth     required   pam_unix.so nodelay
account  required   pam_permit.so
session  required   pam_permit.so
password required   pam_deny.so
`

// copyPAMDir makes dir a copy of the system's PAM folder with the service
// "ftp" replaced by stack.
func copyPAMDir(dir, stack string) error {
	entries, err := os.ReadDir(pamDir0)
	if err != nil {
		return fmt.Errorf("realserver: %w", err)
	}
	if err := os.Mkdir(dir, 0o755); err != nil {
		return fmt.Errorf("realserver: %w", err)
	}
	for _, e := range entries {
		name := filepath.Join(pamDir0, e.Name())
		if fi, err := os.Stat(name); err != nil || !fi.Mode().IsRegular() || e.Name() == "ftp" {
			continue
		}
		data, err := os.ReadFile(name)
		if err != nil {
			return fmt.Errorf("realserver: %w", err)
		}
		if err := os.WriteFile(filepath.Join(dir, e.Name()), data, 0o644); err != nil {
			return fmt.Errorf("realserver: %w", err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "ftp"), []byte(stack), 0o644); err != nil {
		return fmt.Errorf("realserver: %w", err)
	}
	return nil
}

// withLocale returns env with the locale name in place of C, and LOCPATH
// pointing at the folder the locale was generated in.
func withLocale(env []string, name, locPath string) []string {
	var out []string
	for _, kv := range env {
		if !strings.HasPrefix(kv, "LC_ALL=") && !strings.HasPrefix(kv, "LANG=") && !strings.HasPrefix(kv, "LOCPATH=") {
			out = append(out, kv)
		}
	}
	return append(out, "LC_ALL="+name, "LANG="+name, "LOCPATH="+locPath)
}

// copyReadable copies the folder src to dst, which must not exist, with
// every file readable and every folder enterable by all.
func copyReadable(src, dst string) error {
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			if err := os.MkdirAll(target, 0o755); err != nil {
				return err
			}
			return os.Chmod(target, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
	if err != nil {
		return fmt.Errorf("realserver: copying the locale: %w", err)
	}
	return nil
}
