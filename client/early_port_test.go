package client

import (
	"bytes"
	"io"
	"net"
	"strings"
	"sync"
	"testing"

	"github.com/ferry-ftp/ferry/internal/ftptest"
)

// A server that connects in answer to PORT, before its reply, and then
// answers the transfer command with "125 Data connection already open"
// (pyftpdlib's way) gets its connection used; a second connection made
// before the PORT reply makes the two indistinguishable, and both are
// refused: the transfer fails, and nothing of either is read.
func TestActiveConnectionAtPortWith125(t *testing.T) {
	want := []byte("the server's own data\n")
	for _, intruder := range []bool{false, true} {
		name := "server only"
		if intruder {
			name = "with an intruder"
		}
		t.Run(name, func(t *testing.T) {
			var mu sync.Mutex
			var early net.Conn
			srv := ftptest.New(t, ftptest.Config{Hook: func(c ftptest.Command) *ftptest.Reply {
				switch c.Verb {
				case "PORT", "EPRT":
					addr, err := announcedAddr(c)
					if err != nil {
						t.Error(err)
						return nil
					}
					if intruder {
						if nc, err := net.Dial("tcp", addr); err == nil {
							nc.Write([]byte("STOLEN"))
							defer nc.Close()
						}
					}
					nc, err := net.Dial("tcp", addr)
					if err != nil {
						t.Error(err)
						return nil
					}
					mu.Lock()
					early = nc
					mu.Unlock()
					return &ftptest.Reply{Code: 200, Text: "Active data connection established."}
				case "RETR":
					mu.Lock()
					nc := early
					mu.Unlock()
					if nc == nil {
						return &ftptest.Reply{Code: 425, Text: "No data connection."}
					}
					nc.Write(want)
					nc.Close()
					return &ftptest.Reply{Raw: []byte("125 Data connection already open. Transfer starting.\r\n226 Transfer complete.\r\n")}
				}
				return nil
			}})
			var trace bytes.Buffer
			c := activeConn(t, srv, false, &trace)
			rc, err := c.Retr(testCtx(t), "f", 0)
			if intruder {
				if err == nil {
					got, _ := io.ReadAll(rc)
					rc.Close()
					t.Fatalf("Retr read %q, want an error: two connections before the PORT reply", got)
				}
				if !strings.Contains(trace.String(), "before the transfer command was sent (one of 2)") {
					t.Errorf("the trace does not say what was refused:\n%s", trace.String())
				}
				return
			}
			if err != nil {
				t.Fatalf("Retr: %v\n%s", err, trace.String())
			}
			got, err := io.ReadAll(rc)
			if cerr := rc.Close(); err == nil {
				err = cerr
			}
			if err != nil || !bytes.Equal(got, want) {
				t.Fatalf("got %q, %v; want %q", got, err, want)
			}
		})
	}
}
