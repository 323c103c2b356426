package realserver

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// Ports are handed out in blocks: the first port of a block is the control
// port, the others are the server's passive range. A block is owned by
// whoever holds an flock on its lock file, so parallel servers in this
// process, in other test binaries (go test ./... runs packages at once) and
// in the CLI never share ports. Blocks are taken outside the kernel's
// ephemeral range so outgoing connections do not take them meanwhile.
const (
	blockSize   = 256 // 1 control port + 255 passive ports (see doc.go)
	lowestPort  = 10000
	highestPort = 65535
)

type portBlock struct {
	base int
	lock *os.File
}

func (b *portBlock) control() int          { return b.base }
func (b *portBlock) passive() (lo, hi int) { return b.base + 1, b.base + blockSize - 1 }

func (b *portBlock) release() {
	if b.lock != nil {
		b.lock.Close() // drops the flock
		b.lock = nil
	}
}

// reservePorts finds a block whose ports are all free on host and locks it.
func reservePorts(host string) (*portBlock, error) {
	windows := portWindows()
	var bases []int
	for _, w := range windows {
		for base := w[0]; base+blockSize-1 <= w[1]; base += blockSize {
			bases = append(bases, base)
		}
	}
	if len(bases) == 0 {
		return nil, errors.New("realserver: no port range outside the ephemeral ports")
	}
	dir := filepath.Join(os.TempDir(), "ferry-realserver-ports")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("realserver: %w", err)
	}
	os.Chmod(dir, 0o1777) // best effort: let other users lock blocks too
	start := rand.IntN(len(bases))
	for i := range min(len(bases), 200) {
		base := bases[(start+i)%len(bases)]
		f, err := os.OpenFile(filepath.Join(dir, strconv.Itoa(base)+".lock"), os.O_CREATE|os.O_RDWR, 0o666)
		if err != nil {
			return nil, fmt.Errorf("realserver: %w", err)
		}
		if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
			f.Close()
			continue
		}
		if portsFree(host, base, base+blockSize-1) {
			return &portBlock{base: base, lock: f}, nil
		}
		f.Close()
	}
	return nil, errors.New("realserver: found no free block of ports")
}

// portWindows returns the port ranges below and above the kernel's
// ephemeral range (net.ipv4.ip_local_port_range, 32768-60999 by default).
func portWindows() [][2]int {
	ephLo, ephHi := 32768, 60999
	if data, err := os.ReadFile("/proc/sys/net/ipv4/ip_local_port_range"); err == nil {
		if f := strings.Fields(string(data)); len(f) == 2 {
			lo, err1 := strconv.Atoi(f[0])
			hi, err2 := strconv.Atoi(f[1])
			if err1 == nil && err2 == nil && lo <= hi {
				ephLo, ephHi = lo, hi
			}
		}
	}
	var w [][2]int
	if ephLo-1 >= lowestPort+blockSize {
		w = append(w, [2]int{lowestPort, ephLo - 1})
	}
	if ephHi+1 <= highestPort-blockSize {
		w = append(w, [2]int{ephHi + 1, highestPort})
	}
	return w
}

// portsFree reports whether every port from lo to hi can be listened on.
func portsFree(host string, lo, hi int) bool {
	for p := lo; p <= hi; p++ {
		l, err := net.Listen("tcp", net.JoinHostPort(host, strconv.Itoa(p)))
		if err != nil {
			return false
		}
		l.Close()
	}
	return true
}
