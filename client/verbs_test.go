package client

import (
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/ferry-ftp/ferry/internal/ftptest"
)

// TestEveryVerb runs every command of the engine against the in-process
// server in each combination of IP family, TLS mode and data mode, and
// checks the replies, the files on the server and the exact command
// sequence on the wire.
func TestEveryVerb(t *testing.T) { eachCombination(t, everyVerb) }

// eachCombination runs f in parallel subtests, one for each combination
// of IP family (tcp4, tcp6), TLS mode and data mode.
func eachCombination(t *testing.T, f func(t *testing.T, network string, tlsMode TLSMode, mode DataMode)) {
	for _, network := range []string{"tcp4", "tcp6"} {
		for _, tlsMode := range []TLSMode{TLSNone, TLSExplicit, TLSImplicit} {
			for _, mode := range []DataMode{Passive, Active} {
				name := fmt.Sprintf("%s/%s/%s", network, []string{"plain", "explicit", "implicit"}[tlsMode], mode)
				t.Run(name, func(t *testing.T) {
					t.Parallel()
					f(t, network, tlsMode, mode)
				})
			}
		}
	}
}

func everyVerb(t *testing.T, network string, tlsMode TLSMode, mode DataMode) {
	srv := ftptest.New(t, ftptest.Config{
		Network:             network,
		TLS:                 ftptest.TLSMode(tlsMode),
		RequireTLS:          tlsMode != TLSNone,
		RequireSessionReuse: tlsMode != TLSNone,
	})
	ctx := testCtx(t)
	var trace strings.Builder
	opts := append(tlsOpts(srv, tlsMode), WithDataMode(mode), WithTrace(&trace))
	c := dialLogin(t, srv, opts...)

	feats, err := c.Features(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"EPSV", "MLST", "SIZE", "MDTM", "REST", "UTF8"} {
		if _, ok := feats[f]; !ok {
			t.Errorf("FEAT lacks %s: %v", f, feats)
		}
	}
	check := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	check(c.OptsUTF8(ctx, true))
	check(c.Type(ctx, TypeBinary))
	if dir, err := c.Pwd(ctx); err != nil || dir != "/" {
		t.Fatalf("Pwd = %q, %v", dir, err)
	}
	if dir, err := c.Mkd(ctx, "d ir"); err != nil || dir != "/d ir" {
		t.Fatalf("Mkd = %q, %v", dir, err)
	}
	check(c.Cwd(ctx, "d ir"))
	if dir, err := c.Pwd(ctx); err != nil || dir != "/d ir" {
		t.Fatalf("Pwd after CWD = %q, %v", dir, err)
	}
	check(c.Cdup(ctx))

	put(t, c, "d ir/a.txt", 0, []byte("hello world"), false)
	put(t, c, "d ir/a.txt", 0, []byte("!"), true)
	put(t, c, "d ir/a.txt", 6, []byte("W"), false)
	if got := string(readFile(t, srv, "d ir/a.txt")); got != "hello World!" {
		t.Fatalf("file on server = %q", got)
	}
	if n, err := c.Size(ctx, "d ir/a.txt"); err != nil || n != 12 {
		t.Fatalf("Size = %d, %v", n, err)
	}
	when := time.Date(2021, 6, 7, 8, 9, 10, 0, time.UTC)
	check(c.SetModTime(ctx, "d ir/a.txt", when))
	if mt, err := c.ModTime(ctx, "d ir/a.txt"); err != nil || !mt.Equal(when) {
		t.Fatalf("ModTime = %v, %v; want %v", mt, err, when)
	}
	if got := string(get(t, c, "d ir/a.txt", 0)); got != "hello World!" {
		t.Fatalf("Retr = %q", got)
	}
	if got := string(get(t, c, "d ir/a.txt", 6)); got != "World!" {
		t.Fatalf("Retr from 6 = %q", got)
	}

	e, err := c.MLST(ctx, "d ir/a.txt")
	if err != nil || e.Type != EntryFile || e.Size != 12 || !e.ModTime.Equal(when) {
		t.Fatalf("MLST = %+v, %v", e, err)
	}
	entries, unparsed, err := c.MLSD(ctx, "d ir")
	if err != nil || len(unparsed) != 0 || len(entries) != 1 || entries[0].Name != "a.txt" || entries[0].Size != 12 {
		t.Fatalf("MLSD = %+v, %q, %v", entries, unparsed, err)
	}
	entries, unparsed, err = c.List(ctx, "d ir")
	if err != nil || len(unparsed) != 0 || len(entries) != 1 || entries[0].Name != "a.txt" || entries[0].Size != 12 {
		t.Fatalf("LIST = %+v, %q, %v", entries, unparsed, err)
	}
	names, err := c.NameList(ctx, "d ir")
	if err != nil || len(names) != 1 || !strings.HasSuffix(names[0], "a.txt") {
		t.Fatalf("NLST = %q, %v", names, err)
	}
	entries, _, err = c.ReadDir(ctx, "/")
	if err != nil || len(entries) != 1 || entries[0].Name != "d ir" || entries[0].Type != EntryDir {
		t.Fatalf("ReadDir = %+v, %v", entries, err)
	}

	check(c.Rename(ctx, "d ir/a.txt", "d ir/b.txt"))
	check(c.Chmod(ctx, "d ir/b.txt", 0o600))
	if st, err := c.Stat(ctx, "d ir/b.txt"); err != nil || !strings.Contains(st, "-rw-------") || !strings.Contains(st, "b.txt") {
		t.Fatalf("Stat = %q, %v", st, err)
	}
	if code, text, err := c.Quote(ctx, "SYST"); err != nil || code != 215 || !strings.Contains(text, "UNIX") {
		t.Fatalf("Quote SYST = %d %q %v", code, text, err)
	}
	if code, _, err := c.Quote(ctx, "XYZZY"); err != nil || code != 500 {
		t.Fatalf("Quote XYZZY = %d, %v", code, err)
	}
	check(c.Noop(ctx))
	check(c.Dele(ctx, "d ir/b.txt"))
	check(c.Rmd(ctx, "d ir"))
	check(c.Quit(ctx))
	waitEnded(t, srv)

	// The exact command sequence: the data command depends on the mode
	// and the address family.
	var data string
	switch {
	case mode == Passive:
		data = "EPSV"
	case network == "tcp4":
		data = "EPRT |1|127.0.0.1|*"
	default:
		data = "EPRT |2|::1|*"
	}
	var want []string
	if tlsMode == TLSExplicit {
		want = append(want, "AUTH TLS")
	}
	want = append(want, "USER user", "PASS pass")
	if tlsMode != TLSNone {
		want = append(want, "PBSZ 0", "PROT P")
	}
	want = append(want,
		"FEAT", "OPTS UTF8 ON", "TYPE I", "PWD", "MKD d ir", "CWD d ir", "PWD", "CDUP",
		data, "STOR d ir/a.txt",
		data, "APPE d ir/a.txt",
		data, "REST 6", "STOR d ir/a.txt",
		"SIZE d ir/a.txt", "MFMT 20210607080910 d ir/a.txt", "MDTM d ir/a.txt",
		data, "RETR d ir/a.txt",
		data, "REST 6", "RETR d ir/a.txt",
		"MLST d ir/a.txt",
		data, "MLSD d ir",
		"PWD", "CWD d ir", data, "LIST", "CWD /", // a name with a space is listed from inside
		data, "NLST d ir",
		data, "MLSD /",
		"RNFR d ir/a.txt", "RNTO d ir/b.txt", "SITE CHMOD 600 d ir/b.txt", "STAT d ir/b.txt",
		"SYST", "XYZZY", "NOOP", "DELE d ir/b.txt", "RMD d ir", "QUIT")
	matchCommands(t, srv.SessionCommands(1), want)

	// Every data connection went the negotiated way, and under TLS was
	// protected and resumed the control session.
	dcs := srv.DataConns()
	if len(dcs) != 9 {
		t.Errorf("%d data connections, want 9", len(dcs))
	}
	for i, dc := range dcs {
		if dc.Passive != (mode == Passive) || dc.TLS != (tlsMode != TLSNone) || dc.DidResume != (tlsMode != TLSNone) {
			t.Errorf("data connection %d: %+v", i, dc)
		}
	}
	if strings.Contains(trace.String(), "pass\n") || !strings.Contains(trace.String(), "> PASS ****\n") {
		t.Errorf("trace does not mask the password:\n%s", trace.String())
	}
}

