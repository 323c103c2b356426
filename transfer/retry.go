package transfer

import (
	"context"
	"errors"
	"net"
	"syscall"
	"time"

	"github.com/ferry-ftp/ferry/client"
)

// DefaultRetries is how often a failure that may pass (see Transient) is
// retried when the user does not say (--retries): five times, after 1, 2,
// 4, 8 and 16 seconds, each retry resuming where the last attempt stopped.
// Like wget, a server that refuses the connection outright or a name
// that does not resolve is not retried.
const DefaultRetries = 5

// Transient reports whether a failure may go away when tried again: a
// lost or timed-out connection, a transient negative reply (4yz,
// including 421 and 425), a transfer that ended short (ErrIncomplete), or
// an upload whose local file changed while it was sent (ErrSourceChanged).
// Permanent refusals (5yz), login and TLS failures, local errors,
// cancellation, a connection refused outright, a proxy's refusal and a
// host name that does not resolve are not.
func Transient(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	if errors.Is(err, ErrSourceChanged) {
		return true
	}
	var le *LocalError
	if errors.As(err, &le) {
		return false
	}
	var dns *net.DNSError
	if errors.As(err, &dns) && !dns.Temporary() {
		return false
	}
	if unreachable(err) {
		return false
	}
	// A proxy that refused the credentials or the connection by its
	// rules (see internal/proxy) says the same next time.
	var pe interface{ Permanent() bool }
	if errors.As(err, &pe) && pe.Permanent() {
		return false
	}
	if errors.Is(err, ErrIncomplete) {
		return true
	}
	switch client.KindOf(err) {
	case client.KindConnection:
		return true
	case client.KindAuth, client.KindTLS, client.KindProtocol:
		return false
	}
	var re *client.ReplyError
	return errors.As(err, &re) && re.Temporary()
}

// ErrIncomplete reports a transfer that ended without error but short of
// the file's size: a retry resumes it.
var ErrIncomplete = errors.New("transfer incomplete")

// Backoff is the wait before retry n (0-based): 1 s, 2 s, 4 s... up to
// 30 s.
func Backoff(n int) time.Duration {
	d := time.Second << min(n, 5)
	return min(d, 30*time.Second)
}

// Retry runs op until it succeeds, fails permanently, or has been retried
// retries times, waiting Backoff between attempts. op receives the
// attempt number (0 first); it should resume where the last attempt
// stopped. notify, when set, is told about each retry.
func Retry(ctx context.Context, retries int, op func(attempt int) error, notify func(err error, wait time.Duration)) error {
	return retry(ctx, retries, Backoff, op, notify)
}

// retry is Retry with the waits given by backoff.
func retry(ctx context.Context, retries int, backoff func(int) time.Duration, op func(attempt int) error, notify func(err error, wait time.Duration)) error {
	for attempt := 0; ; attempt++ {
		err := op(attempt)
		if err == nil || attempt >= retries || !Transient(err) {
			return err
		}
		wait := backoff(attempt)
		if notify != nil {
			notify(err, wait)
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return err
		case <-t.C:
		}
	}
}

// unreachable reports a control connection that could not be made at all
// because nothing listens there: the connection was refused when dialed.
// A data connection refused by the server's port is another matter (the
// server may have closed it early) and stays transient.
func unreachable(err error) bool {
	var oe *net.OpError
	if !errors.As(err, &oe) || oe.Op != "dial" || !errors.Is(err, syscall.ECONNREFUSED) {
		return false
	}
	var ce *client.Error
	return !errors.As(err, &ce) || ce.Op != "data connection"
}
