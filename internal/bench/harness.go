// Package bench runs ferry side by side with lftp, curl and wget against
// vsftpd, on loopback and over emulated distances (through
// internal/bench/relay), and writes the results to BENCHMARKS.md. Its
// command is internal/bench/cmd/bench; `make bench` and `make bench-smoke`
// run it.
package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/ferry-ftp/ferry/internal/bench/relay"
	"github.com/ferry-ftp/ferry/internal/realserver"
)

// Config chooses what a benchmark run does.
type Config struct {
	Ferry string          // the ferry binary to measure
	Out   string          // the report to write (BENCHMARKS.md); "" writes none
	Runs  int             // measured runs per tool and scenario, after one warm-up
	Smoke bool            // small data, one run, no warm-up, one small round trip: checks the harness only
	RTTs  []time.Duration // round trips of the distance scenarios (through internal/bench/relay)
	Only  []string        // scenario ids to run; all when empty
	Log   io.Writer       // progress lines
}

// smokeRTT is the round trip of the distance scenarios in a smoke run.
const smokeRTT = 5 * time.Millisecond

// peers are the programs the harness needs: ferry's peers, and GNU time
// for peak memory, each by Debian package and the program it installs.
var peers = [][2]string{{"lftp", "lftp"}, {"curl", "curl"}, {"wget", "wget"}, {"time", gnuTime}}

// result is one scenario's measurements.
type result struct {
	sc     scenario
	series []*series // in the order of sc.tools
}

// Run installs what is missing, starts the servers, generates the data,
// runs the scenarios and writes the report.
func Run(ctx context.Context, cfg Config) error {
	began := time.Now()
	if cfg.Log == nil {
		cfg.Log = io.Discard
	}
	if cfg.Smoke {
		cfg.Runs = 1
		cfg.RTTs = []time.Duration{smokeRTT}
	}
	if cfg.Runs < 1 {
		return errors.New("bench: at least one run is needed")
	}
	ferry, err := filepath.Abs(cfg.Ferry)
	if err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	if err := installPeers(ctx, cfg.Log); err != nil {
		return err
	}
	machine := describeMachine(ctx, ferry)

	work, err := os.MkdirTemp(tmpfsDir(), "ferry-bench-")
	if err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	defer os.RemoveAll(work)
	data := fullData
	if cfg.Smoke {
		data = smokeData
	}
	e := &env{
		out: filepath.Join(work, "out"), src: filepath.Join(work, "big.bin"),
		upsrc: filepath.Join(work, "upsrc"), ferry: ferry, data: data,
	}
	ss := &sites{data: data, src: e.src, log: cfg.Log}
	defer ss.stop()
	toolEnv, err := toolEnvironment(work)
	if err != nil {
		return err
	}
	var results []*result
	// A smoke run has no baseline: it checks that the scenarios work, and
	// one run of each is too noisy to count round trips from.
	for _, sc := range scenarios(cfg.RTTs, !cfg.Smoke) {
		if len(cfg.Only) > 0 && !contains(cfg.Only, sc.id) && !contains(cfg.Only, sc.group) {
			continue
		}
		srv, err := ss.get(ctx, sc.site)
		if err != nil {
			return err
		}
		e.user, e.password, e.home = srv.User, srv.Password, srv.Home
		e.tls, e.cert = sc.site == relayedTLS, ""
		if e.tls {
			e.cert = srv.CertFile
		}
		if sc.group == "wan-upload" {
			if err := ss.uploadSource(e.upsrc); err != nil {
				return err
			}
		}
		r, err := runScenario(ctx, cfg, sc, *e, srv, toolEnv, work)
		if err != nil {
			return fmt.Errorf("scenario %s: %w", sc.id, err)
		}
		results = append(results, r)
	}
	if cfg.Out == "" {
		return nil
	}
	rep := report{cfg: cfg, machine: machine, data: data, results: results,
		took: time.Since(began), redact: redactor(ss.started(), work, ferry)}
	return rep.write(cfg.Out)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// tmpfsDir returns /dev/shm when it is there (so local files live in
// memory, as the issue asks), else the temporary folder.
func tmpfsDir() string {
	if fi, err := os.Stat("/dev/shm"); err == nil && fi.IsDir() {
		return "/dev/shm"
	}
	return os.TempDir()
}

// toolEnvironment returns the environment for every tool: an empty home
// folder, so that no ~/.netrc, ~/.lftprc, ~/.curlrc, ~/.wgetrc or ferry
// configuration changes what is measured.
func toolEnvironment(work string) ([]string, error) {
	home := filepath.Join(work, "home")
	if err := os.Mkdir(home, 0o755); err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	return []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + home,
		"XDG_CONFIG_HOME=" + filepath.Join(home, ".config"),
		"LC_ALL=C",
		"TZ=UTC",
	}, nil
}

