package ftptest

import "time"

// WaitSessions waits until every session accepted so far has ended, or
// until timeout has passed, and reports whether they all ended. A client
// that sends QUIT and closes without waiting for the reply (as ferry's
// does) has had all its commands recorded once its session ended: tests
// call WaitSessions before they look at the commands.
func (s *Server) WaitSessions(timeout time.Duration) bool {
	s.mu.Lock()
	ended := append([]chan struct{}(nil), s.ended...)
	s.mu.Unlock()
	t := time.NewTimer(timeout)
	defer t.Stop()
	for _, e := range ended {
		select {
		case <-e:
		case <-t.C:
			return false
		}
	}
	return true
}
