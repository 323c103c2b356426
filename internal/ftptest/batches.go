package ftptest

// Batches returns the command lines of session n (1-based, in accept
// order) grouped as the client pipelined them: each group starts with a
// command that came after the server had answered the one before it, and
// holds the commands that had arrived with it, before that command's
// reply (see Command.Queued). A client that waits for each reply gives
// groups of one line; one that writes FEAT, TYPE I and EPSV at once gives
// the group {"FEAT", "TYPE I", "EPSV"}. It returns nil for a session that
// does not exist.
func (s *Server) Batches(n int) [][]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if n < 1 || n > len(s.sessCmds) {
		return nil
	}
	var out [][]string
	for i, line := range s.sessCmds[n-1] {
		if i == 0 || !s.queued[n-1][i] {
			out = append(out, nil)
		}
		out[len(out)-1] = append(out[len(out)-1], line)
	}
	return out
}
