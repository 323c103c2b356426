package shell

import (
	"context"
	"fmt"
	"io"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/pflag"

	"github.com/ferry-ftp/ferry/client"
	"github.com/ferry-ftp/ferry/transfer"
)

// newPool returns a connection pool of up to size connections to the
// session's site, with the shell's trace and data mode. Its connections
// work in the login folder, so callers pass absolute paths.
func (s *Shell) newPool(size int) *transfer.Pool {
	site := s.sess.Site()
	site.Options = append(slices.Clone(site.Options), s.options()...)
	return transfer.NewPool(site, transfer.PoolOptions{Size: size, Retries: s.cfg.Retries,
		Notify: func(msg string) { s.status("%s", msg) }})
}

// listBudget returns the budget the listings of the running command draw
// on, over all the shell's connections (see client.Budget); runLine
// resets it for each command.
func (s *Shell) listBudget() *client.Budget {
	if s.budget == nil {
		s.budget = client.NewBudget(s.cfg.Limits)
	}
	return s.budget
}

// parallel is the number of files mget, mput and mirror move at once.
func (s *Shell) parallel() int {
	if s.cfg.Parallel > 0 {
		return s.cfg.Parallel
	}
	return transfer.DefaultParallel
}

// setTotals tells the progress display, when it shows totals, what a
// command of many files will move.
func setTotals(p transfer.Progress, files int, bytes int64) {
	if t, ok := p.(transfer.Totals); ok {
		t.SetTotals(files, bytes)
	}
}

// pair is one file of an mget or mput: where it comes from and goes to.
type pair struct{ from, to string }

// transferMany moves the files of an mget (upload false) or mput over a
// pool of connections, up to parallel() at once. The files are named as
// the shell's session sees them; the pool gets absolute remote paths.
func (s *Shell) transferMany(ctx context.Context, files []pair, upload bool, rep *report) {
	p := s.newPool(min(s.parallel(), len(files)))
	defer p.Close()
	prog := s.newProgress()
	setTotals(prog, len(files), -1)
	avoid := avoidTargets(files)
	transfer.Each(ctx, len(files), s.parallel(), func(ctx context.Context, i int) {
		f := files[i]
		var res transfer.Result
		var err error
		if upload {
			res, err = p.PutFile(ctx, f.from, s.absRemote(f.to), transfer.PutOptions{Progress: prog, Name: path.Base(f.to), Notify: s.notifyWarn})
			rep.done(f.to, res, err)
		} else {
			res, err = p.GetFile(ctx, s.absRemote(f.from), f.to, transfer.GetOptions{Progress: prog, Name: path.Base(f.from), Avoid: avoid})
			rep.done(f.from, res, err)
		}
	})
}

// mirrorFlags are the options of the shell's mirror command.
type mirrorFlags struct {
	reverse, del, newer, dry, resume bool
	allowEmpty                       bool
	parallel                         int
	exclude, include                 []string
}

