package interop

import (
	"encoding/json"
	"fmt"
	"maps"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ferry-ftp/ferry/client"
	"github.com/ferry-ftp/ferry/internal/realserver"
	"github.com/ferry-ftp/ferry/internal/testsupport"
	"github.com/ferry-ftp/ferry/ops"
	"github.com/ferry-ftp/ferry/transfer"
)

// TestEveryServer runs the commands a user starts with against every
// server of the matrix (plain, IPv4), in passive and active mode: put -r
// of a tree into a new remote folder, ls, ls -l --json, stat of a file and
// of a folder, mirror down (twice: the second copies nothing), mirror -R
// --delete of a changed copy into the first folder and into a new one, a
// mirror of files the server did not receive over FTP (one dated in an
// earlier year), get of many files over one connection with lookahead
// (see lookahead), and rm -r. Each step checks exit codes, output and the whole trees on
// both sides.
func TestEveryServer(t *testing.T) {
	skipShort(t)
	for _, kind := range realserver.Kinds {
		t.Run(string(kind), func(t *testing.T) {
			t.Parallel()
			s := realserver.StartOrSkip(t, kind, realserver.Options{})
			for _, mode := range modes {
				if !offersMode(kind, mode) {
					continue // shown as not offered
				}
				t.Run(mode.String(), func(t *testing.T) {
					t.Parallel()
					runEvery(t, s, mode)
				})
			}
		})
	}
}

// everyTree is the tree TestEveryServer sends: names with spaces, UTF-8
// and a leading dot, three levels, an empty folder, and a file of 300 KB.
// A server that reads commands as Latin-1 and writes names as UTF-8
// (serverTraits latin1Commands) cannot keep a non-ASCII name whatever the
// client does: it gets an ASCII name instead.
func everyTree(t *testing.T, root string, kind realserver.Kind) {
	rng := rand.New(rand.NewPCG(14, 14))
	big := make([]byte, 300<<10)
	for i := range big {
		big[i] = byte(rng.Uint32())
	}
	files := map[string]string{
		"a.txt":                 "a\n",
		"sub dir/b.bin":         string(big),
		"sub dir/deep/c.txt":    "c\r\nwith a CRLF\n",
		"ünïcödé-файл.txt":      "utf-8\n",
		".hidden":               "dot file\n",
		"empty.txt":             "",
		"sub dir/deep/more.txt": strings.Repeat("more ", 1000),
	}
	if serverTraits[kind].latin1Commands {
		files["unicode-name.txt"] = files["ünïcödé-файл.txt"]
		delete(files, "ünïcödé-файл.txt")
	}
	for name, data := range files {
		testsupport.WriteFile(t, filepath.Join(root, filepath.FromSlash(name)), data)
	}
	if err := os.MkdirAll(filepath.Join(root, "empty dir"), 0o755); err != nil {
		t.Fatal(err)
	}
}

// treeDiff compares two trees (testsupport.Tree) and describes how they
// differ, or returns nil.
func treeDiff(what string, got, want map[string]string) error {
	var diffs []string
	for _, p := range slices.Sorted(maps.Keys(want)) {
		g, ok := got[p]
		switch {
		case !ok:
			diffs = append(diffs, "missing "+p)
		case g != want[p]:
			diffs = append(diffs, fmt.Sprintf("%s: %d bytes, want %d", p, len(g), len(want[p])))
		}
	}
	for _, p := range slices.Sorted(maps.Keys(got)) {
		if _, ok := want[p]; !ok {
			diffs = append(diffs, "extra "+p)
		}
	}
	if len(diffs) == 0 {
		return nil
	}
	return fmt.Errorf("%s differs: %s", what, strings.Join(diffs, "; "))
}

