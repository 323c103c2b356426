package ops

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/spf13/pflag"

	"github.com/ferry-ftp/ferry/client"
	"github.com/ferry-ftp/ferry/transfer"
)

// singleHelp says, in the help of get and put, what the tree flags do
// for single files (without -r).
const singleHelp = `Without -r, the rules of tree jobs apply to each file, named or matched by a
pattern, as rclone's copy applies them: --only-missing leaves a file the
destination has alone, and says so ("skipped NAME: exists (--only-missing)");
--only-existing copies only files the destination has; --size-only copies
only a file whose size differs; --checksum, for a file of the same size,
compares the server's digest (HASH, XSHA256, XMD5 or XCRC) with the local
file's and copies it only when they differ (a server with none: exit 5,
before anything is copied). --newer-than, --older-than, --min-size and
--max-size leave out the files outside them, each with a note; a file whose
time the server tells only to the minute or the day is asked MDTM, and one
still undecided is copied and named. Files left alone count as unchanged,
and the command exits 0 when nothing failed.`

// singleRefused says, in the help of get and put, which tree flags need
// -r.
const singleRefused = `--max-depth, --exclude-rx, --include-rx, --exclude-from, --include-from,
--no-empty-dirs, --perms, --max-errors, --log, -n, --exclude, --include and
--dry-run work on folders: without -r they are refused (exit 2).`

// folderOnlyFlags are the flags of get and put that need -r.
var folderOnlyFlags = []string{"only-newer", "exclude", "include", "dry-run", "max-depth", "exclude-rx", "include-rx",
	"exclude-from", "include-from", "no-empty-dirs", "perms", "max-errors", "log"}

// ruleFlags are the flags of get and put that FileRules apply to single
// files.
var ruleFlags = []string{"only-missing", "only-existing", "size-only", "checksum", "newer-than", "older-than", "min-size", "max-size"}

// checkSingle refuses, without -r, the flags that work on folders only;
// and, for output to stdout, the rules, which have no destination to
// compare with.
func checkSingle(fl *pflag.FlagSet, recursive, stdout bool) error {
	if recursive {
		return nil
	}
	for _, name := range folderOnlyFlags {
		if fl.Changed(name) {
			return usageErrorf("--%s works on folders: add -r", name)
		}
	}
	if stdout {
		for _, name := range ruleFlags {
			if fl.Changed(name) {
				return usageErrorf("--%s cannot go with -o -: there is no local file to compare with", name)
			}
		}
	}
	return nil
}

// fileRules returns the rules the tree flags give single files.
func (t *treeFlags) fileRules(f *Env, now time.Time) (transfer.FileRules, error) {
	flt, err := t.filter(f, now)
	if err != nil {
		return transfer.FileRules{}, err
	}
	return t.rulesWith(flt), nil
}

// rulesWith returns the rules the tree flags give single files, with the
// limits of flt.
func (t *treeFlags) rulesWith(flt transfer.Filter) transfer.FileRules {
	return transfer.FileRules{SizeOnly: t.SizeOnly, OnlyMissing: t.OnlyMissing, OnlyExisting: t.OnlyExisting,
		Checksum: t.Checksum, Limits: flt.FilterLimits}
}

// singleFile is one file of get or put that the rules decide on.
type singleFile struct {
	index         int // in the caller's list
	remote, local string
	// listed is the remote file's listing entry, when a pattern found it.
	listed *client.Entry
	// pool returns the pool of the remote file's server.
	pool func(ctx context.Context) (*transfer.Pool, error)
}

// decided is what decideFiles made of one file.
type decided struct {
	transfer.FileDecision
	err error // the file could not be decided on
}

// decideFiles decides by the rules, workers at a time, which files are
// copied (see transfer.Pool.DecideFile), before any is. A server without
// a digest command for --checksum fails the command here, before
// anything is copied, as in mirror.
func decideFiles(ctx context.Context, dir transfer.Direction, rules transfer.FileRules, workers int, files []singleFile) ([]decided, error) {
	out := make([]decided, len(files))
	var mu sync.Mutex
	var fatal error
	err := transfer.Each(ctx, len(files), workers, func(ctx context.Context, i int) {
		file := &files[i]
		p, err := file.pool(ctx)
		if err == nil {
			out[i].FileDecision, err = p.DecideFile(ctx, dir, file.remote, file.local, file.listed, rules)
		}
		out[i].err = err
		if errors.Is(err, transfer.ErrNoChecksum) {
			mu.Lock()
			fatal = err
			mu.Unlock()
		}
	})
	if fatal != nil {
		return nil, fatal
	}
	return out, err
}

// report tells rep what the rules made of the file shown (its source), as
// it happens: a file left alone is said (counted as unchanged, and in
// --json's "kept"), one that could not be compared is a skip (exit 8),
// and a copy the limits could not decide on is named. It reports whether
// the file is to be copied.
func (d *decided) report(f *Env, rep *reporter, shown string) bool {
	switch {
	case d.err != nil:
		return true // the caller reports the failure
	case d.Kind == transfer.Keep:
		rep.leave(shown, d.Reason)
		return false
	case d.Kind == transfer.Skip:
		rep.skip(shown, d.Reason)
		rep.mu.Lock()
		rep.skipped++
		rep.mu.Unlock()
		return false
	case d.Unsure != "":
		f.Warn("%s: %s: copied all the same", client.Sanitize(shown), d.Unsure)
	}
	return true
}
