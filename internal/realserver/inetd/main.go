// Command inetd is the accept loop internal/realserver runs FTP servers
// made for inetd under (inetutils-ftpd, ftpd-ssl): it listens on one
// address and starts the server for each connection with the connection as
// its standard input and output, as inetd's "nowait" services are started.
// The servers' own standalone modes (-D) listen on the port of the "ftp"
// service and on every address, which parallel tests cannot share.
//
//	inetd -listen HOST:PORT [-bind SRC:DST]... [-max N] -- PROGRAM ARG...
//
// Each -bind mounts the file or folder SRC over DST before the first connection is
// accepted. The launcher starts inetd in a mount namespace of its own, so
// that the servers it starts see the file (a passwd file giving the test
// account its home folder and a shell) and nothing else on the machine
// does. Without a private mount namespace -bind is refused.
//
// inetd runs until it receives SIGTERM or SIGINT; the servers it started
// are in its process group, which the launcher ends as a whole. Messages
// go to standard error.
package main

import (
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"sync"
	"syscall"
)

func main() {
	log.SetPrefix("inetd: ")
	log.SetFlags(log.LstdFlags | log.Lmicroseconds)
	if err := run(os.Args[1:]); err != nil {
		log.Fatal(err)
	}
}

// bindList collects -bind SRC:DST flags.
type bindList [][2]string

func (b *bindList) String() string { return fmt.Sprint(*b) }

func (b *bindList) Set(v string) error {
	src, dst, ok := strings.Cut(v, ":")
	if !ok || src == "" || dst == "" {
		return fmt.Errorf("want SRC:DST, got %q", v)
	}
	*b = append(*b, [2]string{src, dst})
	return nil
}

func run(args []string) error {
	fs := flag.NewFlagSet("inetd", flag.ContinueOnError)
	listen := fs.String("listen", "", "`host:port` to accept connections on")
	maxConns := fs.Int("max", 200, "connections served at once; more are closed at once")
	var binds bindList
	fs.Var(&binds, "bind", "mount the file or folder `SRC:DST` over DST (repeatable)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	argv := fs.Args()
	if *listen == "" || len(argv) == 0 {
		return errors.New("usage: inetd -listen HOST:PORT [-bind SRC:DST]... -- PROGRAM ARG...")
	}
	if err := bindFiles(binds); err != nil {
		return err
	}
	l, err := net.Listen("tcp", *listen)
	if err != nil {
		return err
	}
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM, syscall.SIGINT)
	go func() {
		<-sigs
		l.Close()
	}()
	log.Printf("listening on %s for %s", l.Addr(), strings.Join(argv, " "))

	var wg sync.WaitGroup
	slots := make(chan struct{}, *maxConns)
	for {
		conn, err := l.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				break
			}
			return err
		}
		select {
		case slots <- struct{}{}:
		default:
			log.Printf("%s: %d connections already, closed", conn.RemoteAddr(), *maxConns)
			conn.Close()
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-slots }()
			serve(conn.(*net.TCPConn), argv)
		}()
	}
	wg.Wait()
	return nil
}

// serve runs one instance of the server on conn and waits for it.
func serve(conn *net.TCPConn, argv []string) {
	peer := conn.RemoteAddr()
	f, err := conn.File() // a blocking duplicate, as the server expects
	conn.Close()
	if err != nil {
		log.Printf("%s: %v", peer, err)
		return
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = f, f, os.Stderr
	err = cmd.Start()
	f.Close() // the server has its own copy
	if err != nil {
		log.Printf("%s: %v", peer, err)
		return
	}
	if err := cmd.Wait(); err != nil {
		log.Printf("%s: %s: %v", peer, argv[0], err)
	}
}

// bindFiles mounts each source file over its target. It refuses to when
// the process shares its mount namespace with its parent: the mounts would
// then be seen outside, perhaps by the whole machine.
func bindFiles(binds bindList) error {
	if len(binds) == 0 {
		return nil
	}
	own, err1 := os.Readlink("/proc/self/ns/mnt")
	parent, err2 := os.Readlink(fmt.Sprintf("/proc/%d/ns/mnt", os.Getppid()))
	if err := errors.Join(err1, err2); err != nil {
		return fmt.Errorf("cannot tell the mount namespace: %w", err)
	}
	if own == parent {
		return errors.New("-bind needs a mount namespace of its own (start inetd with CLONE_NEWNS)")
	}
	for _, b := range binds {
		if err := syscall.Mount(b[0], b[1], "", syscall.MS_BIND, ""); err != nil {
			return fmt.Errorf("bind %s over %s: %w", b[0], b[1], err)
		}
	}
	return nil
}
