package bench

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"strings"
	"time"

	"github.com/ferry-ftp/ferry/internal/realserver"
)

// targetKind says how a target is measured.
type targetKind int

const (
	ratioTarget   targetKind = iota // median per-run ratio tool / peer
	memoryTarget                    // largest peak memory of tool, MB
	startupTarget                   // median wall time of tool, ms
)

// target is one goal of issue 7 (n its number) or of issue 15 (n 0).
type target struct {
	n        int
	text     string
	scenario string
	tool     string
	peer     string
	limit    float64
	kind     targetKind
}

// targets returns issue 7's goals; those with a round trip are measured
// at the first of rtts.
func targets(rtts []time.Duration) []target {
	far := func(group string) string { return "" }
	if len(rtts) > 0 {
		far = func(group string) string { return fmt.Sprintf("%s@%v", group, rtts[0]) }
	}
	return []target{
		{1, "get 1 GiB to tmpfs, against curl", "get", "ferry", "curl", 1.0, ratioTarget},
		{1, "get 1 GiB to tmpfs, against lftp", "get", "ferry", "lftp", 1.0, ratioTarget},
		{1, "cat 1 GiB to /dev/null, against curl", "cat", "ferry", "curl", 1.0, ratioTarget},
		{2, "put 1 GiB from tmpfs, against curl -T", "put", "ferry", "curl", 1.0, ratioTarget},
		{2, "put 1 GiB from tmpfs, against lftp put", "put", "ferry", "lftp", 1.0, ratioTarget},
		{3, "mirror 2,000 files, 8 connections, against lftp", "mirror", "ferry", "lftp", 0.8, ratioTarget},
		{4, "mirror 2,000 files, 8 connections, added round trip, against lftp", far("wan-mirror"), "ferry", "lftp", 0.8, ratioTarget},
		{5, "100 files over one connection, added round trip, against lftp", far("wan-get-dir"), "ferry", "lftp", 0.8, ratioTarget},
		{5, "100 files over one connection, added round trip, against wget", far("wan-get-dir"), "ferry", "wget", 0.8, ratioTarget},
		{6, "ls of 10,000 entries, against lftp cls", "ls", "ferry", "lftp", 1.0, ratioTarget},
		{7, "active-mode get within 10% of passive", "active", "ferry --active", "ferry (passive)", 1.10, ratioTarget},
		{8, "peak memory of ferry during the 1 GiB get (MB)", "get", "ferry", "", 40, memoryTarget},
		{8, "`ferry version` start-up (ms, median)", "startup", "ferry", "", 20, startupTarget},
	}
}

// distanceTargets returns issue 15's goals at each round trip of rtts.
func distanceTargets(rtts []time.Duration) []target {
	var out []target
	for _, rtt := range rtts {
		id := func(group string) string { return fmt.Sprintf("%s@%v", group, rtt) }
		at := fmt.Sprintf(", %v", rtt)
		out = append(out,
			target{0, "mirror 2,000 files, 8 connections, against lftp" + at, id("wan-mirror"), "ferry", "lftp", 0.70, ratioTarget},
			target{0, "the same over explicit TLS, against lftp" + at, id("wan-mirror-tls"), "ferry", "lftp", 0.60, ratioTarget},
			target{0, "100 files, one connection, against lftp" + at, id("wan-get-dir"), "ferry", "lftp", 0.70, ratioTarget},
			target{0, "100 files, one connection, against wget" + at, id("wan-get-dir"), "ferry", "wget", 0.70, ratioTarget},
			target{0, "100 files, one connection, against curl" + at, id("wan-get-dir"), "ferry", "curl", 0.70, ratioTarget},
			target{0, "upload mirror, 500 files, 8 connections, against lftp" + at, id("wan-upload"), "ferry", "lftp", 0.80, ratioTarget},
			target{0, "one ls, against lftp" + at, id("wan-ls"), "ferry", "lftp", 0.75, ratioTarget},
			target{0, "one ls, against curl" + at, id("wan-ls"), "ferry", "curl", 0.75, ratioTarget},
		)
	}
	return out
}

// machine describes the computer and the programs measured.
type machine struct {
	cpu, cores, memory, kernel, os, goVersion string
	loadBefore                                string
	versions                                  []string // "name: version" lines
}

