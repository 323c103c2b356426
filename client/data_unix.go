//go:build unix

package client

import (
	"context"
	"net"
	"net/netip"
	"os"
	"syscall"
)

// takeQueued accepts every connection waiting in ln's queue, without
// waiting for more, and returns them unread (keep true) or closes them
// (keep false), with where they came from. It calls accept on the
// listener's socket itself, which is non-blocking, so accept fails with
// EAGAIN once the queue is empty. (Accept with a past deadline would not
// do: it fails before it looks at the queue.)
func (c *Conn) takeQueued(_ context.Context, ln *net.TCPListener, keep bool) ([]string, []net.Conn, error) {
	rc, err := ln.SyscallConn()
	if err != nil {
		return nil, nil, err
	}
	var from []string
	var kept []net.Conn
	aerr := errTooManyQueued
	cerr := rc.Control(func(fd uintptr) {
		for len(from) < maxQueued {
			// The new descriptor is closed, or made close-on-exec,
			// before a fork can copy it.
			syscall.ForkLock.RLock()
			nfd, sa, err := syscall.Accept(int(fd))
			if err == nil {
				if keep && len(kept) < maxKept {
					syscall.CloseOnExec(nfd)
				} else {
					syscall.Close(nfd)
					nfd = -1
				}
			}
			syscall.ForkLock.RUnlock()
			switch {
			case err == nil:
				from = append(from, sockaddrString(sa))
				if nfd >= 0 {
					f := os.NewFile(uintptr(nfd), "data")
					if nc, ferr := net.FileConn(f); ferr == nil {
						kept = append(kept, nc)
					}
					f.Close()
				}
			case err == syscall.EAGAIN || err == syscall.EWOULDBLOCK:
				aerr = nil
				return
			case err == syscall.EINTR || err == syscall.ECONNABORTED:
				// Interrupted, or a connection reset while it waited.
			default:
				aerr = os.NewSyscallError("accept", err)
				return
			}
		}
	})
	if cerr != nil {
		return from, kept, cerr
	}
	return from, kept, aerr
}

// sockaddrString formats the address of an accepted TCP connection.
func sockaddrString(sa syscall.Sockaddr) string {
	switch sa := sa.(type) {
	case *syscall.SockaddrInet4:
		return netip.AddrPortFrom(netip.AddrFrom4(sa.Addr), uint16(sa.Port)).String()
	case *syscall.SockaddrInet6:
		return netip.AddrPortFrom(netip.AddrFrom16(sa.Addr).Unmap(), uint16(sa.Port)).String()
	}
	return "an unknown address"
}
