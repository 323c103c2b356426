package transfer

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/iotest"
	"time"

	"github.com/ferry-ftp/ferry/client"
	"github.com/ferry-ftp/ferry/internal/ftptest"
	"github.com/ferry-ftp/ferry/internal/testsupport"
)

// copyServers starts a source holding files and an empty destination
// (with hook, when set), and returns a Copier between them.
func copyServers(t *testing.T, files map[string]string, srcHook, dstHook func(ftptest.Command) *ftptest.Reply, opt CopyOptions) (src, dst *ftptest.Server, cp *Copier) {
	t.Helper()
	src = putServer(t, files, func(string) func(ftptest.Command) *ftptest.Reply { return srcHook })
	dst = putServer(t, nil, func(string) func(ftptest.Command) *ftptest.Reply { return dstHook })
	cp = NewCopier(testPool(t, src, PoolOptions{}), testPool(t, dst, PoolOptions{}), opt)
	t.Cleanup(func() { cp.Close() })
	return src, dst, cp
}

// afterLogin returns the commands of a session after its login: after TYPE
// I and the setup pipelined with it (FEAT, OPTS UTF8, the EPSV that readies
// a data connection).
func afterLogin(cmds []string) []string {
	k := slices.Index(cmds, "TYPE I")
	if k < 0 {
		return cmds
	}
	cmds = cmds[k+1:]
	for len(cmds) > 0 && (cmds[0] == "FEAT" || cmds[0] == "OPTS UTF8 ON" || cmds[0] == "EPSV") {
		cmds = cmds[1:]
	}
	return cmds
}

// sessionOf returns the commands of the session that sent verb (the
// copy's, not the watcher's), after its login (see afterLogin).
func sessionOf(t *testing.T, srv *ftptest.Server, verb string) []string {
	t.Helper()
	for i := 1; ; i++ {
		cmds := srv.SessionCommands(i)
		if cmds == nil {
			t.Fatalf("no session sent %s; commands: %q", verb, srv.Commands())
		}
		if countVerb(cmds, verb) > 0 {
			cmds = afterLogin(cmds)
			return slices.DeleteFunc(cmds, func(c string) bool { return c == "QUIT" || c == "NOOP" })
		}
	}
}

// The common order: the destination passive, the source sent PORT with its
// address; STOR goes to the destination's temporary name, RETR to the
// source, and the file is renamed once its size is checked. No byte goes
// through ferry: neither server sees a data connection from it.
func TestCopyFXP(t *testing.T) {
	data := string(randomData(300_001))
	src, dst, cp := copyServers(t, map[string]string{"a.bin": data}, nil, nil, CopyOptions{FXP: FXPForce})
	res, err := cp.CopyFile(testCtx(t), "a.bin", "b.bin", CopyFileOptions{})
	if err != nil {
		t.Fatal(err)
	}
	wantFiles(t, dst, map[string]string{"b.bin": data})
	if res.Size != int64(len(data)) || res.Bytes != int64(len(data)) {
		t.Errorf("result: size %d, bytes %d", res.Size, res.Bytes)
	}
	tmp := copyTemp(t, dst, "STOR")
	dcmds := sessionOf(t, dst, "STOR")
	if want := []string{"MLST b.bin", "PASV", "STOR " + tmp, "SIZE " + tmp, "RNFR " + tmp, "RNTO b.bin"}; !slices.Equal(dcmds, want) {
		t.Errorf("destination commands:\n  %s\nwant\n  %s", strings.Join(dcmds, "\n  "), strings.Join(want, "\n  "))
	}
	scmds := sessionOf(t, src, "RETR")
	if len(scmds) != 4 || scmds[0] != "SIZE a.bin" || scmds[1] != "MDTM a.bin" || !strings.HasPrefix(scmds[2], "PORT 127,0,0,1,") || scmds[3] != "RETR a.bin" {
		t.Errorf("source commands: %q", scmds)
	}
	for _, srv := range []*ftptest.Server{src, dst} {
		for _, d := range srv.DataConns() {
			if d.Passive == (srv == src) {
				t.Errorf("a data connection of the %s went the wrong way: %+v", map[bool]string{true: "source", false: "destination"}[srv == src], d)
			}
		}
	}
}

