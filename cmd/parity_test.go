package cmd_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/ferry-ftp/ferry/internal/ftptest"
)

// parityCase is one operation run through both front ends: ferry CMD
// with URLs, and a batch line of ferry shell with the same paths relative
// to the login folder.
type parityCase struct {
	name string
	// cli are the command line's arguments after the global flags;
	// "{url}" stands for ftp://user:pass@HOST:PORT, the login folder.
	cli []string
	// shell is the batch script's line.
	shell string
	// text runs without --json; its stdout, and raw stdout (cat, get -o
	// -, quote), is compared byte for byte, else as JSON.
	text, raw bool
	// code is the exit code both must end with.
	code int
	// setup, when set, changes the fresh trees before the run.
	setup func(t *testing.T, remote, local string)
	// sent are command lines both servers must have received.
	sent []string
	// hook, when set, is the server's Config.Hook.
	hook func(ftptest.Command) *ftptest.Reply
}

// parityCases are the operations of issue 13's parity table. Each runs
// with --retries 0, and with --json unless text.
var parityCases = []parityCase{
	{name: "get dot file", cli: []string{"get", "{url}/.hidden"}, shell: "get .hidden"},
	{name: "get dot pattern", cli: []string{"get", "{url}/.*"}, shell: "mget .*"},
	{name: "get pattern", cli: []string{"get", "{url}/*.txt"}, shell: "mget *.txt"},
	{name: "get partial failure", cli: []string{"get", "{url}/a.txt", "{url}/missing.txt", "{url}/b.txt"},
		shell: "mget a.txt missing.txt b.txt", code: 8},
	{name: "get missing", cli: []string{"get", "{url}/missing.txt"}, shell: "get missing.txt", code: 5},
	{name: "get folder without -r", cli: []string{"get", "{url}/dir"}, shell: "get dir", code: 5},
	{name: "get usage error", cli: []string{"get", "--segments", "0", "{url}/a.txt"},
		shell: "get --segments 0 a.txt", code: 2},
	{name: "get unknown flag", cli: []string{"get", "--no-such-flag", "{url}/a.txt"},
		shell: "get --no-such-flag a.txt", code: 2},
	{name: "get verify", cli: []string{"get", "--verify", "{url}/a.txt"}, shell: "get --verify a.txt"},
	{name: "get limit rate", cli: []string{"get", "--limit-rate", "1M", "{url}/big.bin"}, shell: "get --limit-rate 1M big.bin"},
	{name: "get segments", cli: []string{"get", "--segments", "3", "{url}/huge.bin"}, shell: "get --segments 3 huge.bin",
		sent: []string{"REST 1048576", "REST 2097152"}, // three ranges of 1 MiB
		setup: func(t *testing.T, remote, _ string) {
			writeTree(t, remote, []treeFile{{name: "huge.bin", data: strings.Repeat(bigParity, 12), mode: 0o644}})
		}},
	{name: "get to a name", cli: []string{"get", "{url}/a.txt", "-o", "copy.txt"}, shell: "get a.txt copy.txt"},
	{name: "get to stdout", cli: []string{"get", "{url}/a.txt", "-o", "-"}, shell: "get a.txt -", raw: true},
	{name: "get no match", cli: []string{"get", "{url}/*.nomatch"}, shell: "mget *.nomatch", code: 5},
	{name: "get ascii", cli: []string{"get", "-a", "{url}/lines.txt"}, shell: "get -a lines.txt", sent: []string{"TYPE A"}},
	{name: "get -r exclude", cli: []string{"get", "-r", "--exclude", "*.txt", "{url}/dir"}, shell: "get -r --exclude *.txt dir"},
	{name: "get -r", cli: []string{"get", "-r", "{url}/dir"}, shell: "get -r dir"},
	{name: "put", cli: []string{"put", "up.txt", "{url}/"}, shell: "put up.txt"},
	{name: "put to a name", cli: []string{"put", "up.txt", "{url}/dir/up2.txt"}, shell: "put up.txt dir/up2.txt"},
	{name: "put missing", cli: []string{"put", "nothere.txt", "{url}/"}, shell: "put nothere.txt", code: 6},
	{name: "put several", cli: []string{"put", "up.txt", "updir/f.txt", "{url}/"}, shell: "mput up.txt updir/f.txt"},
	{name: "put verify", cli: []string{"put", "--verify", "up.txt", "{url}/"}, shell: "put --verify up.txt"},
	{name: "put ascii", cli: []string{"put", "-a", "up.txt", "dos.txt", "{url}/"}, shell: "mput -a up.txt dos.txt", sent: []string{"TYPE A"}},
	{name: "put -r", cli: []string{"put", "-r", "updir", "{url}/"}, shell: "put -r updir"},
	{name: "mirror delete", cli: []string{"mirror", "--delete", "{url}/dir", "dl"}, shell: "mirror --delete dir dl"},
	{name: "mirror -R delete", cli: []string{"mirror", "-R", "--delete", "updir", "{url}/dir"}, shell: "mirror -R --delete updir dir",
		// One path to delete in each folder: see the next case.
		setup: func(t *testing.T, remote, _ string) { removeAll(t, filepath.Join(remote, "dir", ".d")) }},
	{name: "mirror -R delete several", cli: []string{"mirror", "-R", "--delete", "updir", "{url}/dir"}, shell: "mirror -R --delete updir dir"},
	{name: "mirror verify limit rate", cli: []string{"mirror", "--verify", "--limit-rate", "1M", "{url}/dir", "fresh"},
		shell: "mirror --verify --limit-rate 1M dir fresh"},
	{name: "mirror dry run", cli: []string{"mirror", "--dry-run", "--delete", "{url}/dir", "dl"}, shell: "mirror --dry-run --delete dir dl"},
	{name: "mirror filters", cli: []string{"mirror", "--exclude-rx", `^sub/$`, "--include", "**/*.txt", "--max-size", "1K", "--newer-than", "2023-12-01", "--max-depth", "3", "{url}/dir", "fresh"},
		shell: "mirror --exclude-rx ^sub/$ --include **/*.txt --max-size 1K --newer-than 2023-12-01 --max-depth 3 dir fresh"},
	{name: "mirror compare modes", cli: []string{"mirror", "--size-only", "--only-existing", "--no-empty-dirs", "{url}/dir", "dl"},
		shell: "mirror --size-only --only-existing --no-empty-dirs dir dl"},
	{name: "mirror only missing", cli: []string{"mirror", "--only-missing", "--max-errors", "1", "{url}/dir", "dl"},
		shell: "mirror --only-missing --max-errors 1 dir dl"},
	{name: "mirror delete excluded", cli: []string{"mirror", "--delete", "--delete-excluded", "--exclude", "c.txt", "{url}/dir", "dl"},
		shell: "mirror --delete --delete-excluded --exclude c.txt dir dl"},
	{name: "mirror max delete", cli: []string{"mirror", "-R", "--delete", "--max-delete", "1", "updir", "{url}/dir"},
		shell: "mirror -R --delete --max-delete 1 updir dir", code: 8},
	{name: "check differs", cli: []string{"check", "{url}/dir", "dl"}, shell: "check dir dl", code: 1},
	{name: "check -R", cli: []string{"check", "-R", "--size-only", "updir", "{url}/dir"}, shell: "check -R --size-only updir dir", code: 1},
	{name: "check match", cli: []string{"check", "--exclude", "*", "{url}/dir", "dl"}, shell: "check --exclude * dir dl"},
	{name: "mirror usage", cli: []string{"mirror", "--only-missing", "--only-existing", "{url}/dir", "dl"},
		shell: "mirror --only-missing --only-existing dir dl", code: 2},
	{name: "ls", cli: []string{"ls", "{url}/"}, shell: "ls", text: true},
	{name: "ls -l", cli: []string{"ls", "-l", "{url}/dir"}, shell: "ls -l dir"},
	{name: "ls -l text", cli: []string{"ls", "-l", "{url}/dir"}, shell: "ls -l dir", text: true},
	{name: "ls -a", cli: []string{"ls", "-a", "{url}/"}, shell: "ls -a"},
	{name: "ls -R", cli: []string{"ls", "-R", "{url}/dir"}, shell: "ls -R dir"},
	{name: "ls --json flag", cli: []string{"ls", "--json", "{url}/dir"}, shell: "ls --json dir"},
	{name: "rm", cli: []string{"rm", "{url}/a.txt", "{url}/.hidden"}, shell: "rm a.txt .hidden"},
	{name: "rm partial failure", cli: []string{"rm", "{url}/a.txt", "{url}/missing.txt"}, shell: "rm a.txt missing.txt", code: 8},
	{name: "rm pattern", cli: []string{"rm", "{url}/*.txt"}, shell: "mdelete *.txt"},
	{name: "rm -r", cli: []string{"rm", "-r", "{url}/dir"}, shell: "rm -r dir"},
	{name: "mkdir -p", cli: []string{"mkdir", "-p", "{url}/x/y/z"}, shell: "mkdir -p x/y/z"},
	{name: "mkdir existing", cli: []string{"mkdir", "{url}/dir"}, shell: "mkdir dir", code: 5},
	{name: "rmdir", cli: []string{"rmdir", "{url}/empty"}, shell: "rmdir empty"},
	{name: "mv", cli: []string{"mv", "{url}/a.txt", "dir/a2.txt"}, shell: "mv a.txt dir/a2.txt"},
	{name: "chmod", cli: []string{"chmod", "600", "{url}/a.txt", "{url}/dir/c.txt"}, shell: "chmod 600 a.txt dir/c.txt"},
	{name: "chmod bad mode", cli: []string{"chmod", "9x9", "{url}/a.txt"}, shell: "chmod 9x9 a.txt", code: 2},
	{name: "stat", cli: []string{"stat", "{url}/b.txt"}, shell: "stat b.txt"},
	{name: "stat folder", cli: []string{"stat", "{url}/dir"}, shell: "stat dir"},
	{name: "stat --json flag", cli: []string{"stat", "--json", "{url}/b.txt"}, shell: "stat --json b.txt"},
	{name: "stat link", cli: []string{"stat", "{url}/odd"}, shell: "stat odd", text: true,
		// A server that tells a link's target, which holds an escape
		// sequence.
		hook: func(c ftptest.Command) *ftptest.Reply {
			if c.Verb == "MLST" && c.Arg == "odd" {
				return &ftptest.Reply{Code: 250, Text: "Listing odd\n type=OS.unix=slink:red\x1b[31m.txt;perm=r; odd\nEnd."}
			}
			return nil
		}},
	{name: "cat", cli: []string{"cat", "{url}/a.txt", "{url}/dir/c.txt"}, shell: "cat a.txt dir/c.txt", raw: true},
	{name: "cat ascii", cli: []string{"cat", "-a", "{url}/lines.txt"}, shell: "cat -a lines.txt", raw: true, sent: []string{"TYPE A"}},
	{name: "cat missing", cli: []string{"cat", "{url}/missing.txt"}, shell: "cat missing.txt", raw: true, code: 5},
	{name: "ls missing", cli: []string{"ls", "{url}/missing"}, shell: "ls missing", code: 5},
	{name: "quote", cli: []string{"quote", "{url}/", "SYST"}, shell: "quote SYST"},
	{name: "quote text", cli: []string{"quote", "{url}/", "SYST"}, shell: "quote SYST", text: true},
}

