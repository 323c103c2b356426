package bench

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
)

// dataSet describes the files the benchmark serves.
type dataSet struct {
	bigSize     int64 // big.bin, random bytes
	treeFolders int   // tree/d00 ... : folders
	treeFiles   int   // files in all of tree/, spread evenly over the folders
	minFile     int   // tree file sizes, bytes, uniform in [minFile, maxFile]
	maxFile     int
	manyEntries int // files in many/
}

// fullData is the data set of the issue; smokeData a small one that makes
// every scenario run in a moment.
var (
	fullData  = dataSet{bigSize: 1 << 30, treeFolders: 20, treeFiles: 2000, minFile: 1000, maxFile: 20000, manyEntries: 10000}
	smokeData = dataSet{bigSize: 4 << 20, treeFolders: 4, treeFiles: 40, minFile: 1000, maxFile: 20000, manyEntries: 200}
)

func (d dataSet) fileName(i int) string   { return fmt.Sprintf("f%04d.dat", i) }
func (d dataSet) folderName(i int) string { return fmt.Sprintf("d%02d", i) }

// d00Names returns the names of the files in tree/d00.
func (d dataSet) d00Names() []string {
	var names []string
	for i := 0; i < d.treeFiles; i += d.treeFolders {
		names = append(names, d.fileName(i))
	}
	return names
}

// uploadFolders is how many of tree's folders the upload scenario sends
// (a quarter: 500 files of the full data set).
func (d dataSet) uploadFolders() int { return max(d.treeFolders/4, 1) }

// uploadFiles is the number of files in those folders.
func (d dataSet) uploadFiles() int { return d.treeFiles / d.treeFolders * d.uploadFolders() }

// generate writes the whole data set into the server's folder home (see
// generateTree) with big.bin, and a copy of big.bin to src. Contents are
// pseudo-random from fixed seeds, so every run serves the same bytes.
func (d dataSet) generate(home, src string) error {
	rng := rand.NewChaCha8([32]byte{'f', 'e', 'r', 'r', 'y'})
	if err := writeRandom(filepath.Join(home, "big.bin"), src, rng, d.bigSize); err != nil {
		return err
	}
	return d.generateTree(home)
}

// generateTree writes tree/ and many/ into home and makes the folder up/
// for uploads.
func (d dataSet) generateTree(home string) error {
	if err := d.writeTree(filepath.Join(home, "tree"), d.treeFolders); err != nil {
		return err
	}
	many := filepath.Join(home, "many")
	if err := os.Mkdir(many, 0o755); err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	for i := range d.manyEntries {
		name := filepath.Join(many, fmt.Sprintf("entry-%05d.txt", i))
		if err := os.WriteFile(name, []byte(name+"\n"), 0o644); err != nil {
			return fmt.Errorf("bench: %w", err)
		}
	}
	if err := os.Mkdir(filepath.Join(home, "up"), 0o755); err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	return nil
}

// writeTree writes the first folders folders of tree/ into dir: the same
// bytes in every call.
func (d dataSet) writeTree(dir string, folders int) error {
	rng := rand.NewChaCha8([32]byte{'t', 'r', 'e', 'e'})
	sizes := rand.New(rand.NewPCG(1, 2))
	for f := range folders {
		if err := os.MkdirAll(filepath.Join(dir, d.folderName(f)), 0o755); err != nil {
			return fmt.Errorf("bench: %w", err)
		}
	}
	buf := make([]byte, d.maxFile)
	for i := range d.treeFiles {
		n := d.minFile + sizes.IntN(d.maxFile-d.minFile+1)
		rng.Read(buf[:n])
		if i%d.treeFolders >= folders {
			continue
		}
		name := filepath.Join(dir, d.folderName(i%d.treeFolders), d.fileName(i))
		if err := os.WriteFile(name, buf[:n], 0o644); err != nil {
			return fmt.Errorf("bench: %w", err)
		}
	}
	return nil
}

// writeRandom writes size random bytes from rng to both files.
func writeRandom(a, b string, rng io.Reader, size int64) error {
	fa, err := os.Create(a)
	if err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	defer fa.Close()
	fb, err := os.Create(b)
	if err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	defer fb.Close()
	if _, err := io.CopyN(io.MultiWriter(fa, fb), rng, size); err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	if err := fa.Close(); err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	if err := fb.Close(); err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	return nil
}

// checkSize fails unless name holds size bytes.
func checkSize(name string, size int64) error {
	fi, err := os.Stat(name)
	if err != nil {
		return fmt.Errorf("bench: result missing: %w", err)
	}
	if fi.Size() != size {
		return fmt.Errorf("bench: %s has %d bytes, want %d", name, fi.Size(), size)
	}
	return nil
}

// checkFiles fails unless the tree at dir holds n regular files.
func checkFiles(dir string, n int) error {
	count := 0
	err := filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			count++
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	if count != n {
		return fmt.Errorf("bench: %s holds %d files, want %d", dir, count, n)
	}
	return nil
}

// checkLines fails unless the file name holds at least n non-empty lines.
func checkLines(name string, n int) error {
	f, err := os.Open(name)
	if err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	defer f.Close()
	count := 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if len(bytes.TrimSpace(sc.Bytes())) > 0 {
			count++
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	if count < n {
		return fmt.Errorf("bench: listing has %d lines, want at least %d", count, n)
	}
	return nil
}
