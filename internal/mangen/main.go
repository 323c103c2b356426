// Command mangen writes ferry's manual pages, one per command in section
// 1 (ferry.1, ferry-get.1, ...), from the command tree that the binary
// itself runs, so that the pages say what --help says: each command's
// description, flags and examples, and in ferry.1 the exit codes. `make
// man` and `make install` run it:
//
//	go run ./internal/mangen -dir bin/man
//
// The pages carry a fixed date taken from $SOURCE_DATE_EPOCH when it is
// set, so that two builds of the same source write the same bytes.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Getenv, os.Stderr))
}

// run parses the arguments, writes the pages and returns the exit code.
func run(args []string, getenv func(string) string, stderr io.Writer) int {
	fs := flag.NewFlagSet("mangen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("dir", "", "folder to write the pages to (created if missing)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *dir == "" || fs.NArg() != 0 {
		fmt.Fprintln(stderr, "usage: mangen -dir FOLDER")
		return 2
	}
	date, err := sourceDate(getenv("SOURCE_DATE_EPOCH"))
	if err != nil {
		fmt.Fprintf(stderr, "mangen: %v\n", err)
		return 2
	}
	if err := os.MkdirAll(*dir, 0o755); err != nil {
		fmt.Fprintf(stderr, "mangen: %v\n", err)
		return 1
	}
	if err := generate(*dir, date); err != nil {
		fmt.Fprintf(stderr, "mangen: %v\n", err)
		return 1
	}
	return 0
}
