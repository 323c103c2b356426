// Package progress shows the progress of file transfers: live bars on a
// terminal ([Bars]), a silent record of per-file results for the end-of-command
// summary and the --json output ([Summary]), and [Tee] to do both at once.
// All of them implement [transfer.Progress].
//
// # Concurrent transfers
//
// Bars shows one line per running transfer. A transfer's FileProgress.Add only
// adds to an atomic counter; it never draws, locks or allocates. One
// goroutine, running while at least one transfer does, redraws every line
// together at a fixed interval (65 ms by default): it moves the cursor back to
// the first bar line, prints the lines of transfers that finished since the
// last frame (they scroll up and stay as a log), then the live bars, and
// clears what is left below. Each frame goes to the writer in one Write call,
// under one mutex, so parallel transfers never garble each other. When there
// are more bars than the terminal has lines, the last line says how many are
// not shown.
//
// The bar itself (the percentage and |████   |, or a spinner for an unknown
// size) is rendered by github.com/schollz/progressbar/v3, fed only from the
// drawing goroutine. The columns around it (bytes, rate, ETA) are ferry's
// own, so that they use the same units as [FormatBytes] and so that the rate
// of a resumed transfer counts only the bytes moved by this run: progressbar
// counts every byte it is given, including the resume offset, into its rate.
//
// When the writer is not a terminal (a pipe or a log file), Bars draws no
// live lines and prints only each transfer's final line.
package progress
