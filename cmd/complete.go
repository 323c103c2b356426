package cmd

import (
	"context"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/ferry-ftp/ferry/client"
	"github.com/ferry-ftp/ferry/completion"
	"github.com/ferry-ftp/ferry/internal/ftpurl"
	"github.com/ferry-ftp/ferry/ops"
	"github.com/ferry-ftp/ferry/transfer"
)

// completionTimeout bounds a remote completion: it must be quick and,
// when the server is slow or away, silent.
const completionTimeout = 3 * time.Second

// remoteLister adapts a control connection to completion.Lister.
type remoteLister struct{ c *client.Conn }

func (l remoteLister) ReadDir(ctx context.Context, dir string) ([]client.Entry, error) {
	return completion.ReadDir(ctx, l.c, dir)
}

func (l remoteLister) Close() error {
	return transfer.Quit(l.c)
}

var _ io.Closer = remoteLister{}

// completeDial connects for completion: never prompts, never prints.
func (f *Factory) completeDial(ctx context.Context, t ftpurl.Target) (completion.Lister, error) {
	quiet := *f
	io := *f.IO
	io.StdinTTY, io.ErrOut = false, discard{}
	opts := *f.Opts
	opts.Verbose = false
	quiet.IO, quiet.Opts = &io, &opts
	site, err := quiet.Site(Remote{Target: t}, nil)
	if err != nil {
		return nil, err
	}
	c, err := transfer.Connect(ctx, site)
	if err != nil {
		return nil, err
	}
	return remoteLister{c}, nil
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

// completeRemote completes a remote address argument: URLs through a
// listing of the server's folder, bookmark references through the
// bookmark's server, and otherwise the bookmark names and URL schemes.
func (f *Factory) completeRemote(toComplete string) ([]string, cobra.ShellCompDirective) {
	ctx, cancel := context.WithTimeout(context.Background(), completionTimeout)
	defer cancel()
	var out []string
	switch {
	case strings.Contains(toComplete, "://"):
		out, _ = completion.URL(ctx, f.completeDial, toComplete)
	case strings.Contains(toComplete, ":"):
		name, p, _ := strings.Cut(toComplete, ":")
		r, err := f.Resolve(name + ":")
		if err != nil {
			break
		}
		l, err := f.completeDial(ctx, r.Target)
		if err != nil {
			break
		}
		defer l.(io.Closer).Close()
		// Paths complete relative to the bookmark's folder.
		base := r.Target.Path
		full := ops.JoinRemote(strings.TrimSuffix(base, "/"), p)
		if strings.HasPrefix(p, "/") || base == "" {
			full = p
		}
		cands, _ := completion.Remote(ctx, l, "", full)
		for _, c := range cands {
			out = append(out, name+":"+p+strings.TrimPrefix(c, full))
		}
	default:
		var names []string
		if cfg, err := f.Config(); err == nil {
			for _, s := range cfg.Sites {
				names = append(names, s.Name+":")
			}
		}
		names = append(names, "ftp://", "ftps://", "ftpes://")
		out = completion.Names(toComplete, names)
	}
	dir := cobra.ShellCompDirectiveNoFileComp
	for _, c := range out {
		if completion.Continues(c) || strings.HasSuffix(c, "//") {
			dir |= cobra.ShellCompDirectiveNoSpace
			break
		}
	}
	return out, dir
}

// remoteArgs completes every argument as a remote address.
func remoteArgs(f *Factory) cobra.CompletionFunc {
	return func(_ *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		return f.completeRemote(toComplete)
	}
}

// putArgs completes local files, and a remote address once the word
// looks like one.
func putArgs(f *Factory) cobra.CompletionFunc {
	return func(_ *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		if ftpurl.IsRemote(toComplete) {
			return f.completeRemote(toComplete)
		}
		return nil, cobra.ShellCompDirectiveDefault
	}
}

// firstRemoteArg completes the first argument as a remote address and
// offers nothing after it.
func firstRemoteArg(f *Factory) cobra.CompletionFunc {
	return func(_ *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		if len(args) == 0 {
			return f.completeRemote(toComplete)
		}
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
}
