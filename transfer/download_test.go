package transfer

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ferry-ftp/ferry/client"
	"github.com/ferry-ftp/ferry/internal/ftptest"
)

// servedSource returns the identity of the file remote (a path relative
// to the login folder, which is the server's root) as a download from srv
// sees it: SIZE and MDTM, to the second.
func servedSource(t testing.TB, srv *ftptest.Server, remote string) Source {
	t.Helper()
	fi, err := os.Stat(filepath.Join(srv.Root(), filepath.FromSlash(remote)))
	if err != nil {
		t.Fatal(err)
	}
	return Source{Site: srv.Addr(), Path: remote, Size: fi.Size(), ModTime: fi.ModTime().Truncate(time.Second).UTC()}
}

// partFor returns the temporary file a download of remote from srv to
// local writes to, with nothing to avoid.
func partFor(t testing.TB, srv *ftptest.Server, remote, local string) string {
	t.Helper()
	name, ok := TempName(filepath.Base(local), servedSource(t, srv, remote), nil)
	if !ok {
		t.Fatalf("the temporary name of %s is not resumable", remote)
	}
	return filepath.Join(filepath.Dir(local), name)
}

// localTree returns the names in dir and their contents, folders as
// "dir/"; it fails the test when dir cannot be read.
func localTree(t testing.TB, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || p == dir {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			out[rel+"/"] = ""
			return nil
		}
		b, err := os.ReadFile(p)
		out[rel] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// wantTree fails the test unless dir holds exactly the files want names,
// with those contents (long contents are compared but not printed).
func wantTree(t testing.TB, dir string, want map[string]string) {
	t.Helper()
	got := localTree(t, dir)
	var diffs []string
	show := func(s string) string {
		if len(s) > 40 {
			return s[:40] + "..."
		}
		return s
	}
	for name, w := range want {
		g, ok := got[name]
		switch {
		case !ok:
			diffs = append(diffs, name+": missing")
		case g != w:
			diffs = append(diffs, name+": "+show(g)+" ("+strconv.Itoa(len(g))+" bytes), want "+show(w)+" ("+strconv.Itoa(len(w))+" bytes)")
		}
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			diffs = append(diffs, name+": unexpected ("+strconv.Itoa(len(got[name]))+" bytes)")
		}
	}
	if len(diffs) > 0 {
		sort.Strings(diffs)
		t.Fatalf("local tree %s:\n%s", dir, strings.Join(diffs, "\n"))
	}
}

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
// vsftpd gives it): the download succeeds with the data as sent. Data
// past twice the size still stops the download.
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
	wantTree(t, dir, map[string]string{"t.txt": "a\r\nb\r\nc\r\n"})

	flood.Store(true)
	os.Remove(local)
	res, err := Get(testCtx(t), c, "t.txt", local, GetOptions{Resume: true})
	if !errors.Is(err, ErrTooLong) || res.Partial != "" {
		t.Fatalf("Get = %+v, %v; want ErrTooLong and no partial file", res, err)
	}
	wantTree(t, dir, map[string]string{})
}

// TestGetUnresumableSourceLeavesNothing: a server without MDTM gives no
// identity to the file, so a cut download's partial file is removed, not
// left to be resumed by mistake.
func TestGetUnresumableSourceLeavesNothing(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{Hook: dropFirst("RETR", 1000), Disable: []string{"MDTM"}})
	data := randomData(100_000)
	os.WriteFile(filepath.Join(srv.Root(), "f.bin"), data, 0o644)
	dir := t.TempDir()
	local := filepath.Join(dir, "f.bin")
	c := connect(t, srv)
	res, err := Get(testCtx(t), c, "f.bin", local, GetOptions{})
	if err == nil || res.Partial != "" {
		t.Fatalf("Get = %+v, %v; want a failure and no partial file", res, err)
	}
	wantTree(t, dir, map[string]string{})
	if _, err := Get(testCtx(t), c, "f.bin", local, GetOptions{Resume: true}); err != nil {
		t.Fatal(err)
	}
	wantTree(t, dir, map[string]string{"f.bin": string(data)})
	if cmds := srv.Commands(); countVerb(cmds, "REST") != 0 {
		t.Errorf("a download of a file without a time was resumed: %q", cmds)
	}
}

