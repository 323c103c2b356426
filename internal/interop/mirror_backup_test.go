package interop

import (
	"context"
	"maps"
	"path/filepath"
	"testing"
	"time"

	"github.com/ferry-ftp/ferry/client"
	"github.com/ferry-ftp/ferry/internal/realserver"
	"github.com/ferry-ftp/ferry/internal/testsupport"
	"github.com/ferry-ftp/ferry/transfer"
)

// TestMirrorBackupKept runs mirror -R with a remote backup folder three
// times against vsftpd, which renames over an existing file without a
// word: every earlier backup is kept (NAME, NAME.~1~, NAME.~2~), and
// --suffix alone keeps its backups beside the files through --delete.
func TestMirrorBackupKept(t *testing.T) {
	skipShort(t)
	s := realserver.StartOrSkip(t, realserver.Vsftpd, realserver.Options{})
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	p := transfer.NewPool(site(s, client.Passive, s.Password, nil, nil), transfer.PoolOptions{Size: 2, Retries: 2})
	defer p.Close()
	src := t.TempDir()
	for _, tc := range []struct {
		remote, backup, suffix, dir string
		want                        map[string]string
	}{
		{remote: "bk/site", backup: "bk/attic", dir: "bk/attic", want: map[string]string{"f.txt": "v1", "f.txt.~1~": "v2, longer", "f.txt.~2~": "v3, longer still"}},
		{remote: "bk/site2", suffix: ".bak", dir: "bk/site2", want: map[string]string{"f.txt": "v4, the longest of all", "f.txt.bak": "v1", "f.txt.bak.~1~": "v2, longer", "f.txt.bak.~2~": "v3, longer still"}},
	} {
		for i, v := range []string{"v1", "v2, longer", "v3, longer still", "v4, the longest of all"} {
			testsupport.WriteFile(t, filepath.Join(src, "f.txt"), v)
			opt := transfer.MirrorOptions{Direction: transfer.Upload, Update: transfer.UpdateChanged, SizeOnly: true, Delete: true,
				BackupDir: tc.backup, Suffix: tc.suffix}
			if rep, err := p.Mirror(ctx, tc.remote, src, opt); err != nil || rep.Failed != 0 {
				t.Fatalf("backup %q suffix %q, run %d: %s, %v", tc.backup, tc.suffix, i+1, summary(rep), err)
			}
		}
		if got := testsupport.Tree(t, onDisk(s, tc.dir)); !maps.Equal(got, tc.want) {
			t.Errorf("%s holds %q\nwant %q", tc.dir, got, tc.want)
		}
	}
}
