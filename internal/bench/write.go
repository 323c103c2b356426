package bench

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"time"
)

// write renders the report as Markdown into name.
func (r *report) write(name string) error {
	var b bytes.Buffer
	r.header(&b)
	r.targetTable(&b)
	r.distanceTable(&b)
	for _, res := range r.results {
		r.scenarioSection(&b, res)
	}
	if err := os.WriteFile(name, b.Bytes(), 0o644); err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	return nil
}

func (r *report) header(b *bytes.Buffer) {
	m := r.machine
	mode := "`make bench`"
	if r.cfg.Smoke {
		mode = "`make bench-smoke` (small data, one run each: it checks the harness; its numbers mean little)"
	}
	fmt.Fprintf(b, "# Benchmarks\n\nWritten by %s (internal/bench) on %s; the run took %s.\n\n",
		mode, time.Now().UTC().Format("2006-01-02 15:04 UTC"), r.took.Round(time.Second))
	fmt.Fprintf(b, "## Machine\n\n")
	fmt.Fprintf(b, "- CPU: %s, %s cores\n- Memory: %s\n- OS: %s, kernel %s\n- Go: %s\n",
		m.cpu, m.cores, m.memory, m.os, m.kernel, m.goVersion)
	for _, v := range m.versions {
		fmt.Fprintf(b, "- %s\n", v)
	}
	fmt.Fprintf(b, "- Load average (1, 5, 15 min) before / after the run: %s / %s\n\n", m.loadBefore,
		loadAverage())
	fmt.Fprintf(b, "The machine is shared: other work ran on its %s cores during the run, so the\n"+
		"times are noisier than on an idle machine. The runs alternate between tools so that\n"+
		"each pair of runs saw much the same load, and ratios are taken pair by pair.\n\n", m.cores)

	d := r.data
	fmt.Fprintf(b, "## Method\n\n")
	fmt.Fprintf(b, "- Server: vsftpd 3.0.3 on 127.0.0.1, plain FTP (explicit TLS, required on control and data\n"+
		"  connections, for wan-mirror-tls, with ferry trusting its certificate through SSL_CERT_FILE),\n"+
		"  started by internal/realserver; its files are on tmpfs.\n")
	fmt.Fprintf(b, "- Local files (downloads, the upload's source) are on tmpfs (`$W` is a folder in /dev/shm).\n")
	fmt.Fprintf(b, "- Data: `big.bin`, %d MiB of random bytes; `tree/`, %d files of %d-%d bytes in %d folders\n"+
		"  (`tree/d00` holds %d of them); `many/`, a folder of %d entries.\n",
		d.bigSize>>20, d.treeFiles, d.minFile, d.maxFile, d.treeFolders, d.treeFiles/d.treeFolders, d.manyEntries)
	warm := "one warm-up round, then "
	if r.cfg.Smoke {
		warm = ""
	}
	fmt.Fprintf(b, "- Each scenario runs its tools in turn: %s%d measured round(s) (start-up: 20), each round\n"+
		"  starting with the next tool. Times are wall-clock from process start to exit.\n", warm, r.cfg.Runs)
	fmt.Fprintf(b, "- Ratio = the median over rounds of ferry's time / the peer's time in the same round;\n"+
		"  below 1 ferry is faster.\n")
	fmt.Fprintf(b, "- Peak memory: the process's ru_maxrss as GNU time reports it (`/usr/bin/time -f %%M`);\n"+
		"  not measured for the start-up runs. MB = 10^6 bytes.\n")
	fmt.Fprintf(b, "- Distance scenarios (`wan-*`, at %s): every connection goes through\n"+
		"  internal/bench/relay, which listens on 127.0.0.2 on the server's control port and its whole\n"+
		"  passive range and forwards each connection to the same port of 127.0.0.1 without reading it\n"+
		"  (vsftpd names 127.0.0.2 in its 227 replies; TLS passes through). It charges what a path with\n"+
		"  that round trip charges: a server's first byte reaches the client two round trips after it\n"+
		"  began to connect, the client's first byte the server one and a half; every byte and every\n"+
		"  close (FIN) arrives half a round trip after it was sent; no bandwidth cap but a 4 MiB window\n"+
		"  in flight each way. The relay dials the server from 127.0.0.3; in active mode the client\n"+
		"  announces 127.0.0.3, where a second relay carries the server's connections back to it (the\n"+
		"  run fails if none went through). %d measured run(s), no warm-up.\n",
		rttList(r.cfg.RTTs), r.distanceRuns())
	fmt.Fprintf(b, "- Round trips per file (RT/file) are from elapsed time: (the tool's fastest run - its\n"+
		"  fastest run through the relay without delay) / round trip x connections / files. The\n"+
		"  baseline takes out what the machine, vsftpd (its login alone takes about 0.1 s here) and\n"+
		"  the tool cost at any distance; the fastest runs, since a shared machine's noise only adds\n"+
		"  time. For `ls`, round trips in all.\n")
	fmt.Fprintf(b, "- Peers run with their best settings for the job: lftp with `set ftp:sync-mode off;\n"+
		"  set ftp:ssl-allow no` and `mirror --parallel=N`; curl with all files on one command line,\n"+
		"  so that it reuses one connection.\n\n")
}

