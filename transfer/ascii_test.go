package transfer

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/ferry-ftp/ferry/client"
	"github.com/ferry-ftp/ferry/internal/ftptest"
)

// textFile returns about n bytes of text: lines of 0 to 99 printable
// bytes ending in LF. With odd, every seventh line ends in CRLF instead
// and every fifth holds a CR that ends no line. Over n = 256 KiB the
// lines cross the reads of a download, so CRs fall on their edges.
func textFile(n int, odd bool) []byte {
	r := rand.New(rand.NewPCG(uint64(n), 12))
	var b []byte
	for i := 0; len(b) < n; i++ {
		for range r.IntN(100) {
			b = append(b, byte(' '+r.IntN(95)))
		}
		if odd && i%5 == 0 {
			b = append(b, "x\ry"...)
		}
		if odd && i%7 == 0 {
			b = append(b, '\r')
		}
		b = append(b, '\n')
	}
	return b
}

// lineCount counts the LFs of b.
func lineCount(b []byte) int64 { return int64(bytes.Count(b, []byte("\n"))) }

// asciiConn connects to srv and sets ASCII type.
func asciiConn(t *testing.T, srv *ftptest.Server) *client.Conn {
	t.Helper()
	c := connect(t, srv)
	if err := c.Type(testCtx(t), client.TypeASCII); err != nil {
		t.Fatal(err)
	}
	return c
}

// TestGetASCIIWritesLF: in ASCII mode the in-process server sends each LF
// of the file as CRLF (a CRLF of the file as CR CRLF, as pure-ftpd does),
// and the download writes each CRLF as LF, so the file arrives byte for
// byte, lone CRs included. Its size passes the checks whichever sizes the
// server announces: SIZE in ASCII mode (the data's, with CRLFs), the
// listing's (the file's), the 150 reply's (the file's), or none.
func TestGetASCIIWritesLF(t *testing.T) {
	for _, odd := range []bool{false, true} {
		file := textFile(700<<10, odd)
		for _, how := range []string{"SIZE", "listed", "150 only", "nothing", "pool", "fetch"} {
			t.Run(how+"/odd="+strconv.FormatBool(odd), func(t *testing.T) {
				var cfg ftptest.Config
				if how == "150 only" || how == "nothing" {
					cfg.Disable = []string{"SIZE"}
				}
				if how == "nothing" {
					cfg.Hook = onRETR(&ftptest.Transfer{Mark: &ftptest.Reply{Code: 150, Text: "Here it comes."}})
				}
				srv := ftptest.New(t, cfg)
				os.WriteFile(filepath.Join(srv.Root(), "t.txt"), file, 0o644)
				dir := t.TempDir()
				local := filepath.Join(dir, "t.txt")
				var res Result
				var err error
				switch how {
				case "pool":
					s := site(srv)
					s.ASCII = true
					p := NewPool(s, PoolOptions{Backoff: noWait})
					t.Cleanup(func() { p.Close() })
					res, err = p.GetFile(testCtx(t), "t.txt", local, GetOptions{})
				case "fetch":
					var out bytes.Buffer
					res.Bytes, err = Fetch(testCtx(t), asciiConn(t, srv), "t.txt", &out, nil)
					os.WriteFile(local, out.Bytes(), 0o644)
				default:
					var opt GetOptions
					if how == "listed" {
						opt.Listed = &client.Entry{Name: "t.txt", Size: int64(len(file))}
					}
					res, err = Get(testCtx(t), asciiConn(t, srv), "t.txt", local, opt)
				}
				if err != nil {
					t.Fatalf("ASCII download: %v", err)
				}
				got, _ := os.ReadFile(local)
				if !bytes.Equal(got, file) {
					t.Fatalf("downloaded %d bytes (%d CRLFs), want the file's %d", len(got), bytes.Count(got, []byte("\r\n")), len(file))
				}
				if res.Bytes != int64(len(file)) {
					t.Errorf("Result.Bytes = %d, want %d (the bytes written)", res.Bytes, len(file))
				}
				if cmds := srv.Commands(); countVerb(cmds, "TYPE A") == 0 || countVerb(cmds, "REST") != 0 {
					t.Errorf("commands %q: want TYPE A and no REST", cmds)
				}
			})
		}
	}
}

