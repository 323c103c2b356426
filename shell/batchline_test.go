package shell

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/ferry-ftp/ferry/ops"
)

// TestBatchEmptyCommandName checks that a line whose command word is
// empty (a pair of quotes with nothing between) is an unknown command
// that stops a batch script, not a line silently skipped: a line such as
// `"" delete x` must not pass as done.
func TestBatchEmptyCommandName(t *testing.T) {
	for _, line := range []string{`""`, `'' delete x`, `"" ls`} {
		var out, errOut strings.Builder
		sh, err := New(Config{Open: testOpen(nil), Script: strings.NewReader(line + "\nlcd /\n"), Stdout: &out, Stderr: &errOut,
			Quiet: true, Dir: t.TempDir()})
		if err != nil {
			t.Fatal(err)
		}
		err = sh.Run(context.Background(), "")
		var ue *ops.UsageError
		if !errors.As(err, &ue) || !strings.Contains(err.Error(), `unknown command ""`) {
			t.Errorf("script line %q: Run = %v, want the usage error unknown command \"\"", line, err)
		}
	}
}
