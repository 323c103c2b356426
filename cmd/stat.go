package cmd

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/ferry-ftp/ferry/client"
)

// StatOptions are the options of `ferry stat`.
type StatOptions struct {
	F       *Factory
	Address string
}

// NewCmdStat returns `ferry stat`.
func NewCmdStat(f *Factory, runF func(context.Context, *StatOptions) error) *cobra.Command {
	o := &StatOptions{F: f}
	return &cobra.Command{
		Use:   "stat URL",
		Short: "Show a remote file's type, size and modification time",
		Long: `Show the type, size, modification time and permissions of a remote file
or folder, from MLST where the server offers it and SIZE and MDTM otherwise.`,
		Example: `  ferry stat ftp://example.org/pub/file.iso
  ferry stat --json ftp://example.org/pub/file.iso`,
		Args: exactArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			o.Address = args[0]
			if runF != nil {
				return runF(c.Context(), o)
			}
			return statRun(c.Context(), o)
		},
	}
}

func statRun(ctx context.Context, o *StatOptions) error {
	f := o.F
	r, s, c, err := f.connect(ctx, o.Address)
	if err != nil {
		return err
	}
	defer s.Close(context.WithoutCancel(ctx))
	p := r.Path()
	var e client.Entry
	if dir, err := isRemoteDir(ctx, s, c, p); err != nil {
		return err
	} else if dir && !c.HasFeature("MLST") {
		e = client.Entry{Name: p, Type: client.EntryDir, Size: -1}
	} else if e, err = statEntry(ctx, f, c, p); err != nil {
		return err
	}
	if f.Opts.JSON {
		return writeJSON(f.IO.Out, toJSONEntry(e, p))
	}
	out := f.IO.Out
	fmt.Fprintf(out, "Name:     %s\n", p)
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

// statEntry describes one remote path: MLST where offered, else SIZE and
// MDTM (which only work on files).
func statEntry(ctx context.Context, f *Factory, c *client.Conn, p string) (client.Entry, error) {
	if c.HasFeature("MLST") {
		e, err := c.MLST(ctx, p)
		if err != nil {
			return client.Entry{}, err
		}
		e.Name = baseName(p)
		return e, nil
	}
	size, err := c.Size(ctx, p)
	if err != nil {
		return client.Entry{}, err
	}
	e := client.Entry{Name: baseName(p), Type: client.EntryFile, Size: size}
	if t, err := c.ModTime(ctx, p); err == nil {
		e.ModTime, e.Precision = t, client.TimeExact
	}
	return e, nil
}

// baseName returns the last element of a remote path.
func baseName(p string) string {
	_, name := splitRemote(p)
	if name == "" {
		return p
	}
	return name
}
