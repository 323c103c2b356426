package shell

import (
	"context"
	"path/filepath"
	"strings"
	"time"

	"github.com/ferry-ftp/ferry/completion"
)

// completionTimeout bounds one completion: a slow server gives no
// candidates rather than a stuck prompt.
const completionTimeout = 3 * time.Second

// complete is the shell's completion.Func: command names in the first
// word, then what the command table says each argument is.
func (s *Shell) complete(ctx context.Context, line, word string) []string {
	if s.busy.Load() {
		return nil // a command is asking a question
	}
	words, start := completion.SplitWords(line)
	n := len(words) // index of the word being completed
	if start < len(line) {
		n--
	}
	if strings.HasPrefix(line, "!") {
		if n == 0 {
			return nil
		}
		return s.completeLocal(word)
	}
	if n == 0 {
		return completion.Names(word, commandNames())
	}
	c := lookup(words[0])
	if c == nil || len(c.args) == 0 {
		return nil
	}
	idx := n - 1
	if c.name == "ls" {
		if strings.HasPrefix(word, "-") {
			return nil
		}
		idx = 0
		for _, w := range words[1:n] {
			if !strings.HasPrefix(w, "-") {
				idx++
			}
		}
	}
	switch c.args[min(idx, len(c.args)-1)] {
	case argRemote:
		return s.completeRemote(ctx, word)
	case argLocal:
		return s.completeLocal(word)
	case argBookmark:
		names := []string{"ftp://", "ftps://", "ftpes://"}
		bs, _ := s.bookmarks()
		for _, b := range bs {
			names = append(names, b.Name)
		}
		return completion.Names(word, names)
	case argCommand:
		return completion.Names(word, commandNames())
	}
	return nil
}

// completeRemote completes a remote path through the listing cache,
// relative to the remote folder.
func (s *Shell) completeRemote(ctx context.Context, word string) []string {
	s.mu.Lock()
	cache, cwd := s.cache, s.cwd
	s.mu.Unlock()
	if cache == nil {
		return nil
	}
	out, _ := completion.Remote(ctx, cache, cwd, word)
	return out
}

// completeLocal completes a local path relative to the shell's local
// folder.
func (s *Shell) completeLocal(word string) []string {
	if filepath.IsAbs(word) || word == "~" || strings.HasPrefix(word, "~/") {
		out, _ := completion.Local(word)
		return out
	}
	s.mu.Lock()
	base := s.lcwd + string(filepath.Separator)
	s.mu.Unlock()
	out, _ := completion.Local(base + word)
	for i, c := range out {
		out[i] = strings.TrimPrefix(c, base)
	}
	return out
}
