package shell

import (
	"context"
	"errors"
	"io"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spf13/pflag"

	"github.com/ferry-ftp/ferry/client"
	"github.com/ferry-ftp/ferry/ops"
	"github.com/ferry-ftp/ferry/transfer"
)

// opArgs turns the words a shell command was given, after its flags,
// into the positional arguments of its operation: the classic forms
// (get REMOTE [LOCAL], put LOCAL [REMOTE], mirror [SOURCE [TARGET]]) set
// flags (-o) or fill in the shell's folders. fl holds the parsed flags.
type opArgs func(s *Shell, fl *pflag.FlagSet, words []string) ([]string, error)

// runOp runs the operation named name, as the command line's ferry NAME
// does, with the shell's session and folders: flags parsed by the
// operation's own definitions, words mapped by args. confirm asks before
// each file when prompting is on (mget, mput, mdelete).
func (s *Shell) runOp(ctx context.Context, c *command, words []string, confirm bool) error {
	spec := ops.Lookup(c.op)
	op := spec.New()
	env := s.env()
	fl := s.opFlags(c, op, env.Opts)
	if err := fl.Parse(words); err != nil {
		return usageErrorf("%s: %v (help %s lists its flags)", c.name, err, c.name)
	}
	if s.ascii && fl.Lookup("ascii") != nil {
		// The shell's ascii command sets -a for the commands that take it.
		fl.Set("ascii", "true")
	}
	pos := fl.Args()
	if c.opArgs != nil {
		var err error
		if pos, err = c.opArgs(s, fl, pos); errors.Is(err, errSessionStat) {
			return s.sessionStat(ctx)
		} else if err != nil {
			return err
		}
	}
	if err := spec.CheckArgs(c.name, pos); err != nil {
		return usageErrorf("usage: %s", c.usage)
	}
	if err := op.Args(fl, pos); err != nil {
		return err
	}
	if c.opEnv != nil {
		defer c.opEnv(s, ctx, env)()
		err := op.Run(ctx, env)
		if c.changes && s.cache != nil {
			s.cache.InvalidateAll()
		}
		return err
	}
	if s.sess == nil {
		return ops.ErrNotConnected
	}
	conn, err := s.client(ctx)
	if err != nil {
		return err
	}
	if confirm {
		env.Confirm = s.confirmFunc(c.name)
	}
	// The session's connection must be in the type the command moves
	// data in: ASCII with -a (the shell's ascii sets it), else binary,
	// whatever a quote TYPE left; it goes back to the shell's type.
	want, after := client.TypeBinary, client.TypeBinary
	if s.ascii {
		after = client.TypeASCII
	}
	if a := fl.Lookup("ascii"); a != nil && a.Value.String() == "true" {
		env.Opts.ASCII, want = true, client.TypeASCII
	}
	if conn.CurrentType() != want {
		if err := conn.Type(ctx, want); err != nil {
			return err
		}
	}
	if want != after {
		defer func() {
			if s.conn == conn && conn.Err() == nil {
				conn.Type(context.WithoutCancel(ctx), after)
			}
		}()
	}
	err = op.Run(ctx, env)
	if c.changes {
		s.cache.InvalidateAll()
	}
	return err
}

// opFlags returns a flag set with the flags of c's operation, as the
// command line defines them, and those of the command line's global
// flags that make sense for one command, bound to opts.
func (s *Shell) opFlags(c *command, op ops.Operation, opts *ops.GlobalOptions) *pflag.FlagSet {
	fl := pflag.NewFlagSet(c.name, pflag.ContinueOnError)
	fl.SetOutput(io.Discard)
	op.AddFlags(fl)
	opts.AddCommandFlags(fl)
	if p := fl.Lookup("parallel"); p != nil && s.cfg.Parallel > 0 {
		// ferry shell --parallel is the default of the commands.
		p.DefValue = strconv.Itoa(s.cfg.Parallel)
		p.Value.Set(p.DefValue)
	}
	return fl
}

