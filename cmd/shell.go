package cmd

import (
	"context"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/ferry-ftp/ferry/client"
	"github.com/ferry-ftp/ferry/internal/config"
	"github.com/ferry-ftp/ferry/internal/ftpurl"
	"github.com/ferry-ftp/ferry/ops"
	"github.com/ferry-ftp/ferry/shell"
	"github.com/ferry-ftp/ferry/transfer"
)

// ShellOptions are the options of `ferry shell`.
type ShellOptions struct {
	F       *Factory
	Address string
	// Batch is the -b script: a file name, or "-" for stdin.
	Batch string
	// Parallel is how many files mget, mput and mirror move at once.
	Parallel int
}

// NewCmdShell returns `ferry shell`.
func NewCmdShell(f *Factory, runF func(context.Context, *ShellOptions) error) *cobra.Command {
	o := &ShellOptions{F: f}
	c := &cobra.Command{
		Use:   "shell [URL|BOOKMARK] [-b FILE]",
		Short: "Interactive ftp> shell, or run a batch script",
		Long: `Open the interactive ftp> shell, connected to URL or BOOKMARK when one is
given. Type help for the commands (open, ls, cd, get, mget, put, mput,
mirror, reget, ...) and help COMMAND for one of them. Tab completes commands,
remote and local paths and bookmarks; the history is kept in
$XDG_STATE_HOME/ferry/history (never with passwords). Ctrl-C stops a
transfer and keeps its partial file for reget; Ctrl-D or bye leaves.
After the server drops an idle session, the next command reconnects and
returns to the remote folder.

Batch mode: with -b FILE (-b - for stdin), or when stdin is not a
terminal, ferry runs the commands of the script instead. Blank lines are
skipped, and a "#" that starts a word (outside quotes) starts a comment
that runs to the end of the line, as in sh; each command is echoed to stderr as
"ftp> command" unless -q. The first failing command ends the script, and
ferry exits with that command's exit code (see 'ferry --help'). A line
starting with "-" may fail: ferry reports the error and goes on. Batch
scripts never ask before each file of mget, mput or mdelete.

The shell's commands (get, put, mirror, ls, rm and the others with a twin
here take that command's flags; help COMMAND in the shell explains one):

` + shell.CommandList(),
		Example: `  ferry shell ftp://user@ftp.example.org/pub
  ferry shell work

  # nightly.ftp: the mkdir may fail when the folder exists.
  -mkdir backups    # exists after the first night
  cd backups
  put backup.tar.gz
  bye

  ferry shell ftp://user@example.org/ -b nightly.ftp
  printf 'cd pub\nmget *.txt\n' | ferry shell ftp://example.org/ -b -`,
		Args: func(c *cobra.Command, args []string) error {
			if len(args) > 1 {
				return usageErrorf("%s takes at most one address, got %d", c.CommandPath(), len(args))
			}
			return nil
		},
		ValidArgsFunction: firstRemoteArg(f),
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) == 1 {
				o.Address = args[0]
			}
			if runF != nil {
				return runF(c.Context(), o)
			}
			return shellRun(c.Context(), o)
		},
	}
	c.Flags().StringVarP(&o.Batch, "batch", "b", "", "run the commands in `FILE` (- for stdin) and exit")
	c.Flags().IntVar(&o.Parallel, "parallel", transfer.DefaultParallel, "move up to `N` files at once in mget, mput and mirror (config: parallel)")
	return c
}

func shellRun(ctx context.Context, o *ShellOptions) error {
	f := o.F
	cfg := shell.Config{
		Open:         shellOpen(f),
		Insecure:     shellInsecure(f),
		Proxy:        shellProxy(f),
		LoginName:    shellLoginName(f),
		Bookmarks:    shellBookmarks(f),
		SaveBookmark: shellSaveBookmark(f),
		StderrTTY:    f.IO.StderrTTY && !f.Opts.Quiet && !f.Opts.NoProgress,
		JSON:         f.Opts.JSON,

		Stdin:       f.IO.In,
		Stdout:      f.IO.Out,
		Stderr:      f.IO.ErrOut,
		Quiet:       f.Opts.Quiet,
		Verbose:     f.Opts.Verbose,
		Active:      f.Opts.Active,
		Retries:     f.Opts.Retries,
		Parallel:    o.Parallel,
		Getenv:      f.Getenv,
		HistoryFile: historyPath(f),
		Limits:      f.Opts.Limits(),
	}
	switch {
	case o.Batch == "-":
		cfg.Script = f.IO.In
	case o.Batch != "":
		file, err := os.Open(o.Batch)
		if err != nil {
			return &transfer.LocalError{Op: "open", Path: o.Batch, Err: err}
		}
		defer file.Close()
		cfg.Script = file
	case !f.IO.StdinTTY:
		cfg.Script = f.IO.In
	}
	// In the shell, Ctrl-C stops the running command, not ferry.
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer signal.Stop(sigs)
	cfg.Signals = sigs

	sh, err := shell.New(cfg)
	if err != nil {
		return err
	}
	if err := sh.Run(ctx, o.Address); err != nil {
		// The shell printed it; the exit code follows it.
		return ops.Shown{Err: err}
	}
	return nil
}

