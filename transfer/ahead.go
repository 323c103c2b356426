package transfer

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"slices"
	"sync"

	"golang.org/x/sync/errgroup"

	"github.com/ferry-ftp/ferry/client"
)

// refusal reports whether err is a reply with one of codes.
func refusal(err error, codes ...int) bool {
	return err != nil && slices.Contains(codes, client.ReplyCode(err))
}

// GetJob is one download of a job of many: what Pool.GetFile takes.
type GetJob struct {
	Remote, Local string
	Opt           GetOptions
}

// retr opens the download of remote at offset, with lookahead when
// opt.Next is set (see GetOptions.Next).
func retr(ctx context.Context, c *client.Conn, remote string, offset int64, opt GetOptions) (io.ReadCloser, error) {
	if opt.Next == nil || opt.Verify {
		return c.Retr(ctx, remote, offset)
	}
	return c.RetrNext(ctx, remote, offset, func() (string, bool) {
		job, ok := opt.Next()
		if !ok || !quiet(c, opt.files, job) {
			return "", false
		}
		return job.Remote, true
	})
}

// quiet reports whether Get of job on c, writing to files, would send no
// command before its RETR at offset 0: it knows the file's size and time
// without asking, and nothing is resumed or checked (no local file under
// its temporary name, which takes a SIZE, or holds a partial download).
func quiet(c *client.Conn, files localFS, job GetJob) bool {
	o := job.Opt
	l := o.Listed
	if files == nil || !o.Known && (l == nil || l.Size < 0 || l.Precision != client.TimeExact) {
		return false
	}
	if o.Direct {
		return !o.Resume
	}
	size, mtime := knownInfo(l)
	part, _ := tempPath(c, job.Remote, job.Local, size, mtime, c.CurrentType() == client.TypeASCII, o)
	_, err := files.Lstat(part)
	return errors.Is(err, fs.ErrNotExist)
}

// EachAhead runs do for the items 0 to n-1, handed out in order to up to
// workers goroutines, as Each does, and lets an item claim the next one
// for its own goroutine: do's take hands out the next item not yet handed
// out, which the same goroutine then runs right after i (take returns it
// again when called again, and false when none is left or ctx is done).
// A download claims the file its connection fetches next with it, to
// send that file's RETR ahead (see GetOptions.Next). EachAhead stops
// handing out items when ctx is done and then returns ctx's error; an
// item claimed is run all the same.
func EachAhead(ctx context.Context, n, workers int, do func(ctx context.Context, i int, take func() (int, bool))) error {
	var mu sync.Mutex
	next := 0
	hand := func() (int, bool) {
		mu.Lock()
		defer mu.Unlock()
		if ctx.Err() != nil || next >= n {
			return 0, false
		}
		next++
		return next - 1, true
	}
	var wg sync.WaitGroup
	for range max(min(workers, n), 1) {
		wg.Go(func() {
			for i, ok := hand(); ok; {
				claimed, asked, has := 0, false, false
				do(ctx, i, func() (int, bool) {
					if !asked {
						asked = true
						claimed, has = hand()
					}
					return claimed, has
				})
				if has {
					i = claimed
				} else {
					i, ok = hand()
				}
			}
		})
	}
	wg.Wait()
	return ctx.Err()
}

// Describe asks the server, over the pool's connections, what the jobs'
// listing entries do not tell of their remote files (size and time for a
// file named without a listing, the exact time for one from LIST) with
// SIZE and MDTM in batches of client.MaxStats files, one round trip a
// batch (see client.Conn.Stats), and records it in each job's Listed,
// marking it Known: Get then asks nothing before RETR, and a job of many
// files pays no round trip a file for them. A job whose Listed is not a
// plain file's (a link's, a folder's) is left to Get, as is one whose
// size the server refuses to tell with SIZE and MLST (Get reads the
// folder's listing). A batch is retried as Pool.Do retries (its retries
// count as its first file's, in Result.Retries); one that fails for good
// fails its jobs: errs holds each job's failure, or nil.
func (p *Pool) Describe(ctx context.Context, jobs []*GetJob) (errs []error) {
	errs = make([]error, len(jobs))
	var todo []int // indexes into jobs
	var qs []client.StatQuery
	for i, j := range jobs {
		l := j.Opt.Listed
		switch {
		case j.Opt.Known:
		case l == nil:
			todo = append(todo, i)
			qs = append(qs, client.StatQuery{Path: j.Remote, Size: true, ModTime: true})
		case l.Type == client.EntryFile:
			q := client.StatQuery{Path: j.Remote, Size: l.Size < 0, ModTime: l.Precision != client.TimeExact}
			if !q.Size && !q.ModTime {
				j.Opt.Known = true
				continue
			}
			todo = append(todo, i)
			qs = append(qs, q)
		}
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(max(p.Limit(), 1))
	for start := 0; start < len(qs); start += client.MaxStats {
		end := min(start+client.MaxStats, len(qs))
		g.Go(func() error {
			var st []client.FileStat
			retried, err := p.Do(gctx, "SIZE and MDTM", func(c *client.Conn, _ int) error {
				var err error
				st, err = c.Stats(gctx, qs[start:end])
				return err
			})
			if err != nil {
				for _, i := range todo[start:end] {
					errs[i] = err
				}
				return nil
			}
			// The batch's retries count as its first file's.
			jobs[todo[start]].Opt.retried = retried
			for k, s := range st {
				q, j := qs[start+k], jobs[todo[start+k]]
				if q.Size && refusal(s.SizeErr, 500, 501, 502, 504) || q.ModTime && refusal(s.TimeErr, 501, 504) {
					// Size falls back to the folder's listing, and both
					// to MLST where a refusal that Stats does not count as
					// one (501, 504) left it unasked: Get does, file by
					// file.
					continue
				}
				e := client.Entry{Name: j.Remote, Type: client.EntryFile, Size: s.Size}
				if l := j.Opt.Listed; l != nil {
					e = *l
				}
				if q.Size {
					e.Size = s.Size
				}
				if !s.ModTime.IsZero() {
					e.ModTime, e.Precision = s.ModTime, client.TimeExact
				}
				j.Opt.Listed, j.Opt.Known = &e, true
			}
			return nil
		})
	}
	g.Wait()
	return errs
}
