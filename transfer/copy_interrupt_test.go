package transfer

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/ferry-ftp/ferry/internal/ftptest"
)

// cancelOnData is a Progress that cancels a copy once data has arrived.
type cancelOnData struct {
	once   sync.Once
	cancel context.CancelFunc
}

func (p *cancelOnData) Start(string, int64, int64) FileProgress { return p }
func (p *cancelOnData) Add(n int64) {
	if n > 0 {
		p.once.Do(p.cancel)
	}
}
func (p *cancelOnData) Finish(error) {}

// An FXP copy interrupted (ctx cancelled, as SIGINT does) while the file
// moves, by servers that never answer ABOR during it (as real ones may not
// while they send to each other), ends within one abort timeout (3 s, not
// one per server), with its partial file parked under
// the source's temporary name, where a later run's -c finds it: it
// resumes with REST on both servers and the copy is whole.
func TestCopyFXPInterruptedResumes(t *testing.T) {
	data := string(randomData(300_000))
	mtime := time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
	var once sync.Once
	pause := func(c ftptest.Command) *ftptest.Reply {
		var r *ftptest.Reply
		switch c.Verb {
		case "RETR":
			once.Do(func() { r = &ftptest.Reply{Transfer: &ftptest.Transfer{Pause: true, PauseAfter: 100_000}} })
		case "ABOR":
			r = &ftptest.Reply{Stall: true}
		}
		return r
	}
	var dstOnce sync.Once
	stallAbor := func(c ftptest.Command) *ftptest.Reply {
		var r *ftptest.Reply
		if c.Verb == "ABOR" {
			dstOnce.Do(func() { r = &ftptest.Reply{Stall: true} })
		}
		return r
	}
	ctx, cancel := context.WithCancel(testCtx(t))
	src, dst, cp := copyServers(t, map[string]string{"a.bin": data}, pause, stallAbor, CopyOptions{FXP: FXPForce, Progress: &cancelOnData{cancel: cancel}})
	os.Chtimes(filepath.Join(src.Root(), "a.bin"), mtime, mtime)
	start := time.Now()
	if _, err := cp.CopyFile(ctx, "a.bin", "b.bin", CopyFileOptions{}); err == nil {
		t.Fatal("an interrupted copy succeeded")
	}
	if took := time.Since(start); took > 4500*time.Millisecond {
		t.Errorf("the interrupted copy took %v", took)
	}
	parked, _ := TempName("b.bin", Source{Site: src.Addr(), Path: "a.bin", Size: int64(len(data)), ModTime: mtime}, nil)
	files := serverFiles(t, dst.Root())
	if len(files) != 1 || len(files[parked]) == 0 || files[parked] != data[:len(files[parked])] {
		t.Fatalf("after the interrupt the destination holds %d files, %d bytes under the parked name %s", len(files), len(files[parked]), parked)
	}
	n := len(files[parked])
	cp2 := NewCopier(testPool(t, src, PoolOptions{}), testPool(t, dst, PoolOptions{}), CopyOptions{FXP: FXPForce})
	defer cp2.Close()
	res, err := cp2.CopyFile(testCtx(t), "a.bin", "b.bin", CopyFileOptions{Resume: true})
	if err != nil {
		t.Fatal(err)
	}
	wantFiles(t, dst, map[string]string{"b.bin": data})
	if res.Offset != int64(n) {
		t.Errorf("resumed from %d, want %d", res.Offset, n)
	}
}

// A source that sends more than its SIZE said fails an FXP copy as it
// fails a streamed one: ErrTooLong (exit 9), the partial copy deleted and
// the final name untouched.
func TestCopyFXPLongerThanAnnounced(t *testing.T) {
	data := string(randomData(50_000))
	longer := func(c ftptest.Command) *ftptest.Reply {
		if c.Verb == "RETR" {
			return &ftptest.Reply{Transfer: &ftptest.Transfer{Data: []byte(data + "more")}}
		}
		return nil
	}
	for _, mode := range []FXPMode{FXPNever, FXPForce} {
		_, dst, cp := copyServers(t, map[string]string{"a": data}, longer, nil, CopyOptions{FXP: mode})
		_, err := cp.CopyFile(testCtx(t), "a", "a", CopyFileOptions{})
		if !errors.Is(err, ErrTooLong) {
			t.Errorf("mode %d: err = %v, want ErrTooLong", mode, err)
		}
		wantFiles(t, dst, map[string]string{})
	}
}
