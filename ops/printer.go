package ops

import (
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/ferry-ftp/ferry/client"
	"github.com/ferry-ftp/ferry/internal/progress"
)

// printer shows what an operation did: textPrinter for people,
// jsonPrinter for programs (--json). Both print the failures and skips of
// the items as they happen on stderr (the reporter does); the printer
// shows the results on stdout and the summary. An operation gets its
// printer from Env.printer.
type printer interface {
	// summary shows a transfer command's result at its end.
	summary(s jsonSummary, unverifiable bool) error
	// changes shows what a command on remote paths (rm, mkdir, rmdir,
	// chmod) did.
	changes(c jsonOps) error
	// planStep shows one step of a dry run as it is planned, and
	// planDone its counts.
	planStep(line string)
	planDone(counts string)
	// stat shows one entry in full.
	stat(e client.Entry, path string) error
	// reply shows a server's reply to a raw command: its code and its
	// lines.
	reply(code int, lines []string) error
	// list returns the printer of one listing, which shows its entries
	// on w as they come.
	list(w io.Writer, long, human bool) listPrinter
}

// listPrinter shows the entries of one listing as they come.
type listPrinter interface {
	// entry shows one entry, named path.
	entry(e client.Entry, path string)
	// end ends a whole listing; it is not called after a failure, so
	// that a listing cut short is never taken for a whole one.
	end()
	// count returns the entries shown.
	count() int
}

// printer returns the command's printer.
func (f *Env) printer() printer {
	if f.Opts.JSON {
		return jsonPrinter{f}
	}
	return textPrinter{f}
}

// textPrinter prints results for people: data on stdout, a summary line
// on stderr.
type textPrinter struct{ f *Env }

var _ printer = textPrinter{}

func (p textPrinter) summary(s jsonSummary, unverifiable bool) error {
	if s.DryRun || s.Failed == s.Count && s.Unchanged+s.Skipped+s.Deleted == 0 {
		// A dry run printed its plan; a single failure, or all, were
		// printed as they happened.
		return nil
	}
	elapsed := time.Duration(s.Seconds * float64(time.Second))
	rate := float64(s.Bytes) / max(s.Seconds, 1e-9)
	p.f.Status("%d file(s), %s in %s (%s)%s", s.Count-s.Failed, progress.FormatBytes(s.Bytes),
		elapsed.Round(time.Millisecond), progress.FormatRate(rate), summaryExtras(s, unverifiable))
	return nil
}

// summaryExtras returns the summary line's tail: what a tree job left
// unchanged, skipped, made and deleted, failures and retries, when there
// are any.
func summaryExtras(s jsonSummary, unverifiable bool) string {
	var out string
	add := func(n int, what string) {
		if n > 0 {
			out += fmt.Sprintf(", %d %s", n, what)
		}
	}
	add(s.Unchanged, "unchanged")
	add(s.Skipped, "skipped")
	add(s.Folders, "folder(s) made")
	add(s.Deleted, "deleted")
	add(s.SourcesRemoved, "source file(s) removed")
	add(s.Failed, "failed")
	add(s.Retries, "retries")
	if unverifiable {
		out += "; the server offers no digest, sizes checked only"
	}
	return out
}

func (p textPrinter) changes(jsonOps) error { return nil }

func (p textPrinter) planStep(line string) { fmt.Fprintln(p.f.IO.Out, line) }

func (p textPrinter) planDone(counts string) {
	p.f.Status("dry run: %s; nothing was changed", counts)
}

func (p textPrinter) stat(e client.Entry, path string) error {
	out := p.f.IO.Out
	fmt.Fprintf(out, "Name:     %s\n", client.Sanitize(path))
	fmt.Fprintf(out, "Type:     %s\n", e.Type)
	if e.Size >= 0 {
		fmt.Fprintf(out, "Size:     %d\n", e.Size)
	}
	if e.Precision != client.TimeUnknown {
		fmt.Fprintf(out, "Modified: %s\n", e.ModTime.Format(time.RFC3339))
	}
	if e.Mode != 0 {
		fmt.Fprintf(out, "Mode:     %04o\n", e.Mode.Perm())
	}
	if e.Target != "" {
		fmt.Fprintf(out, "Target:   %s\n", client.Sanitize(e.Target))
	}
	return nil
}

func (p textPrinter) reply(code int, lines []string) error {
	for _, line := range lines {
		// The text comes from the server.
		fmt.Fprintf(p.f.IO.Out, "%d %s\n", code, client.Sanitize(line))
	}
	return nil
}

func (p textPrinter) list(w io.Writer, long, human bool) listPrinter {
	return &textList{w: w, long: long, human: human}
}

// textList prints names, or ferry's long lines, one a line.
type textList struct {
	w           io.Writer
	long, human bool
	n           int
}

func (l *textList) entry(e client.Entry, path string) {
	l.n++
	// Names come from the server: escape control characters so that
	// they cannot drive the terminal.
	if l.long {
		fmt.Fprintln(l.w, client.Sanitize(longLine(e, path, l.human)))
		return
	}
	fmt.Fprintln(l.w, client.Sanitize(path))
}

func (l *textList) end()       {}
func (l *textList) count() int { return l.n }

// jsonPrinter prints results as JSON on stdout: indented documents, or
// with Env.JSONLines one line each.
type jsonPrinter struct{ f *Env }

var _ printer = jsonPrinter{}

func (p jsonPrinter) summary(s jsonSummary, _ bool) error {
	if s.Files == nil {
		s.Files = []jsonResult{}
	}
	return p.f.writeJSON(s)
}

func (p jsonPrinter) changes(c jsonOps) error { return p.f.writeJSON(c) }

// The plan is part of the summary.
func (p jsonPrinter) planStep(string) {}
func (p jsonPrinter) planDone(string) {}

func (p jsonPrinter) stat(e client.Entry, path string) error {
	return p.f.writeJSON(toJSONEntry(e, path))
}

// jsonReply is the JSON shape of a server's reply (quote).
type jsonReply struct {
	Code  int       `json:"code"`
	Lines jsonTexts `json:"lines"`
}

func (p jsonPrinter) reply(code int, lines []string) error {
	return p.f.writeJSON(jsonReply{Code: code, Lines: lines})
}

func (p jsonPrinter) list(w io.Writer, _, _ bool) listPrinter {
	return &jsonList{w: w, lines: p.f.JSONLines}
}

// jsonList prints the elements of one JSON array as they come.
type jsonList struct {
	w     io.Writer
	lines bool // the array on one line (JSON Lines)
	n     int
}

func (l *jsonList) entry(e client.Entry, path string) {
	l.n++
	var b []byte
	sep := ",\n  "
	if l.lines {
		b, _ = json.Marshal(toJSONEntry(e, path))
		sep = ","
	} else {
		b, _ = json.MarshalIndent(toJSONEntry(e, path), "  ", "  ")
	}
	if l.n == 1 {
		sep = "[\n  "
		if l.lines {
			sep = "["
		}
	}
	io.WriteString(l.w, sep)
	l.w.Write(b)
}

func (l *jsonList) end() {
	switch {
	case l.n == 0:
		io.WriteString(l.w, "[]\n")
	case l.lines:
		io.WriteString(l.w, "]\n")
	default:
		io.WriteString(l.w, "\n]\n")
	}
}

func (l *jsonList) count() int { return l.n }
