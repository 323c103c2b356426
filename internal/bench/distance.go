package bench

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"
)

// distanceRuns is the number of measured runs of each distance scenario.
const distanceRuns = 3

// distanceScenarios returns the jobs of issue 15 over a path with the
// round trip rtt: every connection of a session goes through the relay,
// which charges connection setup, every byte and every close as the path
// would (see internal/bench/relay). With rtt 0 they are the baseline
// that round trips per file are counted from.
func distanceScenarios(rtt time.Duration) []scenario {
	at := func(group string) string { return fmt.Sprintf("%s@%v", group, rtt) }
	d00 := func(e *env) string { return filepath.Join(e.out, "d00") }
	perFolder := func(d dataSet) int { return d.treeFiles / d.treeFolders }
	upTree := func(e *env) string { return filepath.Join(e.home, "up", "tree") }
	list := []scenario{
		mirrorScenario(at("wan-mirror"), fmt.Sprintf("mirror tree/ over 8 connections, %v round trip", rtt), relayed, rtt),
		mirrorScenario(at("wan-mirror-tls"), fmt.Sprintf("mirror tree/ over 8 connections, explicit TLS, %v round trip", rtt), relayedTLS, rtt),
		{
			id: at("wan-get-dir"), title: fmt.Sprintf("the files of tree/d00 over one connection (get 'dir/*'), %v round trip", rtt),
			site: relayed, rtt: rtt, conns: 1, files: perFolder,
			reset: func(e *env) error { return resetDir(d00(e)) },
			check: func(e *env, _ string) error { return checkFiles(d00(e), perFolder(e.data)) },
			tools: []tool{
				{name: "ferry", argv: func(e *env) []string {
					return e.ferryCmd("get", "--parallel", "1", e.url("tree/d00/*"), "-o", d00(e)+"/")
				}},
				{name: "lftp", argv: func(e *env) []string { return e.lftp("mget -O " + d00(e) + " tree/d00/*") }},
				{name: "wget", argv: func(e *env) []string {
					return []string{"wget", "-q", "-r", "-l", "1", "-nH", "--cut-dirs=2", "-P", d00(e), e.url("tree/d00/")}
				}},
				{name: "curl", argv: func(e *env) []string {
					argv := []string{"curl", "-sS", "--output-dir", d00(e), "--remote-name-all"}
					for _, name := range e.data.d00Names() {
						argv = append(argv, e.url("tree/d00/"+name))
					}
					return argv
				}},
			},
		},
		{
			id: at("wan-get-dir-active"), title: fmt.Sprintf("the same in active mode, %v round trip", rtt),
			site: relayed, rtt: rtt, conns: 1, files: perFolder, active: true,
			reset: func(e *env) error { return resetDir(d00(e)) },
			check: func(e *env, _ string) error { return checkFiles(d00(e), perFolder(e.data)) },
			tools: []tool{
				{name: "ferry", argv: func(e *env) []string {
					return e.ferryCmd("--active", "--active-addr", clientHost, "--active-ports", e.activePorts,
						"get", "--parallel", "1", e.url("tree/d00/*"), "-o", d00(e)+"/")
				}},
				{name: "lftp", argv: func(e *env) []string {
					return e.lftp(fmt.Sprintf("set ftp:passive-mode off; set ftp:port-ipv4 %s; set ftp:port-range %s; mget -O %s tree/d00/*",
						clientHost, e.activePorts, d00(e)))
				}},
			},
		},
		{
			id: at("wan-upload"), title: fmt.Sprintf("mirror -R of a local tree over 8 connections, %v round trip", rtt),
			site: relayed, rtt: rtt, conns: 8, files: dataSet.uploadFiles,
			reset: func(e *env) error { return emptyDir(filepath.Join(e.home, "up")) },
			check: func(e *env, _ string) error { return checkFiles(upTree(e), e.data.uploadFiles()) },
			tools: []tool{
				{name: "ferry", argv: func(e *env) []string {
					return e.ferryCmd("mirror", "-R", "--parallel", "8", e.upsrc, e.url("up/tree"))
				}},
				{name: "lftp", argv: func(e *env) []string { return e.lftp("mirror -R --parallel=8 " + e.upsrc + " up/tree") }},
			},
		},
		{
			id: at("wan-ls"), title: fmt.Sprintf("one ls of tree/d00 (names only), %v round trip", rtt),
			site: relayed, rtt: rtt, conns: 1,
			reset: func(*env) error { return nil },
			check: func(e *env, stdout string) error { return checkLines(stdout, perFolder(e.data)) },
			tools: []tool{
				{name: "ferry", stdout: true, argv: func(e *env) []string { return e.ferryCmd("ls", e.url("tree/d00/")) }},
				{name: "lftp", stdout: true, argv: func(e *env) []string { return e.lftp("cls tree/d00/") }},
				{name: "curl", stdout: true, argv: func(e *env) []string { return []string{"curl", "-sS", "-l", e.url("tree/d00/")} }},
			},
		},
	}
	for i := range list {
		list[i].group, _, _ = strings.Cut(list[i].id, "@")
		list[i].runs = distanceRuns
		list[i].noWarmup = true
	}
	return list
}

// roundTrips returns the round trips a run of the distance scenario res
// costs per file on each connection: its fastest time less that of the
// same tool's fastest run in the same scenario without an added round
// trip (the baseline: what the machine, the server and the tool take at
// any distance, such as vsftpd's login), over the round trip, times the
// connections, over the files; or in all when the scenario moves no
// files. The fastest runs, because the noise of a shared machine only
// adds time. ok is false without a round trip or a baseline.
func (r *report) roundTrips(res *result, s *series) (rt float64, ok bool) {
	if res.sc.rtt <= 0 || len(s.samples) == 0 {
		return 0, false
	}
	base := r.find(res.sc.group+"@"+time.Duration(0).String(), s.tool)
	if base == nil || len(base.samples) == 0 {
		return 0, false
	}
	rt = (s.minWall() - base.minWall()) / res.sc.rtt.Seconds()
	if res.sc.files == nil {
		return rt, true
	}
	return rt * float64(max(res.sc.conns, 1)) / float64(res.sc.files(r.data)), true
}
