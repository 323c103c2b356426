package delayproxy

import (
	"context"
	"errors"
	"io"
	"net"
	"time"
)

// chunk is a piece of a byte stream held back until due. A chunk with
// eof set marks the end of the stream.
type chunk struct {
	data []byte
	due  time.Time
	eof  bool
}

// queueLen bounds the chunks in flight in one direction. With 32 KiB
// chunks it allows 32 MiB in flight, far more than loopback moves in a
// realistic one-way delay, so the delay does not cap the bandwidth.
const queueLen = 1024

// chunkSize is the most one read takes from a connection.
const chunkSize = 32 << 10

// halfCloser is a connection whose write side can be closed alone, as
// *net.TCPConn's can.
type halfCloser interface {
	CloseWrite() error
}

// reader yields the next piece of a stream. It returns io.EOF at the end.
type reader func() ([]byte, error)

// connReader reads up to chunkSize bytes at a time from c, each into a
// buffer of its own, since the piece is queued rather than written at once.
func connReader(c net.Conn) reader {
	return func() ([]byte, error) {
		buf := make([]byte, chunkSize)
		n, err := c.Read(buf)
		if n > 0 {
			return buf[:n], nil
		}
		if err == nil {
			err = io.ErrNoProgress
		}
		return nil, err
	}
}

// relay copies one direction of a connection: what read yields is written
// to dst delay after it was read, in order, and dst's write side is closed
// after the end of the stream. It returns when the stream has ended or
// ctx is done, with the first error other than the end of the stream.
func relay(ctx context.Context, read reader, dst net.Conn, delay time.Duration) error {
	queue := make(chan chunk, queueLen)
	readErr := make(chan error, 1)
	go func() {
		defer close(queue)
		for {
			data, err := read()
			if len(data) > 0 {
				select {
				case queue <- chunk{data: data, due: time.Now().Add(delay)}:
				case <-ctx.Done():
					readErr <- ctx.Err()
					return
				}
			}
			if err != nil {
				if errors.Is(err, io.EOF) {
					err = nil
				}
				select {
				case queue <- chunk{eof: true, due: time.Now().Add(delay)}:
				case <-ctx.Done():
				}
				readErr <- err
				return
			}
		}
	}()
	werr := write(ctx, queue, dst)
	if werr != nil {
		// Unblock the reader, which may wait on a full queue.
		go func() {
			for range queue {
			}
		}()
		return werr
	}
	return <-readErr
}

// write sends the queued chunks to dst, each when due, and closes dst's
// write side at the end of the stream.
func write(ctx context.Context, queue <-chan chunk, dst net.Conn) error {
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for c := range queue {
		if wait := time.Until(c.due); wait > 0 {
			timer.Reset(wait)
			select {
			case <-timer.C:
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		if c.eof {
			if hc, ok := dst.(halfCloser); ok {
				return hc.CloseWrite()
			}
			return dst.Close()
		}
		if _, err := dst.Write(c.data); err != nil {
			return err
		}
	}
	return nil
}
