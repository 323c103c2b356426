// Package shell is ferry's interactive ftp> shell and its batch mode.
//
// One command table (commands.go) drives dispatch, help and completion.
// The shell keeps one transfer.Session, which reconnects after the server
// drops it. The commands with a twin on the command line (get, put,
// mirror, ls, rm, ...) run that twin's operation from package ops, with
// its flags, over the shell's session and folders (ops.go): they behave,
// report and fail as the command line does. The rest (open, cd, lcd,
// dir, size, ...) are the shell's own. What the shell needs from the
// command line (resolving an address and its credentials, bookmarks) comes
// in through Config, so that this package does not import package cmd.
package shell

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/chzyer/readline"

	"github.com/ferry-ftp/ferry/client"
	"github.com/ferry-ftp/ferry/completion"
	"github.com/ferry-ftp/ferry/internal/ftpurl"
	"github.com/ferry-ftp/ferry/ops"
	"github.com/ferry-ftp/ferry/transfer"
)

// Connection is what Config.Open returns: a logged-in session and the
// resolved address it was opened for.
type Connection struct {
	Session *transfer.Session
	// Target is the resolved address: its Host names the server in the
	// prompt, its Path is the folder to enter, and bookmarks are made from
	// it.
	Target ftpurl.Target
	// Charset is the charset of the server's names the session uses
	// (--charset, the bookmark's or the configuration's), "" for none.
	Charset string
}

// Bookmark is a named site, as `bookmark` lists it.
type Bookmark struct {
	Name string
	URL  string
}

// Config gives the shell what it needs from the command line.
type Config struct {
	// Open resolves addr (an ftp:// URL or a bookmark reference such as
	// "work:" or "work:/path"), finds its credentials and connects, adding
	// opts to the client options (the shell passes its trace writer and
	// its data mode).
	Open func(ctx context.Context, addr string, opts ...client.Option) (Connection, error)
	// Insecure, when set, returns the client option that open --insecure
	// adds for addr: the front end's TLS settings (client certificate,
	// pinned keys, lowest version) without certificate verification. Nil
	// adds a TLS configuration that verifies nothing.
	Insecure func(addr string) (client.Option, error)
	// Proxy returns the client options of open --proxy URL for addr: URL
	// as the command line's --proxy ("" connects directly), with its
	// --noproxy and NO_PROXY. Nil makes open --proxy fail.
	Proxy func(ctx context.Context, addr, url string) ([]client.Option, error)
	// LoginName returns the user addr logs in as (the URL's, --user's or
	// a ~/.netrc entry's), "" when none is known: the interactive shell's
	// open then asks for a name, as ftp(1) does. Nil never asks.
	LoginName func(addr string) (string, error)
	// Bookmarks lists the bookmarks, for `bookmark` and the completion of
	// `open`; nil means none.
	Bookmarks func() ([]Bookmark, error)
	// SaveBookmark stores t under name, with the charset of the
	// server's names ("" for none); nil makes `bookmark NAME` fail.
	SaveBookmark func(name string, t ftpurl.Target, charset string) error
	// StderrTTY says stderr is a terminal that may show progress bars
	// (not --quiet or --no-progress); they are shown in the interactive
	// shell only.
	StderrTTY bool
	// JSON prints each command's result as one JSON object per line on
	// Stdout (JSON Lines), in the shapes of the command line's --json.
	JSON bool

	// Stdin, Stdout and Stderr are the shell's streams. Listings and file
	// contents go to Stdout; echoes, status lines and errors to Stderr.
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	// Script, when set, is a batch script to run instead of reading
	// commands from a terminal: no prompt, no history, no confirmations,
	// each command echoed to Stderr, and the first failing command ends it.
	Script io.Reader
	// Signals delivers the signals the process receives while the shell
	// runs: os.Interrupt aborts the running command (and ends a batch
	// script); any other signal ends the shell.
	Signals <-chan os.Signal

	// Quiet hides status lines and batch echoes; Verbose starts with the
	// protocol trace on; Active starts in active mode; Retries is
	// --retries for transfers.
	Quiet, Verbose, Active bool
	Retries                int
	// Parallel is how many files mget, mput and mirror move at once, each
	// over a connection of its own; transfer.DefaultParallel when 0.
	Parallel int
	// HistoryFile is where the interactive shell keeps its history, ""
	// for none.
	HistoryFile string
	// Getenv reads the environment ($SHELL, $HOME, $FERRY_PASSWORD);
	// nil means os.Getenv.
	Getenv func(string) string
	// Dir is the starting local folder; "" means the process's.
	Dir string
	// Limits bound what the listings of each command may cost (see
	// client.Limits); the zero value has the defaults.
	Limits client.Limits
}

