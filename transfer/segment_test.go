package transfer

import (
	"crypto/sha256"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ferry-ftp/ferry/internal/ftptest"
)

// writeRandomFile writes size pseudo-random bytes to p and returns their
// SHA-256.
func writeRandomFile(t testing.TB, p string, size int64, seed uint64) [32]byte {
	t.Helper()
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h := sha256.New()
	r := rand.NewChaCha8([32]byte{byte(seed)})
	if _, err := io.Copy(io.MultiWriter(f, h), io.LimitReader(r, size)); err != nil {
		t.Fatal(err)
	}
	var sum [32]byte
	copy(sum[:], h.Sum(nil))
	return sum
}

func fileSum(t testing.TB, p string) [32]byte {
	t.Helper()
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h := sha256.New()
	io.Copy(h, f)
	var sum [32]byte
	copy(sum[:], h.Sum(nil))
	return sum
}

// The acceptance test of the issue: 256 MiB over 4 connections.
func TestSegmentedGet256MiB(t *testing.T) {
	if testing.Short() {
		t.Skip("256 MiB")
	}
	const size = 256 << 20
	srv := ftptest.New(t, ftptest.Config{})
	want := writeRandomFile(t, filepath.Join(srv.Root(), "big.img"), size, 1)
	p := testPool(t, srv, PoolOptions{Size: 4})
	local := filepath.Join(t.TempDir(), "big.img")
	ctx := testCtx(t)
	start := time.Now()
	res, err := p.GetSegmented(ctx, "big.img", local, 4, GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	d := time.Since(start)
	t.Logf("256 MiB over 4 connections: %v (%.0f MiB/s)", d, size/d.Seconds()/(1<<20))
	if fileSum(t, local) != want {
		t.Fatal("file differs")
	}
	if res.Size != size || res.Bytes != size {
		t.Errorf("result %+v", res)
	}
	if entries, _ := os.ReadDir(filepath.Dir(local)); len(entries) != 1 {
		t.Errorf("files beside the download: %v", entries)
	}
	// Four ranges, each on its own connection, three with REST; all
	// but the last cut short with ABOR.
	var rests []string
	aborts := 0
	for s := 1; s <= srv.Sessions(); s++ {
		for _, c := range srv.SessionCommands(s) {
			if strings.HasPrefix(c, "REST ") {
				rests = append(rests, c)
			}
			if c == "ABOR" {
				aborts++
			}
		}
	}
	slices.Sort(rests)
	if want := []string{"REST 134217728", "REST 201326592", "REST 67108864"}; !slices.Equal(rests, want) || aborts != 3 {
		t.Errorf("REST %q and %d ABOR, want %q and 3", rests, aborts, want)
	}
	if srv.Sessions() != 4 {
		t.Errorf("%d sessions", srv.Sessions())
	}
}

func TestSegmentedGetFallsBackToWhole(t *testing.T) {
	for _, tc := range []struct {
		name    string
		size    int
		disable []string
	}{
		{"small", 100_000, nil},
		{"no REST", 4 << 20, []string{"REST"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := ftptest.New(t, ftptest.Config{Disable: tc.disable})
			data := randomData(tc.size)
			os.WriteFile(filepath.Join(srv.Root(), "f"), data, 0o644)
			p := testPool(t, srv, PoolOptions{Size: 4})
			local := filepath.Join(t.TempDir(), "f")
			if _, err := p.GetSegmented(testCtx(t), "f", local, 4, GetOptions{}); err != nil {
				t.Fatal(err)
			}
			if got, _ := os.ReadFile(local); !slices.Equal(got, data) {
				t.Fatal("file differs")
			}
			if n := countVerb(srv.Commands(), "RETR"); n != 1 {
				t.Errorf("%d RETR, want the file whole", n)
			}
		})
	}
}

// A segmented download that fails leaves neither the file nor a part.
func TestSegmentedGetFailureCleansUp(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{DropDataAfter: 1 << 20})
	os.WriteFile(filepath.Join(srv.Root(), "f"), randomData(8<<20), 0o644)
	p := testPool(t, srv, PoolOptions{Size: 4, Retries: 1})
	local := filepath.Join(t.TempDir(), "f")
	os.WriteFile(local, []byte("old"), 0o644)
	res, err := p.GetSegmented(testCtx(t), "f", local, 4, GetOptions{})
	if err == nil {
		t.Fatal("succeeded")
	}
	wantTree(t, filepath.Dir(local), map[string]string{"f": "old"})
	if res.Retries == 0 {
		t.Errorf("no retries: %+v", res)
	}
}
