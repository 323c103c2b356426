package ops

import (
	"io"
	"reflect"
	"testing"

	"github.com/spf13/pflag"
)

// parse parses args for the operation named name as both front ends do
// and returns the operation and the error.
func parse(t *testing.T, name string, args ...string) (Operation, error) {
	t.Helper()
	spec := Lookup(name)
	op := spec.New()
	fl := pflag.NewFlagSet(name, pflag.ContinueOnError)
	fl.SetOutput(io.Discard)
	op.AddFlags(fl)
	if err := fl.Parse(args); err != nil {
		return nil, &UsageError{Err: err}
	}
	if err := spec.CheckArgs(name, fl.Args()); err != nil {
		return nil, err
	}
	return op, op.Args(fl, fl.Args())
}

// TestGetFlags checks what get's flags and arguments become, and which
// combinations are usage errors.
func TestGetFlags(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want func(o *GetOptions) bool
		err  bool
	}{
		{args: []string{"ftp://h/a", "ftp://h/b", "-o", "dir/", "-c"}, want: func(o *GetOptions) bool {
			return reflect.DeepEqual(o.Addresses, []string{"ftp://h/a", "ftp://h/b"}) && o.Output == "dir/" && o.Continue &&
				o.Engine.Parallel == 4 && o.Segments == 1 && !o.Recursive
		}},
		{args: []string{"-r", "--parallel", "8", "--exclude", "*.tmp", "--exclude", "cache", "--only-newer", "--dry-run", "ftp://h/d"},
			want: func(o *GetOptions) bool {
				return o.Recursive && o.Engine.Parallel == 8 && reflect.DeepEqual(o.Tree.Exclude, []string{"*.tmp", "cache"}) &&
					o.Tree.OnlyNewer && o.Tree.DryRun
			}},
		{args: []string{"--segments", "4", "--limit-rate", "2M", "--verify", "ftp://h/big"},
			want: func(o *GetOptions) bool {
				return o.Segments == 4 && o.Engine.limit != nil && o.Engine.Verify
			}},
		{args: []string{"--exclude", "x", "ftp://h/d"}, err: true},
		{args: []string{"--segments", "0", "ftp://h/f"}, err: true},
		{args: []string{"--segments", "2", "-r", "ftp://h/d"}, err: true},
		{args: []string{"-r", "-o", "-", "ftp://h/d"}, err: true},
		{args: []string{"-c", "-o", "-", "ftp://h/f"}, err: true},
		{args: []string{"--parallel", "0", "ftp://h/f"}, err: true},
		{args: []string{"--limit-rate", "fast", "ftp://h/f"}, err: true},
		{args: []string{}, err: true},
	} {
		var got *GetOptions
		op, err := parse(t, "get", tc.args...)
		got, _ = op.(*GetOptions)
		checkParse(t, tc.args, err, tc.err, got != nil && tc.want != nil && tc.want(got))
	}
}

// TestPutAndMirrorFlags checks put's and mirror's flags and arguments.
func TestPutAndMirrorFlags(t *testing.T) {
	var put *PutOptions
	op, err := parse(t, "put", "a.txt", "b.txt", "ftp://h/up/", "-c", "--direct", "--parallel", "2")
	put, _ = op.(*PutOptions)
	checkParse(t, []string{"put"}, err, false, put != nil && reflect.DeepEqual(put.Locals, []string{"a.txt", "b.txt"}) &&
		put.Address == "ftp://h/up/" && put.Continue && put.Direct && put.Engine.Parallel == 2)
	_, err = parse(t, "put", "-", "ftp://h/")
	checkParse(t, []string{"put -"}, err, true, false)
	_, err = parse(t, "put", "--dry-run", "a", "ftp://h/")
	checkParse(t, []string{"put --dry-run"}, err, true, false)

	var m *MirrorOptions
	op, err = parse(t, "mirror", "-R", "--delete", "-c", "--include", "*.html", "site", "ftp://h/www")
	m, _ = op.(*MirrorOptions)
	checkParse(t, []string{"mirror"}, err, false, m != nil && m.Reverse && m.Tree.Delete && m.Tree.Continue &&
		reflect.DeepEqual(m.Tree.Include, []string{"*.html"}) && m.Source == "site" && m.Target == "ftp://h/www")
	_, err = parse(t, "mirror", "only-one")
	checkParse(t, []string{"mirror only-one"}, err, true, false)
}

// TestSmallCommandFlags checks the flags of ls, rm and mkdir.
func TestSmallCommandFlags(t *testing.T) {
	var ls *LsOptions
	op, err := parse(t, "ls", "-laR", "ftp://h/")
	ls, _ = op.(*LsOptions)
	checkParse(t, []string{"ls"}, err, false, ls != nil && ls.Long && ls.All && ls.Recursive && ls.Address == "ftp://h/")
	var rm *RmOptions
	op, err = parse(t, "rm", "-r", "ftp://h/a", "ftp://h/b")
	rm, _ = op.(*RmOptions)
	checkParse(t, []string{"rm"}, err, false, rm != nil && rm.Recursive && len(rm.Addresses) == 2)
	var mk *MkdirOptions
	op, err = parse(t, "mkdir", "-p", "ftp://h/a/b")
	mk, _ = op.(*MkdirOptions)
	checkParse(t, []string{"mkdir"}, err, false, mk != nil && mk.Parents && mk.Addresses[0] == "ftp://h/a/b")
}

// checkParse reports a parse whose outcome is not the one wanted: a usage
// error (exit code 2) when wantErr, else no error and ok.
func checkParse(t *testing.T, args []string, err error, wantErr, ok bool) {
	t.Helper()
	switch {
	case wantErr && (err == nil || ExitCode(err) != ExitUsage):
		t.Errorf("%q: error %v, want a usage error", args, err)
	case !wantErr && err != nil:
		t.Errorf("%q: %v", args, err)
	case !wantErr && !ok:
		t.Errorf("%q: options not as wanted", args)
	}
}
