package cmd_test

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/ferry-ftp/ferry/internal/ftptest"
)

// hostileFlags are the ftpserver flags that make the server hostile, for
// the hostile_*.txtar scripts:
//
//	-mlsd DIR=FILE     answer "MLSD DIR" with the lines of FILE
//	-list DIR=FILE     answer "LIST DIR" (or "LIST -a DIR") with the lines of FILE
//	-nlst DIR=FILE     answer "NLST DIR" with the lines of FILE
//	-pasv IP           announce IP in 227 replies
//	-activefrom IP     dial active-mode data connections from IP
//	-certhost NAME     present a certificate valid for NAME only
//	-greeting ACTION   replace the 220 greeting
//	-on VERB[@N]=ACTION  answer VERB (only its Nth use over the server's
//	                   life with @N; testscript reads # as a comment) with ACTION
//
// FILE is relative to $WORK; in each of its lines "$WORK" becomes the
// script's folder, the line is unquoted like the body of a Go string
// literal (so "\x1b", "\r" and "\\" work), and the lines are sent joined
// by CRLF. An ACTION is one of:
//
//	CODE [TEXT]   reply CODE TEXT (421 closes the connection)
//	raw:TEXT      write TEXT, unquoted like FILE lines, as the reply
//	longline      a reply line of 1 MiB
//	endless       an endless multi-line reply
//	stall         never answer
//	pause:N       move N bytes of data, then hold the data connection
//	drop:N        cut the data connection after N bytes (then 426)
//	drop421:N     cut the data connection after N bytes, then 421 and close
//	final:TEXT    run the transfer as usual, then reply "226 TEXT"
//	finalfirst    send 226 before any data
//	coalesce      send 150 and 226 in one write before any data
//	steal:TEXT    (PORT, EPRT) before answering as usual, connect to the
//	              announced address, send TEXT (unquoted like FILE lines)
//	              and close: anyone on the server's host can do that
//	data:N        send N bytes of "0123456789\n" lines as the file (endless:
//	              no end), with a 150 reply that announces no size
//	mark:TEXT     send "150 TEXT" as the preliminary reply of the transfer
type hostileFlags struct {
	mlsd, list, nlst       listingFlag
	pasv, activeFrom, cert string
	greeting               string
	rules                  []rule
}

// listingFlag maps a folder argument to a file of listing lines.
type listingFlag map[string]string

func (l listingFlag) String() string { return fmt.Sprint(map[string]string(l)) }

func (l listingFlag) Set(v string) error {
	dir, file, ok := strings.Cut(v, "=")
	if !ok {
		return fmt.Errorf("want DIR=FILE, got %q", v)
	}
	l[dir] = file
	return nil
}

// rule is one -on flag.
type rule struct {
	verb   string
	nth    int // 0: every use
	action string
}

// addHostileFlags registers the hostile flags on fs.
func addHostileFlags(fs *flag.FlagSet) *hostileFlags {
	h := &hostileFlags{mlsd: listingFlag{}, list: listingFlag{}, nlst: listingFlag{}}
	fs.Var(h.mlsd, "mlsd", "DIR=FILE: MLSD listing of DIR")
	fs.Var(h.list, "list", "DIR=FILE: LIST listing of DIR")
	fs.Var(h.nlst, "nlst", "DIR=FILE: NLST listing of DIR")
	fs.StringVar(&h.pasv, "pasv", "", "IP announced in 227 replies")
	fs.StringVar(&h.activeFrom, "activefrom", "", "source IP of active-mode data connections")
	fs.StringVar(&h.cert, "certhost", "", "the only name the certificate holds")
	fs.StringVar(&h.greeting, "greeting", "", "ACTION replacing the greeting")
	fs.Func("on", "VERB[@N]=ACTION", func(v string) error {
		spec, action, ok := strings.Cut(v, "=")
		if !ok {
			return fmt.Errorf("want VERB[@N]=ACTION, got %q", v)
		}
		verb, n, hasN := strings.Cut(spec, "@")
		r := rule{verb: strings.ToUpper(verb), action: action}
		if hasN {
			var err error
			if r.nth, err = strconv.Atoi(n); err != nil || r.nth < 1 {
				return fmt.Errorf("bad count in %q", spec)
			}
		}
		if _, err := parseAction(action); err != nil {
			return err
		}
		h.rules = append(h.rules, r)
		return nil
	})
	return h
}

