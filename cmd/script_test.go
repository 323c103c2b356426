package cmd_test

import (
	"errors"
	"flag"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/ferry-ftp/ferry/cmd"
	"github.com/ferry-ftp/ferry/internal/ftptest"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"ferry": func() { os.Exit(cmd.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) },
	})
}

// TestScripts runs the scripts in testdata/script: each runs the real
// ferry binary against an in-process FTP server.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		RequireExplicitExec: true,
		Setup: func(env *testscript.Env) error {
			home := filepath.Join(env.WorkDir, "home")
			env.Setenv("HOME", home)
			env.Setenv("XDG_CONFIG_HOME", filepath.Join(home, ".config"))
			env.Setenv("XDG_STATE_HOME", filepath.Join(home, ".local", "state"))
			env.Setenv("FERRY_PASSWORD", "")
			return os.MkdirAll(home, 0o700)
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"ftpserver":   ftpServerCmd(t),
			"exitcode":    exitCodeCmd,
			"chmodfile":   chmodFileCmd,
			"mkfile":      mkFileCmd,
			"settime":     setTimeCmd,
			"sametime":    sameTimeCmd,
			"mtimevar":    mtimeVarCmd,
			"ftpcmds":     ftpCmdsCmd,
			"stopwatch":   stopwatchCmd,
			"lstree":      lsTreeCmd,
			"tempname":    tempNameCmd,
			"puttempname": putTempNameCmd,
			"rawenv":      rawEnvCmd,
		},
	})
}

// ftpServerCmd starts an in-process FTP server for the script:
//
//	ftpserver [-root DIR] [-home /LOGIN] [-tls explicit|implicit] [-6] [-anon] [-disable VERB,...]
//	          [-disablecode 500|501|502|504] [-missing450]
//	          [-dropfirst VERB:BYTES] [-fault421 N] [-garbage VERB] [-name NAME]
//	          [hostile flags: see hostileFlags]
//
// It sets $NAME_ADDR (host:port, bracketed for IPv6), $NAME_HOST, $NAME_PORT
// and $NAME_ROOT, NAME defaulting to FTP, and writes the server's
// certificate to $WORK/NAME-ca.pem. The user is "user" with password
// "pass".
func ftpServerCmd(t *testing.T) func(ts *testscript.TestScript, neg bool, args []string) {
	var mu sync.Mutex // ftptest.New with the parent test is not reentrant-safe for Fatal
	return func(ts *testscript.TestScript, neg bool, args []string) {
		if neg {
			ts.Fatalf("ftpserver cannot be negated")
		}
		fs := flag.NewFlagSet("ftpserver", flag.ContinueOnError)
		root := fs.String("root", "", "served folder, relative to $WORK")
		tlsMode := fs.String("tls", "", "explicit or implicit")
		v6 := fs.Bool("6", false, "listen on ::1")
		anon := fs.Bool("anon", false, "accept anonymous logins")
		disable := fs.String("disable", "", "verbs answered 502")
		disableCode := fs.Int("disablecode", 0, "the code -disable's verbs get instead of 502")
		missing450 := fs.Bool("missing450", false, "LIST and NLST of a missing path: 150, then 450 (proftpd)")
		dropFirst := fs.String("dropfirst", "", "VERB:BYTES: cut the first such transfer after BYTES")
		fault421 := fs.Int("fault421", 0, "answer the Nth command with 421")
		name := fs.String("name", "FTP", "prefix of the variables set")
		home := fs.String("home", "", "the login folder, absolute")
		garbage := fs.String("garbage", "", "answer this verb with a line that is not a reply")
		listZone := fs.Duration("listzone", 0, "list LIST times this far ahead of UTC (3h: a server in UTC+03:00)")
		hostile := addHostileFlags(fs)
		if err := fs.Parse(args); err != nil {
			ts.Fatalf("ftpserver: %v", err)
		}
		cfg := ftptest.Config{Anonymous: *anon, Fault421At: *fault421, Home: *home,
			DisableCode: *disableCode, MissingListing450: *missing450}
		if *listZone != 0 {
			cfg.ListZone = time.FixedZone("server", int(*listZone/time.Second))
		}
		if *root != "" {
			cfg.Root = ts.MkAbs(*root)
			if err := os.MkdirAll(cfg.Root, 0o755); err != nil {
				ts.Fatalf("ftpserver: %v", err)
			}
		} else {
			cfg.Root = ts.MkAbs(strings.ToLower(*name) + "-root")
			os.MkdirAll(cfg.Root, 0o755)
		}
		switch *tlsMode {
		case "":
		case "explicit":
			cfg.TLS = ftptest.TLSExplicit
		case "implicit":
			cfg.TLS = ftptest.TLSImplicit
		default:
			ts.Fatalf("ftpserver: -tls %q", *tlsMode)
		}
		if *v6 {
			cfg.Network = "tcp6"
		}
		if *disable != "" {
			cfg.Disable = strings.Split(*disable, ",")
		}
		if *dropFirst != "" {
			verb, n, ok := strings.Cut(*dropFirst, ":")
			bytes, err := strconv.ParseInt(n, 10, 64)
			if !ok || err != nil {
				ts.Fatalf("ftpserver: -dropfirst %q", *dropFirst)
			}
			var once sync.Once
			cfg.Hook = func(c ftptest.Command) *ftptest.Reply {
				var r *ftptest.Reply
				if c.Verb == verb {
					once.Do(func() { r = &ftptest.Reply{Transfer: &ftptest.Transfer{DropAfter: bytes}} })
				}
				return r
			}
		}
		if *garbage != "" {
			if cfg.Hook != nil {
				ts.Fatalf("ftpserver: -garbage and -dropfirst together are not supported")
			}
			verb := strings.ToUpper(*garbage)
			cfg.Hook = func(c ftptest.Command) *ftptest.Reply {
				if c.Verb == verb {
					return &ftptest.Reply{Raw: []byte("this is not an FTP reply\r\n")}
				}
				return nil
			}
		}
		hostile.apply(ts, &cfg)
		mu.Lock()
		srv := ftptest.New(t, cfg)
		mu.Unlock()
		ts.Defer(srv.Close)
		registerServer(ts, *name, srv)
		host, port, _ := net.SplitHostPort(srv.Addr())
		ts.Setenv(*name+"_ADDR", srv.Addr())
		ts.Setenv(*name+"_HOST", host)
		ts.Setenv(*name+"_PORT", port)
		ts.Setenv(*name+"_ROOT", cfg.Root)
		if err := os.WriteFile(ts.MkAbs(strings.ToLower(*name)+"-ca.pem"), srv.CertPEM(), 0o644); err != nil {
			ts.Fatalf("ftpserver: %v", err)
		}
	}
}

