// Package cmd is ferry's command line: the cobra command tree, the global
// flags and the configuration file, and how URLs and bookmarks become
// logged-in sessions (Factory). Each operation's command is made from its
// description in package ops (newOpCmd), which the shell uses too; the
// commands that are the command line's own are bookmark, shell, version
// and completion. Run maps errors to exit codes with ops.ExitCode.
package cmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/ferry-ftp/ferry/client"
	"github.com/ferry-ftp/ferry/internal/config"
	"github.com/ferry-ftp/ferry/ops"
	"github.com/ferry-ftp/ferry/transfer"
)

// Main runs ferry with the given arguments and streams and returns the
// process exit code. SIGINT, SIGTERM and SIGHUP (a closed terminal or a
// dropped ssh session) cancel the running command (exit code 130), so
// that a partial transfer is left where a later -c resumes it; a second
// signal ends the process at once.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	go func() {
		<-ctx.Done()
		stop() // a second signal gets the default behaviour
	}()
	defer stop()
	f := &Factory{
		IO:     SystemIO(stdin, stdout, stderr),
		Opts:   &GlobalOptions{},
		Getenv: os.Getenv,
		Home:   os.UserHomeDir,
	}
	return Run(ctx, f, args)
}

// Run executes the command line with a ready factory and returns the exit
// code. Tests call it with their own streams.
func Run(ctx context.Context, f *Factory, args []string) int {
	root := NewRootCmd(f)
	root.SetArgs(args)
	root.SetIn(f.IO.In)
	root.SetOut(f.IO.Out)
	root.SetErr(f.IO.ErrOut)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return ops.ExitOK
	}
	if strings.HasPrefix(err.Error(), "unknown command ") {
		// cobra's own error for a command that does not exist: a usage
		// error, as an unknown flag is.
		err = &FlagError{Err: err}
	}
	code := ExitCode(err)
	var pe *ops.PartialError
	var already ops.Shown
	switch {
	case errors.As(err, &already):
		// Printed where it happened.
	case code == ops.ExitInterrupted:
		msg := "interrupted"
		var ie *ops.Interrupted
		if errors.As(err, &ie) {
			msg = ie.Error()
		}
		fmt.Fprintf(f.IO.ErrOut, "ferry: %s\n", msg)
	case errors.As(err, &pe), errors.As(err, new(*config.Error)):
		fmt.Fprintf(f.IO.ErrOut, "ferry: %v\n", err)
	default:
		fmt.Fprintf(f.IO.ErrOut, "ferry: %v\n", err)
		if h := ops.Hint(err); h != "" {
			fmt.Fprintf(f.IO.ErrOut, "ferry: %s\n", h)
		}
		if code == ops.ExitUsage {
			fmt.Fprintln(f.IO.ErrOut, "Run 'ferry --help' for usage.")
		}
	}
	return code
}

// NewRootCmd returns the root of the command tree.
func NewRootCmd(f *Factory) *cobra.Command {
	root := &cobra.Command{
		Use:   "ferry",
		Short: "An FTP client for the terminal",
		Long: `ferry is an FTP client: one-shot commands on ftp:// URLs for people and
scripts, in passive or active mode, over plain FTP or TLS.

Addresses:
  ftp://[user[:password]@]host[:port]/path   path relative to the login folder
  ftp://host//abs/path or ftp://host/%2Fabs  an absolute path
  ftps://host/path                           implicit TLS (port 990)
  ftpes://host/path                          explicit TLS (AUTH TLS)
  NAME:/path                                 a bookmark (see 'ferry bookmark')

Credentials come from the URL, then --user with $FERRY_PASSWORD or ~/.netrc,
then a prompt on a terminal; without a user, ferry logs in anonymously.

Names: without --charset, a name that is not UTF-8 is shown with its bytes
escaped (caf\xe9.txt) and sent back as the same bytes; --json adds its
bytes in base64 (name_bytes, path_bytes...). --charset NAME (cp1251,
latin1, shift_jis...; also a bookmark and configuration setting) converts
names from and to a server that uses another charset; a name the charset
cannot write fails alone, exit 5, and is never sent in another form.

Proxies: --proxy socks5://, socks5h:// (the proxy resolves names) or
http:// (CONNECT), with USER:PASSWORD@ if needed; without it, $ftp_proxy
($ftps_proxy for ftps://) or $all_proxy, as curl reads them, except for
the hosts in $NO_PROXY or --noproxy. The control and the passive data
connections go through the proxy; active mode cannot (exit 2). The proxy's
password is never printed.

` + ops.ExitCodeHelp,
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(c *cobra.Command, _ []string) error {
			if !usesConfig(c) {
				return nil
			}
			if err := applyConfigDefaults(f, c.Flags()); err != nil {
				return err
			}
			if err := f.Opts.CheckCharset(); err != nil {
				return err
			}
			if err := f.Opts.CheckTLSMin(); err != nil {
				return err
			}
			return f.Opts.CheckLimits()
		},
	}
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return &FlagError{Err: err} })
	o := f.Opts
	fl := root.PersistentFlags()
	fl.BoolVar(&o.Active, "active", false, "use active mode (the server connects to ferry); default is passive")
	fl.StringVar(&o.ActiveAddr, "active-addr", "", "IP address to announce in active mode (behind NAT)")
	fl.StringVar(&o.ActivePorts, "active-ports", "", "local port range LO-HI for active mode")
	fl.BoolVar(&o.NoEPSV, "no-epsv", false, "do not use EPSV/EPRT (IPv4 PASV/PORT only)")
	fl.BoolVar(&o.TLS, "tls", false, "require explicit TLS (AUTH TLS) on ftp:// addresses")
	fl.BoolVar(&o.Insecure, "insecure", false, "do not verify the server's TLS certificate (a last resort: see --cacert, --pinnedpubkey, 'ferry trust add')")
	o.AddTLSFlags(fl)
	fl.StringVar(&o.Charset, "charset", "", ops.CharsetUsage)
	addNetworkFlags(fl, o)
	fl.StringVarP(&o.User, "user", "u", "", "login name (password from $FERRY_PASSWORD, ~/.netrc or a prompt)")
	fl.StringVar(&o.NetrcFile, "netrc-file", "", "netrc file to read credentials from (default ~/.netrc)")
	fl.DurationVar(&o.Timeout, "timeout", 30*time.Second, "connect and idle timeout")
	fl.BoolVarP(&o.Verbose, "verbose", "v", false, "print the protocol exchange on stderr (passwords masked)")
	o.Retries = transfer.DefaultRetries
	o.AddCommandFlags(fl)
	fl.StringVar(&o.ConfigPath, "config", "", "configuration file (default $XDG_CONFIG_HOME/ferry/config.toml)")
	fl.Int64Var(&o.MaxEntries, "max-entries", client.DefaultMaxEntries, "keep at most `N` listing entries in memory in all (a mirror's tree, ls -R's folders, pattern matches)")
	o.MaxListingSize = client.DefaultMaxListingSize
	fl.Var(&o.MaxListingSize, "max-listing-size", "read at most `SIZE` of listings in all (K, M, G suffixes)")

	for _, spec := range ops.Commands {
		root.AddCommand(newOpCmd(f, spec.Name, nil))
	}
	root.AddCommand(NewCmdBookmark(f), NewCmdShell(f, nil), newVersionCmd())
	root.AddCommand(NewCmdTrust(f))
	root.InitDefaultCompletionCmd()
	for _, c := range root.Commands() {
		if c.Name() == "completion" {
			c.Example = `  source <(ferry completion bash)
  ferry completion zsh > "${fpath[1]}/_ferry"
  ferry completion fish > ~/.config/fish/completions/ferry.fish
  ferry completion powershell | Out-String | Invoke-Expression`
		}
	}
	return root
}

