package cmd

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"time"

	"golang.org/x/term"

	"github.com/ferry-ftp/ferry/client"
	"github.com/ferry-ftp/ferry/internal/config"
	"github.com/ferry-ftp/ferry/internal/ftpurl"
	"github.com/ferry-ftp/ferry/internal/netrc"
	"github.com/ferry-ftp/ferry/transfer"
)

// IOStreams are the standard streams and what is known about them.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer
	// StdinTTY and StderrTTY say whether stdin and stderr are terminals:
	// password prompts need the first, progress bars the second.
	StdinTTY, StdoutTTY, StderrTTY bool
	// ReadPassword shows a prompt on ErrOut and reads a line from the
	// terminal without echo.
	ReadPassword func(prompt string) (string, error)
}

// SystemIO returns the process's streams.
func SystemIO(in io.Reader, out, errOut io.Writer) *IOStreams {
	isTTY := func(v any) bool {
		f, ok := v.(*os.File)
		return ok && term.IsTerminal(int(f.Fd()))
	}
	s := &IOStreams{In: in, Out: out, ErrOut: errOut,
		StdinTTY: isTTY(in), StdoutTTY: isTTY(out), StderrTTY: isTTY(errOut)}
	if f, ok := in.(*os.File); ok && s.StdinTTY {
		s.ReadPassword = func(prompt string) (string, error) { return readPassword(f, errOut, prompt) }
	}
	return s
}

// GlobalOptions are the flags every command takes.
type GlobalOptions struct {
	Active      bool
	ActiveAddr  string
	ActivePorts string
	NoEPSV      bool
	TLS         bool
	Insecure    bool
	User        string
	NetrcFile   string
	Timeout     time.Duration
	Retries     int
	Verbose     bool
	Quiet       bool
	NoProgress  bool
	JSON        bool
	ConfigPath  string
	// MaxEntries and MaxListingSize limit what the listings of the
	// command may cost (see client.Limits).
	MaxEntries     int64
	MaxListingSize byteSize
	// ASCII transfers in ASCII type (TYPE A), converting line ends: the
	// -a flag of get, put and cat sets it.
	ASCII bool
}

// Factory gives commands what they need: streams, options, configuration
// and connections. It is built once in Main.
type Factory struct {
	IO     *IOStreams
	Opts   *GlobalOptions
	Getenv func(string) string
	// Home returns the user's home folder.
	Home func() (string, error)

	cfg    *config.Config
	budget *client.Budget // see listBudget
}

// Config loads the configuration once.
func (f *Factory) Config() (*config.Config, error) {
	if f.cfg != nil {
		return f.cfg, nil
	}
	p, err := f.configPath()
	if err != nil {
		return nil, err
	}
	cfg, err := config.Load(p)
	if err != nil {
		return nil, &FlagError{Err: err}
	}
	f.cfg = cfg
	return cfg, nil
}

func (f *Factory) configPath() (string, error) {
	if f.Opts.ConfigPath != "" {
		return f.Opts.ConfigPath, nil
	}
	return config.DefaultPath()
}

// Remote is a resolved remote address: where to connect and which path.
type Remote struct {
	Target ftpurl.Target
	// Mode is the bookmark's data-connection mode, if it sets one.
	Mode string
}

// Path returns the remote path, "" for the login folder.
func (r Remote) Path() string { return r.Target.Path }

// key identifies the session a remote needs.
func (r Remote) key() string {
	t := r.Target
	return t.Scheme + "://" + t.User + "@" + t.Addr()
}

// Resolve parses a URL or bookmark argument.
func (f *Factory) Resolve(arg string) (Remote, error) {
	t, err := ftpurl.Parse(arg)
	if err != nil {
		return Remote{}, &FlagError{Err: err}
	}
	var r Remote
	if t.Bookmark != "" {
		cfg, err := f.Config()
		if err != nil {
			return Remote{}, err
		}
		site, ok := cfg.Site(t.Bookmark)
		if !ok {
			return Remote{}, &FlagError{Err: fmt.Errorf("no bookmark named %q (see 'ferry bookmark list')", t.Bookmark)}
		}
		if t, err = cfg.Resolve(t); err != nil {
			return Remote{}, &FlagError{Err: err}
		}
		r.Mode = site.Mode
	}
	r.Target = t
	return r, nil
}

// Site builds the connection settings for a remote: credentials and
// client options.
func (f *Factory) Site(r Remote) (transfer.Site, error) {
	t := r.Target
	user, pass, err := f.credentials(t)
	if err != nil {
		return transfer.Site{}, err
	}
	opts, err := f.clientOptions(r)
	if err != nil {
		return transfer.Site{}, err
	}
	return transfer.Site{Addr: t.Addr(), User: user, Password: pass, Options: opts, ASCII: f.Opts.ASCII}, nil
}

// credentials finds the login, in order: the URL's userinfo; --user with
// FERRY_PASSWORD or the netrc file; a netrc entry for the host; a prompt
// on a terminal; anonymous.
func (f *Factory) credentials(t ftpurl.Target) (user, pass string, err error) {
	user = t.User
	if user == "" {
		user = f.Opts.User
	}
	if t.HasPassword {
		return user, t.Password, nil
	}
	if user != "" {
		if p := f.Getenv("FERRY_PASSWORD"); p != "" {
			return user, p, nil
		}
	}
	if m, ok := f.netrcEntry(t.Host, user); ok {
		if user == "" {
			user = m.Login
		}
		if m.Password != "" || user != "" {
			return user, m.Password, nil
		}
	}
	if user == "" || user == "anonymous" || user == "ftp" {
		return user, "", nil
	}
	if f.IO.StdinTTY && f.IO.ReadPassword != nil {
		p, err := f.IO.ReadPassword(fmt.Sprintf("Password for %s@%s: ", user, t.Host))
		fmt.Fprintln(f.IO.ErrOut)
		if err != nil {
			return "", "", fmt.Errorf("reading password: %w", err)
		}
		return user, p, nil
	}
	return user, "", nil
}

