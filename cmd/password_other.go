//go:build !linux

package cmd

import (
	"fmt"
	"io"
	"os"

	"golang.org/x/term"
)

// readPassword shows prompt on w and reads a line from the terminal f
// without echo.
func readPassword(f *os.File, w io.Writer, prompt string) (string, error) {
	fmt.Fprint(w, prompt)
	b, err := term.ReadPassword(int(f.Fd()))
	return string(b), err
}
