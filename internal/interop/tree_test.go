package interop

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ferry-ftp/ferry/client"
	"github.com/ferry-ftp/ferry/internal/realserver"
	"github.com/ferry-ftp/ferry/internal/testsupport"
	"github.com/ferry-ftp/ferry/transfer"
)

// TestMirrorTree mirrors a tree of files of 1-20 KB up to vsftpd and back
// down with transfer.Pool.Mirror over 8 connections, and checks that each
// copy is identical to the source: 2,000 files in 20 folders in passive
// mode, 200 in active mode. A second download copies nothing.
func TestMirrorTree(t *testing.T) {
	skipShort(t)
	s := realserver.StartOrSkip(t, realserver.Vsftpd, realserver.Options{})
	for _, mode := range modes {
		t.Run(mode.String(), func(t *testing.T) {
			t.Parallel()
			files := 2000
			if mode == client.Active {
				files = 200
			}
			src := t.TempDir()
			makeTree(t, src, files, 20, uint64(files))
			remote := "tree-" + mode.String()
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
			defer cancel()
			p := transfer.NewPool(site(s, mode, s.Password, nil, nil), transfer.PoolOptions{Size: 8, Retries: 2})
			defer p.Close()

			up, err := p.Mirror(ctx, remote, src, transfer.MirrorOptions{Direction: transfer.Upload, Update: transfer.UpdateChanged})
			if err != nil || up.Failed > 0 || up.Copied != files {
				t.Fatalf("upload: %+v, %v", summary(up), err)
			}
			sameTree(t, src, onDisk(s, remote))

			dst := filepath.Join(t.TempDir(), "copy")
			down, err := p.Mirror(ctx, remote, dst, transfer.MirrorOptions{Direction: transfer.Download, Update: transfer.UpdateChanged})
			if err != nil || down.Failed > 0 || down.Copied != files {
				t.Fatalf("download: %+v, %v", summary(down), err)
			}
			sameTree(t, src, dst)

			again, err := p.Mirror(ctx, remote, dst, transfer.MirrorOptions{Direction: transfer.Download, Update: transfer.UpdateChanged})
			if err != nil || again.Copied != 0 || again.Unchanged != files {
				t.Errorf("second download: %+v, %v; want nothing copied; first action: %s", summary(again), err, firstAction(again))
			}
			if err := os.RemoveAll(onDisk(s, remote)); err != nil {
				t.Error(err)
			}
		})
	}
}

// summary is a Report without its plan, for messages.
func summary(r *transfer.Report) string {
	if r == nil {
		return "<nil>"
	}
	return fmt.Sprintf("copied %d, made %d, deleted %d, unchanged %d, failed %d, retries %d",
		r.Copied, r.Made, r.Deleted, r.Unchanged, r.Failed, r.Retries)
}

// makeTree writes files files of 1-20 KB of random bytes, spread over
// dirs folders, below root.
func makeTree(t *testing.T, root string, files, dirs int, seed uint64) {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 7))
	for i := range files {
		dir := filepath.Join(root, fmt.Sprintf("d%02d", i%dirs))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		b := make([]byte, 1024+rng.IntN(19*1024))
		for j := range b {
			b[j] = byte(rng.Uint32())
		}
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("f%04d.bin", i)), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// sameTree checks that the regular files and folders below a and b are
// the same, byte for byte.
func sameTree(t *testing.T, a, b string) {
	t.Helper()
	wa, wb := testsupport.Tree(t, a), testsupport.Tree(t, b)
	if len(wa) != len(wb) {
		t.Errorf("%s holds %d paths, %s %d", a, len(wa), b, len(wb))
		extra := 0
		for rel := range wb {
			if _, ok := wa[rel]; !ok && extra < 10 {
				extra++
				t.Errorf("%s holds %s, which %s lacks", b, rel, a)
			}
		}
	}
	bad := 0
	for rel, data := range wa {
		got, ok := wb[rel]
		if !ok {
			t.Errorf("%s lacks %s", b, rel)
		} else if err := sameBytes(rel, []byte(got), []byte(data)); err != nil {
			t.Error(err)
		} else {
			continue
		}
		if bad++; bad > 5 {
			t.Fatal("too many differences")
		}
	}
}

// firstAction describes the first action of a plan, for messages.
func firstAction(r *transfer.Report) string {
	if r == nil || len(r.Plan) == 0 {
		return "none"
	}
	return r.Plan[0].String(transfer.Download) + " (" + r.Plan[0].Reason + ")"
}
