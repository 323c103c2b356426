// Package progress draws the live view of file transfers on a terminal
// ([Bars], a [transfer.Progress] and [transfer.Totals]) and formats
// sizes, rates and times for it and for the summaries ferry prints
// ([FormatBytes], [FormatRate]).
//
// # The live view
//
// On a terminal, Bars keeps a live area of a few lines at the bottom and
// redraws it in place: a totals line once the job has said what it moves
// ([Bars.SetTotals]: files done of the total, bytes of the total, a bar,
// the aggregate rate, the time left), then one line per running transfer
// (name, bytes, bar, rate, time left). However many transfers run at once,
// the area shows at most eight files, in the order they started, then
// "… N more", and keeps to one line less than the terminal's height.
//
// A finished transfer leaves the area at the next frame and leaves nothing
// behind: the caller reports failures and prints the summary. With
// [WithVerbose] each finished transfer leaves its final line ("name
// 12.0 MiB  35.2 MiB/s  done") above the area. Anything else the caller
// prints while transfers run (a failure, a warning) must go through Bars,
// which is an [io.Writer]: it clears the area, prints the text and draws
// the area again below it. Text written straight to the terminal would be
// overwritten by the next frame. [Bars.Close] clears the area and leaves
// the cursor where it began, so that the summary printed next is all that
// stays.
//
// When the writer is not a terminal (a pipe, a log file), Bars draws
// nothing: no live lines and no per-file lines, only, with WithVerbose,
// each transfer's final line. Text written to Bars goes through as is.
//
// # Drawing
//
// A transfer's FileProgress.Add only adds to an atomic counter; it never
// draws, locks or allocates. One goroutine, running while at least one
// transfer does, redraws the area at a fixed interval (65 ms by default).
// Each frame moves the cursor up to the area's first line (CSI n A), prints
// the lines waiting above it and the live lines, each ending with erase in
// line (CSI K) and CR LF, and clears the rest of the screen (CSI J). A
// frame goes to the writer in one Write call, under one mutex, so parallel
// transfers and messages never garble each other. Live lines are cut to
// the terminal's width, so that none wraps and the count of lines to move
// up stays right.
//
// Each bar (the percentage and |████   |, or a spinner for an unknown
// size) is rendered by github.com/schollz/progressbar/v3, fed only from
// the drawing goroutine and never writing itself. progressbar draws one
// bar on one line and knows nothing of other lines, so Bars lays out the
// area, moves the cursor and clears lines itself. The columns around each
// bar (bytes, rate, time left) are ferry's own, so that they use the
// units of [FormatBytes] and so that the rate of a resumed transfer counts
// only the bytes moved by this run: progressbar counts every byte it is
// given, including the resume offset, into its rate.
package progress
