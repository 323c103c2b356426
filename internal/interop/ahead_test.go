package interop

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/ferry-ftp/ferry/client"
	"github.com/ferry-ftp/ferry/internal/realserver"
	"github.com/ferry-ftp/ferry/ops"
)

// aheadFiles are the files of the lookahead step: empty, tiny, small and
// large, in the order of the folder's listing.
var aheadFiles = []struct {
	name string
	size int
}{{"a0.bin", 0}, {"a1.bin", 1}, {"a2.bin", 1000}, {"a3.bin", 70000}, {"a4.bin", 300 << 10}, {"a5.bin", 5}}

// lookahead downloads files the server did not receive over FTP with
// get --parallel 1 'DIR/*': all on one connection, each file's data
// command (EPSV or PASV; EPRT or PORT in active mode) and RETR sent ahead
// of the final reply of the one before, byte-identical. It returns what the trace shows of lookahead, for the
// report: how many files were taken up as sent ahead, or why the server
// was served without it.
func lookahead(c *cli, s *realserver.Server, mode client.DataMode) (string, error) {
	dir := "ahead-" + mode.String()
	rng := rand.New(rand.NewPCG(15, 15))
	want := map[string][]byte{}
	for _, f := range aheadFiles {
		b := make([]byte, f.size)
		for i := range b {
			b[i] = byte(rng.Uint32())
		}
		p := onDisk(s, dir+"/"+f.name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return "", err
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			return "", err
		}
		want[f.name] = b
	}
	local := filepath.Join(c.local, dir)
	if err := os.MkdirAll(local, 0o755); err != nil {
		return "", err
	}
	_, stderr, err := c.expect(ops.ExitOK, "get", "-v", "--parallel", "1", c.url(dir)+"/*", "-o", local+"/")
	if err != nil {
		return "", err
	}
	for name, b := range want {
		got, err := os.ReadFile(filepath.Join(local, name))
		if err != nil {
			return "", err
		}
		if !bytes.Equal(got, b) {
			return "", fmt.Errorf("%s: %d bytes, want %d identical", name, len(got), len(b))
		}
	}
	taken := strings.Count(stderr, "* took up RETR ")
	off := regexp.MustCompile(`\* lookahead off for this session: (.*)`).FindStringSubmatch(stderr)
	switch {
	case off != nil:
		return fmt.Sprintf("fallback after %d: %s", taken, off[1]), nil
	case taken != len(aheadFiles)-1:
		return "", fmt.Errorf("%d of %d files taken up as sent ahead, and lookahead not turned off:\n%s", taken, len(aheadFiles)-1, stderr)
	}
	return fmt.Sprintf("%d of %d sent ahead", taken, len(aheadFiles)-1), nil
}
