package cmd_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ferry-ftp/ferry/cmd"
	"github.com/ferry-ftp/ferry/internal/ftptest"
	"github.com/ferry-ftp/ferry/internal/testsupport"
	"github.com/ferry-ftp/ferry/ops"
)

// aheadNames are the files the lookahead tests fetch with get 'dir/*', in
// the order of the folder's listing.
var aheadNames = []string{"f1.bin", "f2.bin", "f3.bin", "f4.bin", "f5.bin"}

// aheadData returns the content of a lookahead test's file.
func aheadData(name string) []byte {
	return bytes.Repeat([]byte(name+" holds these bytes. "), 700+len(name)*37)
}

// aheadGate counts the commands a server receives and holds replies until
// one arrives: wait(key) is closed once the command of key has arrived,
// where key is its line ("RETR dir/f3.bin") or its verb and number over
// the server's life ("EPSV#3").
type aheadGate struct {
	mu     sync.Mutex
	counts map[string]int
	chans  map[string]chan struct{}
	held   []string // the keys next handed out, which an ABOR opens too
}

func (g *aheadGate) chanLocked(key string) chan struct{} {
	if g.chans == nil {
		g.chans, g.counts = map[string]chan struct{}{}, map[string]int{}
	}
	if g.chans[key] == nil {
		g.chans[key] = make(chan struct{})
	}
	return g.chans[key]
}

func (g *aheadGate) wait(key string) <-chan struct{} {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.chanLocked(key)
}

// seen records c and returns its number among the commands of its verb.
func (g *aheadGate) seen(c ftptest.Command) int {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.chanLocked("")
	g.counts[c.Verb]++
	n := g.counts[c.Verb]
	keys := []string{c.Raw, fmt.Sprintf("%s#%d", c.Verb, n)}
	if c.Verb == "ABOR" {
		keys, g.held = append(keys, g.held...), nil
	}
	for _, key := range keys {
		if ch := g.chanLocked(key); !isClosed(ch) {
			close(ch)
		}
	}
	return n
}

func isClosed(ch chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

// next returns the channel of the next EPSV, for the final reply of the
// transfer under way: it goes out only once the next file's EPSV, sent
// ahead, has arrived (as vsftpd sends it only once the client closed the
// data connection), or ABOR. Without lookahead, that EPSV never comes
// before it.
func (g *aheadGate) next() <-chan struct{} {
	g.mu.Lock()
	defer g.mu.Unlock()
	key := fmt.Sprintf("EPSV#%d", g.counts["EPSV"]+1)
	g.held = append(g.held, key)
	return g.chanLocked(key)
}

// aheadServer serves aheadNames in dir/, dated a year ago, with hook
// (which sees every command after the gate counted it) deciding the
// replies; listing with LIST only when list is set.
func aheadServer(t *testing.T, list bool, hook func(g *aheadGate, c ftptest.Command, n int) *ftptest.Reply) (*ftptest.Server, *aheadGate) {
	t.Helper()
	g := &aheadGate{}
	cfg := ftptest.Config{Hook: func(c ftptest.Command) *ftptest.Reply {
		n := g.seen(c)
		if hook == nil {
			return nil
		}
		return hook(g, c, n)
	}}
	if list {
		cfg.Disable = []string{"MLSD", "MLST"}
	}
	srv := ftptest.New(t, cfg)
	old := time.Now().Add(-365 * 24 * time.Hour).Truncate(time.Second)
	for _, n := range aheadNames {
		p := filepath.Join(srv.Root(), "dir", n)
		testsupport.WriteFile(t, p, string(aheadData(n)))
		if err := os.Chtimes(p, old, old); err != nil {
			t.Fatal(err)
		}
	}
	return srv, g
}

// ferryIn runs ferry in this process with args after the command name
// cmdName, and returns its exit code and standard error.
func ferryIn(t *testing.T, ctx context.Context, args ...string) (int, string) {
	t.Helper()
	var out, errOut testsupport.LockedBuffer
	home := t.TempDir()
	f := &cmd.Factory{
		IO:     &cmd.IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut},
		Opts:   &cmd.GlobalOptions{},
		Getenv: func(string) string { return "" },
		Home:   func() (string, error) { return home, nil },
	}
	full := append([]string{args[0], "--config", filepath.Join(home, "none.toml"), "--no-progress", "--timeout", "5s"}, args[1:]...)
	code := cmd.Run(ctx, f, full)
	return code, errOut.String()
}