// TestParity runs each operation of parityCases through ferry CMD and
// through ferry shell -b, each from the same fresh remote and local
// trees, and checks that both end with the same exit code, local tree,
// remote tree and JSON (or output, for data and text).
func TestParity(t *testing.T) {
	if raceEnabled {
		t.Skip("runs ferry a hundred times: make test runs it without the race detector, which would only slow each start")
	}
	bin := ferryBinary(t)
	for _, tc := range parityCases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cli := runParity(t, bin, tc, false)
			sh := runParity(t, bin, tc, true)
			diffs := compareParity(tc, cli, sh)
			if len(diffs) == 0 {
				return
			}
			msg := strings.Join(diffs, "\n") +
				fmt.Sprintf("\ncommand line: ferry %s\nstderr:\n%sserver received: %q", strings.Join(cli.args, " "), cli.stderr, cli.commands) +
				fmt.Sprintf("\nshell: %s\nstderr:\n%sserver received: %q", tc.shell, sh.stderr, sh.commands)
			t.Error(msg)
		})
	}
}

// compareParity returns how the two runs of tc differ.
func compareParity(tc parityCase, cli, sh parityRun) []string {
	var diffs []string
	if cli.code != tc.code || sh.code != tc.code {
		diffs = append(diffs, fmt.Sprintf("exit codes: command line %d, shell %d, want %d", cli.code, sh.code, tc.code))
	}
	if !reflect.DeepEqual(cli.local, sh.local) {
		diffs = append(diffs, fmt.Sprintf("local trees differ:\ncommand line:\n%sshell:\n%s", formatTree(cli.local), formatTree(sh.local)))
	}
	if !reflect.DeepEqual(cli.remote, sh.remote) {
		diffs = append(diffs, fmt.Sprintf("remote trees differ:\ncommand line:\n%sshell:\n%s", formatTree(cli.remote), formatTree(sh.remote)))
	}
	for _, want := range tc.sent {
		if !slices.Contains(cli.commands, want) || !slices.Contains(sh.commands, want) {
			diffs = append(diffs, fmt.Sprintf("%q sent: by the command line %v, by the shell %v",
				want, slices.Contains(cli.commands, want), slices.Contains(sh.commands, want)))
		}
	}
	if tc.text || tc.raw {
		if !bytes.Equal(cli.stdout, withoutFailures(sh.stdout)) {
			diffs = append(diffs, fmt.Sprintf("stdout differs:\ncommand line: %q\nshell:        %q", cli.stdout, sh.stdout))
		}
		return diffs
	}
	cj, cerr := decodeJSON(cli.stdout)
	sj, serr := decodeJSON(sh.stdout)
	if serr == nil {
		// The shell's --json adds an object for the failed command,
		// with its exit code: it must be the command line's.
		var failed []any
		sj, failed = splitFailures(sj)
		switch {
		case sh.code == 0 && len(failed) > 0:
			diffs = append(diffs, fmt.Sprintf("the shell reported a failure of a command that succeeded: %v", failed))
		case sh.code != 0 && len(failed) != 1:
			diffs = append(diffs, fmt.Sprintf("the shell's JSON has %d failed-command objects, want 1", len(failed)))
		case sh.code != 0 && fmt.Sprint(failed[0].(map[string]any)["exit_code"]) != fmt.Sprint(cli.code):
			diffs = append(diffs, fmt.Sprintf("the shell's JSON gives exit code %v, the command line exits %d", failed[0].(map[string]any)["exit_code"], cli.code))
		}
	}
	switch {
	case cerr != nil || serr != nil:
		diffs = append(diffs, fmt.Sprintf("stdout is not JSON: command line: %v, shell: %v\ncommand line: %q\nshell:        %q",
			cerr, serr, cli.stdout, sh.stdout))
	case !reflect.DeepEqual(cj, sj):
		diffs = append(diffs, fmt.Sprintf("JSON differs:\ncommand line:\n%sshell:\n%s", formatJSON(cj), formatJSON(sj)))
	}
	return diffs
}

