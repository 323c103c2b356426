package interop

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ferry-ftp/ferry/client"
	"github.com/ferry-ftp/ferry/internal/realserver"
)

// TestReportOffers checks that the report asks for, and shows, only what
// each server offers: a run in which every offered cell, cross-check and
// command line run passed is complete, aioftp's active column and the
// explicit TLS cross-checks of Twisted and aioftp read "not offered" (and
// aioftp's TLS notes are those of its passive cells alone), and
// leaving out one offered cell makes the run incomplete.
func TestReportOffers(t *testing.T) {
	r := &registry{cells: map[cellKey]*outcome{}, cross: map[crossKey]*outcome{}, cli: map[cliKey]*outcome{}, every: map[everyKey]*outcome{}}
	pass := func() *outcome { return &outcome{state: passed} }
	const note = "TLS 1.3, session reuse not required"
	for _, kind := range realserver.Kinds {
		for _, opts := range realserver.AllOptions() {
			if !realserver.Supports(kind, opts) {
				continue
			}
			for _, mode := range modes {
				if offersMode(kind, mode) {
					o := pass()
					if opts.TLS != realserver.TLSNone {
						o.tls = note
					}
					r.cells[cellKey{kind, opts, mode}] = o
				}
			}
		}
		for _, tls := range crossTLS {
			if realserver.Supports(kind, realserver.Options{TLS: tls}) {
				r.cross[crossKey{kind, tls}] = pass()
			}
		}
		for _, mode := range modes {
			if offersMode(kind, mode) {
				r.every[everyKey{kind, mode}] = pass()
			}
		}
	}
	for _, tls := range cliTLS {
		for _, mode := range modes {
			r.cli[cliKey{tls, mode}] = pass()
		}
	}
	if ok, missing := r.complete(); !ok {
		t.Fatalf("a run of every offered entry is incomplete; missing %q", missing)
	}
	lines := strings.Split(r.render(time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC), nil), "\n")
	for _, want := range []string{
		"| aioftp | plain | IPv4 | pass | not offered | — |",
		"| aioftp | implicit TLS | IPv6 | pass | not offered | " + note + " |",
		"| pure-ftpd | explicit TLS | IPv4 | pass | pass | " + note + " |",
		"| aioftp | explicit TLS | IPv4 | not offered | not offered | — |",
		"| twisted | plain | IPv4 | pass | pass | — |",
		"| twisted | plain | IPv6 | not offered | not offered | — |",
		"| twisted | implicit TLS | IPv4 | not offered | not offered | — |",
		"| aioftp | pass | not offered |",
		"| twisted | pass | not offered |",
		"| vsftpd | pass | pass |",
	} {
		if !slices.Contains(lines, want) {
			t.Errorf("report lacks the line %q", want)
		}
	}

	key := cellKey{realserver.Aioftp, realserver.Options{TLS: realserver.TLSImplicit, IPv6: true}, client.Passive}
	delete(r.cells, key)
	if ok, missing := r.complete(); ok || !slices.Contains(missing, "aioftp/implicit-ipv6/passive") {
		t.Errorf("without aioftp's implicit IPv6 passive cell: complete %t, missing %q", ok, missing)
	}
}
