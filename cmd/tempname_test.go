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
	local := ts.MkAbs(args[1])
	fi, err := os.Stat(local)
	ts.Check(err)
	abs, err := filepath.Abs(local)
	ts.Check(err)
	name, _ := transfer.TempName(args[2], transfer.Source{Site: "local", Path: abs, Size: fi.Size(), ModTime: fi.ModTime()}, nil)
	ts.Setenv(args[0], name)
}
