package shell

import (
	"context"
	"strings"

	"github.com/spf13/pflag"

	"github.com/ferry-ftp/ferry/client"
	"github.com/ferry-ftp/ferry/internal/ftpurl"
	"github.com/ferry-ftp/ferry/ops"
	"github.com/ferry-ftp/ferry/transfer"
)

// The shell's cp copies between the open server and another, or between
// two others, or within the open server: each of SOURCE and TARGET is a
// path on the open server or an address of another (a URL, or a bookmark
// reference NAME:path), which cp logs in to for the command only.

// cpHelp is the help of the shell's cp.
const cpHelp = `Copy a file from one server to another without the local disk, as ferry cp does: by FXP where both servers allow it (the servers send the file to each other), streamed through ferry otherwise. SOURCE and TARGET are each a path on the open server or the address of another server: an ftp://, ftps:// or ftpes:// URL, or a bookmark reference NAME:path. So cp PATH URL copies from the open server, cp URL [PATH] to it (into the remote folder when PATH is left out), cp URL URL between two other servers (no open connection needed), and cp PATH PATH within the open server. cp logs in to the other servers for the command only. A TARGET ending in "/" or naming a folder receives the file under its own name. The copy is written under a temporary name and renamed once its size is checked; -c resumes a partial copy; --fxp copies by FXP only, --no-fxp never.`

// cpArgs maps cp SOURCE [TARGET]: without TARGET, the file goes into the
// remote folder of the open server.
func cpArgs(s *Shell, _ *pflag.FlagSet, words []string) ([]string, error) {
	switch len(words) {
	case 1:
		if s.sess == nil {
			return nil, ops.ErrNotConnected
		}
		return []string{words[0], strings.TrimSuffix(s.cwd, "/") + "/"}, nil
	case 2:
		return words, nil
	}
	return nil, usageErrorf("usage: %s", lookup("cp").usage)
}

// cpEnv makes env take the addresses of other servers besides paths on
// the open one (see above). The returned func ends the sessions it opened
// and gives the shell's connection back its transfer type; the caller
// calls it once the operation is over.
func cpEnv(s *Shell, ctx context.Context, env *ops.Env) func() {
	others := map[string]*transfer.Session{}
	key := func(t ftpurl.Target) string { return t.Scheme + "://" + t.User + "@" + t.Addr() }
	ownResolve, ownSite, ownOpen := env.Resolve, env.Site, env.Open
	env.Resolve = func(arg string) (ops.Remote, error) {
		if !s.isAddress(arg) {
			if s.sess == nil {
				return ops.Remote{}, ops.ErrNotConnected
			}
			return ownResolve(arg)
		}
		if s.cfg.Open == nil {
			return ops.Remote{}, usageErrorf("cp to another server is not available")
		}
		conn, err := s.cfg.Open(ctx, arg, s.options()...)
		if err != nil {
			return ops.Remote{}, err
		}
		k := key(conn.Target)
		if _, ok := others[k]; ok {
			conn.Session.End() // one session a server is enough
		} else {
			others[k] = conn.Session
		}
		return ops.Remote{Target: conn.Target, Charset: conn.Charset}, nil
	}
	env.Site = func(r ops.Remote) (transfer.Site, error) {
		if sess, ok := others[key(r.Target)]; ok {
			return sess.Site(), nil
		}
		return ownSite(r)
	}
	env.Open = func(ctx context.Context, r ops.Remote) (*transfer.Session, error) {
		if sess, ok := others[key(r.Target)]; ok {
			return sess, nil
		}
		return ownOpen(ctx, r)
	}
	return func() {
		for _, sess := range others {
			sess.End()
		}
		if c := s.conn; s.ascii && c != nil && c.Err() == nil && c.CurrentType() != client.TypeASCII {
			c.Type(context.WithoutCancel(ctx), client.TypeASCII)
		}
	}
}

// isAddress reports whether a word of cp names another server: a URL, or
// NAME:path for a bookmark NAME.
func (s *Shell) isAddress(word string) bool {
	if strings.Contains(word, "://") {
		return true
	}
	name, _, ok := strings.Cut(word, ":")
	return ok && ftpurl.IsBookmarkName(name) && s.isBookmark(name)
}
