package realserver

import (
	"context"
	"fmt"
	"path/filepath"
	"strconv"
)

// startFtpserverlib runs the helper ftpserverlib/main.go, a server made
// from the Go library github.com/fclairamb/ftpserverlib with one user whose
// files are an afero OS file system rooted at the home folder (afero's
// BasePathFs). The helper is built with go build (helpers.go); the
// library's version is the one go.mod requires.
//
// It starts as root to read the key, and runs its sessions as nobody, so
// the file system's permissions apply. Explicit TLS requires AUTH TLS
// before login and PROT P for data; implicit TLS speaks TLS from the first
// byte. Go's TLS server does not require data connections to resume the
// control connection's session.
func startFtpserverlib(_ context.Context, c *config) ([]string, error) {
	bin, err := helperBinary(helperFtpserverlib)
	if err != nil {
		return nil, err
	}
	c.User, c.Password = "ferry", randomString(16)
	c.uid, c.gid, _ = nobody()
	c.Log = filepath.Join(c.Dir, "ftpserverlib.log")
	// The password goes through the environment, not argv, which every
	// user can read in ps.
	c.env = append(c.env, "FERRY_FTP_PASSWORD="+c.Password)
	lo, hi := c.ports.passive()
	argv := []string{bin,
		"-listen", c.Addr,
		"-home", c.Home,
		"-user", c.User,
		"-passive", fmt.Sprintf("%d-%d", lo, hi),
		"-tls", c.Options.TLS.String(),
		"-uid", strconv.Itoa(c.uid),
		"-gid", strconv.Itoa(c.gid),
		"-log", c.Log,
	}
	if c.Options.TLS != TLSNone {
		argv = append(argv, "-cert", c.certs.Cert, "-key", c.certs.Key)
	}
	return argv, nil
}
