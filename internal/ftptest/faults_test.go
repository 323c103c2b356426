package ftptest

import (
	"io"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestFault421At(t *testing.T) {
	s := newServer(t, Config{Fault421At: 3})
	c := dial(t, s)
	c.expect(331, "USER user")
	c.expect(230, "PASS pass")
	c.expect(421, "PWD")
	c.expectClosed()
	// The count runs over the server's life: later commands are served.
	c2 := dial(t, s)
	c2.login()
	c2.expect(257, "PWD")
}

func TestDropDataAfter(t *testing.T) {
	s := newServer(t, Config{DropDataAfter: 1000})
	writeFile(t, s, "big", strings.Repeat("0123456789", 10000))
	c := dial(t, s)
	c.login()
	c.expect(200, "TYPE I")

	get := c.prepare(modeEPSV)
	c.send("RETR big")
	dc := get()
	c.expectReply(150)
	b, _ := io.ReadAll(dc) // an RST may cut the read short
	if len(b) > 1000 {
		t.Errorf("read %d bytes, want at most 1000", len(b))
	}
	c.expectReply(426)

	get = c.prepare(modeEPSV)
	c.send("STOR up")
	dc = get()
	c.expectReply(150)
	_, _ = dc.Write([]byte(strings.Repeat("x", 100000))) // may fail on the RST
	dc.Close()
	c.expectReply(426)
	if got := readFile(t, s, "up"); len(got) != 1000 {
		t.Errorf("stored %d bytes, want 1000", len(got))
	}
	// A file no longer than the limit moves whole.
	writeFile(t, s, "small", strings.Repeat("s", 1000))
	if got := c.retr(modeEPSV, "small"); len(got) != 1000 {
		t.Errorf("small file: %d bytes", len(got))
	}
	if d := s.DataConns(); len(d) != 3 || d[0].Bytes != 1000 || d[1].Bytes != 1000 {
		t.Errorf("DataConns %+v", d)
	}
}

// The 227 reply carries PASVAddress; the data connection still works to
// the control connection's address.
func TestPASVAddress(t *testing.T) {
	s := newServer(t, Config{PASVAddress: "10.9.8.7"})
	writeFile(t, s, "f", "via control IP")
	c := dial(t, s)
	c.login()
	if msg := c.expect(227, "PASV"); !strings.HasPrefix(msg, "Entering Passive Mode (10,9,8,7,") {
		t.Errorf("227 %q", msg)
	}
	if got := c.retr(modePASV, "f"); got != "via control IP" {
		t.Errorf("RETR %q", got)
	}
}

func TestActiveSourceIP(t *testing.T) {
	requireLoopbackAlias(t)
	s := newServer(t, Config{ActiveSourceIP: "127.0.0.2"})
	writeFile(t, s, "f", "from elsewhere")
	c := dial(t, s)
	c.login()
	for _, mode := range []dataMode{modePORT, modeEPRT} {
		get := c.prepare(mode)
		c.send("RETR f")
		dc := get()
		if ip := hostOf(dc.RemoteAddr().String()); ip != "127.0.0.2" {
			t.Errorf("%s: data connection from %s", mode, ip)
		}
		c.expectReply(150)
		if b, _ := io.ReadAll(dc); string(b) != "from elsewhere" {
			t.Errorf("%s: read %q", mode, b)
		}
		c.expectReply(226)
	}
}

func TestHookReplies(t *testing.T) {
	long := "200 " + strings.Repeat("x", 10000) + "\r\n"
	epsv := 0
	s := newServer(t, Config{Hook: func(c Command) *Reply {
		switch c.Verb {
		case "EPSV":
			if epsv++; epsv == 2 {
				return &Reply{Code: 500, Text: "EPSV not today."}
			}
		case "SYST":
			return &Reply{Raw: []byte(long)}
		case "NOOP":
			return &Reply{Code: 211, Text: "one\ntwo\nthree"}
		case "PWD":
			if c.Arg == "late" {
				return &Reply{Delay: 200 * time.Millisecond}
			}
		case "MODE":
			return &Reply{Code: 200, Text: "bye", Close: true}
		}
		return nil
	}})
	c := dial(t, s)
	c.login()
	c.expect(229, "EPSV")
	c.expect(500, "EPSV")
	c.expect(229, "EPSV")
	c.send("SYST")
	if line := c.readLine(); line != long {
		t.Errorf("raw reply of %d bytes", len(line))
	}
	if msg := c.expect(211, "NOOP"); msg != "one\ntwo\nthree" {
		t.Errorf("multi-line %q", msg)
	}
	start := time.Now()
	if msg := c.expect(257, "PWD late"); msg != `"/" is the current directory` {
		t.Errorf("delayed PWD %q", msg)
	}
	if d := time.Since(start); d < 200*time.Millisecond {
		t.Errorf("PWD answered after %v", d)
	}
	c.expect(200, "MODE S")
	c.expectClosed()
	if cmds := s.SessionCommands(1); len(cmds) != 9 || cmds[8] != "MODE S" {
		t.Errorf("commands %q", cmds)
	}
}

// A reply that only adjusts: the normal reply, then the connection closes.
func TestHookAdjustClose(t *testing.T) {
	s := newServer(t, Config{Hook: func(c Command) *Reply {
		if c.Verb == "SYST" {
			return &Reply{Close: true}
		}
		return nil
	}})
	c := dial(t, s)
	c.expect(215, "SYST")
	c.expectClosed()
}

func TestHookEndless(t *testing.T) {
	s := newServer(t, Config{Hook: func(c Command) *Reply {
		if c.Verb == "HELP" {
			return &Reply{Endless: true}
		}
		return nil
	}})
	c := dial(t, s)
	c.send("HELP")
	for i := 1; i <= 5000; i++ {
		want := "123-line " + strconv.Itoa(i) + "\r\n"
		if line := c.readLine(); line != want {
			t.Fatalf("line %d: %q", i, line)
		}
	}
	c.conn.Close() // the server stops when its writes fail
}

// A stalled reply sends nothing; the session lasts until Close.
func TestHookStall(t *testing.T) {
	called := make(chan struct{})
	s := newServer(t, Config{Hook: func(c Command) *Reply {
		if c.Verb == "PWD" {
			close(called)
			return &Reply{Raw: []byte("257-partial\r\n"), Stall: true}
		}
		return nil
	}})
	c := dial(t, s)
	c.login()
	c.send("PWD")
	<-called
	if line := c.readLine(); line != "257-partial\r\n" {
		t.Errorf("line %q", line)
	}
	closed := make(chan struct{})
	go func() {
		s.Close()
		close(closed)
	}()
	select {
	case <-closed:
	case <-time.After(testTimeout):
		t.Fatal("Close hangs on a stalled session")
	}
	_ = c.conn.SetReadDeadline(time.Now().Add(testTimeout))
	if b, err := io.ReadAll(c.br); len(b) != 0 {
		t.Errorf("after the stall: %q, %v", b, err)
	}
}

func TestGreetingStall(t *testing.T) {
	s := newServer(t, Config{Greeting: &Reply{Stall: true}})
	c := dialRaw(t, s)
	c.send("USER user") // recorded, never answered
	start := time.Now()
	s.Close()
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("Close took %v", d)
	}
	_ = c.conn.SetReadDeadline(time.Now().Add(testTimeout))
	if b, _ := io.ReadAll(c.br); len(b) != 0 {
		t.Errorf("stalled greeting sent %q", b)
	}
}

