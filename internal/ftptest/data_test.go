package ftptest

import (
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestTransferModes(t *testing.T) {
	for _, network := range []string{"tcp4", "tcp6"} {
		modes := []dataMode{modeEPSV, modeEPRT, modePASV, modePORT}
		if network == "tcp6" {
			modes = modes[:2] // PASV and PORT carry IPv4 addresses only
		}
		for _, mode := range modes {
			t.Run(network+"/"+string(mode), func(t *testing.T) {
				s := newServer(t, Config{Network: network})
				writeFile(t, s, "dir/hello.txt", "hello, world\n")
				c := dial(t, s)
				c.login()
				c.expect(200, "TYPE I")
				if got := c.retr(mode, "dir/hello.txt"); got != "hello, world\n" {
					t.Errorf("RETR: %q", got)
				}
				c.stor(mode, "STOR up.bin", "uploaded\x00\r\n")
				if got := readFile(t, s, "up.bin"); got != "uploaded\x00\r\n" {
					t.Errorf("STOR wrote %q", got)
				}
				dcs := s.DataConns()
				if len(dcs) != 2 {
					t.Fatalf("DataConns: %+v", dcs)
				}
				passive := mode == modePASV || mode == modeEPSV
				for _, d := range dcs {
					if d.Session != 1 || d.Passive != passive || d.TLS || hostOf(c.conn.LocalAddr().String()) != hostOf(d.Remote) {
						t.Errorf("DataConn %+v", d)
					}
				}
				if dcs[0].Bytes != 13 || dcs[1].Bytes != 11 {
					t.Errorf("DataConn bytes %d, %d", dcs[0].Bytes, dcs[1].Bytes)
				}
			})
		}
	}
}

func TestEPSVFamilies(t *testing.T) {
	s := newServer(t, Config{})
	c := dial(t, s)
	c.login()
	c.expect(229, "EPSV 1")
	c.expect(522, "EPSV 2")
	c.expect(501, "EPSV x")
	c.expect(522, "EPRT |2|::1|5000|")
	c.expect(501, "EPRT |3|127.0.0.1|5000|")
	c.expect(501, "EPRT 1|127.0.0.1|5000")
	c.expect(501, "PORT 127,0,0,1,300,1")
	c.expect(501, "PORT 127,0,0,1")
	c.expect(200, "EPRT !1!127.0.0.1!5000!") // any delimiter
	c.expect(200, "EPSV ALL")
	c.expect(503, "PASV")
	c.expect(503, "PORT 127,0,0,1,20,0")
	c.expect(503, "EPRT |1|127.0.0.1|5000|")
	c.expect(229, "EPSV")

	s6 := newServer(t, Config{Network: "tcp6"})
	c6 := dial(t, s6)
	c6.login()
	c6.expect(425, "PASV")
	c6.expect(522, "PORT 127,0,0,1,20,0")
	c6.expect(522, "EPSV 1")
	c6.expect(229, "EPSV 2")
	c6.expect(522, "EPRT |1|127.0.0.1|5000|")
}

// Active mode refuses an address other than the client's (RFC 2577).
func TestActiveBounce(t *testing.T) {
	s := newServer(t, Config{})
	c := dial(t, s)
	c.login()
	c.expect(500, "PORT 192,0,2,9,20,0")
	c.expect(500, "EPRT |1|10.1.2.3|2000|")
	c.expect(500, "PORT 127,0,0,1,0,0")
	c.expect(425, "RETR x") // no usable setup
}

func TestNoDataSetup(t *testing.T) {
	s := newServer(t, Config{})
	writeFile(t, s, "f", "x")
	c := dial(t, s)
	c.login()
	for _, cmd := range []string{"RETR f", "STOR g", "APPE g", "STOU", "LIST", "NLST", "MLSD"} {
		c.expect(425, "%s", cmd)
	}
}

// A passive data connection from another IP than the client's is refused;
// the server keeps waiting for the client's.
func TestPassiveForeignPeer(t *testing.T) {
	requireLoopbackAlias(t)
	s := newServer(t, Config{})
	writeFile(t, s, "f", "data")
	c := dial(t, s)
	c.login()
	port, _ := strconv.Atoi(epsvRE.FindStringSubmatch(c.expect(229, "EPSV"))[1])
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP("127.0.0.2")}, Timeout: testTimeout}
	foreign, err := d.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer foreign.Close()
	mine, err := net.DialTimeout("tcp", addr, testTimeout)
	if err != nil {
		t.Fatal(err)
	}
	defer mine.Close()
	c.send("RETR f")
	c.expectReply(150)
	_ = foreign.SetReadDeadline(time.Now().Add(testTimeout))
	if n, err := foreign.Read(make([]byte, 10)); err == nil {
		t.Errorf("foreign peer read %d bytes", n)
	}
	_ = mine.SetReadDeadline(time.Now().Add(testTimeout))
	if b, err := io.ReadAll(mine); err != nil || string(b) != "data" {
		t.Errorf("client read %q, %v", b, err)
	}
	c.expectReply(226)
	if dcs := s.DataConns(); len(dcs) != 1 || dcs[0].Remote != mine.LocalAddr().String() {
		t.Errorf("DataConns %+v", dcs)
	}
}

// requireLoopbackAlias skips the test when 127.0.0.2 cannot be bound
// (macOS has only 127.0.0.1 by default).
func requireLoopbackAlias(t *testing.T) {
	t.Helper()
	ln, err := net.Listen("tcp4", "127.0.0.2:0")
	if err != nil {
		t.Skipf("127.0.0.2 unavailable: %v", err)
	}
	ln.Close()
}

