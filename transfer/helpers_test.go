package transfer

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"hash/fnv"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ferry-ftp/ferry/client"
	"github.com/ferry-ftp/ferry/internal/ftptest"
)

// noWait is a backoff that retries at once, for tests.
func noWait(int) time.Duration { return 0 }

// testPool returns a pool for srv that retries at once, closed at the end
// of the test.
func testPool(t *testing.T, srv *ftptest.Server, opt PoolOptions) *Pool {
	t.Helper()
	if opt.Backoff == nil {
		opt.Backoff = noWait
	}
	p := NewPool(site(srv), opt)
	t.Cleanup(func() { p.Close() })
	return p
}

// makeTree writes folders*perFolder files of 1 to maxSize bytes below
// root, in folders d00, d01..., with pseudo-random contents from seed.
// It returns the number of bytes written.
func makeTree(t testing.TB, root string, folders, perFolder, maxSize int, seed uint64) int64 {
	t.Helper()
	r := rand.New(rand.NewPCG(seed, 99))
	var total int64
	for d := range folders {
		dir := filepath.Join(root, fmt.Sprintf("d%02d", d))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		for f := range perFolder {
			b := make([]byte, 1+r.IntN(maxSize))
			for i := range b {
				b[i] = byte(r.Uint32())
			}
			if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("f%04d.bin", f)), b, 0o644); err != nil {
				t.Fatal(err)
			}
			total += int64(len(b))
		}
	}
	return total
}

// treeSums returns each regular file's SHA-256 by slash path, and each
// folder as "dir"; other kinds as their type.
func treeSums(t testing.TB, root string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		if rel == "." {
			return nil
		}
		rel = filepath.ToSlash(rel)
		switch {
		case d.IsDir():
			out[rel] = "dir"
		case d.Type().IsRegular():
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			out[rel] = fmt.Sprintf("%x", sha256.Sum256(b))
		default:
			out[rel] = d.Type().String()
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// sameTree fails the test unless the trees hold the same paths and bytes.
func sameTree(t testing.TB, want, got string) {
	t.Helper()
	a, b := treeSums(t, want), treeSums(t, got)
	var diffs []string
	for p, s := range a {
		if b[p] != s {
			diffs = append(diffs, fmt.Sprintf("%s: %q vs %q", p, s, b[p]))
		}
	}
	for p := range b {
		if _, ok := a[p]; !ok {
			diffs = append(diffs, p+": extra")
		}
	}
	if len(diffs) > 0 {
		sort.Strings(diffs)
		if len(diffs) > 20 {
			diffs = append(diffs[:20], "...")
		}
		t.Fatalf("trees %s and %s differ (%d paths vs %d):\n%s", want, got, len(a), len(b), strings.Join(diffs, "\n"))
	}
}

// flaky is a server hook that cuts the data connection of a seeded
// pseudo-random subset of the transfers of verb: each path chosen is cut
// once, on its first transfer, after a pseudo-random number of bytes
// below its size, so that the number of cuts (and of retries) does not
// depend on the order in which parallel workers reach the files.
type flaky struct {
	verb     string
	seed     uint64
	permille uint64
	sizeOf   func(arg string) int64 // the size of the file, to cut inside it

	mu    sync.Mutex
	seen  map[string]bool
	drops []string
}

func (f *flaky) hook(c ftptest.Command) *ftptest.Reply {
	if c.Verb != f.verb {
		return nil
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.seen == nil {
		f.seen = map[string]bool{}
	}
	if f.seen[c.Arg] {
		return nil
	}
	f.seen[c.Arg] = true
	h := fnv.New64a()
	fmt.Fprintf(h, "%d/%s", f.seed, c.Arg)
	v := h.Sum64()
	if v%1000 >= f.permille {
		return nil
	}
	size := f.sizeOf(c.Arg)
	if size < 2 {
		return nil
	}
	f.drops = append(f.drops, c.Arg)
	return &ftptest.Reply{Transfer: &ftptest.Transfer{DropAfter: 1 + int64((v/1000)%uint64(size-1))}}
}

func (f *flaky) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.drops)
}

// countVerb counts the commands with the given verb.
func countVerb(cmds []string, verb string) int {
	n := 0
	for _, c := range cmds {
		if c == verb || strings.HasPrefix(c, verb+" ") {
			n++
		}
	}
	return n
}

// fileSize returns a function that gives the size of a file below dir by
// its remote path (a path relative to the login folder, "/" for the root).
func fileSize(dir string, strip string) func(string) int64 {
	return func(arg string) int64 {
		arg = strings.TrimSuffix(arg, strip)
		fi, err := os.Stat(filepath.Join(dir, filepath.FromSlash(strings.TrimPrefix(arg, "/"))))
		if err != nil {
			return 0
		}
		return fi.Size()
	}
}

var _ = bytes.Equal
var _ = strconv.Itoa

// listClock reads LIST times in loc.
func listClock(loc *time.Location) client.Option { return client.WithListClock(nil, loc) }
