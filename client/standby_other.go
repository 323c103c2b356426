//go:build !unix

package client

import "net"

// usable reports whether nc, a data connection no transfer has used yet,
// can still carry one (see usableByRead).
func usable(nc net.Conn) bool { return usableByRead(nc) }
