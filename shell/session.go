package shell

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/ferry-ftp/ferry/client"
	"github.com/ferry-ftp/ferry/completion"
	"github.com/ferry-ftp/ferry/internal/ftpurl"
	"github.com/ferry-ftp/ferry/ops"
	"github.com/ferry-ftp/ferry/transfer"
	"github.com/spf13/pflag"
)

// cacheTTL is how long completion keeps a remote listing; changes made
// through the shell invalidate it sooner.
const cacheTTL = time.Minute

// client returns the session's live connection, reconnecting when the
// server dropped it, which it checks for without sending a command. On a new connection it sets ASCII type again when the
// user chose it (the session restores binary).
func (s *Shell) client(ctx context.Context) (*client.Conn, error) {
	if s.sess == nil {
		return nil, ops.ErrNotConnected
	}
	c, err := s.sess.Conn(ctx)
	if err != nil {
		return nil, err
	}
	if c == s.conn && c.Check() != nil {
		// The server dropped the session while it was idle (421 or a
		// closed connection): connect again before the command, which
		// may be one that cannot be repeated.
		if c, err = s.sess.Conn(ctx); err != nil {
			return nil, err
		}
	}
	if c != s.conn {
		s.conn = c
		if ms, ok := any(c).(dataModeSetter); ok && s.modeSet {
			ms.SetDataMode(s.mode, true)
		}
		if s.ascii {
			if err := c.Type(ctx, client.TypeASCII); err != nil {
				return nil, err
			}
		}
	}
	return c, nil
}

// options returns the client options the shell adds to a site's: its
// trace writer and the data mode chosen with passive or active.
func (s *Shell) options() []client.Option {
	opts := []client.Option{client.WithTrace(traceWriter{s}), client.WithBudget(s.listBudget())}
	if s.modeSet {
		opts = append(opts, client.WithDataMode(s.mode))
	}
	return opts
}

// adopt makes sess the shell's session, closing the previous one, and
// enters dir when it is not empty.
func (s *Shell) adopt(ctx context.Context, sess *transfer.Session, target ftpurl.Target, dir string) error {
	// The new session enters its folder before the old one is closed:
	// when that fails, the old one stays (open keeps the current session
	// until the new one works).
	login, err := sess.Getwd(ctx)
	if err == nil && dir != "" {
		err = sess.Chdir(ctx, dir)
	}
	if err != nil && s.sess != nil {
		sess.End()
		return err
	}
	s.closeSession()
	s.sess, s.target, s.conn = sess, target, nil
	cache := completion.NewCache(sessionLister{s}, cacheTTL)
	s.cache = cache
	sess.Notify = func(msg string) {
		s.status("%s", msg)
		cache.InvalidateAll()
	}
	if _, cerr := s.client(ctx); cerr != nil {
		return cerr
	}
	if login != "" {
		s.login = login
	}
	if wd, werr := sess.Getwd(ctx); werr == nil {
		s.cwd = wd
	} else if err == nil {
		err = werr
	}
	return err
}

// closeSession logs out of the current session, if any.
func (s *Shell) closeSession() {
	if s.sess == nil {
		return
	}
	s.sess.End()
	s.sess, s.conn, s.cache, s.cwd, s.charset = nil, nil, nil, "", ""
}

// reopen opens the current site again with changes to its settings, and
// returns to the remote folder when keepDir is set.
func (s *Shell) reopen(ctx context.Context, change func(*transfer.Site), keepDir bool) error {
	site := s.sess.Site()
	site.Options = slices.Clone(site.Options)
	change(&site)
	sess, err := transfer.Open(ctx, site)
	if err != nil {
		return err
	}
	dir := ""
	if keepDir {
		dir = s.cwd
	}
	return s.adopt(ctx, sess, s.target, dir)
}

