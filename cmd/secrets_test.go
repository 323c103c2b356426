package cmd_test

import (
	"bytes"
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ferry-ftp/ferry/internal/ftptest"
)

// secret is a password no other text of these tests holds; wrongSecret is
// one the server refuses.
const (
	secret      = "Zq7-s3kr1t.P4ss"
	wrongSecret = "Wr0ng-Zq7.guess"
)

// TestCommandsNeverShowPassword runs commands that get a password from the
// URL, from $FERRY_PASSWORD, from a netrc file and through quote, with the
// protocol trace (-v) and with --json, succeeding and failing, and checks
// that neither the password nor a refused one appears on stdout or
// stderr, nor in the configuration a bookmark is saved to.
func TestCommandsNeverShowPassword(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary")
	}
	srv := ftptest.New(t, ftptest.Config{Users: map[string]string{"user": secret}})
	os.WriteFile(filepath.Join(srv.Root(), "f.txt"), []byte("f"), 0o644)
	work := t.TempDir()
	home := filepath.Join(work, "home")
	os.MkdirAll(home, 0o700)
	os.WriteFile(filepath.Join(work, "up.txt"), []byte("up"), 0o644)
	netrc := filepath.Join(work, "netrc")
	os.WriteFile(netrc, []byte("machine 127.0.0.1 login user password "+secret+"\n"), 0o600)
	os.WriteFile(filepath.Join(work, "open.ftp"), []byte("open --insecure ftp://user:"+secret+"@127.0.0.1:1/\n"), 0o644)
	script := filepath.Join(work, "script.ftp")
	os.WriteFile(script, []byte("user user "+secret+"\nquote PASS "+secret+"\nls\n-get missing\nuser user "+wrongSecret+"\n"), 0o644)
	addr := srv.Addr()
	url := "ftp://user:" + secret + "@" + addr + "/"
	bin := ferryBinary(t)

	tests := []struct {
		env  []string
		args []string
		code int
	}{
		{nil, []string{"-v", "ls", "-l", url}, 0},
		{nil, []string{"--json", "ls", "-l", url}, 0},
		{nil, []string{"-v", "--json", "stat", url + "f.txt"}, 0},
		{nil, []string{"-v", "get", url + "f.txt", "-o", "got.txt"}, 0},
		{nil, []string{"--json", "get", url + "f.txt", "-o", "got2.txt"}, 0},
		{nil, []string{"-v", "--json", "put", "up.txt", url}, 0},
		{nil, []string{"-v", "--json", "mirror", url, "tree"}, 0},
		{nil, []string{"-v", "cat", url + "missing"}, 5},
		{nil, []string{"--json", "get", url + "missing"}, 5},
		{nil, []string{"-v", "ls", "ftp://user:" + wrongSecret + "@" + addr + "/"}, 4},
		{nil, []string{"--json", "ls", "ftp://user:" + wrongSecret + "@" + addr + "/"}, 4},
		{nil, []string{"-v", "ls", "ftp://user:" + secret + "@127.0.0.1:1/"}, 3},
		{nil, []string{"ls", "ftp://user:" + secret + "%zz@" + addr + "/"}, 2},
		{nil, []string{"ls", "ftp://user:" + secret + "@" + addr + "/a%0D%0Ab"}, 2},
		{[]string{"FERRY_PASSWORD=" + secret}, []string{"-v", "--user", "user", "ls", "ftp://" + addr + "/"}, 0},
		{[]string{"FERRY_PASSWORD=" + wrongSecret}, []string{"-v", "--user", "user", "ls", "ftp://" + addr + "/"}, 4},
		{nil, []string{"-v", "--netrc-file", netrc, "ls", "ftp://" + addr + "/"}, 0},
		{nil, []string{"-v", "quote", url, "PASS", secret}, -1},
		{nil, []string{"-v", "shell", url, "-b", "script.ftp"}, 4},
		// --json shell: the failure objects of the first open and of
		// open in the script (with a flag first) name the command.
		{nil, []string{"--json", "shell", "ftp://user:" + wrongSecret + "@" + addr + "/", "-b", "script.ftp"}, 4},
		{nil, []string{"--json", "shell", "ftp://user:" + secret + "@127.0.0.1:1/", "-b", "script.ftp"}, 3},
		{nil, []string{"--json", "shell", "-b", "open.ftp"}, 3},
		{nil, []string{"bookmark", "add", "work", url}, -1},
		{nil, []string{"bookmark", "list"}, 0},
		{nil, []string{"-v", "ls", "work:"}, -1},
	}
	for _, tt := range tests {
		cmd := exec.Command(bin, tt.args...)
		cmd.Dir = work
		cmd.Env = append(os.Environ(), "HOME="+home, "XDG_CONFIG_HOME="+filepath.Join(home, ".config"),
			"XDG_STATE_HOME="+filepath.Join(home, ".state"), "FERRY_PASSWORD=")
		cmd.Env = append(cmd.Env, tt.env...)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		code := 0
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		name := strings.Join(tt.args, " ")
		if tt.code >= 0 && code != tt.code {
			t.Errorf("ferry %s: exit code %d, want %d; stderr:\n%s", name, code, tt.code, stderr.String())
		}
		for _, s := range []string{secret, wrongSecret} {
			if strings.Contains(stdout.String(), s) || strings.Contains(stderr.String(), s) {
				t.Errorf("ferry %s shows a password:\nstdout:\n%s\nstderr:\n%s", name, stdout.String(), stderr.String())
			}
		}
	}
	err := filepath.WalkDir(home, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if b, _ := os.ReadFile(p); bytes.Contains(b, []byte(secret)) {
			t.Errorf("%s holds the password:\n%s", p, b)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestNoPanicPrintsPassword keeps true the argument that a panic trace
// cannot show a password. Go's trace of an unrecovered panic prints the
// panic value and, for each frame, the arguments as raw machine words (a
// string as its pointer and length, never its bytes). So a password could
// only reach a trace through a panic value built from it, or through code
// that prints stacks or recovered values itself. ferry has neither: this
// test fails if ferry's own code (outside the test servers) gains a call
// of panic or recover, or of runtime/debug's Stack or PrintStack, or of
// runtime.Stack, so that whoever adds one must think about secrets. No
// path of ferry panics on purpose, so the trace itself cannot be forced
// without a test hook, which production code does not carry.
func TestNoPanicPrintsPassword(t *testing.T) {
	root := ".."
	skip := map[string]bool{"internal/ftptest": true, "internal/bench": true, "internal/realserver": true,
		"internal/interop": true, "internal/demo": true, "testdata": true}
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		if d.IsDir() {
			if skip[filepath.ToSlash(rel)] || strings.HasPrefix(d.Name(), ".") && rel != "." {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, p, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			name := ""
			switch fn := call.Fun.(type) {
			case *ast.Ident:
				if fn.Name == "panic" || fn.Name == "recover" {
					name = fn.Name
				}
			case *ast.SelectorExpr:
				if x, ok := fn.X.(*ast.Ident); ok {
					switch x.Name + "." + fn.Sel.Name {
					case "debug.Stack", "debug.PrintStack", "runtime.Stack":
						name = x.Name + "." + fn.Sel.Name
					}
				}
			}
			if name != "" {
				t.Errorf("%s: a call of %s: make sure no password can reach a trace, then update this test", fset.Position(call.Pos()), name)
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