func TestRetrStorAppeRest(t *testing.T) {
	s := newServer(t, Config{})
	writeFile(t, s, "digits", "0123456789")
	c := dial(t, s)
	c.login()
	c.expect(200, "TYPE I")

	c.expect(350, "REST 4")
	if got := c.retr(modeEPSV, "digits"); got != "456789" {
		t.Errorf("REST 4 + RETR: %q", got)
	}
	// REST applies to one transfer only.
	if got := c.retr(modeEPSV, "digits"); got != "0123456789" {
		t.Errorf("RETR after REST: %q", got)
	}
	c.expect(350, "REST 3")
	c.stor(modeEPSV, "STOR digits", "abc")
	if got := readFile(t, s, "digits"); got != "012abc6789" {
		t.Errorf("REST 3 + STOR: %q", got)
	}
	c.stor(modeEPSV, "STOR digits", "new")
	if got := readFile(t, s, "digits"); got != "new" {
		t.Errorf("STOR truncates: %q", got)
	}
	c.stor(modeEPSV, "APPE digits", "+more")
	c.stor(modeEPSV, "APPE fresh", "created")
	if got := readFile(t, s, "digits") + "|" + readFile(t, s, "fresh"); got != "new+more|created" {
		t.Errorf("APPE: %q", got)
	}
	mark := c.stor(modeEPSV, "STOU", "unique")
	name, ok := strings.CutPrefix(mark, "FILE: ")
	if !ok || readFile(t, s, name) != "unique" {
		t.Errorf("STOU mark %q", mark)
	}
	c.stor(modeEPSV, "STOR empty", "")
	if got := readFile(t, s, "empty"); got != "" {
		t.Errorf("empty STOR: %q", got)
	}
	c.prepare(modeEPSV)
	c.expect(550, "RETR missing")
	c.expect(550, "RETR /")
	c.expect(553, "STOR nodir/file")
	c.expect(553, "STOR /")
}

func TestASCIIMode(t *testing.T) {
	s := newServer(t, Config{})
	writeFile(t, s, "text", "one\ntwo\r\nthree")
	c := dial(t, s)
	c.login()
	c.expect(200, "TYPE A")
	if got := c.retr(modePASV, "text"); got != "one\r\ntwo\r\r\nthree" {
		t.Errorf("ASCII RETR: %q", got)
	}
	if got := c.expect(213, "SIZE text"); got != "16" {
		t.Errorf("ASCII SIZE: %s", got)
	}
	// What RETR sent stores back as the same file.
	c.stor(modePASV, "STOR copy", "one\r\ntwo\r\r\nthree")
	if got := readFile(t, s, "copy"); got != "one\ntwo\r\nthree" {
		t.Errorf("ASCII STOR: %q", got)
	}
	c.stor(modePASV, "STOR cr", "a\rb\r")
	if got := readFile(t, s, "cr"); got != "a\rb\r" {
		t.Errorf("ASCII STOR bare CR: %q", got)
	}
	c.expect(200, "TYPE I")
	if got := c.expect(213, "SIZE text"); got != "14" {
		t.Errorf("binary SIZE: %s", got)
	}
}

func TestConversionChunks(t *testing.T) {
	in := "a\r\nb\r\r\nc\rd\r"
	for split := range len(in) + 1 {
		var out []byte
		out, cr := fromCRLF(nil, []byte(in[:split]), false)
		out, cr = fromCRLF(out, []byte(in[split:]), cr)
		if cr {
			out = append(out, '\r')
		}
		if string(out) != "a\nb\r\nc\rd\r" {
			t.Errorf("split %d: %q", split, out)
		}
	}
	if got := string(toCRLF(nil, []byte("\nx\n\r\n"))); got != "\r\nx\r\n\r\r\n" {
		t.Errorf("toCRLF: %q", got)
	}
}

// A QUIT sent during a transfer is answered after the transfer's 226.
func TestQuitDuringTransfer(t *testing.T) {
	s := newServer(t, Config{})
	writeFile(t, s, "big", strings.Repeat("x", 1<<20))
	c := dial(t, s)
	c.login()
	c.expect(200, "TYPE I")
	get := c.prepare(modeEPSV)
	c.send("RETR big")
	dc := get()
	c.expectReply(150)
	c.send("QUIT")
	b, err := io.ReadAll(dc)
	if err != nil || len(b) != 1<<20 {
		t.Fatalf("read %d bytes, %v", len(b), err)
	}
	c.expectReply(226)
	c.expectReply(221)
	c.expectClosed()
}

// Pipelined commands are answered in order, after the transfer.
func TestCommandsWaitForTransfer(t *testing.T) {
	s := newServer(t, Config{})
	writeFile(t, s, "f", "content")
	c := dial(t, s)
	c.login()
	get := c.prepare(modeEPSV)
	c.send("RETR f")
	c.send("NOOP")
	dc := get()
	c.expectReply(150)
	if b, _ := io.ReadAll(dc); string(b) != "content" {
		t.Errorf("read %q", b)
	}
	c.expectReply(226)
	c.expectReply(200)
	if got := fmt.Sprint(s.Commands()); got != "[USER user PASS pass EPSV RETR f NOOP]" {
		t.Errorf("commands %s", got)
	}
}