func describeMachine(ctx context.Context, ferry string) machine {
	m := machine{
		cpu:        firstMatch("/proc/cpuinfo", "model name"),
		cores:      fmt.Sprint(runtime.NumCPU()),
		memory:     firstMatch("/proc/meminfo", "MemTotal"),
		kernel:     strings.TrimSpace(readFile("/proc/sys/kernel/osrelease")),
		os:         strings.Trim(firstMatch("/etc/os-release", "PRETTY_NAME"), `"`),
		goVersion:  runtime.Version(),
		loadBefore: loadAverage(),
	}
	m.versions = []string{
		"ferry: " + firstLine(ctx, ferry, "version") + " (commit " + firstLine(ctx, "git", "rev-parse", "--short", "HEAD") + ")",
		"vsftpd: " + string(realserver.Vsftpd) + " 3.0.3 (Debian 12 package, through internal/realserver)",
		"lftp: " + firstLine(ctx, "lftp", "--version"),
		"curl: " + firstLine(ctx, "curl", "--version"),
		"wget: " + firstLine(ctx, "wget", "--version"),
	}
	return m
}

// loadAverage returns the 1, 5 and 15 minute load averages.
func loadAverage() string {
	f := strings.Fields(readFile("/proc/loadavg"))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

func readFile(name string) string {
	b, err := os.ReadFile(name)
	if err != nil {
		return "unknown"
	}
	return string(b)
}

// firstMatch returns the value of the first "key: value" or "key=value"
// line of a file.
func firstMatch(name, key string) string {
	sc := bufio.NewScanner(strings.NewReader(readFile(name)))
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, key) {
			v := strings.TrimPrefix(line, key)
			return strings.TrimSpace(strings.TrimLeft(v, " \t:="))
		}
	}
	return "unknown"
}

// firstLine returns the first line a command prints.
func firstLine(ctx context.Context, name string, args ...string) string {
	out, err := exec.CommandContext(ctx, name, args...).Output()
	if err != nil {
		return "unknown"
	}
	line, _, _ := strings.Cut(string(out), "\n")
	return strings.TrimSpace(line)
}

// redactor hides the password and the run's paths and ports in commands.
func redactor(servers []*realserver.Server, work, ferry string) func(string) string {
	var pairs []string
	for _, srv := range servers {
		pairs = append(pairs, srv.Password, "PASS", srv.Home, "$SRV", srv.CertFile, "$CERT")
	}
	r := strings.NewReplacer(append(pairs, work, "$W", ferry, "bin/ferry")...)
	addr := regexp.MustCompile(`127\.0\.0\.[12]:[0-9]+`)
	lftpPort := regexp.MustCompile(`-p [0-9]+ 127\.0\.0\.[12]`)
	return func(s string) string {
		s = r.Replace(s)
		s = addr.ReplaceAllString(s, "HOST:PORT")
		return lftpPort.ReplaceAllString(s, "-p PORT HOST")
	}
}

// shellQuote joins argv as a shell would need it typed.
func shellQuote(argv []string) string {
	q := make([]string, len(argv))
	for i, a := range argv {
		if a == "" || strings.ContainsAny(a, " \t'\"$;&|<>*?()[]{}\\`!#~") {
			a = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
		q[i] = a
	}
	return strings.Join(q, " ")
}

// report is the content of BENCHMARKS.md.
type report struct {
	cfg     Config
	machine machine
	data    dataSet
	results []*result
	took    time.Duration
	redact  func(string) string
}

func (r *report) find(scenario, tool string) *series {
	for _, res := range r.results {
		if res.sc.id != scenario {
			continue
		}
		for _, s := range res.series {
			if s.tool == tool {
				return s
			}
		}
	}
	return nil
}

// evaluate returns the measured value of t and whether it meets t; ok is
// false when the scenario did not run.
func (r *report) evaluate(t target) (value float64, met, ok bool) {
	s := r.find(t.scenario, t.tool)
	if s == nil || len(s.samples) == 0 {
		return 0, false, false
	}
	switch t.kind {
	case memoryTarget:
		value = float64(s.maxRSS()) / 1e6
	case startupTarget:
		value = s.medianWall() * 1000
	default:
		p := r.find(t.scenario, t.peer)
		if p == nil || len(p.samples) == 0 {
			return 0, false, false
		}
		value = pairRatio(s, p)
	}
	return value, value <= t.limit, true
}
