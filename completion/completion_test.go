package completion

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/ferry-ftp/ferry/client"
)

// fakeLister serves listings from memory and counts its calls.
type fakeLister struct {
	dirs map[string][]client.Entry // cleaned folder -> entries
	// block, when set, makes ReadDir wait for it to close, ignoring ctx.
	block chan struct{}

	mu    sync.Mutex
	calls []string
}

func (f *fakeLister) ReadDir(_ context.Context, dir string) ([]client.Entry, error) {
	f.mu.Lock()
	f.calls = append(f.calls, dir)
	f.mu.Unlock()
	if f.block != nil {
		<-f.block
	}
	es, ok := f.dirs[dir]
	if !ok {
		return nil, fmt.Errorf("550 %q: no such folder", dir)
	}
	return es, nil
}

// Calls returns the folders listed so far.
func (f *fakeLister) Calls() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.calls)
}

func file(name string) client.Entry { return client.Entry{Name: name, Type: client.EntryFile, Size: 1} }
func dir(name string) client.Entry  { return client.Entry{Name: name, Type: client.EntryDir, Size: -1} }
func link(name string) client.Entry {
	return client.Entry{Name: name, Type: client.EntryLink, Target: "x"}
}

// newTree returns a lister for a small server whose login folder is
// /home/u (listed as "" or "/home/u").
func newTree() *fakeLister {
	home := []client.Entry{
		file("pack.tgz"), dir("patches"), dir("pub"), file(".profile"), dir(".ssh"),
		file("my file.txt"), dir("my dir"), link("latest"), file("Readme"), file("readme.md"),
		{Name: "."}, {Name: ".."}, file("bad\r\nname"),
		// Escape sequences a hostile server lists: never offered (outside
		// probe of issue 13: Tab drew them on the terminal).
		file("esc\x1b[31mRED"), file("title\x1b]0;PWNED\x07"), dir("tab\tdir"), file("csi\u009bx"),
	}
	return &fakeLister{dirs: map[string][]client.Entry{
		"":            home,
		"/home/u":     home,
		"pub":         {file("a.txt"), file("a b.txt"), dir("alpha"), file(".hidden")},
		"/home/u/pub": {file("a.txt"), file("a b.txt"), dir("alpha"), file(".hidden")},
		"pub/alpha":   {file("deep.bin")},
		"my dir":      {file("inner")},
		"/":           {dir("etc"), dir("home")},
		"/etc":        {file("passwd"), file("group")},
		"/home":       {dir("u")},
	}}
}

func TestRemote(t *testing.T) {
	tests := []struct {
		name, cwd, prefix string
		want              []string
		listed            string
	}{
		{"root all", "", "", []string{"Readme", "latest", "my dir/", "my file.txt", "pack.tgz", "patches/", "pub/", "readme.md"}, ""},
		{"root partial", "", "pa", []string{"pack.tgz", "patches/"}, ""},
		{"case-sensitive", "", "R", []string{"Readme"}, ""},
		{"folder exact", "", "pub", []string{"pub/"}, ""},
		{"hidden asked", "", ".", []string{".profile", ".ssh/"}, ""},
		{"hidden partial", "", ".s", []string{".ssh/"}, ""},
		{"link as file", "", "lat", []string{"latest"}, ""},
		{"spaces", "", "my ", []string{"my dir/", "my file.txt"}, ""},
		{"in space folder", "", "my dir/", []string{"my dir/inner"}, "my dir"},
		{"subfolder", "", "pub/", []string{"pub/a b.txt", "pub/a.txt", "pub/alpha/"}, "pub"},
		{"subfolder hidden", "", "pub/.", []string{"pub/.hidden"}, "pub"},
		{"nested", "", "pub/alpha/d", []string{"pub/alpha/deep.bin"}, "pub/alpha"},
		{"absolute root", "", "/", []string{"/etc/", "/home/"}, "/"},
		{"absolute", "", "/etc/p", []string{"/etc/passwd"}, "/etc"},
		{"double slash", "", "//etc/g", []string{"//etc/group"}, "/etc"},
		{"cwd", "/home/u", "pub/a", []string{"pub/a b.txt", "pub/a.txt", "pub/alpha/"}, "/home/u/pub"},
		{"cwd dotdot", "/home/u", "../", []string{"../u/"}, "/home"},
		{"cwd dot", "/home/u", "./pa", []string{"./pack.tgz", "./patches/"}, "/home/u"},
		{"no match", "", "zzz", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := newTree()
			got, err := Remote(t.Context(), l, tt.cwd, tt.prefix)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("Remote(%q, %q) = %q, want %q", tt.cwd, tt.prefix, got, tt.want)
			}
			if calls := l.Calls(); len(calls) != 1 || calls[0] != tt.listed {
				t.Errorf("listed %q, want [%q]", calls, tt.listed)
			}
		})
	}
}

func TestRemoteListerError(t *testing.T) {
	got, err := Remote(t.Context(), newTree(), "", "nowhere/x")
	if err == nil || got != nil {
		t.Fatalf("Remote = %q, %v; want nil and an error", got, err)
	}
}

// TestRemoteDeadline checks that a Lister that ignores ctx and blocks
// does not hold completion past the deadline.
func TestRemoteDeadline(t *testing.T) {
	l := newTree()
	l.block = make(chan struct{})
	defer close(l.block)
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	got, err := Remote(ctx, l, "", "pa")
	if elapsed := time.Since(start); elapsed > 2*time.Second {
		t.Errorf("Remote took %v past a 50ms deadline", elapsed)
	}
	if got != nil || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Remote = %q, %v; want nil, DeadlineExceeded", got, err)
	}
}

func TestRemoteEndedContext(t *testing.T) {
	l := newTree()
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if got, err := Remote(ctx, l, "", ""); got != nil || err == nil {
		t.Errorf("Remote = %q, %v; want nil and an error", got, err)
	}
	if calls := l.Calls(); len(calls) != 0 {
		t.Errorf("listed %q with an ended context", calls)
	}
}

func TestNames(t *testing.T) {
	names := []string{"work", "home", "web", "work", "Web"}
	tests := []struct {
		prefix string
		want   []string
	}{
		{"", []string{"Web", "home", "web", "work"}},
		{"w", []string{"web", "work"}},
		{"wo", []string{"work"}},
		{"x", nil},
	}
	for _, tt := range tests {
		if got := Names(tt.prefix, names); !slices.Equal(got, tt.want) {
			t.Errorf("Names(%q) = %q, want %q", tt.prefix, got, tt.want)
		}
	}
}

func TestContinues(t *testing.T) {
	for c, want := range map[string]bool{
		"pub/": true, "work:": true, "a.txt": false, "": false, "ftp://h/pub/": true,
	} {
		if got := Continues(c); got != want {
			t.Errorf("Continues(%q) = %v", c, got)
		}
	}
}
