package client

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"
)

// TestCheck shows that Check sends nothing, finds a connection alive while
// the server is silent, and finds it broken after an unasked 421 or after
// the server hangs up.
func TestCheck(t *testing.T) {
	for _, tc := range []struct {
		name, send string // what the server sends after login, unasked
		hangUp     bool
		want       string // in Check's error; "" for alive
	}{
		{name: "silent"},
		{name: "421", send: "421 Timeout.\r\n", hangUp: true, want: "421"},
		{name: "eof", hangUp: true, want: "closed"},
		{name: "stray reply", send: "200 Hello?\r\n", want: "unexpected reply 200"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			defer ln.Close()
			got := make(chan string, 1)
			sent := make(chan struct{})
			go func() {
				nc, err := ln.Accept()
				if err != nil {
					return
				}
				defer nc.Close()
				nc.Write([]byte("220 ready\r\n"))
				nc.Write([]byte(tc.send))
				if tc.hangUp {
					nc.(*net.TCPConn).CloseWrite()
				}
				close(sent)
				// Record anything the client sends before it closes.
				nc.SetReadDeadline(time.Now().Add(10 * time.Second))
				var b strings.Builder
				buf := make([]byte, 512)
				for {
					n, err := nc.Read(buf)
					b.Write(buf[:n])
					if err != nil {
						break
					}
				}
				got <- b.String()
			}()
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			c, err := Dial(ctx, ln.Addr().String())
			if err != nil {
				t.Fatal(err)
			}
			<-sent
			if tc.want == "" {
				if err := c.Check(); err != nil {
					t.Fatalf("Check = %v on a silent connection", err)
				}
				c.Close()
			} else {
				// The bytes may still be on their way: Check until it sees them.
				var err error
				for end := time.Now().Add(5 * time.Second); time.Now().Before(end); {
					if err = c.Check(); err != nil {
						break
					}
					time.Sleep(time.Millisecond) // poll, bounded by end
				}
				if err == nil || !strings.Contains(err.Error(), tc.want) {
					t.Fatalf("Check = %v, want an error with %q", err, tc.want)
				}
				if c.Err() == nil {
					t.Error("the connection is not marked broken")
				}
				if KindOf(err) != KindConnection && tc.name != "stray reply" {
					t.Errorf("kind %v, want a connection error", KindOf(err))
				}
				c.Close()
			}
			if s := <-got; s != "" {
				t.Errorf("Check sent %q", s)
			}
		})
	}
}
