package realserver

import (
	"context"
	_ "embed"
)

//go:embed aioftp_server.py
var aioftpScript []byte

// startAioftp runs aioftp_server.py (embedded): an aioftp server under
// Debian's /usr/bin/python3 with PYTHONPATH into the unpacked
// python3-aioftp. One user may read and write everywhere in the home
// folder, its root. It runs as root, as the files it writes show.
//
// aioftp's TLS is an ssl.SSLContext on the listening sockets: implicit TLS
// on the control and on the passive data connections, without AUTH TLS,
// and no session reuse required. It has no active mode (no PORT or EPRT),
// and answers 502 to FEAT, SIZE, MDTM, NLST, NOOP and SITE.
func startAioftp(_ context.Context, c *config) ([]string, error) {
	var tls []string
	if c.Options.TLS == TLSImplicit {
		tls = []string{"--cert", c.certs.Cert, "--key", c.certs.Key}
	}
	return pythonServer(c, "aioftp_server.py", aioftpScript, tls...)
}
