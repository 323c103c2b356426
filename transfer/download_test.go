package transfer

import (
	"bytes"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ferry-ftp/ferry/internal/ftptest"
	"github.com/ferry-ftp/ferry/internal/testsupport"
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

// wantTree fails the test unless dir holds exactly the files want names,
// with those contents (long contents are compared but not printed).
func wantTree(t testing.TB, dir string, want map[string]string) {
	t.Helper()
	got := testsupport.Tree(t, dir)
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

// TestGetUnresumableSourceLeavesNothing: a server without MDTM and MLST
// gives no identity to the file, so a cut download's partial file is
// removed, not left to be resumed by mistake.
func TestGetUnresumableSourceLeavesNothing(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{Hook: dropFirst("RETR", 1000), Disable: []string{"MDTM", "MLST"}})
	data := randomData(100_000)
	os.WriteFile(filepath.Join(srv.Root(), "f.bin"), data, 0o644)
	dir := t.TempDir()
	local := filepath.Join(dir, "f.bin")
	c := connect(t, srv)
	res, err := Get(testCtx(t), c, "f.bin", local, GetOptions{})
	if err == nil || res.Partial != "" {
		t.Fatalf("Get = %+v, %v; want a failure and no partial file", res, err)
	}
	wantTree(t, dir, map[string]string{})
	if _, err := Get(testCtx(t), c, "f.bin", local, GetOptions{Resume: true}); err != nil {
		t.Fatal(err)
	}
	wantTree(t, dir, map[string]string{"f.bin": string(data)})
	if cmds := srv.Commands(); countVerb(cmds, "REST") != 0 {
		t.Errorf("a download of a file without a time was resumed: %q", cmds)
	}
}

// TestGetResumesOnlyTheSameVersion: a partial file of an earlier version
// of the file (another modification time) is not resumed.
func TestGetResumesOnlyTheSameVersion(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{Hook: dropFirst("RETR", 50_000)})
	remote := filepath.Join(srv.Root(), "f.bin")
	v1, v2 := randomData(100_000), randomData(100_001)[1:]
	os.WriteFile(remote, v1, 0o644)
	t1 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	os.Chtimes(remote, t1, t1)
	dir := t.TempDir()
	local := filepath.Join(dir, "f.bin")
	c := connect(t, srv)
	old := partFor(t, srv, "f.bin", local)
	if _, err := Get(testCtx(t), c, "f.bin", local, GetOptions{}); err == nil {
		t.Fatal("the cut download succeeded")
	}
	// The file changes on the server, same size, another time.
	os.WriteFile(remote, v2, 0o644)
	t2 := t1.Add(time.Hour)
	os.Chtimes(remote, t2, t2)
	if _, err := Get(testCtx(t), c, "f.bin", local, GetOptions{Resume: true}); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(local); !bytes.Equal(got, v2) {
		t.Fatal("the new version was assembled from the old one's partial file")
	}
	// The old version's partial file stays (it is a prefix of v1 only).
	if b, err := os.ReadFile(old); err != nil || !bytes.Equal(b, v1[:len(b)]) {
		t.Errorf("the old version's partial file: %v", err)
	}
}

// TestMirrorCopiesFilesNamedAsTemporaryNames: the remote folder holds
// a.txt, a real a.txt.part and a file named exactly as a.txt's temporary
// name. The first mirror's copy of a.txt is cut and not retried; the
// other files arrive whole and no partial file is left. mirror with
// Resume then copies a.txt whole: never from another file.
func TestMirrorCopiesFilesNamedAsTemporaryNames(t *testing.T) {
	var mu sync.Mutex
	cut := false
	srv := ftptest.New(t, ftptest.Config{Hook: func(c ftptest.Command) *ftptest.Reply {
		mu.Lock()
		defer mu.Unlock()
		if c.Verb == "RETR" && c.Arg == "dir/a.txt" && !cut {
			cut = true
			return &ftptest.Reply{Transfer: &ftptest.Transfer{DropAfter: 5}}
		}
		return nil
	}})
	files := map[string]string{"a.txt": "the real a.txt, longer than the others", "a.txt.part": "a foreign a.txt.part"}
	for name, data := range files {
		os.MkdirAll(filepath.Join(srv.Root(), "dir"), 0o755)
		os.WriteFile(filepath.Join(srv.Root(), "dir", name), []byte(data), 0o644)
	}
	temp, _ := TempName("a.txt", servedSource(t, srv, "dir/a.txt"), nil)
	files[temp] = "named as a.txt's partial"
	os.WriteFile(filepath.Join(srv.Root(), "dir", temp), []byte(files[temp]), 0o644)

	dst := t.TempDir()
	p := testPool(t, srv, PoolOptions{Size: 2, Retries: 0})
	rep, err := p.Mirror(testCtx(t), "dir", dst, MirrorOptions{Direction: Download, Update: UpdateChanged})
	if err != nil || rep.Failed != 1 || rep.Copied != 2 {
		t.Fatalf("first mirror: %+v, %v; want a.txt failed and 2 copied", rep, err)
	}
	wantTree(t, dst, map[string]string{"a.txt.part": files["a.txt.part"], temp: files[temp]})

	rep, err = p.Mirror(testCtx(t), "dir", dst, MirrorOptions{Direction: Download, Update: UpdateChanged, Resume: true})
	if err != nil || rep.Failed != 0 || rep.Copied != 1 {
		t.Fatalf("mirror with Resume: %+v, %v", rep, err)
	}
	wantTree(t, dst, files)
	if cmds := srv.Commands(); countVerb(cmds, "REST") != 0 {
		t.Errorf("a.txt was resumed from another file: %q", cmds)
	}
}

// TestGetDoesNotResumeFromCopiedFiles: the local folder holds copies of
// the remote a.txt.part and of a remote file named exactly as a.txt's
// temporary name (as a job over the folder leaves them). A resumed get of
// a.txt, which has no listing to avoid names with, takes neither for its
// partial file: it fetches a.txt whole and leaves both as they were.
func TestGetDoesNotResumeFromCopiedFiles(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{})
	files := map[string]string{"a.txt": "the real a.txt, longer than the others", "a.txt.part": "a foreign a.txt.part"}
	for name, data := range files {
		os.WriteFile(filepath.Join(srv.Root(), name), []byte(data), 0o644)
	}
	temp, _ := TempName("a.txt", servedSource(t, srv, "a.txt"), nil)
	files[temp] = "named as a.txt's partial"
	os.WriteFile(filepath.Join(srv.Root(), temp), []byte(files[temp]), 0o644)
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.txt.part"), []byte(files["a.txt.part"]), 0o644)
	os.WriteFile(filepath.Join(dir, temp), []byte(files[temp]), 0o644)

	c := connect(t, srv)
	res, err := Get(testCtx(t), c, "a.txt", filepath.Join(dir, "a.txt"), GetOptions{Resume: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.Offset != 0 {
		t.Errorf("resumed at %d", res.Offset)
	}
	wantTree(t, dir, files)
}
