package ftptest

import "strings"

// Transcript returns what passed on session n's control connection (n is
// 1-based, in accept order), in the order the server received and sent
// it: "> LINE" for each command line received, "< LINE" for the last line
// of each reply sent (the one that starts with the code and a space, as
// "< 226 Transfer complete."). A command is recorded as soon as the
// server reads it, before it handles it, and a reply just before it is
// written: so a test can tell which commands had arrived when a reply
// went out. It returns nil for a session that does not exist.
func (s *Server) Transcript(n int) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if n < 1 || n > len(s.trans) {
		return nil
	}
	return append([]string(nil), s.trans[n-1]...)
}

// recordReplies adds the replies that end in b, written on session's
// control connection, to its transcript. A session without a server (a
// parser's test) records nothing.
func (s *Server) recordReplies(session int, b []byte) {
	if s == nil {
		return
	}
	var ends []string
	for _, line := range strings.Split(string(b), "\r\n") {
		if len(line) >= 4 && line[3] == ' ' && isDigits(line[:3]) {
			ends = append(ends, "< "+line)
		}
	}
	if len(ends) == 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if session >= 1 && session <= len(s.trans) {
		s.trans[session-1] = append(s.trans[session-1], ends...)
	}
}

// isDigits reports whether s is all ASCII digits.
func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
