//go:build unix

package client

import (
	"net"
	"syscall"
)

// usable reports whether nc, a data connection no transfer has used yet,
// can still carry one: the server has neither closed nor reset it, nor
// sent anything on it. It looks without waiting and without reading.
func usable(nc net.Conn) bool {
	sc, ok := nc.(syscall.Conn)
	if !ok {
		return usableByRead(nc)
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		return false
	}
	ok = false
	cerr := rc.Control(func(fd uintptr) {
		var b [1]byte
		_, _, err := syscall.Recvfrom(int(fd), b[:], syscall.MSG_PEEK|syscall.MSG_DONTWAIT)
		ok = err == syscall.EAGAIN || err == syscall.EWOULDBLOCK
	})
	return cerr == nil && ok
}
