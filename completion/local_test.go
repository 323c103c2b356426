package completion

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/ferry-ftp/ferry/internal/testsupport"
)

// makeTree creates files (names ending in "/" are folders) under root.
func makeTree(t *testing.T, root string, names ...string) {
	t.Helper()
	for _, n := range names {
		p := filepath.Join(root, filepath.FromSlash(n))
		if n[len(n)-1] != '/' {
			testsupport.WriteFile(t, p, "x")
		} else if err := os.MkdirAll(p, 0o755); err != nil {
			t.Fatal(err)
		}
	}
}

func TestLocal(t *testing.T) {
	root := t.TempDir()
	makeTree(t, root, "docs/", "docs/guide.md", "docs/api/", "docs/api/v1.txt", "data.csv",
		".env", ".git/", "my file.txt", "Makefile")
	symlinked := true
	if err := os.Symlink(filepath.Join(root, "docs"), filepath.Join(root, "dlink")); err != nil {
		symlinked = false
	}
	t.Chdir(root)

	tests := []struct {
		prefix string
		want   []string
	}{
		{"da", []string{"data.csv"}},
		{"do", []string{"docs/"}},
		{"docs/", []string{"docs/api/", "docs/guide.md"}},
		{"docs/api/", []string{"docs/api/v1.txt"}},
		{"./docs/g", []string{"./docs/guide.md"}},
		{".", []string{".env", ".git/"}},
		{"my", []string{"my file.txt"}},
		{"M", []string{"Makefile"}},
		{"make", nil},
		{root + "/docs/a", []string{root + "/docs/api/"}},
	}
	if symlinked {
		tests = append(tests, struct {
			prefix string
			want   []string
		}{"dl", []string{"dlink/"}})
	}
	for _, tt := range tests {
		got, err := Local(tt.prefix)
		if err != nil {
			t.Errorf("Local(%q): %v", tt.prefix, err)
			continue
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("Local(%q) = %q, want %q", tt.prefix, got, tt.want)
		}
	}
	if got, err := Local("missing/x"); got != nil || err == nil {
		t.Errorf("Local(missing/x) = %q, %v; want nil and an error", got, err)
	}
}

func TestLocalHome(t *testing.T) {
	home := t.TempDir()
	makeTree(t, home, "notes/", "notes/todo.txt", "notes/deep/", "notes/deep/x", "nope.txt")
	t.Setenv("HOME", home)
	t.Setenv("USERPROFILE", home) // os.UserHomeDir on Windows
	tests := []struct {
		prefix string
		want   []string
	}{
		{"~", []string{"~/"}},
		{"~/", []string{"~/nope.txt", "~/notes/"}},
		{"~/not", []string{"~/notes/"}},
		{"~/notes/", []string{"~/notes/deep/", "~/notes/todo.txt"}},
		{"~/notes/deep/", []string{"~/notes/deep/x"}},
	}
	for _, tt := range tests {
		got, err := Local(tt.prefix)
		if err != nil {
			t.Errorf("Local(%q): %v", tt.prefix, err)
			continue
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("Local(%q) = %q, want %q", tt.prefix, got, tt.want)
		}
	}
}
