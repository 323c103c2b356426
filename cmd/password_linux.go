package cmd

import (
	"fmt"
	"io"
	"os"

	"golang.org/x/sys/unix"
	"golang.org/x/term"
)

// readPassword shows prompt on w and reads a line from the terminal f
// without echo. Echo goes off before the prompt appears, so that keys
// typed ahead of it are not echoed either.
func readPassword(f *os.File, w io.Writer, prompt string) (string, error) {
	fd := int(f.Fd())
	if old, err := unix.IoctlGetTermios(fd, unix.TCGETS); err == nil {
		quiet := *old
		quiet.Lflag &^= unix.ECHO
		if unix.IoctlSetTermios(fd, unix.TCSETS, &quiet) == nil {
			defer unix.IoctlSetTermios(fd, unix.TCSETS, old)
		}
	}
	fmt.Fprint(w, prompt)
	b, err := term.ReadPassword(fd)
	return string(b), err
}