// Shell is one run of the shell. Create it with New.
type Shell struct {
	cfg         Config
	out, errOut io.Writer
	in          lineReader
	hist        *history
	interactive bool

	// mu serialises use of the session: commands, and the listings that
	// completion makes between them.
	mu      sync.Mutex
	sess    *transfer.Session
	target  ftpurl.Target
	charset string       // the session's charset of names, "" for none
	conn    *client.Conn // the connection last handed out, to notice new ones
	cwd     string       // remote folder, for the prompt and the cache keys
	login   string       // the login folder
	// prevCwd and prevLcwd are the folders before the last cd and lcd,
	// for cd - and lcd -.
	prevCwd, prevLcwd string
	cache             *completion.Cache
	budget            *client.Budget // see listBudget

	lcwd      string // local folder
	ascii     bool
	mode      client.DataMode
	modeSet   bool
	prompting bool // ask before each file of mget, mput, mdelete
	verbose   atomic.Bool
	quietRun  atomic.Bool // completion is listing: no trace
	busy      atomic.Bool // a command runs: completion offers nothing

	base     context.Context // ends when the shell must stop
	stop     context.CancelFunc
	cancelMu sync.Mutex
	cancel   context.CancelFunc // the running command's, or nil

	mayRetry bool // the running command runs again if the server dropped the session

	// tune, set by tests, adjusts readline's configuration: streams that
	// are not terminals, no raw mode.
	tune func(*readline.Config)
}

// New returns a shell for cfg. It reads from cfg.Script in batch mode and
// from a terminal (cfg.Stdin) through readline otherwise.
func New(cfg Config) (*Shell, error) {
	if cfg.Getenv == nil {
		cfg.Getenv = os.Getenv
	}
	if cfg.Stdout == nil {
		cfg.Stdout = io.Discard
	}
	if cfg.Stderr == nil {
		cfg.Stderr = io.Discard
	}
	s := &Shell{cfg: cfg, out: cfg.Stdout, errOut: cfg.Stderr, interactive: cfg.Script == nil}
	s.lcwd = cfg.Dir
	if s.lcwd == "" {
		wd, err := os.Getwd()
		if err != nil {
			return nil, &transfer.LocalError{Op: "getwd", Path: ".", Err: err}
		}
		s.lcwd = wd
	}
	if cfg.Active {
		s.mode, s.modeSet = client.Active, true
	}
	s.verbose.Store(cfg.Verbose)
	s.prompting = s.interactive
	return s, nil
}

