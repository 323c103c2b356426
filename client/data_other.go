//go:build !unix

package client

import (
	"context"
	"net"
)

// takeQueued takes every connection waiting in ln's queue, keeping them
// unread (keep) or closing them, and returns where they came from.
// Without a non-blocking accept on the listener's socket, it does so by
// connecting to ln (see takeQueuedByDial).
func (c *Conn) takeQueued(ctx context.Context, ln *net.TCPListener, keep bool) ([]string, []net.Conn, error) {
	return c.takeQueuedByDial(ctx, ln, keep)
}
