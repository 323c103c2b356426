package ops

import (
	"context"

	"github.com/spf13/pflag"

	"github.com/ferry-ftp/ferry/client"
)

// StatOptions are the options of `ferry stat`.
type StatOptions struct {
	F       *Env
	Address string
}

var statCommand = Command{
	Name:    "stat",
	Use:     "stat URL",
	Short:   "Show a remote file's type, size and modification time",
	MinArgs: 1, MaxArgs: 1,
	New: func() Operation { return &StatOptions{} },
	Long: `Show the type, size, modification time and permissions of a remote file
or folder, from MLST where the server offers it and SIZE and MDTM otherwise.`,
	Example: `  ferry stat ftp://example.org/pub/file.iso
  ferry stat --json ftp://example.org/pub/file.iso`,
}

// AddFlags defines stat's flags.
func (o *StatOptions) AddFlags(fl *pflag.FlagSet) {

}

// Args takes the positional arguments and checks the flags.
func (o *StatOptions) Args(fl *pflag.FlagSet, args []string) error {
	o.Address = args[0]
	return nil
}

// Run does it.
func (o *StatOptions) Run(ctx context.Context, env *Env) error {
	o.F = env
	return statRun(ctx, o)
}

func statRun(ctx context.Context, o *StatOptions) error {
	f := o.F
	r, s, c, err := f.connect(ctx, o.Address)
	if err != nil {
		return err
	}
	defer f.release(ctx, s)
	p := r.Path()
	var e client.Entry
	if dir, err := isRemoteDir(ctx, s, c, p); err != nil {
		return err
	} else if dir && !c.HasFeature("MLST") {
		e = client.Entry{Name: p, Type: client.EntryDir, Size: -1}
	} else if e, err = statEntry(ctx, f, c, p); err != nil {
		return err
	}
	return f.printer().stat(e, p)
}

// statEntry describes one remote path: MLST where offered, else SIZE and
// MDTM (which only work on files).
func statEntry(ctx context.Context, f *Env, c *client.Conn, p string) (client.Entry, error) {
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