// Run opens addr when it is not empty, then reads and runs commands until
// bye, the end of the input or a signal that ends the shell. In batch mode
// it returns the error of the first failing command whose line does not
// start with "-"; an interactive shell reports errors as they happen and
// returns nil, or an error wrapping context.Canceled when a signal ended
// it.
func (s *Shell) Run(ctx context.Context, addr string) error {
	s.base, s.stop = context.WithCancel(context.WithoutCancel(ctx))
	defer s.stop()
	if err := s.openInput(); err != nil {
		return err
	}
	defer s.in.close()
	if s.hist != nil {
		defer s.hist.close()
	}
	done := make(chan struct{})
	defer close(done)
	if s.cfg.Signals != nil {
		go s.watchSignals(s.cfg.Signals, done)
	}
	defer func() {
		s.mu.Lock() // a completion listing may still hold the session
		defer s.mu.Unlock()
		s.closeSession()
	}()

	if addr != "" {
		if err := s.runLine("open " + completion.Quote(addr)); err != nil {
			s.report(err)
			s.reportJSON(redact("open "+completion.Quote(addr), true), err)
			if !s.interactive || s.interrupted(err) && s.base.Err() != nil {
				return err
			}
		}
	}
	for {
		if err := s.base.Err(); err != nil {
			return fmt.Errorf("shell: %w", err)
		}
		line, err := s.in.readLine(s.prompt())
		switch {
		case errors.Is(err, errLineCleared):
			continue
		case errors.Is(err, io.EOF):
			if s.base.Err() != nil {
				return fmt.Errorf("shell: %w", s.base.Err())
			}
			return nil
		case err != nil:
			return err
		}
		line = strings.TrimSpace(stripComment(line))
		if line == "" {
			continue
		}
		if s.interactive && s.hist != nil {
			s.hist.add(line)
		}
		mayFail := strings.HasPrefix(line, "-")
		if !s.interactive && !s.cfg.Quiet {
			fmt.Fprintf(s.errOut, "ftp> %s\n", redact(line, true))
		}
		err = s.runLine(strings.TrimSpace(strings.TrimPrefix(line, "-")))
		if errors.Is(err, errBye) {
			return nil
		}
		if err == nil {
			continue
		}
		s.report(err)
		s.reportJSON(redact(line, true), err)
		if !s.interactive && (!mayFail || s.interrupted(err)) {
			return err
		}
	}
}

// errBye is returned by bye to end the shell.
var errBye = errors.New("bye")

// runLine parses and runs one command line.
func (s *Shell) runLine(line string) error {
	if strings.TrimSpace(line) == "" {
		return nil
	}
	// A line of words has a command, even an empty one ("" or ''), which
	// is unknown: it fails rather than passing as done.
	if completion.Unterminated(line) {
		return usageErrorf("unterminated quote or a trailing \\ in %q", redact(line, true))
	}
	name, args := parseLine(line)
	c := lookup(name)
	if c == nil {
		return usageErrorf("unknown command %q; type help for a list", name)
	}
	if c.op == "" && (len(args) < c.min || c.max >= 0 && len(args) > c.max) {
		return usageErrorf("usage: %s", c.usage)
	}
	ctx, cancel := context.WithCancel(s.base)
	defer cancel()
	s.cancelMu.Lock()
	s.cancel = cancel
	s.cancelMu.Unlock()
	defer func() {
		s.cancelMu.Lock()
		s.cancel = nil
		s.cancelMu.Unlock()
	}()

	s.busy.Store(true)
	defer s.busy.Store(false)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.listBudget().Reset()
	if c.conn && s.sess == nil && c.op == "" {
		return ops.ErrNotConnected
	}
	s.mayRetry = c.retry && s.conn != nil && s.conn.Err() == nil
	run := func() error {
		if c.op != "" {
			return s.runOp(ctx, c, args, c.confirm)
		}
		return c.run(s, ctx, args)
	}
	err := run()
	if err != nil && s.willRetry(err) {
		// The server had dropped the idle session: the command did not
		// reach it. Run it again; the session reconnects first.
		s.mayRetry = false
		err = run()
	}
	s.mayRetry = false
	return err
}

// willRetry reports whether the running command will be run again after
// failing with err: it may be repeated, it started on a live connection,
// and err says the server closed that connection (421 or EOF), not that
// the user interrupted it. Its failure is then not reported.
func (s *Shell) willRetry(err error) bool {
	return s.mayRetry && s.sess != nil && s.conn != nil && s.conn.Err() != nil &&
		client.KindOf(err) == client.KindConnection && !errors.Is(err, context.Canceled)
}

