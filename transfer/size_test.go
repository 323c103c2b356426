package transfer

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/ferry-ftp/ferry/client"
	"github.com/ferry-ftp/ferry/internal/ftptest"
)

// source64MiB returns a Transfer.Source that yields 64 MiB of the bytes
// "0123456789" (no more, so that code without a bound fails in time
// rather than fill the disk) and counts what the server read of it.
func source64MiB(read *atomic.Int64) func() io.Reader {
	return func() io.Reader {
		return &countingReader{r: io.LimitReader(digits{}, 64<<20), n: read}
	}
}

// digits is an endless stream of "0123456789".
type digits struct{}

func (digits) Read(b []byte) (int, error) {
	for i := range b {
		b[i] = '0' + byte(i%10)
	}
	return len(b), nil
}

type countingReader struct {
	r io.Reader
	n *atomic.Int64
}

func (c *countingReader) Read(b []byte) (int, error) {
	n, err := c.r.Read(b)
	c.n.Add(int64(n))
	return n, err
}

// onRETR returns a hook that adjusts every RETR with t.
func onRETR(t *ftptest.Transfer) func(ftptest.Command) *ftptest.Reply {
	return func(c ftptest.Command) *ftptest.Reply {
		if c.Verb == "RETR" {
			return &ftptest.Reply{Transfer: t}
		}
		return nil
	}
}

// TestGetStopsAtAnnouncedSize: the server announces 10 bytes (with SIZE,
// in the listing, or only in its 150 reply) and sends 64 MiB. The
// download writes no more than 10 bytes, stops reading (ABOR), fails with
// ErrTooLong, leaves the old file and no partial file, and is not
// retried; the connection still works.
func TestGetStopsAtAnnouncedSize(t *testing.T) {
	for _, tt := range []struct {
		name    string
		listed  bool
		disable []string
		mark    string
	}{
		{name: "SIZE"},
		{name: "listing", listed: true},
		{name: "150 reply", disable: []string{"SIZE", "MDTM"}, mark: "Opening BINARY mode data connection for f.bin (10 bytes)."},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var read atomic.Int64
			x := &ftptest.Transfer{Source: source64MiB(&read)}
			if tt.mark != "" {
				x.Mark = &ftptest.Reply{Code: 150, Text: tt.mark}
			}
			srv := ftptest.New(t, ftptest.Config{Hook: onRETR(x), Disable: tt.disable})
			os.WriteFile(filepath.Join(srv.Root(), "f.bin"), []byte("0123456789"), 0o644)
			dir := t.TempDir()
			local := filepath.Join(dir, "f.bin")
			os.WriteFile(local, []byte("old"), 0o644)
			opt := GetOptions{}
			if tt.listed {
				opt.Listed = &client.Entry{Name: "f.bin", Type: client.EntryFile, Size: 10}
			}
			p := testPool(t, srv, PoolOptions{Size: 1, Retries: 3})
			res, err := p.GetFile(testCtx(t), "f.bin", local, opt)
			if !errors.Is(err, ErrTooLong) || Transient(err) {
				t.Fatalf("GetFile = %v, want ErrTooLong, not transient", err)
			}
			if res.Retries != 0 || res.Partial != "" {
				t.Errorf("result %+v: want no retry and no partial file", res)
			}
			wantTree(t, dir, map[string]string{"f.bin": "old"})
			if n := read.Load(); n >= 64<<20 {
				t.Errorf("the server sent all %d bytes: the download did not stop", n)
			}
			if cmds := srv.Commands(); countVerb(cmds, "RETR") != 1 || countVerb(cmds, "ABOR") != 1 {
				t.Errorf("want one RETR, aborted: %q", cmds)
			}
		})
	}
}

