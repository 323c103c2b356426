package completion

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// localSeps are the bytes that separate local path components.
const localSeps = "/" + string(filepath.Separator)

// Local completes a local path prefix: prefix followed by the rest of each
// matching name in its folder, with "/" after folders, symbolic links to
// folders included. A leading "~/" is expanded to the home folder for
// listing but kept in the candidates, and "~" alone completes to "~/".
// Names are matched as Remote matches them.
func Local(prefix string) ([]string, error) {
	if prefix == "~" {
		if _, err := os.UserHomeDir(); err != nil {
			return nil, err
		}
		return []string{"~/"}, nil
	}
	dirPart, partial := splitLast(prefix, localSeps)
	dir := dirPart
	if len(dir) >= 2 && dir[0] == '~' && strings.IndexByte(localSeps, dir[1]) >= 0 {
		home, err := os.UserHomeDir()
		if err != nil {
			return nil, err
		}
		dir = filepath.Join(home, dir[2:])
	}
	if dir == "" {
		dir = "."
	}
	entries, err := os.ReadDir(dir)
	if len(entries) == 0 && err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		name := e.Name()
		if !offered(name, partial) {
			continue
		}
		isDir := e.IsDir()
		if e.Type()&fs.ModeSymlink != 0 {
			if fi, err := os.Stat(filepath.Join(dir, name)); err == nil {
				isDir = fi.IsDir()
			}
		}
		out = append(out, complete(prefix, match{name: name, dir: isDir}, name[len(partial):]))
	}
	return sortUnique(out), nil
}
