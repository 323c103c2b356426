package cmd

import (
	"context"
	"fmt"

	"github.com/spf13/pflag"

	"github.com/ferry-ftp/ferry/client"
	"github.com/ferry-ftp/ferry/internal/config"
	"github.com/ferry-ftp/ferry/internal/proxy"
	"github.com/ferry-ftp/ferry/ops"
)

// addNetworkFlags defines --proxy, --noproxy and --noop-interval.
func addNetworkFlags(fl *pflag.FlagSet, o *GlobalOptions) {
	o.Proxy.AddProxyFlags(fl)
	ops.AddNoopFlag(fl, &o.NoopInterval)
}

// proxyFor returns the proxy for a remote, or nil for a direct
// connection, and where it came from: --proxy, else the bookmark's, else
// the configuration's, else the environment's, unless --noproxy (or the
// configuration's noproxy, else $NO_PROXY) lists the host.
func (f *Factory) proxyFor(r Remote) (*proxy.Proxy, string, error) {
	cfg, err := f.Config()
	if err != nil {
		return nil, "", err
	}
	o := f.Opts.Proxy
	c := proxy.Choice{
		Flag: o.URL, FlagSet: o.URLSet,
		Bookmark: r.Proxy, Default: cfg.Defaults.Proxy,
		NoProxy: o.NoProxy, NoProxySet: o.NoProxySet,
		Getenv: f.Getenv,
	}
	if !c.NoProxySet && cfg.Defaults.NoProxy != "" {
		c.NoProxy, c.NoProxySet = cfg.Defaults.NoProxy, true
	}
	p, source, err := c.For(r.Target.Scheme, r.Target.Host)
	if err != nil {
		return nil, "", ops.ProxyError(err)
	}
	return p, source, nil
}

// networkOptions returns the client options for the proxy and the NOOPs
// during transfers. Active mode through a proxy (--active, or the
// bookmark's mode) is a usage error before anything connects.
func (f *Factory) networkOptions(r Remote) ([]client.Option, error) {
	p, source, err := f.proxyFor(r)
	if err != nil {
		return nil, err
	}
	var opts []client.Option
	if p != nil {
		if f.Opts.Active || r.Mode == config.ModeActive {
			return nil, ops.ActiveThroughProxy(p, source)
		}
		opts = ops.ProxyClientOptions(p, source)
		if f.Opts.Verbose {
			fmt.Fprintf(f.IO.ErrOut, "* connecting through proxy %s (from %s)\n", p, source)
		}
	}
	if f.Opts.NoopInterval > 0 {
		opts = append(opts, client.WithNoopInterval(f.Opts.NoopInterval))
	}
	return opts, nil
}

// shellProxy returns the client options of the shell's open --proxy URL
// for addr: URL as --proxy would be, with --noproxy and NO_PROXY.
func shellProxy(f *Factory) func(ctx context.Context, addr, url string) ([]client.Option, error) {
	return func(_ context.Context, addr, url string) ([]client.Option, error) {
		r, err := f.Resolve(addr)
		if err != nil {
			return nil, err
		}
		o := *f
		gopts := *f.Opts
		gopts.Proxy.URL, gopts.Proxy.URLSet = url, true
		o.Opts = &gopts
		p, source, err := o.proxyFor(r)
		if err != nil {
			return nil, err
		}
		return ops.ProxyClientOptions(p, source), nil
	}
}
