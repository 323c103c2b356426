package interop

import (
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/ferry-ftp/ferry/client"
	"github.com/ferry-ftp/ferry/transfer"
)

// wantEntry is what a listing must say about a name.
type wantEntry struct {
	typ  client.EntryType
	size int64 // ignored for folders
}

// listed returns what the cell's folder holds after the uploads.
func (x *cell) listed() map[string]wantEntry {
	want := map[string]wantEntry{spaceDir: {typ: client.EntryDir}}
	for _, f := range x.files {
		want["put-"+f.name] = wantEntry{client.EntryFile, int64(len(f.data))}
	}
	for _, f := range x.small {
		want["stor-"+f.name] = wantEntry{client.EntryFile, int64(len(f.data))}
	}
	return want
}

// checkListing compares a listing of the remote folder dir with want and
// the times of its files with their modification times on disk.
func (x *cell) checkListing(what, dir string, entries []client.Entry, unparsed []string, want map[string]wantEntry) error {
	var errs []error
	if len(unparsed) > 0 {
		errs = append(errs, fmt.Errorf("%s: unparsed lines %q", what, unparsed))
	}
	got := map[string]client.Entry{}
	for _, e := range entries {
		if _, dup := got[e.Name]; dup {
			errs = append(errs, fmt.Errorf("%s lists %q twice", what, e.Name))
		}
		got[e.Name] = e
	}
	if g, w := slices.Sorted(maps.Keys(got)), slices.Sorted(maps.Keys(want)); !slices.Equal(g, w) {
		return errors.Join(append(errs, fmt.Errorf("%s lists %q, want %q", what, g, w))...)
	}
	for name, w := range want {
		e := got[name]
		if e.Type != w.typ {
			errs = append(errs, fmt.Errorf("%s: %q is a %s, want a %s", what, name, e.Type, w.typ))
			continue
		}
		if w.typ != client.EntryFile {
			continue
		}
		if e.Size != w.size {
			errs = append(errs, fmt.Errorf("%s: %q has %d bytes, want %d", what, name, e.Size, w.size))
		}
		fi, err := os.Stat(onDisk(x.s, dir+"/"+name))
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if err := sameTime(e.ModTime, e.Precision, fi.ModTime()); err != nil {
			errs = append(errs, fmt.Errorf("%s: %q: %w", what, name, err))
		}
	}
	return errors.Join(errs...)
}

// sameTime checks a listed time against the time on disk, as far as the
// listing's precision goes. The servers run in UTC, as LIST assumes.
func sameTime(listed time.Time, p client.TimePrecision, disk time.Time) error {
	disk = disk.UTC()
	var ok bool
	switch p {
	case client.TimeExact:
		ok = listed.Sub(disk.Truncate(time.Second)).Abs() < 2*time.Second
	case client.TimeMinute:
		ok = listed.Sub(disk.Truncate(time.Minute)).Abs() < time.Minute+time.Second
	case client.TimeDay:
		ok = listed.Format(time.DateOnly) == disk.Format(time.DateOnly)
	}
	if !ok {
		return fmt.Errorf("time %s (precision %d), on disk %s", listed.UTC().Format(time.RFC3339), p, disk.Format(time.RFC3339Nano))
	}
	return nil
}

// mlsd lists the folder with MLSD where the server offers MLST/MLSD.
func (x *cell) mlsd() error {
	if !x.c.HasFeature("MLST") {
		x.t.Logf("%s offers no MLSD (no MLST in FEAT); LIST only", x.s.Kind)
		return nil
	}
	entries, unparsed, err := x.c.MLSD(x.ctx(), x.dir)
	if err != nil {
		return err
	}
	return x.checkListing("MLSD", x.dir, entries, unparsed, x.listed())
}

func (x *cell) list() error {
	entries, unparsed, err := x.c.List(x.ctx(), x.dir)
	if err != nil {
		return err
	}
	return x.checkListing("LIST", x.dir, entries, unparsed, x.listed())
}

// sizeAndTime checks SIZE and MDTM of every uploaded file.
func (x *cell) sizeAndTime() error {
	var errs []error
	for name, w := range x.listed() {
		if w.typ != client.EntryFile {
			continue
		}
		remote := x.remote(name)
		size, err := x.c.Size(x.ctx(), remote)
		if err != nil {
			return fmt.Errorf("SIZE %q: %w", remote, err)
		}
		if size != w.size {
			errs = append(errs, fmt.Errorf("SIZE %q = %d, want %d", remote, size, w.size))
		}
		mtime, err := x.c.ModTime(x.ctx(), remote)
		if err != nil {
			return fmt.Errorf("MDTM %q: %w", remote, err)
		}
		fi, err := os.Stat(onDisk(x.s, remote))
		if err != nil {
			return err
		}
		if err := sameTime(mtime, client.TimeExact, fi.ModTime()); err != nil {
			errs = append(errs, fmt.Errorf("MDTM %q: %w", remote, err))
		}
	}
	return errors.Join(errs...)
}

// uniContent is the content of the name steps' file.
var uniContent = []byte("naïve café, déjà vu\n")

