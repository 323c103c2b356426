package client

import (
	"context"
	"errors"
	"fmt"
	"net"
	"time"
)

// checkWait is how long Check waits for bytes that are not there.
const checkWait = 2 * time.Millisecond

// Check reports whether the control connection can still take a command,
// without sending one: it looks, without waiting, for what a server that
// drops an idle session sends first, a 421 reply or the end of the
// connection. When it finds either, the connection is marked broken and
// Check returns the error that Err returns from then on; any other reply
// nobody asked for also breaks it, as a protocol error. A connection with
// an open transfer or a reply still to read is reported usable.
//
// Callers that hold a connection across idle time (an interactive shell)
// call Check before a command that must not be sent twice, so that they
// can reconnect first instead of failing the command.
func (c *Conn) Check() error {
	if err := c.Err(); err != nil {
		return err
	}
	if c.busy || c.pending || c.ahead != nil {
		return nil
	}
	if c.r.Buffered() == 0 {
		// A read deadline just ahead makes the read return at once with
		// what has arrived, or time out when nothing has (one already
		// past would not even look). crypto/tls keeps its state after a
		// read timeout, and bufio forgets the error.
		c.conn.SetReadDeadline(time.Now().Add(checkWait))
		_, err := c.r.Peek(1)
		c.conn.SetReadDeadline(time.Time{})
		var ne net.Error
		switch {
		case err == nil:
		case errors.As(err, &ne) && ne.Timeout():
			return nil
		default:
			return c.fail(&Error{Kind: KindConnection, Op: "control connection",
				Err: fmt.Errorf("server closed the connection: %w", err)})
		}
	}
	var limit time.Time
	if c.opts.idleTimeout > 0 {
		limit = time.Now().Add(c.opts.idleTimeout)
	}
	reply, err := c.readLimit(context.Background(), "control connection", limit)
	if err != nil {
		return err
	}
	if err := c.Err(); err != nil {
		return err // a 421
	}
	return c.fail(&Error{Kind: KindProtocol, Op: "control connection",
		Err: fmt.Errorf("unexpected reply %d %q with no command sent", reply.Code, clip(reply.Msg()))})
}
