package relay

import (
	"context"
	"errors"
	"io"
	"net"
	"time"
)

// chunkSize is the most one read takes from a connection.
const chunkSize = 32 << 10

// chunk is a piece of a stream held back until due. A chunk with end set
// carries no data: it ends the stream, in order after everything before
// it; end is io.EOF for an orderly end and another error for a reset.
type chunk struct {
	buf []byte
	due time.Time
	end error
}

// pipe carries one direction of a connection: read queues what it reads
// from the source, write delivers it to the destination when due. At most
// slots buffers of chunkSize exist at once, so the memory a direction
// holds is bounded whatever the destination's pace.
type pipe struct {
	queue     chan chunk  // read to write, in order
	free      chan []byte // buffers write has finished with
	slots     int         // buffers read may make
	delay     time.Duration
	notBefore time.Time // data counts as read no sooner than this
}

// newPipe returns a pipe that holds at most window bytes and delivers each
// byte delay after it was read, or after notBefore if that is later.
func newPipe(window int, delay time.Duration, notBefore time.Time) *pipe {
	slots := max(window/chunkSize, 1)
	return &pipe{
		queue:     make(chan chunk, slots+1), // the buffers and the end
		free:      make(chan []byte, slots),
		slots:     slots,
		delay:     delay,
		notBefore: notBefore,
	}
}

// due returns when what is read now is to be delivered.
func (p *pipe) due() time.Time {
	now := time.Now()
	if now.Before(p.notBefore) {
		now = p.notBefore
	}
	return now.Add(p.delay)
}

// buffer returns a buffer for the next read: a new one while fewer than
// slots exist, else one that write has freed.
func (p *pipe) buffer(ctx context.Context, made *int) ([]byte, error) {
	select {
	case b := <-p.free:
		return b, nil
	default:
	}
	if *made < p.slots {
		*made++
		return make([]byte, chunkSize), nil
	}
	select {
	case b := <-p.free:
		return b, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// read queues what src yields until its end, an error, or ctx is done. A
// read that waits longer than idle is an error.
func (p *pipe) read(ctx context.Context, src net.Conn, idle time.Duration) {
	made := 0
	for {
		buf, err := p.buffer(ctx, &made)
		if err != nil {
			return
		}
		src.SetReadDeadline(time.Now().Add(idle))
		n, err := src.Read(buf)
		if n > 0 {
			// The queue has room for every buffer and the end.
			p.queue <- chunk{buf: buf[:n], due: p.due()}
		}
		if err != nil {
			p.queue <- chunk{end: err, due: p.due()}
			return
		}
	}
}

// write delivers the queued chunks to dst, each when due, and closes dst's
// write side at the end of the stream. It returns nil after an orderly
// end, and an error after a reset or error on either side, or when ctx
// is done.
func (p *pipe) write(ctx context.Context, dst net.Conn, idle time.Duration) error {
	for {
		var c chunk
		select {
		case c = <-p.queue:
		case <-ctx.Done():
			return ctx.Err()
		}
		if err := sleepUntil(ctx, c.due); err != nil {
			return err
		}
		if c.end != nil {
			if !errors.Is(c.end, io.EOF) {
				return c.end
			}
			if hc, ok := dst.(interface{ CloseWrite() error }); ok {
				return hc.CloseWrite()
			}
			return dst.Close()
		}
		dst.SetWriteDeadline(time.Now().Add(idle))
		if _, err := dst.Write(c.buf); err != nil {
			return err
		}
		p.free <- c.buf[:cap(c.buf)]
	}
}