func runEvery(t *testing.T, s *realserver.Server, mode client.DataMode) {
	home := t.TempDir()
	c := &cli{
		steps: steps{t: t, s: s, out: results.everyRun(t, s.Kind, mode), trace: &testsupport.LockedBuffer{}},
		mode:  mode,
		base:  "ftp://" + url.UserPassword(s.User, s.Password).String() + "@" + s.Addr + "/",
		cfg:   filepath.Join(home, "no-config.toml"),
		home:  home,
		local: t.TempDir(),
	}
	dir := "every-" + mode.String()
	src := filepath.Join(c.local, "src")
	everyTree(t, src, s.Kind)
	want := testsupport.Tree(t, src)
	disk := func(p string) map[string]string { return testsupport.Tree(t, onDisk(s, dir+"/"+p)) }

	c.must("put -r into two new folders", func() error {
		if _, _, err := c.expect(ops.ExitOK, "put", "-r", src, c.url(dir+"/up")); err != nil {
			return err
		}
		return treeDiff("the uploaded tree", disk("up"), want)
	})
	c.run("ls", func() error {
		out, _, err := c.expect(ops.ExitOK, "ls", c.url(dir+"/up")+"/")
		if err != nil {
			return err
		}
		gotNames := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
		slices.Sort(gotNames)
		wantNames := []string{"a.txt", "empty dir", "empty.txt", "sub dir", "ünïcödé-файл.txt"}
		if serverTraits[s.Kind].latin1Commands {
			wantNames[4] = "unicode-name.txt"
		}
		if !slices.Equal(gotNames, wantNames) {
			return fmt.Errorf("ls = %q, want %q", gotNames, wantNames)
		}
		return nil
	})
	c.run("ls -l --json", func() error {
		out, _, err := c.expect(ops.ExitOK, "ls", "-l", "-a", "--json", c.url(dir+"/up/sub dir")+"/")
		if err != nil {
			return err
		}
		var entries []struct {
			Name string `json:"name"`
			Type string `json:"type"`
			Size *int64 `json:"size"`
		}
		if err := json.Unmarshal([]byte(out), &entries); err != nil {
			return fmt.Errorf("ls --json: %v\n%s", err, out)
		}
		got := map[string]string{}
		for _, e := range entries {
			size := "?"
			if e.Size != nil {
				size = fmt.Sprint(*e.Size)
			}
			if e.Type == "dir" {
				size = "dir"
			}
			got[e.Name] = size
		}
		wantSizes := map[string]string{"b.bin": fmt.Sprint(300 << 10), "deep": "dir"}
		if !maps.Equal(got, wantSizes) {
			return fmt.Errorf("ls -l --json: %v, want %v", got, wantSizes)
		}
		return nil
	})
	c.run("stat", func() error {
		out, _, err := c.expect(ops.ExitOK, "stat", c.url(dir+"/up/sub dir/b.bin"))
		if err != nil {
			return err
		}
		if err := matchLines(out, `^Type: +file$`, fmt.Sprintf(`^Size: +%d$`, 300<<10), `^Modified: `); err != nil {
			return err
		}
		out, _, err = c.expect(ops.ExitOK, "stat", c.url(dir+"/up/sub dir"))
		if err != nil {
			return err
		}
		return matchLines(out, `^Type: +dir$`)
	})
	down := filepath.Join(c.local, "down")
	c.must("mirror", func() error {
		if _, _, err := c.expect(ops.ExitOK, "mirror", c.url(dir+"/up"), down); err != nil {
			return err
		}
		if err := treeDiff("the mirrored tree", testsupport.Tree(t, down), want); err != nil {
			return err
		}
		_, errOut, err := c.expect(ops.ExitOK, "mirror", c.url(dir+"/up"), down)
		if err != nil {
			return err
		}
		return matchLines(errOut, `^0 file\(s\)`)
	})
	c.run("mirror -R --delete", func() error {
		testsupport.WriteFile(t, filepath.Join(down, "a.txt"), "changed, and longer\n")
		testsupport.WriteFile(t, filepath.Join(down, "sub dir/new.txt"), "new\n")
		if err := os.Remove(filepath.Join(down, "sub dir/deep/c.txt")); err != nil {
			return err
		}
		local := testsupport.Tree(t, down)
		if _, _, err := c.expect(ops.ExitOK, "mirror", "-R", "--delete", down, c.url(dir+"/up")); err != nil {
			return err
		}
		if err := treeDiff("the tree after mirror -R --delete", disk("up"), local); err != nil {
			return err
		}
		if _, _, err := c.expect(ops.ExitOK, "mirror", "-R", down, c.url(dir+"/new/mirror")); err != nil {
			return err
		}
		return treeDiff("the tree mirrored into a new folder", disk("new/mirror"), local)
	})
	c.run("mirror of a folder the server made", func() error {
		// Files the server did not receive over FTP, one of them old
		// (a listing with a year, in German on ftpd-ssl-de).
		seeded := "seeded-" + mode.String()
		old := time.Date(2024, time.March, 5, 10, 0, 0, 0, time.UTC)
		for name, data := range map[string]string{"old.txt": "old\n", "sub/new.txt": "new\n"} {
			p := onDisk(s, seeded+"/"+name)
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				return err
			}
			if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
				return err
			}
		}
		if err := os.Chtimes(onDisk(s, seeded+"/old.txt"), old, old); err != nil {
			return err
		}
		if s.Locale != "" {
			// The server's own listing is in its language: else this
			// run tests nothing of it (a locale the server's ls cannot
			// read falls back to English without a word).
			if err := localListing(t, s, mode, seeded); err != nil {
				return err
			}
		}
		got := filepath.Join(c.local, seeded)
		if _, _, err := c.expect(ops.ExitOK, "mirror", c.url(seeded), got); err != nil {
			return err
		}
		if err := treeDiff("the mirrored tree", testsupport.Tree(t, got), testsupport.Tree(t, onDisk(s, seeded))); err != nil {
			return err
		}
		fi, err := os.Stat(filepath.Join(got, "old.txt"))
		if err != nil {
			return err
		}
		if y, m, d := fi.ModTime().UTC().Date(); y != 2024 || m != time.March || d != 5 {
			return fmt.Errorf("old.txt arrived dated %v, want 2024-03-05", fi.ModTime().UTC())
		}
		return nil
	})
	c.run("get of many files on one connection (lookahead)", func() error {
		note, err := lookahead(c, s, mode)
		c.out.setLookahead(note)
		if note != "" {
			t.Logf("%s, %s: lookahead: %s", s.Kind, mode, note)
		}
		return err
	})
	c.run("rm -r", func() error {
		if _, _, err := c.expect(ops.ExitOK, "rm", "-r", c.url(dir)); err != nil {
			return err
		}
		return absent(onDisk(s, dir))
	})
}

// localListing checks that the server lists dir in German, as
// Server.Locale says it does: a "total" line of "insgesamt" and a month
// name that is not English ("Mär" for old.txt).
func localListing(t *testing.T, s *realserver.Server, mode client.DataMode, dir string) error {
	p := transfer.NewPool(site(s, mode, s.Password, nil, nil), transfer.PoolOptions{Size: 1})
	defer p.Close()
	var lines []string
	if _, err := p.Do(t.Context(), "LIST", func(c *client.Conn, _ int) error {
		var err error
		lines, err = c.ListLines(t.Context(), dir)
		return err
	}); err != nil {
		return err
	}
	text := strings.Join(lines, "\n")
	if !strings.Contains(text, "insgesamt") || !strings.Contains(text, "Mär") {
		return fmt.Errorf("%s runs in %s but lists %s in another language:\n%s", s.Kind, s.Locale, dir, text)
	}
	return nil
}
