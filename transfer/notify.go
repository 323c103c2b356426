package transfer

import "sync"

// NotifyOnce returns a function that passes each distinct message on to
// notify once and drops repeats: a job of many files that meets the same
// limit of the server on every file (no SITE CHMOD, say) says so once. It
// is safe for concurrent use; a nil notify gives nil.
func NotifyOnce(notify func(msg string)) func(msg string) {
	if notify == nil {
		return nil
	}
	var mu sync.Mutex
	seen := map[string]bool{}
	return func(msg string) {
		mu.Lock()
		first := !seen[msg]
		seen[msg] = true
		mu.Unlock()
		if first {
			notify(msg)
		}
	}
}
