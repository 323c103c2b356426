package realserver

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"time"
)

// The helper programs of this package, each a main package in a folder
// beside this file: the accept loop the inetd servers run under, and the
// server made from fclairamb/ftpserverlib.
const (
	helperInetd        = "inetd"
	helperFtpserverlib = "ftpserverlib"
)

var helperNames = []string{helperInetd, helperFtpserverlib}

// kindHelpers names the helper program each kind runs.
var kindHelpers = map[Kind]string{
	InetutilsFTPd: helperInetd,
	FtpdSSLDE:     helperInetd,
	Ftpserverlib:  helperFtpserverlib,
}

// buildHelperOf builds the helper program kind runs, if any. Launch calls
// it before its startup deadline starts, since a build from a cold cache
// takes longer than a startup may.
func buildHelperOf(kind Kind) error {
	if name, ok := kindHelpers[kind]; ok {
		_, err := helperBinary(name)
		return err
	}
	return nil
}

// helperBuilds builds each helper once per process.
var helperBuilds = func() map[string]func() (string, error) {
	m := map[string]func() (string, error){}
	for _, name := range helperNames {
		m[name] = sync.OnceValues(func() (string, error) {
			ctx, cancel := context.WithTimeout(context.Background(), helperBuildTimeout)
			defer cancel()
			return buildHelper(ctx, name)
		})
	}
	return m
}()

// helperBuildTimeout bounds a build: a cold build of ftpserverlib and its
// dependencies takes about half a minute on 2 cores.
const helperBuildTimeout = 5 * time.Minute

// helperBinary returns the path of the helper program name, built from
// the source tree with go build into CacheDir()/bin. go build leaves a
// binary that is up to date alone, so after the first build of a source
// version this costs the Go command's check only.
func helperBinary(name string) (string, error) {
	build, ok := helperBuilds[name]
	if !ok {
		return "", fmt.Errorf("realserver: no helper %q", name)
	}
	return build()
}

// buildHelper runs go build for the helper name, under a lock so that
// parallel test processes do not write the binary at once.
func buildHelper(ctx context.Context, name string) (string, error) {
	src, err := helperSource(name)
	if err != nil {
		return "", err
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		return "", fmt.Errorf("%w: the Go command is needed to build the %s helper: %v", ErrNotInstalled, name, err)
	}
	cache, err := CacheDir()
	if err != nil {
		return "", err
	}
	bin := filepath.Join(cache, "bin")
	if err := os.MkdirAll(bin, 0o755); err != nil {
		return "", fmt.Errorf("realserver: %w", err)
	}
	unlock, err := lockFile(ctx, filepath.Join(bin, ".lock"))
	if err != nil {
		return "", err
	}
	defer unlock()
	out := filepath.Join(bin, "ferry-"+name)
	// Static, so that LD_LIBRARY_PATH into the unpacked tree cannot
	// change what it runs with.
	if msg, err := run(ctx, src, []string{"CGO_ENABLED=0"}, goTool, "build", "-o", out, "."); err != nil {
		return "", fmt.Errorf("realserver: go build of the %s helper in %s: %w\n%s", name, src, err, msg)
	}
	return out, nil
}

// helperSource returns the folder of the helper's source, which is beside
// this file in the source tree the package was built from.
func helperSource(name string) (string, error) {
	_, file, _, ok := runtime.Caller(0)
	if !ok || !filepath.IsAbs(file) {
		return "", errors.New("realserver: the helpers are built from the source tree, and this binary does not know where it is (built with -trimpath?)")
	}
	dir := filepath.Join(filepath.Dir(file), name)
	if _, err := os.Stat(filepath.Join(dir, "main.go")); err != nil {
		return "", fmt.Errorf("realserver: the %s helper's source: %w", name, err)
	}
	return dir, nil
}
