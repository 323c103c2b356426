package cmd_test

import (
	"flag"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/ferry-ftp/ferry/internal/ftptest"
	"github.com/ferry-ftp/ferry/transfer"
)

// tempNameCmd sets a variable to the temporary name a download of a
// served file writes to, so that a script can name it exactly:
//
//	tempname [-server NAME] [-as LOCAL] VAR REMOTE
//
// REMOTE is the path ferry sends to the server NAME (FTP by default),
// relative to the login folder, the served root $NAME_ROOT; the file's
// size and time (to the second, as MDTM and MLSD tell them) are read from
// the served file, and its site is $NAME_ADDR. LOCAL is the base name of
// the download's target, REMOTE's by default.
func tempNameCmd(ts *testscript.TestScript, neg bool, args []string) {
	fs := flag.NewFlagSet("tempname", flag.ContinueOnError)
	server := fs.String("server", "FTP", "the server's name")
	as := fs.String("as", "", "the target's base name")
	if err := fs.Parse(args); err != nil || neg || fs.NArg() != 2 {
		ts.Fatalf("usage: tempname [-server NAME] [-as LOCAL] VAR REMOTE")
	}
	remote := fs.Arg(1)
	fi, err := os.Stat(filepath.Join(ts.Getenv(*server+"_ROOT"), filepath.FromSlash(remote)))
	ts.Check(err)
	src := transfer.Source{Site: ts.Getenv(*server + "_ADDR"), Path: remote, Size: fi.Size(), ModTime: fi.ModTime().Truncate(time.Second)}
	local := path.Base(remote)
	if *as != "" {
		local = *as
	}
	temp, ok := transfer.TempName(local, src, nil)
	if !ok {
		ts.Fatalf("tempname: %s has no resumable temporary name", remote)
	}
	ts.Setenv(fs.Arg(0), temp)
}

// downloadTemp returns the temporary name of a download of the file
// remote served by srv (as ferry names it: a path relative to the login
// folder, or the shell's absolute one) to a file of the base name local.
func downloadTemp(t *testing.T, srv *ftptest.Server, remote, local string) string {
	t.Helper()
	fi, err := os.Stat(filepath.Join(srv.Root(), filepath.FromSlash(strings.TrimPrefix(remote, "/"))))
	if err != nil {
		t.Fatal(err)
	}
	src := transfer.Source{Site: srv.Addr(), Path: remote, Size: fi.Size(), ModTime: fi.ModTime().Truncate(time.Second)}
	name, ok := transfer.TempName(local, src, nil)
	if !ok {
		t.Fatalf("no resumable temporary name for %s", remote)
	}
	return name
}

// putTempNameCmd sets an environment variable to the temporary name on the
// server of an upload of a local file, so that a script can match the
// exact commands with cmpenv:
//
//	puttempname VAR LOCAL NAME
//
// NAME is the remote base name; the variable holds the temporary base
// name beside it (see transfer.TempName).
func putTempNameCmd(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 {
		ts.Fatalf("usage: puttempname VAR LOCAL NAME")
	}
	name, err := uploadTempName(ts.MkAbs(args[1]), args[2])
	ts.Check(err)
	ts.Setenv(args[0], name)
}

// uploadTempName returns the temporary base name on the server of an
// upload of the local file local to the base name name.
func uploadTempName(local, name string) (string, error) {
	fi, err := os.Stat(local)
	if err != nil {
		return "", err
	}
	abs, err := filepath.Abs(local)
	if err != nil {
		return "", err
	}
	t, _ := transfer.TempName(name, transfer.Source{Site: "local", Path: abs, Size: fi.Size(), ModTime: fi.ModTime()}, nil)
	return t, nil
}
