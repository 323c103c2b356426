package client

import (
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/ferry-ftp/ferry/internal/ftptest"
)

// traceOrder returns the command and reply lines of a trace that start
// with one of the given prefixes, in order.
func traceOrder(trace string, prefixes ...string) []string {
	var out []string
	for _, l := range strings.Split(trace, "\n") {
		for _, p := range prefixes {
			if strings.HasPrefix(l, p) {
				out = append(out, l)
				break
			}
		}
	}
	return out
}

func TestPipelinedRetrSendsCommandsBackToBack(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{})
	writeFile(t, srv, "f.bin", []byte("0123456789"))
	var trace bytes.Buffer
	c := dialLogin(t, srv, WithPipelining(true), WithTrace(&trace))
	if _, err := c.Features(testCtx(t)); err != nil {
		t.Fatal(err)
	}
	srv.ResetCommands()
	trace.Reset()
	if got := get(t, c, "f.bin", 4); string(got) != "456789" {
		t.Fatalf("got %q", got)
	}
	matchCommands(t, srv.Commands(), []string{"EPSV", "REST 4", "RETR f.bin"})
	// The client sent all three before it read the 229.
	got := traceOrder(trace.String(), "> EPSV", "> REST", "> RETR", "< 229", "< 350", "< 150", "< 226")
	want := []string{"> EPSV", "> REST 4", "> RETR f.bin", "< 229", "< 350", "< 150", "< 226"}
	for i := range want {
		if i >= len(got) || !strings.HasPrefix(got[i], want[i]) {
			t.Fatalf("trace order:\n%s\nwant prefixes:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	}
}

func TestPipeliningOffByDefault(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{})
	writeFile(t, srv, "f", []byte("x"))
	var trace bytes.Buffer
	c := dialLogin(t, srv, WithTrace(&trace))
	c.Features(testCtx(t))
	trace.Reset()
	get(t, c, "f", 0)
	got := traceOrder(trace.String(), "> EPSV", "> RETR", "< 229")
	if len(got) != 3 || got[0] != "> EPSV" || !strings.HasPrefix(got[1], "< 229") || got[2] != "> RETR f" {
		t.Fatalf("lockstep trace: %q", got)
	}
}

func TestPipelinedUploadAndListing(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{})
	c := dialLogin(t, srv, WithPipelining(true))
	c.Features(testCtx(t))
	srv.ResetCommands()
	put(t, c, "up", 0, []byte("hello"), false)
	put(t, c, "up", 5, []byte(" world"), false)
	entries, _, err := c.MLSD(testCtx(t), "")
	if err != nil || len(entries) != 1 || entries[0].Size != 11 {
		t.Fatalf("MLSD = %+v, %v", entries, err)
	}
	if got := readFile(t, srv, "up"); string(got) != "hello world" {
		t.Fatalf("remote %q", got)
	}
	matchCommands(t, srv.Commands(), []string{"EPSV", "STOR up", "EPSV", "REST 5", "STOR up", "EPSV", "MLSD"})
}

// A server that lists EPSV in FEAT but refuses it: the client reads the
// replies to the pipelined commands, aborts, and goes on with PASV.
func TestPipelinedEPSVRefusedFallsBackToPASV(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{Hook: func(c ftptest.Command) *ftptest.Reply {
		if c.Verb == "EPSV" {
			return &ftptest.Reply{Code: 500, Text: "EPSV not understood."}
		}
		return nil
	}})
	writeFile(t, srv, "f", []byte("abcdef"))
	c := dialLogin(t, srv, WithPipelining(true))
	c.Features(testCtx(t))
	srv.ResetCommands()
	if got := get(t, c, "f", 2); string(got) != "cdef" {
		t.Fatalf("got %q", got)
	}
	if got := get(t, c, "f", 0); string(got) != "abcdef" {
		t.Fatalf("got %q", got)
	}
	matchCommands(t, srv.Commands(), []string{
		"EPSV", "REST 2", "RETR f", "ABOR", "NOOP",
		"PASV", "REST 2", "RETR f",
		"PASV", "RETR f",
	})
}

