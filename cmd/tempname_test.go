package cmd_test

import (
	"os"
	"path/filepath"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/ferry-ftp/ferry/transfer"
)

// tempNameCmd sets an environment variable to the temporary name on the
// server of an upload of a local file, so that a script can match the
// exact commands with cmpenv:
//
//	tempname VAR LOCAL NAME
//
// NAME is the remote base name; the variable holds the temporary base
// name beside it (see transfer.TempName).
func tempNameCmd(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 {
		ts.Fatalf("usage: tempname VAR LOCAL NAME")
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