// askName asks for the login name of addr in the interactive shell when
// no user is known for it, as ftp(1) does: "Name (host:USER): ", Enter
// taking $USER. It returns addr with the name.
func (s *Shell) askName(addr string) (string, error) {
	if !s.interactive || s.cfg.LoginName == nil {
		return addr, nil
	}
	if u, err := s.cfg.LoginName(addr); err != nil || u != "" {
		return addr, nil // Open reports a bad address
	}
	t, err := ftpurl.Parse(addr)
	if err != nil || t.Bookmark != "" {
		return addr, nil
	}
	def := s.cfg.Getenv("USER")
	ans, err := s.in.readLine(fmt.Sprintf("Name (%s:%s): ", t.Host, def))
	if err != nil {
		return "", err
	}
	name := strings.TrimSpace(ans)
	if name == "" {
		name = def
	}
	if name == "" {
		return addr, nil // anonymous
	}
	t.User = name
	return t.String(), nil
}

// openAddress turns what the user typed after open into an address Open
// takes: a URL or bookmark reference (NAME:, NAME:/path) as it is, a
// bookmark name with its ":" added, and a host or host:port as an ftp://
// URL.
func (s *Shell) openAddress(args []string) string {
	a := args[0]
	if len(args) == 2 {
		return "ftp://" + a + ":" + args[1]
	}
	if strings.Contains(a, "://") {
		return a
	}
	name, rest, hasColon := strings.Cut(a, ":")
	switch {
	case !hasColon && s.isBookmark(name):
		return a + ":"
	case !hasColon:
		return "ftp://" + a
	case rest != "" && strings.Trim(rest, "0123456789") == "":
		return "ftp://" + a // host:port
	}
	return a
}

// isBookmark reports whether name is a bookmark.
func (s *Shell) isBookmark(name string) bool {
	bs, _ := s.bookmarks()
	for _, b := range bs {
		if b.Name == name {
			return true
		}
	}
	return false
}

// bookmarks lists the bookmarks.
func (s *Shell) bookmarks() ([]Bookmark, error) {
	if s.cfg.Bookmarks == nil {
		return nil, nil
	}
	return s.cfg.Bookmarks()
}

func (s *Shell) cmdOpen(ctx context.Context, args []string) error {
	fl := pflag.NewFlagSet("open", pflag.ContinueOnError)
	fl.SetOutput(io.Discard)
	insecure := fl.Bool("insecure", false, "do not verify the server's TLS certificate")
	useTLS := fl.Bool("tls", false, "require explicit TLS (AUTH TLS) on an ftp:// address")
	charset := fl.String("charset", "", ops.CharsetUsage)
	proxyURL := fl.String("proxy", "", ops.ProxyUsage)
	if err := fl.Parse(args); err != nil {
		return usageErrorf("open: %v", err)
	}
	args = fl.Args()
	if len(args) < 1 || len(args) > 2 {
		return usageErrorf("usage: %s", lookup("open").usage)
	}
	opts := s.options()
	if *useTLS {
		opts = append(opts, client.WithTLS(client.TLSExplicit))
	}
	if *charset != "" {
		enc, err := client.LookupCharset(*charset)
		if err != nil {
			return usageErrorf("open --charset: %v", err)
		}
		opts = append(opts, client.WithCharset(enc))
	}
	if len(args) == 2 {
		if _, err := strconv.ParseUint(args[1], 10, 16); err != nil {
			return usageErrorf("port %q is not a number", args[1])
		}
	}
	if s.cfg.Open == nil {
		return usageErrorf("open is not available")
	}
	addr, err := s.askName(s.openAddress(args))
	if err != nil {
		return err
	}
	if *insecure {
		o, err := s.insecureOption(addr)
		if err != nil {
			return err
		}
		opts = append(opts, o)
	}
	if fl.Changed("proxy") {
		if s.cfg.Proxy == nil {
			return usageErrorf("open --proxy is not available")
		}
		popts, err := s.cfg.Proxy(ctx, addr, *proxyURL)
		if err != nil {
			return err
		}
		opts = append(opts, popts...)
	}
	// The current session stays until the new one has logged in.
	conn, err := s.cfg.Open(ctx, addr, opts...)
	if err != nil {
		return err
	}
	t := conn.Target
	t.Password, t.HasPassword = "", false
	if err := s.adopt(ctx, conn.Session, t, conn.Target.Path); err != nil {
		return err
	}
	s.charset = conn.Charset
	if *charset != "" {
		s.charset = *charset
	}
	s.status("Connected to %s as %s.", t.Host, userName(conn.Session.Site().User))
	return nil
}

