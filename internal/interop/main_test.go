package interop

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/ferry-ftp/ferry/client"
	"github.com/ferry-ftp/ferry/internal/realserver"
)

// reportPath is where a complete run writes the matrix.
const reportPath = "../../docs/interop.md"

func TestMain(m *testing.M) {
	flag.Parse()
	dir, err := os.MkdirTemp("", "ferry-interop-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "interop:", err)
		os.Exit(1)
	}
	scratch = dir
	code := m.Run()
	if testing.Verbose() {
		if t := results.timings(8); t != "" {
			fmt.Fprintf(os.Stderr, "interop: slowest entries:\n%s\n", t)
		}
	}
	if !testing.Short() {
		if wrote, err := results.writeReport(reportPath); err != nil {
			fmt.Fprintln(os.Stderr, "interop: writing the report:", err)
			code = 1
		} else if wrote {
			fmt.Fprintf(os.Stderr, "interop: wrote %s\n", filepath.Clean(reportPath))
		} else if realserver.Required() {
			fmt.Fprintf(os.Stderr, "interop: %s not written: the run did not cover the whole matrix\n", filepath.Clean(reportPath))
		}
	}
	os.RemoveAll(dir)
	os.Exit(code)
}

// scratch is the process's folder for fixtures and the CLI's CA file.
var scratch string

// skipShort skips the suite under -short.
func skipShort(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("interop suite skipped in -short mode")
	}
}

// fixture is a file of random bytes, on disk and in memory.
type fixture struct {
	label string // "0 B", "1 B", "1 MiB", "64 MiB"
	name  string // base name used on the server
	data  []byte
	path  string // the local file
}

const (
	mib     = 1 << 20
	bigSize = 64 * mib
)

var fixtureSizes = []struct {
	label, name string
	size        int
}{
	{"0 B", "empty.bin", 0},
	{"1 B", "one.bin", 1},
	{"1 MiB", "mib.bin", mib},
	{"64 MiB", "big.bin", bigSize},
}

// fixtures returns the small files (0 B, 1 B, 1 MiB) and the 64 MiB one,
// made once per process from a fixed seed, so a failure can be
// reproduced with the same bytes.
var fixtures = sync.OnceValues(func() ([]*fixture, error) {
	rng := rand.NewChaCha8([32]byte{'f', 'e', 'r', 'r', 'y'})
	var out []*fixture
	for _, fs := range fixtureSizes {
		f := &fixture{label: fs.label, name: fs.name, data: make([]byte, fs.size)}
		rng.Read(f.data)
		f.path = filepath.Join(scratch, "fixture-"+fs.name)
		if err := os.WriteFile(f.path, f.data, 0o644); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, nil
})

func mustFixtures(t *testing.T) (small []*fixture, big *fixture) {
	t.Helper()
	all, err := fixtures()
	if err != nil {
		t.Fatalf("fixtures: %v", err)
	}
	return all[:3], all[3]
}

// bigEverywhere reports whether every cell moves the 64 MiB file, as the
// matrix asks; FERRY_INTEROP_BIG=one limits it to one cell per server and
// mode, for quicker runs by hand (about 20 s less on 2 cores).
func bigEverywhere() bool { return os.Getenv("FERRY_INTEROP_BIG") != "one" }

// bigCell reports whether the cell of opts moves the 64 MiB file: every
// cell, or under FERRY_INTEROP_BIG=one the cell of explicit TLS over IPv4.
func bigCell(opts realserver.Options) bool {
	return bigEverywhere() || opts == realserver.Options{TLS: realserver.TLSExplicit}
}

// modes are the data connection modes of the matrix.
var modes = []client.DataMode{client.Passive, client.Active}
