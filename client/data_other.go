//go:build !unix

package client

import (
	"context"
	"net"
)

// takeQueued closes, unread, every connection waiting in ln's queue, and
// returns where they came from. Without a non-blocking accept on the
// listener's socket, it does so by connecting to ln (see
// takeQueuedByDial).
func (c *Conn) takeQueued(ctx context.Context, ln *net.TCPListener) ([]string, error) {
	return c.takeQueuedByDial(ctx, ln)
}
