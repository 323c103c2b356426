package transfer

import (
	"errors"
	"testing"
	"time"

	"github.com/ferry-ftp/ferry/client"
	"github.com/ferry-ftp/ferry/internal/ftptest"
)

// TestConnectFallsBackToLockstep checks servers that do not take the
// commands sent with PASS (a server that throws away what arrives while
// it checks the password, one that answers 421 to commands sent ahead):
// Connect dials once more and logs in one command at a time, and every
// later connection sharing the site's Refusals starts that way. A refused
// password is not retried.
func TestConnectFallsBackToLockstep(t *testing.T) {
	for _, tc := range []struct {
		name  string
		reply ftptest.Reply
	}{
		{"no replies", ftptest.Reply{Stall: true}},
		{"421", ftptest.Reply{Code: 421, Text: "Commands sent ahead are not allowed."}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := ftptest.New(t, ftptest.Config{Hook: func(c ftptest.Command) *ftptest.Reply {
				if c.Queued {
					r := tc.reply
					return &r
				}
				return nil
			}})
			refusals := client.NewRefusals()
			st := site(srv)
			st.Options = []client.Option{client.WithRefusals(refusals), client.WithIdleTimeout(500 * time.Millisecond), client.WithPipelining(true)}
			ctx := t.Context()
			for i := range 2 {
				c, err := Connect(ctx, st)
				if err != nil {
					t.Fatalf("Connect %d: %v", i+1, err)
				}
				if _, _, err := c.List(ctx, ""); err != nil {
					t.Fatalf("LIST after Connect %d: %v", i+1, err)
				}
				c.Close()
			}
			if !errors.Is(refusals.NoPipelining(), client.ErrPipelineRefused) {
				t.Errorf("NoPipelining = %v", refusals.NoPipelining())
			}
			if n := srv.Sessions(); n != 3 {
				t.Fatalf("%d sessions, want 3: the refused one, its retry, the next", n)
			}
			for _, n := range []int{2, 3} {
				for _, b := range srv.Batches(n) {
					if len(b) != 1 {
						t.Errorf("session %d sent %q in one write, want one command at a time", n, b)
					}
				}
			}
		})
	}
	t.Run("wrong password", func(t *testing.T) {
		srv := ftptest.New(t, ftptest.Config{})
		st := site(srv)
		st.Password = "wrong"
		st.Options = []client.Option{client.WithPipelining(true)}
		_, err := Connect(t.Context(), st)
		if client.KindOf(err) != client.KindAuth || errors.Is(err, client.ErrPipelineRefused) {
			t.Errorf("Connect = %v, want a login refusal", err)
		}
		if n := srv.Sessions(); n != 1 {
			t.Errorf("%d sessions, want 1", n)
		}
	})
}