// A refused REST must not let the pipelined RETR send the file from 0.
func TestPipelinedRESTRefusedAborts(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{Hook: func(c ftptest.Command) *ftptest.Reply {
		if c.Verb == "REST" {
			return &ftptest.Reply{Code: 502, Text: "No restarts."}
		}
		return nil
	}})
	writeFile(t, srv, "f", bytes.Repeat([]byte("z"), 1<<20))
	c := dialLogin(t, srv, WithPipelining(true))
	c.Features(testCtx(t))
	srv.ResetCommands()
	rc, err := c.Retr(testCtx(t), "f", 10)
	if ReplyCode(err) != 502 {
		if rc != nil {
			io.Copy(io.Discard, rc)
			rc.Close()
		}
		t.Fatalf("Retr = %v, want the 502 of REST", err)
	}
	if err := c.Noop(testCtx(t)); err != nil {
		t.Fatalf("connection out of step: %v", err)
	}
	cmds := srv.Commands()
	if len(cmds) < 5 || strings.Join(cmds[:3], "|") != "EPSV|REST 10|RETR f" || cmds[len(cmds)-1] != "NOOP" {
		t.Fatalf("commands %q", cmds)
	}
}

// Without EPSV in FEAT, the first transfer runs in lockstep; once EPSV
// has worked, the next ones are pipelined.
func TestPipeliningWaitsForAWorkingEPSV(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{Hook: func(c ftptest.Command) *ftptest.Reply {
		if c.Verb == "FEAT" {
			return &ftptest.Reply{Code: 211, Text: "Features:\n SIZE\n REST STREAM\nEnd"}
		}
		return nil
	}})
	writeFile(t, srv, "f", []byte("data"))
	var trace bytes.Buffer
	c := dialLogin(t, srv, WithPipelining(true), WithTrace(&trace))
	c.Features(testCtx(t))
	trace.Reset()
	get(t, c, "f", 0)
	get(t, c, "f", 0)
	got := traceOrder(trace.String(), "> EPSV", "> RETR", "< 229")
	want := []string{"> EPSV", "< 229", "> RETR", "> EPSV", "> RETR", "< 229"}
	for i := range want {
		if i >= len(got) || !strings.HasPrefix(got[i], want[i]) {
			t.Fatalf("trace %q, want prefixes %q", got, want)
		}
	}
}

// A pipelined RETR the server refuses (550) or cuts at once must not be
// taken for an unreachable EPSV port: EPSV stays in use.
func TestPipelinedFailuresKeepEPSV(t *testing.T) {
	n := 0
	srv := ftptest.New(t, ftptest.Config{Hook: func(c ftptest.Command) *ftptest.Reply {
		if c.Verb == "RETR" && c.Arg == "cut" {
			if n++; n == 1 {
				return &ftptest.Reply{Transfer: &ftptest.Transfer{DropAfter: 1}}
			}
		}
		return nil
	}})
	writeFile(t, srv, "cut", bytes.Repeat([]byte("c"), 100000))
	c := dialLogin(t, srv, WithPipelining(true))
	c.Features(testCtx(t))
	for range 3 {
		if _, err := c.Retr(testCtx(t), "missing", 0); ReplyCode(err) != 550 {
			t.Fatalf("Retr missing = %v, want 550", err)
		}
	}
	rc, err := c.Retr(testCtx(t), "cut", 0)
	if err == nil {
		_, err = io.Copy(io.Discard, rc)
		if cerr := rc.Close(); err == nil {
			err = cerr
		}
	}
	if KindOf(err) != KindConnection {
		t.Fatalf("cut transfer: %v (kind %v), want a connection error", err, KindOf(err))
	}
	if got := get(t, c, "cut", 0); len(got) != 100000 {
		t.Fatalf("got %d bytes", len(got))
	}
	for _, cmd := range srv.Commands() {
		if cmd == "PASV" {
			t.Fatalf("fell back to PASV: %q", srv.Commands())
		}
	}
}
