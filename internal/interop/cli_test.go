package interop

import (
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/ferry-ftp/ferry/client"
	"github.com/ferry-ftp/ferry/cmd"
	"github.com/ferry-ftp/ferry/internal/realserver"
	"github.com/ferry-ftp/ferry/internal/testsupport"
	"github.com/ferry-ftp/ferry/ops"
)

// TestCLI runs ferry's commands through cmd.Run against vsftpd (IPv4), in
// passive and active mode, plain and with explicit TLS (ftpes://), and
// checks their output, the files they leave and their exit codes.
func TestCLI(t *testing.T) {
	skipShort(t)
	for _, tlsMode := range cliTLS {
		t.Run(tlsMode.String(), func(t *testing.T) {
			t.Parallel()
			s := realserver.StartOrSkip(t, realserver.Vsftpd, realserver.Options{TLS: tlsMode})
			if tlsMode != realserver.TLSNone {
				if err := trustRunCert(s); err != nil {
					t.Fatal(err)
				}
			}
			for _, mode := range modes {
				t.Run(mode.String(), func(t *testing.T) {
					t.Parallel()
					runCLI(t, s, mode)
				})
			}
		})
	}
}

var (
	trustOnce sync.Once
	trustErr  error
)

// trustRunCert makes the command line trust the certificate realserver
// made for this process (the same for every server it starts), through
// SSL_CERT_FILE. crypto/x509 reads that variable once, when something
// first needs the system's roots; nothing else in this process does, since
// the engine and jlaffaye/ftp get the certificate pool in their TLS
// configuration. The check below fails if that ever changes.
func trustRunCert(s *realserver.Server) error {
	trustOnce.Do(func() {
		data, err := os.ReadFile(s.CertFile)
		if err != nil {
			trustErr = err
			return
		}
		p := filepath.Join(scratch, "ca.pem")
		if err := os.WriteFile(p, data, 0o644); err != nil {
			trustErr = err
			return
		}
		os.Setenv("SSL_CERT_FILE", p)
		block, _ := pem.Decode(data)
		if block == nil {
			trustErr = fmt.Errorf("no PEM block in %s", s.CertFile)
			return
		}
		cert, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			trustErr = err
			return
		}
		if _, err := cert.Verify(x509.VerifyOptions{DNSName: s.Host()}); err != nil {
			trustErr = fmt.Errorf("the system roots do not hold the run's certificate after setting SSL_CERT_FILE "+
				"(something loaded them earlier in this process): %w", err)
		}
	})
	return trustErr
}

// cli runs command lines against one server in one mode.
type cli struct {
	steps
	mode  client.DataMode
	base  string // URL of the login folder, with credentials
	cfg   string // a configuration file that does not exist
	home  string
	local string
}

// ferry runs a command line (the command name first, then its
// arguments) with the cell's global flags, and returns the exit code and
// output.
func (c *cli) ferry(args ...string) (code int, stdout, stderr string) {
	var out, errOut testsupport.LockedBuffer // written by several goroutines (retry notes)
	f := &cmd.Factory{
		IO:     &cmd.IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut},
		Opts:   &cmd.GlobalOptions{},
		Getenv: func(string) string { return "" },
		Home:   func() (string, error) { return c.home, nil },
	}
	full := append([]string{args[0], "--config", c.cfg, "--no-progress", "--timeout", "20s"}, args[1:]...)
	if c.mode == client.Active {
		full = append(full, "--active")
	}
	code = cmd.Run(c.t.Context(), f, full)
	c.trace.Write([]byte("$ ferry " + strings.Join(redact(full), " ") + fmt.Sprintf("\n(exit %d)\n%s%s", code, out.String(), errOut.String())))
	return code, out.String(), errOut.String()
}

// redact hides the password in URLs, for the trace.
func redact(args []string) []string {
	out := make([]string, len(args))
	for i, a := range args {
		if u, err := url.Parse(a); err == nil && u.User != nil {
			u.User = url.User(u.User.Username())
			a = u.String()
		}
		out[i] = a
	}
	return out
}

