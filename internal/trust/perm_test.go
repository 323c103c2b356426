//go:build unix

package trust

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLoadRefusesOpenStore checks that a store whose file or folder
// others could write to is a *PermError naming it and the chmod.
func TestLoadRefusesOpenStore(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ferry")
	path := filepath.Join(dir, FileName)
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		dirMode, fileMode os.FileMode
		bad, fix          string
	}{
		{0o700, 0o600, "", ""},
		{0o755, 0o644, "", ""},
		{0o700, 0o666, path, `chmod go-w "` + path + `"`},
		{0o700, 0o602, path, `chmod go-w "` + path + `"`},
		{0o777, 0o600, dir, `chmod go-w "` + dir + `"`},
		{0o770, 0o600, dir, `chmod go-w "` + dir + `"`},
		{0o1777, 0o600, dir, `chmod go-w "` + dir + `"`},
	} {
		if err := os.Chmod(dir, tt.dirMode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(path, tt.fileMode); err != nil {
			t.Fatal(err)
		}
		_, err := Load(path)
		var pe *PermError
		switch {
		case tt.bad == "" && err != nil:
			t.Errorf("dir %o, file %o: %v", tt.dirMode, tt.fileMode, err)
		case tt.bad != "" && !errors.As(err, &pe):
			t.Errorf("dir %o, file %o: got %v, want a PermError", tt.dirMode, tt.fileMode, err)
		case tt.bad != "" && (pe.Path != tt.bad || pe.Fix != tt.fix || !strings.Contains(err.Error(), tt.fix)):
			t.Errorf("dir %o, file %o: got %q (path %q, fix %q), want path %q, fix %q", tt.dirMode, tt.fileMode, err, pe.Path, pe.Fix, tt.bad, tt.fix)
		}
	}
	os.Chmod(dir, 0o700)
}

// TestSaveTightensFolder checks that Save makes ferry's folder 0700, made
// or open to others, and leaves the folder above it alone.
func TestSaveTightensFolder(t *testing.T) {
	top := t.TempDir()
	if err := os.Chmod(top, 0o755); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(top, "ferry")
	path := filepath.Join(dir, FileName)
	mode := func(p string) os.FileMode {
		t.Helper()
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		return fi.Mode().Perm()
	}
	s, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Save(); err != nil {
		t.Fatal(err)
	}
	if m := mode(dir); m != 0o700 {
		t.Errorf("made folder: mode %o, want 700", m)
	}
	if err := os.Chmod(dir, 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	s, err = Load(path) // no file: nothing to trust, nothing refused
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Save(); err != nil {
		t.Fatal(err)
	}
	if m := mode(dir); m != 0o700 {
		t.Errorf("folder 777 after Save: mode %o, want 700", m)
	}
	if m := mode(path); m != 0o600 {
		t.Errorf("file after Save: mode %o, want 600", m)
	}
	if m := mode(top); m != 0o755 {
		t.Errorf("parent after Save: mode %o, want 755 untouched", m)
	}
	if _, err := Load(path); err != nil {
		t.Errorf("Load after Save: %v", err)
	}
}
