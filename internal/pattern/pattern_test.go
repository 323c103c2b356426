package pattern

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/ferry-ftp/ferry/client"
	"github.com/ferry-ftp/ferry/internal/ftptest"
	"github.com/ferry-ftp/ferry/internal/testsupport"
)

// files is the served tree of the tests.
var files = []string{
	"d/qm?.txt", "d/qmX.txt", "d/report-[draft].txt", "d/report-d.txt",
	"d/x[1.txt", "d/a0", "d/a1", "d/a?", "d/.hidden", "d/sub/f", "d/star*",
}

func serve(t *testing.T, disable ...string) (*ftptest.Server, *client.Conn) {
	t.Helper()
	root := t.TempDir()
	for _, f := range files {
		testsupport.WriteFile(t, filepath.Join(root, filepath.FromSlash(f)), f)
	}
	srv := ftptest.New(t, ftptest.Config{Root: root, Disable: disable})
	ctx := testCtx(t)
	c, err := client.Dial(ctx, srv.Addr())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if err := c.Login(ctx, "user", "pass"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Features(ctx); err != nil {
		t.Fatal(err)
	}
	return srv, c
}

func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func paths(ms []Match) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.Path)
	}
	return out
}

// TestExpand: a name the folder holds is taken as it is, whatever its
// pattern characters; a pattern expands otherwise; the modes settle it;
// with MLSD and with LIST only.
func TestExpand(t *testing.T) {
	tests := []struct {
		name    string
		p       string
		opt     Options
		want    []string
		folders []string
		literal bool
		also    int
	}{
		{"literal ?", "d/qm?.txt", Options{}, []string{"d/qm?.txt"}, nil, true, 1},
		{"literal brackets", "d/report-[draft].txt", Options{}, []string{"d/report-[draft].txt"}, nil, true, 1},
		{"literal bad pattern", "d/x[1.txt", Options{}, []string{"d/x[1.txt"}, nil, true, 0},
		{"literal found after matches", "d/a?", Options{}, []string{"d/a?"}, nil, true, 2},
		{"literal star", "d/star*", Options{}, []string{"d/star*"}, nil, true, 0},
		{"glob ?", "d/qm?.txt", Options{Mode: Glob}, []string{"d/qm?.txt", "d/qmX.txt"}, nil, false, 0},
		{"glob brackets", "d/report-[draft].txt", Options{Mode: Glob}, []string{"d/report-d.txt"}, nil, false, 0},
		{"escaped", `d/qm\?.txt`, Options{}, []string{"d/qm?.txt"}, nil, false, 0},
		{"pattern", "d/q*", Options{}, []string{"d/qm?.txt", "d/qmX.txt"}, nil, false, 0},
		{"folders apart", "d/s*", Options{}, []string{"d/star*"}, []string{"d/sub"}, false, 0},
		{"folders kept", "d/s*", Options{Dirs: true}, []string{"d/star*", "d/sub"}, nil, false, 0},
		{"hidden only when asked", "d/*hidden", Options{}, nil, nil, false, 0},
		{"hidden", "d/.h*", Options{}, []string{"d/.hidden"}, nil, false, 0},
		{"no match", "d/zz*", Options{}, nil, nil, false, 0},
		{"no pattern", "d/missing.txt", Options{}, []string{"d/missing.txt"}, nil, true, 0},
		{"literal mode", "d/q*", Options{Mode: Literal}, []string{"d/q*"}, nil, true, 0},
	}
	for _, listing := range []string{"MLSD", "LIST"} {
		var disable []string
		if listing == "LIST" {
			disable = []string{"MLST", "MLSD"}
		}
		srv, c := serve(t, disable...)
		for _, tt := range tests {
			t.Run(listing+"/"+tt.name, func(t *testing.T) {
				srv.ResetCommands()
				res, err := Expand(testCtx(t), c, tt.p, tt.opt)
				if err != nil {
					t.Fatalf("Expand(%q): %v", tt.p, err)
				}
				got := paths(res.Matches)
				if !reflect.DeepEqual(got, tt.want) || !reflect.DeepEqual(paths(res.Folders), tt.folders) ||
					res.Literal != tt.literal || res.Also != tt.also {
					t.Errorf("Expand(%q) = %v, folders %v, literal %v, also %d; want %v, %v, %v, %d",
						tt.p, got, paths(res.Folders), res.Literal, res.Also, tt.want, tt.folders, tt.literal, tt.also)
				}
				listed := false
				for _, cmd := range srv.Commands() {
					listed = listed || strings.HasPrefix(cmd, "MLSD") || strings.HasPrefix(cmd, "LIST")
				}
				if wantList := tt.opt.Mode != Literal && Has(tt.p); listed != wantList {
					t.Errorf("listing read: %v, want %v (%q)", listed, wantList, srv.Commands())
				}
			})
		}
	}
}

// TestExpandBadPattern: a malformed pattern that names no file is
// ErrBadPattern, and with Glob it is refused before any listing.
func TestExpandBadPattern(t *testing.T) {
	srv, c := serve(t)
	if _, err := Expand(testCtx(t), c, "d/y[1.txt", Options{}); !errors.Is(err, ErrBadPattern) {
		t.Errorf("Auto: err = %v, want ErrBadPattern", err)
	}
	srv.ResetCommands()
	if _, err := Expand(testCtx(t), c, "d/x[1.txt", Options{Mode: Glob}); !errors.Is(err, ErrBadPattern) {
		t.Errorf("Glob: err = %v, want ErrBadPattern", err)
	}
	if cmds := srv.Commands(); len(cmds) != 0 {
		t.Errorf("Glob with a bad pattern sent %q", cmds)
	}
}

// TestExpandBudget: the matches kept before the name turns out to exist
// are given back to the budget.
func TestExpandBudget(t *testing.T) {
	_, c := serve(t)
	b := client.NewBudget(client.Limits{Entries: 3})
	res, err := Expand(testCtx(t), c, "d/a?", Options{Budget: b})
	if err != nil || !res.Literal || res.Also != 2 {
		t.Fatalf("Expand = %+v, %v", res, err)
	}
	// One entry is kept (the name); two more fit a limit of three.
	for i := range 2 {
		if err := b.KeepPath("x"); err != nil {
			t.Fatalf("entry %d after Expand: %v", i+2, err)
		}
	}
	if err := b.KeepPath("x"); err == nil {
		t.Fatal("a fourth entry fits a limit of three")
	}
}

func TestSplitJoin(t *testing.T) {
	for _, tt := range []struct{ p, dir, name string }{
		{"a.txt", "", "a.txt"}, {"/a.txt", "/", "a.txt"}, {"d/e/a*", "d/e", "a*"}, {"d/", "", "d"},
	} {
		dir, name := Split(tt.p)
		if dir != tt.dir || name != tt.name {
			t.Errorf("Split(%q) = %q, %q; want %q, %q", tt.p, dir, name, tt.dir, tt.name)
		}
	}
	for _, tt := range []struct{ dir, name, want string }{
		{"", "a", "a"}, {"/", "a", "/a"}, {"d", "a", "d/a"}, {"d/", "a", "d/a"},
	} {
		if got := Join(tt.dir, tt.name); got != tt.want {
			t.Errorf("Join(%q, %q) = %q, want %q", tt.dir, tt.name, got, tt.want)
		}
	}
}
