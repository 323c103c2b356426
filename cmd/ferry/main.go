// Command ferry is an FTP client for the terminal: one-shot commands on
// ftp:// URLs and an interactive shell.
package main

import (
	"os"

	"github.com/ferry-ftp/ferry/cmd"
)

func main() { os.Exit(cmd.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) }