// insecureOption returns the client option of open --insecure: the front
// end's, which keeps its other TLS settings, or one that verifies nothing.
func (s *Shell) insecureOption(addr string) (client.Option, error) {
	if s.cfg.Insecure != nil {
		return s.cfg.Insecure(addr)
	}
	return client.WithTLSConfig(&tls.Config{InsecureSkipVerify: true}), nil
}

// userName returns the login name a site uses.
func userName(u string) string {
	if u == "" {
		return "anonymous"
	}
	return u
}

func (s *Shell) cmdClose(context.Context, []string) error {
	if s.sess == nil {
		return ops.ErrNotConnected
	}
	s.closeSession()
	return nil
}

func (s *Shell) cmdUser(ctx context.Context, args []string) error {
	name, pass := args[0], ""
	switch {
	case len(args) == 2:
		pass = args[1]
	case s.interactive:
		p, err := s.in.readPassword(fmt.Sprintf("Password for %s: ", name))
		if err != nil {
			return err
		}
		pass = p
	default:
		pass = s.cfg.Getenv("FERRY_PASSWORD")
	}
	if err := s.reopen(ctx, func(site *transfer.Site) { site.User, site.Password = name, pass }, false); err != nil {
		return err
	}
	s.target.User = name
	s.status("Logged in as %s.", name)
	return nil
}

func (s *Shell) cmdBinary(ctx context.Context, _ []string) error {
	return s.setType(ctx, false)
}

func (s *Shell) cmdASCII(ctx context.Context, _ []string) error {
	return s.setType(ctx, true)
}

// setType sets the transfer type and remembers it for reconnections.
func (s *Shell) setType(ctx context.Context, ascii bool) error {
	c, err := s.client(ctx)
	if err != nil {
		return err
	}
	t := client.TypeBinary
	if ascii {
		t = client.TypeASCII
	}
	if err := c.Type(ctx, t); err != nil {
		return err
	}
	s.ascii = ascii
	s.status("Transfer type is %s.", typeName(ascii))
	return nil
}

func typeName(ascii bool) string {
	if ascii {
		return "ascii"
	}
	return "binary"
}

func (s *Shell) cmdPassive(ctx context.Context, _ []string) error {
	return s.setMode(ctx, client.Passive)
}

func (s *Shell) cmdActive(ctx context.Context, _ []string) error {
	return s.setMode(ctx, client.Active)
}

// dataModeSetter is a connection that can change its data-connection
// mode while it is open (client.Conn.SetDataMode).
type dataModeSetter interface {
	SetDataMode(m client.DataMode, pin bool)
}

// setMode switches the data-connection mode, pinned so that it does not
// switch on its own. A connection that can change its mode does so at
// once, and the shell sets the mode again on each new connection (see
// client). With a client.Conn that cannot, the session is opened again
// with the mode option, back in the same folder.
func (s *Shell) setMode(ctx context.Context, m client.DataMode) error {
	s.mode, s.modeSet = m, true
	if s.sess != nil {
		c, err := s.client(ctx)
		if err != nil {
			return err
		}
		if ms, ok := any(c).(dataModeSetter); ok {
			ms.SetDataMode(m, true)
		} else if err := s.reopen(ctx, func(site *transfer.Site) {
			site.Options = append(site.Options, client.WithDataMode(m))
		}, true); err != nil {
			return err
		}
	}
	s.status("Data connections use %s mode.", m)
	return nil
}

func (s *Shell) cmdVerbose(context.Context, []string) error {
	on := !s.verbose.Load()
	s.verbose.Store(on)
	s.status("Verbose mode %s.", onOff(on))
	return nil
}

func (s *Shell) cmdPrompt(context.Context, []string) error {
	s.prompting = !s.prompting
	s.status("Interactive mode %s.", onOff(s.prompting))
	return nil
}

func onOff(on bool) string {
	if on {
		return "on"
	}
	return "off"
}

