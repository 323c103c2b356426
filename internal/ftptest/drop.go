package ftptest

// DropSessions ends every open control connection as a server does after
// an idle timeout: it sends "421 text" first when text is not empty (over
// TLS where the session runs it), then closes the connection. It returns
// the number of sessions dropped. Call it while the clients are idle.
func (s *Server) DropSessions(text string) int {
	s.mu.Lock()
	live := make([]*session, 0, len(s.live))
	for sess := range s.live {
		live = append(live, sess)
	}
	s.mu.Unlock()
	for _, sess := range live {
		if text != "" {
			sess.wmu.Lock()
			sess.conn.Write([]byte("421 " + text + "\r\n"))
			sess.wmu.Unlock()
		}
		sess.raw.Close()
	}
	return len(live)
}