// parseMirror parses mirror's arguments.
func (s *Shell) parseMirror(args []string) (mirrorFlags, []string, error) {
	var m mirrorFlags
	fs := pflag.NewFlagSet("mirror", pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.BoolVarP(&m.reverse, "reverse", "R", false, "")
	fs.BoolVar(&m.del, "delete", false, "")
	fs.BoolVarP(&m.newer, "only-newer", "n", false, "")
	fs.BoolVar(&m.dry, "dry-run", false, "")
	fs.BoolVarP(&m.resume, "continue", "c", false, "")
	fs.BoolVar(&m.allowEmpty, "allow-empty-source", false, "")
	fs.IntVarP(&m.parallel, "parallel", "P", s.parallel(), "")
	fs.StringArrayVarP(&m.exclude, "exclude", "x", nil, "")
	fs.StringArrayVarP(&m.include, "include", "i", nil, "")
	if err := fs.Parse(args); err != nil {
		return m, nil, usageErrorf("mirror: %v", err)
	}
	rest := fs.Args()
	switch {
	case len(rest) > 2:
		return m, nil, usageErrorf("usage: %s", lookup("mirror").usage)
	case m.parallel < 1:
		return m, nil, usageErrorf("mirror: --parallel must be at least 1, got %d", m.parallel)
	}
	return m, rest, nil
}

// cmdMirror makes a local folder a copy of a remote one, or with -R the
// reverse, with transfer.Pool.Mirror.
func (s *Shell) cmdMirror(ctx context.Context, args []string) error {
	m, rest, err := s.parseMirror(args)
	if err != nil {
		return err
	}
	filter := transfer.Filter{Exclude: m.exclude, Include: m.include}
	if err := filter.Check(); err != nil {
		return usageErrorf("mirror: %v", err)
	}
	if _, err := s.client(ctx); err != nil {
		return err
	}
	remote, local, dir := s.mirrorEnds(rest, m.reverse)
	update := transfer.UpdateChanged
	if m.newer {
		update = transfer.UpdateNewer
	}
	p := s.newPool(m.parallel)
	defer p.Close()
	rep := s.newReport("copied")
	opt := transfer.MirrorOptions{Direction: dir, Update: update, Delete: m.del, Filter: filter,
		AllowEmptySource: m.allowEmpty, ConfirmEmptySource: s.confirmEmptySource(remote, local, dir),
		DryRun: m.dry, Resume: m.resume, Progress: s.newProgress(),
		Notify: func(msg string) { s.warn("%s", msg) },
		OnEvent: func(ev transfer.Event) {
			a := ev.Action
			switch {
			case a.Kind == transfer.Copy:
				rep.done(a.Path, ev.Result, ev.Err)
			case a.Kind == transfer.Skip && ev.Err == nil:
				s.warn("skipped %s: %s", client.Sanitize(a.Path), a.Reason)
			case ev.Err != nil:
				rep.done(a.Path, transfer.Result{}, ev.Err)
			case a.Kind == transfer.Delete:
				s.status("deleted %s", a.Path)
			}
		}}
	res, err := p.Mirror(ctx, remote, local, opt)
	if dir == transfer.Upload {
		s.cache.InvalidateAll()
	}
	if err != nil {
		s.closeProgress()
		return err
	}
	if m.dry {
		for _, a := range res.Plan {
			if a.Kind != transfer.Keep {
				fmt.Fprintln(s.out, a.String(dir))
			}
		}
		s.status("dry run: %d to copy, %d folder(s) to make, %d to delete, %d unchanged, %d skipped; nothing was changed",
			res.Copied, res.Made, res.Deleted, res.Unchanged, res.Skipped)
		if res.Skipped > 0 {
			return &PartialError{Skipped: res.Skipped, Total: len(res.Plan)}
		}
		return nil
	}
	rep.extra = fmt.Sprintf("; %d unchanged, %d folder(s) made, %d deleted", res.Unchanged, res.Made, res.Deleted)
	if res.Skipped > 0 {
		rep.extra += fmt.Sprintf(", %d skipped", res.Skipped)
	}
	rep.skipped = res.Skipped
	return rep.finish(ctx)
}

// mirrorEnds returns the remote folder (absolute), the local folder and
// the direction of a mirror, as lftp's mirror takes them: the source
// defaults to the current folder, and the target to the source's base
// name in the other side's current folder (the current folder itself
// when the source was not given); a target ending in "/" receives the
// source under its own name.
func (s *Shell) mirrorEnds(args []string, reverse bool) (remote, local string, dir transfer.Direction) {
	var src, dst string
	if len(args) > 0 {
		src = args[0]
	}
	if len(args) > 1 {
		dst = args[1]
	}
	if !reverse {
		remote = s.absRemote(cmpOr(src, "."))
		base := path.Base(remote)
		switch {
		case src == "" && dst == "":
			local = s.lcwd
		case dst == "" && base != "/":
			local = filepath.Join(s.lcwd, base)
		case strings.HasSuffix(dst, "/") && base != "/":
			local = filepath.Join(s.localPath(dst), base)
		default:
			local = s.localPath(cmpOr(dst, "."))
		}
		return remote, local, transfer.Download
	}
	local = s.localPath(cmpOr(src, "."))
	base := filepath.Base(local)
	switch {
	case src == "" && dst == "":
		remote = s.absRemote(".")
	case dst == "":
		remote = s.absRemote(base)
	case strings.HasSuffix(dst, "/"):
		remote = s.absRemote(path.Join(dst, base))
	default:
		remote = s.absRemote(dst)
	}
	return remote, local, transfer.Upload
}

// cmpOr returns s, or def when s is empty.
func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// canPool reports whether the files of a command may go over a pool:
// several of them, in binary type (the pool's connections use TYPE I).
func (s *Shell) canPool(files int) bool {
	return files > 1 && !s.ascii && s.parallel() > 1
}

// confirmEmptySource returns the question mirror --delete asks before it
// empties the destination of an empty source: the user answers in an
// interactive shell; a batch script gets nil, which refuses.
func (s *Shell) confirmEmptySource(remote, local string, dir transfer.Direction) func(n int) bool {
	if !s.interactive {
		return nil
	}
	src, dst := remote, local
	if dir == transfer.Upload {
		src, dst = local, remote
	}
	return func(n int) bool {
		ans, err := s.in.readLine(transfer.EmptySourceQuestion(src, dst, n))
		if err != nil {
			return false
		}
		a := strings.ToLower(strings.TrimSpace(ans))
		return a == "y" || a == "yes"
	}
}