// getAll runs get --parallel 1 of dir/* from srv into a new folder, with
// flags, and returns the folder, the exit code and standard error.
func getAll(t *testing.T, ctx context.Context, srv *ftptest.Server, flags ...string) (string, int, string) {
	t.Helper()
	dir := t.TempDir()
	args := append([]string{"get", "--parallel", "1", "-v"}, flags...)
	args = append(args, "ftp://user:pass@"+srv.Addr()+"/dir/*", "-o", dir+"/")
	code, stderr := ferryIn(t, ctx, args...)
	return dir, code, stderr
}

// checkFiles fails unless dir holds exactly the files of names, exact and
// dated as on the server, and under a final name nothing else (a partial
// download kept for get -c has a temporary name).
func checkFiles(t *testing.T, srv *ftptest.Server, dir string, names ...string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), ".") || !strings.HasSuffix(e.Name(), ".part") {
			got = append(got, e.Name())
		}
	}
	if !slices.Equal(got, names) {
		t.Errorf("%s holds %q, want %q", dir, got, names)
	}
	for _, n := range names {
		b, err := os.ReadFile(filepath.Join(dir, n))
		if err != nil || !bytes.Equal(b, aheadData(n)) {
			t.Errorf("%s: %d bytes (%v), want %d exact", n, len(b), err, len(aheadData(n)))
			continue
		}
		fi, _ := os.Stat(filepath.Join(dir, n))
		si, _ := os.Stat(filepath.Join(srv.Root(), "dir", n))
		if !fi.ModTime().Equal(si.ModTime()) {
			t.Errorf("%s dated %v, want %v", n, fi.ModTime(), si.ModTime())
		}
	}
}

// sentAhead reports, from session n's transcript, for each RETR but the
// last whether the next EPSV arrived before the final reply to that RETR
// went out: whether the next file was sent ahead of it.
func sentAhead(srv *ftptest.Server, n int) []bool {
	tr := srv.Transcript(n)
	var out []bool
	for i, l := range tr {
		if !strings.HasPrefix(l, "> RETR ") {
			continue
		}
		final, epsv := -1, -1
		for j := i + 1; j < len(tr) && (final < 0 || epsv < 0); j++ {
			switch {
			case final < 0 && strings.HasPrefix(tr[j], "< ") && tr[j][2] >= '2':
				final = j
			case epsv < 0 && tr[j] == "> EPSV":
				epsv = j
			}
		}
		if epsv >= 0 {
			out = append(out, epsv < final)
		}
	}
	return out
}

