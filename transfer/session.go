// Package transfer moves files and trees between the local file system
// and an FTP server: atomic downloads, uploads under a temporary name,
// resume, and the session that reconnects when the server drops it.
//
// It is the only package of ferry that decides how to use connections;
// the command line and the shell call it, and it calls package client.
package transfer

import (
	"context"
	"errors"
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/ferry-ftp/ferry/client"
)

// Site says how to reach and log in to a server.
type Site struct {
	// Addr is "host:port".
	Addr string
	// User is the login name; empty means anonymous.
	User     string
	Password string
	// Options configure each control connection (TLS, data mode,
	// timeouts, trace).
	Options []client.Option
	// ASCII sets ASCII type (TYPE A) instead of binary on each
	// connection: downloads then write the data's CRLF line ends as LF,
	// and uploads send LF as CRLF (see Get and Put). For text files only.
	ASCII bool
	// Dir, when set, is the folder each new connection enters after
	// login (CWD), so that relative paths are relative to it: the
	// shell's remote folder, for the connections of its pools.
	Dir string
}

// Session is a logged-in control connection that comes back after the
// server drops it: the next call to Conn dials again, logs in, sets the
// site's transfer type and returns to the folder the session was in. A
// Session is not safe for concurrent use.
type Session struct {
	site Site
	conn *client.Conn
	dir  string // absolute remote folder to restore, "" before the first PWD
	// Notify, when set, is told about reconnections in one line.
	Notify func(msg string)
}

