package realserver

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// startInetutils runs GNU inetutils' ftpd 2.4 under the inetd helper
// (inetd/main.go), one ftpd per connection, as inetd would. It has no TLS.
//
// ftpd logs in system accounts through getpwnam and the shadow password
// (-a default, not PAM: its PAM service name is fixed to "ftp", a system
// file). It takes the ferryftp account of vsftpd (account.go), which it
// would refuse for its shell, /usr/sbin/nologin, not being in
// /etc/shells, and would log into "/", its home. So inetd runs in a mount
// namespace of its own with a copy of /etc/passwd bind-mounted over it in
// which ferryftp has the home folder and /bin/sh; nothing outside that
// namespace sees the copy, and nothing else is changed. ftpd does not
// chroot the account (only users named in /etc/ftpchroot), so the whole
// file system is visible to it as to any ferryftp process.
//
// ftpd has no settings for ports: passive data connections get a port
// from the kernel's ephemeral range, and active ones come from the
// control port minus one (RFC 959's default), so the control port is the
// second of the block, leaving the first for that.
func startInetutils(_ context.Context, c *config) ([]string, error) {
	ftpd := []string{filepath.Join(c.root, "usr/sbin/ftpd"),
		"-a", "default", // passwd and shadow, not PAM
		"-u", "022", // umask, as the other servers have
	}
	return inetdCommand(c, nil, ftpd)
}

// inetdCommand sets c up for a server started per connection by the inetd
// helper, logging in the ferryftp account with c.Home as its home, and
// returns the helper's command line. binds are more files or folders to
// mount over the system's ({source, target}).
func inetdCommand(c *config, binds [][2]string, server []string) ([]string, error) {
	acct, err := vsftpdAccount()
	if err != nil {
		return nil, err
	}
	c.User, c.Password = acct.name, acct.password
	c.uid, c.gid = acct.uid, acct.gid
	inetd, err := helperBinary(helperInetd)
	if err != nil {
		return nil, err
	}
	passwd := filepath.Join(c.Dir, "passwd")
	if err := writePasswdWithHome(passwd, acct.name, c.Home, "/bin/sh"); err != nil {
		return nil, err
	}
	base, _ := c.ports.passive()
	c.port = base
	c.Addr = net.JoinHostPort(c.host, strconv.Itoa(c.port))
	c.PassivePorts = [2]int{}
	c.mountNS = true
	argv := []string{inetd,
		"-listen", c.Addr,
		"-bind", passwd + ":/etc/passwd",
	}
	for _, b := range binds {
		argv = append(argv, "-bind", b[0]+":"+b[1])
	}
	argv = append(argv, "--")
	return append(argv, server...), nil
}

// writePasswdWithHome writes to name a copy of /etc/passwd in which user
// has the home folder home and the login shell shell.
func writePasswdWithHome(name, user, home, shell string) error {
	data, err := os.ReadFile("/etc/passwd")
	if err != nil {
		return fmt.Errorf("realserver: %w", err)
	}
	if strings.ContainsAny(home, ":\n") {
		return fmt.Errorf("realserver: home folder %q cannot be written in a passwd file", home)
	}
	var out bytes.Buffer
	found := false
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := sc.Text()
		if f := strings.Split(line, ":"); len(f) == 7 && f[0] == user {
			f[5], f[6] = home, shell
			line = strings.Join(f, ":")
			found = true
		}
		out.WriteString(line + "\n")
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("realserver: /etc/passwd: %w", err)
	}
	if !found {
		return fmt.Errorf("realserver: %s not in /etc/passwd", user)
	}
	if err := os.WriteFile(name, out.Bytes(), 0o644); err != nil {
		return fmt.Errorf("realserver: %w", err)
	}
	return nil
}