// TestGetTooLongCutsResumedPartBack: a resumed download whose data runs
// past the size keeps the partial file as it was before the attempt.
func TestGetTooLongCutsResumedPartBack(t *testing.T) {
	data := []byte("0123456789abcdefghij")
	var read atomic.Int64
	var once sync.Once
	srv := ftptest.New(t, ftptest.Config{Hook: func(c ftptest.Command) *ftptest.Reply {
		var r *ftptest.Reply
		if c.Verb == "RETR" {
			once.Do(func() { r = &ftptest.Reply{Transfer: &ftptest.Transfer{Source: source64MiB(&read)}} })
		}
		return r
	}})
	os.WriteFile(filepath.Join(srv.Root(), "f.bin"), data, 0o644)
	dir := t.TempDir()
	local := filepath.Join(dir, "f.bin")
	part := partFor(t, srv, "f.bin", local)
	os.WriteFile(part, data[:4], 0o644)
	c := connect(t, srv)

	res, err := Get(testCtx(t), c, "f.bin", local, GetOptions{Resume: true})
	if !errors.Is(err, ErrTooLong) {
		t.Fatalf("Get = %v, want ErrTooLong", err)
	}
	if res.Partial != part || res.PartialSize != 4 {
		t.Errorf("Result.Partial %q of %d bytes, want %q of 4", res.Partial, res.PartialSize, part)
	}
	wantTree(t, dir, map[string]string{filepath.Base(part): "0123"})
	// The next attempt resumes from the 4 bytes that were there before.
	if _, err := Get(testCtx(t), c, "f.bin", local, GetOptions{Resume: true}); err != nil {
		t.Fatal(err)
	}
	wantTree(t, dir, map[string]string{"f.bin": string(data)})
}

// TestFetchChecksAnnouncedSize: Fetch writes no more than the announced
// size and fails when the data runs long (ErrTooLong) or short
// (ErrIncomplete), and before writing anything when the 150 reply and
// SIZE disagree.
func TestFetchChecksAnnouncedSize(t *testing.T) {
	var read atomic.Int64
	mark := func(n int) *ftptest.Reply {
		return &ftptest.Reply{Code: 150, Text: "Opening BINARY mode data connection for f (" + strconv.Itoa(n) + " bytes)."}
	}
	for _, tt := range []struct {
		name    string
		file    string
		x       *ftptest.Transfer
		want    string
		wantErr error
	}{
		{name: "whole", file: "0123456789", want: "0123456789"},
		{name: "long", file: "abcdefghij", x: &ftptest.Transfer{Source: source64MiB(&read)}, want: "0123456789", wantErr: ErrTooLong},
		{name: "short", file: strings.Repeat("x", 1000), x: &ftptest.Transfer{Source: func() io.Reader { return strings.NewReader("0123456789") }},
			want: "0123456789", wantErr: ErrIncomplete},
		{name: "150 says more", file: "0123456789", x: &ftptest.Transfer{Mark: mark(1000)}, wantErr: ErrTooLong},
		{name: "150 says less", file: "0123456789", x: &ftptest.Transfer{Mark: mark(5)}, wantErr: ErrIncomplete},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cfg := ftptest.Config{}
			if tt.x != nil {
				cfg.Hook = onRETR(tt.x)
			}
			srv := ftptest.New(t, cfg)
			os.WriteFile(filepath.Join(srv.Root(), "f"), []byte(tt.file), 0o644)
			c := connect(t, srv)
			var out bytes.Buffer
			n, err := Fetch(testCtx(t), c, "f", &out, nil)
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil) != (err == nil) {
				t.Fatalf("Fetch = %v, want %v", err, tt.wantErr)
			}
			if out.String() != tt.want || n != int64(len(tt.want)) {
				t.Errorf("Fetch wrote %q (%d bytes reported), want %q", clip(out.String()), n, tt.want)
			}
			if err := c.Noop(testCtx(t)); err != nil {
				t.Errorf("connection unusable after Fetch: %v", err)
			}
		})
	}
}

// clip shortens s for a message.
func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "..." + strconv.Itoa(len(s)) + " bytes"
	}
	return s
}

// TestGetAnnouncedSizesDisagree: when the 150 reply announces another
// size than SIZE, the download fails before writing anything: with
// ErrTooLong when it announces more, ErrIncomplete when less.
func TestGetAnnouncedSizesDisagree(t *testing.T) {
	for _, tt := range []struct {
		announced int
		wantErr   error
	}{{1000, ErrTooLong}, {5, ErrIncomplete}} {
		t.Run(strconv.Itoa(tt.announced), func(t *testing.T) {
			text := "Opening BINARY mode data connection for f.bin (" + strconv.Itoa(tt.announced) + " bytes)."
			srv := ftptest.New(t, ftptest.Config{Hook: onRETR(&ftptest.Transfer{Mark: &ftptest.Reply{Code: 150, Text: text}})})
			os.WriteFile(filepath.Join(srv.Root(), "f.bin"), []byte("0123456789"), 0o644)
			dir := t.TempDir()
			local := filepath.Join(dir, "f.bin")
			os.WriteFile(local, []byte("old"), 0o644)
			c := connect(t, srv)
			res, err := Get(testCtx(t), c, "f.bin", local, GetOptions{})
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Get = %v, want %v", err, tt.wantErr)
			}
			if res.Bytes != 0 || res.Partial != "" {
				t.Errorf("result %+v: want nothing written or kept", res)
			}
			wantTree(t, dir, map[string]string{"f.bin": "old"})
		})
	}
}

