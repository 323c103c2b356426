package shell

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/ferry-ftp/ferry/client"
	"github.com/ferry-ftp/ferry/internal/progress"
	"github.com/ferry-ftp/ferry/transfer"
)

// errStopAsking is the "q" answer to a confirmation: the command stops
// without an error.
var errStopAsking = errors.New("stopped")

// errNoLocalMatch is a local pattern that matched no file.
var errNoLocalMatch = errors.New("no local file matches")

func (s *Shell) cmdGet(ctx context.Context, args []string) error {
	return s.get(ctx, args, false)
}

func (s *Shell) cmdReget(ctx context.Context, args []string) error {
	return s.get(ctx, args, true)
}

// get downloads one file with transfer.Session.GetFile, resuming the
// partial file an earlier attempt left when resume is set.
func (s *Shell) get(ctx context.Context, args []string, resume bool) error {
	args, direct, err := directFlag(args, map[bool]string{false: "get", true: "reget"}[resume], "REMOTE [LOCAL]")
	if err != nil {
		return err
	}
	remote := args[0]
	local, err := s.localTarget(remote, args[1:])
	if err != nil {
		return err
	}
	if _, err := s.client(ctx); err != nil {
		return err
	}
	rep := s.newReport("downloaded")
	res, err := s.sess.GetFile(ctx, remote, local, transfer.GetOptions{Resume: resume, Progress: s.newProgress(),
		Direct: direct, Notify: s.notifyWarn}, s.cfg.Retries)
	rep.done(remote, res, err)
	if err := rep.finish(ctx); ctx.Err() == nil || err == nil {
		return err
	}
	if part := res.Partial; part != "" {
		if rel, err := filepath.Rel(s.lcwd, part); err == nil && filepath.IsLocal(rel) {
			part = rel
		}
		return &interruptError{err: ctx.Err(), note: fmt.Sprintf("%s keeps %d bytes: reget resumes it", part, res.PartialSize)}
	}
	return ctx.Err()
}

// directFlag takes a leading --direct off the arguments of the command
// verb (get, reget, put or reput), and checks that one or two arguments,
// its operands, remain.
func directFlag(args []string, verb, operands string) ([]string, bool, error) {
	direct := len(args) > 0 && args[0] == "--direct"
	if direct {
		args = args[1:]
	}
	if len(args) < 1 || len(args) > 2 {
		return nil, false, usageErrorf("usage: %s [--direct] %s", verb, operands)
	}
	return args, direct, nil
}

// interruptError is an interrupted command with a note on what is left.
type interruptError struct {
	err  error
	note string
}

func (e *interruptError) Error() string { return e.err.Error() + "; " + e.note }
func (e *interruptError) Unwrap() error { return e.err }

// localTarget returns the local file a download of remote goes to: the
// path given, a file named after remote inside a given folder, or in the
// local folder.
func (s *Shell) localTarget(remote string, given []string) (string, error) {
	name := path.Base(strings.TrimSuffix(remote, "/"))
	if len(given) == 1 {
		p := s.localPath(given[0])
		if fi, err := os.Stat(p); err != nil || !fi.IsDir() {
			return p, nil
		}
		if err := transfer.CheckName(name); err != nil {
			return "", err
		}
		return filepath.Join(p, name), nil
	}
	if err := transfer.CheckName(name); err != nil {
		return "", err
	}
	return filepath.Join(s.lcwd, name), nil
}

