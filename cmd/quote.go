package cmd

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ferry-ftp/ferry/client"
)

// QuoteOptions are the options of `ferry quote`.
type QuoteOptions struct {
	F       *Factory
	Address string
	Command string
}

// NewCmdQuote returns `ferry quote`.
func NewCmdQuote(f *Factory, runF func(context.Context, *QuoteOptions) error) *cobra.Command {
	o := &QuoteOptions{F: f}
	return &cobra.Command{
		Use:   "quote URL COMMAND...",
		Short: "Send a raw FTP command and print the reply",
		Long: `Log in, send one raw FTP command, and print the server's reply code and
text on stdout. A reply of 400 or above exits with code 5. Commands that
need a data connection or change the session's state are refused; use
the ferry commands for those.`,
		Example: `  ferry quote ftp://example.org/ SYST
  ferry quote ftp://user@example.org/ SITE HELP`,
		Args: minArgs(2),
		RunE: func(c *cobra.Command, args []string) error {
			o.Address, o.Command = args[0], strings.Join(args[1:], " ")
			if runF != nil {
				return runF(c.Context(), o)
			}
			return quoteRun(c.Context(), o)
		},
	}
}

func quoteRun(ctx context.Context, o *QuoteOptions) error {
	f := o.F
	r, s, c, err := f.connect(ctx, o.Address)
	if err != nil {
		return err
	}
	defer s.Close(context.WithoutCancel(ctx))
	if p := r.Path(); p != "" {
		if err := s.Chdir(ctx, p); err != nil {
			return err
		}
	}
	code, text, err := c.Quote(ctx, o.Command)
	if errors.Is(err, client.ErrQuoteRefused) {
		return usageErrorf("%v; use ferry get, put, ls or cat for transfers and listings", err)
	}
	if err != nil {
		return err
	}
	for _, line := range strings.Split(text, "\n") {
		fmt.Fprintf(f.IO.Out, "%d %s\n", code, line)
	}
	if code >= 400 {
		return silent{&client.ReplyError{Cmd: o.Command, Code: code, Msg: text}}
	}
	return nil
}