// env returns the environment an operation runs in from the shell: the
// shell's session (never closed or taken by the operation), its remote
// folder for paths and for the connections of pools, its local folder,
// and its settings.
func (s *Shell) env() *ops.Env {
	env := &ops.Env{
		IO: &ops.IOStreams{In: s.cfg.Stdin, Out: s.out, ErrOut: s.errOut,
			StdinTTY: s.interactive, StderrTTY: s.cfg.StderrTTY},
		Opts: &ops.GlobalOptions{Quiet: s.cfg.Quiet, Retries: s.cfg.Retries, JSON: s.cfg.JSON,
			NoProgress: !s.cfg.StderrTTY, ASCII: s.ascii, Verbose: s.verbose.Load(),
			MaxEntries: s.cfg.Limits.Entries, MaxListingSize: ops.ByteSize(s.cfg.Limits.Bytes)},
		Budget:    s.listBudget(),
		Login:     s.login,
		Shared:    true,
		JSONLines: true,
		Local:     s.opLocal,
	}
	env.Resolve = func(arg string) (ops.Remote, error) {
		if strings.Contains(arg, "://") {
			// The shell's commands take paths on the open server; a
			// URL would be sent as a file name (with its password).
			return ops.Remote{}, usageErrorf("%s is a URL: the shell's commands take paths on the open server (open URL first)", client.Sanitize(redactURL(arg)))
		}
		t := s.target
		t.Path = s.opPath(arg)
		return ops.Remote{Target: t}, nil
	}
	env.Site = func(ops.Remote) (transfer.Site, error) {
		site := s.sess.Site()
		site.Options = append(append([]client.Option(nil), site.Options...), s.options()...)
		site.Dir, site.ASCII = s.cwd, env.Opts.ASCII
		return site, nil
	}
	env.Open = func(ctx context.Context, _ ops.Remote) (*transfer.Session, error) {
		if _, err := s.client(ctx); err != nil {
			return nil, err
		}
		return s.sess, nil
	}
	env.Retried = s.willRetry
	if s.interactive {
		env.Ask = func(q string) (string, error) { return s.in.readLine(q) }
	}
	return env
}

// opPath returns the remote path an argument names for an operation: "~"
// is the login folder; as typed in the login folder, where the command line's URL paths start too
// (so that both name a file, and its partial download, alike), else
// absolute. A final "/" is kept: it says "a folder".
func (s *Shell) opPath(p string) string {
	if p == "~" || strings.HasPrefix(p, "~/") {
		// The login folder, as lftp and a shell take "~".
		if q := strings.TrimSuffix(s.login, "/") + p[1:]; q != "" {
			return q
		}
		return "/"
	}
	if p == "" || s.cwd == s.login || strings.HasPrefix(p, "/") {
		return p
	}
	// Joined, not cleaned: "." and ".." stay the user's words (rm -r
	// refuses them), as the command line keeps a URL's.
	return strings.TrimSuffix(s.cwd, "/") + "/" + p
}

// opLocal returns the local path p names from the shell's local folder:
// as it is when that is the process's folder too (so that reports name
// it as typed), else joined to it. A final separator is kept: it says
// "a folder".
func (s *Shell) opLocal(p string) string {
	if !filepath.IsAbs(p) && p != "~" && !strings.HasPrefix(p, "~/") {
		if wd, err := os.Getwd(); err == nil && wd == s.lcwd {
			return p
		}
	}
	return s.localPath(p) + trailingSep(p)
}

// trailingSep returns "/" when p ends in one and is not just "/".
func trailingSep(p string) string {
	if len(p) > 1 && strings.HasSuffix(p, "/") {
		return "/"
	}
	return ""
}

// confirmFunc returns Env.Confirm for the command verb: y (or Enter), n,
// a (all the rest) and q (stop: what was confirmed goes ahead).
func (s *Shell) confirmFunc(verb string) func(string) (bool, bool, error) {
	if !s.prompting || !s.interactive {
		return nil
	}
	all := false
	return func(name string) (bool, bool, error) {
		ok, err := s.confirm(verb, name, &all)
		if errors.Is(err, errStopAsking) {
			return false, true, nil
		}
		return ok, false, err
	}
}

// getArgs maps get REMOTE [LOCAL] and reget: LOCAL is -o, "-" the
// standard output; without it the file goes to the local folder.
func getArgs(s *Shell, fl *pflag.FlagSet, words []string) ([]string, error) {
	if len(words) == 2 {
		if fl.Changed("output") {
			return nil, usageErrorf("get: give LOCAL or -o, not both")
		}
		fl.Set("output", words[1])
		words = words[:1]
	} else if len(words) > 2 {
		return nil, usageErrorf("usage: get [FLAGS] REMOTE [LOCAL]")
	}
	return mgetArgs(s, fl, words)
}