// apply sets up cfg for the flags; the rules and listings are consulted
// before any hook cfg already has.
func (h *hostileFlags) apply(ts *testscript.TestScript, cfg *ftptest.Config) {
	cfg.PASVAddress = h.pasv
	cfg.ActiveSourceIP = h.activeFrom
	if h.cert != "" {
		cfg.CertHosts = []string{h.cert}
	}
	if h.greeting != "" {
		r, err := parseAction(h.greeting)
		if err != nil {
			ts.Fatalf("ftpserver: -greeting: %v", err)
		}
		cfg.Greeting = r
	}
	listings := map[string]listingFlag{"MLSD": h.mlsd, "LIST": h.list, "NLST": h.nlst}
	data := map[string][]byte{}
	for verb, l := range listings {
		for dir, file := range l {
			data[verb+" "+dir] = readListing(ts, file)
		}
	}
	if len(h.rules) == 0 && len(data) == 0 {
		return
	}
	next := cfg.Hook
	counts := map[string]int{}
	cfg.Hook = func(c ftptest.Command) *ftptest.Reply {
		counts[c.Verb]++
		for _, r := range h.rules {
			if r.verb == c.Verb && (r.nth == 0 || r.nth == counts[c.Verb]) {
				if text, ok := strings.CutPrefix(r.action, "steal:"); ok {
					stealActive(c, text)
					continue
				}
				reply, _ := parseAction(r.action)
				return reply
			}
		}
		arg := c.Arg
		if c.Verb == "LIST" {
			arg = strings.TrimPrefix(arg, "-a ")
		}
		if b, ok := data[c.Verb+" "+arg]; ok {
			return &ftptest.Reply{Transfer: &ftptest.Transfer{Data: b}}
		}
		if next != nil {
			return next(c)
		}
		return nil
	}
}

// stealActive connects to the address of a PORT or EPRT command, sends
// text and closes the connection. Failures are left for the script to see
// in what the client received.
func stealActive(c ftptest.Command, text string) {
	var addr string
	if f := strings.Split(c.Arg, ","); c.Verb == "PORT" && len(f) == 6 {
		hi, _ := strconv.Atoi(f[4])
		lo, _ := strconv.Atoi(f[5])
		addr = net.JoinHostPort(strings.Join(f[:4], "."), strconv.Itoa(hi<<8|lo))
	} else if f := strings.Split(c.Arg, "|"); c.Verb == "EPRT" && len(f) == 5 {
		addr = net.JoinHostPort(f[2], f[3])
	}
	u, _ := unquote(text)
	if nc, err := net.DialTimeout("tcp", addr, 5*time.Second); err == nil {
		nc.Write([]byte(u))
		nc.Close()
	}
}

// readListing reads a listing file: each line unquoted, joined by CRLF.
func readListing(ts *testscript.TestScript, file string) []byte {
	b, err := os.ReadFile(ts.MkAbs(file))
	ts.Check(err)
	var out bytes.Buffer
	for _, line := range strings.Split(strings.TrimSuffix(string(b), "\n"), "\n") {
		u, err := unquote(strings.ReplaceAll(line, "$WORK", ts.Getenv("WORK")))
		if err != nil {
			ts.Fatalf("ftpserver: %s: %v", file, err)
		}
		out.WriteString(u + "\r\n")
	}
	return out.Bytes()
}

// unquote decodes s like the body of a Go double-quoted string literal.
func unquote(s string) (string, error) {
	u, err := strconv.Unquote(`"` + strings.ReplaceAll(s, `"`, `\"`) + `"`)
	if err != nil {
		return "", fmt.Errorf("cannot unquote %q: %v", s, err)
	}
	return u, nil
}

// parseAction turns an ACTION of the -on and -greeting flags into a reply.
func parseAction(a string) (*ftptest.Reply, error) {
	kind, arg, _ := strings.Cut(a, ":")
	num := func() (int64, error) { return strconv.ParseInt(arg, 10, 64) }
	switch kind {
	case "raw":
		u, err := unquote(arg)
		return &ftptest.Reply{Raw: []byte(u)}, err
	case "longline":
		return &ftptest.Reply{Raw: append(bytes.Repeat([]byte("2"), 1<<20), "\r\n"...)}, nil
	case "endless":
		return &ftptest.Reply{Endless: true}, nil
	case "stall":
		return &ftptest.Reply{Stall: true}, nil
	case "final":
		// The transfer runs as usual; its final reply is 226 with TEXT.
		return &ftptest.Reply{Transfer: &ftptest.Transfer{Final: &ftptest.Reply{Code: 226, Text: arg}}}, nil
	case "finalfirst":
		return &ftptest.Reply{Transfer: &ftptest.Transfer{FinalFirst: true}}, nil
	case "coalesce":
		return &ftptest.Reply{Transfer: &ftptest.Transfer{Coalesce: true}}, nil
	case "steal":
		_, err := unquote(arg)
		return nil, err
	case "pause":
		n, err := num()
		return &ftptest.Reply{Transfer: &ftptest.Transfer{Pause: true, PauseAfter: n}}, err
	case "drop":
		n, err := num()
		return &ftptest.Reply{Transfer: &ftptest.Transfer{DropAfter: n}}, err
	case "data":
		if arg == "endless" {
			return &ftptest.Reply{Transfer: &ftptest.Transfer{Source: func() io.Reader { return &digits{} }}}, nil
		}
		n, err := num()
		return &ftptest.Reply{Transfer: &ftptest.Transfer{Source: func() io.Reader { return io.LimitReader(&digits{}, n) }}}, err
	case "mark":
		return &ftptest.Reply{Transfer: &ftptest.Transfer{Mark: &ftptest.Reply{Code: 150, Text: arg}}}, nil
	case "drop421":
		n, err := num()
		final := &ftptest.Reply{Code: 421, Text: "Server shutting down."}
		return &ftptest.Reply{Transfer: &ftptest.Transfer{DropAfter: n, Final: final}}, err
	}
	code, text, _ := strings.Cut(a, " ")
	n, err := strconv.Atoi(code)
	if err != nil || n < 100 || n > 599 {
		return nil, fmt.Errorf("unknown action %q", a)
	}
	return &ftptest.Reply{Code: n, Text: text}, nil
}

