package bench

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"time"
)

// env is what a scenario's commands need: where the server (or the relay
// in front of it) listens, the login, and the local folders.
type env struct {
	addr     string // host:port the tools connect to
	user     string
	password string
	home     string // the server's folder on disk
	tls      bool   // the server requires explicit TLS
	cert     string // with tls, the server's certificate, which the tools trust
	out      string // downloads go here (tmpfs)
	src      string // the local copy of big.bin that uploads read (tmpfs)
	upsrc    string // the local tree the upload scenarios send (tmpfs)
	// activePorts is the range "LO-HI" that clients listen on in active
	// mode, relayed from clientHost in the distance scenarios.
	activePorts string
	ferry       string // the ferry binary
	data        dataSet
}

// url returns the address of path on the server, with the login: ftp://,
// or ftpes:// (explicit TLS) when the server requires TLS.
func (e *env) url(path string) string {
	scheme := "ftp"
	if e.tls {
		scheme = "ftpes"
	}
	return fmt.Sprintf("%s://%s:%s@%s/%s", scheme, e.user, e.password, e.addr, path)
}

// lftp returns lftp's command line for script, with the settings the
// issue asks for (commands pipelined; TLS forced on control and data
// connections with the server's certificate trusted when the server
// requires it, else no TLS attempt) and a bounded retry.
func (e *env) lftp(script string) []string {
	host, port, _ := net.SplitHostPort(e.addr)
	tls := "set ftp:ssl-allow no; "
	if e.tls {
		tls = fmt.Sprintf("set ftp:ssl-force yes; set ftp:ssl-protect-data yes; set ftp:ssl-protect-list yes; set ssl:ca-file %s; ", e.cert)
	}
	return []string{"lftp", "-c", fmt.Sprintf(
		"set ftp:sync-mode off; %sset xfer:clobber on; "+
			"set net:max-retries 2; set net:timeout 30; open -u %s,%s -p %s %s; %s",
		tls, e.user, e.password, port, host, script)}
}

// ferryCmd returns ferry's command line for args, without progress output.
func (e *env) ferryCmd(args ...string) []string {
	return append([]string{e.ferry, "--no-progress", "-q"}, args...)
}

// tool is one program's way of doing a scenario's job.
type tool struct {
	name   string
	argv   func(e *env) []string
	stdout bool // keep standard output in a file for the check
}

// bigRuns is the number of measured runs of the 1 GiB scenarios: on this
// kind of machine, writing a gigabyte into fresh memory takes anywhere
// from 0.6 s to 2 s from one run to the next, whatever the tool, so their
// medians need more runs than the rest.
const bigRuns = 9

// scenario is one job, done by ferry and its peers in turn.
type scenario struct {
	id    string
	title string
	site  siteKind      // the server it runs against
	rtt   time.Duration // round trip added by the relay (distance scenarios)
	tools []tool        // tools[0] is ferry; ratios are against it
	runs  int           // runs per tool, when not the harness's number
	// noWarmup skips the warm-up round: the distance scenarios, whose
	// time is the network's, not the caches'.
	noWarmup bool
	noRSS    bool // run without GNU time, whose start-up would count
	active   bool // a distance scenario in active mode: checks that the relay carried it
	// group names a distance scenario's job, the same at every round trip
	// ("wan-mirror", "wan-mirror-tls", "wan-get-dir", "wan-get-dir-active",
	// "wan-upload", "wan-ls"); "" for the
	// loopback scenarios.
	group string
	conns int                 // connections a tool uses, for round trips per file
	files func(d dataSet) int // files a run moves; nil: round trips are counted in all
	reset func(e *env) error
	// check verifies a run's result; stdout names the file holding its
	// standard output, for tools with stdout set.
	check func(e *env, stdout string) error
}

// scenarios returns the benchmark's jobs, in the order they run: those on
// loopback, then the distance scenarios without an added round trip (the
// baseline, when asked for) and at each round trip of rtts.
func scenarios(rtts []time.Duration, baseline bool) []scenario {
	out := loopbackScenarios()
	if baseline {
		rtts = append([]time.Duration{0}, rtts...)
	}
	for _, rtt := range rtts {
		out = append(out, distanceScenarios(rtt)...)
	}
	return out
}

