package client

import (
	"net"
	"slices"
	"testing"
	"time"
)

// TestTakeQueued: the connections queued on a listener are taken and
// closed unread, without waiting for more; a connection made afterwards
// is still accepted. Both ways of taking them are checked.
func TestTakeQueued(t *testing.T) {
	for _, tc := range []struct {
		name string
		take func(c *Conn, ln *net.TCPListener) ([]string, error)
	}{
		{"platform", func(c *Conn, ln *net.TCPListener) ([]string, error) {
			from, _, err := c.takeQueued(testCtx(t), ln, false)
			return from, err
		}},
		{"self-dial", func(c *Conn, ln *net.TCPListener) ([]string, error) {
			from, _, err := c.takeQueuedByDial(testCtx(t), ln, false)
			return from, err
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := &Conn{opts: defaultOptions()}
			ln, err := net.ListenTCP("tcp4", &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)})
			if err != nil {
				t.Fatal(err)
			}
			defer ln.Close()
			var early []string
			for range 3 {
				nc, err := net.Dial("tcp4", ln.Addr().String())
				if err != nil {
					t.Fatal(err)
				}
				defer nc.Close()
				nc.Write([]byte("early"))
				early = append(early, nc.LocalAddr().String())
			}
			got, err := tc.take(c, ln)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, early) {
				t.Errorf("took %q, want %q", got, early)
			}
			if got, err := tc.take(c, ln); err != nil || len(got) != 0 {
				t.Errorf("second take = %q, %v; want nothing", got, err)
			}
			late, err := net.Dial("tcp4", ln.Addr().String())
			if err != nil {
				t.Fatal(err)
			}
			defer late.Close()
			ln.SetDeadline(time.Now().Add(testTimeout))
			nc, err := ln.Accept()
			if err != nil {
				t.Fatal(err)
			}
			nc.Close()
			if nc.RemoteAddr().String() != late.LocalAddr().String() {
				t.Errorf("accepted %s, want the late connection from %s", nc.RemoteAddr(), late.LocalAddr())
			}
		})
	}
}
