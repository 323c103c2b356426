package ops

import (
	"context"
	"errors"
	"strings"

	"github.com/spf13/pflag"

	"github.com/ferry-ftp/ferry/client"
)

// QuoteOptions are the options of `ferry quote`.
type QuoteOptions struct {
	F       *Env
	Address string
	Command string
}

var quoteCommand = Command{
	Name:    "quote",
	Use:     "quote URL COMMAND...",
	Short:   "Send a raw FTP command and print the reply",
	MinArgs: 2, MaxArgs: -1,
	New: func() Operation { return &QuoteOptions{} },
	Long: `Log in, send one raw FTP command, and print the server's reply code and
text on stdout. A reply of 400 or above exits with code 5. Commands that
need a data connection or change the session's state are refused; use
the ferry commands for those.`,
	Example: `  ferry quote ftp://example.org/ SYST
  ferry quote ftp://user@example.org/ SITE HELP`,
}

// AddFlags defines quote's flags.
func (o *QuoteOptions) AddFlags(fl *pflag.FlagSet) {

}

// Args takes the positional arguments and checks the flags.
func (o *QuoteOptions) Args(fl *pflag.FlagSet, args []string) error {
	o.Address, o.Command = args[0], strings.Join(args[1:], " ")
	return nil
}

// Run does it.
func (o *QuoteOptions) Run(ctx context.Context, env *Env) error {
	o.F = env
	return quoteRun(ctx, o)
}

func quoteRun(ctx context.Context, o *QuoteOptions) error {
	f := o.F
	r, s, c, err := f.connect(ctx, o.Address)
	if err != nil {
		return err
	}
	defer f.release(ctx, s)
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
	if err := f.printer().reply(code, strings.Split(text, "\n")); err != nil {
		return err
	}
	if code >= 400 {
		return Shown{&client.ReplyError{Cmd: o.Command, Code: code, Msg: text}}
	}
	return nil
}
