// Command ferry is an FTP client for the terminal: one-shot commands on
// ftp:// URLs and an interactive shell.
package main

import (
	"os"
	"runtime/debug"

	"github.com/ferry-ftp/ferry/cmd"
)

// memoryLimit is the Go runtime's soft memory limit. It is a backstop,
// not what bounds ferry's memory: --max-entries and --max-listing-size do,
// and keep a command within 200 MB. Near the limit the garbage collector
// works harder rather than let the heap double; a command whose limits
// were raised raises it in proportion, and $GOMEMLIMIT replaces it.
const memoryLimit = 180 << 20

func main() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit)
	}
	os.Exit(cmd.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
