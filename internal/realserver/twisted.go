package realserver

import (
	"context"
	_ "embed"
)

//go:embed twisted_server.py
var twistedScript []byte

// startTwisted runs twisted_server.py (embedded): Twisted's FTP server
// (twisted.protocols.ftp, python3-twisted) under Debian's /usr/bin/python3
// with PYTHONPATH into the unpacked tree. One user, checked by a
// credentials checker of the script's, has the home folder as its root;
// anonymous login is off. Passive data connections listen on the control
// connection's address, in the block's passive range. It runs as root, as
// the files it writes show.
//
// Twisted's FTP server has no TLS, and no EPSV or EPRT, so it offers plain
// FTP over IPv4 only: its PASV reply cannot carry an IPv6 address. It has
// neither REST, APPE, MLST, MLSD nor SITE, and reads commands as Latin-1.
func startTwisted(_ context.Context, c *config) ([]string, error) {
	return pythonServer(c, "twisted_server.py", twistedScript)
}
