package main

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestMakeInstall runs `make install` into a staging folder, as a packager
// does, and checks the exact files it puts there; then `make uninstall`,
// which must remove those files and nothing else. The binary, pages and
// scripts are built once, into a temporary folder, not the work tree's bin.
func TestMakeInstall(t *testing.T) {
	for _, tool := range []string{"make", "go", "install"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("no %s: %v", tool, err)
		}
	}
	repo, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(repo, "Makefile")); err != nil {
		t.Skipf("no Makefile: %v", err)
	}
	tmp := t.TempDir()
	build := filepath.Join(tmp, "build")
	stage := filepath.Join(tmp, "stage")
	vars := []string{"BIN=" + filepath.Join(build, "ferry"), "MANOUT=" + filepath.Join(build, "man"),
		"COMPOUT=" + filepath.Join(build, "completion")}
	runMake := func(args ...string) {
		t.Helper()
		c := exec.Command("make", append(append([]string{"-C", repo, "--no-print-directory"}, args...), vars...)...)
		c.Env = append(cleanEnv(), "SOURCE_DATE_EPOCH="+testEpoch)
		out, err := c.CombinedOutput()
		if err != nil {
			t.Fatalf("make %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}

	runMake("install", "DESTDIR="+stage, "PREFIX=/usr")

	pages := wantPages(t)
	want := []string{
		"usr/bin/ferry",
		"usr/share/bash-completion/completions/ferry",
		"usr/share/fish/vendor_completions.d/ferry.fish",
		"usr/share/zsh/site-functions/_ferry",
	}
	for name := range pages {
		want = append(want, "usr/share/man/man1/"+name)
	}
	slices.Sort(want)
	if got := files(t, stage); !slices.Equal(got, want) {
		t.Fatalf("make install DESTDIR=%s PREFIX=/usr installed\n%q\nwant\n%q", stage, got, want)
	}
	checkPages(t, filepath.Join(stage, "usr/share/man/man1"), "Nov 2023")

	bin := filepath.Join(stage, "usr/bin/ferry")
	if fi, err := os.Stat(bin); err != nil {
		t.Error(err)
	} else if fi.Mode().Perm() != 0o755 {
		t.Errorf("installed binary has mode %v, want 0755", fi.Mode().Perm())
	}
	for _, s := range []struct{ path, shell, want string }{
		{"usr/share/bash-completion/completions/ferry", "bash", "complete -o default -F __start_ferry ferry"},
		{"usr/share/zsh/site-functions/_ferry", "zsh", "#compdef ferry\n"},
		{"usr/share/fish/vendor_completions.d/ferry.fish", "fish", "complete -c ferry "},
	} {
		got, err := os.ReadFile(filepath.Join(stage, s.path))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(got), s.want) {
			t.Errorf("%s does not hold %q", s.path, s.want)
		}
		// The script is what the installed binary prints.
		out, err := exec.Command(bin, "completion", s.shell).Output()
		if err != nil || string(out) != string(got) {
			t.Errorf("%s differs from `ferry completion %s` (%v)", s.path, s.shell, err)
		}
	}

	// PREFIX defaults to /usr/local; the same build is copied again.
	other := filepath.Join(tmp, "other")
	runMake("install", "DESTDIR="+other)
	if _, err := os.Stat(filepath.Join(other, "usr/local/bin/ferry")); err != nil {
		t.Errorf("default PREFIX: %v", err)
	}
	if _, err := os.Stat(filepath.Join(other, "usr/local/share/man/man1/ferry-get.1")); err != nil {
		t.Errorf("default PREFIX: %v", err)
	}

	// uninstall removes ferry's files and leaves others, even ones named
	// like ferry's, and the folders, which other packages share.
	keep := []string{"usr/bin/ftp", "usr/share/man/man1/ls.1", "usr/share/man/man1/ferry-old.1",
		"usr/share/bash-completion/completions/ferry.bak", "usr/share/zsh/site-functions/_git"}
	for _, k := range keep {
		if err := os.WriteFile(filepath.Join(stage, k), []byte("not ferry's\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	runMake("uninstall", "DESTDIR="+stage, "PREFIX=/usr")
	slices.Sort(keep)
	if got := files(t, stage); !slices.Equal(got, keep) {
		t.Errorf("after make uninstall, DESTDIR holds\n%q\nwant\n%q", got, keep)
	}
	if _, err := os.Stat(filepath.Join(stage, "usr/share/fish/vendor_completions.d")); err != nil {
		t.Errorf("uninstall removed a shared folder: %v", err)
	}
}

// files returns the regular files under dir, relative to it, sorted.
func files(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, path)
		out = append(out, filepath.ToSlash(rel))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

// cleanEnv returns the environment without what an outer make (make test)
// passes down or a shell may set, so that the inner make sees only the
// variables the test gives it.
func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch k {
		case "MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES", "GNUMAKEFLAGS",
			"PREFIX", "DESTDIR", "BIN", "MANOUT", "COMPOUT", "SOURCE_DATE_EPOCH":
			continue
		}
		env = append(env, kv)
	}
	return env
}
