package interop

import (
	"bytes"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ferry-ftp/ferry/cmd"
	"github.com/ferry-ftp/ferry/internal/realserver"
	"github.com/ferry-ftp/ferry/internal/testsupport"
	"github.com/ferry-ftp/ferry/ops"
)

// asciiServer says what a server does in ASCII mode (TYPE A), as measured
// on the versions realserver runs with its configuration.
type asciiServer struct {
	// doublesCR: a CRLF of the file is sent as CR CRLF (every LF as CRLF,
	// pure-ftpd and the BSD ftpds, inetutils-ftpd and ftpd-ssl), so ferry
	// writes the file's CRLF back.
	doublesCR bool
	// storesSent: an upload is stored as sent, with CRLF line ends
	// (vsftpd, whose ascii_upload_enable and ascii_download_enable are
	// off by default: it sends and stores the bytes as they are; aioftp,
	// which accepts TYPE A and ignores it).
	storesSent bool
	// broken says why the server's ASCII mode cannot be tested at all.
	broken string
}

var asciiServers = map[realserver.Kind]asciiServer{
	realserver.Vsftpd:    {storesSent: true},
	realserver.PureFTPd:  {doublesCR: true},
	realserver.ProFTPD:   {},
	realserver.Pyftpdlib: {},
	realserver.Twisted: {broken: "Twisted 22.4's TYPE A transfers fail on Python 3 " +
		"(TypeError in ASCIIConsumerWrapper.write): the data connection stays open and the transfer never ends"},
	realserver.Aioftp: {storesSent: true},

	realserver.InetutilsFTPd: {doublesCR: true},
	realserver.FtpdSSLDE:     {doublesCR: true},
	realserver.Ftpserverlib:  {},
}

// TestASCII runs get -a, cat -a and put -a through the command line
// against each server (plain FTP, IPv4, passive mode) and checks the
// bytes on both sides and the exit codes: a text file with LF line ends
// arrives with LF line ends from every server, and comes back byte for
// byte after put -a and get -a. The size checks pass with whatever each
// server announces in ASCII mode (vsftpd and pure-ftpd: the file's size
// for SIZE and in the 150 reply or none; proftpd and pyftpdlib refuse
// SIZE in ASCII mode).
func TestASCII(t *testing.T) {
	skipShort(t)
	var text []byte
	for i := 0; len(text) < 300<<10; i++ {
		text = fmt.Appendf(text, "line %d of a text file%s\n", i, strings.Repeat(" x", i%37))
		if i%10 == 0 {
			text = append(text, '\n')
		}
	}
	crlf := bytes.ReplaceAll(text, []byte("\n"), []byte("\r\n"))
	for _, kind := range realserver.Kinds {
		t.Run(string(kind), func(t *testing.T) {
			t.Parallel()
			want := asciiServers[kind]
			if want.broken != "" {
				t.Skip(want.broken)
			}
			s := realserver.StartOrSkip(t, kind, realserver.Options{})
			dir := filepath.Join(s.Home, "ascii")
			if err := os.Mkdir(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			for name, data := range map[string][]byte{"lf.txt": text, "crlf.txt": crlf} {
				if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if err := s.Chown(dir); err != nil {
				t.Fatal(err)
			}
			base := "ftp://" + url.UserPassword(s.User, s.Password).String() + "@" + s.Addr + "/ascii/"
			local := t.TempDir()
			run := func(args ...string) string {
				t.Helper()
				code, stdout, stderr := runFerry(t, args...)
				if code != ops.ExitOK {
					t.Fatalf("ferry %s: exit code %d\n%s\nserver log:\n%s", strings.Join(redact(args), " "), code, stderr, s.LogTail(20))
				}
				return stdout
			}
			check := func(what, path string, want []byte) {
				t.Helper()
				if err := sameFile(path, want); err != nil {
					t.Errorf("%s: %v", what, err)
				}
			}

			run("get", "-a", base+"lf.txt", "-o", filepath.Join(local, "lf.txt"))
			check("get -a of a file with LF line ends", filepath.Join(local, "lf.txt"), text)
			if out := run("cat", "-a", base+"lf.txt"); out != string(text) {
				t.Errorf("cat -a of a file with LF line ends wrote %d bytes, want the file's %d", len(out), len(text))
			}
			run("get", "-a", base+"crlf.txt", "-o", filepath.Join(local, "crlf.txt"))
			wantCRLF := text
			if want.doublesCR {
				wantCRLF = crlf
			}
			check("get -a of a file with CRLF line ends", filepath.Join(local, "crlf.txt"), wantCRLF)

			up := filepath.Join(local, "up.txt")
			if err := os.WriteFile(up, text, 0o644); err != nil {
				t.Fatal(err)
			}
			run("put", "-a", up, base+"up.txt")
			stored := text
			if want.storesSent {
				stored = crlf
			}
			check("the server's copy after put -a", filepath.Join(dir, "up.txt"), stored)
			run("get", "-a", base+"up.txt", "-o", filepath.Join(local, "back.txt"))
			check("get -a after put -a", filepath.Join(local, "back.txt"), text)
			if err := noTempFiles(dir); err != nil {
				t.Error(err)
			}
		})
	}
}

// runFerry runs a command line through cmd.Run, without a configuration
// file or progress bars, and returns the exit code and output.
func runFerry(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut testsupport.LockedBuffer // written by several goroutines (retry notes)
	home := t.TempDir()
	f := &cmd.Factory{
		IO:     &cmd.IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut},
		Opts:   &cmd.GlobalOptions{},
		Getenv: func(string) string { return "" },
		Home:   func() (string, error) { return home, nil },
	}
	full := append([]string{args[0], "--config", filepath.Join(home, "none.toml"), "--no-progress", "--timeout", "20s", "--retries", "0"}, args[1:]...)
	code = cmd.Run(t.Context(), f, full)
	return code, out.String(), errOut.String()
}
