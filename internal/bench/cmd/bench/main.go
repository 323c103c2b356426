// Command bench measures ferry against lftp, curl and wget on a vsftpd
// server, on loopback and through internal/bench/relay at each -rtt, and
// writes BENCHMARKS.md. It needs root (vsftpd runs as root; lftp, curl and
// wget are installed with apt-get when missing).
//
//	go run ./internal/bench/cmd/bench [-smoke] [-runs N] [-rtt 20ms,100ms] [-o BENCHMARKS.md] [-only id,id] [-ferry bin/ferry]
//
// Exit status: 0 success, 1 failure, 2 bad usage.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/ferry-ftp/ferry/internal/bench"
)

func main() {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	cfg := bench.Config{Log: os.Stderr}
	fs.StringVar(&cfg.Ferry, "ferry", "bin/ferry", "the ferry `binary` to measure")
	fs.StringVar(&cfg.Out, "o", "BENCHMARKS.md", "write the report to `file` (empty: no report)")
	fs.IntVar(&cfg.Runs, "runs", 5, "measured runs per tool, after one warm-up")
	fs.BoolVar(&cfg.Smoke, "smoke", false, "small data and one run each: check that every scenario works")
	rtts := fs.String("rtt", "20ms,100ms", "comma-separated round `trips` of the distance scenarios")
	only := fs.String("only", "", "comma-separated scenario `ids` to run (get, cat, put, active, mirror, ls, startup; "+
		"wan-mirror, wan-mirror-tls, wan-get-dir, wan-get-dir-active, wan-upload, wan-ls at every round trip, or ID@20ms at one)")
	if err := fs.Parse(os.Args[1:]); err != nil {
		os.Exit(2)
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "bench: unexpected argument %q\n", fs.Arg(0))
		os.Exit(2)
	}
	for _, f := range strings.Split(*rtts, ",") {
		d, err := time.ParseDuration(strings.TrimSpace(f))
		if err != nil || d <= 0 {
			fmt.Fprintf(os.Stderr, "bench: -rtt: %q is not a positive duration\n", f)
			os.Exit(2)
		}
		cfg.RTTs = append(cfg.RTTs, d)
	}
	if *only != "" {
		cfg.Only = strings.Split(*only, ",")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := bench.Run(ctx, cfg); err != nil {
		fmt.Fprintf(os.Stderr, "bench: %v\n", err)
		os.Exit(1)
	}
}
