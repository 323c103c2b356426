// Command realserver installs and starts the real FTP servers that ferry's
// interop tests and benchmarks run against.
//
//	realserver install
//	realserver start KIND [-tls none|explicit|implicit] [-6]
//	realserver list
//
// install downloads and unpacks vsftpd, pure-ftpd, proftpd, pyftpdlib,
// Twisted, aioftp, inetutils-ftpd and ftpd-ssl into the cache
// (FERRY_SERVER_CACHE, else ~/.cache/ferry/servers), generates the German
// locale ftpd-ssl-de runs in, and builds the helper programs (an inetd,
// and the ftpserverlib server). start runs one on a free loopback port,
// prints its address and credentials as key=value lines on standard
// output, and runs until interrupted. list prints which TLS modes and
// address families each server offers.
//
// Exit status: 0 success, 1 failure, 2 bad usage.
package main

import (
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}