func TestTransferHooks(t *testing.T) {
	var (
		mu      sync.Mutex
		opts    *Transfer
		replace *Reply
	)
	set := func(o *Transfer, r *Reply) {
		mu.Lock()
		opts, replace = o, r
		mu.Unlock()
	}
	s := newServer(t, Config{Hook: func(c Command) *Reply {
		mu.Lock()
		defer mu.Unlock()
		switch {
		case replace != nil && (c.Verb == "RETR" || c.Verb == "LIST"):
			return replace
		case opts != nil && (c.Verb == "RETR" || c.Verb == "LIST" || c.Verb == "STOR"):
			return &Reply{Transfer: opts}
		}
		return nil
	}})
	writeFile(t, s, "f", "file data")
	c := dial(t, s)
	c.login()
	c.expect(200, "TYPE I")

	t.Run("coalesce", func(t *testing.T) {
		set(&Transfer{Coalesce: true}, nil)
		get := c.prepare(modeEPSV)
		c.send("RETR f")
		dc := get()
		if line := c.readLine(); !strings.HasPrefix(line, "150 ") {
			t.Fatalf("line %q", line)
		}
		if n := c.br.Buffered(); n == 0 {
			t.Error("150 and 226 came in separate reads")
		}
		c.expectReply(226)
		if b, _ := io.ReadAll(dc); string(b) != "file data" {
			t.Errorf("data %q", b)
		}
	})
	t.Run("final first", func(t *testing.T) {
		set(&Transfer{FinalFirst: true, Mark: &Reply{Code: 125, Text: "Data connection already open."}}, nil)
		get := c.prepare(modePASV)
		c.send("RETR f")
		dc := get()
		c.expectReply(125)
		c.expectReply(226)
		if b, _ := io.ReadAll(dc); string(b) != "file data" {
			t.Errorf("data %q", b)
		}
	})
	t.Run("hostile listing", func(t *testing.T) {
		listing := "-rw-r--r--    1 ftp      ftp             3 Jan  1  2020 ../../evil\r\n"
		set(&Transfer{Data: []byte(listing)}, nil)
		if got := c.list(modeEPSV, "LIST"); got != listing {
			t.Errorf("listing %q", got)
		}
	})
	t.Run("RETR data", func(t *testing.T) {
		set(&Transfer{Data: []byte("not on disk")}, nil)
		if got := c.retr(modeEPSV, "nonexistent"); got != "not on disk" {
			t.Errorf("data %q", got)
		}
	})
	t.Run("drop", func(t *testing.T) {
		set(&Transfer{DropAfter: 4}, nil)
		get := c.prepare(modeEPSV)
		c.send("RETR f")
		dc := get()
		c.expectReply(150)
		if b, _ := io.ReadAll(dc); len(b) > 4 {
			t.Errorf("data %q", b)
		}
		c.expectReply(426)
	})
	t.Run("final override", func(t *testing.T) {
		set(&Transfer{Final: &Reply{Code: 451, Text: "Disk on fire."}}, nil)
		get := c.prepare(modeEPSV)
		c.send("STOR g")
		dc := get()
		c.expectReply(150)
		_, _ = io.WriteString(dc, "data")
		dc.Close()
		if msg := c.expectReply(451); msg != "Disk on fire." {
			t.Errorf("final %q", msg)
		}
	})
	t.Run("421 mid-transfer", func(t *testing.T) {
		set(&Transfer{Final: &Reply{Code: 421, Text: "Timeout."}, DropAfter: 2}, nil)
		get := c.prepare(modeEPSV)
		c.send("RETR f")
		dc := get()
		c.expectReply(150)
		_, _ = io.ReadAll(dc)
		c.expectReply(421)
		c.expectClosed()
	})
	c = dial(t, s)
	c.login()
	t.Run("421 instead of 150", func(t *testing.T) {
		set(nil, &Reply{Code: 421, Text: "Going down."})
		c.prepare(modeEPSV)
		c.expect(421, "RETR f")
		c.expectClosed()
	})
}

