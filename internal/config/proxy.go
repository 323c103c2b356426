package config

import (
	"strconv"
	"time"

	"github.com/ferry-ftp/ferry/internal/proxy"
)

// checkProxy checks a proxy setting (key "proxy" of [defaults] or of a
// site): empty, or a proxy URL that package proxy reads, without a
// password, which belongs where ferry reads passwords from (the proxy
// URL of --proxy or of the environment), not in this file. site is ""
// for [defaults].
func checkProxy(site, value string) error {
	if value == "" {
		return nil
	}
	shown := strconv.Quote(proxy.Redact(value))
	p, err := proxy.Parse(value)
	if err != nil {
		return &valueError{site: site, key: "proxy", value: shown, tail: "must be a proxy URL such as \"socks5h://proxy.example:1080\" or \"http://proxy.example:3128\" (" + err.Error() + ")"}
	}
	if p.Password != "" {
		return &valueError{site: site, key: "proxy", value: shown,
			tail: "holds a password, and ferry keeps no passwords in its configuration: give a proxy password with --proxy or in ALL_PROXY"}
	}
	return nil
}

// checkNoopInterval checks noop-interval: empty, or a duration of 0 or
// more.
func checkNoopInterval(value string) error {
	if value == "" {
		return nil
	}
	if d, err := time.ParseDuration(value); err != nil || d < 0 {
		return &valueError{key: "noop-interval", value: strconv.Quote(value), tail: mustBe("defaults.noop-interval")}
	}
	return nil
}
