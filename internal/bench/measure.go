package bench

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"time"
)

// sample is one timed run of a command.
type sample struct {
	wall   time.Duration
	cpu    time.Duration // user and system time of the tool (and GNU time)
	maxRSS int64         // peak resident memory, bytes (wait4's ru_maxrss)
}

// gnuTime is GNU time, which reports a child's peak memory. wait4's own
// ru_maxrss cannot be used for children of this process: Go starts them
// with vfork semantics (CLONE_VM), and Linux carries the peak of the
// memory they shared at exec into the child's figure, so every program
// would seem to use at least what the harness does.
const gnuTime = "/usr/bin/time"

// runOnce runs argv with env, its standard output going to the file
// stdout ("" discards it), and returns its wall time and peak memory. The
// clock starts just before the process is started and stops when it has
// been waited for. With rssFile set, argv runs under GNU time, which
// writes the peak memory (KiB) there; without it maxRSS is 0.
func runOnce(ctx context.Context, argv, env []string, stdout, rssFile string) (sample, error) {
	if rssFile != "" {
		argv = append([]string{gnuTime, "-f", "%M", "-o", rssFile, "--"}, argv...)
	}
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Env = env
	out := os.DevNull
	if stdout != "" {
		out = stdout
	}
	f, err := os.Create(out)
	if err != nil {
		return sample{}, fmt.Errorf("bench: %w", err)
	}
	defer f.Close()
	cmd.Stdout = f
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	began := time.Now()
	err = cmd.Run()
	wall := time.Since(began)
	if err != nil {
		return sample{}, fmt.Errorf("bench: %s: %w\n%s", argv[0], err, tail(stderr.String(), 20))
	}
	s := sample{wall: wall, cpu: cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()}
	if rssFile != "" {
		b, err := os.ReadFile(rssFile)
		if err != nil {
			return sample{}, fmt.Errorf("bench: %w", err)
		}
		kib, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
		if err != nil {
			return sample{}, fmt.Errorf("bench: GNU time wrote %q: %w", b, err)
		}
		s.maxRSS = kib * 1024
	}
	return s, nil
}

// tail returns the last n lines of s.
func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// series holds one tool's samples in one scenario, in run order.
type series struct {
	tool    string
	command string // the command line as shown in the report
	samples []sample
}

func (s *series) walls() []float64 {
	out := make([]float64, len(s.samples))
	for i, x := range s.samples {
		out[i] = x.wall.Seconds()
	}
	return out
}

// medianWall returns the median wall time in seconds.
func (s *series) medianWall() float64 { return median(s.walls()) }

// minWall returns the shortest wall time in seconds.
func (s *series) minWall() float64 { return slices.Min(s.walls()) }

// medianCPU returns the median CPU time (user and system) in seconds.
func (s *series) medianCPU() float64 {
	v := make([]float64, len(s.samples))
	for i, x := range s.samples {
		v[i] = x.cpu.Seconds()
	}
	return median(v)
}

// medianRSS returns the median peak memory in bytes.
func (s *series) medianRSS() float64 {
	v := make([]float64, len(s.samples))
	for i, x := range s.samples {
		v[i] = float64(x.maxRSS)
	}
	return median(v)
}

// maxRSS returns the largest peak memory of any run, in bytes.
func (s *series) maxRSS() int64 {
	var m int64
	for _, x := range s.samples {
		m = max(m, x.maxRSS)
	}
	return m
}

// pairRatio returns the median of a's time over b's, run by run: the
// runs alternate, so run i of each saw much the same machine.
func pairRatio(a, b *series) float64 {
	n := min(len(a.samples), len(b.samples))
	r := make([]float64, n)
	for i := range n {
		r[i] = a.samples[i].wall.Seconds() / b.samples[i].wall.Seconds()
	}
	return median(r)
}

// median returns the median of v, or 0 for no values.
func median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := slices.Clone(v)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