func (r *report) targetTable(b *bytes.Buffer) {
	fmt.Fprintf(b, "## Targets (issue 7)\n\n| # | target | limit | measured | |\n| --- | --- | --- | --- | --- |\n")
	for _, t := range targets(r.cfg.RTTs) {
		fmt.Fprintf(b, "| %d | %s |\n", t.n, r.targetCells(t))
	}
	fmt.Fprintf(b, "\n## Targets at a distance (issue 15)\n\n| target | limit | measured | |\n| --- | --- | --- | --- |\n")
	for _, t := range distanceTargets(r.cfg.RTTs) {
		fmt.Fprintf(b, "| %s |\n", r.targetCells(t))
	}
	fmt.Fprintln(b)
}

// targetCells returns the cells of t's row after its number: the text,
// the limit, the value measured and the verdict.
func (r *report) targetCells(t target) string {
	v, met, ok := r.evaluate(t)
	measured, verdict := "not run", ""
	if ok {
		measured = fmt.Sprintf("%.2f", v)
		verdict = "missed"
		if met {
			verdict = "met"
		}
	}
	limit := fmt.Sprintf("<= %.2f", t.limit)
	if t.kind != ratioTarget {
		limit = fmt.Sprintf("<= %.0f", t.limit)
	}
	return strings.Join([]string{t.text, limit, measured, verdict}, " | ")
}

// distanceTable shows each distance scenario's times, ferry's against
// each peer's, and each tool's round trips per file.
func (r *report) distanceTable(b *bytes.Buffer) {
	var rows []string
	for _, res := range r.results {
		if res.sc.group == "" || len(res.series) < 2 {
			continue
		}
		f := res.series[0]
		for _, p := range res.series[1:] {
			rows = append(rows, fmt.Sprintf("| %s | %v | %.2f | %s %.2f | %.2f | %s | %s |",
				res.sc.group, res.sc.rtt, f.medianWall(), p.tool, p.medianWall(), pairRatio(f, p),
				r.roundTripCell(res, f), r.roundTripCell(res, p)))
		}
	}
	if len(rows) == 0 {
		return
	}
	fmt.Fprintf(b, "## At a distance\n\nMedian seconds. Round trip 0s is the baseline: the same path through the relay\n"+
		"with no delay. RT/file is round trips per file on each connection, from the fastest run's\n"+
		"time less the baseline's (in all for ls); see Method.\n\n")
	fmt.Fprintf(b, "| scenario | round trip | ferry s | peer s | ferry / peer | ferry RT/file | peer RT/file |\n")
	fmt.Fprintf(b, "| --- | --- | --- | --- | --- | --- | --- |\n%s\n\n", strings.Join(rows, "\n"))
}

// roundTripCell returns s's round trips per file in res, or "-".
func (r *report) roundTripCell(res *result, s *series) string {
	rt, ok := r.roundTrips(res, s)
	if !ok {
		return "-"
	}
	return fmt.Sprintf("%.1f", rt)
}

// distanceRuns returns the measured runs of each distance scenario.
func (r *report) distanceRuns() int {
	if r.cfg.Smoke {
		return 1
	}
	return distanceRuns
}

// rttList returns the round trips as "20ms and 100ms".
func rttList(rtts []time.Duration) string {
	s := make([]string, len(rtts))
	for i, d := range rtts {
		s[i] = d.String()
	}
	if len(s) < 2 {
		return strings.Join(s, "")
	}
	return strings.Join(s[:len(s)-1], ", ") + " and " + s[len(s)-1]
}

func (r *report) scenarioSection(b *bytes.Buffer, res *result) {
	fmt.Fprintf(b, "## %s: %s\n\n", res.sc.id, res.sc.title)
	fmt.Fprintf(b, "| tool | median s | min s | max s | %s / tool | CPU s (median) | peak memory MB (median, max) |\n",
		res.series[0].tool)
	fmt.Fprintf(b, "| --- | --- | --- | --- | --- | --- | --- |\n")
	for i, s := range res.series {
		w := s.walls()
		lo, hi := w[0], w[0]
		for _, x := range w {
			lo, hi = min(lo, x), max(hi, x)
		}
		ratio := "-"
		if i > 0 {
			ratio = fmt.Sprintf("%.2f", pairRatio(res.series[0], s))
		}
		memory := "not measured"
		if s.maxRSS() > 0 {
			memory = fmt.Sprintf("%.1f, %.1f", s.medianRSS()/1e6, float64(s.maxRSS())/1e6)
		}
		fmt.Fprintf(b, "| %s | %.3f | %.3f | %.3f | %s | %.3f | %s |\n", s.tool, s.medianWall(), lo, hi, ratio, s.medianCPU(), memory)
	}
	fmt.Fprintf(b, "\n```sh\n")
	for _, s := range res.series {
		cmd := r.redact(s.command)
		if len(cmd) > 400 {
			cmd = cmd[:400] + " ... (one URL per file of tree/d00)"
		}
		fmt.Fprintf(b, "# %s\n%s\n", s.tool, cmd)
	}
	fmt.Fprintf(b, "```\n\n")
}