// copyTemp returns the argument of the first verb the destination
// received: the copy's temporary name.
func copyTemp(t *testing.T, srv *ftptest.Server, verb string) string {
	t.Helper()
	for _, c := range srv.Commands() {
		if arg, ok := strings.CutPrefix(c, verb+" "); ok {
			return arg
		}
	}
	t.Fatalf("no %s in %q", verb, srv.Commands())
	return ""
}

// Without FXP, the file streams through ferry: RETR on the source, STOR
// on the destination, byte-identical, sizes checked before the rename.
func TestCopyStream(t *testing.T) {
	for _, size := range []int{0, 1, 1<<20 + 7} {
		data := string(randomData(size))
		_, dst, cp := copyServers(t, map[string]string{"a.bin": data}, nil, nil, CopyOptions{FXP: FXPNever})
		if _, err := cp.CopyFile(testCtx(t), "a.bin", "dir/b.bin", CopyFileOptions{}); err == nil {
			t.Fatal("copy into a missing folder worked")
		}
		if _, err := cp.CopyFile(testCtx(t), "a.bin", "b.bin", CopyFileOptions{}); err != nil {
			t.Fatal(err)
		}
		wantFiles(t, dst, map[string]string{"b.bin": data})
		if n := countVerb(dst.Commands(), "PASV") + countVerb(dst.Commands(), "PORT"); n != 0 {
			t.Errorf("%d PASV or PORT sent: %q", n, dst.Commands())
		}
	}
}