// usesConfig reports whether a command reads the configuration file.
// Those that print help, the version or completion scripts do not, so
// that they work whatever the file holds.
func usesConfig(c *cobra.Command) bool {
	for ; c != nil; c = c.Parent() {
		switch c.Name() {
		case "version", "help", "completion", cobra.ShellCompRequestCmd, cobra.ShellCompNoDescRequestCmd:
			return false
		}
	}
	return true
}

// applyConfigDefaults fills flags the user did not set from the
// configuration file's [defaults].
func applyConfigDefaults(f *Factory, fl *pflag.FlagSet) error {
	cfg, err := f.Config()
	if err != nil {
		return err
	}
	d := cfg.Defaults
	set := func(name, value string) error {
		if fl.Lookup(name) == nil || fl.Changed(name) {
			return nil
		}
		if err := fl.Set(name, value); err != nil {
			return usageErrorf("config default %s = %q: %v", name, value, err)
		}
		return nil
	}
	setBool := func(name string, v *bool) error {
		if v == nil {
			return nil
		}
		return set(name, fmt.Sprint(*v))
	}
	setStr := func(name, v string) error {
		if v == "" {
			return nil
		}
		return set(name, v)
	}
	setInt := func(name string, v *int) error {
		if v == nil {
			return nil
		}
		return set(name, fmt.Sprint(*v))
	}
	return errors.Join(
		setBool("active", d.Active), setStr("active-addr", d.ActiveAddr), setStr("active-ports", d.ActivePorts),
		setBool("no-epsv", d.NoEPSV), setBool("no-pipeline", d.NoPipeline), setBool("tls", d.TLS), setBool("insecure", d.Insecure),
		setStr("user", d.User), setStr("netrc-file", d.NetrcFile), setStr("timeout", d.Timeout),
		setInt("retries", d.Retries), setBool("quiet", d.Quiet), setBool("no-progress", d.NoProgress),
		setInt("parallel", d.Parallel), setStr("tls-min", d.TLSMin), setStr("noop-interval", d.NoopInterval),
	)
}

func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:     "version",
		Short:   "Print ferry's version",
		Example: "  ferry version",
		Args:    cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			fmt.Fprintf(c.OutOrStdout(), "ferry %s\n", version())
			return nil
		},
	}
}

// version returns the module version stamped by the Go toolchain, or
// "devel" for a build from a work tree.
func version() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "devel"
}

// exactArgs is cobra.ExactArgs with a usage error.
func exactArgs(n int) cobra.PositionalArgs {
	return func(c *cobra.Command, args []string) error {
		if len(args) != n {
			return usageErrorf("%s takes %d argument(s), got %d", c.CommandPath(), n, len(args))
		}
		return nil
	}
}

// minArgs is cobra.MinimumNArgs with a usage error.
func minArgs(n int) cobra.PositionalArgs {
	return func(c *cobra.Command, args []string) error {
		if len(args) < n {
			return usageErrorf("%s needs at least %d argument(s)", c.CommandPath(), n)
		}
		return nil
	}
}