// TestGetASCIISizeChecks: in ASCII mode every size the server announced
// must lie between the bytes written (LF line ends) and the bytes received
// (CRLF line ends). Data that stops short of SIZE fails with
// ErrIncomplete though more bytes were written than the 150 reply
// announced; data past the 150 reply's size fails with ErrTooLong though
// the data is shorter than SIZE, and nothing past it is written.
func TestGetASCIISizeChecks(t *testing.T) {
	file := []byte(strings.Repeat("line\n", 100)) // SIZE in ASCII mode: 600
	t.Run("short", func(t *testing.T) {
		// The server stops after 300 of the file's bytes (360 sent), and
		// its 150 reply says 300 bytes.
		srv := ftptest.New(t, ftptest.Config{Hook: onRETR(&ftptest.Transfer{Data: file[:300]})})
		os.WriteFile(filepath.Join(srv.Root(), "t.txt"), file, 0o644)
		dir := t.TempDir()
		res, err := Get(testCtx(t), asciiConn(t, srv), "t.txt", filepath.Join(dir, "t.txt"), GetOptions{Resume: true})
		if !errors.Is(err, ErrIncomplete) || res.Partial != "" {
			t.Fatalf("Get = %+v, %v; want ErrIncomplete and no partial file", res, err)
		}
		if !strings.Contains(err.Error(), "received 360 bytes in ASCII mode, but the server announced 600") {
			t.Errorf("error %q does not say what arrived and what was announced", err)
		}
		wantTree(t, dir, map[string]string{})
	})
	t.Run("long", func(t *testing.T) {
		// The 150 reply gives the file's 500 bytes; the data brings 510.
		mark := &ftptest.Reply{Code: 150, Text: "Opening ASCII mode data connection for t.txt (500 bytes)."}
		long := append(append([]byte(nil), file...), "more\nmore\n"...)
		srv := ftptest.New(t, ftptest.Config{Hook: onRETR(&ftptest.Transfer{Data: long, Mark: mark})})
		os.WriteFile(filepath.Join(srv.Root(), "t.txt"), file, 0o644)
		dir := t.TempDir()
		os.WriteFile(filepath.Join(dir, "t.txt"), []byte("old"), 0o644)
		res, err := Get(testCtx(t), asciiConn(t, srv), "t.txt", filepath.Join(dir, "t.txt"), GetOptions{})
		if !errors.Is(err, ErrTooLong) || res.Partial != "" {
			t.Fatalf("Get = %+v, %v; want ErrTooLong and no partial file", res, err)
		}
		wantTree(t, dir, map[string]string{"t.txt": "old"})

		var out bytes.Buffer
		_, err = Fetch(testCtx(t), asciiConn(t, srv), "t.txt", &out, nil)
		if !errors.Is(err, ErrTooLong) || !bytes.Equal(out.Bytes(), file) {
			t.Fatalf("Fetch wrote %d bytes, %v; want the 500 announced and ErrTooLong", out.Len(), err)
		}
	})
}

// TestPutASCIISendsCRLF: in ASCII mode an upload sends each LF as CRLF
// and leaves the file's own CRLFs alone (never CR CRLF); the in-process
// server stores each CRLF as LF. A file with LF line ends (and lone CRs)
// arrives byte for byte; the size check passes although SIZE in ASCII mode
// counts the CRLFs.
func TestPutASCIISendsCRLF(t *testing.T) {
	lf := textFile(300<<10, false)
	lf = append(lf, "a lone\rCR\n"...)
	for _, tt := range []struct {
		name       string
		local      []byte
		stored     []byte
		sent       int64
		pool, rest bool
	}{
		{name: "LF", local: lf, stored: lf, sent: int64(len(lf)) + lineCount(lf)},
		{name: "LF pool", local: lf, stored: lf, sent: int64(len(lf)) + lineCount(lf), pool: true},
		{name: "CRLF", local: []byte("one\r\ntwo\nthree\r\n"), stored: []byte("one\ntwo\nthree\n"), sent: 17},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := ftptest.New(t, ftptest.Config{})
			dir := t.TempDir()
			local := filepath.Join(dir, "up.txt")
			os.WriteFile(local, tt.local, 0o644)
			var err error
			if tt.pool {
				s := site(srv)
				s.ASCII = true
				p := NewPool(s, PoolOptions{Backoff: noWait})
				t.Cleanup(func() { p.Close() })
				_, err = p.PutFile(testCtx(t), local, "up.txt", PutOptions{})
			} else {
				_, err = Put(testCtx(t), asciiConn(t, srv), local, "up.txt", PutOptions{})
			}
			if err != nil {
				t.Fatalf("ASCII upload: %v", err)
			}
			wantTree(t, srv.Root(), map[string]string{"up.txt": string(tt.stored)})
			var sent int64
			for _, d := range srv.DataConns() {
				sent += d.Bytes
			}
			if sent != tt.sent {
				t.Errorf("%d bytes sent, want %d (each LF that follows no CR as CRLF)", sent, tt.sent)
			}
			if cmds := srv.Commands(); countVerb(cmds, "TYPE A") == 0 {
				t.Errorf("commands %q: no TYPE A", cmds)
			}
		})
	}
}

// TestPutASCIISizeCheck: after an ASCII upload of "a\nb\n" (4 bytes, 6
// sent) the size the server reports must lie between the file without
// its CRs and the bytes sent; outside that range the upload fails with
// ErrIncomplete and leaves no file, under the final name or a temporary
// one.
func TestPutASCIISizeCheck(t *testing.T) {
	for _, tt := range []struct {
		size string
		ok   bool
	}{{"3", false}, {"4", true}, {"5", true}, {"6", true}, {"7", false}} {
		t.Run(tt.size, func(t *testing.T) {
			srv := ftptest.New(t, ftptest.Config{Hook: func(c ftptest.Command) *ftptest.Reply {
				if c.Verb == "SIZE" && IsTempName(filepath.Base(c.Arg)) {
					return &ftptest.Reply{Code: 213, Text: tt.size}
				}
				return nil
			}})
			local := filepath.Join(t.TempDir(), "up.txt")
			os.WriteFile(local, []byte("a\nb\n"), 0o644)
			_, err := Put(testCtx(t), asciiConn(t, srv), local, "up.txt", PutOptions{})
			if !tt.ok {
				if !errors.Is(err, ErrIncomplete) {
					t.Fatalf("Put = %v, want ErrIncomplete", err)
				}
				wantTree(t, srv.Root(), map[string]string{})
				return
			}
			if err != nil {
				t.Fatalf("Put: %v", err)
			}
			wantTree(t, srv.Root(), map[string]string{"up.txt": "a\nb\n"})
		})
	}
}

