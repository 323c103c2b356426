package shell

import (
	"context"
	"path/filepath"
	"strings"
	"time"

	"github.com/ferry-ftp/ferry/completion"
	"github.com/ferry-ftp/ferry/ops"
	"github.com/spf13/pflag"
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
	if c.op != "" {
		// The operation's flags: offered for a word that starts
		// with "-", and not counted as arguments.
		if strings.HasPrefix(word, "-") {
			return completion.Names(word, s.flagNames(c))
		}
		fl := s.opFlags(c, ops.Lookup(c.op).New(), &ops.GlobalOptions{})
		idx = 0
		for i := 1; i < n; i++ {
			w := words[i]
			if !strings.HasPrefix(w, "-") || w == "-" {
				idx++
				continue
			}
			if takesValue(fl, w) {
				i++ // the flag's value
			}
		}
	}
	switch c.args[min(idx, len(c.args)-1)] {
	case argRemote:
		return s.completeRemote(ctx, word)
	case argRemoteDir:
		return onlyFolders(s.completeRemote(ctx, word))
	case argLocal:
		return s.completeLocal(word)
	case argLocalDir:
		return onlyFolders(s.completeLocal(word))
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

// onlyFolders keeps the candidates that are folders (they end in "/").
func onlyFolders(cands []string) []string {
	out := cands[:0]
	for _, c := range cands {
		if strings.HasSuffix(c, "/") {
			out = append(out, c)
		}
	}
	return out
}

// flagNames returns the long flags of c's operation, "--name" each.
func (s *Shell) flagNames(c *command) []string {
	var names []string
	s.opFlags(c, ops.Lookup(c.op).New(), &ops.GlobalOptions{}).VisitAll(func(f *pflag.Flag) {
		names = append(names, "--"+f.Name)
	})
	return names
}

// takesValue reports whether the flag word w ("--exclude", "-x") needs
// the next word as its value.
func takesValue(fl *pflag.FlagSet, w string) bool {
	if strings.Contains(w, "=") {
		return false
	}
	if name, ok := strings.CutPrefix(w, "--"); ok {
		f := fl.Lookup(name)
		return f != nil && f.Value.Type() != "bool"
	}
	// -abc: the first shorthand that takes a value takes the rest of
	// the word, or the next word when nothing is left.
	for i := 1; i < len(w); i++ {
		f := fl.ShorthandLookup(w[i : i+1])
		if f != nil && f.Value.Type() != "bool" {
			return i == len(w)-1
		}
	}
	return false
}
