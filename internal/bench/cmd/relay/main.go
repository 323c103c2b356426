// Command relay runs internal/bench/relay in front of a server, to watch
// a client over an emulated distance (with ferry -v, say).
//
//	go run ./internal/bench/cmd/relay -rtt 20ms -ports 10240-10495 [-listen 127.0.0.2] [-target 127.0.0.1]
//
// -ports names the server's control port and its passive range, as
// "PORT", "LO-HI" or a comma-separated list of them; the server must name
// the -listen address in its 227 replies, or the client use EPSV. The
// relay runs until interrupted. Exit status: 0 success, 1 failure, 2 bad
// usage.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/ferry-ftp/ferry/internal/bench/relay"
)

func main() {
	fs := flag.NewFlagSet("relay", flag.ContinueOnError)
	cfg := relay.Config{}
	fs.StringVar(&cfg.Listen, "listen", "127.0.0.2", "the `host` to listen on")
	fs.StringVar(&cfg.Target, "target", "127.0.0.1", "the `host` the server listens on")
	fs.DurationVar(&cfg.RTT, "rtt", 20*time.Millisecond, "the round `trip` to add")
	ports := fs.String("ports", "", "the `ports` to relay: PORT, LO-HI, comma-separated")
	if err := fs.Parse(os.Args[1:]); err != nil {
		os.Exit(2)
	}
	var err error
	if cfg.Ports, err = parsePorts(*ports); err != nil || fs.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "relay: -ports %q: want PORT, LO-HI or a comma-separated list (%v)\n", *ports, err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	r, err := relay.Listen(ctx, cfg)
	if err != nil {
		fmt.Fprintf(os.Stderr, "relay: %v\n", err)
		os.Exit(1)
	}
	fmt.Fprintf(os.Stderr, "relay: %d ports of %s relayed to %s with a %v round trip\n", len(cfg.Ports), cfg.Listen, cfg.Target, cfg.RTT)
	<-ctx.Done()
	r.Close()
}

// parsePorts reads "PORT", "LO-HI" or a comma-separated list of them.
func parsePorts(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		lo, hi, isRange := strings.Cut(strings.TrimSpace(f), "-")
		a, err := strconv.Atoi(lo)
		if err != nil {
			return nil, err
		}
		b := a
		if isRange {
			if b, err = strconv.Atoi(hi); err != nil {
				return nil, err
			}
		}
		if a < 1 || b > 65535 || a > b {
			return nil, fmt.Errorf("%q is out of range", f)
		}
		out = append(out, relay.PortRange(a, b)...)
	}
	return out, nil
}
