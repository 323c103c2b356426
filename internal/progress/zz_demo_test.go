package progress

import (
	"errors"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"
)

func TestZZDemo(t *testing.T) {
	if os.Getenv("DEMO") == "" {
		t.Skip()
	}
	tty, err := os.OpenFile("/dev/tty", os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	b := NewBars(tty)
	var wg sync.WaitGroup
	for i := range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			size := int64(20+i*15) * mib
			off := int64(0)
			if i == 2 {
				off = size / 2
			}
			if i == 4 {
				size = -1
			}
			fp := b.Start(fmt.Sprintf("dir/some-file-with-a-long-name-%d.tar.gz", i), size, off)
			for j := 0; j < 40+i*20; j++ {
				fp.Add(512 * kib)
				time.Sleep(50 * time.Millisecond)
			}
			var err error
			if i == 3 {
				err = errors.New("ftp: 426 connection closed; transfer aborted")
			}
			fp.Finish(err)
		}()
	}
	wg.Wait()
	b.Close()
}