// TestGetASCIIAllowsLineEnds: in ASCII mode the server sends each LF as
// CRLF, so the data is longer than the size SIZE gives (the file's, as
// vsftpd gives it): the download succeeds, with LF line ends again. Data
// past the size still stops the download.
func TestGetASCIIAllowsLineEnds(t *testing.T) {
	var read atomic.Int64
	var flood atomic.Bool
	srv := ftptest.New(t, ftptest.Config{Hook: func(c ftptest.Command) *ftptest.Reply {
		switch {
		case c.Verb == "SIZE":
			return &ftptest.Reply{Code: 213, Text: "6"} // the file's size, not the data's
		case c.Verb == "RETR" && flood.Load():
			return &ftptest.Reply{Transfer: &ftptest.Transfer{Source: source64MiB(&read)}}
		}
		return nil
	}})
	os.WriteFile(filepath.Join(srv.Root(), "t.txt"), []byte("a\nb\nc\n"), 0o644)
	dir := t.TempDir()
	local := filepath.Join(dir, "t.txt")
	c := connect(t, srv)
	if err := c.Type(testCtx(t), client.TypeASCII); err != nil {
		t.Fatal(err)
	}
	if _, err := Get(testCtx(t), c, "t.txt", local, GetOptions{}); err != nil {
		t.Fatalf("ASCII get of a text file: %v", err)
	}
	wantTree(t, dir, map[string]string{"t.txt": "a\nb\nc\n"})

	flood.Store(true)
	os.Remove(local)
	res, err := Get(testCtx(t), c, "t.txt", local, GetOptions{Resume: true})
	if !errors.Is(err, ErrTooLong) || res.Partial != "" {
		t.Fatalf("Get = %+v, %v; want ErrTooLong and no partial file", res, err)
	}
	wantTree(t, dir, map[string]string{})
}

// TestSegmentedGetStopsAtSize: the last range's data runs past the
// file's size; the download writes nothing past it, fails with
// ErrTooLong without retrying that range, and leaves only the old file.
func TestSegmentedGetStopsAtSize(t *testing.T) {
	const size, n = 8 << 20, 4
	data := randomData(size)
	lastFrom := strconv.Itoa((n - 1) * size / n)
	var mu sync.Mutex
	rest := map[int]string{}
	retrs := 0
	srv := ftptest.New(t, ftptest.Config{Hook: func(c ftptest.Command) *ftptest.Reply {
		mu.Lock()
		defer mu.Unlock()
		switch c.Verb {
		case "REST":
			rest[c.Session] = c.Arg
		case "RETR":
			from := rest[c.Session]
			delete(rest, c.Session)
			if from == lastFrom {
				retrs++
				tail := append(append([]byte(nil), data[(n-1)*size/n:]...), bytes.Repeat([]byte("x"), 1<<20)...)
				return &ftptest.Reply{Transfer: &ftptest.Transfer{Source: func() io.Reader { return bytes.NewReader(tail) }}}
			}
		}
		return nil
	}})
	os.WriteFile(filepath.Join(srv.Root(), "f"), data, 0o644)
	p := testPool(t, srv, PoolOptions{Size: n, Retries: 2})
	dir := t.TempDir()
	local := filepath.Join(dir, "f")
	os.WriteFile(local, []byte("old"), 0o644)
	_, err := p.GetSegmented(testCtx(t), "f", local, n, GetOptions{})
	if !errors.Is(err, ErrTooLong) {
		t.Fatalf("GetSegmented = %v, want ErrTooLong", err)
	}
	wantTree(t, dir, map[string]string{"f": "old"})
	mu.Lock()
	defer mu.Unlock()
	if retrs != 1 {
		t.Errorf("the last range was fetched %d times, want once (not retried)", retrs)
	}
}
