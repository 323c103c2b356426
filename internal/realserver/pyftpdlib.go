package realserver

import (
	"context"
	_ "embed"
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
	var tls []string
	if c.Options.TLS == TLSExplicit {
		tls = []string{"--cert", c.certs.Cert, "--key", c.certs.Key}
	}
	return pythonServer(c, "pyftpdlib_server.py", pyftpdlibScript, tls...)
}