// Open connects and logs in. The session's connections, the first and
// those it reconnects with, share what the server was found to refuse
// (client.Refusals).
func Open(ctx context.Context, site Site) (*Session, error) {
	site.Options = append(slices.Clip(site.Options), client.WithRefusals(client.NewRefusals()))
	s := &Session{site: site}
	if _, err := s.Conn(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

// Site returns the site the session connects to.
func (s *Session) Site() Site { return s.site }

// Conn returns the live control connection, reconnecting first when the
// previous one was closed or broke.
func (s *Session) Conn(ctx context.Context) (*client.Conn, error) {
	if s.conn != nil && s.conn.Err() == nil {
		return s.conn, nil
	}
	reconnect := s.conn != nil
	if reconnect {
		s.conn.Close()
		s.conn = nil
	}
	c, err := Connect(ctx, s.site)
	if err != nil {
		return nil, err
	}
	if s.dir != "" {
		if err := c.Cwd(ctx, s.dir); err != nil {
			c.Quit(ctx)
			return nil, fmt.Errorf("restoring remote folder %q: %w", s.dir, err)
		}
	}
	s.conn = c
	if reconnect && s.Notify != nil {
		msg := "reconnected to " + s.site.Addr
		if s.dir != "" {
			msg += ", back in " + s.dir
		}
		s.Notify(msg)
	}
	return c, nil
}

// Connect dials the site, logs in, reads the features, asks for UTF-8
// names (unless the site's options set another charset, see
// client.WithCharset), sets binary type, or ASCII type when site.ASCII is
// set (once: transfers on the connection do not set it again, and follow
// the connection's type) and enters site.Dir, all in the write that sends
// the password (see client.Conn.LoginSetup); then it selects SHA-256 for
// HASH where the server offers it but selected another algorithm.
//
// A server found not to answer the commands sent with the password
// (client.ErrPipelineRefused) is dialed once more, and that connection,
// like every later one that shares the site's client.Refusals, sends each
// command after the reply to the one before.
func Connect(ctx context.Context, site Site) (*client.Conn, error) {
	c, err := connectOnce(ctx, site)
	if errors.Is(err, client.ErrPipelineRefused) {
		c, err = connectOnce(ctx, withLockstep(site))
	}
	return c, err
}

// withLockstep returns site with pipelining off, for a site whose options
// carry no client.Refusals to hold that.
func withLockstep(site Site) Site {
	site.Options = append(slices.Clip(site.Options), client.WithPipelining(false))
	return site
}

// connectOnce is Connect without the retry.
func connectOnce(ctx context.Context, site Site) (*client.Conn, error) {
	c, err := client.Dial(ctx, site.Addr, site.Options...)
	if err != nil {
		return nil, err
	}
	fail := func(err error) (*client.Conn, error) {
		c.Close()
		return nil, err
	}
	user, pw := site.User, site.Password
	if user == "" || user == "anonymous" || user == "ftp" {
		if pw == "" {
			pw = "anonymous@"
		}
		if user == "" {
			user = "anonymous"
		}
	}
	typ := client.TypeBinary
	if site.ASCII {
		typ = client.TypeASCII
	}
	// Some servers need OPTS UTF8 ON before they use UTF-8 names; a server
	// whose names are in another charset (--charset) is not asked to
	// switch. The setup goes in the same write as PASS.
	cs := c.Charset()
	setup := client.SetupOptions{Type: typ, UTF8: cs == nil || client.CharsetName(cs) == "utf-8", Dir: site.Dir}
	if err := c.LoginSetup(ctx, user, pw, setup); err != nil {
		return fail(err)
	}
	if h, ferr := c.Features(ctx); ferr == nil && strings.Contains(h["HASH"], "SHA-256") && !strings.Contains(h["HASH"], "SHA-256*") {
		// HASH digests in the algorithm the server selected, which it
		// marks with "*"; prefer SHA-256 (draft-bryan-ftpext-hash
		// section 5). A refusal leaves the server's choice.
		if _, _, err := c.Quote(ctx, "OPTS HASH SHA-256"); err != nil && c.Err() != nil {
			return fail(err)
		}
	}
	return c, nil
}

// Chdir changes the remote folder and remembers it for reconnections.
func (s *Session) Chdir(ctx context.Context, dir string) error {
	c, err := s.Conn(ctx)
	if err != nil {
		return err
	}
	if err := c.Cwd(ctx, dir); err != nil {
		return err
	}
	wd, err := c.Pwd(ctx)
	if err != nil {
		return err
	}
	s.dir = wd
	return nil
}

// Getwd returns the remote folder.
func (s *Session) Getwd(ctx context.Context) (string, error) {
	if s.dir != "" && s.conn != nil && s.conn.Err() == nil {
		return s.dir, nil
	}
	c, err := s.Conn(ctx)
	if err != nil {
		return "", err
	}
	wd, err := c.Pwd(ctx)
	if err != nil {
		return "", err
	}
	s.dir = wd
	return wd, nil
}

// IsDir reports whether p names a folder on the server: "", "/" and paths
// ending in "/" do; otherwise MLST tells where the server offers it, and
// entering the folder (and coming back) elsewhere. Only a broken
// connection is an error.
func (s *Session) IsDir(ctx context.Context, p string) (bool, error) {
	if p == "" || p == "/" || strings.HasSuffix(p, "/") {
		return true, nil
	}
	c, err := s.Conn(ctx)
	if err != nil {
		return false, err
	}
	if c.HasFeature("MLST") {
		e, err := c.MLST(ctx, p)
		if err != nil {
			return false, c.Err()
		}
		return e.Type == client.EntryDir, nil
	}
	wd, err := s.Getwd(ctx)
	if err != nil {
		return false, err
	}
	if err := c.Cwd(ctx, p); err != nil {
		return false, c.Err()
	}
	return true, c.Cwd(ctx, wd)
}

// Release hands the session's live connection, if any, over to the
// caller (to a Pool with Pool.Add, say), which then owns it. The session
// dials a new connection when it is used again.
func (s *Session) Release() *client.Conn {
	c := s.conn
	s.conn = nil
	if c != nil && c.Err() != nil {
		c.Close()
		return nil
	}
	return c
}

// Adopt gives the session back a connection that Release handed out,
// when the session has dialed no other since; otherwise it closes c.
func (s *Session) Adopt(c *client.Conn) {
	if s.conn != nil {
		c.Close()
		return
	}
	s.conn = c
}

// End ends the session with Quit, whatever the caller's context: the
// command is over, or was interrupted.
func (s *Session) End() error {
	if s.conn == nil {
		return nil
	}
	err := Quit(s.conn)
	s.conn = nil
	return err
}

// Close ends the session with QUIT, within ctx.
func (s *Session) Close(ctx context.Context) error {
	if s.conn == nil {
		return nil
	}
	err := s.conn.Quit(ctx)
	s.conn = nil
	return err
}

// IsNotFound reports whether err is a server's refusal that most servers
// use for a missing file (550) or that names it so, or a path its
// folder's listing does not hold (client.ErrNotListed: how a server that
// refuses SIZE and MLST is asked).
func IsNotFound(err error) bool {
	if errors.Is(err, client.ErrNotListed) {
		return true
	}
	var re *client.ReplyError
	if !errors.As(err, &re) {
		return false
	}
	if re.Code != 550 && re.Code != 450 {
		return false
	}
	msg := strings.ToLower(re.Msg)
	return re.Code == 550 && !strings.Contains(msg, "permission") && !strings.Contains(msg, "denied") ||
		strings.Contains(msg, "no such") || strings.Contains(msg, "not found")
}

// remoteJoin joins a remote folder and name with "/".
func remoteJoin(dir, name string) string {
	if dir == "" {
		return name
	}
	return path.Join(dir, name)
}
