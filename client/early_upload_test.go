package client

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ferry-ftp/ferry/internal/ftptest"
)

// markLater makes the server send its 150 to STOR only after delay, once
// it has taken the data connection.
func markLater(delay time.Duration) func(ftptest.Command) *ftptest.Reply {
	return func(c ftptest.Command) *ftptest.Reply {
		if c.Verb == "STOR" {
			return &ftptest.Reply{Transfer: &ftptest.Transfer{Mark: &ftptest.Reply{Delay: delay}}}
		}
		return nil
	}
}

// In passive mode a STOR returns its writer as soon as the data
// connection is open, before the server's 150, which a server that sends
// it late shows; in lockstep it waits for the 150.
func TestStorDataBeforePreliminaryReply(t *testing.T) {
	for _, lockstep := range []bool{false, true} {
		srv := ftptest.New(t, ftptest.Config{Hook: markLater(time.Second)})
		var trace bytes.Buffer
		opts := []Option{WithTrace(&trace)}
		if lockstep {
			opts = append(opts, WithPipelining(false))
		}
		c := dialLogin(t, srv, opts...)
		w, err := c.Stor(testCtx(t), "f", 0)
		if err != nil {
			t.Fatal(err)
		}
		if early := !strings.Contains(trace.String(), "< 150"); early == lockstep {
			t.Errorf("lockstep %t: the 150 had come when Stor returned: %t", lockstep, !early)
		}
		if _, err := w.Write([]byte("hello")); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil || !Started(w) {
			t.Fatalf("Close = %v, Started %t", err, Started(w))
		}
		if got := string(readFile(t, srv, "f")); got != "hello" {
			t.Errorf("stored %q", got)
		}
	}
}

// A STOR the server refuses after its data went out: Write fails (the
// data connection is reset, so even a write the server never reads
// returns), Close returns the refusal, Started says nothing was stored,
// the old file is untouched, and the connection is in step for the next
// upload. Small data that fits in the socket buffers gets the refusal
// from Close.
func TestStorRefusedAfterEarlyData(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{Hook: func(c ftptest.Command) *ftptest.Reply {
		if c.Verb == "STOR" && strings.HasPrefix(c.Arg, "old") {
			return &ftptest.Reply{Code: 553, Text: "Could not create file."}
		}
		return nil
	}})
	writeFile(t, srv, "old", []byte("old contents"))
	c := dialLogin(t, srv)
	ctx := testCtx(t)
	for _, size := range []int{10, 16 << 20} {
		w, err := c.Stor(ctx, "old", 0)
		if err != nil {
			t.Fatalf("Stor = %v, want a writer: the refusal comes after the data", err)
		}
		_, werr := w.Write(bytes.Repeat([]byte("n"), size))
		if size > 10 && werr == nil {
			t.Errorf("writing %d bytes nobody reads succeeded", size)
		}
		err = w.Close()
		var re *ReplyError
		if !errors.As(err, &re) || re.Code != 553 || re.Cmd != "STOR old" || Started(w) {
			t.Fatalf("Close = %v, Started %t; want STOR's 553, not started", err, Started(w))
		}
		if got := string(readFile(t, srv, "old")); got != "old contents" {
			t.Fatalf("old file holds %q", got)
		}
		put(t, c, "new", 0, []byte("new contents"), false)
		if got := string(readFile(t, srv, "new")); got != "new contents" {
			t.Fatalf("next upload stored %q", got)
		}
	}
}

