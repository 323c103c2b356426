package ops

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/ferry-ftp/ferry/client"
	"github.com/ferry-ftp/ferry/internal/ftpurl"
	"github.com/ferry-ftp/ferry/transfer"
	"github.com/spf13/pflag"
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

// GlobalOptions are the settings every operation reads: the command
// line's global flags, or the shell's settings.
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
	MaxListingSize ByteSize
	// ASCII transfers in ASCII type (TYPE A), converting line ends: the
	// -a flag of get, put and cat sets it.
	ASCII bool
	// Charset names the charset of the server's names when it is not
	// UTF-8 (see client.LookupCharset); "" converts nothing, or takes a
	// bookmark's.
	Charset string
	// TLSOptions are the TLS trust flags (--cacert, --pinnedpubkey,
	// --cert, --key, --tls-min).
	TLSOptions
	// Proxy is --proxy and --noproxy; NoopInterval --noop-interval.
	Proxy        ProxyOptions
	NoopInterval time.Duration
	// NoPipeline sends each command after the reply to the one before:
	// no pipelined commands, no lookahead (client.WithPipelining).
	NoPipeline bool
}

// CharsetUsage is the help of --charset, in both front ends.
const CharsetUsage = "`NAME` of the charset of the server's names when they are not UTF-8 (" + client.CharsetExamples + "); names are shown and saved in UTF-8"

// CheckCharset refuses a --charset that ferry does not know (a usage
// error, exit code 2).
func (o *GlobalOptions) CheckCharset() error {
	if o.Charset == "" {
		return nil
	}
	if _, err := client.LookupCharset(o.Charset); err != nil {
		return usageErrorf("--charset: %v", err)
	}
	return nil
}

// AddCommandFlags defines the global flags that make sense for a single
// command too (--retries, -q, --no-progress, --json, --no-pipeline), with the values o
// holds as their defaults: the command line registers them once for all
// its commands, and the shell on each command that runs an operation.
func (o *GlobalOptions) AddCommandFlags(fl *pflag.FlagSet) {
	fl.IntVar(&o.Retries, "retries", o.Retries, "retry a transfer that failed in a way that may pass (lost connection, 4xx reply) this many times, resuming it; 0 turns retries off")
	fl.BoolVarP(&o.Quiet, "quiet", "q", o.Quiet, "print no status messages or progress")
	fl.BoolVar(&o.NoProgress, "no-progress", o.NoProgress, "show no progress bars")
	fl.BoolVar(&o.JSON, "json", o.JSON, "print results as JSON")
	fl.BoolVar(&o.NoPipeline, "no-pipeline", o.NoPipeline, "send each command only after the reply to the one before (no EPSV and RETR in one write, no batches of SIZE and MDTM, no next download sent ahead), for servers that cannot take more")
}

// Remote is a resolved remote address: where to connect and which path.
type Remote struct {
	Target ftpurl.Target
	// Mode is the bookmark's data-connection mode, if it sets one.
	Mode string
	// Charset is the bookmark's charset, if it sets one.
	Charset string
	// TLS holds the bookmark's TLS trust settings, if it sets any.
	TLS TLSOptions
	// Proxy is the bookmark's proxy URL, if it sets one.
	Proxy string
}

// Path returns the remote path, "" for the login folder.
func (r Remote) Path() string { return r.Target.Path }

// key identifies the session a remote needs.
func (r Remote) key() string {
	t := r.Target
	return t.Scheme + "://" + t.User + "@" + t.Addr()
}

