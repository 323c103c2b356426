package cmd

import (
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/ferry-ftp/ferry/internal/config"
	"github.com/ferry-ftp/ferry/internal/ftpurl"
	"github.com/ferry-ftp/ferry/ops"
)

// NewCmdBookmark returns `ferry bookmark` and its sub-commands.
func NewCmdBookmark(f *Factory) *cobra.Command {
	c := &cobra.Command{
		Use:   "bookmark",
		Short: "Manage named sites (bookmarks)",
		Long: `Bookmarks name a site (host, port, user, TLS, mode, folder and, for a
server whose names are not UTF-8, charset) so that NAME:/path works
wherever a URL does. They live in the configuration file and never hold
passwords: put those in ~/.netrc or $FERRY_PASSWORD.`,
		Example: `  ferry bookmark add work ftpes://alice@ftp.example.org/projects
  ferry bookmark list
  ferry ls work:
  ferry get work:reports/q3.pdf
  ferry bookmark rm work`,
	}
	c.AddCommand(newBookmarkAdd(f), newBookmarkList(f), newBookmarkRm(f))
	return c
}

func newBookmarkAdd(f *Factory) *cobra.Command {
	var mode, charset, proxyURL string
	c := &cobra.Command{
		Use:   "add NAME URL",
		Short: "Add or replace a bookmark",
		Example: `  ferry bookmark add work ftpes://alice@ftp.example.org/projects
  ferry ls work:
  ferry get work:reports/q3.pdf
  ferry bookmark add old ftp://ftp.example.ru/pub --charset cp1251`,
		Args: exactArgs(2),
		RunE: func(c *cobra.Command, args []string) error {
			name := args[0]
			if !ftpurl.IsBookmarkName(name) {
				return usageErrorf("bookmark name %q: use letters, digits, '_', '.' and '-', starting with a letter", name)
			}
			t, err := ftpurl.Parse(args[1])
			if err != nil {
				return &FlagError{Err: err}
			}
			if t.Bookmark != "" {
				return usageErrorf("a bookmark needs a URL, not another bookmark")
			}
			cfg, err := f.Config()
			if err != nil {
				return err
			}
			site := config.SiteFromTarget(name, t)
			site.Mode, site.Charset, site.Proxy = mode, charset, proxyURL
			if err := cfg.AddSite(site); err != nil {
				return &FlagError{Err: err}
			}
			p, err := f.configPath()
			if err != nil {
				return err
			}
			if err := cfg.Save(p); err != nil {
				return err
			}
			if t.HasPassword {
				f.Warn("the password in the URL was not saved; use ~/.netrc or $FERRY_PASSWORD")
			}
			f.Status("bookmark %s -> %s", name, t)
			return nil
		},
	}
	c.Flags().StringVar(&mode, "mode", "", "data-connection mode for this site: passive or active")
	c.Flags().StringVar(&charset, "charset", "", "the charset of this site's names when it is not UTF-8 (cp1251, latin1, shift_jis...)")
	c.Flags().StringVar(&proxyURL, "proxy", "", "connect to this site through the proxy `URL` (socks5://, socks5h:// or http://, without a password)")
	return c
}

func newBookmarkList(f *Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List bookmarks",
		Example: `  ferry bookmark list
  ferry bookmark list --json`,
		Args: exactArgs(0),
		RunE: func(c *cobra.Command, _ []string) error {
			cfg, err := f.Config()
			if err != nil {
				return err
			}
			if f.Opts.JSON {
				type js struct {
					Name    string `json:"name"`
					URL     string `json:"url"`
					Mode    string `json:"mode,omitempty"`
					Charset string `json:"charset,omitempty"`
					Proxy   string `json:"proxy,omitempty"`
				}
				out := []js{}
				for _, s := range cfg.Sites {
					out = append(out, js{s.Name, s.Target("").String(), s.Mode, s.Charset, s.Proxy})
				}
				return ops.WriteJSON(f.IO.Out, out)
			}
			tw := tabwriter.NewWriter(f.IO.Out, 0, 4, 2, ' ', 0)
			for _, s := range cfg.Sites {
				mode, charset := s.Mode, s.Charset
				if mode == "" {
					mode = "-"
				}
				if charset == "" {
					charset = "-"
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", s.Name, s.Target("").String(), mode, charset)
			}
			return tw.Flush()
		},
	}
}

func newBookmarkRm(f *Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "rm NAME...",
		Short: "Remove bookmarks",
		Example: `  ferry bookmark rm work
  ferry bookmark rm old1 old2`,
		Args: minArgs(1),
		ValidArgsFunction: func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
			cfg, err := f.Config()
			if err != nil {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			var names []string
			for _, s := range cfg.Sites {
				names = append(names, s.Name)
			}
			return names, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(c *cobra.Command, args []string) error {
			cfg, err := f.Config()
			if err != nil {
				return err
			}
			for _, name := range args {
				if !cfg.RemoveSite(name) {
					return usageErrorf("no bookmark named %q", name)
				}
			}
			p, err := f.configPath()
			if err != nil {
				return err
			}
			return cfg.Save(p)
		},
	}
}
