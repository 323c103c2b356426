package transfer

import (
	"errors"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ferry-ftp/ferry/internal/ftptest"
	"github.com/ferry-ftp/ferry/internal/testsupport"
)

// BackupDir moves what a mirror replaces or deletes into the backup
// folder, at the same relative paths, both ways; nothing is deleted.
func TestMirrorBackupDir(t *testing.T) {
	for _, dir := range []Direction{Download, Upload} {
		t.Run(map[Direction]string{Download: "download", Upload: "upload"}[dir], func(t *testing.T) {
			srv := ftptest.New(t, ftptest.Config{})
			base := t.TempDir()
			local := filepath.Join(base, "l")
			from, to, remote := filepath.Join(srv.Root(), "src"), local, "src"
			backup, backupPath := filepath.Join(base, "bak"), filepath.Join(base, "bak")
			if dir == Upload {
				from, to, remote = local, filepath.Join(srv.Root(), "dst"), "dst"
				backup, backupPath = "old/bak", filepath.Join(srv.Root(), "old/bak")
			}
			for p, data := range map[string]string{"same.txt": "same", "changed.txt": "new version", "sub/x": "now a file", "deep/d.txt": "d"} {
				testsupport.WriteFile(t, filepath.Join(from, p), data)
			}
			for p, data := range map[string]string{"same.txt": "same", "changed.txt": "old", "gone.txt": "gone", "sub/x/in": "in the way",
				"deep/d.txt": "d", "deep/stale/s.txt": "stale"} {
				testsupport.WriteFile(t, filepath.Join(to, p), data)
			}
			p := testPool(t, srv, PoolOptions{Size: 2})
			srv.ResetCommands()
			opt := MirrorOptions{Direction: dir, Update: UpdateChanged, Delete: true, BackupDir: backup, SizeOnly: true}
			rep, err := p.Mirror(testCtx(t), remote, local, opt)
			if err != nil || rep.Failed != 0 || rep.Copied != 2 || rep.Deleted != 4 {
				t.Fatalf("Mirror = %+v, %v", rep, err)
			}
			sameTree(t, from, to)
			want := map[string]string{"changed.txt": "old", "gone.txt": "gone", "sub/": "", "sub/x/": "", "sub/x/in": "in the way",
				"deep/": "", "deep/stale/": "", "deep/stale/s.txt": "stale"}
			if got := testsupport.Tree(t, backupPath); !maps.Equal(got, want) {
				t.Errorf("backup holds %q", got)
			}
			if dir == Upload {
				if n := countVerb(srv.Commands(), "DELE"); n != 0 {
					t.Errorf("%d DELE sent", n)
				}
				if !slices.Contains(srv.Commands(), "RNTO old/bak/changed.txt") {
					t.Errorf("no RNTO into the backup: %q", srv.Commands())
				}
			}
			// A second run keeps the earlier backup of a path: the new
			// one takes a numbered name (see TestMirrorBackupNeverReplaced).
			testsupport.WriteFile(t, filepath.Join(from, "changed.txt"), "third version")
			if rep, err := p.Mirror(testCtx(t), remote, local, opt); err != nil || rep.Copied != 1 || rep.Failed != 0 {
				t.Fatalf("second run = %+v, %v", rep, err)
			}
			if got := testsupport.ReadFile(filepath.Join(backupPath, "changed.txt")); got != "old" {
				t.Errorf("backup of changed.txt = %q", got)
			}
			if got := testsupport.ReadFile(filepath.Join(backupPath, "changed.txt.~1~")); got != "new version" {
				t.Errorf("second backup of changed.txt = %q", got)
			}
		})
	}
}