// On a pipelining connection the SIZE that checks an upload asks for the
// next transfer's port in the same write, and the next upload sends STOR
// alone over the data connection made meanwhile. A command that does not
// keep it (MODE) closes it; the next upload asks EPSV again.
func TestUploadedSizeReadiesNextUpload(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{})
	c := dialLogin(t, srv, WithPipelining(true))
	ctx := testCtx(t)
	if _, err := c.Features(ctx); err != nil {
		t.Fatal(err)
	}
	put(t, c, "a", 0, []byte("aaa"), false)
	if n, _, err := c.UploadedSize(ctx, "a", time.Time{}); n != 3 || err != nil {
		t.Fatalf("UploadedSize = %d, %v", n, err)
	}
	if err := c.Rename(ctx, "a", "a2"); err != nil {
		t.Fatal(err)
	}
	put(t, c, "b", 0, []byte("bbbb"), false)
	if n, _, err := c.UploadedSize(ctx, "b", time.Time{}); n != 4 || err != nil {
		t.Fatalf("UploadedSize = %d, %v", n, err)
	}
	if _, _, err := c.Quote(ctx, "MODE S"); err != nil {
		t.Fatal(err)
	}
	put(t, c, "c", 0, []byte("c"), false)
	c.Quit(ctx)
	waitEnded(t, srv)
	wantBatches(t, srv, 1, [][]string{{"USER user"}, {"PASS pass"}, {"FEAT"},
		{"EPSV", "STOR a"}, {"SIZE a", "EPSV"}, {"RNFR a", "RNTO a2"},
		{"STOR b"}, {"SIZE b", "EPSV"}, {"MODE S"},
		{"EPSV", "STOR c"}, {"QUIT"}})
	for name, want := range map[string]string{"a2": "aaa", "b": "bbbb", "c": "c"} {
		if got := string(readFile(t, srv, name)); got != want {
			t.Errorf("%s holds %q", name, got)
		}
	}
	if n := len(srv.DataConns()); n != 3 {
		t.Errorf("%d data connections, want 3", n)
	}
}

// A server that refuses SIZE: UploadedSize still returns the size, from
// the fallback Size uses (MLST), and asks SIZE no more.
func TestUploadedSizeRefused(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{Disable: []string{"SIZE"}})
	writeFile(t, srv, "a", []byte("12345"))
	c := dialLogin(t, srv, WithPipelining(true))
	ctx := testCtx(t)
	c.Features(ctx)
	for range 2 {
		if n, _, err := c.UploadedSize(ctx, "a", time.Time{}); n != 5 || err != nil {
			t.Fatalf("UploadedSize = %d, %v", n, err)
		}
	}
	if !c.Refused("SIZE") {
		t.Error("the refusal of SIZE is not recorded")
	}
	c.Quit(ctx)
	waitEnded(t, srv)
	wantBatches(t, srv, 1, [][]string{{"USER user"}, {"PASS pass"}, {"FEAT"}, {"SIZE a", "EPSV"}, {"MLST a"}, {"MLST a"}, {"QUIT"}})
}

// On the standby connection, made before STOR went out, data sent at once
// could reach the server before the command (pyftpdlib then drops the
// connection and waits for another): Stor returns only after the 150
// there, and the data arrives whole.
func TestStorOnStandbyWaitsForMark(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{Hook: markLater(300 * time.Millisecond)})
	var trace bytes.Buffer
	c := dialLogin(t, srv, WithPipelining(true), WithTrace(&trace))
	ctx := testCtx(t)
	if _, err := c.Features(ctx); err != nil {
		t.Fatal(err)
	}
	put(t, c, "a", 0, []byte("aaa"), false)
	if n, _, err := c.UploadedSize(ctx, "a", time.Time{}); n != 3 || err != nil {
		t.Fatalf("UploadedSize = %d, %v", n, err)
	}
	trace.Reset()
	w, err := c.Stor(ctx, "b", 0)
	if err != nil {
		t.Fatal(err)
	}
	tr := trace.String()
	if !strings.Contains(tr, "made ahead") || !strings.Contains(tr, "< 150") {
		t.Errorf("Stor on the standby connection returned before the 150:\n%s", tr)
	}
	if _, err := w.Write([]byte("bbbb")); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if got := string(readFile(t, srv, "b")); got != "bbbb" {
		t.Errorf("stored %q", got)
	}
}
