package interop

import (
	"errors"
	"fmt"

	"github.com/jlaffaye/ftp"

	"github.com/ferry-ftp/ferry/internal/realserver"
)

// splitsListArgument reports whether the server answers LIST by running
// ls with its argument split at spaces, so that "LIST cross check" lists
// "cross" and "check" (two "No such file or directory" lines): the BSD
// ftpd's popen in inetutils-ftpd and ftpd-ssl. A client lists such a
// folder after CWD into it, as ferry does for any name with spaces.
func splitsListArgument(kind realserver.Kind) bool {
	return kind == realserver.InetutilsFTPd || kind == realserver.FtpdSSLDE
}

// jlaffayeListing lists the folder dir with jlaffaye/ftp and returns the
// sizes by name, as far as jlaffaye/ftp can read the server's listings:
// it goes into the folder first where the server splits LIST's argument,
// and where the server's listings are in another language, which its
// parser does not read, it takes the names from NLST and the sizes from
// SIZE.
func jlaffayeListing(jc *ftp.ServerConn, s *realserver.Server, dir string) (map[string]int64, error) {
	sizes := map[string]int64{}
	if !splitsListArgument(s.Kind) {
		entries, err := jc.List(dir)
		if err != nil {
			return nil, fmt.Errorf("jlaffaye List: %w", err)
		}
		for _, e := range entries {
			if e.Name != "." && e.Name != ".." {
				sizes[e.Name] = int64(e.Size)
			}
		}
		return sizes, nil
	}
	back, err := jc.CurrentDir()
	if err != nil {
		return nil, fmt.Errorf("jlaffaye CurrentDir: %w", err)
	}
	if err := jc.ChangeDir(dir); err != nil {
		return nil, fmt.Errorf("jlaffaye ChangeDir: %w", err)
	}
	defer jc.ChangeDir(back)
	if s.Locale == "" {
		entries, err := jc.List("")
		if err != nil {
			return nil, fmt.Errorf("jlaffaye List: %w", err)
		}
		for _, e := range entries {
			if e.Name != "." && e.Name != ".." {
				sizes[e.Name] = int64(e.Size)
			}
		}
		return sizes, nil
	}
	names, err := jc.NameList("")
	if err != nil {
		return nil, fmt.Errorf("jlaffaye NameList: %w", err)
	}
	var errs []error
	for _, name := range names {
		size, err := jc.FileSize(name)
		if err != nil {
			errs = append(errs, fmt.Errorf("jlaffaye FileSize %q: %w", name, err))
			continue
		}
		sizes[name] = size
	}
	return sizes, errors.Join(errs...)
}
