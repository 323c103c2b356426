package transfer

import (
	"path"

	"github.com/ferry-ftp/ferry/client"
)

// takenNames returns the relative paths that an upload job must not take
// as temporary names or as names to move old files aside to: every path
// the source holds (each is, or is about to be, a real file or folder on
// the server) and every path of the destination except files with the
// form of ferry's temporary names that the source lacks, which are
// partial uploads an earlier run left to resume (see IsTempName).
func takenNames(actions []Action, dst tree) map[string]bool {
	taken := map[string]bool{}
	for _, a := range actions {
		if a.src != nil {
			taken[a.Path] = true
		}
	}
	for p, n := range dst {
		if n.typ != client.EntryFile || !IsTempName(path.Base(p)) {
			taken[p] = true
		}
	}
	return taken
}

// avoidBeside returns a PutOptions.Avoid for the file rel: it reports the
// names of rel's folder that are in taken.
func avoidBeside(taken map[string]bool, rel string) func(string) bool {
	dir := path.Dir(rel)
	return func(name string) bool { return taken[path.Join(dir, name)] }
}
