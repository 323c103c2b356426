package client

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/ferry-ftp/ferry/internal/ftptest"
)

// Servers that lack SIZE, MDTM, MLST or FEAT (issue 14): each call falls
// back, and a refusal is asked once per session.

// fallbackServer serves d/f.txt ("hello"), d/.h ("xy") and the folder d,
// with the verbs disabled answered with code.
func fallbackServer(t *testing.T, code int, disable ...string) *ftptest.Server {
	t.Helper()
	srv := ftptest.New(t, ftptest.Config{Disable: disable, DisableCode: code})
	writeFile(t, srv, "d/f.txt", []byte("hello"))
	writeFile(t, srv, "d/.h", []byte("xy"))
	return srv
}

// commandsAfterLogin returns what session 1 received after USER and PASS.
func commandsAfterLogin(srv *ftptest.Server) []string {
	cmds := srv.SessionCommands(1)
	if len(cmds) >= 2 && strings.HasPrefix(cmds[0], "USER ") && strings.HasPrefix(cmds[1], "PASS ") {
		return cmds[2:]
	}
	return cmds
}

// TestSizeFallsBack: SIZE refused with 500, 501, 502 or 504 gives the size
// MLST tells, or where the server has no MLST the size its folder's
// listing shows (with "-a" for a name that starts with "."). 500 and 502
// are not asked again; 501 is not asked again once the fallback found the
// file (a 501 for a missing file says nothing of SIZE); 504 is asked each
// time. A missing file is the server's 550 to MLST, or ErrNotListed; a
// folder is no plain file.
func TestSizeFallsBack(t *testing.T) {
	for _, code := range []int{500, 501, 502, 504} {
		for _, mlst := range []bool{true, false} {
			t.Run(fmt.Sprintf("%d/mlst=%v", code, mlst), func(t *testing.T) {
				disable := []string{"SIZE"}
				if !mlst {
					disable = append(disable, "MLST", "MLSD")
				}
				srv := fallbackServer(t, code, disable...)
				c := dialLogin(t, srv)
				ctx := testCtx(t)
				if _, err := c.Features(ctx); err != nil {
					t.Fatal(err)
				}
				_, err := c.Size(ctx, "d/missing")
				if mlst && ReplyCode(err) != 550 || !mlst && !errors.Is(err, ErrNotListed) {
					t.Errorf("Size of a missing file = %v, want MLST's 550 or ErrNotListed", err)
				}
				if !mlst && ReplyCode(err) != code {
					t.Errorf("Size of a missing file = %v, want it to carry the server's %d", err, code)
				}
				for _, p := range []string{"d/f.txt", "d/f.txt"} {
					if n, err := c.Size(ctx, p); n != 5 || err != nil {
						t.Errorf("Size(%s) = %d, %v; want 5", p, n, err)
					}
				}
				if n, err := c.Size(ctx, "d/.h"); n != 2 || err != nil {
					t.Errorf("Size(d/.h) = %d, %v; want 2", n, err)
				}
				if _, err := c.Size(ctx, "d"); err == nil || !strings.Contains(err.Error(), "not a plain file") {
					t.Errorf("Size of a folder = %v, want an error", err)
				}
				if err := c.Noop(ctx); err != nil {
					t.Fatal(err)
				}

				// What each lookup costs after SIZE.
				look := func(p string) []string {
					if mlst {
						return []string{"MLST " + p}
					}
					dir, name, _ := strings.Cut(p, "/")
					arg := ""
					if name == "" {
						dir, name = "", dir
					}
					if strings.HasPrefix(name, ".") {
						arg = "-a "
					}
					return []string{"EPSV", strings.TrimSpace("LIST " + arg + dir)}
				}
				want := []string{"FEAT"}
				asked := true // SIZE is asked
				for _, p := range []string{"d/missing", "d/f.txt", "d/f.txt", "d/.h", "d"} {
					if asked {
						want = append(want, "SIZE "+p)
					}
					want = append(want, look(p)...)
					if code == 500 || code == 502 || code == 501 && p == "d/f.txt" {
						asked = false
					}
				}
				want = append(want, "NOOP")
				matchCommands(t, commandsAfterLogin(srv), want)
			})
		}
	}
}

// TestModTimeFallsBack: MDTM refused gives MLST's exact time; without
// MLST the time is unknown (a listing's would not be exact), with the
// server's refusal in the error. A refusal is asked once.
func TestModTimeFallsBack(t *testing.T) {
	for _, mlst := range []bool{true, false} {
		t.Run(fmt.Sprintf("mlst=%v", mlst), func(t *testing.T) {
			disable := []string{"MDTM"}
			if !mlst {
				disable = append(disable, "MLST", "MLSD")
			}
			srv := fallbackServer(t, 502, disable...)
			c := dialLogin(t, srv)
			ctx := testCtx(t)
			if _, err := c.Features(ctx); err != nil {
				t.Fatal(err)
			}
			want := []string{"FEAT"}
			for i := range 2 {
				tm, err := c.ModTime(ctx, "d/f.txt")
				if mlst && (err != nil || tm.IsZero() || time.Since(tm) > time.Hour) {
					t.Errorf("ModTime = %v, %v; want MLST's time", tm, err)
				}
				if !mlst && (err == nil || ReplyCode(err) != 502) {
					t.Errorf("ModTime = %v, %v; want an error with the server's 502", tm, err)
				}
				if i == 0 {
					want = append(want, "MDTM d/f.txt")
				}
				if mlst {
					want = append(want, "MLST d/f.txt")
				}
			}
			matchCommands(t, commandsAfterLogin(srv), want)
		})
	}
}