// parityRun is what one front end did.
type parityRun struct {
	args           []string
	code           int
	stdout, stderr []byte
	// commands are what the server received, for the failure message.
	commands      []string
	local, remote map[string]treeEntry
}

// runParity runs tc through the shell, or else the command line, against
// a server and a local folder of its own, both freshly made.
func runParity(t *testing.T, bin string, tc parityCase, shell bool) parityRun {
	t.Helper()
	base := t.TempDir()
	remote, local, home := filepath.Join(base, "remote"), filepath.Join(base, "local"), filepath.Join(base, "home")
	writeTree(t, remote, parityRemote)
	writeTree(t, local, parityLocal)
	if err := os.Mkdir(home, 0o700); err != nil {
		t.Fatal(err)
	}
	if tc.setup != nil {
		tc.setup(t, remote, local)
	}
	srv := ftptest.New(t, ftptest.Config{Root: remote, Hook: tc.hook})
	url := "ftp://user:pass@" + srv.Addr()

	args := []string{"--retries", "0"}
	if !tc.text {
		args = append(args, "--json")
	}
	if shell {
		script := filepath.Join(base, "script.ftp")
		if err := os.WriteFile(script, []byte(tc.shell+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		args = append(args, "shell", url+"/", "-b", script)
	} else {
		for _, a := range tc.cli {
			args = append(args, strings.ReplaceAll(a, "{url}", url))
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir = local
	cmd.Env = append(os.Environ(), "HOME="+home, "XDG_CONFIG_HOME="+filepath.Join(home, "config"),
		"XDG_STATE_HOME="+filepath.Join(home, "state"), "FERRY_PASSWORD=")
	cmd.Stdin = strings.NewReader("")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		code = ee.ExitCode()
	case err != nil:
		t.Fatalf("ferry %s: %v", strings.Join(args, " "), err)
	}
	if ctx.Err() != nil {
		t.Fatalf("ferry %s: did not end within 20 s; stderr:\n%s", strings.Join(args, " "), stderr.String())
	}
	srv.Close()
	return parityRun{args: args, code: code, stdout: stdout.Bytes(), stderr: stderr.Bytes(),
		commands: srv.Commands(), local: readTree(t, local), remote: readTree(t, remote)}
}

// parityTime is the modification time of every file and folder of the
// fresh trees.
var parityTime = time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)

// treeFile is a file or, with a name ending in "/", a folder of a fresh
// tree.
type treeFile struct {
	name string
	data string
	mode os.FileMode
}

// bigParity is a file that --limit-rate 1M takes a quarter of a second
// to move.
var bigParity = string(bytes.Repeat([]byte("0123456789abcdef"), 16<<10))

// parityRemote is the fresh remote tree: dot files in the login folder
// and below it, a folder tree, an empty folder.
var parityRemote = []treeFile{
	{name: "a.txt", data: "alpha\n", mode: 0o644},
	{name: "b.txt", data: "bravo\n", mode: 0o640},
	{name: ".hidden", data: "secret\n", mode: 0o644},
	{name: ".profile", data: "profile\n", mode: 0o600},
	{name: "big.bin", data: bigParity, mode: 0o644},
	{name: "lines.txt", data: "one\ntwo\n", mode: 0o644},
	{name: "dir/", mode: 0o755},
	{name: "dir/c.txt", data: "charlie\n", mode: 0o644},
	{name: "dir/.d", data: "delta\n", mode: 0o644},
	{name: "dir/sub/", mode: 0o755},
	{name: "dir/sub/e.txt", data: "echo\n", mode: 0o644},
	{name: "empty/", mode: 0o755},
}

// parityLocal is the fresh local tree: files to upload, and a mirror
// target with a file as the server has it, one that differs and one the
// server lacks.
var parityLocal = []treeFile{
	{name: "up.txt", data: "upload\n", mode: 0o640},
	{name: "dos.txt", data: "one\r\ntwo\r\n", mode: 0o644},
	{name: "updir/", mode: 0o755},
	{name: "updir/f.txt", data: "foxtrot\n", mode: 0o644},
	{name: "updir/.g", data: "golf\n", mode: 0o644},
	{name: "updir/sub/", mode: 0o755},
	{name: "updir/sub/h.txt", data: "hotel\n", mode: 0o644},
	{name: "dl/", mode: 0o755},
	{name: "dl/c.txt", data: "charlie\n", mode: 0o644},
	{name: "dl/old.txt", data: "old\n", mode: 0o644},
	{name: "dl/sub/", mode: 0o755},
	{name: "dl/sub/e.txt", data: "echo, changed\n", mode: 0o644},
}

// writeTree makes the files of tree under root, every one dated
// parityTime.
func writeTree(t *testing.T, root string, tree []treeFile) {
	t.Helper()
	if err := os.MkdirAll(root, 0o755); err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, f := range tree {
		p := filepath.Join(root, filepath.FromSlash(strings.TrimSuffix(f.name, "/")))
		var err error
		if strings.HasSuffix(f.name, "/") {
			err = os.MkdirAll(p, f.mode)
		} else {
			err = os.WriteFile(p, []byte(f.data), f.mode)
		}
		if err == nil {
			err = os.Chmod(p, f.mode) // whatever the umask
		}
		if err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	// Deepest first: dating a file changes no folder's time.
	for i := len(paths) - 1; i >= 0; i-- {
		if err := os.Chtimes(paths[i], parityTime, parityTime); err != nil {
			t.Fatal(err)
		}
	}
}

// treeEntry is what the parity test compares of a file or folder.
type treeEntry struct {
	Mode os.FileMode
	Data string // a file's contents, or "-> " and a link's target
	// Dated says a file's modification time is parityTime: it was left
	// alone or given its source's time.
	Dated bool
}

// partTag matches the TAG of ferry's temporary file names, which names
// the site (and so the server's port) or the local path.
var partTag = regexp.MustCompile(`\.ferry-[^./]+\.part$`)

// readTree returns the files and folders under root by slash path, with
// the TAG of temporary file names replaced by "TAG".
func readTree(t *testing.T, root string) map[string]treeEntry {
	t.Helper()
	tree := map[string]treeEntry{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == root {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		e := treeEntry{Mode: fi.Mode()}
		switch {
		case fi.Mode()&fs.ModeSymlink != 0:
			target, err := os.Readlink(p)
			if err != nil {
				return err
			}
			e.Data = "-> " + target
		case fi.Mode().IsRegular():
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			e.Data = string(b)
			e.Dated = fi.ModTime().Equal(parityTime)
		}
		tree[partTag.ReplaceAllString(filepath.ToSlash(rel), ".ferry-TAG.part")] = e
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return tree
}

// formatTree prints a tree one path a line, sorted.
func formatTree(tree map[string]treeEntry) string {
	names := make([]string, 0, len(tree))
	for n := range tree {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	for _, n := range names {
		e := tree[n]
		data := e.Data
		if len(data) > 40 {
			data = fmt.Sprintf("%.40q... (%d bytes)", data, len(data))
		} else {
			data = fmt.Sprintf("%q", data)
		}
		fmt.Fprintf(&b, "  %-24s %v dated=%v %s\n", n, e.Mode, e.Dated, data)
	}
	return b.String()
}

// droppedJSON are the fields that legitimately differ between two runs:
// how long they took.
var droppedJSON = map[string]bool{"seconds": true, "rate": true, "bytes_per_second": true}

// decodeJSON decodes a stream of JSON values (the command line's
// indented JSON, the shell's JSON Lines) and drops droppedJSON fields.
func decodeJSON(b []byte) ([]any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var out []any
	for {
		var v any
		err := dec.Decode(&v)
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		out = append(out, dropFields(v))
	}
}

// dropFields removes the droppedJSON fields from v, at any depth.
func dropFields(v any) any {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			if droppedJSON[k] {
				delete(v, k)
				continue
			}
			v[k] = dropFields(x)
		}
	case []any:
		for i, x := range v {
			v[i] = dropFields(x)
		}
	}
	return v
}

// withoutFailures returns the shell's stdout without its --json lines
// for failed commands.
func withoutFailures(b []byte) []byte {
	var out []byte
	for _, line := range bytes.SplitAfter(b, []byte("\n")) {
		if bytes.HasPrefix(line, []byte(`{"command":`)) && bytes.Contains(line, []byte(`"exit_code":`)) {
			continue
		}
		out = append(out, line...)
	}
	return out
}

// splitFailures takes the shell's failed-command objects ({"command",
// "error", "exit_code"}) out of vs.
func splitFailures(vs []any) (rest, failed []any) {
	for _, v := range vs {
		if m, ok := v.(map[string]any); ok && len(m) == 3 && m["command"] != nil && m["exit_code"] != nil && m["error"] != nil {
			failed = append(failed, v)
			continue
		}
		rest = append(rest, v)
	}
	return rest, failed
}

// formatJSON prints decoded values one a line.
func formatJSON(vs []any) string {
	var b strings.Builder
	for _, v := range vs {
		j, _ := json.Marshal(v)
		fmt.Fprintf(&b, "  %s\n", j)
	}
	if len(vs) == 0 {
		b.WriteString("  (nothing)\n")
	}
	return b.String()
}

// removeAll removes p and everything in it.
func removeAll(t *testing.T, p string) {
	t.Helper()
	if err := os.RemoveAll(p); err != nil {
		t.Fatal(err)
	}
}
