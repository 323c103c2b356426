package interop

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ferry-ftp/ferry/client"
	"github.com/ferry-ftp/ferry/internal/realserver"
)

// state is how a tracked test ended.
type state int

const (
	notRun state = iota // not run, skipped, or still running
	passed
	failed
)

// outcome is the result of one entry of the report: a matrix cell, a
// cross-check or a command line run.
type outcome struct {
	mu    sync.Mutex
	state state
	steps []string // the steps that failed, in order
	tls   string   // what the TLS data connections did, for TLS cells
	ahead string   // what lookahead did, for TestEveryServer's runs
	took  time.Duration
}

func (o *outcome) addFailure(step string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.steps = append(o.steps, step)
}

func (o *outcome) setTLS(note string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.tls = note
}

func (o *outcome) setLookahead(note string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.ahead = note
}

// lookahead returns what setLookahead recorded.
func (o *outcome) lookahead() string {
	if o == nil {
		return ""
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.ahead
}

// snapshot returns a copy without the lock.
func (o *outcome) snapshot() (state, []string, string) {
	if o == nil {
		return notRun, nil, ""
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.state, slices.Clone(o.steps), o.tls
}

// String is the text of a report cell.
func (o *outcome) String() string {
	st, steps, _ := o.snapshot()
	switch st {
	case passed:
		return "pass"
	case failed:
		switch len(steps) {
		case 0:
			return "**FAIL**"
		case 1:
			return "**FAIL** (" + steps[0] + ")"
		}
		return fmt.Sprintf("**FAIL** (%s; %d more)", steps[0], len(steps)-1)
	}
	return "not run"
}

// cellKey names a cell of the engine matrix.
type cellKey struct {
	kind realserver.Kind
	opts realserver.Options
	mode client.DataMode
}

// crossKey names a jlaffaye/ftp cross-check.
type crossKey struct {
	kind realserver.Kind
	tls  realserver.TLSMode
}

// cliKey names a command line run against vsftpd.
type cliKey struct {
	tls  realserver.TLSMode
	mode client.DataMode
}

// everyKey names a command line run of TestEveryServer.
type everyKey struct {
	kind realserver.Kind
	mode client.DataMode
}

// registry collects the outcomes of a run for the report.
type registry struct {
	mu    sync.Mutex
	cells map[cellKey]*outcome
	cross map[crossKey]*outcome
	cli   map[cliKey]*outcome
	every map[everyKey]*outcome
}

var results = &registry{
	cells: map[cellKey]*outcome{},
	cross: map[crossKey]*outcome{},
	cli:   map[cliKey]*outcome{},
	every: map[everyKey]*outcome{},
}

// track returns the outcome of the running test, settled when it ends.
func track[K comparable](t *testing.T, r *registry, m map[K]*outcome, key K) *outcome {
	o := &outcome{}
	r.mu.Lock()
	m[key] = o
	r.mu.Unlock()
	start := time.Now()
	t.Cleanup(func() {
		o.mu.Lock()
		defer o.mu.Unlock()
		o.took = time.Since(start)
		switch {
		case t.Skipped():
			o.state = notRun
		case t.Failed():
			o.state = failed
		default:
			o.state = passed
		}
	})
	return o
}

func (r *registry) cell(t *testing.T, s *realserver.Server, mode client.DataMode) *outcome {
	return track(t, r, r.cells, cellKey{s.Kind, s.Options, mode})
}

func (r *registry) crossCheck(t *testing.T, s *realserver.Server) *outcome {
	return track(t, r, r.cross, crossKey{s.Kind, s.Options.TLS})
}

func (r *registry) cliRun(t *testing.T, tls realserver.TLSMode, mode client.DataMode) *outcome {
	return track(t, r, r.cli, cliKey{tls, mode})
}

func (r *registry) everyRun(t *testing.T, kind realserver.Kind, mode client.DataMode) *outcome {
	return track(t, r, r.every, everyKey{kind, mode})
}

// crossTLS and cliTLS are the TLS modes of the cross-check and the
// command line runs.
var (
	crossTLS = []realserver.TLSMode{realserver.TLSNone, realserver.TLSExplicit}
	cliTLS   = []realserver.TLSMode{realserver.TLSNone, realserver.TLSExplicit}
)

// complete reports whether every entry of the report ran to an end; it
// lists what did not.
func (r *registry) complete() (bool, []string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var missing []string
	check := func(o *outcome, name string) {
		if st, _, _ := o.snapshot(); st == notRun {
			missing = append(missing, name)
		}
	}
	for _, kind := range realserver.Kinds {
		for _, opts := range realserver.AllOptions() {
			if !realserver.Supports(kind, opts) {
				continue
			}
			for _, mode := range modes {
				if offersMode(kind, mode) {
					check(r.cells[cellKey{kind, opts, mode}], fmt.Sprintf("%s/%s/%s", kind, opts, mode))
				}
			}
		}
		for _, tls := range crossTLS {
			if realserver.Supports(kind, realserver.Options{TLS: tls}) {
				check(r.cross[crossKey{kind, tls}], fmt.Sprintf("jlaffaye %s/%s", kind, tls))
			}
		}
		for _, mode := range modes {
			if !offersMode(kind, mode) {
				continue
			}
			check(r.every[everyKey{kind, mode}], fmt.Sprintf("every %s/%s", kind, mode))
		}
	}
	for _, tls := range cliTLS {
		for _, mode := range modes {
			check(r.cli[cliKey{tls, mode}], fmt.Sprintf("cli %s/%s", tls, mode))
		}
	}
	return len(missing) == 0, missing
}

// tlsLabel names a TLS mode in the report.
func tlsLabel(m realserver.TLSMode) string {
	switch m {
	case realserver.TLSExplicit:
		return "explicit TLS"
	case realserver.TLSImplicit:
		return "implicit TLS"
	}
	return "plain"
}

func ipLabel(v6 bool) string {
	if v6 {
		return "IPv6"
	}
	return "IPv4"
}

// tlsNotes describes a row's TLS data connections: once when the modes
// agree, else per mode.
func tlsNotes(passive, active *outcome) string {
	_, _, p := passive.snapshot()
	_, _, a := active.snapshot()
	switch {
	case p == "" && a == "":
		return "—"
	case p == a:
		return p
	}
	return fmt.Sprintf("passive: %s; active: %s", orDash(p), orDash(a))
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// timings lists the n slowest entries, for the log.
func (r *registry) timings(n int) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	type entry struct {
		name string
		took time.Duration
	}
	var all []entry
	add := func(name string, o *outcome) {
		o.mu.Lock()
		defer o.mu.Unlock()
		if o.state != notRun {
			all = append(all, entry{name, o.took})
		}
	}
	for k, o := range r.cells {
		add(fmt.Sprintf("%s/%s/%s", k.kind, k.opts, k.mode), o)
	}
	for k, o := range r.cross {
		add(fmt.Sprintf("jlaffaye %s/%s", k.kind, k.tls), o)
	}
	for k, o := range r.cli {
		add(fmt.Sprintf("cli %s/%s", k.tls, k.mode), o)
	}
	for k, o := range r.every {
		add(fmt.Sprintf("every %s/%s", k.kind, k.mode), o)
	}
	slices.SortFunc(all, func(a, b entry) int { return int(b.took - a.took) })
	var lines []string
	for i, e := range all {
		if i == n {
			break
		}
		lines = append(lines, fmt.Sprintf("  %-40s %v", e.name, e.took.Round(time.Millisecond)))
	}
	return strings.Join(lines, "\n")
}