// TestASCIINeverResumes: offsets differ between the two sides in ASCII
// mode, so a retry after a cut data connection starts again from the
// beginning (no REST, no APPE), in both directions; a failed upload
// leaves no temporary file on the server for a later upload to resume.
func TestASCIINeverResumes(t *testing.T) {
	file := textFile(64<<10, false)
	s := func(srv *ftptest.Server) Site {
		s := site(srv)
		s.ASCII = true
		return s
	}
	t.Run("get", func(t *testing.T) {
		srv := ftptest.New(t, ftptest.Config{Hook: dropFirst("RETR", 1000)})
		os.WriteFile(filepath.Join(srv.Root(), "t.txt"), file, 0o644)
		p := NewPool(s(srv), PoolOptions{Backoff: noWait, Retries: 2})
		t.Cleanup(func() { p.Close() })
		dir := t.TempDir()
		res, err := p.GetFile(testCtx(t), "t.txt", filepath.Join(dir, "t.txt"), GetOptions{Resume: true})
		if err != nil || res.Retries != 1 || res.Offset != 0 {
			t.Fatalf("GetFile = %+v, %v; want success after one retry, from offset 0", res, err)
		}
		wantTree(t, dir, map[string]string{"t.txt": string(file)})
		if cmds := srv.Commands(); countVerb(cmds, "REST") != 0 || countVerb(cmds, "RETR") != 2 {
			t.Errorf("commands %q: want two RETRs and no REST", cmds)
		}
	})
	for _, direct := range []bool{false, true} {
		t.Run("put/direct="+strconv.FormatBool(direct), func(t *testing.T) {
			srv := ftptest.New(t, ftptest.Config{Hook: dropFirst("STOR", 1000)})
			local := filepath.Join(t.TempDir(), "t.txt")
			os.WriteFile(local, file, 0o644)
			p := NewPool(s(srv), PoolOptions{Backoff: noWait, Retries: 2})
			t.Cleanup(func() { p.Close() })
			res, err := p.PutFile(testCtx(t), local, "t.txt", PutOptions{Resume: true, Direct: direct})
			if err != nil || res.Retries != 1 || res.Offset != 0 {
				t.Fatalf("PutFile = %+v, %v; want success after one retry, from offset 0", res, err)
			}
			wantTree(t, srv.Root(), map[string]string{"t.txt": string(file)})
			if cmds := srv.Commands(); countVerb(cmds, "REST") != 0 || countVerb(cmds, "APPE") != 0 {
				t.Errorf("commands %q: want no REST and no APPE", cmds)
			}
		})
	}
	t.Run("put fails", func(t *testing.T) {
		srv := ftptest.New(t, ftptest.Config{Hook: dropFirst("STOR", 1000)})
		local := filepath.Join(t.TempDir(), "t.txt")
		os.WriteFile(local, file, 0o644)
		_, err := Put(testCtx(t), asciiConn(t, srv), local, "t.txt", PutOptions{Resume: true})
		if err == nil {
			t.Fatal("Put over a cut data connection succeeded")
		}
		wantTree(t, srv.Root(), map[string]string{})
	})
}

// TestSegmentedGetASCII: ranges are byte offsets, which line ends change,
// so a segmented download over connections in ASCII mode is a plain one:
// one RETR, no REST, and the file with LF line ends.
func TestSegmentedGetASCII(t *testing.T) {
	file := textFile(5<<20, true)
	srv := ftptest.New(t, ftptest.Config{})
	os.WriteFile(filepath.Join(srv.Root(), "t.txt"), file, 0o644)
	s := site(srv)
	s.ASCII = true
	p := NewPool(s, PoolOptions{Size: 4, Backoff: noWait})
	t.Cleanup(func() { p.Close() })
	dir := t.TempDir()
	if _, err := p.GetSegmented(testCtx(t), "t.txt", filepath.Join(dir, "t.txt"), 4, GetOptions{}); err != nil {
		t.Fatalf("GetSegmented: %v", err)
	}
	got, _ := os.ReadFile(filepath.Join(dir, "t.txt"))
	if !bytes.Equal(got, file) {
		t.Fatalf("downloaded %d bytes, want the file's %d", len(got), len(file))
	}
	if cmds := srv.Commands(); countVerb(cmds, "REST") != 0 || countVerb(cmds, "RETR") != 1 {
		t.Errorf("commands %q: want one RETR and no REST", cmds)
	}
}
