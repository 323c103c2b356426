package realserver

import (
	"context"
	_ "embed"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
)

//go:embed pyftpdlib_server.py
var pyftpdlibScript []byte

// startPyftpdlib runs pyftpdlib_server.py (embedded) under Debian's
// /usr/bin/python3 with PYTHONPATH into the unpacked python3-pyftpdlib.
// The user comes from a DummyAuthorizer; explicit TLS is TLS_FTPHandler
// (pyOpenSSL) with TLS required on control and data and no session reuse
// required. pyftpdlib has no implicit TLS. It runs as root, as the files it
// writes show.
func startPyftpdlib(_ context.Context, c *config) ([]string, error) {
	if _, err := os.Stat(systemPython); err != nil {
		return nil, fmt.Errorf("%w: %s missing; %s", ErrNotInstalled, systemPython, InstallHint)
	}
	c.User, c.Password = "ferry", randomString(16)
	c.uid, c.gid = os.Geteuid(), os.Getegid()
	c.Log = filepath.Join(c.Dir, "pyftpdlib.log")
	script := filepath.Join(c.Dir, "pyftpdlib_server.py")
	if err := os.WriteFile(script, pyftpdlibScript, 0o644); err != nil {
		return nil, fmt.Errorf("realserver: %w", err)
	}
	c.env = append(c.env,
		"PYTHONPATH="+filepath.Join(c.root, "usr/lib/python3/dist-packages"),
		"PYTHONNOUSERSITE=1",
		"PYTHONDONTWRITEBYTECODE=1",
		"PYTHONWARNINGS=ignore::DeprecationWarning",
		// The password goes through the environment, not argv, which
		// every user can read in ps.
		"FERRY_FTP_PASSWORD="+c.Password,
	)
	lo, hi := c.ports.passive()
	argv := []string{systemPython, "-u", script,
		"--host", c.host,
		"--port", strconv.Itoa(c.port),
		"--user", c.User,
		"--home", c.Home,
		"--passive", fmt.Sprintf("%d-%d", lo, hi),
		"--log", c.Log,
	}
	if c.Options.TLS == TLSExplicit {
		argv = append(argv, "--cert", c.certs.Cert, "--key", c.certs.Key)
	}
	return argv, nil
}
