package transfer

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ferry-ftp/ferry/client"
	"github.com/ferry-ftp/ferry/internal/ftptest"
)

// TestEachAhead checks that every item runs once, and that an item a
// goroutine claims with take runs next on that goroutine.
func TestEachAhead(t *testing.T) {
	const n = 50
	var mu sync.Mutex
	runs := make([]int, n)
	var order [][]int // per goroutine run, the items in order
	err := EachAhead(context.Background(), n, 4, func(_ context.Context, i int, take func() (int, bool)) {
		mu.Lock()
		runs[i]++
		mu.Unlock()
		if i%3 == 0 {
			j, ok := take()
			if j2, ok2 := take(); ok2 != ok || j2 != j {
				t.Errorf("take gave %d %v, then %d %v", j, ok, j2, ok2)
			}
			if ok {
				mu.Lock()
				order = append(order, []int{i, j})
				mu.Unlock()
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range runs {
		if r != 1 {
			t.Errorf("item %d ran %d times", i, r)
		}
	}
	if len(order) == 0 {
		t.Error("nothing was claimed")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	ran := 0
	if err := EachAhead(ctx, n, 4, func(context.Context, int, func() (int, bool)) { ran++ }); err != context.Canceled || ran != 0 {
		t.Errorf("cancelled: %v, %d items ran", err, ran)
	}
}

// TestMirrorLookahead mirrors a folder over one connection: each file's
// EPSV and RETR go out before the final reply of the file before (the
// server holds each 226 until the next EPSV has arrived, or ABOR), with
// MLSD's times or LIST's and one batch of MDTM, and the tree arrives
// exact. With --remove-source-files, whose DELE follows each download,
// nothing is sent ahead.
func TestMirrorLookahead(t *testing.T) {
	names := []string{"a.bin", "b.bin", "c.bin", "d.bin"}
	for _, tc := range []struct {
		name   string
		list   bool
		remove bool
	}{{"MLSD", false, false}, {"LIST", true, false}, {"remove source", false, true}} {
		t.Run(tc.name, func(t *testing.T) {
			var mu sync.Mutex
			epsv := 0
			held := map[int]chan struct{}{}
			open := func(n int) {
				if ch := held[n]; ch != nil {
					close(ch)
					delete(held, n)
				}
			}
			cfg := ftptest.Config{Hook: func(c ftptest.Command) *ftptest.Reply {
				mu.Lock()
				defer mu.Unlock()
				switch {
				case c.Verb == "EPSV":
					epsv++
					open(epsv)
				case c.Verb == "ABOR":
					for n := range held {
						open(n)
					}
				case c.Verb == "RETR" && c.Arg != "tree/d.bin" && !tc.remove:
					ch := make(chan struct{})
					held[epsv+1] = ch
					return &ftptest.Reply{Transfer: &ftptest.Transfer{Final: &ftptest.Reply{Wait: ch}}}
				}
				return nil
			}}
			if tc.list {
				cfg.Disable = []string{"MLSD", "MLST"}
			}
			srv := ftptest.New(t, cfg)
			src := filepath.Join(srv.Root(), "tree")
			for i, n := range names {
				if err := os.MkdirAll(src, 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(src, n), []byte(strings.Repeat(n, 1000*(i+1))), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want := treeSums(t, src)
			s := site(srv)
			s.Options = append(s.Options, client.WithIdleTimeout(3*time.Second))
			p := NewPool(s, PoolOptions{Size: 1, Backoff: noWait})
			t.Cleanup(func() { p.Close() })
			local := filepath.Join(t.TempDir(), "copy")
			rep, err := p.Mirror(testCtx(t), "tree", local, MirrorOptions{RemoveSource: tc.remove})
			if err != nil || rep.Failed != 0 || rep.Copied != len(names) {
				t.Fatalf("mirror: %+v, %v", rep, err)
			}
			if got := treeSums(t, local); fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("copy %v, want %v", got, want)
			}
			cmds := srv.SessionCommands(1)
			var retr []string
			for _, c := range cmds {
				if !tc.remove && (strings.HasPrefix(c, "SIZE") || strings.HasPrefix(c, "MDTM") && !tc.list) {
					t.Errorf("%s sent for a listed file: %q", c, cmds)
				}
				if strings.HasPrefix(c, "RETR") {
					retr = append(retr, c)
				}
			}
			if !slices.Equal(retr, []string{"RETR tree/a.bin", "RETR tree/b.bin", "RETR tree/c.bin", "RETR tree/d.bin"}) {
				t.Errorf("RETRs %q", retr)
			}
			// Each RETR but the last: the EPSV after it came before its
			// final reply, or (remove source) after it.
			tr := srv.Transcript(1)
			for i, l := range tr {
				if !strings.HasPrefix(l, "> RETR ") || l == "> RETR tree/d.bin" {
					continue
				}
				final := slices.IndexFunc(tr[i+1:], func(s string) bool { return strings.HasPrefix(s, "< 226 ") })
				next := slices.Index(tr[i+1:], "> EPSV")
				if ahead := next >= 0 && next < final; ahead == tc.remove {
					t.Errorf("after %s: the next EPSV came at +%d, the 226 at +%d:\n%s", l, next, final, strings.Join(tr, "\n"))
				}
			}
		})
	}
}