// Env is what an operation needs from the front end that runs it: the
// streams, the settings, and how addresses become connections. The
// command line makes one per command from its flags; the shell makes one
// per command line over its own session. An Env serves one command.
type Env struct {
	IO   *IOStreams
	Opts *GlobalOptions

	// Resolve turns an address argument into a Remote: an ftp:// URL or
	// a bookmark on the command line, a path in the shell.
	Resolve func(arg string) (Remote, error)
	// Site returns the connection settings of a remote, for the pools
	// of the operations that move several files at once. Its listings
	// must draw on Budget.
	Site func(Remote) (transfer.Site, error)
	// Open returns a logged-in session for a remote.
	Open func(ctx context.Context, r Remote) (*transfer.Session, error)
	// Login, when set, is the login folder of the front end's session
	// (the shell's, which moves with cd); else an operation takes its
	// session's folder for it.
	Login string
	// Shared is set when the addresses are paths on the front end's own
	// session (the shell's): operations take every argument for a path,
	// never close the session, and lend its connection to their pools
	// only to give it back.
	Shared bool
	// Local returns the local path an argument names; nil takes it as it
	// is, relative to the process's folder.
	Local func(string) string
	// Confirm, when set, asks before each file of the command (the
	// shell's mget, mput and mdelete with prompt on): ok goes on with
	// this one, stop drops it and all the rest.
	Confirm func(name string) (ok, stop bool, err error)
	// Retried, when set, reports whether the front end will run the
	// whole command again after it failed with err (the shell does when
	// the server had dropped its idle session): such failures are not
	// printed.
	Retried func(err error) bool
	// Ask, when set, shows a question and reads the answer (the
	// interactive shell's line editor); nil asks on the terminal when
	// stdin and stderr are one, and refuses otherwise.
	Ask func(question string) (string, error)
	// JSONLines prints --json results as one compact object per line
	// (the shell's --json) instead of indented JSON.
	JSONLines bool
	// live, while progress bars show, is where status lines and
	// warnings go: above the bars.
	live io.Writer

	// Budget, when set, is the budget the command's listings draw on
	// (see client.Budget); else ListBudget makes one from Opts.
	Budget *client.Budget
}

// local returns the local path p names.
func (f *Env) local(p string) string {
	if f.Local == nil || p == "" || p == "-" {
		return p
	}
	return f.Local(p)
}

// Status prints a status message on stderr unless --quiet.
func (f *Env) Status(format string, args ...any) {
	if f.Opts.Quiet {
		return
	}
	fmt.Fprintf(f.errOut(), format+"\n", args...)
}

// warnFailed prints the failure of one item, unless the front end will
// run the command again.
func (f *Env) warnFailed(name string, err error) {
	if f.Retried != nil && f.Retried(err) {
		return
	}
	f.Warn("%s: %v", client.Sanitize(name), err)
}

// Warn prints a warning on stderr, even with --quiet.
func (f *Env) Warn(format string, args ...any) {
	fmt.Fprintf(f.errOut(), "ferry: "+format+"\n", args...)
}

// errOut returns where status lines and warnings go: above the progress
// bars while they show, else stderr.
func (f *Env) errOut() io.Writer {
	if f.live != nil {
		return f.live
	}
	return f.IO.ErrOut
}

// connect resolves addr and returns a logged-in session for it and the
// session's connection. The caller ends the session with release.
func (f *Env) connect(ctx context.Context, addr string) (Remote, *transfer.Session, *client.Conn, error) {
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
		f.release(ctx, s)
		return Remote{}, nil, nil, err
	}
	return r, s, c, nil
}

// release ends a session connect or sessions returned, unless it belongs
// to the front end.
func (f *Env) release(ctx context.Context, s *transfer.Session) {
	if !f.Shared {
		s.End()
	}
}

// sessions keeps one session per server for commands that take several
// addresses.
type sessions struct {
	f    *Env
	open map[string]*transfer.Session
}

func newSessions(f *Env) *sessions {
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
	for _, sess := range s.open {
		s.f.release(context.Background(), sess)
	}
}

// writeJSON prints v on stdout as indented JSON, or with JSONLines as
// one line.
func (f *Env) writeJSON(v any) error {
	if f.JSONLines {
		return json.NewEncoder(f.IO.Out).Encode(v)
	}
	return WriteJSON(f.IO.Out, v)
}

// confirm asks Confirm about each of names, in order, and returns the
// indexes of those to go on with; without Confirm, all of them. A "stop"
// answer keeps those confirmed before it.
func (f *Env) confirm(names []string) ([]int, error) {
	keep := make([]int, 0, len(names))
	for i, n := range names {
		if f.Confirm == nil {
			keep = append(keep, i)
			continue
		}
		ok, stop, err := f.Confirm(n)
		if err != nil {
			return nil, err
		}
		if stop {
			break
		}
		if ok {
			keep = append(keep, i)
		}
	}
	return keep, nil
}

// ask returns how to ask the user a question, or nil when nobody can
// answer (a script).
func (f *Env) ask() func(string) (string, error) {
	if f.Ask != nil {
		return f.Ask
	}
	if !f.IO.StdinTTY || !f.IO.StderrTTY {
		return nil
	}
	return func(q string) (string, error) {
		fmt.Fprint(f.IO.ErrOut, q)
		return bufio.NewReader(f.IO.In).ReadString('\n')
	}
}
