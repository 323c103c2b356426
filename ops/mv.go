package ops

import (
	"context"
	"errors"
	"fmt"
	"path"
	"strings"

	"github.com/spf13/pflag"

	"github.com/ferry-ftp/ferry/client"
	"github.com/ferry-ftp/ferry/internal/ftpurl"
)

// errNotFolder is a path where a folder is needed.
var errNotFolder = errors.New("not a folder")

// MvOptions are the options of `ferry mv`.
type MvOptions struct {
	F       *Env
	Address string
	NewPath string
}

var mvCommand = Command{
	Name:    "mv",
	Use:     "mv URL NEWPATH",
	Short:   "Rename or move a remote file or folder",
	MinArgs: 2, MaxArgs: 2,
	New: func() Operation { return &MvOptions{} },
	Long: `Rename or move a remote file or folder on the same server (RNFR/RNTO).

NEWPATH without a "/" is a new name in the same folder. A NEWPATH with a
"/" is a path relative to the login folder, or absolute when it starts
with "/". NEWPATH may also be a URL on the same server. A NEWPATH that
ends in "/" is a folder to move into, keeping the name (a single name
such as "old/" is a folder beside the file); ferry checks that it is a
folder first.`,
	Example: `  ferry mv ftp://user@example.org/pub/draft.txt final.txt
  ferry mv ftp://user@example.org/incoming/a.zip /archive/2026/a.zip
  ferry mv ftp://user@example.org/pub/draft.txt old/`,
}

// AddFlags defines mv's flags.
func (o *MvOptions) AddFlags(fl *pflag.FlagSet) {

}

// Args takes the positional arguments and checks the flags.
func (o *MvOptions) Args(fl *pflag.FlagSet, args []string) error {
	o.Address, o.NewPath = args[0], args[1]
	return nil
}

// Run does it.
func (o *MvOptions) Run(ctx context.Context, env *Env) error {
	o.F = env
	return mvRun(ctx, o)
}

func mvRun(ctx context.Context, o *MvOptions) error {
	f := o.F
	r, err := f.Resolve(o.Address)
	if err != nil {
		return err
	}
	to := o.NewPath
	into := strings.HasSuffix(to, "/") && strings.Trim(to, "/") != ""
	if into {
		to = strings.TrimRight(to, "/")
	}
	if ftpurl.IsRemote(to) {
		r2, err := f.Resolve(to)
		if err != nil {
			return err
		}
		if r2.key() != r.key() {
			return usageErrorf("mv renames on one server; %s and %s differ", r.Target, r2.Target)
		}
		to = r2.Path()
	} else if !strings.Contains(to, "/") {
		dir, _ := splitRemote(r.Path())
		to = JoinRemote(dir, to)
	}
	from := strings.TrimSuffix(r.Path(), "/")
	if from == "" {
		return usageErrorf("mv needs a path to rename, not the login folder")
	}
	s, err := f.Open(ctx, r)
	if err != nil {
		return err
	}
	defer f.release(ctx, s)
	if into {
		// Servers take "RNTO dir/" as the name "dir": check that the
		// folder exists and move into it under the same name.
		typ, err := s.Lstat(ctx, to)
		if err != nil {
			return err
		}
		if typ != client.EntryDir {
			return fmt.Errorf("%s: %w: not a folder (a %s), so nothing can move into it", to, errNotFolder, typ)
		}
		to = JoinRemote(to, path.Base(from))
	}
	c, err := s.Conn(ctx)
	if err != nil {
		return err
	}
	if err := c.Rename(ctx, from, to); err != nil {
		return err
	}
	return f.printer().changes(jsonOps{Done: []jsonOp{{Action: "rename", Path: from, To: to}}, Failed: []jsonOp{}})
}
