package shell

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"

	"github.com/ferry-ftp/ferry/client"
	"github.com/ferry-ftp/ferry/transfer"
)

func (s *Shell) cmdLcd(_ context.Context, args []string) error {
	dir := "~"
	if len(args) == 1 {
		dir = args[0]
	}
	if dir == "-" {
		if s.prevLcwd == "" {
			return usageErrorf("lcd -: no previous local folder")
		}
		dir = s.prevLcwd
	}
	p := s.localPath(dir)
	fi, err := os.Stat(p)
	if err != nil {
		return &transfer.LocalError{Op: "change to", Path: p, Err: err}
	}
	if !fi.IsDir() {
		return &transfer.LocalError{Op: "change to", Path: p, Err: errors.New("not a folder")}
	}
	s.prevLcwd, s.lcwd = s.lcwd, p
	s.status("Local folder now %s", p)
	return nil
}

func (s *Shell) cmdLpwd(context.Context, []string) error {
	return s.result(s.lcwd, map[string]any{"path": s.lcwd})
}

func (s *Shell) cmdLls(_ context.Context, args []string) error {
	p := s.lcwd
	if len(args) == 1 {
		p = s.localPath(args[0])
	}
	fi, err := os.Stat(p)
	if err != nil {
		return &transfer.LocalError{Op: "list", Path: p, Err: err}
	}
	if !fi.IsDir() {
		fmt.Fprintln(s.out, client.Sanitize(args[0]))
		return nil
	}
	entries, err := os.ReadDir(p)
	if err != nil {
		return &transfer.LocalError{Op: "list", Path: p, Err: err}
	}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() {
			name += "/"
		}
		// A local name may hold control characters too (a file a
		// server named): escaped, as ls escapes remote ones.
		fmt.Fprintln(s.out, client.Sanitize(name))
	}
	return nil
}

// cmdBang runs a command line with $SHELL -c in the local folder, or an
// interactive $SHELL without one. The child shares the terminal, so
// Ctrl-C reaches it directly.
func (s *Shell) cmdBang(_ context.Context, args []string) error {
	sh := s.cfg.Getenv("SHELL")
	if sh == "" {
		sh = "/bin/sh"
	}
	var c *exec.Cmd
	if len(args) == 0 {
		c = exec.Command(sh)
	} else {
		c = exec.Command(sh, "-c", args[0])
	}
	c.Dir = s.lcwd
	c.Stdout, c.Stderr = s.out, s.errOut
	// The child reads the terminal directly. It gets no stdin otherwise:
	// a batch script may come on stdin, and copying from a reader would
	// take the shell's input.
	if f, ok := s.cfg.Stdin.(*os.File); ok && s.interactive {
		c.Stdin = f
	} else if s.cfg.Stdin == nil && s.interactive {
		c.Stdin = os.Stdin
	}
	if err := c.Run(); err != nil {
		return fmt.Errorf("!: %w", err)
	}
	return nil
}