// loopbackScenarios returns the jobs run straight against the server.
func loopbackScenarios() []scenario {
	clearOut := func(e *env) error { return resetDir(e.out) }
	bigOut := func(e *env) string { return filepath.Join(e.out, "big.bin") }
	checkBig := func(e *env, _ string) error { return checkSize(bigOut(e), e.data.bigSize) }
	return []scenario{
		{
			id: "get", title: "get big.bin to tmpfs", reset: clearOut, check: checkBig, runs: bigRuns,
			tools: []tool{
				{name: "ferry", argv: func(e *env) []string { return e.ferryCmd("get", e.url("big.bin"), "-o", bigOut(e)) }},
				{name: "curl", argv: func(e *env) []string { return []string{"curl", "-sS", "-o", bigOut(e), e.url("big.bin")} }},
				{name: "lftp", argv: func(e *env) []string { return e.lftp("get big.bin -o " + bigOut(e)) }},
			},
		},
		{
			id: "cat", title: "big.bin to /dev/null", runs: bigRuns,
			reset: clearOut, check: func(*env, string) error { return nil },
			tools: []tool{
				{name: "ferry", argv: func(e *env) []string { return e.ferryCmd("cat", e.url("big.bin")) }},
				{name: "curl", argv: func(e *env) []string { return []string{"curl", "-sS", e.url("big.bin")} }},
			},
		},
		{
			id: "put", title: "put big.bin from tmpfs", runs: bigRuns,
			reset: func(e *env) error { return emptyDir(filepath.Join(e.home, "up")) },
			check: func(e *env, _ string) error {
				return checkSize(filepath.Join(e.home, "up", "big.bin"), e.data.bigSize)
			},
			tools: []tool{
				{name: "ferry", argv: func(e *env) []string { return e.ferryCmd("put", e.src, e.url("up/")) }},
				{name: "curl", argv: func(e *env) []string { return []string{"curl", "-sS", "-T", e.src, e.url("up/")} }},
				{name: "lftp", argv: func(e *env) []string { return e.lftp("put " + e.src + " -o up/big.bin") }},
			},
		},
		{
			id: "active", title: "get big.bin to tmpfs, active mode against passive", runs: bigRuns,
			reset: clearOut, check: checkBig,
			tools: []tool{
				{name: "ferry --active", argv: func(e *env) []string {
					return e.ferryCmd("--active", "get", e.url("big.bin"), "-o", bigOut(e))
				}},
				{name: "ferry (passive)", argv: func(e *env) []string { return e.ferryCmd("get", e.url("big.bin"), "-o", bigOut(e)) }},
			},
		},
		mirrorScenario("mirror", "mirror tree/ (all files, 20 folders) over 8 connections", direct, 0),
		{
			id: "ls", title: "list many/ (names only)", reset: clearOut,
			check: func(e *env, stdout string) error { return checkLines(stdout, e.data.manyEntries) },
			tools: []tool{
				{name: "ferry", stdout: true, argv: func(e *env) []string { return e.ferryCmd("ls", e.url("many/")) }},
				{name: "lftp", stdout: true, argv: func(e *env) []string { return e.lftp("cls many/") }},
				{name: "curl", stdout: true, argv: func(e *env) []string { return []string{"curl", "-sS", "-l", e.url("many/")} }},
			},
		},
		{
			id: "startup", title: "ferry version (start-up time)", runs: 20, noRSS: true,
			reset: func(*env) error { return nil }, check: func(*env, string) error { return nil },
			tools: []tool{{name: "ferry", argv: func(e *env) []string { return []string{e.ferry, "version"} }}},
		},
	}
}

// mirrorScenario copies the whole tree over 8 connections.
func mirrorScenario(id, title string, site siteKind, rtt time.Duration) scenario {
	dst := func(e *env) string { return filepath.Join(e.out, "tree") }
	return scenario{
		id: id, title: title, site: site, rtt: rtt, conns: 8,
		files: func(d dataSet) int { return d.treeFiles },
		reset: func(e *env) error { return resetDir(e.out) },
		check: func(e *env, _ string) error { return checkFiles(dst(e), e.data.treeFiles) },
		tools: []tool{
			{name: "ferry", argv: func(e *env) []string { return e.ferryCmd("mirror", "--parallel", "8", e.url("tree/"), dst(e)) }},
			{name: "lftp", argv: func(e *env) []string { return e.lftp("mirror --parallel=8 tree " + dst(e)) }},
		},
	}
}

// resetDir empties dir, creating it if needed.
func resetDir(dir string) error {
	if err := os.RemoveAll(dir); err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	return nil
}

// emptyDir removes what dir holds but keeps dir (the server's upload
// folder, owned by the server's user).
func emptyDir(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	for _, e := range entries {
		if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
			return fmt.Errorf("bench: %w", err)
		}
	}
	return nil
}
