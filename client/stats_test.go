package client

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ferry-ftp/ferry/internal/ftptest"
)

// TestStats asks sizes and times of several files at once: each gets its
// own answer or error, in order; with pipelining every command goes out
// before the first reply comes, without it each waits for the reply
// before; and the connection goes on in step.
func TestStats(t *testing.T) {
	for _, tc := range []struct {
		name     string
		pipeline bool
		features bool // FEAT read, listing SIZE and MDTM
		disable  []string
		want     []string // the commands sent
	}{
		{"pipelined", true, true, nil,
			[]string{"SIZE a", "MDTM a", "SIZE missing", "MDTM missing", "MDTM b", "NOOP"}},
		{"one at a time", false, true, nil,
			[]string{"SIZE a", "MDTM a", "SIZE missing", "MDTM missing", "MDTM b"}},
		{"features unknown", true, false, nil,
			[]string{"SIZE a", "MDTM a", "SIZE missing", "MDTM missing", "MDTM b", "NOOP"}},
		{"SIZE refused", true, false, []string{"SIZE"},
			[]string{"SIZE a", "MDTM a", "MDTM missing", "MDTM b", "NOOP"}},
		{"MLST for the refused", true, true, []string{"SIZE", "MDTM"},
			[]string{"SIZE a", "MDTM a", "MLST a", "MLST missing", "MLST b", "NOOP"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := ftptest.New(t, ftptest.Config{Disable: tc.disable})
			tm := time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC)
			for _, name := range []string{"a", "b"} {
				writeFile(t, srv, name, []byte(name+" data"))
				if err := os.Chtimes(filepath.Join(srv.Root(), name), tm, tm); err != nil {
					t.Fatal(err)
				}
			}
			var trace bytes.Buffer
			c := dialLogin(t, srv, WithPipelining(tc.pipeline), WithTrace(&trace))
			if tc.features {
				if _, err := c.Features(testCtx(t)); err != nil {
					t.Fatal(err)
				}
			}
			srv.ResetCommands()
			trace.Reset()
			st, err := c.Stats(testCtx(t), []StatQuery{{"a", true, true}, {"missing", true, true}, {"b", false, true}})
			if err != nil {
				t.Fatal(err)
			}
			mlst := len(tc.disable) == 2
			if (tc.disable == nil || mlst) && (st[0].Size != 6 || st[0].SizeErr != nil) {
				t.Errorf("a: size %d, %v", st[0].Size, st[0].SizeErr)
			}
			if tc.disable != nil && !mlst && (st[0].Size != -1 || ReplyCode(st[0].SizeErr) != 502) {
				t.Errorf("a with SIZE refused: size %d, %v", st[0].Size, st[0].SizeErr)
			}
			if !st[0].ModTime.Equal(tm) || st[0].TimeErr != nil || !st[2].ModTime.Equal(tm) || st[2].TimeErr != nil {
				t.Errorf("times: %+v", st)
			}
			if st[1].Size != -1 || !st[1].ModTime.IsZero() || ReplyCode(st[1].TimeErr) != 550 ||
				(tc.disable == nil || mlst) && ReplyCode(st[1].SizeErr) != 550 {
				t.Errorf("missing: %+v", st[1])
			}
			if st[2].Size != -1 || st[2].SizeErr != nil {
				t.Errorf("b, size not asked: %+v", st[2])
			}
			if err := c.Noop(testCtx(t)); err != nil {
				t.Fatalf("NOOP after Stats: %v", err)
			}
			matchCommands(t, srv.SessionCommands(1), append(slices.Clone(tc.want), "NOOP"))
			// The trace: with pipelining, the commands after those asked
			// alone (where FEAT did not list them) all go before the next
			// reply.
			var order []string
			for _, l := range strings.Split(trace.String(), "\n") {
				if strings.HasPrefix(l, "> ") || len(l) > 6 && strings.HasPrefix(l, "< ") && l[5] == ' ' {
					order = append(order, l[:1]) // a command, or a reply's last line
				}
			}
			got := strings.Join(order, "")
			// A pipelined batch ends with NOOP, whose reply shows that
			// no reply came that no command asked for.
			want := ">>>>>><<<<<<><"
			switch {
			case !tc.pipeline:
				want = "><><><><><><"
			case mlst:
				want = "><><>>>><<<<><" // SIZE and MDTM refused alone, then MLST
			case tc.disable != nil:
				want = "><><>>><<<><"
			case !tc.features:
				want = "><><>>>><<<<><" // SIZE a alone, then MDTM a alone
			}
			if got != want {
				t.Errorf("sent (>) and received (<) in the order %s, want %s:\n%s", got, want, trace.String())
			}
		})
	}
	srv := ftptest.New(t, ftptest.Config{})
	c := dialLogin(t, srv, WithPipelining(true))
	writeFile(t, srv, "ok", []byte("ok"))
	st, err := c.Stats(testCtx(t), []StatQuery{{"ok", true, false}, {"bad\r\nDELE a", true, true}})
	if err != nil || st[0].Size != 2 || st[1].SizeErr == nil || st[1].TimeErr == nil {
		t.Errorf("a path with CR LF: %+v, %v; want it alone refused", st, err)
	}
	matchCommands(t, srv.SessionCommands(1), []string{"USER user", "PASS pass", "SIZE ok"})
	if _, err := c.Stats(testCtx(t), make([]StatQuery, MaxStats+1)); err == nil {
		t.Error("too many paths were accepted")
	}
}

// TestStatsStrayReply checks a server that sends one reply more than it
// was asked for in the middle of a batch: every reply after it would be
// taken for the next path's (a wrong time on a file that a mirror then
// keeps as unchanged). The batch's NOOP shows it: Stats fails, nothing of
// the batch is returned, and the connection is dropped.
func TestStatsStrayReply(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{Hook: func(c ftptest.Command) *ftptest.Reply {
		if c.Raw == "MDTM b" {
			return &ftptest.Reply{Raw: []byte("213 20200102030405\r\n213 20000101000000\r\n")}
		}
		return nil
	}})
	for _, name := range []string{"a", "b", "c"} {
		writeFile(t, srv, name, []byte(name))
	}
	c := dialLogin(t, srv, WithPipelining(true))
	if _, err := c.Features(testCtx(t)); err != nil {
		t.Fatal(err)
	}
	st, err := c.Stats(testCtx(t), []StatQuery{{"a", false, true}, {"b", false, true}, {"c", false, true}})
	if err == nil || st != nil {
		t.Fatalf("Stats = %+v, %v; want an error and no results", st, err)
	}
	if c.Err() == nil {
		t.Error("the connection was kept after a reply no command asked for")
	}
}

// TestStatsNoopRefused checks a server without NOOP: the batch's NOOP is
// refused, the answers stand, and the next batch ends with PWD.
func TestStatsNoopRefused(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{Disable: []string{"NOOP"}})
	for _, name := range []string{"a", "b"} {
		writeFile(t, srv, name, []byte(name))
	}
	c := dialLogin(t, srv, WithPipelining(true))
	if _, err := c.Features(testCtx(t)); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		st, err := c.Stats(testCtx(t), []StatQuery{{"a", true, false}, {"b", true, false}})
		if err != nil || st[0].Size != 1 || st[1].Size != 1 {
			t.Fatalf("Stats = %+v, %v", st, err)
		}
	}
	got := srv.SessionCommands(1)
	matchCommands(t, got[len(got)-6:], []string{"SIZE a", "SIZE b", "NOOP", "SIZE a", "SIZE b", "PWD"})
}
