// Command ftpserverlib is an FTP server made from the Go library
// github.com/fclairamb/ftpserverlib for internal/realserver: one user, whose
// files are an afero OS file system rooted at the home folder.
//
//	ftpserverlib -listen HOST:PORT -home DIR -user NAME -passive LO-HI
//	    [-tls none|explicit|implicit -cert FILE -key FILE]
//	    [-uid N -gid N] [-log FILE]
//
// The password comes from the environment, FERRY_FTP_PASSWORD, not from
// the command line that every user can read. With -uid and -gid the
// program gives up root once it has read the key and opened its listener
// and log, so that the file system's permissions apply to the sessions.
// Explicit TLS requires AUTH TLS before login and PROT P on data
// connections; implicit TLS speaks TLS from the first byte. It runs until
// SIGTERM or SIGINT.
package main

import (
	"crypto/subtle"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"

	ftpserver "github.com/fclairamb/ftpserverlib"
	"github.com/spf13/afero"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "ftpserverlib:", err)
		os.Exit(1)
	}
}

// config holds the parsed command line.
type config struct {
	listen, home, user, password string
	passive                      ftpserver.PortRange
	tls                          string
	cert, key                    string
	uid, gid                     int
	log                          string
}

func parseArgs(args []string) (*config, error) {
	fs := flag.NewFlagSet("ftpserverlib", flag.ContinueOnError)
	c := &config{password: os.Getenv("FERRY_FTP_PASSWORD")}
	fs.StringVar(&c.listen, "listen", "", "`host:port` of the control connection")
	fs.StringVar(&c.home, "home", "", "the user's home `folder`, the root of what it sees")
	fs.StringVar(&c.user, "user", "", "the user `name`")
	passive := fs.String("passive", "", "passive `ports` LO-HI")
	fs.StringVar(&c.tls, "tls", "none", "TLS `mode`: none, explicit or implicit")
	fs.StringVar(&c.cert, "cert", "", "certificate `file` (PEM)")
	fs.StringVar(&c.key, "key", "", "private key `file` (PEM)")
	fs.IntVar(&c.uid, "uid", -1, "user `id` to run the sessions as")
	fs.IntVar(&c.gid, "gid", -1, "group `id` to run the sessions as")
	fs.StringVar(&c.log, "log", "", "log `file` of the commands and replies")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if c.listen == "" || c.home == "" || c.user == "" || c.password == "" {
		return nil, errors.New("-listen, -home, -user and FERRY_FTP_PASSWORD are required")
	}
	lo, hi, ok := strings.Cut(*passive, "-")
	var err1, err2 error
	c.passive.Start, err1 = strconv.Atoi(lo)
	c.passive.End, err2 = strconv.Atoi(hi)
	if !ok || err1 != nil || err2 != nil || c.passive.Start > c.passive.End {
		return nil, fmt.Errorf("-passive %q: want LO-HI", *passive)
	}
	switch c.tls {
	case "none":
	case "explicit", "implicit":
		if c.cert == "" || c.key == "" {
			return nil, fmt.Errorf("-tls %s needs -cert and -key", c.tls)
		}
	default:
		return nil, fmt.Errorf("-tls %q: want none, explicit or implicit", c.tls)
	}
	if (c.uid < 0) != (c.gid < 0) {
		return nil, errors.New("-uid and -gid go together")
	}
	return c, nil
}

func run(args []string) error {
	c, err := parseArgs(args)
	if err != nil {
		return err
	}
	d := &driver{user: c.user, password: c.password, home: c.home}
	d.settings = &ftpserver.Settings{
		Banner:                   "ferry test ftpserverlib",
		PassiveTransferPortRange: c.passive,
		ActiveTransferPortNon20:  true,
		IdleTimeout:              600,
		ConnectionTimeout:        30,
	}
	if c.tls != "none" {
		cert, err := tls.LoadX509KeyPair(c.cert, c.key)
		if err != nil {
			return err
		}
		d.tlsConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
		d.settings.TLSRequired = ftpserver.MandatoryEncryption
		if c.tls == "implicit" {
			d.settings.TLSRequired = ftpserver.ImplicitEncryption
		}
	}
	l, err := net.Listen("tcp", c.listen)
	if err != nil {
		return err
	}
	if d.settings.TLSRequired == ftpserver.ImplicitEncryption {
		l = tls.NewListener(l, d.tlsConfig)
	}
	d.settings.Listener = l
	logger := slog.New(slog.DiscardHandler)
	if c.log != "" {
		f, err := os.OpenFile(c.log, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
		if err != nil {
			return err
		}
		defer f.Close()
		logger = slog.New(slog.NewTextHandler(f, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	syscall.Umask(0o022)
	if c.uid >= 0 {
		// Go applies these to every thread of the process.
		if err := errors.Join(syscall.Setgroups(nil), syscall.Setgid(c.gid), syscall.Setuid(c.uid)); err != nil {
			return fmt.Errorf("give up root: %w", err)
		}
	}
	server := ftpserver.NewFtpServer(d)
	server.Logger = logger
	if err := server.Listen(); err != nil {
		return err
	}
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM, syscall.SIGINT)
	go func() {
		<-sigs
		server.Stop()
	}()
	fmt.Fprintf(os.Stderr, "ftpserverlib: listening on %s, TLS %s\n", l.Addr(), c.tls)
	if err := server.Serve(); err != nil && !errors.Is(err, net.ErrClosed) {
		return err
	}
	return nil
}

// driver is the server's MainDriver: one user, its home folder as the
// root of an afero OS file system.
type driver struct {
	user, password, home string
	settings             *ftpserver.Settings
	tlsConfig            *tls.Config
}

func (d *driver) GetSettings() (*ftpserver.Settings, error) { return d.settings, nil }

func (d *driver) ClientConnected(cc ftpserver.ClientContext) (string, error) {
	cc.SetDebug(true) // log the session's commands and replies
	return "ferry test ftpserverlib ready", nil
}

func (d *driver) ClientDisconnected(ftpserver.ClientContext) {}

func (d *driver) AuthUser(_ ftpserver.ClientContext, user, pass string) (ftpserver.ClientDriver, error) {
	okUser := subtle.ConstantTimeCompare([]byte(user), []byte(d.user)) == 1
	okPass := subtle.ConstantTimeCompare([]byte(pass), []byte(d.password)) == 1
	if !okUser || !okPass {
		return nil, errors.New("wrong user name or password")
	}
	return afero.NewBasePathFs(afero.NewOsFs(), d.home), nil
}

func (d *driver) GetTLSConfig() (*tls.Config, error) {
	if d.tlsConfig == nil {
		return nil, errors.New("TLS is not configured")
	}
	return d.tlsConfig, nil
}
