// Package testsupport holds the helpers that the tests of several ferry
// packages share: a buffer safe for concurrent writes, local file writers,
// readers and tree snapshots, and a terminal screen replayed from a live
// display's output.
//
// It is for tests only: no package outside a _test.go file imports it. Its
// helpers keep no state of their own between calls.
package testsupport

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// LockedBuffer is a bytes.Buffer safe for concurrent use: a trace sink, or
// the stdout or stderr of a program that writes while the test reads. Its
// zero value is an empty buffer ready to use.
type LockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

// Write appends p to the buffer.
func (b *LockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// String returns what has been written so far.
func (b *LockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// WriteFile writes content to the file at path (mode 0644 before the
// umask), creating its parent folders (0755) as needed; it fails the test
// on an error.
func WriteFile(t testing.TB, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// ReadFile returns the content of the file at path, or "<missing>" when it
// cannot be read (it does not exist, or is a folder).
func ReadFile(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return "<missing>"
	}
	return string(b)
}

// Tree returns what lies below root by slash path relative to root: each
// file with its content (a link read through to its target), each folder
// with a name ending in "/" and an empty content. It fails the test when
// anything below root cannot be read.
func Tree(t testing.TB, root string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == root {
			return err
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			out[rel+"/"] = ""
			return nil
		}
		b, err := os.ReadFile(p)
		out[rel] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
