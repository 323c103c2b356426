package transfer

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/ferry-ftp/ferry/internal/ftptest"
	"github.com/ferry-ftp/ferry/internal/testsupport"
)

// rewriter is a Progress that rewrites the local file name in place (the
// same size, other bytes) after the first bytes of each of the first
// times uploads, and puts its modification time back: a writer that
// keeps the time, so that only the change time tells.
type rewriter struct {
	t     *testing.T
	name  string
	times int32
	done  atomic.Int32
}

func (r *rewriter) Start(string, int64, int64) FileProgress { return &rewriteFile{r: r} }

type rewriteFile struct {
	r    *rewriter
	once sync.Once
}

func (f *rewriteFile) Add(int64) {
	f.once.Do(func() {
		r := f.r
		if r.done.Add(1) > r.times {
			return
		}
		fi, err := os.Stat(r.name)
		if err != nil {
			r.t.Error(err)
			return
		}
		w, err := os.OpenFile(r.name, os.O_WRONLY, 0)
		if err != nil {
			r.t.Error(err)
			return
		}
		w.Write(bytes.Repeat([]byte{'0' + byte(r.done.Load())}, int(fi.Size())))
		w.Close()
		os.Chtimes(r.name, fi.ModTime(), fi.ModTime())
	})
}

func (f *rewriteFile) Finish(error) {}

// bigFile writes a local file larger than one copy buffer, so that an
// upload reads it in more than one go.
func bigFile(t *testing.T, name string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	testsupport.WriteFile(t, p, strings.Repeat("the first version\n", 3*bufferSize/18))
	return p
}

// A local file rewritten in place while it is uploaded (same size, its
// time kept) is never taken for a complete upload: the attempt fails with
// ErrSourceChanged, its temporary file is deleted (never parked for a
// resume), and the retry sends the file whole; a file that keeps changing
// through every retry fails, and the server keeps the old file and no
// temporary one. Outside probe of issue 16: the torn upload took the
// final name and `ferry check -R` called it the same.
func TestPutSourceChanged(t *testing.T) {
	for _, retries := range []int{1, 2} {
		srv := ftptest.New(t, ftptest.Config{})
		testsupport.WriteFile(t, filepath.Join(srv.Root(), "f.txt"), "old")
		local := bigFile(t, "f.txt")
		rw := &rewriter{t: t, name: local, times: 2}
		p := testPool(t, srv, PoolOptions{Size: 1, Retries: retries})
		res, err := p.PutFile(testCtx(t), local, "f.txt", PutOptions{Progress: rw, KeepTime: true})
		got := serverFiles(t, srv.Root())
		if retries == 2 {
			// Changed in the first two attempts, whole in the third.
			if err != nil || res.Retries != 2 {
				t.Fatalf("PutFile = %+v, %v; want success after 2 retries", res, err)
			}
			if want := testsupport.ReadFile(local); got["f.txt"] != want || len(got) != 1 {
				t.Errorf("server holds %d files; f.txt of %d bytes, want the local file's %d", len(got), len(got["f.txt"]), len(want))
			}
			continue
		}
		if !errors.Is(err, ErrSourceChanged) || !strings.Contains(err.Error(), local) {
			t.Fatalf("PutFile = %v, want ErrSourceChanged naming %s", err, local)
		}
		if len(got) != 1 || got["f.txt"] != "old" {
			t.Errorf("server holds %q, want the old f.txt alone", showFiles(got))
		}
	}
}

// A mirror upload whose source file keeps changing fails for that file
// alone; the others are copied.
func TestMirrorUploadSourceChanged(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{})
	local := filepath.Dir(bigFile(t, "busy.log"))
	testsupport.WriteFile(t, filepath.Join(local, "quiet.txt"), "quiet")
	rw := &rewriter{t: t, name: filepath.Join(local, "busy.log"), times: 100}
	p := testPool(t, srv, PoolOptions{Size: 1, Retries: 1})
	var ev events
	rep, err := p.Mirror(testCtx(t), "dst", local, MirrorOptions{Direction: Upload, Update: UpdateChanged, Progress: rw, OnEvent: ev.add})
	if err != nil || rep.Copied != 1 || rep.Failed != 1 {
		t.Fatalf("Mirror = %+v, %v", rep, err)
	}
	if f := ev.failed(); len(f) != 1 || f[0] != "busy.log" {
		t.Errorf("failed %q", f)
	}
	for _, e := range ev.all {
		if e.Err != nil && !errors.Is(e.Err, ErrSourceChanged) {
			t.Errorf("busy.log: %v", e.Err)
		}
	}
	if got := serverFiles(t, srv.Root()); len(got) != 1 || got["dst/quiet.txt"] != "quiet" {
		t.Errorf("server holds %s", showFiles(got))
	}
}
