package ops

import (
	"context"
	"errors"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/ferry-ftp/ferry/client"
	"github.com/ferry-ftp/ferry/transfer"
)

// getTreeRun downloads folders, as get -r. A pattern stands for the
// folders and files it matches: each folder is downloaded as a named one
// is, into a folder of its name; the files are downloaded as get without
// -r does, into the output folder.
func getTreeRun(ctx context.Context, o *GetOptions) error {
	f := o.F
	mode, err := o.Patterns.mode()
	if err != nil {
		return err
	}
	filter, err := o.Tree.filter(f, time.Now())
	if err != nil {
		return err
	}
	// The files a pattern matches, and a file named, are downloaded as
	// get without -r does, by the same rules.
	o.rules = o.Tree.rulesWith(filter)
	out := o.Output
	into := out == "" || len(o.Addresses) > 1 || strings.HasSuffix(out, "/") ||
		strings.HasSuffix(out, string(filepath.Separator))
	if out == "" {
		out = "."
	}
	o.Tree.Continue = o.Continue
	ss := newSessions(f)
	defer ss.closeAll()
	var trees, files, others []item
	var failed []error
	for _, a := range o.Addresses {
		r, err := f.Resolve(a)
		if err != nil {
			return err
		}
		if !needsListing(r, mode) {
			trees = append(trees, item{remote: r, path: r.Path()})
			continue
		}
		// What a pattern matches goes into the output folder whatever
		// their number, so that the result does not depend on it.
		into = true
		s, err := ss.get(ctx, r)
		if err != nil {
			return err
		}
		var x expansion
		if err := expandOne(ctx, f, s, r, mode, true, &x); err != nil {
			return err
		}
		failed = append(failed, x.failed...)
		for _, it := range x.items {
			name := path.Base(it.path)
			switch {
			case it.isDir():
				if !it.matched || !filter.Prunes(name) {
					trees = append(trees, it)
				}
			case it.entry.Type == client.EntryFile:
				// The limits are the rules' (decideFiles), which say
				// what they leave out.
				if !it.matched || filter.KeepsName(name) {
					files = append(files, it)
				}
			default:
				others = append(others, it)
			}
		}
	}
	// The units are the batch of files and each tree; each reports what
	// it did, and in a command of several their errors are printed here.
	units := len(trees)
	if len(files)+len(others)+len(failed) > 0 {
		units++
	}
	var errs []error
	done := func(label string, err error) {
		if err != nil && units > 1 && !errors.As(err, new(Shown)) && !onlySkips(err) && ExitCode(err) != ExitInterrupted {
			f.Warn("%s: %v", label, err)
		}
		errs = append(errs, err)
	}
	if len(files)+len(others)+len(failed) > 0 {
		done("files", getMatchedFiles(ctx, o, ss, files, others, failed, out))
	}
	for _, it := range trees {
		local := out
		if base := remoteBase(it.path); into && base != "" {
			if err := transfer.CheckName(base); err != nil {
				return err
			}
			local = filepath.Join(out, base)
		}
		label := it.remote.Target.String()
		if it.matched {
			label = client.Sanitize(it.path)
		}
		err := runTree(ctx, f, &o.Engine, &o.Tree, transfer.Download, it.remote, it.path, local)
		if errors.As(err, new(*client.NoFolderError)) && !it.matched && isRemoteFile(ctx, ss, it) {
			// get -r of a file downloads it, as put -r uploads one.
			err = getOneFile(ctx, o, ss, it, local)
		}
		done(label, err)
		if ExitCode(errs[len(errs)-1]) == ExitInterrupted {
			break
		}
	}
	return combine(errs, units)
}

