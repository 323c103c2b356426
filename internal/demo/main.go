// Command demo shows ferry at work without any outside server: it starts
// ferry's in-process test FTP server on 127.0.0.1 with a few sample files
// and runs some ferry commands against it, printing each one first.
//
//	go run ./internal/demo          (or: make demo)
//	go run ./internal/demo -keep    keep serving until Ctrl-C
package main

import (
	"crypto/rand"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"

	"github.com/ferry-ftp/ferry/cmd"
	"github.com/ferry-ftp/ferry/internal/ftptest"
)

func main() {
	keep := flag.Bool("keep", false, "keep the server running after the demo, until Ctrl-C")
	flag.Parse()
	if err := run(os.Stdin, os.Stdout, os.Stderr, *keep); err != nil {
		fmt.Fprintln(os.Stderr, "demo:", err)
		os.Exit(1)
	}
}

// run prepares the files, starts the server and runs the commands.
func run(stdin io.Reader, stdout, stderr io.Writer, keep bool) error {
	work, err := os.MkdirTemp("", "ferry-demo-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	root := filepath.Join(work, "server")
	local := filepath.Join(work, "local")
	if err := sampleFiles(root, local); err != nil {
		return err
	}
	srv, err := ftptest.Start(ftptest.Config{
		Root:  root,
		Users: map[string]string{"demo": "demo"},
		TLS:   ftptest.TLSExplicit,
	})
	if err != nil {
		return err
	}
	defer srv.Close()
	ca := filepath.Join(work, "demo-ca.pem")
	if err := os.WriteFile(ca, srv.CertPEM(), 0o644); err != nil {
		return err
	}
	// Trust the demo server's certificate, as a real CA would be.
	os.Setenv("SSL_CERT_FILE", ca)
	os.Setenv("XDG_CONFIG_HOME", filepath.Join(work, "config"))

	url := "ftp://demo:demo@" + srv.Addr()
	fmt.Fprintf(stdout, "ferry demo: a test FTP server with sample files runs at %s (user demo, password demo)\n\n", srv.Addr())
	steps := [][]string{
		{"ls", "-l", url + "/"},
		{"ls", "-R", url + "/pub/"},
		{"cat", url + "/pub/README.txt"},
		{"get", url + "/pub/ferry-demo.iso", "-o", filepath.Join(local, "ferry-demo.iso")},
		{"get", url + "/pub/docs/*.txt", "-o", local + "/"},
		{"mirror", "--parallel", "4", url + "/pub/", filepath.Join(local, "pub")},
		{"put", filepath.Join(local, "ferry-demo.iso"), url + "/incoming/"},
		{"--active", "stat", url + "/incoming/ferry-demo.iso"},
		{"stat", "--json", url + "/pub/README.txt"},
		{"ls", "-l", "ftpes://demo:demo@" + srv.Addr() + "/incoming/"},
		{"mv", url + "/incoming/ferry-demo.iso", "uploaded.iso"},
		{"-v", "rm", url + "/incoming/uploaded.iso"},
	}
	for _, args := range steps {
		fmt.Fprintf(stdout, "$ ferry %s\n", strings.Join(args, " "))
		if code := cmd.Main(args, stdin, stdout, stderr); code != 0 {
			return fmt.Errorf("ferry %s: exit code %d", strings.Join(args, " "), code)
		}
		fmt.Fprintln(stdout)
	}
	if keep {
		fmt.Fprintf(stdout, "The server keeps running at %s; try: ferry ls %s/pub/\nPress Ctrl-C to stop.\n", srv.Addr(), url)
		sig := make(chan os.Signal, 1)
		signal.Notify(sig, os.Interrupt)
		<-sig
	}
	return nil
}

// sampleFiles fills the server's folder: text files, a folder tree, and a
// 64 MiB file that makes progress bars worth watching.
func sampleFiles(root, local string) error {
	files := map[string]string{
		"pub/README.txt":         "Welcome to the ferry demo server.\n",
		"pub/docs/guide.txt":     "ferry get, put, ls, cat, stat, mv, rm...\n",
		"pub/docs/changelog.txt": "0.1: first demo\n",
		"incoming/.keep":         "",
	}
	for name, body := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			return err
		}
	}
	f, err := os.Create(filepath.Join(root, "pub", "ferry-demo.iso"))
	if err != nil {
		return err
	}
	if _, err := io.CopyN(f, rand.Reader, 64<<20); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.MkdirAll(local, 0o755)
}
