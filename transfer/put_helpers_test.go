package transfer

import (
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/ferry-ftp/ferry/internal/ftptest"
	"github.com/ferry-ftp/ferry/internal/testsupport"
)

// uploadTemp returns the temporary name on the server under which this
// process uploads the local file local to the remote path remote (see
// Source.ProcessName).
func uploadTemp(t testing.TB, local, remote string) string {
	t.Helper()
	dir, base := path.Split(remote)
	name, _ := localSource(t, local).ProcessName(base, nil)
	return dir + name
}

// parkedTemp returns the temporary name on the server under which a
// partial upload of the local file local to the remote path remote is
// left for a later process to resume (see TempName).
func parkedTemp(t testing.TB, local, remote string) string {
	t.Helper()
	dir, base := path.Split(remote)
	name, _ := TempName(base, localSource(t, local), nil)
	return dir + name
}

// localSource returns the identity of the local file local.
func localSource(t testing.TB, local string) Source {
	t.Helper()
	fi, err := os.Stat(local)
	if err != nil {
		t.Fatal(err)
	}
	abs, err := filepath.Abs(local)
	if err != nil {
		t.Fatal(err)
	}
	return Source{Site: "local", Path: abs, Size: fi.Size(), ModTime: fi.ModTime()}
}

// untemp returns the final path of a temporary path ("d/.f.ferry-TAG.part"
// gives "d/f"), or p itself when it is not one.
func untemp(p string) string {
	dir, base := path.Split(p)
	if !IsTempName(base) {
		return p
	}
	base = strings.TrimPrefix(base, tempPrefix)
	return dir + base[:strings.LastIndex(base, tempInfix)]
}

// putServer starts a server whose root holds files (slash path ->
// contents); hook, when set, is made with the root, so that it can look
// at what the server holds.
func putServer(t *testing.T, files map[string]string, hook func(root string) func(ftptest.Command) *ftptest.Reply) *ftptest.Server {
	t.Helper()
	root := t.TempDir()
	for p, data := range files {
		testsupport.WriteFile(t, filepath.Join(root, filepath.FromSlash(p)), data)
	}
	cfg := ftptest.Config{Root: root}
	if hook != nil {
		cfg.Hook = hook(root)
	}
	return ftptest.New(t, cfg)
}

// refuseOverwrite answers RNTO with 553 when its target exists, as servers
// do that cannot (or may not) rename over an existing file.
func refuseOverwrite(root string) func(ftptest.Command) *ftptest.Reply {
	return func(c ftptest.Command) *ftptest.Reply {
		if c.Verb == "RNTO" && exists(filepath.Join(root, filepath.FromSlash(c.Arg))) {
			return &ftptest.Reply{Code: 553, Text: "Rename not permitted: target exists."}
		}
		return nil
	}
}

// asidePattern matches the names old files are moved aside to.
var asidePattern = regexp.MustCompile(`[^ /]*\.ferry-[0-9a-f]{8}\.old`)

// serverFiles returns the regular files below root by slash path, with
// their contents; names matching asidePattern are given as "ASIDE" (in
// their folder).
func serverFiles(t testing.TB, root string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		out[asidePattern.ReplaceAllString(filepath.ToSlash(rel), "ASIDE")] = string(b)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// wantFiles fails the test unless the server's root holds exactly the
// files want (see serverFiles).
func wantFiles(t testing.TB, srv *ftptest.Server, want map[string]string) {
	t.Helper()
	got := serverFiles(t, srv.Root())
	if !maps.Equal(got, want) {
		t.Errorf("server holds:\n%s\nwant:\n%s", showFiles(got), showFiles(want))
	}
}

func showFiles(m map[string]string) string {
	var lines []string
	for p, data := range m {
		if len(data) > 40 {
			data = fmt.Sprintf("%.40s... (%d bytes)", data, len(data))
		}
		lines = append(lines, fmt.Sprintf("  %s: %q", p, data))
	}
	slices.Sort(lines)
	return strings.Join(lines, "\n")
}

// wantCommands fails the test unless the first session sent exactly want
// after the login's TYPE I and what goes with it: FEAT, OPTS UTF8 ON, and
// the EPSV that makes a data connection ready for the first transfer
// (names of aside files given as "ASIDE").
func wantCommands(t testing.TB, srv *ftptest.Server, want ...string) {
	t.Helper()
	cmds := srv.SessionCommands(1)
	if i := slices.Index(cmds, "TYPE I"); i >= 0 {
		cmds = cmds[i+1:]
	}
	for _, login := range []string{"FEAT", "OPTS UTF8 ON", "EPSV"} {
		if len(cmds) > 0 && cmds[0] == login {
			cmds = cmds[1:]
		}
	}
	var got []string
	for _, c := range cmds {
		if c != "QUIT" {
			got = append(got, asidePattern.ReplaceAllString(c, "ASIDE"))
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("commands after TYPE I:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

// localFile writes a local file for an upload and returns its path.
func localFile(t *testing.T, name, data string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	testsupport.WriteFile(t, p, data)
	return p
}

// notes collects PutOptions.Notify messages.
type notes struct {
	mu   sync.Mutex
	msgs []string
}

func (n *notes) add(msg string) {
	n.mu.Lock()
	n.msgs = append(n.msgs, msg)
	n.mu.Unlock()
}
