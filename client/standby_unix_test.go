//go:build unix

package client

import (
	"net"
	"syscall"
	"testing"
	"time"
)

// usable tells a data connection the server closed, or sent bytes on,
// from one it keeps open, without waiting.
func TestUsable(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	pair := func() (client, server net.Conn) {
		client, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		server, err = ln.Accept()
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { client.Close(); server.Close() })
		return client, server
	}
	open, _ := pair()
	closed, s := pair()
	s.Close()
	talked, s2 := pair()
	s2.Write([]byte("x"))
	// The close and the byte reach the client's socket soon: wait for
	// them.
	waitReadable(t, closed)
	waitReadable(t, talked)
	if !usable(open) || usable(closed) || usable(talked) {
		t.Errorf("usable: open %t, closed %t, talked %t", usable(open), usable(closed), usable(talked))
	}
}

// waitReadable waits until nc has a byte or its end to read, without
// reading it.
func waitReadable(t *testing.T, nc net.Conn) {
	t.Helper()
	rc, err := nc.(*net.TCPConn).SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	nc.SetReadDeadline(time.Now().Add(testTimeout))
	defer nc.SetReadDeadline(time.Time{})
	// The poller calls the function again once the socket is readable.
	err = rc.Read(func(fd uintptr) bool {
		var b [1]byte
		_, _, err := syscall.Recvfrom(int(fd), b[:], syscall.MSG_PEEK|syscall.MSG_DONTWAIT)
		return err != syscall.EAGAIN
	})
	if err != nil {
		t.Fatal(err)
	}
}
