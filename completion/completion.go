// Package completion completes remote paths, ftp:// URLs, local paths and
// bookmark names for both of ferry's front ends: the cobra command line,
// whose shell completion scripts call back into ferry, and the interactive
// shell, whose readline library calls Adapter.Do on Tab.
//
// Every completer returns full candidates, sorted and without duplicates,
// each starting with exactly the text the user typed, with "/" after
// folders so that completion goes on into them (see Continues). Completion
// must be quick and silent: the completers return as soon as their context
// ends, even when a Lister does not, and the front ends show no error when
// one fails.
package completion

import (
	"context"
	"path"
	"slices"
	"strings"

	"github.com/ferry-ftp/ferry/client"
)

// Lister lists a remote folder. The command line implements it by
// connecting with a short timeout, the shell with its open session.
//
// ReadDir receives "" for the current folder (the login folder on a fresh
// connection), or a cleaned path, absolute or relative to it. It should
// stop when ctx ends; when it does not, the completers return anyway and
// leave it running, so a Lister over a shared session must serialise its
// calls.
type Lister interface {
	ReadDir(ctx context.Context, dir string) ([]client.Entry, error)
}

// Remote completes a remote path prefix relative to the remote folder cwd
// ("" for the current folder of l's connection). It lists the folder part
// of prefix and returns prefix completed with each name that starts with
// the partial name after the last "/".
//
// Names are matched case-sensitively; names starting with "." are offered
// only when the partial name starts with "."; folders get a trailing "/";
// symbolic links and other entries are offered as files. Passing an
// absolute cwd (the shell's Getwd) keeps a Cache's keys valid across cd.
func Remote(ctx context.Context, l Lister, cwd, prefix string) ([]string, error) {
	dirPart, partial := splitLast(prefix, "/")
	dir := remoteDir(cwd, dirPart)
	entries, err := within(ctx, func(ctx context.Context) ([]client.Entry, error) {
		return l.ReadDir(ctx, dir)
	})
	if err != nil {
		return nil, err
	}
	var out []string
	for _, m := range matchEntries(entries, partial) {
		out = append(out, complete(prefix, m, m.name[len(partial):]))
	}
	return sortUnique(out), nil
}

// Names returns the names that start with prefix, sorted and without
// duplicates: bookmark names, command names, anything from a fixed list.
func Names(prefix string, names []string) []string {
	var out []string
	for _, n := range names {
		if strings.HasPrefix(n, prefix) {
			out = append(out, n)
		}
	}
	return sortUnique(out)
}

// Continues reports whether completion goes on after candidate c, so that
// no space should follow it: c is a folder (ends with "/") or a bookmark
// reference waiting for its path (ends with ":"). The command line sets
// cobra's ShellCompDirectiveNoSpace when any candidate continues; Adapter
// appends a space after the others.
func Continues(c string) bool {
	return strings.HasSuffix(c, "/") || strings.HasSuffix(c, ":")
}

// match is a listing name that completes a partial name.
type match struct {
	name string
	dir  bool
}

// complete returns prefix followed by rest, the part of m's name that
// completes it, and a "/" when m is a folder.
func complete(prefix string, m match, rest string) string {
	if m.dir {
		return prefix + rest + "/"
	}
	return prefix + rest
}

// matchEntries returns the entries whose names complete partial.
func matchEntries(entries []client.Entry, partial string) []match {
	var out []match
	for _, e := range entries {
		if offered(e.Name, partial) {
			out = append(out, match{name: e.Name, dir: e.Type == client.EntryDir})
		}
	}
	return out
}

// offered reports whether name completes partial: it starts with partial,
// is hidden only when partial asks for hidden names, and is a plain name
// that can be typed and sent back to a server ("." and "..", and names
// holding a "/" or any control character are never offered: a name from a
// hostile server must not reach the terminal as an escape sequence).
func offered(name, partial string) bool {
	switch {
	case name == "" || name == "." || name == "..":
		return false
	case !strings.HasPrefix(name, partial):
		return false
	case name[0] == '.' && !strings.HasPrefix(partial, "."):
		return false
	}
	return !strings.ContainsFunc(name, func(r rune) bool { return r == '/' || r < 0x20 || r == 0x7f || r >= 0x80 && r < 0xa0 })
}

// splitLast splits s after the last of the separator bytes in seps: the
// folder part with its separator, and the partial name after it.
func splitLast(s, seps string) (dir, name string) {
	i := strings.LastIndexAny(s, seps)
	return s[:i+1], s[i+1:]
}

// remoteDir returns the folder to list for the folder part of a prefix
// typed in cwd: "" for cwd itself when cwd is "", else a cleaned path.
func remoteDir(cwd, dirPart string) string {
	switch {
	case strings.HasPrefix(dirPart, "/"):
		return path.Clean(dirPart)
	case dirPart == "":
		return cleanDir(cwd)
	}
	return cleanDir(path.Join(cwd, dirPart))
}

// cleanDir cleans a remote folder path; "" and "." both become "", the
// current folder.
func cleanDir(dir string) string {
	if dir == "" {
		return ""
	}
	if dir = path.Clean(dir); dir == "." {
		return ""
	}
	return dir
}

// sortUnique sorts s and removes duplicates; it returns nil for no
// candidates.
func sortUnique(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	slices.Sort(s)
	return slices.Compact(s)
}

// within runs f and returns its result, or ctx's error as soon as ctx ends,
// whichever comes first. When ctx ends first f keeps running in the
// background with the ended ctx, so that it can stop on its own.
func within[T any](ctx context.Context, f func(context.Context) (T, error)) (T, error) {
	var zero T
	if err := ctx.Err(); err != nil {
		return zero, err
	}
	type result struct {
		v   T
		err error
	}
	done := make(chan result, 1)
	go func() {
		v, err := f(ctx)
		done <- result{v, err}
	}()
	select {
	case r := <-done:
		return r.v, r.err
	case <-ctx.Done():
		return zero, ctx.Err()
	}
}
