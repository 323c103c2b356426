package interop

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"

	"github.com/ferry-ftp/ferry/internal/realserver"
)

// refusal accepts the permanent negative replies servers give for a
// permission problem (550, 553...).
func refusal(code int) bool { return code >= 500 && code < 600 }

// refusalBy accepts what kind answers for a permission problem: refusal,
// or 451 from a server with traits.fsError451.
func refusalBy(kind realserver.Kind) func(code int) bool {
	return func(code int) bool {
		return refusal(code) || code == 451 && serverTraits[kind].fsError451
	}
}

// permissionDenied checks the refusals for a folder the server may not
// write: a folder owned by the server's user with mode 0555 and a 0444
// file in it. A server that writes as root ignores modes (pyftpdlib as
// realserver runs it); for it the folder is a symbolic link out of the
// user's root, which the server must refuse to follow, or, for a server
// that follows such links (traits.followsLinks), an immutable folder.
func (x *cell) permissionDenied() error {
	probe, err := os.Stat(onDisk(x.s, x.remote("put-"+x.small[1].name)))
	if err != nil {
		return err
	}
	if st, ok := probe.Sys().(*syscall.Stat_t); ok && st.Uid == 0 {
		if serverTraits[x.s.Kind].followsLinks {
			return x.immutable()
		}
		return x.outsideRoot()
	}
	remote := x.remote("locked")
	disk := onDisk(x.s, remote)
	keep := filepath.Join(disk, "keep.txt")
	defer func() {
		os.Chmod(disk, 0o755)
		os.RemoveAll(disk)
	}()
	if err := errors.Join(
		os.Mkdir(disk, 0o755),
		os.WriteFile(keep, []byte("locked\n"), 0o644),
		x.s.Chown(disk),
		os.Chmod(keep, 0o444),
		os.Chmod(disk, 0o555),
	); err != nil {
		return fmt.Errorf("preparing the read-only folder: %w", err)
	}
	return x.refusedIn(remote, disk)
}

// outsideRoot makes the cell's folder hold a symbolic link to a folder
// outside the user's root, and checks that the server refuses to write
// through it.
func (x *cell) outsideRoot() error {
	x.t.Logf("%s writes as root, which ignores file modes: checking a link out of the user's root instead", x.s.Kind)
	outside := x.t.TempDir()
	if err := os.WriteFile(filepath.Join(outside, "keep.txt"), []byte("outside\n"), 0o644); err != nil {
		return err
	}
	remote := x.remote("outside")
	link := onDisk(x.s, remote)
	if err := os.Symlink(outside, link); err != nil {
		return err
	}
	defer os.Remove(link)
	return x.refusedIn(remote, outside)
}

// immutable makes a folder with a file in it immutable (chattr +i), which
// even root may not write, and checks the refusals in it: for servers
// that write as root and follow symbolic links out of the user's root.
func (x *cell) immutable() error {
	x.t.Logf("%s writes as root and follows links out of the user's root: checking an immutable folder", x.s.Kind)
	remote := x.remote("immutable")
	disk := onDisk(x.s, remote)
	if err := errors.Join(
		os.Mkdir(disk, 0o755),
		os.WriteFile(filepath.Join(disk, "keep.txt"), []byte("immutable\n"), 0o644),
	); err != nil {
		return fmt.Errorf("preparing the immutable folder: %w", err)
	}
	defer os.RemoveAll(disk)
	if out, err := exec.CommandContext(x.ctx(), "chattr", "+i", disk).CombinedOutput(); err != nil {
		return fmt.Errorf("chattr +i %s (needs root and a file system with the immutable flag): %w\n%s", disk, err, out)
	}
	defer exec.Command("chattr", "-i", disk).Run()
	return x.refusedIn(remote, disk)
}

// refusedIn checks that the server refuses STOR, DELE and MKD in the
// remote folder, whose contents are in the local folder disk, and that
// the connection stays usable.
func (x *cell) refusedIn(remote, disk string) error {
	ctx := x.ctx()
	w, err := x.c.Stor(ctx, remote+"/new.txt", 0)
	if err == nil {
		err = writeAllClose(w, []byte("must not arrive\n"))
	}
	if err := wantReplyError("STOR into a folder the server may not write", err, refusalBy(x.s.Kind)); err != nil {
		return err
	}
	if err := absent(filepath.Join(disk, "new.txt")); err != nil {
		return err
	}
	err = x.c.Dele(ctx, remote+"/keep.txt")
	if err := wantReplyError("DELE in a folder the server may not write", err, refusalBy(x.s.Kind)); err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join(disk, "keep.txt")); err != nil {
		return fmt.Errorf("the refused DELE removed the file: %w", err)
	}
	_, err = x.c.Mkd(ctx, remote+"/sub")
	if err := wantReplyError("MKD in a folder the server may not write", err, refusalBy(x.s.Kind)); err != nil {
		return err
	}
	return alive(ctx, x.c, x.s.Kind)
}