// getMatchedFiles downloads the files that patterns matched for get -r
// into the folder out, and reports the links and special files they
// matched as skipped, and the patterns that failed; with --dry-run it
// prints what it would download.
func getMatchedFiles(ctx context.Context, o *GetOptions, ss *sessions, files, others []item, failed []error, out string) error {
	rep := newManyReporter(o.F, &o.Engine, len(files))
	for _, it := range others {
		reason := "a symbolic link (get -r follows none; get without -r downloads what it points to)"
		if it.entry.Type != client.EntryLink {
			reason = "not a regular file or folder (" + it.entry.Type.String() + ")"
		}
		rep.skip(it.path, reason)
		rep.mu.Lock()
		rep.skipped++
		rep.mu.Unlock()
	}
	if o.Tree.DryRun {
		rep.dryRun = true
		ds, err := planMatchedFiles(ctx, o, ss, files, out)
		if err != nil {
			return err
		}
		for i, it := range files {
			a := transfer.Action{Kind: ds[i].Kind, Path: it.path, Reason: ds[i].Reason}
			if ds[i].Unsure != "" {
				a.Reason += "; " + ds[i].Unsure
			}
			rep.plan = append(rep.plan, jsonAction{Action: a.Verb(transfer.Download), Path: a.Path, Reason: a.Reason})
			if a.Kind != transfer.Keep {
				o.F.printer().planStep(a.String(transfer.Download))
			}
		}
		return rep.finish(failed)
	}
	var err error
	if len(files) > 0 {
		if err = os.MkdirAll(out, 0o755); err != nil {
			err = &transfer.LocalError{Op: "make folder", Path: out, Err: err}
		} else {
			err = downloadFiles(ctx, o, ss, files, out, rep)
		}
	}
	if ferr := rep.finish(failed); err == nil {
		err = ferr
	}
	return err
}

// planMatchedFiles decides, for a dry run, what get -r does with the
// files patterns matched: each is copied ("matches the pattern"), or as
// the rules say (see decideFiles) into the folder out.
func planMatchedFiles(ctx context.Context, o *GetOptions, ss *sessions, files []item, out string) ([]decided, error) {
	ds := make([]decided, len(files))
	for i := range ds {
		ds[i].Kind, ds[i].Reason = transfer.Copy, "matches the pattern"
	}
	if !o.rules.Active() || len(files) == 0 {
		return ds, nil
	}
	ps := newPools(o.F, &o.Engine, ss, 1)
	defer ps.closeAll()
	single := make([]singleFile, len(files))
	for i, it := range files {
		single[i] = singleFile{index: i, remote: it.path, local: filepath.Join(out, path.Base(it.path)), listed: it.listed(),
			pool: func(ctx context.Context) (*transfer.Pool, error) { return ps.get(ctx, it.remote) }}
	}
	got, err := decideFiles(ctx, transfer.Download, o.rules, o.Engine.Parallel, single)
	if err != nil {
		return nil, err
	}
	for i, d := range got {
		if d.err != nil {
			return nil, d.err
		}
		ds[i] = d
	}
	return ds, nil
}

// combine returns the outcome of units jobs that each reported their own
// failures and skips, given their errors: nil when all succeeded, the one
// error of a single job, an interrupt, the commonest failure when every
// job failed, or a PartialError that counts the jobs that failed and the
// paths the jobs skipped.
func combine(errs []error, units int) error {
	var failed []error
	skipped := 0
	for _, err := range errs {
		var pe *PartialError
		switch {
		case err == nil:
		case ExitCode(err) == ExitInterrupted:
			return err
		case onlySkips(err) && errors.As(err, &pe):
			skipped += pe.Skipped
		default:
			failed = append(failed, err)
		}
	}
	switch {
	case len(failed) == 0 && skipped == 0:
		return nil
	case units == 1:
		return errs[0]
	case len(failed) == units:
		return Shown{commonest(failed)}
	}
	return &PartialError{Failed: len(failed), Skipped: skipped, Total: units}
}

// onlySkips reports whether err is a PartialError of paths skipped, none
// failed.
func onlySkips(err error) bool {
	var pe *PartialError
	return errors.As(err, &pe) && pe.Failed == 0
}

// isRemoteFile reports whether the server gives the item's path a size: it is a
// file (SIZE of a folder is refused).
func isRemoteFile(ctx context.Context, ss *sessions, it item) bool {
	s, err := ss.get(ctx, it.remote)
	if err != nil {
		return false
	}
	c, err := s.Conn(ctx)
	if err != nil {
		return false
	}
	_, err = c.Size(ctx, it.path)
	return err == nil
}

// getOneFile downloads the file it to local as get does, for get -r of
// a file.
func getOneFile(ctx context.Context, o *GetOptions, ss *sessions, it item, local string) error {
	// get -r makes the folders it writes into, as for a tree.
	if dir := filepath.Dir(local); dir != "." {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return &transfer.LocalError{Op: "make folder", Path: dir, Err: err}
		}
	}
	one := *o
	one.Output = local
	rep := newManyReporter(o.F, &o.Engine, 1)
	err := downloadFiles(ctx, &one, ss, []item{it}, "", rep)
	if ferr := rep.finish(nil); err == nil {
		err = ferr
	}
	return err
}