// namesSteps uploads, lists, downloads, renames and deletes a file with a
// non-ASCII name (namesFor) in the folder whose name holds spaces, one
// step each.
func (x *cell) namesSteps() {
	x.t.Helper()
	ctx := x.ctx()
	names := namesFor(x.s.Kind)
	sub := x.remote(spaceDir)
	remote := sub + "/" + names.file
	want := map[string]wantEntry{names.file: {client.EntryFile, int64(len(uniContent))}}
	x.run("names: upload", func() error {
		local := filepath.Join(x.local, names.file)
		if err := writeFile(local, uniContent); err != nil {
			return err
		}
		if _, err := transfer.Put(ctx, x.c, local, remote, transfer.PutOptions{}); err != nil {
			return fmt.Errorf("transfer.Put to %q: %w", remote, err)
		}
		return sameFile(onDisk(x.s, remote), uniContent)
	})
	x.run("names: MLSD", func() error {
		if !x.c.HasFeature("MLST") {
			return nil
		}
		entries, unparsed, err := x.c.MLSD(ctx, sub)
		if err != nil {
			return fmt.Errorf("MLSD %q: %w", sub, err)
		}
		return x.checkListing("MLSD", sub, entries, unparsed, want)
	})
	x.run("names: LIST", func() error {
		entries, unparsed, err := x.c.List(ctx, sub)
		if err != nil {
			return fmt.Errorf("LIST %q: %w", sub, err)
		}
		return x.checkListing(fmt.Sprintf("LIST %q", sub), sub, entries, unparsed, want)
	})
	x.run("names: download", func() error {
		if size, err := x.c.Size(ctx, remote); err != nil || size != int64(len(uniContent)) {
			return fmt.Errorf("SIZE %q = %d, %v; want %d", remote, size, err, len(uniContent))
		}
		local := filepath.Join(x.local, "copy of "+names.file)
		if _, err := transfer.Get(ctx, x.c, remote, local, transfer.GetOptions{}); err != nil {
			return fmt.Errorf("transfer.Get of %q: %w", remote, err)
		}
		return sameFile(local, uniContent)
	})
	x.run("names: rename and delete", func() error {
		to := sub + "/" + names.renamed
		if err := x.c.Rename(ctx, remote, to); err != nil {
			return err
		}
		if err := sameFile(onDisk(x.s, to), uniContent); err != nil {
			return err
		}
		if err := x.c.Dele(ctx, to); err != nil {
			return err
		}
		return absent(onDisk(x.s, to))
	})
}

// missing checks the refusals for a file that does not exist: 550.
func (x *cell) missing() error {
	ctx := x.ctx()
	remote := x.remote("no such file.bin")
	is550 := func(code int) bool { return code == 550 }
	_, err := x.c.Size(ctx, remote)
	if err := wantReplyError("SIZE of a missing file", err, is550); err != nil {
		return err
	}
	r, err := x.c.Retr(ctx, remote, 0)
	if err == nil {
		r.Close()
	}
	if err := wantReplyError("RETR of a missing file", err, is550); err != nil {
		return err
	}
	local := filepath.Join(x.local, "missing.bin")
	_, err = transfer.Get(ctx, x.c, remote, local, transfer.GetOptions{})
	if err := wantReplyError("transfer.Get of a missing file", err, is550); err != nil {
		return err
	}
	if !transfer.IsNotFound(err) {
		return fmt.Errorf("transfer.IsNotFound(%v) is false", err)
	}
	if err := errors.Join(absent(local), noTempFiles(filepath.Dir(local))); err != nil {
		return fmt.Errorf("a failed download left a file: %w", err)
	}
	if err := wantReplyError("DELE of a missing file", x.c.Dele(ctx, remote), is550); err != nil {
		return err
	}
	return alive(ctx, x.c, x.s.Kind)
}

// afterRefusals checks that the session still transfers after the
// refused RETR and STOR of the steps before: a listing and a download.
func (x *cell) afterRefusals() error {
	entries, unparsed, err := x.c.ReadDir(x.ctx(), x.dir)
	if err != nil {
		return fmt.Errorf("listing after refused transfers: %w", err)
	}
	if len(entries) == 0 || len(unparsed) > 0 {
		return fmt.Errorf("listing after refused transfers: %d entries, unparsed %q", len(entries), unparsed)
	}
	r, err := x.c.Retr(x.ctx(), x.remote("put-"+x.mib.name), 0)
	if err != nil {
		return fmt.Errorf("download after refused transfers: %w", err)
	}
	got, err := readAllClose(r)
	if err != nil {
		return fmt.Errorf("download after refused transfers: %w", err)
	}
	return sameBytes("download after refused transfers", got, x.mib.data)
}

// deleteFiles deletes every file the cell uploaded, by name, and checks
// that only the sub-folder is left.
func (x *cell) deleteFiles() error {
	names := []string{"appe.bin", "tput.bin"}
	for name, w := range x.listed() {
		if w.typ == client.EntryFile {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	for _, name := range names {
		remote := x.remote(name)
		if err := x.c.Dele(x.ctx(), remote); err != nil {
			return err
		}
		if err := absent(onDisk(x.s, remote)); err != nil {
			return err
		}
	}
	left, err := os.ReadDir(onDisk(x.s, x.dir))
	if err != nil {
		return err
	}
	if len(left) != 1 || left[0].Name() != spaceDir {
		var names []string
		for _, e := range left {
			names = append(names, e.Name())
		}
		return fmt.Errorf("after deleting, the folder holds %q, want only %q", names, spaceDir)
	}
	return nil
}

// rmdir removes the sub-folder and the cell's folder.
func (x *cell) rmdir() error {
	for _, d := range []string{x.remote(spaceDir), x.dir} {
		if err := x.c.Rmd(x.ctx(), d); err != nil {
			return err
		}
		if err := absent(onDisk(x.s, d)); err != nil {
			return err
		}
	}
	return nil
}