// stripComment cuts a comment off a command line, as sh does: a "#" that
// starts a word, outside quotes and not escaped, and everything after it.
// A line of "!cmd" is left whole for the local shell to read.
func stripComment(line string) string {
	if strings.HasPrefix(strings.TrimSpace(line), "!") {
		return line
	}
	var quote byte
	escape := false
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case escape:
			escape = false
		case quote == '\'':
			if c == '\'' {
				quote = 0
			}
		case quote == '"':
			if c == '"' {
				quote = 0
			} else if c == '\\' {
				escape = true
			}
		case c == '\\':
			escape = true
		case c == '"' || c == '\'':
			quote = c
		case c == '#' && (i == 0 || line[i-1] == ' ' || line[i-1] == '\t'):
			return line[:i]
		}
	}
	return line
}

// parseLine splits a command line into the command name and its
// arguments. "!cmd" runs cmd in the local shell, so everything after the
// "!" is one argument.
func parseLine(line string) (string, []string) {
	if strings.HasPrefix(line, "!") {
		rest := strings.TrimSpace(line[1:])
		if rest == "" {
			return "!", nil
		}
		return "!", []string{rest}
	}
	words, _ := completion.SplitWords(line)
	if len(words) == 0 {
		return "", nil
	}
	return words[0], words[1:]
}

// prompt returns "ftp> ", or "ftp HOST:FOLDER> " when connected.
func (s *Shell) prompt() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.sess == nil {
		return "ftp> "
	}
	return fmt.Sprintf("ftp %s:%s> ", s.target.Host, s.cwd)
}

// watchSignals turns signals into interrupts until done is closed.
func (s *Shell) watchSignals(sigs <-chan os.Signal, done <-chan struct{}) {
	for {
		select {
		case <-done:
			return
		case sig := <-sigs:
			if sig == os.Interrupt {
				s.interrupt()
			} else {
				s.stop()
				s.in.close()
			}
		}
	}
}

// interrupt aborts the running command, as Ctrl-C does: a transfer is
// cancelled (the engine sends ABOR) and its partial file kept. In batch
// mode it also ends the script.
func (s *Shell) interrupt() {
	s.cancelMu.Lock()
	defer s.cancelMu.Unlock()
	if s.cancel != nil {
		s.cancel()
	}
	if !s.interactive {
		s.stop()
	}
}

// interrupted reports whether err comes from an interrupt.
func (s *Shell) interrupted(err error) bool {
	return errors.Is(err, context.Canceled)
}

// report prints a command's error on stderr, unless it was shown already.
func (s *Shell) report(err error) {
	var sh ops.Shown
	switch {
	case errors.As(err, &sh):
	case s.interrupted(err):
		msg := "interrupted"
		var ie *ops.Interrupted
		if errors.As(err, &ie) {
			msg = ie.Error()
		}
		fmt.Fprintf(s.errOut, "ferry: %s\n", msg)
	default:
		fmt.Fprintf(s.errOut, "ferry: %v\n", err)
		if h := ops.Hint(err); h != "" {
			fmt.Fprintf(s.errOut, "ferry: %s\n", h)
		}
	}
}

// jsonError is the JSON shape of a failed command in ferry shell --json.
type jsonError struct {
	Command  string `json:"command"`
	Error    string `json:"error"`
	ExitCode int    `json:"exit_code"`
}

// reportJSON prints a failed command as one JSON line on stdout, with
// --json, so that a program reading a batch's output sees every failure
// and its exit code.
func (s *Shell) reportJSON(line string, err error) {
	if !s.cfg.JSON {
		return
	}
	json.NewEncoder(s.out).Encode(jsonError{Command: line, Error: err.Error(), ExitCode: ops.ExitCode(err)})
}

// status prints a status line on stderr unless quiet.
func (s *Shell) status(format string, args ...any) {
	if !s.cfg.Quiet {
		fmt.Fprintf(s.errOut, format+"\n", args...)
	}
}

// warn prints a warning on stderr, even when quiet.
func (s *Shell) warn(format string, args ...any) {
	fmt.Fprintf(s.errOut, "ferry: "+format+"\n", args...)
}

// notifyWarn prints a transfer's warning (PutOptions.Notify).
func (s *Shell) notifyWarn(msg string) { s.warn("%s", msg) }