// TestGetResumesOnlyTheSameVersion: a partial file of an earlier version
// of the file (another modification time) is not resumed.
func TestGetResumesOnlyTheSameVersion(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{Hook: dropFirst("RETR", 50_000)})
	remote := filepath.Join(srv.Root(), "f.bin")
	v1, v2 := randomData(100_000), randomData(100_001)[1:]
	os.WriteFile(remote, v1, 0o644)
	t1 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	os.Chtimes(remote, t1, t1)
	dir := t.TempDir()
	local := filepath.Join(dir, "f.bin")
	c := connect(t, srv)
	old := partFor(t, srv, "f.bin", local)
	if _, err := Get(testCtx(t), c, "f.bin", local, GetOptions{}); err == nil {
		t.Fatal("the cut download succeeded")
	}
	// The file changes on the server, same size, another time.
	os.WriteFile(remote, v2, 0o644)
	t2 := t1.Add(time.Hour)
	os.Chtimes(remote, t2, t2)
	if _, err := Get(testCtx(t), c, "f.bin", local, GetOptions{Resume: true}); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(local); !bytes.Equal(got, v2) {
		t.Fatal("the new version was assembled from the old one's partial file")
	}
	// The old version's partial file stays (it is a prefix of v1 only).
	if b, err := os.ReadFile(old); err != nil || !bytes.Equal(b, v1[:len(b)]) {
		t.Errorf("the old version's partial file: %v", err)
	}
}

// TestMirrorCopiesFilesNamedAsTemporaryNames: the remote folder holds
// a.txt, a real a.txt.part and a file named exactly as a.txt's temporary
// name. The first mirror's copy of a.txt is cut and not retried; the
// other files arrive whole and no partial file is left. mirror with
// Resume then copies a.txt whole: never from another file.
func TestMirrorCopiesFilesNamedAsTemporaryNames(t *testing.T) {
	var mu sync.Mutex
	cut := false
	srv := ftptest.New(t, ftptest.Config{Hook: func(c ftptest.Command) *ftptest.Reply {
		mu.Lock()
		defer mu.Unlock()
		if c.Verb == "RETR" && c.Arg == "dir/a.txt" && !cut {
			cut = true
			return &ftptest.Reply{Transfer: &ftptest.Transfer{DropAfter: 5}}
		}
		return nil
	}})
	files := map[string]string{"a.txt": "the real a.txt, longer than the others", "a.txt.part": "a foreign a.txt.part"}
	for name, data := range files {
		os.MkdirAll(filepath.Join(srv.Root(), "dir"), 0o755)
		os.WriteFile(filepath.Join(srv.Root(), "dir", name), []byte(data), 0o644)
	}
	temp, _ := TempName("a.txt", servedSource(t, srv, "dir/a.txt"), nil)
	files[temp] = "named as a.txt's partial"
	os.WriteFile(filepath.Join(srv.Root(), "dir", temp), []byte(files[temp]), 0o644)

	dst := t.TempDir()
	p := testPool(t, srv, PoolOptions{Size: 2, Retries: 0})
	rep, err := p.Mirror(testCtx(t), "dir", dst, MirrorOptions{Direction: Download, Update: UpdateChanged})
	if err != nil || rep.Failed != 1 || rep.Copied != 2 {
		t.Fatalf("first mirror: %+v, %v; want a.txt failed and 2 copied", rep, err)
	}
	wantTree(t, dst, map[string]string{"a.txt.part": files["a.txt.part"], temp: files[temp]})

	rep, err = p.Mirror(testCtx(t), "dir", dst, MirrorOptions{Direction: Download, Update: UpdateChanged, Resume: true})
	if err != nil || rep.Failed != 0 || rep.Copied != 1 {
		t.Fatalf("mirror with Resume: %+v, %v", rep, err)
	}
	wantTree(t, dst, files)
	if cmds := srv.Commands(); countVerb(cmds, "REST") != 0 {
		t.Errorf("a.txt was resumed from another file: %q", cmds)
	}
}

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

// TestGetDoesNotResumeFromCopiedFiles: the local folder holds copies of
// the remote a.txt.part and of a remote file named exactly as a.txt's
// temporary name (as a job over the folder leaves them). A resumed get of
// a.txt, which has no listing to avoid names with, takes neither for its
// partial file: it fetches a.txt whole and leaves both as they were.
func TestGetDoesNotResumeFromCopiedFiles(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{})
	files := map[string]string{"a.txt": "the real a.txt, longer than the others", "a.txt.part": "a foreign a.txt.part"}
	for name, data := range files {
		os.WriteFile(filepath.Join(srv.Root(), name), []byte(data), 0o644)
	}
	temp, _ := TempName("a.txt", servedSource(t, srv, "a.txt"), nil)
	files[temp] = "named as a.txt's partial"
	os.WriteFile(filepath.Join(srv.Root(), temp), []byte(files[temp]), 0o644)
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.txt.part"), []byte(files["a.txt.part"]), 0o644)
	os.WriteFile(filepath.Join(dir, temp), []byte(files[temp]), 0o644)

	c := connect(t, srv)
	res, err := Get(testCtx(t), c, "a.txt", filepath.Join(dir, "a.txt"), GetOptions{Resume: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.Offset != 0 {
		t.Errorf("resumed at %d", res.Offset)
	}
	wantTree(t, dir, files)
}
