package shell

import (
	"bufio"
	"errors"
	"io"
	"os"
	"strings"
	"sync"

	"github.com/chzyer/readline"
	"golang.org/x/term"

	"github.com/ferry-ftp/ferry/completion"
)

// errLineCleared is returned by lineReader.readLine when Ctrl-C cleared
// the line being typed.
var errLineCleared = errors.New("line cleared")

// errNoTerminal is returned when a password is needed and there is no
// terminal to ask on.
var errNoTerminal = errors.New("no terminal to ask for a password on")

// historyLimit is how many lines the history keeps.
const historyLimit = 1000

// lineReader is where the shell's command lines come from: readline on a
// terminal, or a batch script.
type lineReader interface {
	// readLine shows prompt and returns the next line without its line
	// ending. It returns io.EOF at the end of the input (Ctrl-D) and
	// errLineCleared when Ctrl-C cleared the line.
	readLine(prompt string) (string, error)
	// readPassword asks for a password without echoing it.
	readPassword(prompt string) (string, error)
	// close releases the input; a readLine in progress returns io.EOF.
	// It may be called more than once and from another goroutine.
	close() error
}

// openInput sets up the line reader: the script in batch mode, readline
// with completion and history otherwise.
func (s *Shell) openInput() error {
	if !s.interactive {
		s.in = &scriptReader{r: bufio.NewReader(s.cfg.Script)}
		return nil
	}
	var stdin io.Reader = os.Stdin
	if s.cfg.Stdin != nil {
		stdin = s.cfg.Stdin
	}
	var rl *readline.Instance
	adapter := completion.ReadlineAdapter(s.complete, completionTimeout).WithScreen(terminalSize,
		func(msg string) {
			// Written after the completion returns, above the prompt.
			go rl.Write([]byte(msg + "\n"))
		})
	rc := &readline.Config{
		// A cancelable reader lets Close stop a pending read.
		Stdin:                  readline.NewCancelableStdin(stdin),
		Stdout:                 s.out,
		Stderr:                 s.errOut,
		AutoComplete:           adapter,
		DisableAutoSaveHistory: true,
		HistoryLimit:           historyLimit,
		EOFPrompt:              "bye",
	}
	if s.tune != nil {
		s.tune(rc)
	}
	rl, err := readline.NewEx(rc)
	if err != nil {
		return err
	}
	t := &termReader{rl: rl}
	s.in = t
	if s.cfg.HistoryFile != "" {
		h, err := openHistory(s.cfg.HistoryFile, rl.SaveHistory)
		if err != nil {
			s.warn("history: %v", err)
		} else {
			s.hist = h
		}
	}
	return nil
}

// termReader reads lines with readline.
type termReader struct {
	rl   *readline.Instance
	once sync.Once
	// eof is set once readline reported the end of the input: its reading
	// goroutine has stopped, and a new Readline would wait forever.
	eof bool
}

func (t *termReader) readLine(prompt string) (string, error) {
	if t.eof {
		return "", io.EOF
	}
	t.rl.SetPrompt(prompt)
	line, err := t.rl.Readline()
	return t.result(line, err)
}

func (t *termReader) readPassword(prompt string) (string, error) {
	if t.eof {
		return "", io.EOF
	}
	// The password configuration starts from readline's defaults: give
	// it the shell's terminal, so that it reads the same input.
	pc := t.rl.GenPasswordConfig()
	main := t.rl.Config
	pc.Prompt = prompt
	pc.Stdin = main.Stdin
	pc.FuncIsTerminal, pc.FuncMakeRaw, pc.FuncExitRaw = main.FuncIsTerminal, main.FuncMakeRaw, main.FuncExitRaw
	pc.FuncGetWidth, pc.FuncOnWidthChanged, pc.Listener = main.FuncGetWidth, main.FuncOnWidthChanged, main.Listener
	b, err := t.rl.ReadPasswordWithConfig(pc)
	return t.result(string(b), err)
}

// result translates readline's errors.
func (t *termReader) result(line string, err error) (string, error) {
	switch {
	case errors.Is(err, readline.ErrInterrupt):
		return "", errLineCleared
	case err != nil:
		t.eof = true
	}
	return line, err
}

func (t *termReader) close() error {
	var err error
	t.once.Do(func() { err = t.rl.Close() })
	return err
}

// scriptReader reads the lines of a batch script.
type scriptReader struct {
	r       *bufio.Reader
	started bool // the first line was read
}

func (b *scriptReader) readLine(string) (string, error) {
	line, err := b.r.ReadString('\n')
	if err == io.EOF && line != "" {
		err = nil
	}
	if !b.started {
		// A script saved by an editor that marks UTF-8 with a BOM.
		line, b.started = strings.TrimPrefix(line, "\ufeff"), true
	}
	return strings.TrimRight(line, "\r\n"), err
}

func (b *scriptReader) readPassword(string) (string, error) {
	return "", errNoTerminal
}

func (b *scriptReader) close() error { return nil }

// terminalSize returns the size of the terminal on stdout, or zeros.
func terminalSize() (cols, rows int) {
	cols, rows, err := term.GetSize(int(os.Stdout.Fd()))
	if err != nil {
		return 0, 0
	}
	return cols, rows
}
