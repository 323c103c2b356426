package cmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"

	"golang.org/x/term"

	"github.com/ferry-ftp/ferry/client"
	"github.com/ferry-ftp/ferry/internal/config"
	"github.com/ferry-ftp/ferry/internal/ftpurl"
	"github.com/ferry-ftp/ferry/internal/netrc"
	"github.com/ferry-ftp/ferry/ops"
	"github.com/ferry-ftp/ferry/transfer"
)

// IOStreams are the standard streams and what is known about them.
type IOStreams = ops.IOStreams

// GlobalOptions are the flags every command takes.
type GlobalOptions = ops.GlobalOptions

// Remote is a resolved remote address.
type Remote = ops.Remote

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

// Factory gives commands what they need: streams, options, configuration
// and connections. It is built once in Main.
type Factory struct {
	IO     *IOStreams
	Opts   *GlobalOptions
	Getenv func(string) string
	// Home returns the user's home folder.
	Home func() (string, error)

	cfg      *config.Config
	tlsFiles *tlsFiles // see files
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
		r.Mode, r.Charset, r.Proxy = site.Mode, site.Charset, site.Proxy
		r.TLS = ops.TLSOptions{CACert: site.CACert, PinnedPubKey: site.PinnedPubKey, Cert: site.Cert, Key: site.Key}
	}
	r.Target = t
	return r, nil
}

// Site builds the connection settings for a remote: credentials and
// client options.
func (f *Factory) Site(r Remote, budget *client.Budget) (transfer.Site, error) {
	t := r.Target
	user, pass, err := f.credentials(t)
	if err != nil {
		return transfer.Site{}, err
	}
	opts, err := f.clientOptions(r, budget)
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
func (f *Factory) clientOptions(r Remote, budget *client.Budget) ([]client.Option, error) {
	o := f.Opts
	var opts []client.Option
	switch {
	case r.Target.Scheme == ftpurl.SchemeFTPS:
		opts = append(opts, client.WithTLS(client.TLSImplicit))
	case r.Target.Scheme == ftpurl.SchemeFTPES || o.TLS:
		opts = append(opts, client.WithTLS(client.TLSExplicit))
	}
	tlsOpts, err := f.tlsOptions(r)
	if err != nil {
		return nil, err
	}
	opts = append(opts, tlsOpts...)
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
	if o.NoPipeline {
		// One command at a time from the login on, on every connection.
		opts = append(opts, client.WithPipelining(false))
	}
	if o.Timeout > 0 {
		opts = append(opts, client.WithConnectTimeout(o.Timeout), client.WithIdleTimeout(o.Timeout))
	}
	cs, err := f.charsetOf(r)
	if err != nil {
		return nil, err
	}
	if cs != "" {
		enc, err := client.LookupCharset(cs)
		if err != nil {
			return nil, &FlagError{Err: fmt.Errorf("--charset: %w", err)}
		}
		opts = append(opts, client.WithCharset(enc))
	}
	if o.Verbose {
		opts = append(opts, client.WithTrace(f.IO.ErrOut))
	}
	netOpts, err := f.networkOptions(r)
	if err != nil {
		return nil, err
	}
	opts = append(opts, netOpts...)
	opts = append(opts, client.WithBudget(budget))
	return opts, nil
}

// charsetOf returns the charset of a remote's names: --charset, else the
// bookmark's, else the configuration's default; "" for none (names go as
// the bytes they are).
func (f *Factory) charsetOf(r Remote) (string, error) {
	if f.Opts.Charset != "" {
		return f.Opts.Charset, nil
	}
	if r.Charset != "" {
		return r.Charset, nil
	}
	cfg, err := f.Config()
	if err != nil {
		return "", err
	}
	return cfg.Defaults.Charset, nil
}

// Env returns the environment of one command's operation: its
// addresses are URLs and bookmarks, each server gets a session of its
// own, and its listings share one budget.
func (f *Factory) Env() *ops.Env {
	env := &ops.Env{IO: f.IO, Opts: f.Opts, Resolve: f.Resolve}
	env.Site = func(r Remote) (transfer.Site, error) { return f.Site(r, env.ListBudget()) }
	env.Open = func(ctx context.Context, r Remote) (*transfer.Session, error) {
		site, err := env.Site(r)
		if err != nil {
			return nil, err
		}
		s, err := transfer.Open(ctx, site)
		if err != nil {
			return nil, err
		}
		s.Notify = func(msg string) { env.Status("%s", msg) }
		return s, nil
	}
	return env
}