func (s *Shell) cmdMget(ctx context.Context, args []string) error {
	c, err := s.client(ctx)
	if err != nil {
		return err
	}
	rep := s.newReport("downloaded")
	items, err := s.expandAll(ctx, c, args, rep)
	if err != nil {
		return err
	}
	all := false
	var files []pair
	for _, p := range items {
		name := path.Base(p)
		if err := transfer.CheckName(name); err != nil {
			rep.done(p, transfer.Result{}, err)
			continue
		}
		ok, err := s.confirm("mget", p, &all)
		if err != nil {
			rep.stopped = err
			break
		}
		if ok {
			files = append(files, pair{from: p, to: filepath.Join(s.lcwd, name)})
		}
	}
	if s.canPool(len(files)) {
		s.transferMany(ctx, files, false, rep)
		return rep.finish(ctx)
	}
	avoid := avoidTargets(files)
	notify := transfer.NotifyOnce(s.notifyWarn)
	for _, f := range files {
		res, err := s.sess.GetFile(ctx, f.from, f.to, transfer.GetOptions{Progress: s.newProgress(), Avoid: avoid, Notify: notify}, s.cfg.Retries)
		rep.done(f.from, res, err)
		if ctx.Err() != nil {
			break
		}
	}
	return rep.finish(ctx)
}

// avoidTargets returns the GetOptions.Avoid of an mget: the names of the
// files it writes are never taken for another's temporary name.
func avoidTargets(files []pair) func(string) bool {
	names := make([]string, len(files))
	for i, f := range files {
		names[i] = filepath.Base(f.to)
	}
	return transfer.AvoidNames(names)
}

func (s *Shell) cmdPut(ctx context.Context, args []string) error {
	return s.put(ctx, args, false)
}

func (s *Shell) cmdReput(ctx context.Context, args []string) error {
	return s.put(ctx, args, true)
}

// put uploads one file with transfer.Session.PutFile, resuming the partial
// upload of the same file on the server when resume is set.
func (s *Shell) put(ctx context.Context, args []string, resume bool) error {
	args, direct, err := directFlag(args, map[bool]string{false: "put", true: "reput"}[resume], "LOCAL [REMOTE]")
	if err != nil {
		return err
	}
	local := s.localPath(args[0])
	remote := filepath.Base(local)
	if _, err := s.client(ctx); err != nil {
		return err
	}
	if len(args) == 2 {
		remote = args[1]
		// A remote folder receives the file under its own name.
		isDir, err := s.sess.IsDir(ctx, remote)
		if err != nil {
			return err
		}
		if isDir {
			remote = strings.TrimSuffix(remote, "/") + "/" + filepath.Base(local)
		}
	}
	rep := s.newReport("uploaded")
	res, err := s.sess.PutFile(ctx, local, remote, transfer.PutOptions{Resume: resume, Direct: direct,
		Progress: s.newProgress(), Notify: s.notifyWarn}, s.cfg.Retries)
	s.changed(remote)
	rep.done(remote, res, err)
	return rep.finish(ctx)
}

func (s *Shell) cmdMput(ctx context.Context, args []string) error {
	if _, err := s.client(ctx); err != nil {
		return err
	}
	rep := s.newReport("uploaded")
	var files []string
	for _, pat := range args {
		matches, err := filepath.Glob(s.localPath(pat))
		if err != nil {
			return usageErrorf("bad pattern %q: %v", pat, err)
		}
		n := 0
		for _, m := range matches {
			if fi, err := os.Stat(m); err == nil && fi.Mode().IsRegular() {
				files = append(files, m)
				n++
			}
		}
		if n == 0 {
			err := &transfer.LocalError{Op: "match", Path: pat, Err: errNoLocalMatch}
			if len(args) == 1 {
				return err
			}
			rep.done(pat, transfer.Result{}, err)
		}
	}
	all := false
	var todo []pair
	for _, f := range files {
		ok, err := s.confirm("mput", f, &all)
		if err != nil {
			rep.stopped = err
			break
		}
		if ok {
			todo = append(todo, pair{from: f, to: filepath.Base(f)})
		}
	}
	defer func() {
		for _, f := range todo {
			s.changed(f.to)
		}
	}()
	if s.canPool(len(todo)) {
		s.transferMany(ctx, todo, true, rep)
		return rep.finish(ctx)
	}
	notify := transfer.NotifyOnce(s.notifyWarn)
	for _, f := range todo {
		res, err := s.sess.PutFile(ctx, f.from, f.to, transfer.PutOptions{Progress: s.newProgress(), Notify: notify}, s.cfg.Retries)
		rep.done(f.to, res, err)
		if ctx.Err() != nil {
			break
		}
	}
	return rep.finish(ctx)
}