// TestLookupFallsBack: Lookup (ferry stat) on servers that refuse SIZE
// and FEAT but offer MLST (aioftp), that refuse all of FEAT, SIZE, MDTM
// and MLST (the parent's listing, its time to the minute), and that
// refuse MDTM only (SIZE's size, the listing's time).
func TestLookupFallsBack(t *testing.T) {
	minute := time.Now().UTC().Truncate(time.Minute)
	for _, tc := range []struct {
		name    string
		disable []string
		prec    TimePrecision
		want    []string
	}{
		{"aioftp", []string{"FEAT", "SIZE"}, TimeExact, []string{
			"FEAT", "MLST d/f.txt", "MLST d/f.txt", "MLST d/missing"}},
		{"nothing", []string{"FEAT", "SIZE", "MDTM", "MLST", "MLSD"}, TimeMinute, []string{
			"FEAT", "MLST d/f.txt", "SIZE d/f.txt", "EPSV", "LIST d", "MDTM d/f.txt",
			"EPSV", "LIST d", "EPSV", "LIST d"}},
		{"no MDTM, no MLST", []string{"MDTM", "MLST", "MLSD"}, TimeMinute, []string{
			"FEAT", "SIZE d/f.txt", "MDTM d/f.txt", "EPSV", "LIST d",
			"SIZE d/f.txt", "EPSV", "LIST d", "SIZE d/missing"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := fallbackServer(t, 502, tc.disable...)
			c := dialLogin(t, srv)
			ctx := testCtx(t)
			for range 2 {
				e, err := c.Lookup(ctx, "d/f.txt")
				if err != nil {
					t.Fatalf("Lookup: %v", err)
				}
				if e.Type != EntryFile || e.Size != 5 || e.Precision != tc.prec {
					t.Errorf("Lookup = %+v, want a file of 5 bytes, time precision %v", e, tc.prec)
				}
				if tc.prec == TimeMinute && (e.ModTime.Sub(minute).Abs() > time.Minute || e.ModTime.Second() != 0) {
					t.Errorf("Lookup time = %v, want the listing's %v", e.ModTime, minute)
				}
			}
			_, err := c.Lookup(ctx, "d/missing")
			switch {
			case err == nil:
				t.Errorf("Lookup of a missing file succeeded")
			case tc.name == "nothing" && !errors.Is(err, ErrNotListed):
				t.Errorf("Lookup of a missing file = %v, want ErrNotListed", err)
			case tc.name != "nothing" && ReplyCode(err) != 550:
				t.Errorf("Lookup of a missing file = %v, want the server's 550", err)
			}
			matchCommands(t, commandsAfterLogin(srv), tc.want)
		})
	}
}

// TestModTimesRefused: where FEAT does not list MDTM, ModTimes asks the
// first path alone: a server that refuses MDTM does so once, and is not
// asked again (each path gets the refusal); one that has it gets the
// rest in one batch.
func TestModTimesRefused(t *testing.T) {
	for _, disable := range []string{"MDTM", "FEAT"} {
		t.Run(disable, func(t *testing.T) {
			srv := fallbackServer(t, 500, disable)
			c := dialLogin(t, srv)
			if _, err := c.Features(testCtx(t)); err != nil {
				t.Fatal(err)
			}
			paths := []string{"d/f.txt", "d/.h"}
			for range 2 {
				times, errs, err := c.ModTimes(testCtx(t), paths)
				if err != nil || len(times) != 2 || len(errs) != 2 {
					t.Fatalf("ModTimes = %v, %v, %v", times, errs, err)
				}
				for i := range paths {
					if disable == "MDTM" && ReplyCode(errs[i]) != 500 || disable == "FEAT" && (errs[i] != nil || times[i].IsZero()) {
						t.Errorf("ModTimes(%s) = %v, %v", paths[i], times[i], errs[i])
					}
				}
			}
			want := []string{"FEAT", "MDTM d/f.txt"}
			if disable == "FEAT" {
				want = append(want, "MDTM d/.h", "MDTM d/f.txt", "MDTM d/.h")
			}
			matchCommands(t, commandsAfterLogin(srv), want)
		})
	}
}

// TestRefusalsShared: connections that share a Refusals ask FEAT, EPSV and
// SIZE once between them.
func TestRefusalsShared(t *testing.T) {
	srv := fallbackServer(t, 502, "FEAT", "EPSV", "SIZE", "MLST", "MLSD")
	r := NewRefusals()
	for i := range 2 {
		c := dialLogin(t, srv, WithRefusals(r))
		ctx := testCtx(t)
		if _, err := c.Features(ctx); err != nil {
			t.Fatal(err)
		}
		if n, err := c.Size(ctx, "d/f.txt"); n != 5 || err != nil {
			t.Fatalf("connection %d: Size = %d, %v", i+1, n, err)
		}
		c.Quit(ctx)
	}
	waitEnded(t, srv)
	for _, v := range []string{"FEAT", "EPSV", "SIZE", "MLST"} {
		if !r.Has(v) {
			t.Errorf("%s not recorded as refused", v)
		}
	}
	matchCommands(t, srv.SessionCommands(1), []string{"USER user", "PASS pass",
		"FEAT", "SIZE d/f.txt", "MLST d/f.txt", "EPSV", "PASV", "LIST d", "QUIT"})
	matchCommands(t, srv.SessionCommands(2), []string{"USER user", "PASS pass", "PASV", "LIST d", "QUIT"})
}