// runScenario runs each tool of sc in turn, one warm-up round (unless
// sc.noWarmup) and then cfg.Runs measured rounds; each round starts with
// the next tool, so no tool always runs first after a pause. A distance
// scenario reaches srv through a relay on relayHost.
func runScenario(ctx context.Context, cfg Config, sc scenario, e env, srv *realserver.Server, toolEnv []string, work string) (*result, error) {
	e.addr = srv.Addr
	var toClient *relay.Relay // carries active-mode data connections
	if sc.site != direct {
		_, port, err := net.SplitHostPort(srv.Addr)
		if err != nil {
			return nil, fmt.Errorf("bench: %w", err)
		}
		ctl, err := strconv.Atoi(port)
		if err != nil {
			return nil, fmt.Errorf("bench: %w", err)
		}
		passive := relay.PortRange(srv.PassivePorts[0], srv.PassivePorts[1])
		toServer, err := relay.Listen(ctx, relay.Config{
			Listen: relayHost, Target: srv.Host(), Source: clientHost, RTT: sc.rtt,
			Ports: append([]int{ctl}, passive...),
		})
		if err != nil {
			return nil, fmt.Errorf("bench: %w", err)
		}
		defer toServer.Close()
		// Clients in active mode listen on the server's passive range,
		// which no passive command uses meanwhile and whose lock the
		// server holds, on 127.0.0.1.
		toClient, err = relay.Listen(ctx, relay.Config{
			Listen: clientHost, Target: "127.0.0.1", Source: relayHost, RTT: sc.rtt, Ports: passive,
		})
		if err != nil {
			return nil, fmt.Errorf("bench: %w", err)
		}
		defer toClient.Close()
		e.addr = net.JoinHostPort(relayHost, port)
		e.activePorts = fmt.Sprintf("%d-%d", srv.PassivePorts[0], srv.PassivePorts[1])
	}
	if e.cert != "" {
		// Go's crypto/x509 (ferry) reads the trusted certificates from
		// SSL_CERT_FILE; lftp is told with ssl:ca-file.
		toolEnv = append(slices.Clone(toolEnv), "SSL_CERT_FILE="+e.cert)
	}
	runs := cfg.Runs
	if sc.runs > 0 && !cfg.Smoke {
		runs = sc.runs
	}
	first := 0
	if !cfg.Smoke && !sc.noWarmup {
		first = -1 // warm-up
	}
	r := &result{sc: sc}
	for _, t := range sc.tools {
		r.series = append(r.series, &series{tool: t.name, command: shellQuote(t.argv(&e))})
	}
	stdout := filepath.Join(work, "stdout")
	rssFile := filepath.Join(work, "maxrss")
	if sc.noRSS {
		rssFile = ""
	}
	fmt.Fprintf(cfg.Log, "%s: %s\n", sc.id, sc.title)
	for round := first; round < runs; round++ {
		for k := range sc.tools {
			i := (max(round, 0) + k) % len(sc.tools)
			t := sc.tools[i]
			if err := sc.reset(&e); err != nil {
				return nil, err
			}
			// Write back what earlier runs left dirty (a 1 GiB upload's
			// file on the server's disk), so that it does not slow down
			// whichever tool runs next.
			syscall.Sync()
			out := ""
			if t.stdout {
				out = stdout
			}
			var before int64
			if toClient != nil {
				before = toClient.Conns()
			}
			s, err := runOnce(ctx, t.argv(&e), toolEnv, out, rssFile)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", t.name, err)
			}
			if sc.active && (toClient == nil || toClient.Conns() == before) {
				return nil, fmt.Errorf("%s: no active-mode data connection went through the relay", t.name)
			}
			if err := sc.check(&e, out); err != nil {
				return nil, fmt.Errorf("%s: %w", t.name, err)
			}
			label := "warm-up"
			if round >= 0 {
				r.series[i].samples = append(r.series[i].samples, s)
				label = fmt.Sprintf("run %d", round+1)
			}
			fmt.Fprintf(cfg.Log, "  %-16s %-8s %8.3f s %7.1f MB\n", t.name, label, s.wall.Seconds(), float64(s.maxRSS)/1e6)
		}
	}
	return r, sc.reset(&e)
}

// installPeers installs lftp, curl, wget and GNU time with apt-get when
// missing.
func installPeers(ctx context.Context, log io.Writer) error {
	var missing []string
	for _, p := range peers {
		if _, err := exec.LookPath(p[1]); err != nil {
			missing = append(missing, p[0])
		}
	}
	if len(missing) == 0 {
		return nil
	}
	fmt.Fprintf(log, "installing %s with apt-get\n", strings.Join(missing, ", "))
	install := func() error {
		cmd := exec.CommandContext(ctx, "apt-get", append([]string{"install", "-y", "--no-install-recommends"}, missing...)...)
		cmd.Env = append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
		cmd.Stdout, cmd.Stderr = log, log
		return cmd.Run()
	}
	if err := install(); err != nil {
		// The package lists may be missing or stale: refresh them once.
		update := exec.CommandContext(ctx, "apt-get", "update")
		update.Stdout, update.Stderr = log, log
		if uerr := update.Run(); uerr != nil {
			return fmt.Errorf("bench: apt-get update: %w", uerr)
		}
		if err := install(); err != nil {
			return fmt.Errorf("bench: apt-get install %s (root is needed): %w", strings.Join(missing, " "), err)
		}
	}
	return nil
}
