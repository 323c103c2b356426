package interop

import (
	"bytes"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/ferry-ftp/ferry/client"
	"github.com/ferry-ftp/ferry/internal/bench/relay"
	"github.com/ferry-ftp/ferry/internal/realserver"
	"github.com/ferry-ftp/ferry/internal/testsupport"
	"github.com/ferry-ftp/ferry/ops"
)

// TestOverDistance puts files and gets them back, each over one
// connection, through the bench's relay with a 20 ms round trip, where a
// data connection made ahead can be overtaken by the command sent after
// it, or overtake it: uploads on the standby connection, whose data must
// not reach the server before STOR (pyftpdlib drops such a connection and
// waits for another), and lookahead downloads. Every file arrives
// byte-identical, within a short timeout.
func TestOverDistance(t *testing.T) {
	skipShort(t)
	for _, kind := range []realserver.Kind{realserver.Pyftpdlib, realserver.Twisted, realserver.Vsftpd, realserver.ProFTPD, realserver.PureFTPd} {
		t.Run(string(kind), func(t *testing.T) {
			t.Parallel()
			s := realserver.StartOrSkip(t, kind, realserver.Options{})
			addr, err := relayed(t, s, "127.0.0.5")
			if err != nil {
				t.Fatal(err)
			}
			c := &cli{
				steps: steps{t: t, s: s, trace: &testsupport.LockedBuffer{}},
				mode:  client.Passive,
				base:  "ftp://" + url.UserPassword(s.User, s.Password).String() + "@" + addr + "/",
				cfg:   filepath.Join(t.TempDir(), "no-config.toml"),
				home:  t.TempDir(),
				local: t.TempDir(),
			}
			defer func() {
				if t.Failed() {
					t.Logf("trace:\n%s", c.trace.String())
				}
			}()
			src, down := filepath.Join(c.local, "src"), filepath.Join(c.local, "down")
			want := map[string][]byte{}
			args := []string{"put", "--parallel", "1", "--retries", "0", "--timeout", "5s"}
			for i := range 6 {
				name := fmt.Sprintf("f%d.bin", i)
				want[name] = bytes.Repeat([]byte{byte('a' + i)}, 1000*i+1)
				testsupport.WriteFile(t, filepath.Join(src, name), string(want[name]))
				args = append(args, filepath.Join(src, name))
			}
			args = append(args, c.url("far")+"/")
			if err := os.MkdirAll(down, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.MkdirAll(onDisk(s, "far"), 0o777); err != nil {
				t.Fatal(err)
			}
			if err := s.Chown(onDisk(s, "far")); err != nil {
				t.Fatal(err)
			}
			if _, _, err := c.expect(ops.ExitOK, args...); err != nil {
				t.Fatal(err)
			}
			if _, _, err := c.expect(ops.ExitOK, "get", "--parallel", "1", "--retries", "0", "--timeout", "5s", c.url("far")+"/*", "-o", down+"/"); err != nil {
				t.Fatal(err)
			}
			for name, data := range want {
				if err := sameFile(onDisk(s, "far/"+name), data); err != nil {
					t.Errorf("uploaded: %v", err)
				}
				if err := sameFile(filepath.Join(down, name), data); err != nil {
					t.Errorf("downloaded: %v", err)
				}
			}
		})
	}
}

// relayed starts the bench's relay on host in front of s's control port
// and passive range, with a 20 ms round trip, and returns the address to
// connect to.
func relayed(t *testing.T, s *realserver.Server, host string) (string, error) {
	_, p, err := net.SplitHostPort(s.Addr)
	if err != nil {
		return "", err
	}
	port, err := strconv.Atoi(p)
	if err != nil {
		return "", err
	}
	ports := []int{port}
	for p := s.PassivePorts[0]; p > 0 && p <= s.PassivePorts[1]; p++ {
		ports = append(ports, p)
	}
	r, err := relay.Listen(t.Context(), relay.Config{Listen: host, Target: "127.0.0.1", Ports: ports, RTT: 20 * time.Millisecond})
	if err != nil {
		return "", err
	}
	t.Cleanup(func() { r.Close() })
	return fmt.Sprintf("%s:%d", host, port), nil
}