// shellOpen resolves an address and connects, for the shell's open. The
// shell adds its own trace writer, so the factory's is left out.
func shellOpen(f *Factory) func(context.Context, string, ...client.Option) (shell.Connection, error) {
	return func(ctx context.Context, addr string, opts ...client.Option) (shell.Connection, error) {
		r, err := f.Resolve(addr)
		if err != nil {
			return shell.Connection{}, err
		}
		f.files() // shared with the copy: files are read once
		quiet := *f
		gopts := *f.Opts
		gopts.Verbose = false
		quiet.Opts = &gopts
		site, err := quiet.Site(r, nil)
		if err != nil {
			return shell.Connection{}, err
		}
		charset, err := f.charsetOf(r)
		if err != nil {
			return shell.Connection{}, err
		}
		site.Options = append(site.Options, opts...)
		sess, err := transfer.Open(ctx, site)
		if err != nil {
			return shell.Connection{}, err
		}
		return shell.Connection{Session: sess, Target: r.Target, Charset: charset}, nil
	}
}

// shellInsecure returns the client option of the shell's open --insecure
// for an address: its TLS settings without certificate verification (the
// pinned keys still apply).
func shellInsecure(f *Factory) func(string) (client.Option, error) {
	return func(addr string) (client.Option, error) {
		r, err := f.Resolve(addr)
		if err != nil {
			return nil, err
		}
		f.files()
		p, err := f.tlsPolicy(r)
		if err != nil {
			return nil, err
		}
		p.Insecure = true
		return client.WithTLSConfig(p.Config()), nil
	}
}

// shellLoginName returns the user an address logs in as: the URL's or
// bookmark's, --user's, or a ~/.netrc entry's for its host; "" when none.
func shellLoginName(f *Factory) func(string) (string, error) {
	return func(addr string) (string, error) {
		r, err := f.Resolve(addr)
		if err != nil {
			return "", err
		}
		if u := r.Target.User; u != "" {
			return u, nil
		}
		if f.Opts.User != "" {
			return f.Opts.User, nil
		}
		if m, ok := f.netrcEntry(r.Target.Host, ""); ok {
			return m.Login, nil
		}
		return "", nil
	}
}

// shellBookmarks lists the configured bookmarks.
func shellBookmarks(f *Factory) func() ([]shell.Bookmark, error) {
	return func() ([]shell.Bookmark, error) {
		cfg, err := f.Config()
		if err != nil {
			return nil, err
		}
		var out []shell.Bookmark
		for _, s := range cfg.Sites {
			out = append(out, shell.Bookmark{Name: s.Name, URL: s.Target("").String()})
		}
		return out, nil
	}
}

// shellSaveBookmark adds a bookmark to the configuration file, as
// `ferry bookmark add` does, with the session's charset.
func shellSaveBookmark(f *Factory) func(string, ftpurl.Target, string) error {
	return func(name string, t ftpurl.Target, charset string) error {
		cfg, err := f.Config()
		if err != nil {
			return err
		}
		site := config.SiteFromTarget(name, t)
		site.Charset = charset
		if err := cfg.AddSite(site); err != nil {
			return &FlagError{Err: err}
		}
		p, err := f.configPath()
		if err != nil {
			return err
		}
		return cfg.Save(p)
	}
}

// historyPath returns $XDG_STATE_HOME/ferry/history, by default under
// ~/.local/state, or "" when neither is known.
func historyPath(f *Factory) string {
	dir := f.Getenv("XDG_STATE_HOME")
	if dir == "" {
		home, err := f.Home()
		if err != nil {
			return ""
		}
		dir = filepath.Join(home, ".local", "state")
	}
	return filepath.Join(dir, "ferry", "history")
}
