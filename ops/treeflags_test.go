package ops

import (
	"strings"
	"testing"

	"github.com/spf13/pflag"
)

// flagUsage returns the help line of the flag name of the operation op.
func flagUsage(t *testing.T, op, name string) string {
	t.Helper()
	fl := pflag.NewFlagSet(op, pflag.ContinueOnError)
	Lookup(op).New().AddFlags(fl)
	f := fl.Lookup(name)
	if f == nil {
		t.Fatalf("%s has no --%s", op, name)
	}
	return f.Usage
}

// check's filters say what check does with the files they keep: it
// compares them, it copies nothing (outside probe of issue 16: its
// --include-rx said "copy only files").
func TestCheckFilterWording(t *testing.T) {
	for _, name := range []string{"include", "include-rx"} {
		if u := flagUsage(t, "check", name); !strings.HasPrefix(u, "compare only files") {
			t.Errorf("check --%s: %q", name, u)
		}
		if u := flagUsage(t, "mirror", name); !strings.HasPrefix(u, "copy only files") {
			t.Errorf("mirror --%s: %q", name, u)
		}
	}
}
