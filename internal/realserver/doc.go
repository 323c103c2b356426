// Package realserver starts real FTP servers (vsftpd, pure-ftpd, proftpd,
// pyftpdlib, Twisted's FTP server, aioftp, inetutils-ftpd, ftpd-ssl in
// German as ftpd-ssl-de, and a server made from the Go library
// fclairamb/ftpserverlib) on loopback for interop tests and benchmarks.
//
// # Installing
//
// The servers conflict with each other as installed Debian packages, so
// Install (or "go run ./internal/realserver/cmd/realserver install", as
// root) only unpacks them:
//
//   - apt-get install python3 python3-openssl, only when /usr/bin/python3
//     cannot import pyOpenSSL: the Python servers run under Debian's
//     interpreter (python3 on PATH may be pyenv's), with PYTHONPATH into
//     the tree.
//   - apt-get download vsftpd pure-ftpd pure-ftpd-common proftpd-core
//     proftpd-mod-crypto python3-pyftpdlib python3-twisted python3-aioftp
//     inetutils-ftpd ftpd-ssl locales,
//     into CacheDir()/debs
//     (FERRY_SERVER_CACHE, else $XDG_CACHE_HOME/ferry/servers, else
//     ~/.cache/ferry/servers); when that fails for lack of apt lists, as
//     on a fresh machine, apt-get update and again.
//   - dpkg-deb -x each into CacheDir()/root.
//   - Shared libraries: every "lib..." package named in their Depends that
//     the system does not have (here libwrap0 for vsftpd; libhiredis0.14,
//     libmemcached11, libmemcachedutil2, libhashkit2 and libpcre2-posix3
//     for proftpd) is downloaded and unpacked into the same tree, and so
//     on for their own dependencies. The servers run with LD_LIBRARY_PATH
//     into the tree, and ldd checks that nothing is left unresolved.
//   - Python modules: likewise every "python3-..." package in their
//     Depends that no installed package is or provides (for Twisted:
//     python3-attr, -automat, -constantly, -hyperlink, -idna,
//     -incremental, -zope.interface, -bcrypt, -hamcrest,
//     -service-identity, -pyasn1 and -pyasn1-modules on a machine that
//     has only python3-openssl). /usr/bin/python3 then imports every
//     Python server from the tree, or Install fails. Nothing of the
//     system's is replaced.
//   - The German locale: localedef --no-archive -c -i de_DE -f UTF-8 with
//     I18NPATH into the unpacked locales package, into
//     CacheDir()/root/usr/lib/ferry-locale, which ftpd-ssl-de gets as
//     LOCPATH. The system's locales (/usr/lib/locale, locale-gen) are
//     neither used nor changed; localedef is the system's, from libc-bin,
//     so the locale fits the system's glibc.
//   - The vsftpd account and PAM service (see account.go): a system user
//     ferryftp and /etc/pam.d/ferry-vsftpd.
//   - go build of the helper programs (helpers.go) into CacheDir()/bin: the
//     inetd in inetd/ and the ftpserverlib server in ftpserverlib/, with the
//     library versions go.mod requires. Start builds them too, before its
//     startup deadline; go build leaves a binary that is up to date alone.
//   - CacheDir()/installed.txt lists the unpacked packages and versions.
//
// A second Install does nothing but checks. Start never installs: without
// the servers, StartOrSkip skips, or fails under FERRY_INTEROP=required,
// which CI sets after running the install command.
//
// # Running
//
// Each server gets a folder from os.MkdirTemp holding its config, the
// certificate of the run (crypto/x509, RSA 2048, self-signed, for
// 127.0.0.1, ::1 and localhost, made once per process), its logs and the
// user's home. Ports come in blocks of 256, one control port and 255
// passive ports (vsftpd picks a passive port at random and gives up after
// a few that are in use or in TIME_WAIT, so 32 parallel transfers need
// many), outside the kernel's ephemeral range and locked with flock in
// $TMPDIR/ferry-realserver-ports, so servers of parallel tests, packages
// and the command never collide. Active mode is allowed everywhere it
// exists, from ports other than 20. Readiness is a connection that reads the 220
// greeting (after the TLS handshake for implicit TLS), retried until a
// deadline. Stop sends SIGTERM to the process group, SIGKILL to what is
// left after 3 s, and waits until the group is gone; the folder is removed
// unless the test failed or FERRY_KEEP_SERVERS is set.
//
// inetutils-ftpd and ftpd-ssl-de are made for inetd: their standalone
// modes listen on the "ftp" service's port on every address, and detach.
// They run under the inetd helper, which listens on the server's port and
// starts one server per connection with the connection as its standard
// input and output. The helper runs in a mount namespace of its own
// (CLONE_NEWNS, mounts private) in which a copy of /etc/passwd is mounted
// over the system's, giving the ferryftp account (account.go) the home
// folder and /bin/sh (the servers refuse shells not in /etc/shells), and,
// for ftpd-ssl, a copy of /etc/pam.d with an "ftp" service for ferryftp
// alone (its PAM service name is fixed). Nothing outside that namespace
// sees either copy. Their control port is the second of the block: these
// BSD ftpds connect active data connections from the control port minus
// one, which is then the block's first.
//
// # What each server offers
//
//	server          TLS modes                  IPv4  IPv6  active  TLS data session reuse
//	vsftpd          none, explicit, implicit   yes   yes   yes     required
//	pure-ftpd       none, explicit             yes   yes   yes     not required
//	proftpd         none, explicit, implicit   yes   yes   yes     required
//	pyftpdlib       none, explicit             yes   yes   yes     not required
//	twisted         none                       yes   no    yes     —
//	aioftp          none, implicit             yes   yes   no      not required
//	inetutils-ftpd  none                       yes   yes   yes     —
//	ftpd-ssl-de     none                       yes   yes   yes     —
//	ftpserverlib    none, explicit, implicit   yes   yes   yes     not required
//
// In the TLS modes the servers require TLS on control and data
// connections. Debian's pure-ftpd has no implicit TLS, nor has pyftpdlib.
// Twisted's FTP server has no TLS, and no EPSV or EPRT, so no IPv6 either.
// aioftp's only TLS is implicit (an SSL context on its listening sockets),
// and it has no active mode (ActiveMode). inetutils-ftpd has no TLS;
// Debian 12's ftpd-ssl answers AUTH TLS but never loads a certificate, so
// its handshakes fail ("no shared cipher"). The TLS servers negotiate TLS
// 1.3 and 1.2; Go resumes sessions with a ClientSessionCache
// (Server.TLSConfig has one), except that pure-ftpd does not resume under
// TLS 1.3, which it does not require.
//
// The Python servers run as the user that starts them (root in CI) and
// write files as it, so file modes refuse them nothing. Besides, Twisted
// 22.4 has no REST, APPE, MLST, MLSD or SITE, and reads commands as
// Latin-1; aioftp 0.21.4 answers 502 to FEAT, SIZE, MDTM, NLST, NOOP, SITE
// and to PROT C.
//
// What else sets them apart, as measured: inetutils-ftpd and ftpd-ssl-de
// have no MLST or MLSD, ftpd-ssl-de no FEAT; both answer LIST by running ls
// (inetutils' built-in BSD ls, GNU /bin/ls) with the argument split at
// spaces, and answer LIST of a missing path with 150, the ls error text on
// the data connection ("x: No such file or directory", in German from
// ftpd-ssl-de) and 226. ftpd-ssl-de lists in German:
//
//	insgesamt 8
//	-rw-r--r-- 1 ferryftp ferryftp    8  5. Mär 2024  x.txt
//	drwxr-xr-x 3 ferryftp ferryftp 4096  6. Dez 16:31 x
//
// (Server.Locale says so); the others list in English under that locale
// too (proftpd's error replies follow it). inetutils-ftpd and ftpd-ssl-de
// send a CRLF of a file as CR CRLF in ASCII mode, as pure-ftpd does.
// ftpserverlib's MLSD has no UNIX.mode fact.
//
// # Known client pitfalls these servers show
//
//   - vsftpd (require_ssl_reuse=YES) and proftpd refuse a TLS data
//     connection that does not resume the control session: "522 SSL
//     connection failed: session reuse required" and "425 Unable to build
//     data connection: Operation not permitted". jlaffaye/ftp without a
//     ClientSessionCache hits both.
//   - Under TLS 1.3 the server sends session tickets on the data
//     connection. A client that uploads and then closes without reading
//     them makes the kernel send a reset, and the server loses what it had
//     not read yet: vsftpd answers 426, and pyftpdlib stores a truncated
//     file and answers 226. jlaffaye/ftp does this for uploads over about
//     110 KB; the tests give it connections that half-close and read to EOF
//     before closing.
//   - pure-ftpd delays every failed login by 3 to 6 s, which cannot be
//     turned off.
package realserver
