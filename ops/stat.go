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
or folder, from MLST where the server offers it and SIZE and MDTM otherwise;
what the server refuses of these comes from the listing of the file's folder
(its time then to the minute or the day, as the listing shows it).`,
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
	} else if dir {
		if e, err = c.LookupDir(ctx, p); err != nil {
			return err
		}
		if e.Facts != nil { // MLST's, named as a file's is
			e.Name = baseName(p)
		}
	} else if e, err = statEntry(ctx, f, c, p); err != nil {
		return err
	}
	return f.printer().stat(e, p)
}

// statEntry describes one remote path that is not a folder (see
// client.Conn.Lookup: MLST where offered, else SIZE and MDTM, and the
// folder's listing for what the server refuses).
func statEntry(ctx context.Context, f *Env, c *client.Conn, p string) (client.Entry, error) {
	e, err := c.Lookup(ctx, p)
	if err != nil {
		return client.Entry{}, err
	}
	e.Name = baseName(p)
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