// TestGetLookahead downloads the files of a folder over one connection:
// each file's EPSV and RETR go out before the final reply of the file
// before (the server holds every 226 until then), sizes and times come
// from MLSD, or from LIST and one batch of MDTM, never from a command a
// file; the files arrive exact and dated. With --no-pipeline every
// command waits for the reply before.
func TestGetLookahead(t *testing.T) {
	for _, list := range []bool{false, true} {
		name := "MLSD"
		if list {
			name = "LIST"
		}
		t.Run(name, func(t *testing.T) {
			srv, _ := aheadServer(t, list, func(g *aheadGate, c ftptest.Command, _ int) *ftptest.Reply {
				if c.Verb == "RETR" && c.Arg != "dir/f5.bin" {
					return &ftptest.Reply{Transfer: &ftptest.Transfer{Final: &ftptest.Reply{Wait: g.next()}}}
				}
				return nil
			})
			dir, code, stderr := getAll(t, testCtx(t), srv, "--retries", "0")
			if code != ops.ExitOK {
				t.Fatalf("exit %d:\n%s", code, stderr)
			}
			checkFiles(t, srv, dir, aheadNames...)
			if got := sentAhead(srv, 1); !slices.Equal(got, []bool{true, true, true, true}) {
				t.Errorf("sent ahead: %v, want each:\n%s", got, strings.Join(srv.Transcript(1), "\n"))
			}
			var want []string
			if list {
				for _, n := range aheadNames {
					want = append(want, "MDTM dir/"+n)
				}
				want = append(want, "NOOP") // ends the batch (client.Conn.Stats)
			}
			for _, n := range aheadNames {
				want = append(want, "EPSV", "RETR dir/"+n)
			}
			got := srv.SessionCommands(1)
			from := slices.IndexFunc(got, func(s string) bool { return strings.HasPrefix(s, "MLSD") || strings.HasPrefix(s, "LIST") })
			got = got[from+1:]
			if got[len(got)-1] == "QUIT" {
				got = got[:len(got)-1]
			}
			if !slices.Equal(got, want) {
				t.Errorf("commands after the listing:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
			}
			if srv.Sessions() != 1 {
				t.Errorf("%d sessions, want 1", srv.Sessions())
			}
		})
	}
	t.Run("no-pipeline", func(t *testing.T) {
		srv, _ := aheadServer(t, true, nil)
		dir, code, stderr := getAll(t, testCtx(t), srv, "--retries", "0", "--no-pipeline")
		if code != ops.ExitOK {
			t.Fatalf("exit %d:\n%s", code, stderr)
		}
		checkFiles(t, srv, dir, aheadNames...)
		tr := srv.Transcript(1)
		for i := 1; i < len(tr); i++ {
			if strings.HasPrefix(tr[i], "> ") && strings.HasPrefix(tr[i-1], "> ") {
				t.Errorf("%q sent before the reply to %q:\n%s", tr[i], tr[i-1], strings.Join(tr, "\n"))
			}
		}
	})
}

// TestGetLookaheadFaults downloads the files of a folder over one
// connection while faults hit the file in flight or the one sent ahead.
// Each fault fails (or retries) only the file it hits; every other file
// arrives exact, and no partial file is left under a final name.
func TestGetLookaheadFaults(t *testing.T) {
	type hook = func(g *aheadGate, c ftptest.Command, n int) *ftptest.Reply
	// hold holds each final reply (but the last file's) for the next EPSV.
	hold := func(fault hook) hook {
		return func(g *aheadGate, c ftptest.Command, n int) *ftptest.Reply {
			if r := fault(g, c, n); r != nil {
				return r
			}
			if c.Verb == "RETR" && c.Arg != "dir/f5.bin" && c.Session == 1 {
				return &ftptest.Reply{Transfer: &ftptest.Transfer{Final: &ftptest.Reply{Wait: g.next()}}}
			}
			return nil
		}
	}
	for _, tc := range []struct {
		name    string
		hook    hook
		retries string
		code    int
		files   []string // the files that must arrive
		check   func(t *testing.T, srv *ftptest.Server, stderr string)
	}{
		{
			name: "426 on the file in flight",
			hook: hold(func(g *aheadGate, c ftptest.Command, n int) *ftptest.Reply {
				if c.Raw == "RETR dir/f2.bin" && n == 2 {
					return &ftptest.Reply{Transfer: &ftptest.Transfer{Final: &ftptest.Reply{Code: 426, Text: "Connection closed; transfer aborted.", Wait: g.next()}}}
				}
				return nil
			}),
			retries: "1", code: ops.ExitOK, files: aheadNames,
			check: func(t *testing.T, srv *ftptest.Server, stderr string) {
				got := srv.SessionCommands(1)
				i := slices.Index(got, "RETR dir/f3.bin")
				if i < 0 || got[i+1] != "ABOR" {
					t.Errorf("the RETR of f3.bin sent ahead was not aborted: %q", got)
				}
				if !strings.Contains(stderr, "f2.bin") || !strings.Contains(stderr, "retrying") {
					t.Errorf("the retry of f2.bin was not reported:\n%s", stderr)
				}
			},
		},
		{
			name: "short data on the file in flight",
			hook: hold(func(g *aheadGate, c ftptest.Command, n int) *ftptest.Reply {
				if c.Raw == "RETR dir/f2.bin" && n == 2 {
					// 1000 bytes, after a 150 that announces them all.
					mark := fmt.Sprintf("Opening BINARY mode data connection for dir/f2.bin (%d bytes).", len(aheadData("f2.bin")))
					return &ftptest.Reply{Transfer: &ftptest.Transfer{Data: aheadData("f2.bin")[:1000],
						Mark: &ftptest.Reply{Code: 150, Text: mark}, Final: &ftptest.Reply{Wait: g.next()}}}
				}
				return nil
			}),
			retries: "1", code: ops.ExitOK, files: aheadNames,
			check: func(t *testing.T, srv *ftptest.Server, stderr string) {
				if !slices.Contains(srv.SessionCommands(1), "REST 1000") {
					t.Errorf("f2.bin was not resumed from its 1000 bytes: %q\n%s", srv.SessionCommands(1), stderr)
				}
			},
		},
		{
			name: "data connection reset",
			hook: func(g *aheadGate, c ftptest.Command, n int) *ftptest.Reply {
				if c.Raw == "RETR dir/f2.bin" {
					return &ftptest.Reply{Transfer: &ftptest.Transfer{DropAfter: 1000}}
				}
				if c.Verb == "RETR" && c.Arg != "dir/f5.bin" && c.Arg != "dir/f1.bin" {
					return &ftptest.Reply{Transfer: &ftptest.Transfer{Final: &ftptest.Reply{Wait: g.next()}}}
				}
				return nil
			},
			retries: "0", code: ops.ExitPartial, files: []string{"f1.bin", "f3.bin", "f4.bin", "f5.bin"},
		},
		{
			name: "550 for the RETR sent ahead",
			hook: hold(func(g *aheadGate, c ftptest.Command, n int) *ftptest.Reply {
				if c.Raw == "RETR dir/f3.bin" {
					return &ftptest.Reply{Code: 550, Text: "dir/f3.bin: Permission denied.", AfterTransfer: true}
				}
				return nil
			}),
			retries: "0", code: ops.ExitPartial, files: []string{"f1.bin", "f2.bin", "f4.bin", "f5.bin"},
			check: func(t *testing.T, srv *ftptest.Server, stderr string) {
				if !strings.Contains(stderr, "Permission denied") {
					t.Errorf("the 550 of f3.bin was not reported:\n%s", stderr)
				}
				// f3.bin's RETR, refused, gets its 550 before f4.bin's EPSV.
				if got := sentAhead(srv, 1); !slices.Equal(got, []bool{true, true, false, true}) {
					t.Errorf("sent ahead: %v", got)
				}
			},
		},
		{
			name: "425 to the EPSV sent ahead",
			hook: func(g *aheadGate, c ftptest.Command, n int) *ftptest.Reply {
				switch {
				case c.Verb == "EPSV" && n == 3: // the listing's, f1's, then f2's sent ahead
					return &ftptest.Reply{Code: 425, Text: "Transfer in progress.", AfterTransfer: true}
				case c.Raw == "RETR dir/f1.bin":
					return &ftptest.Reply{Transfer: &ftptest.Transfer{Final: &ftptest.Reply{Wait: g.next()}}}
				}
				return nil
			},
			retries: "0", code: ops.ExitOK, files: aheadNames,
			check: func(t *testing.T, srv *ftptest.Server, stderr string) {
				// f2.bin's RETR sent ahead (refused with its EPSV), then
				// f2.bin to f5.bin one after the other.
				if got := sentAhead(srv, 1); !slices.Equal(got, []bool{true, false, false, false, false}) {
					t.Errorf("sent ahead: %v, want only f2.bin's (refused):\n%s", got, strings.Join(srv.Transcript(1), "\n"))
				}
				if !strings.Contains(stderr, "lookahead off for this session") {
					t.Errorf("the trace does not say lookahead is off:\n%s", stderr)
				}
			},
		},
		{
			name: "control connection closed after the 226",
			hook: hold(func(g *aheadGate, c ftptest.Command, n int) *ftptest.Reply {
				if c.Verb == "EPSV" && n == 4 { // f3's, sent ahead
					return &ftptest.Reply{Raw: []byte{}, Close: true, AfterTransfer: true}
				}
				return nil
			}),
			retries: "1", code: ops.ExitOK, files: aheadNames,
			check: func(t *testing.T, srv *ftptest.Server, _ string) {
				if srv.Sessions() != 2 {
					t.Fatalf("%d sessions, want 2", srv.Sessions())
				}
				if got := sentAhead(srv, 2); slices.Contains(got, true) {
					t.Errorf("the new connection sent ahead: %v", got)
				}
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, _ := aheadServer(t, false, tc.hook)
			dir, code, stderr := getAll(t, testCtx(t), srv, "--retries", tc.retries)
			if code != tc.code {
				t.Errorf("exit %d, want %d:\n%s", code, tc.code, stderr)
			}
			checkFiles(t, srv, dir, tc.files...)
			if tc.check != nil {
				tc.check(t, srv, stderr)
			}
		})
	}
}

// TestGetLookaheadInterrupt interrupts a get of many files when the next
// file's RETR has been sent ahead: ferry exits 130, the transfer sent
// ahead is aborted (or goes with the connection), and no file is left
// under its final name but whole.
func TestGetLookaheadInterrupt(t *testing.T) {
	ctx, cancel := context.WithCancel(testCtx(t))
	defer cancel()
	srv, _ := aheadServer(t, false, func(g *aheadGate, c ftptest.Command, n int) *ftptest.Reply {
		switch {
		case c.Verb == "EPSV" && n == 4: // f3's, sent ahead
			cancel()
		case c.Raw == "RETR dir/f2.bin":
			return &ftptest.Reply{Transfer: &ftptest.Transfer{Final: &ftptest.Reply{Wait: g.next()}}}
		}
		return nil
	})
	dir, code, stderr := getAll(t, ctx, srv, "--retries", "0")
	if code != ops.ExitInterrupted {
		t.Errorf("exit %d, want 130:\n%s", code, stderr)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		b, _ := os.ReadFile(filepath.Join(dir, e.Name()))
		if slices.Contains(aheadNames, e.Name()) && !bytes.Equal(b, aheadData(e.Name())) {
			t.Errorf("%s left with %d bytes, not whole", e.Name(), len(b))
		}
		if e.Name() == "f3.bin" || e.Name() == "f4.bin" || e.Name() == "f5.bin" {
			t.Errorf("%s downloaded after the interrupt", e.Name())
		}
	}
	// The trace shows the RETR sent ahead (the server may not read it
	// before the dropped connection discards it), and nothing but ABOR
	// reached the server after it.
	if !strings.Contains(stderr, "> RETR dir/f3.bin") {
		t.Errorf("f3.bin was never sent ahead:\n%s", stderr)
	}
	got := srv.SessionCommands(1)
	if i := slices.Index(got, "RETR dir/f3.bin"); i >= 0 && i+1 < len(got) && got[i+1] != "ABOR" {
		t.Errorf("after the RETR of f3.bin sent ahead: %q, want ABOR or nothing", got[i+1:])
	}
}

// testCtx returns a context that ends with the test, or after a minute.
func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	return ctx
}
