package ops

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/spf13/pflag"

	"github.com/ferry-ftp/ferry/client"
	"github.com/ferry-ftp/ferry/internal/ftpurl"
	"github.com/ferry-ftp/ferry/transfer"
)

// CheckOptions are the options of `ferry check`.
type CheckOptions struct {
	F       *Env
	Reverse bool
	Source  string
	Target  string
	Engine  engineFlags
	Tree    treeFlags
}

// ErrDiffer is returned, wrapped, when check finds the trees differ
// (exit code 1).
var ErrDiffer = errors.New("the folders differ")

var checkCommand = Command{
	Name:    "check",
	Use:     "check URL DIR | check -R DIR URL",
	Short:   "Compare a remote folder with a local one, copying nothing",
	MinArgs: 2, MaxArgs: 2,
	New: func() Operation { return &CheckOptions{} },
	Long: `Compare the remote folder URL with the local folder DIR by the rules mirror
uses (size and time; --size-only, --checksum and the filters as in mirror),
and list the differences: files and folders missing on either side, and
files that differ, with the reason. Nothing is copied or deleted; only
listings (and MDTM, HASH with --checksum) are sent. With -R, DIR is the
source: a file newer on the server than its local copy then differs only
when its size does, as mirror -R would see it.

Every path that could not be compared is named: on stdout as "error: PATH
(why)" (a folder whose listing was refused; a file of the same size whose
time the listing tells only to the minute or the day, where MDTM is
refused or not offered; a file the --newer-than, --older-than, --min-size
or --max-size limits cannot decide on; a size or time the listing does not
give) and in --json's "errors"; links, special files and listing lines
that cannot be read as "not compared" on stderr and in "not_compared".

Exit status: 0 when the folders match, 1 when they differ, 8 when nothing
was found to differ but some paths could not be compared, and the usual
codes for other failures.`,
	Example: `  ferry check ftp://ftp.example.org/pub ./pub
  ferry check --json --checksum ftp://example.org/site ./site
  ferry check -R --exclude '*.tmp' ./site ftp://user@example.org/www`,
}

// AddFlags defines check's flags.
func (o *CheckOptions) AddFlags(fl *pflag.FlagSet) {
	fl.BoolVarP(&o.Reverse, "reverse", "R", false, "the local DIR is the source and the remote URL the copy")
	fl.IntVarP(&o.Engine.Parallel, "parallel", "P", transfer.DefaultParallel, "list up to `N` folders at once, over N connections (config: parallel)")
	addGlobFlags(fl, &o.Tree.Exclude, &o.Tree.Include, "compare")
	o.Tree.addCompare(fl)
	o.Tree.addFilters(fl, "compare")
}

// Args takes the positional arguments.
func (o *CheckOptions) Args(fl *pflag.FlagSet, args []string) error {
	o.Source, o.Target = args[0], args[1]
	return nil
}

// jsonDifference is the JSON shape of one difference check found.
type jsonDifference struct {
	Path string `json:"path"`
	// Difference is "missing locally", "missing on the server",
	// "differs", or "not compared".
	Difference string `json:"difference"`
	Reason     string `json:"reason,omitempty"`
	Dir        bool   `json:"dir,omitempty"`
}

// jsonCheckError is the JSON shape of a path check could not compare
// because something failed or was not known.
type jsonCheckError struct {
	Path  string `json:"path"`
	Dir   bool   `json:"dir,omitempty"`
	Error string `json:"error"`
}

// jsonCheck is the JSON shape of check's result.
type jsonCheck struct {
	Match       bool             `json:"match"`
	Same        int              `json:"same"`
	Differences []jsonDifference `json:"differences"`
	NotCompared []jsonDifference `json:"not_compared,omitempty"`
	// Errors are the paths that could not be compared: a listing or
	// command refused, a size or time not known.
	Errors []jsonCheckError `json:"errors,omitempty"`
	Failed int              `json:"failed"`
}

// checkEvents collects what a check's scan reports as it goes: the
// paths it could not list or read, and the listing lines it skipped.
type checkEvents struct {
	mu     sync.Mutex
	errors []jsonCheckError
	skips  []jsonDifference
}

func (c *checkEvents) add(ev transfer.Event) {
	a := ev.Action
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case ev.Err != nil:
		msg := ev.Err.Error()
		if a.Reason != "" {
			msg = a.Reason + ": " + msg
		}
		c.errors = append(c.errors, jsonCheckError{Path: a.Path, Dir: a.Dir, Error: msg})
	case a.Kind == transfer.Skip:
		c.skips = append(c.skips, jsonDifference{Path: a.Path, Difference: "not compared", Reason: a.Reason, Dir: a.Dir})
	}
}

