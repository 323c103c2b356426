// Package pattern expands the remote patterns that ferry's commands (get,
// cat, rm, chmod) and its shell's commands (mget, mdelete) take in the
// last element of a path, such as "logs/*.gz".
//
// FTP names may hold the characters of a pattern ("qm?.txt",
// "report-[draft].txt"), so a pattern is expanded only when it was meant
// as one. The rule, in Auto mode: a name that the folder holds exactly as
// written is taken as it is, never as a pattern; otherwise it is matched
// against the folder's listing with path.Match, where a backslash quotes
// the character after it ("qm\?.txt" matches "qm?.txt" only). Literal
// mode takes every name as it is, without reading the listing; Glob mode
// always expands. The listing is read in any case to expand, so looking
// the name up in it costs nothing more.
package pattern

import (
	"context"
	"fmt"
	"path"
	"strings"

	"github.com/ferry-ftp/ferry/client"
)

// Mode says whether a path with pattern characters is a pattern.
type Mode int

const (
	// Auto takes a name the folder holds as it is, and expands it as a
	// pattern otherwise.
	Auto Mode = iota
	// Literal takes every name as it is (--literal).
	Literal
	// Glob expands every name with pattern characters, even one the
	// folder holds as it is (--glob).
	Glob
)

// ErrBadPattern is returned, wrapped, for a malformed pattern (such as an
// unclosed "[") that is not the name of a file either.
var ErrBadPattern = path.ErrBadPattern

// Has reports whether the last element of the remote path p holds
// pattern characters: "*", "?" or "[".
func Has(p string) bool {
	return strings.ContainsAny(path.Base(p), "*?[")
}

// Split splits a remote path into its folder and last element; the folder
// is "" for the login folder and "/" for the root. A trailing "/" is
// ignored.
func Split(p string) (dir, name string) {
	p = strings.TrimSuffix(p, "/")
	i := strings.LastIndexByte(p, '/')
	switch {
	case i < 0:
		return "", p
	case i == 0:
		return "/", p[1:]
	}
	return p[:i], p[i+1:]
}

// Join joins a remote folder ("" for the login folder) and a name.
func Join(dir, name string) string {
	switch {
	case dir == "":
		return name
	case strings.HasSuffix(dir, "/"):
		return dir + name
	}
	return dir + "/" + name
}

// Options configure Expand.
type Options struct {
	// Mode says whether a name with pattern characters is a pattern.
	Mode Mode
	// Dirs keeps the folders a pattern matches among the matches; without
	// it they are set apart in Result.Folders, for the caller to report.
	Dirs bool
	// Budget is charged with each match kept (see client.Budget.KeepPath).
	Budget *client.Budget
	// Unparsed is told each listing line that cannot be parsed.
	Unparsed func(line string)
}

// Match is one path a name stands for.
type Match struct {
	// Path is the remote path: the folder joined with the listed name.
	Path string
	// Entry is the listing's entry, when Listed.
	Entry  client.Entry
	Listed bool
}

// Result is what a name stands for.
type Result struct {
	// Matches are the paths to act on, in the listing's order: the name
	// itself when it is taken as it is (Listed when the listing was read
	// and holds it), else the names the pattern matches.
	Matches []Match
	// Folders are the folders the pattern matched that Options.Dirs left
	// out.
	Folders []Match
	// Literal is set when the name was taken as it is: it has no pattern
	// characters, the mode is Literal, or (Auto) the folder holds it.
	Literal bool
	// Also counts the other names the pattern would have matched when
	// Auto took it as it is because the folder holds it: a caller says
	// so, and that --glob matches them all.
	Also int
}

// Expand returns what the remote path p stands for, reading the listing
// of p's folder over c when p's last element holds pattern characters
// and the mode is not Literal (with names starting with "." only when the
// pattern starts with one). An empty Result.Matches and Result.Folders
// means nothing matched: the caller says so in its own words. A
// malformed pattern that is not a name in the folder is an error
// wrapping ErrBadPattern.
func Expand(ctx context.Context, c *client.Conn, p string, opt Options) (Result, error) {
	if !Has(p) || opt.Mode == Literal {
		return Result{Matches: []Match{{Path: p}}, Literal: true}, nil
	}
	dir, name := Split(p)
	_, badErr := path.Match(name, "")
	if badErr != nil && opt.Mode == Glob {
		return Result{}, fmt.Errorf("bad pattern %q: %w", name, badErr)
	}
	hidden := strings.HasPrefix(name, ".")
	var (
		res   Result
		exact *Match
	)
	err := c.ReadDirFunc(ctx, dir, client.ListOptions{Hidden: hidden, Unparsed: opt.Unparsed}, func(e client.Entry) error {
		m := Match{Path: Join(dir, e.Name), Entry: e, Listed: true}
		m.Entry.Facts = nil
		if e.Name == name && opt.Mode == Auto {
			exact = &m
			return nil
		}
		if badErr != nil || (!hidden && strings.HasPrefix(e.Name, ".")) {
			return nil
		}
		if ok, _ := path.Match(name, e.Name); !ok {
			return nil
		}
		if exact != nil {
			// The name is taken as it is: count the others, keep none.
			res.Also++
			return nil
		}
		if err := opt.Budget.KeepPath(m.Path); err != nil {
			return err
		}
		if e.Type == client.EntryDir && !opt.Dirs {
			res.Folders = append(res.Folders, m)
		} else {
			res.Matches = append(res.Matches, m)
		}
		return nil
	})
	if err != nil {
		return Result{}, err
	}
	if exact != nil {
		// The matches kept before the name was found are dropped.
		for _, m := range append(res.Matches, res.Folders...) {
			opt.Budget.ReleasePath(m.Path)
		}
		if err := opt.Budget.KeepPath(exact.Path); err != nil {
			return Result{}, err
		}
		return Result{Matches: []Match{*exact}, Literal: true, Also: res.Also + len(res.Matches) + len(res.Folders)}, nil
	}
	if badErr != nil {
		return Result{}, fmt.Errorf("bad pattern %q, and no file of that name: %w", name, badErr)
	}
	return res, nil
}