// mgetArgs sends the files of mget (and get without LOCAL) to the local
// folder.
func mgetArgs(s *Shell, fl *pflag.FlagSet, words []string) ([]string, error) {
	if !fl.Changed("output") && s.opLocal(".") != "." {
		fl.Set("output", s.lcwd+string(filepath.Separator))
	}
	return words, nil
}

// regetArgs is getArgs with -c.
func regetArgs(s *Shell, fl *pflag.FlagSet, words []string) ([]string, error) {
	fl.Set("continue", "true")
	return getArgs(s, fl, words)
}

// putArgs maps put LOCAL [REMOTE]: without REMOTE the file keeps its name
// in the remote folder.
func putArgs(_ *Shell, _ *pflag.FlagSet, words []string) ([]string, error) {
	switch len(words) {
	case 1:
		return []string{words[0], ""}, nil
	case 2:
		return words, nil
	}
	return nil, usageErrorf("usage: put [FLAGS] LOCAL [REMOTE]")
}

// reputArgs is putArgs with -c.
func reputArgs(s *Shell, fl *pflag.FlagSet, words []string) ([]string, error) {
	fl.Set("continue", "true")
	return putArgs(s, fl, words)
}

// mputArgs expands the local patterns of mput (the shell has no other
// shell to do it), as sh does: a name starting with "." only for a pattern
// whose last element starts with "."; folders are passed on for put to
// upload with -r or report. The files go to the remote folder.
func mputArgs(s *Shell, _ *pflag.FlagSet, words []string) ([]string, error) {
	var files []string
	for _, pat := range words {
		matches, err := filepath.Glob(s.opLocal(pat))
		if err != nil {
			return nil, usageErrorf("bad pattern %q: %v", pat, err)
		}
		dots := strings.HasPrefix(filepath.Base(pat), ".")
		n := 0
		for _, m := range matches {
			if !dots && strings.HasPrefix(filepath.Base(m), ".") {
				continue
			}
			files = append(files, m)
			n++
		}
		if n == 0 {
			return nil, &transfer.LocalError{Op: "match", Path: pat, Err: errNoLocalMatch}
		}
	}
	return append(files, ""), nil
}

// mirrorArgs fills in mirror's ends as lftp's mirror takes them: the
// source defaults to the current folder, and the target to the source's
// base name in the other side's current folder (the current folder itself
// when the source was not given); a target ending in "/" receives the
// source under its own name.
func mirrorArgs(s *Shell, fl *pflag.FlagSet, words []string) ([]string, error) {
	if len(words) > 2 {
		return nil, usageErrorf("usage: %s", lookup("mirror").usage)
	}
	var src, dst string
	if len(words) > 0 {
		src = words[0]
	}
	if len(words) > 1 {
		dst = words[1]
	}
	reverse, _ := fl.GetBool("reverse")
	if !reverse {
		base := path.Base(s.absRemote(cmpOr(src, ".")))
		switch {
		case src == "" && dst == "":
			dst = "."
		case dst == "" && base != "/":
			dst = base
		case strings.HasSuffix(dst, "/") && base != "/":
			dst = path.Join(dst, base)
		}
		return []string{src, cmpOr(dst, ".")}, nil
	}
	base := filepath.Base(s.opLocal(cmpOr(src, ".")))
	if abs, err := filepath.Abs(s.opLocal(cmpOr(src, "."))); err == nil {
		base = filepath.Base(abs)
	}
	switch {
	case src == "" && dst == "":
	case dst == "":
		dst = base
	case strings.HasSuffix(dst, "/"):
		dst = path.Join(dst, base)
	}
	return []string{cmpOr(src, "."), dst}, nil
}

// cmpOr returns s, or def when s is empty.
func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// errSessionStat is statArgs's answer to stat without a path: the
// session's STAT, which is the shell's own.
var errSessionStat = errors.New("stat of the session")

// statArgs describes a path; without one, the session.
func statArgs(_ *Shell, _ *pflag.FlagSet, words []string) ([]string, error) {
	if len(words) == 0 {
		return nil, errSessionStat
	}
	return words, nil
}

// lsArgs lists the remote folder when no path is given.
func lsArgs(_ *Shell, _ *pflag.FlagSet, words []string) ([]string, error) {
	if len(words) == 0 {
		return []string{""}, nil
	}
	return words, nil
}

// quoteArgs sends the command on the shell's session, in its folder.
func quoteArgs(_ *Shell, _ *pflag.FlagSet, words []string) ([]string, error) {
	return append([]string{""}, words...), nil
}