// A move into the backup folder that fails stops that replacement or
// deletion: the destination keeps the file.
func TestMirrorBackupDirFails(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{Hook: func(c ftptest.Command) *ftptest.Reply {
		if c.Verb == "RNTO" && strings.HasPrefix(c.Arg, "bak/") {
			return &ftptest.Reply{Code: 553, Text: "Not allowed."}
		}
		if c.Verb == "DELE" && strings.HasPrefix(c.Arg, "bak/") {
			return &ftptest.Reply{Code: 550, Text: "No such file."}
		}
		return nil
	}})
	local := t.TempDir()
	testsupport.WriteFile(t, filepath.Join(local, "changed.txt"), "new version")
	dst := filepath.Join(srv.Root(), "dst")
	testsupport.WriteFile(t, filepath.Join(dst, "changed.txt"), "old")
	testsupport.WriteFile(t, filepath.Join(dst, "gone.txt"), "gone")
	before := testsupport.Tree(t, dst)
	p := testPool(t, srv, PoolOptions{Size: 2})
	var ev events
	rep, err := p.Mirror(testCtx(t), "dst", local, MirrorOptions{Direction: Upload, Update: UpdateChanged, Delete: true, BackupDir: "bak", OnEvent: ev.add})
	if err != nil || rep.Failed != 2 || rep.Copied != 0 || rep.Deleted != 0 {
		t.Fatalf("Mirror = %+v, %v", rep, err)
	}
	// The new version was uploaded under its temporary name, and stays
	// there: the old file is moved to the backup folder only just before
	// the new one takes its name, so a refused move leaves it in place.
	got := testsupport.Tree(t, dst)
	for name, data := range got {
		if IsTempName(name) && data == "new version" {
			delete(got, name)
		}
	}
	if !maps.Equal(got, before) {
		t.Errorf("destination changed: %q", got)
	}
	if f := ev.failed(); !slices.Equal(f, []string{"changed.txt", "gone.txt"}) {
		t.Errorf("failed %q", f)
	}
	if n := countVerb(srv.Commands(), "STOR"); n != 1 {
		t.Errorf("%d STOR sent, want 1", n)
	}

	// Locally: a backup folder that cannot be made.
	srv2 := ftptest.New(t, ftptest.Config{})
	testsupport.WriteFile(t, filepath.Join(srv2.Root(), "src/changed.txt"), "new version")
	base := t.TempDir()
	testsupport.WriteFile(t, filepath.Join(base, "l/changed.txt"), "old")
	testsupport.WriteFile(t, filepath.Join(base, "bak"), "a file where the backup folder would go")
	p2 := testPool(t, srv2, PoolOptions{Size: 1})
	rep, err = p2.Mirror(testCtx(t), "src", filepath.Join(base, "l"), MirrorOptions{Update: UpdateChanged, BackupDir: filepath.Join(base, "bak")})
	if err != nil || rep.Failed != 1 || rep.Copied != 0 {
		t.Fatalf("local Mirror = %+v, %v", rep, err)
	}
	if got := testsupport.ReadFile(filepath.Join(base, "l/changed.txt")); got != "old" {
		t.Errorf("changed.txt = %q", got)
	}

	// A backup folder inside the destination is refused.
	_, err = p2.Mirror(testCtx(t), "src", filepath.Join(base, "l"), MirrorOptions{Update: UpdateChanged, BackupDir: filepath.Join(base, "l/bak")})
	if !errors.Is(err, ErrBackupInside) {
		t.Errorf("backup inside: %v", err)
	}
}

// A copy that fails leaves the destination's old file in place with
// --backup-dir, both ways: the old file is kept in the backup folder
// (downloads) or moved there (uploads) only once the new one is complete
// (outside probe of issue 16: it was moved away first, and a failed or
// killed copy left the destination without it).
func TestMirrorBackupDirCopyFails(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{Hook: func(c ftptest.Command) *ftptest.Reply {
		if c.Verb == "RETR" || c.Verb == "STOR" {
			return &ftptest.Reply{Code: 550, Text: "Permission denied."}
		}
		return nil
	}})
	// Download.
	testsupport.WriteFile(t, filepath.Join(srv.Root(), "src/f.txt"), "new version")
	local := t.TempDir()
	testsupport.WriteFile(t, filepath.Join(local, "f.txt"), "old")
	backup := filepath.Join(t.TempDir(), "attic")
	p := testPool(t, srv, PoolOptions{Size: 1, Retries: 0})
	rep, err := p.Mirror(testCtx(t), "src", local, MirrorOptions{Update: UpdateChanged, BackupDir: backup})
	if err != nil || rep.Failed != 1 || rep.Copied != 0 {
		t.Fatalf("download = %+v, %v", rep, err)
	}
	if got := testsupport.ReadFile(filepath.Join(local, "f.txt")); got != "old" {
		t.Errorf("local f.txt = %q after a failed download, want the old file", got)
	}
	// Upload.
	testsupport.WriteFile(t, filepath.Join(srv.Root(), "dst/g.txt"), "old")
	testsupport.WriteFile(t, filepath.Join(local, "up/g.txt"), "new version")
	rep, err = p.Mirror(testCtx(t), "dst", filepath.Join(local, "up"), MirrorOptions{Direction: Upload, Update: UpdateChanged, BackupDir: "attic"})
	if err != nil || rep.Failed != 1 || rep.Copied != 0 {
		t.Fatalf("upload = %+v, %v", rep, err)
	}
	if got := testsupport.ReadFile(filepath.Join(srv.Root(), "dst/g.txt")); got != "old" {
		t.Errorf("remote g.txt = %q after a failed upload, want the old file", got)
	}
}
