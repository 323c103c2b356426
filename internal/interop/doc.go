// Package interop holds ferry's interop suite: tests that run ferry's
// engine (package client and package transfer), github.com/jlaffaye/ftp as
// an independent client, and the command line against real FTP servers
// (vsftpd, pure-ftpd, proftpd and pyftpdlib, started on loopback by
// internal/realserver), in every data connection mode, TLS mode and IP
// family the servers offer.
//
// The package has tests only. A complete run writes the matrix of results
// to docs/interop.md. FERRY_INTEROP=required makes a server that cannot
// start fail the run instead of skipping it. Every cell moves a 64 MiB
// file; FERRY_INTEROP_BIG=one does so only once per server and mode (explicit
// TLS, IPv4), for quicker runs by hand.
package interop
