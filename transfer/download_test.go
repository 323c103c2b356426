package transfer

import (
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ferry-ftp/ferry/internal/ftptest"
)

// servedSource returns the identity of the file remote (a path relative
// to the login folder, which is the server's root) as a download from srv
// sees it: SIZE and MDTM, to the second.
func servedSource(t testing.TB, srv *ftptest.Server, remote string) Source {
	t.Helper()
	fi, err := os.Stat(filepath.Join(srv.Root(), filepath.FromSlash(remote)))
	if err != nil {
		t.Fatal(err)
	}
	return Source{Site: srv.Addr(), Path: remote, Size: fi.Size(), ModTime: fi.ModTime().Truncate(time.Second).UTC()}
}

// partFor returns the temporary file a download of remote from srv to
// local writes to, with nothing to avoid.
func partFor(t testing.TB, srv *ftptest.Server, remote, local string) string {
	t.Helper()
	name, ok := TempName(filepath.Base(local), servedSource(t, srv, remote), nil)
	if !ok {
		t.Fatalf("the temporary name of %s is not resumable", remote)
	}
	return filepath.Join(filepath.Dir(local), name)
}

// localTree returns the names in dir and their contents, folders as
// "dir/"; it fails the test when dir cannot be read.
func localTree(t testing.TB, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || p == dir {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			out[rel+"/"] = ""
			return nil
		}
		b, err := os.ReadFile(p)
		out[rel] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// wantTree fails the test unless dir holds exactly the files want names,
// with those contents (long contents are compared but not printed).
func wantTree(t testing.TB, dir string, want map[string]string) {
	t.Helper()
	got := localTree(t, dir)
	var diffs []string
	show := func(s string) string {
		if len(s) > 40 {
			return s[:40] + "..."
		}
		return s
	}
	for name, w := range want {
		g, ok := got[name]
		switch {
		case !ok:
			diffs = append(diffs, name+": missing")
		case g != w:
			diffs = append(diffs, name+": "+show(g)+" ("+strconv.Itoa(len(g))+" bytes), want "+show(w)+" ("+strconv.Itoa(len(w))+" bytes)")
		}
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			diffs = append(diffs, name+": unexpected ("+strconv.Itoa(len(got[name]))+" bytes)")
		}
	}
	if len(diffs) > 0 {
		sort.Strings(diffs)
		t.Fatalf("local tree %s:\n%s", dir, strings.Join(diffs, "\n"))
	}
}