// Run does it.
func (o *CheckOptions) Run(ctx context.Context, env *Env) error {
	o.F = env
	url, local, dir := o.Source, env.local(o.Target), transfer.Download
	if o.Reverse {
		url, local, dir = o.Target, env.local(o.Source), transfer.Upload
	}
	if !env.Shared && !ftpurl.IsRemote(url) {
		return usageErrorf("%q is not a remote address (ftp://host/path or NAME:/path)", url)
	}
	if err := o.Engine.check(); err != nil {
		return err
	}
	filter, err := o.Tree.filter(env, time.Now())
	if err != nil {
		return err
	}
	r, err := env.Resolve(url)
	if err != nil {
		return err
	}
	site, err := env.Site(r)
	if err != nil {
		return err
	}
	p := o.Engine.pool(env, site, o.Engine.Parallel)
	defer p.Close()
	// A dry run with Delete plans what the source lacks as deletions:
	// the differences of both sides, and nothing changes.
	var events checkEvents
	opt := transfer.MirrorOptions{Direction: dir, Update: transfer.UpdateChanged, Delete: true, AllowEmptySource: true,
		DryRun: true, Filter: filter, SizeOnly: o.Tree.SizeOnly, Checksum: o.Tree.Checksum,
		Notify: func(msg string) { env.Warn("%s", msg) }, OnEvent: events.add}
	res, err := p.Mirror(ctx, r.Path(), local, opt)
	if err != nil {
		return err
	}
	return o.report(res, dir, &events)
}

// report prints the differences and returns the command's error.
func (o *CheckOptions) report(res *transfer.Report, dir transfer.Direction, events *checkEvents) error {
	missingHere, missingThere := "missing locally", "missing on the server"
	if dir == transfer.Upload {
		missingHere, missingThere = missingThere, missingHere
	}
	out := jsonCheck{Differences: []jsonDifference{}, Errors: events.errors, NotCompared: events.skips}
	for _, a := range res.Plan {
		d := jsonDifference{Path: a.Path, Reason: a.Reason, Dir: a.Dir}
		switch {
		case (a.Kind == transfer.Keep || a.Kind == transfer.Copy) && a.Unsure != "":
			// Neither the same nor known to differ.
			out.Errors = append(out.Errors, jsonCheckError{Path: a.Path, Error: a.Unsure})
			continue
		case a.Kind == transfer.Keep:
			out.Same++
			continue
		case a.Kind == transfer.Skip:
			d.Difference = "not compared"
			out.NotCompared = append(out.NotCompared, d)
			continue
		case a.Kind == transfer.Delete && a.Reason == "not in source":
			d.Difference, d.Reason = missingThere, ""
		case (a.Kind == transfer.Copy || a.Kind == transfer.MakeDir) && a.Reason == "new":
			d.Difference, d.Reason = missingHere, ""
		case a.Kind == transfer.Delete:
			// In the way of the source's path: a file on one side, a
			// folder on the other.
			d.Difference, d.Dir = "differs", false
		default:
			d.Difference = "differs"
		}
		out.Differences = append(out.Differences, d)
	}
	out.Failed = len(out.Errors)
	out.Match = len(out.Differences) == 0 && len(out.NotCompared) == 0 && len(out.Errors) == 0 && res.Failed == 0
	f := o.F
	if f.Opts.JSON {
		if err := f.writeJSON(out); err != nil {
			return err
		}
	} else {
		for _, d := range out.Differences {
			p := d.Path
			if d.Dir {
				p += "/"
			}
			line := d.Difference + ": " + client.Sanitize(p)
			if d.Reason != "" {
				line += " (" + d.Reason + ")"
			}
			fmt.Fprintln(f.IO.Out, line)
		}
		for _, e := range out.Errors {
			p := e.Path
			if e.Dir {
				p += "/"
			}
			fmt.Fprintf(f.IO.Out, "error: %s (%s)\n", client.Sanitize(p), client.Sanitize(e.Error))
		}
		for _, d := range out.NotCompared {
			f.Warn("not compared: %s: %s", client.Sanitize(d.Path), d.Reason)
		}
	}
	var parts []string
	parts = append(parts, fmt.Sprintf("%d file(s) the same", out.Same))
	if n := len(out.Differences); n > 0 {
		parts = append(parts, fmt.Sprintf("%d difference(s)", n))
	}
	if n := len(out.NotCompared) + len(out.Errors); n > 0 {
		parts = append(parts, fmt.Sprintf("%d not compared", n))
	}
	switch {
	case len(out.Differences) > 0:
		return fmt.Errorf("%w: %s", ErrDiffer, strings.Join(parts, ", "))
	case !out.Match:
		n := len(out.NotCompared) + len(out.Errors)
		return &checkPartial{summary: strings.Join(parts, ", "),
			PartialError: PartialError{Skipped: len(out.NotCompared), Failed: len(out.Errors), Total: out.Same + n}}
	}
	f.Status("the folders match: %s", strings.Join(parts, ", "))
	return nil
}

// checkPartial is a check that found no difference but could not compare
// some paths: exit 8, as a PartialError.
type checkPartial struct {
	summary string
	PartialError
}

func (e *checkPartial) Error() string { return "not all compared: " + e.summary }

// Unwrap returns the PartialError, for the exit code.
func (e *checkPartial) Unwrap() error { return &e.PartialError }
