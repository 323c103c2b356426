package interop

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/ferry-ftp/ferry/transfer"
)

// downloadPart returns the temporary file beside local that a download
// of remote (the path as the client sends it) from the server at site
// (host:port) writes to and resumes from (see transfer.TempName). The
// file's size and time, to the second as MDTM tells it, are read from
// its copy on the server's disk, diskPath.
func downloadPart(site, remote, diskPath, local string) (string, error) {
	fi, err := os.Stat(diskPath)
	if err != nil {
		return "", err
	}
	src := transfer.Source{Site: site, Path: remote, Size: fi.Size(), ModTime: fi.ModTime().Truncate(time.Second)}
	name, ok := transfer.TempName(filepath.Base(local), src, nil)
	if !ok {
		return "", fmt.Errorf("no resumable temporary name for %s", remote)
	}
	return filepath.Join(filepath.Dir(local), name), nil
}