func (s *Shell) cmdStatus(context.Context, []string) error {
	w := s.out
	if s.sess == nil {
		fmt.Fprintln(w, "Not connected.")
	} else {
		site := s.sess.Site()
		fmt.Fprintf(w, "Connected to %s (%s) as %s.\n", s.target.Host, site.Addr, userName(site.User))
		fmt.Fprintf(w, "Remote folder: %s\n", s.cwd)
		if s.charset != "" {
			fmt.Fprintf(w, "Charset of names: %s\n", s.charset)
		}
		if s.conn != nil {
			if st, ok := s.conn.TLSState(); ok {
				fmt.Fprintf(w, "TLS: %s\n", tlsVersion(st.Version))
			} else {
				fmt.Fprintln(w, "TLS: none")
			}
		}
	}
	fmt.Fprintf(w, "Local folder: %s\n", s.lcwd)
	mode := "passive (switching to active if refused)"
	if s.modeSet {
		mode = s.mode.String()
	}
	if s.conn != nil && s.conn.Err() == nil {
		mode = s.conn.DataMode().String()
	}
	fmt.Fprintf(w, "Mode: %s; type: %s; verbose: %s; prompt: %s\n",
		mode, typeName(s.ascii), onOff(s.verbose.Load()), onOff(s.prompting))
	return nil
}

// tlsVersion names a TLS version.
func tlsVersion(v uint16) string {
	switch v {
	case 0x0304:
		return "TLS 1.3"
	case 0x0303:
		return "TLS 1.2"
	}
	return fmt.Sprintf("TLS (0x%04x)", v)
}

func (s *Shell) cmdBookmark(_ context.Context, args []string) error {
	if len(args) == 0 {
		bs, err := s.bookmarks()
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(s.out, 0, 4, 2, ' ', 0)
		for _, b := range bs {
			fmt.Fprintf(tw, "%s\t%s\n", b.Name, b.URL)
		}
		return tw.Flush()
	}
	name := args[0]
	if !ftpurl.IsBookmarkName(name) {
		return usageErrorf("bookmark name %q: use letters, digits, '_', '.' and '-', starting with a letter", name)
	}
	if s.sess == nil {
		return ops.ErrNotConnected
	}
	if s.cfg.SaveBookmark == nil {
		return usageErrorf("bookmarks cannot be saved here")
	}
	t := s.target.WithPath(s.cwd)
	if u := s.sess.Site().User; t.User == "" && u != "anonymous" && u != "ftp" {
		t.User = u // from --user or ~/.netrc: the bookmark logs in as this session did
	}
	if s.isBookmark(name) {
		if !s.interactive {
			return usageErrorf("bookmark %s exists; remove it first (ferry bookmark rm %s)", name, name)
		}
		ans, err := s.in.readLine(fmt.Sprintf("bookmark %s exists; replace it with %s? [y/N] ", name, t))
		if err != nil {
			return err
		}
		if a := strings.ToLower(strings.TrimSpace(ans)); a != "y" && a != "yes" {
			s.status("bookmark %s kept", name)
			return nil
		}
	}
	if err := s.cfg.SaveBookmark(name, t, s.charset); err != nil {
		return err
	}
	s.status("bookmark %s -> %s", name, t)
	return nil
}

// traceWriter writes the protocol trace to stderr while verbose is on,
// except during the listings completion makes.
type traceWriter struct{ s *Shell }

func (t traceWriter) Write(p []byte) (int, error) {
	if t.s.verbose.Load() && !t.s.quietRun.Load() {
		return t.s.errOut.Write(p)
	}
	return len(p), nil
}

// sessionLister lists remote folders for completion over the shell's
// connection. It never reconnects: with no live connection it offers
// nothing.
type sessionLister struct{ s *Shell }

func (l sessionLister) ReadDir(ctx context.Context, dir string) ([]client.Entry, error) {
	s := l.s
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.conn == nil || s.conn.Err() != nil {
		return nil, ops.ErrNotConnected
	}
	s.quietRun.Store(true)
	defer s.quietRun.Store(false)
	return completion.ReadDir(ctx, s.conn, dir)
}

// listBudget returns the budget the listings of the running command draw
// on, over all the shell's connections (see client.Budget); runLine
// resets it for each command.
func (s *Shell) listBudget() *client.Budget {
	if s.budget == nil {
		s.budget = client.NewBudget(s.cfg.Limits)
	}
	return s.budget
}