// A final reply that stalls: data, then nothing, until Close.
func TestTransferFinalStall(t *testing.T) {
	s := newServer(t, Config{Hook: func(c Command) *Reply {
		if c.Verb == "LIST" {
			return &Reply{Transfer: &Transfer{Final: &Reply{Stall: true}}}
		}
		return nil
	}})
	writeFile(t, s, "f", "x")
	c := dial(t, s)
	c.login()
	get := c.prepare(modeEPSV)
	c.send("LIST")
	dc := get()
	c.expectReply(150)
	if b, err := io.ReadAll(dc); err != nil || !strings.HasSuffix(string(b), " f\r\n") {
		t.Errorf("listing %q, %v", b, err)
	}
	c.send("NOOP") // waits behind the stalled transfer
	s.Close()
	_ = c.conn.SetReadDeadline(time.Now().Add(testTimeout))
	if b, _ := io.ReadAll(c.br); len(b) != 0 {
		t.Errorf("after the stall: %q", b)
	}
}

func TestCloseIsPrompt(t *testing.T) {
	hooked := make(chan struct{}, 16)
	s := newServer(t, Config{Hook: func(c Command) *Reply {
		hooked <- struct{}{}
		switch c.Verb {
		case "PWD":
			return &Reply{Delay: time.Hour}
		case "HELP":
			return &Reply{Endless: true}
		case "RETR":
			return &Reply{Transfer: &Transfer{Pause: true, PauseAfter: 1}}
		}
		return nil
	}, Greeting: &Reply{Code: 230, Text: "in"}})
	writeFile(t, s, "f", "data")
	delayed := dialRaw(t, s)
	delayed.expectReply(230)
	delayed.send("PWD")
	endless := dialRaw(t, s)
	endless.expectReply(230)
	endless.send("HELP") // and never read
	paused := dialRaw(t, s)
	paused.expectReply(230)
	get := paused.prepare(modeEPSV)
	paused.send("RETR f")
	dc := get()
	paused.expectReply(150)
	if _, err := io.ReadFull(dc, make([]byte, 1)); err != nil {
		t.Fatal(err)
	}
	for range 4 { // PWD, HELP, EPSV, RETR
		<-hooked
	}
	start := time.Now()
	s.Close()
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("Close took %v", d)
	}
	if _, err := net.Dial("tcp", s.Addr()); err == nil {
		t.Error("server still accepts connections")
	}
	s.Close() // idempotent
}