// The source refuses PORT to the destination's address (vsftpd's
// port_promiscuous=NO): the other order is tried, then the copy streams,
// and Notify says so once, for all files.
func TestCopyFXPRefusedFallsBack(t *testing.T) {
	refusePort := func(c ftptest.Command) *ftptest.Reply {
		if c.Verb == "PORT" {
			return &ftptest.Reply{Code: 500, Text: "Illegal PORT command."}
		}
		return nil
	}
	var n notes
	src, dst, cp := copyServers(t, map[string]string{"a": "alpha", "b": "bravo"}, refusePort, refusePort, CopyOptions{Notify: n.add})
	for _, f := range []string{"a", "b"} {
		if _, err := cp.CopyFile(testCtx(t), f, f, CopyFileOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	wantFiles(t, dst, map[string]string{"a": "alpha", "b": "bravo"})
	if len(n.msgs) != 1 || !strings.Contains(n.msgs[0], "500 Illegal PORT command") || !strings.Contains(n.msgs[0], "copying through ferry") {
		t.Errorf("notes: %q", n.msgs)
	}
	if got := countVerb(src.Commands(), "PORT") + countVerb(dst.Commands(), "PORT"); got != 2 {
		t.Errorf("%d PORT commands, want 2 (each order once, for the first file only)", got)
	}

	// With FXP forced, the refusal fails the copy and nothing is left.
	_, dst, cp = copyServers(t, map[string]string{"a": "alpha"}, refusePort, refusePort, CopyOptions{FXP: FXPForce})
	_, err := cp.CopyFile(testCtx(t), "a", "a", CopyFileOptions{})
	if !errors.Is(err, ErrFXPRefused) || Transient(err) {
		t.Fatalf("err = %v, want ErrFXPRefused, not transient", err)
	}
	wantFiles(t, dst, map[string]string{})
}

// A source whose PASV reply names another host (10.1.2.3): the address is
// never passed on to the destination; the destination is passive instead
// and refuses, so the copy streams.
func TestCopyHostilePASVNotPassedOn(t *testing.T) {
	var n notes
	src := putServer(t, map[string]string{"a": "alpha"}, nil)
	srcCfg := ftptest.Config{Root: src.Root(), PASVAddress: "10.1.2.3"}
	hostile := ftptest.New(t, srcCfg)
	dst := putServer(t, nil, func(string) func(ftptest.Command) *ftptest.Reply {
		return func(c ftptest.Command) *ftptest.Reply {
			if c.Verb == "PASV" {
				return &ftptest.Reply{Code: 502, Text: "No."}
			}
			return nil
		}
	})
	cp := NewCopier(testPool(t, hostile, PoolOptions{}), testPool(t, dst, PoolOptions{}), CopyOptions{Notify: n.add})
	defer cp.Close()
	if _, err := cp.CopyFile(testCtx(t), "a", "a", CopyFileOptions{}); err != nil {
		t.Fatal(err)
	}
	wantFiles(t, dst, map[string]string{"a": "alpha"})
	for _, c := range dst.Commands() {
		if strings.HasPrefix(c, "PORT") {
			t.Errorf("the destination was sent %q", c)
		}
	}
	if len(n.msgs) != 1 || !strings.Contains(n.msgs[0], "10.1.2.3") {
		t.Errorf("notes: %q", n.msgs)
	}
}

// The source dies mid-transfer while streaming: the copy fails, the
// destination's final name is never touched, and the partial copy is
// either handed on under the source's temporary name (a prefix of the
// file) or removed, as the data in flight allows.
func TestCopyStreamSourceDies(t *testing.T) {
	data := string(randomData(200_000))
	// The first RETR sends 70,000 bytes, then fails (451) and closes.
	var once sync.Once
	dies := func(c ftptest.Command) *ftptest.Reply {
		var r *ftptest.Reply
		if c.Verb == "RETR" {
			once.Do(func() {
				r = &ftptest.Reply{Transfer: &ftptest.Transfer{Source: func() io.Reader {
					return io.MultiReader(strings.NewReader(data[:70_000]), iotest.ErrReader(errors.New("disk gone")))
				}}}
			})
		}
		return r
	}
	_, dst, cp := copyServers(t, map[string]string{"a.bin": data}, dies, nil, CopyOptions{FXP: FXPNever})
	testsupportWrite(t, dst, "b.bin", "old")
	cp.dst.opt.Retries = 0
	_, err := cp.CopyFile(testCtx(t), "a.bin", "b.bin", CopyFileOptions{})
	if !errors.Is(err, ErrIncomplete) {
		t.Fatalf("err = %v, want ErrIncomplete", err)
	}
	for name, got := range serverFiles(t, dst.Root()) {
		switch {
		case name == "b.bin" && got == "old":
		case IsTempName(name) && len(got) <= 70_000 && strings.HasPrefix(data, got):
		default:
			t.Errorf("destination holds %s: %d bytes", name, len(got))
		}
	}
	if n := countVerb(dst.Commands(), "RNTO b.bin"); n != 0 {
		t.Errorf("%d renames to the final name after a failed copy", n)
	}
}

// -c resumes the partial copy a failed run left under the source's
// temporary name, with REST on both sides, streamed and by FXP.
func TestCopyResume(t *testing.T) {
	data := string(randomData(100_000))
	mtime := time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
	for _, mode := range []FXPMode{FXPNever, FXPForce} {
		src, dst, cp := copyServers(t, map[string]string{"a.bin": data}, nil, nil, CopyOptions{FXP: mode})
		os.Chtimes(filepath.Join(src.Root(), "a.bin"), mtime, mtime)
		parked, _ := TempName("b.bin", Source{Site: src.Addr(), Path: "a.bin", Size: int64(len(data)), ModTime: mtime}, nil)
		testsupportWrite(t, dst, parked, data[:30_000])
		res, err := cp.CopyFile(testCtx(t), "a.bin", "b.bin", CopyFileOptions{Resume: true})
		if err != nil {
			t.Fatal(err)
		}
		wantFiles(t, dst, map[string]string{"b.bin": data})
		if res.Offset != 30_000 || res.Bytes != 70_000 {
			t.Errorf("mode %d: offset %d, bytes %d; want 30000 and 70000", mode, res.Offset, res.Bytes)
		}
		for _, srv := range []*ftptest.Server{src, dst} {
			if n := countVerb(srv.Commands(), "REST 30000"); n != 1 {
				t.Errorf("mode %d: %d REST 30000 in %q", mode, n, srv.Commands())
			}
		}
	}
}

// afterPASV returns a hook that answers verb with r when the session's
// previous command was PASV: a transfer of an FXP copy in which the
// server is passive.
func afterPASV(verb string, r func() *ftptest.Reply) func(ftptest.Command) *ftptest.Reply {
	var mu sync.Mutex
	last := map[int]string{}
	return func(c ftptest.Command) *ftptest.Reply {
		mu.Lock()
		prev := last[c.Session]
		last[c.Session] = c.Verb
		mu.Unlock()
		if c.Verb == verb && prev == "PASV" {
			return r()
		}
		return nil
	}
}

// The destination takes PASV but refuses the connection the source then
// makes (vsftpd's pasv_promiscuous=NO: "425 Security: Bad IP
// connecting."): the reverse order, the source passive, works, and is the
// one used for the next file.
func TestCopyFXPRefusedAtTransfer(t *testing.T) {
	badIP := afterPASV("STOR", func() *ftptest.Reply { return &ftptest.Reply{Code: 425, Text: "Security: Bad IP connecting."} })
	var n notes
	src, dst, cp := copyServers(t, map[string]string{"a": string(randomData(100_000)), "b": "bravo"}, nil, badIP, CopyOptions{Notify: n.add})
	for _, f := range []string{"a", "b"} {
		if _, err := cp.CopyFile(testCtx(t), f, f, CopyFileOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	want := serverFiles(t, src.Root())
	wantFiles(t, dst, want)
	if len(n.msgs) != 0 {
		t.Errorf("notes: %q", n.msgs)
	}
	if got := [4]int{countVerb(dst.Commands(), "PASV"), countVerb(src.Commands(), "PORT"), countVerb(src.Commands(), "PASV"), countVerb(dst.Commands(), "PORT")}; got != [4]int{1, 1, 2, 2} {
		t.Errorf("PASV and PORT: destination PASV, source PORT, source PASV, destination PORT = %v, want [1 1 2 2]", got)
	}
}

// idlePool returns a pool for srv whose connections give up waiting
// after idle.
func idlePool(t *testing.T, srv *ftptest.Server, idle time.Duration) *Pool {
	t.Helper()
	s := site(srv)
	s.Options = []client.Option{client.WithIdleTimeout(idle)}
	p := NewPool(s, PoolOptions{Backoff: noWait})
	t.Cleanup(func() { p.Close() })
	return p
}

// An FXP transfer that stalls (the destination stops reading after 1,000
// bytes and never answers) is aborted once neither data nor reply has come
// for the idle timeout: a connection failure, the final name untouched.
func TestCopyFXPStalls(t *testing.T) {
	src := putServer(t, map[string]string{"a": string(randomData(300_000))}, nil)
	dst := putServer(t, map[string]string{"a": "old"}, func(string) func(ftptest.Command) *ftptest.Reply {
		return afterPASV("STOR", func() *ftptest.Reply {
			return &ftptest.Reply{Transfer: &ftptest.Transfer{Pause: true, PauseAfter: 1000}}
		})
	})
	cp := NewCopier(idlePool(t, src, 300*time.Millisecond), idlePool(t, dst, 300*time.Millisecond), CopyOptions{FXP: FXPForce})
	defer cp.Close()
	start := time.Now()
	_, err := cp.CopyFile(testCtx(t), "a", "a", CopyFileOptions{})
	if client.KindOf(err) != client.KindConnection || !strings.Contains(err.Error(), "no data and no reply") {
		t.Fatalf("err = %v, want a stalled FXP transfer", err)
	}
	if took := time.Since(start); took > 10*time.Second {
		t.Errorf("took %v", took)
	}
	files := serverFiles(t, dst.Root())
	if files["a"] != "old" {
		t.Errorf("the final name holds %d bytes", len(files["a"]))
	}
	if countVerb(dst.Commands(), "ABOR") != 1 {
		t.Errorf("the destination's transfer was not aborted: %q", dst.Commands())
	}
}

// The source dies in the middle of an FXP transfer: a failure, not a
// refusal (data had arrived); the retry resumes it by FXP, REST on both
// sides, and the copy is whole.
func TestCopyFXPSourceDies(t *testing.T) {
	data := string(randomData(400_000))
	var once sync.Once
	drop := func(c ftptest.Command) *ftptest.Reply {
		var r *ftptest.Reply
		if c.Verb == "RETR" {
			once.Do(func() { r = &ftptest.Reply{Transfer: &ftptest.Transfer{DropAfter: 150_000}} })
		}
		return r
	}
	var n notes
	src, dst, cp := copyServers(t, map[string]string{"a": data}, drop, nil, CopyOptions{Notify: n.add})
	cp.dst.opt.Retries = 1
	res, err := cp.CopyFile(testCtx(t), "a", "a", CopyFileOptions{})
	if err != nil {
		t.Fatal(err)
	}
	wantFiles(t, dst, map[string]string{"a": data})
	if len(n.msgs) != 0 {
		t.Errorf("notes %q", n.msgs)
	}
	if res.Retries == 0 && res.Offset == 0 && countVerb(src.Commands(), "PORT") == 1 && countVerb(src.Commands(), "PASV") == 1 {
		// The reset reached the destination before it had read a byte
		// (the kernel drops unread data on a reset): by the rule, a
		// refusal of that order, and the copy went by the other order
		// from the start. Rare; the file is whole all the same.
		t.Logf("no byte had arrived before the reset; copied by the other order: %q", src.Commands())
		return
	}
	if res.Retries != 1 {
		t.Errorf("retries %d", res.Retries)
	}
	if countVerb(src.Commands(), "PORT") != 2 || countVerb(afterLogin(src.Commands()), "EPSV") != 0 {
		t.Errorf("source commands: %q", src.Commands())
	}
	if res.Offset > 0 && countVerb(src.Commands(), "REST") != 1 {
		t.Errorf("resumed from %d without REST: %q", res.Offset, src.Commands())
	}
}

// Streamed data is checked as a download's: a source that sends more than
// it announced (ErrTooLong, nothing past the size sent on), or whose final
// reply says it never opened the data connection (425: the bytes were not
// its own), leaves no partial copy, and the old file as it was.
func TestCopyStreamUntrustedSource(t *testing.T) {
	for _, tt := range []struct {
		name string
		xfer *ftptest.Transfer
		want error
	}{
		{"too long", &ftptest.Transfer{Data: []byte(strings.Repeat("y", 300_000))}, ErrTooLong},
		{"425 at the end", &ftptest.Transfer{Final: &ftptest.Reply{Code: 425, Text: "Can't open data connection."}}, client.ErrDataUntrusted},
	} {
		t.Run(tt.name, func(t *testing.T) {
			hook := func(c ftptest.Command) *ftptest.Reply {
				if c.Verb == "RETR" {
					return &ftptest.Reply{Transfer: tt.xfer}
				}
				return nil
			}
			_, dst, cp := copyServers(t, map[string]string{"a": strings.Repeat("x", 100_000)}, hook, nil, CopyOptions{FXP: FXPNever})
			testsupportWrite(t, dst, "a", "old")
			cp.dst.opt.Retries = 0
			if _, err := cp.CopyFile(testCtx(t), "a", "a", CopyFileOptions{}); !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			wantFiles(t, dst, map[string]string{"a": "old"})
		})
	}
}

// testsupportWrite puts a file on a test server.
func testsupportWrite(t *testing.T, srv *ftptest.Server, name, data string) {
	t.Helper()
	testsupport.WriteFile(t, filepath.Join(srv.Root(), name), data)
}

var (
	_ = time.Second
	_ = client.KindOf
)