// netrcEntry looks the host up in the netrc file, warning when the file
// is readable by others as ftp(1) does.
func (f *Factory) netrcEntry(host, login string) (netrc.Machine, bool) {
	p := f.Opts.NetrcFile
	if p == "" {
		home, err := f.Home()
		if err != nil {
			return netrc.Machine{}, false
		}
		p = filepath.Join(home, ".netrc")
	}
	ms, err := netrc.Load(p)
	if err != nil {
		if !errors.Is(err, os.ErrNotExist) {
			fmt.Fprintf(f.IO.ErrOut, "ferry: warning: %v\n", err)
		}
		return netrc.Machine{}, false
	}
	if insecure, _ := netrc.InsecurePerm(p); insecure {
		fmt.Fprintf(f.IO.ErrOut, "ferry: warning: %s is readable by others; run chmod 600 %s\n", p, p)
	}
	m, ok := netrc.Find(ms, host, login)
	if ok && m.Login == "" && login == "" {
		return netrc.Machine{}, false
	}
	return m, ok
}

// clientOptions turns the global flags and the remote into engine options.
func (f *Factory) clientOptions(r Remote) ([]client.Option, error) {
	o := f.Opts
	var opts []client.Option
	switch {
	case r.Target.Scheme == ftpurl.SchemeFTPS:
		opts = append(opts, client.WithTLS(client.TLSImplicit))
	case r.Target.Scheme == ftpurl.SchemeFTPES || o.TLS:
		opts = append(opts, client.WithTLS(client.TLSExplicit))
	}
	if o.Insecure {
		opts = append(opts, client.WithTLSConfig(&tls.Config{InsecureSkipVerify: true}))
	}
	switch {
	case o.Active:
		opts = append(opts, client.WithDataMode(client.Active))
	case r.Mode == config.ModeActive:
		opts = append(opts, client.WithDataMode(client.Active))
	case r.Mode == config.ModePassive:
		opts = append(opts, client.WithDataMode(client.Passive))
	}
	if o.ActiveAddr != "" {
		ip := net.ParseIP(o.ActiveAddr)
		if ip == nil {
			return nil, &FlagError{Err: fmt.Errorf("--active-addr %q is not an IP address", o.ActiveAddr)}
		}
		opts = append(opts, client.WithActiveAddr(ip))
	}
	if o.ActivePorts != "" {
		lo, hi, err := config.ParsePortRange(o.ActivePorts)
		if err != nil {
			return nil, &FlagError{Err: fmt.Errorf("--active-ports: %w", err)}
		}
		opts = append(opts, client.WithActivePorts(lo, hi))
	}
	if o.NoEPSV {
		opts = append(opts, client.WithEPSV(false))
	}
	if o.Timeout > 0 {
		opts = append(opts, client.WithConnectTimeout(o.Timeout), client.WithIdleTimeout(o.Timeout))
	}
	if o.Verbose {
		opts = append(opts, client.WithTrace(f.IO.ErrOut))
	}
	opts = append(opts, client.WithBudget(f.listBudget()))
	return opts, nil
}

// Open connects to the remote's server and logs in.
func (f *Factory) Open(ctx context.Context, r Remote) (*transfer.Session, error) {
	site, err := f.Site(r)
	if err != nil {
		return nil, err
	}
	s, err := transfer.Open(ctx, site)
	if err != nil {
		return nil, err
	}
	s.Notify = func(msg string) { f.Status("%s", msg) }
	return s, nil
}

// connect resolves addr, connects to its server and logs in. It returns
// the resolved address, the session (which the caller closes) and its
// connection.
func (f *Factory) connect(ctx context.Context, addr string) (Remote, *transfer.Session, *client.Conn, error) {
	r, err := f.Resolve(addr)
	if err != nil {
		return Remote{}, nil, nil, err
	}
	s, err := f.Open(ctx, r)
	if err != nil {
		return Remote{}, nil, nil, err
	}
	c, err := s.Conn(ctx)
	if err != nil {
		s.Close(context.WithoutCancel(ctx))
		return Remote{}, nil, nil, err
	}
	return r, s, c, nil
}

// Status prints a status message on stderr unless --quiet.
func (f *Factory) Status(format string, args ...any) {
	if f.Opts.Quiet {
		return
	}
	fmt.Fprintf(f.IO.ErrOut, format+"\n", args...)
}

// Warn prints a warning on stderr, even with --quiet.
func (f *Factory) Warn(format string, args ...any) {
	fmt.Fprintf(f.IO.ErrOut, "ferry: "+format+"\n", args...)
}

// sessions keeps one session per server for commands that take several
// addresses.
type sessions struct {
	f    *Factory
	open map[string]*transfer.Session
}

func newSessions(f *Factory) *sessions {
	return &sessions{f: f, open: map[string]*transfer.Session{}}
}

// get returns the session for r, opening it on first use.
func (s *sessions) get(ctx context.Context, r Remote) (*transfer.Session, error) {
	if sess, ok := s.open[r.key()]; ok {
		return sess, nil
	}
	sess, err := s.f.Open(ctx, r)
	if err != nil {
		return nil, err
	}
	s.open[r.key()] = sess
	return sess, nil
}

// closeAll ends every session with QUIT, bounded by a short timeout.
func (s *sessions) closeAll() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for _, sess := range s.open {
		sess.Close(ctx)
	}
}