// url returns the address of a remote path relative to the login folder.
func (c *cli) url(p string) string {
	segs := strings.Split(p, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	return c.base + strings.Join(segs, "/")
}

// expect runs a command line and checks its exit code; it returns the
// output.
func (c *cli) expect(want int, args ...string) (stdout, stderr string, err error) {
	code, stdout, stderr := c.ferry(args...)
	if code != want {
		return stdout, stderr, fmt.Errorf("ferry %s: exit code %d, want %d\nstdout:\n%s\nstderr:\n%s", args[0], code, want, stdout, stderr)
	}
	return stdout, stderr, nil
}

// matchLines checks that every regular expression matches a line of out.
func matchLines(out string, patterns ...string) error {
	for _, p := range patterns {
		if !regexp.MustCompile(`(?m)` + p).MatchString(out) {
			return fmt.Errorf("no line of the output matches %s:\n%s", p, out)
		}
	}
	return nil
}

func runCLI(t *testing.T, s *realserver.Server, mode client.DataMode) {
	scheme := "ftp"
	if s.Options.TLS == realserver.TLSExplicit {
		scheme = "ftpes"
	}
	home := t.TempDir()
	c := &cli{
		steps: steps{t: t, s: s, out: results.cliRun(t, s.Options.TLS, mode), trace: &testsupport.LockedBuffer{}},
		mode:  mode,
		base:  scheme + "://" + url.UserPassword(s.User, s.Password).String() + "@" + s.Addr + "/",
		cfg:   filepath.Join(home, "no-config.toml"),
		home:  home,
		local: t.TempDir(),
	}
	small, _ := mustFixtures(t)
	data := small[2].data
	const hello = "hello, ferry\n"
	dir := "cli-" + mode.String()
	disk := func(p string) string { return onDisk(s, dir+"/"+p) }
	local := func(p string) string { return filepath.Join(c.local, p) }

	c.must("mkdir -p", func() error {
		if _, _, err := c.expect(ops.ExitOK, "mkdir", "-p", c.url(dir+"/sub dir/deep")); err != nil {
			return err
		}
		if fi, err := os.Stat(disk("sub dir/deep")); err != nil || !fi.IsDir() {
			return fmt.Errorf("mkdir -p made no folder: %v", err)
		}
		return nil
	})
	c.must("put", func() error {
		if err := errors.Join(writeFile(local("hello.txt"), []byte(hello)), writeFile(local("data.bin"), data)); err != nil {
			return err
		}
		if _, _, err := c.expect(ops.ExitOK, "put", local("hello.txt"), c.url(dir)+"/"); err != nil {
			return err
		}
		if _, _, err := c.expect(ops.ExitOK, "put", local("data.bin"), c.url(dir+"/data.bin")); err != nil {
			return err
		}
		tmpHello, herr := uploadTemp(local("hello.txt"), "hello.txt")
		tmpData, derr := uploadTemp(local("data.bin"), "data.bin")
		return errors.Join(sameFile(disk("hello.txt"), []byte(hello)), sameFile(disk("data.bin"), data),
			herr, derr, absent(disk(tmpHello)), absent(disk(tmpData)))
	})
	c.run("ls", func() error {
		out, _, err := c.expect(ops.ExitOK, "ls", c.url(dir)+"/")
		if err == nil && out != "data.bin\nhello.txt\nsub dir\n" {
			err = fmt.Errorf("ls printed %q", out)
		}
		return err
	})
	c.run("ls -l", func() error {
		out, _, err := c.expect(ops.ExitOK, "ls", "-l", c.url(dir)+"/")
		if err != nil {
			return err
		}
		return matchLines(out,
			`^-rw-r--r-- +1048576 \d{4}-\d\d-\d\d \d\d:\d\d data\.bin$`,
			`^-rw-r--r-- +13 \d{4}-\d\d-\d\d \d\d:\d\d hello\.txt$`,
			`^drwxr-xr-x +\S+ \d{4}-\d\d-\d\d \d\d:\d\d sub dir$`)
	})
	c.run("cat", func() error {
		out, _, err := c.expect(ops.ExitOK, "cat", c.url(dir+"/hello.txt"))
		if err == nil && out != hello {
			err = fmt.Errorf("cat printed %q", out)
		}
		return err
	})
	c.run("get", func() error {
		if _, _, err := c.expect(ops.ExitOK, "get", c.url(dir+"/data.bin"), "-o", local("got.bin")); err != nil {
			return err
		}
		return errors.Join(sameFile(local("got.bin"), data), absent(local("got.bin.part")))
	})
	c.run("get -c", func() error {
		const cut = 400_000
		part, err := downloadPart(s.Addr, dir+"/data.bin", disk("data.bin"), local("resumed.bin"))
		if err != nil {
			return err
		}
		if err := writeFile(part, data[:cut]); err != nil {
			return err
		}
		_, stderr, err := c.expect(ops.ExitOK, "get", "-v", "-c", c.url(dir+"/data.bin"), "-o", local("resumed.bin"))
		if err != nil {
			return err
		}
		want := []string{`^> REST 400000$`}
		if s.Options.TLS != realserver.TLSNone {
			want = append(want, `^> AUTH TLS$`, `data connection TLS .*resumed=true`)
		}
		if mode == client.Active {
			want = append(want, `^> (PORT|EPRT) `)
		} else {
			want = append(want, `^> (EPSV|PASV)$`)
		}
		return errors.Join(matchLines(stderr, want...), sameFile(local("resumed.bin"), data), absent(part))
	})
	c.run("get with a missing file", func() error {
		// The second file must arrive although the first is refused.
		out := local("several")
		if err := os.Mkdir(out, 0o755); err != nil {
			return err
		}
		_, stderr, err := c.expect(ops.ExitPartial, "get", c.url(dir+"/missing.bin"), c.url(dir+"/data.bin"), "-o", out+"/")
		if err != nil {
			return err
		}
		return errors.Join(matchLines(stderr, `missing\.bin.*550`, `1 of 2 items failed`),
			sameFile(filepath.Join(out, "data.bin"), data), absent(filepath.Join(out, "missing.bin")))
	})
	c.run("get pattern, -o -", func() error {
		out := local("pattern")
		if err := os.Mkdir(out, 0o755); err != nil {
			return err
		}
		if _, _, err := c.expect(ops.ExitOK, "get", c.url(dir)+"/*.bin", "-o", out+"/"); err != nil {
			return err
		}
		stdout, _, err := c.expect(ops.ExitOK, "get", c.url(dir+"/hello.txt"), "-o", "-")
		if err == nil && stdout != hello {
			err = fmt.Errorf("get -o - printed %q", stdout)
		}
		return errors.Join(err, sameFile(filepath.Join(out, "data.bin"), data), absent(filepath.Join(out, "hello.txt")))
	})
	c.run("ls -R -a", func() error {
		out, _, err := c.expect(ops.ExitOK, "ls", "-R", "-a", c.url(dir)+"/")
		if err != nil {
			return err
		}
		return matchLines(out, `deep`, `hello\.txt`)
	})
	c.run("mirror both ways, get -r", func() error {
		m := local("mirror")
		if _, _, err := c.expect(ops.ExitOK, "mirror", "--parallel", "3", c.url(dir), m); err != nil {
			return err
		}
		if fi, err := os.Stat(filepath.Join(m, "sub dir", "deep")); err != nil || !fi.IsDir() {
			return fmt.Errorf("mirror made no sub dir/deep: %v", err)
		}
		_, again, err := c.expect(ops.ExitOK, "mirror", c.url(dir), m)
		if err != nil {
			return err
		}
		if _, _, err := c.expect(ops.ExitOK, "mirror", "-R", m, c.url(dir+"/back")); err != nil {
			return err
		}
		r := local("recursive")
		if _, _, err := c.expect(ops.ExitOK, "get", "-r", c.url(dir+"/sub dir"), "-o", r+"/"); err != nil {
			return err
		}
		fi, err := os.Stat(filepath.Join(r, "sub dir", "deep"))
		if err != nil || !fi.IsDir() {
			err = fmt.Errorf("get -r made no sub dir/deep: %v", err)
		}
		return errors.Join(err, matchLines(again, `^0 file\(s\).*2 unchanged`),
			sameFile(filepath.Join(m, "data.bin"), data), sameFile(filepath.Join(m, "hello.txt"), []byte(hello)),
			sameFile(disk("back/data.bin"), data), sameFile(disk("back/hello.txt"), []byte(hello)))
	})
	c.run("stat --json", func() error {
		out, _, err := c.expect(ops.ExitOK, "stat", "--json", c.url(dir+"/hello.txt"))
		if err != nil {
			return err
		}
		var e struct {
			Name, Type, Modified string
			Size                 *int64
		}
		if err := json.Unmarshal([]byte(out), &e); err != nil {
			return fmt.Errorf("stat --json: %v in %q", err, out)
		}
		if e.Name != "hello.txt" || e.Type != "file" || e.Size == nil || *e.Size != int64(len(hello)) || e.Modified == "" {
			return fmt.Errorf("stat --json printed %s", out)
		}
		return nil
	})
	c.run("mv", func() error {
		if _, _, err := c.expect(ops.ExitOK, "mv", c.url(dir+"/hello.txt"), "renamed.txt"); err != nil {
			return err
		}
		return errors.Join(absent(disk("hello.txt")), sameFile(disk("renamed.txt"), []byte(hello)))
	})
	c.run("chmod", func() error {
		if _, _, err := c.expect(ops.ExitOK, "chmod", "600", c.url(dir+"/renamed.txt")); err != nil {
			return err
		}
		if fi, err := os.Stat(disk("renamed.txt")); err != nil || fi.Mode().Perm() != 0o600 {
			return fmt.Errorf("after chmod 600 the file is %v (%v)", fi.Mode(), err)
		}
		// The folder's listing, since without MLST "ls -l FILE" has only
		// SIZE and MDTM to go by.
		out, _, err := c.expect(ops.ExitOK, "ls", "-l", c.url(dir)+"/")
		if err != nil {
			return err
		}
		return matchLines(out, `^-rw------- +13 .* renamed\.txt$`)
	})
	c.run("quote SYST", func() error {
		out, _, err := c.expect(ops.ExitOK, "quote", c.base, "SYST")
		if err != nil {
			return err
		}
		return matchLines(out, `^215 UNIX`)
	})
	c.run("put -r and mirror -R into missing folders", func() error {
		// vsftpd answers LIST of a missing folder as of one it cannot
		// read; two missing levels used to fail (outside probe of
		// issue 13).
		if err := errors.Join(os.MkdirAll(local("tree/in"), 0o755), writeFile(local("tree/a.txt"), []byte("a")), writeFile(local("tree/in/b.txt"), []byte("b"))); err != nil {
			return err
		}
		_, _, err1 := c.expect(ops.ExitOK, "put", "-r", local("tree"), c.url(dir+"/new1/new2")+"/")
		_, _, err2 := c.expect(ops.ExitOK, "mirror", "-R", local("tree"), c.url(dir+"/new3/new4/tree"))
		if err := errors.Join(err1, err2, sameFile(disk("new1/new2/tree/in/b.txt"), []byte("b")),
			sameFile(disk("new3/new4/tree/a.txt"), []byte("a"))); err != nil {
			return err
		}
		_, _, err := c.expect(ops.ExitOK, "rm", "-r", c.url(dir+"/new1"), c.url(dir+"/new3"))
		return err
	})
	c.run("exit codes", func() error {
		bad := scheme + "://" + url.UserPassword(s.User, "wrong").String() + "@" + s.Addr + "/"
		_, missing, err1 := c.expect(ops.ExitRemote, "cat", c.url(dir+"/missing.txt"))
		_, login, err2 := c.expect(ops.ExitLogin, "ls", bad)
		_, _, err3 := c.expect(ops.ExitRemote, "rmdir", c.url(dir))
		return errors.Join(err1, err2, err3, matchLines(missing, `550`), matchLines(login, `530`))
	})
	c.run("rm -r", func() error {
		if _, _, err := c.expect(ops.ExitOK, "rm", "-r", c.url(dir+"/sub dir"), c.url(dir+"/back")); err != nil {
			return err
		}
		return errors.Join(absent(disk("sub dir")), absent(disk("back")))
	})
	c.run("rm", func() error {
		if _, _, err := c.expect(ops.ExitOK, "rm", c.url(dir+"/renamed.txt"), c.url(dir+"/data.bin")); err != nil {
			return err
		}
		return errors.Join(absent(disk("renamed.txt")), absent(disk("data.bin")))
	})
	c.run("rmdir", func() error {
		if _, _, err := c.expect(ops.ExitOK, "rmdir", c.url(dir)); err != nil {
			return err
		}
		return absent(onDisk(s, dir))
	})
}
