package transfer

import (
	"errors"
	"io"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ferry-ftp/ferry/client"
	"github.com/ferry-ftp/ferry/internal/ftptest"
)

// noopGate moves an FXP copy's data in chunks, each after a NOOP has come
// on the source's control connection: the transfer lasts several NOOP
// intervals whatever the machine's speed, and does not end without them.
type noopGate struct {
	noop chan struct{}
	data []byte
	sent int
}

const noopGateChunk = 1000

func (g *noopGate) Read(p []byte) (int, error) {
	if g.sent == len(g.data) {
		return 0, io.EOF
	}
	if g.sent > 0 && g.sent%noopGateChunk == 0 {
		select {
		case <-g.noop:
		case <-time.After(5 * time.Second):
			return 0, errors.New("no NOOP came")
		}
	}
	n := copy(p, g.data[g.sent:min(len(g.data), g.sent+noopGateChunk-g.sent%noopGateChunk)])
	g.sent += n
	return n, nil
}

// --noop-interval sends NOOPs on both control connections of an FXP copy
// while the servers move the data, and their replies are matched with the
// transfers' own whether the server answers them at once (the source, as
// pure-ftpd or proftpd do) or after the transfer (the destination, as
// vsftpd does): the copy is byte-identical and both connections stay in
// step for the next copy.
func TestCopyFXPNoopInterval(t *testing.T) {
	data := randomData(5 * noopGateChunk)
	gate := &noopGate{noop: make(chan struct{}, 100), data: data}
	var srcCopy atomic.Int64 // the session that sent RETR
	src := putServer(t, map[string]string{"a.bin": string(data), "c": "small"}, func(string) func(ftptest.Command) *ftptest.Reply {
		return func(c ftptest.Command) *ftptest.Reply {
			switch {
			case c.Verb == "RETR" && c.Arg == "a.bin":
				srcCopy.Store(int64(c.Session))
				return &ftptest.Reply{Transfer: &ftptest.Transfer{Source: func() io.Reader { return gate }}}
			case c.Verb == "NOOP" && int64(c.Session) == srcCopy.Load():
				select {
				case gate.noop <- struct{}{}:
				default:
				}
				return &ftptest.Reply{Code: 200, Text: "NOOP ok."} // at once, during the transfer
			}
			return nil
		}
	})
	// The destination reads no command until the transfer ends (the
	// NOOPs wait in its socket), then answers them all.
	dst := putServer(t, nil, nil)
	pool := func(srv *ftptest.Server) *Pool {
		s := site(srv)
		s.Options = []client.Option{client.WithNoopInterval(50 * time.Millisecond)}
		p := NewPool(s, PoolOptions{Backoff: noWait})
		t.Cleanup(func() { p.Close() })
		return p
	}
	cp := NewCopier(pool(src), pool(dst), CopyOptions{FXP: FXPForce})
	defer cp.Close()
	ctx := testCtx(t)
	if _, err := cp.CopyFile(ctx, "a.bin", "b.bin", CopyFileOptions{}); err != nil {
		t.Fatalf("%v\nsource: %q\ndestination: %q", err, src.Commands(), dst.Commands())
	}
	if _, err := cp.CopyFile(ctx, "c", "d", CopyFileOptions{}); err != nil {
		t.Fatalf("the next copy: %v", err)
	}
	wantFiles(t, dst, map[string]string{"b.bin": string(data), "d": "small"})
	for _, side := range []struct {
		srv  *ftptest.Server
		verb string
	}{{src, "RETR a.bin"}, {dst, "STOR "}} {
		var cmds []string
		for i := 1; ; i++ {
			s := side.srv.SessionCommands(i)
			if s == nil || slices.ContainsFunc(s, func(c string) bool { return strings.HasPrefix(c, side.verb) }) {
				cmds = s
				break
			}
		}
		during := between(cmds, side.verb)
		if n := countVerb(during, "NOOP"); n < 4 {
			t.Errorf("%d NOOPs after %s, want at least 4: %q", n, side.verb, cmds)
		}
	}
}

// between returns the commands after the first that starts with from, up
// to the next transfer command.
func between(cmds []string, from string) []string {
	i := slices.IndexFunc(cmds, func(c string) bool { return strings.HasPrefix(c, from) })
	if i < 0 {
		return nil
	}
	rest := cmds[i+1:]
	if j := slices.IndexFunc(rest, func(c string) bool { return strings.HasPrefix(c, "RETR") || strings.HasPrefix(c, "STOR") }); j >= 0 {
		rest = rest[:j]
	}
	return rest
}
