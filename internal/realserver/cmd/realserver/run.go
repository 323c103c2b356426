package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/ferry-ftp/ferry/internal/realserver"
)

const usage = `usage:
  realserver install
  realserver start KIND [-tls none|explicit|implicit] [-6]
  realserver list

KIND is one of: vsftpd, pure-ftpd, proftpd, pyftpdlib, twisted, aioftp,
inetutils-ftpd, ftpd-ssl-de, ftpserverlib.
Exit status: 0 success, 1 failure, 2 bad usage.
`

// Exit codes.
const (
	exitOK      = 0
	exitFailure = 1
	exitUsage   = 2
)

// usageError is a mistake on the command line.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

// run executes one command and maps its error to an exit code.
func run(args []string, stdout, stderr io.Writer) int {
	err := dispatch(args, stdout, stderr)
	var ue *usageError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "realserver: %v\n%s", err, usage)
		return exitUsage
	default:
		fmt.Fprintf(stderr, "realserver: %v\n", err)
		return exitFailure
	}
}

func dispatch(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return &usageError{"missing command"}
	}
	switch args[0] {
	case "install":
		if len(args) > 1 {
			return &usageError{"install takes no arguments"}
		}
		return installRun(stderr)
	case "start":
		opts, err := parseStart(args[1:])
		if err != nil {
			return err
		}
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		defer stop()
		return startRun(ctx, opts, stdout, stderr)
	case "list":
		return listRun(stdout)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	return &usageError{fmt.Sprintf("unknown command %q", args[0])}
}

func installRun(stderr io.Writer) error {
	dir, err := realserver.CacheDir()
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "installing into %s\n", dir)
	began := time.Now()
	if err := realserver.Install(context.Background()); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "done in %v\n", time.Since(began).Round(time.Millisecond))
	return nil
}

// startOptions are the parsed arguments of start.
type startOptions struct {
	kind realserver.Kind
	opts realserver.Options
}

func parseStart(args []string) (*startOptions, error) {
	fs := flag.NewFlagSet("start", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	tlsFlag := fs.String("tls", "none", "none, explicit or implicit")
	v6 := fs.Bool("6", false, "listen on ::1")
	// The kind may come before or after the flags.
	var kinds []string
	for len(args) > 0 {
		if err := fs.Parse(args); err != nil {
			return nil, &usageError{err.Error()}
		}
		if fs.NArg() == 0 {
			break
		}
		kinds = append(kinds, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if len(kinds) != 1 {
		return nil, &usageError{"start needs one server kind"}
	}
	o := &startOptions{kind: realserver.Kind(kinds[0])}
	known := false
	for _, k := range realserver.Kinds {
		known = known || k == o.kind
	}
	if !known {
		return nil, &usageError{fmt.Sprintf("unknown server %q", kinds[0])}
	}
	mode, err := realserver.ParseTLSMode(*tlsFlag)
	if err != nil {
		return nil, &usageError{err.Error()}
	}
	o.opts = realserver.Options{TLS: mode, IPv6: *v6}
	if !realserver.Supports(o.kind, o.opts) {
		family := "IPv4"
		if *v6 {
			family = "IPv6"
		}
		return nil, fmt.Errorf("%s does not offer TLS %s over %s", o.kind, mode, family)
	}
	return o, nil
}

func startRun(ctx context.Context, o *startOptions, stdout, stderr io.Writer) error {
	s, err := realserver.Launch(ctx, o.kind, o.opts)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "kind=%s\naddr=%s\nuser=%s\npassword=%s\nhome=%s\ncert=%s\nlog=%s\n",
		s.Kind, s.Addr, s.User, s.Password, s.Home, s.CertFile, s.Log)
	fmt.Fprintf(stderr, "%s (TLS %s) ready in %v; interrupt to stop\n",
		s.Kind, o.opts.TLS, s.Startup.Round(time.Millisecond))
	<-ctx.Done()
	return s.Stop()
}

func listRun(stdout io.Writer) error {
	for _, k := range realserver.Kinds {
		fmt.Fprintf(stdout, "%-14s", k)
		for _, o := range realserver.AllOptions() {
			mark := "-"
			if realserver.Supports(k, o) {
				mark = "yes"
			}
			fmt.Fprintf(stdout, " %s=%s", o, mark)
		}
		fmt.Fprintln(stdout)
	}
	return nil
}