// exitCodeCmd runs a command and checks its exit code:
//
//	exitcode CODE command args...
//
// Its stdout and stderr can be matched afterwards like exec's.
func exitCodeCmd(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: exitcode CODE command args...")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("exitcode: %v", err)
	}
	err = ts.Exec(args[1], args[2:]...)
	got := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		got = ee.ExitCode()
	} else if err != nil {
		ts.Fatalf("exitcode: %v", err)
	}
	if got != want {
		ts.Fatalf("exit code %d, want %d", got, want)
	}
}

// chmodFileCmd sets a file's mode: chmodfile MODE FILE.
func chmodFileCmd(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: chmodfile MODE FILE")
	}
	m, err := strconv.ParseUint(args[0], 8, 32)
	if err != nil {
		ts.Fatalf("chmodfile: %v", err)
	}
	ts.Check(os.Chmod(ts.MkAbs(args[1]), os.FileMode(m)))
}

// mkFileCmd writes a file of pseudo-random bytes: mkfile FILE SIZE.
func mkFileCmd(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: mkfile FILE SIZE")
	}
	n, err := strconv.Atoi(args[1])
	if err != nil {
		ts.Fatalf("mkfile: %v", err)
	}
	b := make([]byte, n)
	x := uint32(2463534242)
	for i := range b {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		b[i] = byte(x)
	}
	p := ts.MkAbs(args[0])
	ts.Check(os.MkdirAll(filepath.Dir(p), 0o755))
	ts.Check(os.WriteFile(p, b, 0o644))
}

// setTimeCmd sets a file's modification time: settime FILE RFC3339.
func setTimeCmd(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: settime FILE RFC3339|DURATION (from now, as -2h)")
	}
	tm, err := time.Parse(time.RFC3339, args[1])
	if d, derr := time.ParseDuration(args[1]); derr == nil {
		tm, err = time.Now().Add(d).Truncate(time.Second), nil
	}
	if err != nil {
		ts.Fatalf("settime: %v", err)
	}
	ts.Check(os.Chtimes(ts.MkAbs(args[0]), tm, tm))
}

// mtimeVarCmd sets a variable to a file's modification time in UTC, to
// the minute, as ferry ls -l shows it: mtimevar NAME FILE.
func mtimeVarCmd(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: mtimevar NAME FILE")
	}
	fi, err := os.Stat(ts.MkAbs(args[1]))
	ts.Check(err)
	ts.Setenv(args[0], fi.ModTime().UTC().Format("2006-01-02 15:04"))
}

// sameTimeCmd checks that two files have the same modification time to
// the second: sametime A B (negated: they differ).
func sameTimeCmd(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: sametime A B")
	}
	a, err := os.Stat(ts.MkAbs(args[0]))
	ts.Check(err)
	b, err := os.Stat(ts.MkAbs(args[1]))
	ts.Check(err)
	same := a.ModTime().Truncate(time.Second).Equal(b.ModTime().Truncate(time.Second))
	if same == neg {
		ts.Fatalf("%s: %v, %s: %v", args[0], a.ModTime().UTC(), args[1], b.ModTime().UTC())
	}
}

// rawEnvCmd sets a variable to a value unquoted like the body of a Go
// string literal, so that a script can name files with bytes that are not
// UTF-8 (latin1, cp1251) in paths, URLs and built-in commands:
//
//	rawenv NAME 'caf\xe9.txt'
func rawEnvCmd(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: rawenv NAME VALUE")
	}
	v, err := unquote(args[1])
	if err != nil {
		ts.Fatalf("rawenv: %v", err)
	}
	ts.Setenv(args[0], v)
}