// digits is an endless stream of the line "0123456789\n".
type digits struct{ n int }

func (g *digits) Read(b []byte) (int, error) {
	for i := range b {
		b[i] = "0123456789\n"[g.n%11]
		g.n++
	}
	return len(b), nil
}

// servers holds the servers each script started, by name, for ftpcmds.
var servers = struct {
	sync.Mutex
	m map[*testscript.TestScript]map[string]*ftptest.Server
}{m: map[*testscript.TestScript]map[string]*ftptest.Server{}}

// registerServer makes srv known to ftpcmds under name for the script.
func registerServer(ts *testscript.TestScript, name string, srv *ftptest.Server) {
	servers.Lock()
	defer servers.Unlock()
	if servers.m[ts] == nil {
		servers.m[ts] = map[string]*ftptest.Server{}
		ts.Defer(func() {
			servers.Lock()
			delete(servers.m, ts)
			servers.Unlock()
		})
	}
	servers.m[ts][name] = srv
}

// ftpCmdsCmd prints the command lines a server received since the last
// ftpcmds, one a line, with control characters escaped as in Go
// strings, so that stdout can match them:
//
//	ftpcmds [NAME]
func ftpCmdsCmd(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) > 1 {
		ts.Fatalf("usage: ftpcmds [NAME]")
	}
	name := "FTP"
	if len(args) == 1 {
		name = args[0]
	}
	servers.Lock()
	srv := servers.m[ts][name]
	servers.Unlock()
	if srv == nil {
		ts.Fatalf("ftpcmds: no server %s", name)
	}
	// ferry sends QUIT without waiting for the reply: the server may not
	// have read it when ferry exits, but has once the session ended.
	if !srv.WaitSessions(10 * time.Second) {
		ts.Logf("ftpcmds: sessions of %s still open", name)
	}
	out := ts.Stdout() // called even for no commands, so that stdout is reset
	for _, c := range srv.Commands() {
		q := strconv.Quote(c)
		fmt.Fprintln(out, q[1:len(q)-1])
	}
	srv.ResetCommands()
}

// stopwatchCmd bounds how long commands take, to show that a stalled
// server does not hang ferry:
//
//	stopwatch start
//	stopwatch under DURATION
func stopwatchCmd(ts *testscript.TestScript, neg bool, args []string) {
	switch {
	case !neg && len(args) == 1 && args[0] == "start":
		ts.Setenv("STOPWATCH", strconv.FormatInt(time.Now().UnixNano(), 10))
	case !neg && len(args) == 2 && args[0] == "under":
		max, err := time.ParseDuration(args[1])
		ts.Check(err)
		start, err := strconv.ParseInt(ts.Getenv("STOPWATCH"), 10, 64)
		if err != nil {
			ts.Fatalf("stopwatch: not started")
		}
		if took := time.Since(time.Unix(0, start)); took > max {
			ts.Fatalf("took %v, want under %v", took.Round(time.Millisecond), max)
		}
	default:
		ts.Fatalf("usage: stopwatch start | stopwatch under DURATION")
	}
}

// lsTreeCmd prints every path below a folder, sorted, one a line, with
// "/" after folders and " -> TARGET" after symbolic links, and control
// characters escaped as in Go strings, so that a script can compare the
// whole tree with cmp:
//
//	lstree DIR
func lsTreeCmd(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: lstree DIR")
	}
	root := ts.MkAbs(args[0])
	var lines []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == root {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		line := strconv.Quote(filepath.ToSlash(rel))
		line = line[1 : len(line)-1]
		switch {
		case d.Type()&fs.ModeSymlink != 0:
			target, _ := os.Readlink(p)
			line += " -> " + target
		case d.IsDir():
			line += "/"
		}
		lines = append(lines, line)
		return nil
	})
	ts.Check(err)
	sort.Strings(lines)
	out := ts.Stdout() // called even for an empty tree, so that stdout is reset
	for _, l := range lines {
		fmt.Fprintln(out, l)
	}
}