// A 421 during a transfer ends the session: nothing follows it, not even
// the transfer's 426.
func TestFault421DuringTransfer(t *testing.T) {
	s := newServer(t, Config{Fault421At: 5, Hook: pauseHook(1)})
	writeFile(t, s, "f", "data")
	c := dial(t, s)
	c.login()
	get := c.prepare(modeEPSV)
	c.send("RETR f")
	dc := get()
	c.expectReply(150)
	c.expect(421, "NOOP")
	c.expectClosed()
	_ = dc.SetReadDeadline(time.Now().Add(testTimeout))
	if b, _ := io.ReadAll(dc); len(b) > 1 {
		t.Errorf("data %q", b)
	}
}

func TestHookCommandFields(t *testing.T) {
	var (
		mu  sync.Mutex
		got []Command
	)
	s := newServer(t, Config{Hook: func(c Command) *Reply {
		mu.Lock()
		got = append(got, c)
		mu.Unlock()
		return nil
	}})
	c1 := dial(t, s)
	c1.expect(331, "user  two  spaces")
	c2 := dial(t, s)
	c2.expect(200, "NOOP")
	c1.expect(200, "Noop")
	want := []Command{
		{Session: 1, Seq: 1, Global: 1, Verb: "USER", Arg: " two  spaces", Raw: "user  two  spaces"},
		{Session: 2, Seq: 1, Global: 2, Verb: "NOOP", Raw: "NOOP"},
		{Session: 1, Seq: 2, Global: 3, Verb: "NOOP", Raw: "Noop"},
	}
	mu.Lock()
	defer mu.Unlock()
	if len(got) != len(want) {
		t.Fatalf("hook saw %+v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("command %d: %+v, want %+v", i, got[i], want[i])
		}
	}
	if s.Sessions() != 2 || len(s.SessionCommands(2)) != 1 || s.SessionCommands(3) != nil {
		t.Errorf("sessions %d, %q", s.Sessions(), s.SessionCommands(2))
	}
}
