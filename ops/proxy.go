package ops

import (
	"errors"
	"fmt"
	"time"

	"github.com/spf13/pflag"

	"github.com/ferry-ftp/ferry/client"
	"github.com/ferry-ftp/ferry/internal/proxy"
)

// ProxyOptions are the proxy settings of the command line (--proxy,
// --noproxy) and of the shell's open --proxy.
type ProxyOptions struct {
	// URL is --proxy; URLSet says it was given, even as "", which then
	// turns the bookmark's, the configuration's and the environment's
	// proxy off.
	URL    string
	URLSet bool
	// NoProxy is --noproxy; NoProxySet says it was given, and then
	// NO_PROXY is not read.
	NoProxy    string
	NoProxySet bool
}

// Help texts of the proxy flags, in both front ends.
const (
	ProxyUsage = "connect through the proxy `URL`: socks5://[USER:PASSWORD@]HOST[:PORT] (ferry resolves the server's name), " +
		"socks5h://... (the proxy does) or http://... (CONNECT); the port defaults to 1080. " +
		`Without it, ftp:// and ftpes:// read $ftp_proxy, ftps:// $ftps_proxy, then $all_proxy (or their upper-case forms); "" connects directly`
	NoProxyUsage = "reach the hosts in `LIST` directly, without a proxy: names separated by commas or blanks (a name covers its subdomains), " +
		`IP addresses and CIDR blocks, or * for all; replaces $NO_PROXY`
	NoopIntervalUsage = "send NOOP on the control connection every `DURATION` during transfers, " +
		"for a firewall or NAT that drops a control connection idle that long (0, the default, sends none)"
)

// AddProxyFlags defines --proxy and --noproxy on fl, recording in o
// whether each was given.
func (o *ProxyOptions) AddProxyFlags(fl *pflag.FlagSet) {
	fl.Var(&setString{v: &o.URL, set: &o.URLSet}, "proxy", ProxyUsage)
	fl.Var(&setString{v: &o.NoProxy, set: &o.NoProxySet}, "noproxy", NoProxyUsage)
}

// AddNoopFlag defines --noop-interval on fl: a duration of 0 or more.
func AddNoopFlag(fl *pflag.FlagSet, d *time.Duration) {
	fl.Var(noopValue{d}, "noop-interval", NoopIntervalUsage)
}

// noopValue is --noop-interval's value: a negative duration is refused,
// not taken for "none".
type noopValue struct{ d *time.Duration }

func (v noopValue) String() string {
	if v.d == nil || *v.d == 0 {
		return "0" // no "(default 0s)" in the help
	}
	return v.d.String()
}

func (v noopValue) Set(s string) error {
	d, err := time.ParseDuration(s)
	switch {
	case err != nil:
		return errors.New("want a duration such as 30s or 1m")
	case d < 0:
		return errors.New("want 0 (no NOOPs) or more, such as 30s")
	}
	*v.d = d
	return nil
}

func (noopValue) Type() string { return "duration" }

// setString is a string flag that records that it was set, even to "".
type setString struct {
	v   *string
	set *bool
}

func (s *setString) String() string {
	if s.v == nil {
		return ""
	}
	return proxy.Redact(*s.v)
}

func (s *setString) Set(v string) error {
	*s.v, *s.set = v, true
	return nil
}

func (s *setString) Type() string { return "string" }

// ProxyClientOptions returns the client options that connect through p,
// which came from source (see proxy.Choice), or directly when p is nil;
// the direct ones undo proxy options given before them (the shell's open
// --proxy "" after the command line's). Through a proxy, active mode fails
// as a usage error before anything is sent: the server could not connect
// back.
func ProxyClientOptions(p *proxy.Proxy, source string) []client.Option {
	if p == nil {
		return []client.Option{client.WithDialer(nil), client.WithActiveRefused(nil)}
	}
	return []client.Option{client.WithDialer(p.Dialer()), client.WithActiveRefused(ActiveThroughProxy(p, source))}
}

// ActiveThroughProxy is the usage error of active mode through p.
func ActiveThroughProxy(p *proxy.Proxy, source string) error {
	from := ""
	if source != "" && source != "--proxy" {
		from = ", from " + source
	}
	return usageErrorf("--active does not work through a proxy (--proxy %s%s): the server cannot connect back through it; "+
		"use passive mode, or --noproxy HOST to reach the server directly", p.Name(), from)
}

// ProxyError makes an invalid proxy setting (a *proxy.SourceError, which
// names where it came from) a usage error, exit code 2.
func ProxyError(err error) error {
	return &UsageError{Err: fmt.Errorf("proxy: %w", err)}
}
