package shell

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// errStopAsking is the "q" answer to a confirmation: the command stops
// without an error.
var errStopAsking = errors.New("stopped")

// errNoLocalMatch is a local pattern that matched no file.
var errNoLocalMatch = errors.New("no local file matches")

// localPath returns p in the local folder: "~/" is the home folder and
// relative paths start at the shell's local folder.
func (s *Shell) localPath(p string) string {
	if p == "~" || strings.HasPrefix(p, "~/") {
		if home, err := s.home(); err == nil {
			p = filepath.Join(home, p[1:])
		}
	}
	if filepath.IsAbs(p) {
		return filepath.Clean(p)
	}
	return filepath.Join(s.lcwd, p)
}

// home returns the user's home folder.
func (s *Shell) home() (string, error) {
	if h := s.cfg.Getenv("HOME"); h != "" {
		return h, nil
	}
	return os.UserHomeDir()
}

// confirm asks whether to go on with name when prompting is on. The
// answers are y (or Enter), n, a (all the rest) and q (stop: errStopAsking).
func (s *Shell) confirm(verb, name string, all *bool) (bool, error) {
	if !s.prompting || !s.interactive || *all {
		return true, nil
	}
	for {
		ans, err := s.in.readLine(fmt.Sprintf("%s %s? [y/n/a/q] ", verb, name))
		if errors.Is(err, errLineCleared) {
			return false, fmt.Errorf("confirmation: %w", context.Canceled)
		}
		if errors.Is(err, io.EOF) {
			return false, errStopAsking
		}
		if err != nil {
			return false, err
		}
		switch strings.ToLower(strings.TrimSpace(ans)) {
		case "", "y", "yes":
			return true, nil
		case "n", "no":
			return false, nil
		case "a", "all":
			*all = true
			return true, nil
		case "q", "quit":
			return false, errStopAsking
		}
	}
}
