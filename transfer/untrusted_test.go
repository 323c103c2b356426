package transfer

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/ferry-ftp/ferry/client"
	"github.com/ferry-ftp/ferry/internal/ftptest"
)

// TestFailAttempt: what becomes of a failed attempt's partial file. When
// the data cannot be trusted or ran past the announced size (wrapped as
// callers wrap them), the attempt's bytes are discarded: the file is cut
// back to where the attempt began, or removed when it began empty.
func TestFailAttempt(t *testing.T) {
	untrusted := fmt.Errorf("ftp: RETR f: %w", client.ErrDataUntrusted)
	tooLong := fmt.Errorf("stopped: %w", ErrTooLong)
	short := fmt.Errorf("short: %w", ErrIncomplete)
	for _, tt := range []struct {
		name      string
		err       error
		offset    int64
		resumable bool
		want      string // the file left, "" for none
	}{
		{"untrusted, resumed", untrusted, 6, true, "before"},
		{"untrusted, from the start", untrusted, 0, true, ""},
		{"untrusted, not resumable", untrusted, 6, false, ""},
		{"too long, resumed", tooLong, 6, true, "before"},
		{"too long, from the start", tooLong, 0, true, ""},
		{"short, resumable", short, 6, true, "beforeattempt"},
		{"short, not resumable", short, 6, false, ""},
		{"digest mismatch", &VerifyError{Algo: "SHA-256"}, 6, true, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			part := filepath.Join(dir, ".f.ferry-0123abcd.part")
			content := "beforeattempt"
			if tt.offset == 0 {
				content = "attempt"
			}
			os.WriteFile(part, []byte(content), 0o644)
			f, err := os.OpenFile(part, os.O_WRONLY, 0)
			if err != nil {
				t.Fatal(err)
			}
			name, size := failAttempt(osFS{}, f, part, tt.offset, tt.resumable, tt.err)
			want := map[string]string{}
			if tt.want != "" {
				want[filepath.Base(part)] = tt.want
			}
			wantTree(t, dir, want)
			if (tt.want == "") != (name == "") || size != int64(len(tt.want)) {
				t.Errorf("failAttempt = %q, %d; want the file kept: %v, %d bytes", name, size, tt.want != "", len(tt.want))
			}
		})
	}
}

// untrustedFinal adjusts the first RETR of each path: the data arrives on
// the active-mode connection, then the server's final reply is 425 (it
// says it never opened that connection), so the data came from someone
// else.
func untrustedFinal() func(ftptest.Command) *ftptest.Reply {
	var mu sync.Mutex
	seen := map[string]bool{}
	return func(c ftptest.Command) *ftptest.Reply {
		mu.Lock()
		defer mu.Unlock()
		if c.Verb != "RETR" || seen[c.Arg] {
			return nil
		}
		seen[c.Arg] = true
		return &ftptest.Reply{Transfer: &ftptest.Transfer{Final: &ftptest.Reply{Code: 425, Text: "Can't open data connection."}}}
	}
}

// activeSite is site(srv) in active mode.
func activeSite(srv *ftptest.Server) Site {
	s := site(srv)
	s.Options = []client.Option{client.WithDataMode(client.Active)}
	return s
}

// needUntrusted skips the test unless the client reports a final 425
// after data in active mode as client.ErrDataUntrusted.
func needUntrusted(t *testing.T) {
	t.Helper()
	srv := ftptest.New(t, ftptest.Config{Hook: untrustedFinal()})
	os.WriteFile(filepath.Join(srv.Root(), "probe"), []byte("probe"), 0o644)
	c, err := Connect(testCtx(t), activeSite(srv))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	rc, err := c.Retr(testCtx(t), "probe", 0)
	if err == nil {
		_, err = io.Copy(io.Discard, rc)
		if cerr := rc.Close(); err == nil {
			err = cerr
		}
	}
	if !errors.Is(err, client.ErrDataUntrusted) {
		t.Skipf("the client does not report a 425 after active-mode data as ErrDataUntrusted yet (got %v); TestFailAttempt covers the transfer side", err)
	}
}

// TestGetDiscardsUntrustedData: the first attempt's data is followed by
// 425 in active mode; every byte of it is discarded: a resumed partial
// file is cut back to its size before the attempt, and the retry fetches
// the rest again from there (REST at the old size).
func TestGetDiscardsUntrustedData(t *testing.T) {
	needUntrusted(t)
	data := randomData(200_000)
	srv := ftptest.New(t, ftptest.Config{Hook: untrustedFinal()})
	os.WriteFile(filepath.Join(srv.Root(), "f.bin"), data, 0o644)
	dir := t.TempDir()
	local := filepath.Join(dir, "f.bin")
	part := partFor(t, srv, "f.bin", local)
	os.WriteFile(part, data[:1000], 0o644)
	c, err := Connect(testCtx(t), activeSite(srv))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()

	res, err := Get(testCtx(t), c, "f.bin", local, GetOptions{Resume: true})
	if !errors.Is(err, client.ErrDataUntrusted) || res.PartialSize != 1000 {
		t.Fatalf("Get = %+v, %v; want ErrDataUntrusted and the partial file back at 1000 bytes", res, err)
	}
	wantTree(t, dir, map[string]string{filepath.Base(part): string(data[:1000])})
	if _, err := Get(testCtx(t), c, "f.bin", local, GetOptions{Resume: true}); err != nil {
		t.Fatal(err)
	}
	wantTree(t, dir, map[string]string{"f.bin": string(data)})

	// A download that began empty leaves nothing.
	os.Remove(local)
	srv2 := ftptest.New(t, ftptest.Config{Hook: untrustedFinal()})
	os.WriteFile(filepath.Join(srv2.Root(), "f.bin"), data, 0o644)
	c2, err := Connect(testCtx(t), activeSite(srv2))
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	if res, err := Get(testCtx(t), c2, "f.bin", local, GetOptions{}); !errors.Is(err, client.ErrDataUntrusted) || res.Partial != "" {
		t.Fatalf("Get = %+v, %v; want ErrDataUntrusted and no partial file", res, err)
	}
	wantTree(t, dir, map[string]string{})
}

// TestSegmentedGetDiscardsUntrustedData: in active mode a segmented
// download is fetched whole over one connection, since a range stopped
// with ABOR would never read the final reply that says whether its data
// came from the server. The first attempt ends in 425 after its data:
// it is discarded, and the retry starts again from the first byte.
func TestSegmentedGetDiscardsUntrustedData(t *testing.T) {
	needUntrusted(t)
	const size = 5 << 20
	srv := ftptest.New(t, ftptest.Config{Hook: untrustedFinal()})
	want := writeRandomFile(t, filepath.Join(srv.Root(), "big.bin"), size, 3)
	p := NewPool(activeSite(srv), PoolOptions{Size: 3, Retries: 2, Backoff: noWait})
	t.Cleanup(func() { p.Close() })
	dir := t.TempDir()
	local := filepath.Join(dir, "big.bin")
	if _, err := p.GetSegmented(testCtx(t), "big.bin", local, 3, GetOptions{}); err != nil {
		t.Fatal(err)
	}
	if fileSum(t, local) != want {
		t.Fatal("assembled file differs")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("files beside the download: %v", entries)
	}
	if cmds := srv.Commands(); countVerb(cmds, "RETR") != 2 || countVerb(cmds, "REST") != 0 {
		t.Errorf("want the whole file fetched twice, never resumed: %q", cmds)
	}
}
