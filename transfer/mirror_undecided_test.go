package transfer

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ferry-ftp/ferry/internal/ftptest"
	"github.com/ferry-ftp/ferry/internal/testsupport"
)

// undecidedSource writes the server's files of the undecided tests below
// root/src: old enough for LIST to give only their days.
func undecidedSource(t *testing.T, root string) {
	t.Helper()
	for name, at := range map[string]time.Time{
		"0430": time.Date(2024, 4, 30, 12, 0, 0, 0, time.UTC),
		"0501": time.Date(2024, 5, 1, 11, 30, 0, 0, time.UTC),
		"0502": time.Date(2024, 5, 2, 10, 0, 0, 0, time.UTC),
		"0503": time.Date(2024, 5, 3, 10, 0, 0, 0, time.UTC),
	} {
		p := filepath.Join(root, "src", name)
		testsupport.WriteFile(t, p, "file "+name)
		if err := os.Chtimes(p, at, at); err != nil {
			t.Fatal(err)
		}
	}
}

// --newer-than and --older-than on LIST times known only to the day:
// the files the day cannot decide on are asked MDTM (batched, only
// those) and decided on their exact times, as lftp's mirror --newer-than
// copies the files of that day; where MDTM is not offered they are
// copied all the same and named, never left out in silence (outside probe
// of issue 16: --newer-than 2024-05-01 left out the file of 05-01 11:30Z,
// --older-than 2024-05-01 those of 04-30 and 05-01, with no MDTM asked
// and nothing said, exit 0).
func TestMirrorTimeLimitsUndecided(t *testing.T) {
	limit := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	newer := Filter{FilterLimits: FilterLimits{NewerThan: limit}}
	older := Filter{FilterLimits: FilterLimits{OlderThan: limit}}
	for _, tc := range []struct {
		name   string
		filter Filter
		noMDTM bool
		move   bool
		want   []string // copied
		mdtm   []string // MDTM asked in the dry run
		named  []string // named as undecided (Notify and Unsure)
		skips  []string // skipped (RemoveSource)
	}{
		{name: "newer-than", filter: newer, want: []string{"0501", "0502", "0503"}, mdtm: []string{"0430", "0501"}},
		{name: "older-than", filter: older, want: []string{"0430"}, mdtm: []string{"0430", "0501"}},
		{name: "newer-than without MDTM", filter: newer, noMDTM: true, want: []string{"0430", "0501", "0502", "0503"}, named: []string{"0430", "0501"}},
		{name: "older-than without MDTM", filter: older, noMDTM: true, want: []string{"0430", "0501"}, named: []string{"0430", "0501"}},
		{name: "move without MDTM", filter: newer, noMDTM: true, move: true, want: []string{"0502", "0503"}, skips: []string{"0430", "0501"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := ftptest.Config{Disable: []string{"MLSD", "MLST"}}
			if tc.noMDTM {
				cfg.Disable = append(cfg.Disable, "MDTM")
			}
			srv := ftptest.New(t, cfg)
			undecidedSource(t, srv.Root())
			p := testPool(t, srv, PoolOptions{Size: 2})
			dst := filepath.Join(t.TempDir(), "dl")
			opt := MirrorOptions{Update: UpdateChanged, Filter: tc.filter, RemoveSource: tc.move}

			// The dry run asks MDTM for the undecided files alone.
			srv.ResetCommands()
			dry := opt
			dry.DryRun = true
			var dn notes
			dry.Notify = dn.add
			rep, err := p.Mirror(testCtx(t), "src", dst, dry)
			if err != nil {
				t.Fatalf("dry run: %v", err)
			}
			var asked []string
			for _, c := range srv.Commands() {
				if name, ok := strings.CutPrefix(c, "MDTM src/"); ok {
					asked = append(asked, name)
				}
			}
			slices.Sort(asked)
			if !slices.Equal(asked, tc.mdtm) {
				t.Errorf("dry run asked MDTM for %q, want %q", asked, tc.mdtm)
			}
			var planned, unsure []string
			for _, a := range rep.Plan {
				if a.Kind == Copy {
					planned = append(planned, a.Path)
				}
				if a.Unsure != "" {
					unsure = append(unsure, a.Path)
				}
			}
			if !slices.Equal(planned, tc.want) || !slices.Equal(unsure, tc.named) {
				t.Errorf("dry run plans %q (unsure %q), want %q (%q)", planned, unsure, tc.want, tc.named)
			}

			var n notes
			var ev events
			opt.Notify, opt.OnEvent = n.add, ev.add
			rep, err = p.Mirror(testCtx(t), "src", dst, opt)
			if err != nil || rep.Failed != 0 {
				t.Fatalf("Mirror = %+v, %v", rep, err)
			}
			if got := files(testsupport.Tree(t, dst)); !slices.Equal(got, tc.want) {
				t.Errorf("copied %q, want %q", got, tc.want)
			}
			var named []string
			for _, msg := range n.msgs {
				if name, _, ok := strings.Cut(msg, ": time known only to the day: "); ok {
					named = append(named, name)
				}
			}
			slices.Sort(named)
			if !slices.Equal(named, tc.named) {
				t.Errorf("named %q, want %q; notes %q", named, tc.named, n.msgs)
			}
			if rep.Skipped != len(tc.skips) {
				t.Errorf("%d skipped, want %q", rep.Skipped, tc.skips)
			}
			if tc.move {
				left := files(testsupport.Tree(t, filepath.Join(srv.Root(), "src")))
				if !slices.Equal(left, tc.skips) {
					t.Errorf("the source keeps %q, want %q", left, tc.skips)
				}
			}
		})
	}
}
