package cmd

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ferry-ftp/ferry/client"
	"github.com/ferry-ftp/ferry/transfer"
)

// LsOptions are the options of `ferry ls`.
type LsOptions struct {
	F         *Factory
	Address   string
	Long      bool
	All       bool
	Recursive bool
}

// NewCmdLs returns `ferry ls`. runF replaces the run function in tests.
func NewCmdLs(f *Factory, runF func(context.Context, *LsOptions) error) *cobra.Command {
	o := &LsOptions{F: f}
	c := &cobra.Command{
		Use:   "ls [-l] [-a] [-R] URL",
		Short: "List a remote folder",
		Long: `List a remote folder, or show one remote file.

ferry reads MLSD where the server offers it and parses LIST output
otherwise (Unix, Windows/IIS and EPLF styles); -l prints one format
whatever the server's style. Names starting with "." are shown with -a.`,
		Example: `  ferry ls ftp://ftp.example.org/pub/
  ferry ls -l ftp://user@example.org/
  ferry ls -R --json ftp://example.org/pub/docs`,
		Args: exactArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			o.Address = args[0]
			if runF != nil {
				return runF(c.Context(), o)
			}
			return lsRun(c.Context(), o)
		},
	}
	c.Flags().BoolVarP(&o.Long, "long", "l", false, "long format: type, permissions, size, time, name")
	c.Flags().BoolVarP(&o.All, "all", "a", false, "include names that start with a dot")
	c.Flags().BoolVarP(&o.Recursive, "recursive", "R", false, "list sub-folders too")
	return c
}

func lsRun(ctx context.Context, o *LsOptions) error {
	f := o.F
	r, s, c, err := f.connect(ctx, o.Address)
	if err != nil {
		return err
	}
	defer s.Close(context.WithoutCancel(ctx))
	var out []jsonEntry
	listed := 0
	emit := func(e client.Entry, p string) {
		listed++
		switch {
		case f.Opts.JSON:
			out = append(out, toJSONEntry(e, p))
		case o.Long:
			fmt.Fprintln(f.IO.Out, client.Sanitize(longLine(e, p)))
		default:
			// Names come from the server: escape control characters so
			// that they cannot drive the terminal.
			fmt.Fprintln(f.IO.Out, client.Sanitize(p))
		}
	}
	dir := r.Path()
	var refused int // folders not entered because of their names
	isDir, err := isRemoteDir(ctx, s, c, dir)
	if err != nil {
		return err
	}
	if !isDir {
		e, err := statEntry(ctx, f, c, dir)
		if err != nil {
			return err
		}
		emit(e, e.Name)
	} else if err := walk(ctx, f, s, dir, "", o.All, o.Recursive, emit, &refused); err != nil {
		return err
	}
	if f.Opts.JSON {
		if out == nil {
			out = []jsonEntry{}
		}
		if err := writeJSON(f.IO.Out, out); err != nil {
			return err
		}
	}
	if refused > 0 {
		return &PartialError{Failed: refused, Total: listed}
	}
	return nil
}

// walk lists dir and, when recursive, its sub-folders depth first,
// calling emit with each entry and its path relative to the listed root.
// Symbolic links are not followed. A sub-folder whose name
// transfer.CheckName refuses (it could hold CR or LF, or lead elsewhere)
// is not entered: walk warns and counts it in refused.
func walk(ctx context.Context, f *Factory, s *transfer.Session, dir, rel string, all, recursive bool, emit func(client.Entry, string), refused *int) error {
	c, err := s.Conn(ctx)
	if err != nil {
		return err
	}
	entries, err := listDir(ctx, f, c, dir, all)
	if err != nil {
		return err
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].Name < entries[j].Name })
	for _, e := range entries {
		emit(e, joinRemote(rel, e.Name))
	}
	if !recursive {
		return nil
	}
	for _, e := range entries {
		if e.Type != client.EntryDir || e.Name == "." || e.Name == ".." {
			continue
		}
		if err := transfer.CheckName(e.Name); err != nil {
			f.Warn("%s: %v", client.Sanitize(joinRemote(rel, e.Name)), err)
			*refused++
			continue
		}
		if child := joinRemote(rel, e.Name); strings.Count(child, "/")+1 > transfer.MaxDepth {
			f.Warn("%s: %v", client.Sanitize(child), transfer.ErrTooDeep)
			*refused++
			continue
		}
		if err := walk(ctx, f, s, joinRemote(dir, e.Name), joinRemote(rel, e.Name), all, true, emit, refused); err != nil {
			return err
		}
	}
	return nil
}