// localPath returns p in the local folder: "~/" is the home folder and
// relative paths start at the shell's local folder.
func (s *Shell) localPath(p string) string {
	if p == "~" || strings.HasPrefix(p, "~/") {
		if home, err := s.home(); err == nil {
			p = filepath.Join(home, p[1:])
		}
	}
	if filepath.IsAbs(p) {
		return filepath.Clean(p)
	}
	return filepath.Join(s.lcwd, p)
}

// home returns the user's home folder.
func (s *Shell) home() (string, error) {
	if h := s.cfg.Getenv("HOME"); h != "" {
		return h, nil
	}
	return os.UserHomeDir()
}

// confirm asks whether to go on with name when prompting is on. The
// answers are y (or Enter), n, a (all the rest) and q (stop: errStopAsking).
func (s *Shell) confirm(verb, name string, all *bool) (bool, error) {
	if !s.prompting || !s.interactive || *all {
		return true, nil
	}
	for {
		ans, err := s.in.readLine(fmt.Sprintf("%s %s? [y/n/a/q] ", verb, name))
		if errors.Is(err, errLineCleared) {
			return false, fmt.Errorf("confirmation: %w", context.Canceled)
		}
		if errors.Is(err, io.EOF) {
			return false, errStopAsking
		}
		if err != nil {
			return false, err
		}
		switch strings.ToLower(strings.TrimSpace(ans)) {
		case "", "y", "yes":
			return true, nil
		case "n", "no":
			return false, nil
		case "a", "all":
			*all = true
			return true, nil
		case "q", "quit":
			return false, errStopAsking
		}
	}
}

// report follows the files of one command: it prints failures as they
// happen and a summary at the end, and decides the command's error.
type report struct {
	s       *Shell
	verb    string
	start   time.Time
	extra   string // added to the summary line
	stopped error  // why the command stopped early: q or an interrupt

	mu    sync.Mutex // done runs on parallel workers
	ok    int
	bytes int64
	errs  []error
	// skipped counts what a tree job was asked to handle and did not.
	skipped int
}

func (s *Shell) newReport(verb string) *report {
	return &report{s: s, verb: verb, start: time.Now()}
}

// done records one item's outcome.
func (r *report) done(name string, res transfer.Result, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if err != nil {
		r.errs = append(r.errs, err)
		if !errors.Is(err, context.Canceled) && !r.s.willRetry(err) {
			r.s.warn("%s: %v", client.Sanitize(name), err) // a name from a listing may hold control characters
		}
		return
	}
	r.ok++
	r.bytes += res.Bytes
}

// finish closes the progress display, prints the summary and returns
// the command's error: nil, the one failure (already printed), a
// PartialError, or the interrupt.
func (r *report) finish(ctx context.Context) error {
	r.s.closeProgress()
	if err := ctx.Err(); err != nil {
		return err
	}
	if r.stopped != nil && !errors.Is(r.stopped, errStopAsking) {
		return r.stopped
	}
	switch {
	case r.ok == 0 && r.extra == "":
	case r.verb == "deleted":
		r.s.status("%d file(s) deleted", r.ok)
	default:
		elapsed := time.Since(r.start)
		rate := float64(r.bytes) / max(elapsed.Seconds(), 1e-9)
		r.s.status("%d file(s) %s, %s in %s (%s)%s", r.ok, r.verb, progress.FormatBytes(r.bytes),
			elapsed.Round(time.Millisecond), progress.FormatRate(rate), r.extra)
	}
	failed := len(r.errs)
	switch {
	case failed == 0 && r.skipped == 0:
		return nil
	case r.ok == 0 && failed == 1 && r.skipped == 0:
		return shownError{r.errs[0]}
	}
	return &PartialError{Failed: failed, Skipped: r.skipped, Total: failed + r.ok + r.skipped}
}
