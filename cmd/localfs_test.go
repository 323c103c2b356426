//go:build linux

package cmd_test

import (
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestLocalFSScripts runs the scripts in testdata/localfs: what a copy
// does to the files it replaces (permissions, special files, direct
// writes, long names), each through the real binary against an
// in-process server. They have the commands of TestScripts and a few of
// their own.
func TestLocalFSScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/localfs",
		RequireExplicitExec: true,
		Setup: func(env *testscript.Env) error {
			home := filepath.Join(env.WorkDir, "home")
			env.Setenv("HOME", home)
			env.Setenv("XDG_CONFIG_HOME", filepath.Join(home, ".config"))
			env.Setenv("XDG_STATE_HOME", filepath.Join(home, ".local", "state"))
			env.Setenv("FERRY_PASSWORD", "")
			return os.MkdirAll(home, 0o700)
		},
		Condition: localFSCondition,
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"ftpserver": ftpServerCmd(t),
			"exitcode":  exitCodeCmd,
			"chmodfile": chmodFileCmd,
			"mkfile":    mkFileCmd,
			"ftpcmds":   ftpCmdsCmd,
			"lstree":    lsTreeCmd,
			"tempname":  tempNameCmd,
			"filemode":  fileModeCmd,
			"filetype":  fileTypeCmd,
			"mknull":    mkNullCmd,
			"hardlink":  hardLinkCmd,
			"immutable": immutableCmd,
			"longname":  longNameCmd,
		},
	})
}

// localFSCondition answers the scripts' conditions: [root] (devices can
// be made) and [immutable] (chattr +i works on the file system of the
// scripts' work folders, where it binds root too).
func localFSCondition(cond string) (bool, error) {
	switch cond {
	case "root":
		return os.Geteuid() == 0, nil
	case "immutable":
		chattr, err := exec.LookPath("chattr")
		if err != nil {
			return false, nil
		}
		dir, err := os.MkdirTemp("", "immutable")
		if err != nil {
			return false, err
		}
		defer os.RemoveAll(dir)
		if exec.Command(chattr, "+i", dir).Run() != nil {
			return false, nil
		}
		defer exec.Command(chattr, "-i", dir).Run()
		err = os.WriteFile(filepath.Join(dir, "probe"), nil, 0o644)
		return errors.Is(err, fs.ErrPermission), nil
	}
	return false, errors.New("unknown condition " + cond)
}

// fileModeCmd checks a file's permission bits exactly:
//
//	filemode FILE MODE
//
// MODE is octal; "umask" in its place stands for 0666 less the process's
// umask, the mode of a new file.
func fileModeCmd(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: filemode FILE MODE")
	}
	var want fs.FileMode
	if args[1] == "umask" {
		m := syscall.Umask(0)
		syscall.Umask(m)
		want = 0o666 &^ fs.FileMode(m)
	} else {
		m, err := strconv.ParseUint(args[1], 8, 32)
		ts.Check(err)
		want = fs.FileMode(m)
	}
	fi, err := os.Lstat(ts.MkAbs(args[0]))
	ts.Check(err)
	if got := fi.Mode().Perm(); got != want {
		ts.Fatalf("%s: mode %04o, want %04o", args[0], got, want)
	}
}

// fileTypeCmd checks what a path is, without following a link:
//
//	filetype PATH regular|symlink|chardev|fifo|dir
func fileTypeCmd(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: filetype PATH TYPE")
	}
	fi, err := os.Lstat(ts.MkAbs(args[0]))
	ts.Check(err)
	m := fi.Mode()
	got := "other"
	switch {
	case m.IsRegular():
		got = "regular"
	case m&fs.ModeSymlink != 0:
		got = "symlink"
	case m&fs.ModeCharDevice != 0:
		got = "chardev"
	case m&fs.ModeNamedPipe != 0:
		got = "fifo"
	case m.IsDir():
		got = "dir"
	}
	if got != args[1] {
		ts.Fatalf("%s is a %s file, want %s", args[0], got, args[1])
	}
}

// mkNullCmd makes a character device like /dev/null (1, 3) at PATH,
// which needs root ([root]):
//
//	mknull PATH
func mkNullCmd(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: mknull PATH")
	}
	ts.Check(syscall.Mknod(ts.MkAbs(args[0]), syscall.S_IFCHR|0o666, 1<<8|3))
}

// hardLinkCmd gives a file a second name: hardlink OLD NEW.
func hardLinkCmd(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: hardlink OLD NEW")
	}
	ts.Check(os.Link(ts.MkAbs(args[0]), ts.MkAbs(args[1])))
}

// immutableCmd makes a folder immutable with chattr +i ([immutable]), so
// that nothing may be created or renamed in it, not even by root, while
// its files may still be written; it is made mutable again at the end of
// the script:
//
//	immutable DIR
func immutableCmd(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: immutable DIR")
	}
	dir := ts.MkAbs(args[0])
	if out, err := exec.Command("chattr", "+i", dir).CombinedOutput(); err != nil {
		ts.Fatalf("immutable: %v: %s", err, strings.TrimSpace(string(out)))
	}
	ts.Defer(func() { exec.Command("chattr", "-i", dir).Run() })
	if err := os.WriteFile(filepath.Join(dir, ".probe"), nil, 0o644); !errors.Is(err, fs.ErrPermission) {
		ts.Fatalf("immutable: creating a file in %s: %v, want a permission error", dir, err)
	}
}

// longNameCmd sets a variable to a file name of N bytes, "n" repeated and
// then "-end.txt":
//
//	longname VAR N
func longNameCmd(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: longname VAR N")
	}
	n, err := strconv.Atoi(args[1])
	ts.Check(err)
	ts.Setenv(args[0], strings.Repeat("n", n-len("-end.txt"))+"-end.txt")
}