// TestDownloadLarge moves a file bigger than any buffer both ways and
// checks the bytes.
func TestTransferLarge(t *testing.T) {
	for _, tlsMode := range []TLSMode{TLSNone, TLSExplicit} {
		t.Run([]string{"plain", "tls"}[tlsMode], func(t *testing.T) {
			srv := ftptest.New(t, ftptest.Config{TLS: ftptest.TLSMode(tlsMode)})
			c := dialLogin(t, srv, tlsOpts(srv, tlsMode)...)
			if err := c.Type(testCtx(t), TypeBinary); err != nil {
				t.Fatal(err)
			}
			data := make([]byte, 5<<20+3)
			for i := range data {
				data[i] = byte(i*7 + i>>11)
			}
			put(t, c, "big", 0, data, false)
			if got := readFile(t, srv, "big"); string(got) != string(data) {
				t.Fatalf("upload differs (%d bytes, want %d)", len(got), len(data))
			}
			if got := get(t, c, "big", 0); string(got) != string(data) {
				t.Fatalf("download differs (%d bytes, want %d)", len(got), len(data))
			}
		})
	}
}

// TestZeroByteUploadTLS checks that an empty upload still runs the TLS
// handshake (jlaffaye/ftp PR 221).
func TestZeroByteUploadTLS(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{TLS: ftptest.TLSExplicit, RequireTLS: true, RequireSessionReuse: true})
	c := dialLogin(t, srv, tlsOpts(srv, TLSExplicit)...)
	wc, err := c.Stor(testCtx(t), "empty", 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := wc.Close(); err != nil {
		t.Fatal(err)
	}
	if got := readFile(t, srv, "empty"); len(got) != 0 {
		t.Fatalf("file holds %d bytes", len(got))
	}
	dcs := srv.DataConns()
	if len(dcs) != 1 || !dcs[0].TLS || !dcs[0].DidResume {
		t.Fatalf("data connections: %+v", dcs)
	}
}

// TestReadAfterEOF checks the reader keeps returning io.EOF.
func TestReadAfterEOF(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{})
	writeFile(t, srv, "f", []byte("abc"))
	c := dialLogin(t, srv)
	rc, err := c.Retr(testCtx(t), "f", 0)
	if err != nil {
		t.Fatal(err)
	}
	if b, err := io.ReadAll(rc); err != nil || string(b) != "abc" {
		t.Fatalf("ReadAll = %q, %v", b, err)
	}
	if n, err := rc.Read(make([]byte, 1)); n != 0 || err != io.EOF {
		t.Fatalf("Read after EOF = %d, %v", n, err)
	}
	if err := rc.Close(); err != nil {
		t.Fatal(err)
	}
	if err := rc.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
}
