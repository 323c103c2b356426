package transfer

import (
	"context"
	"sort"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/ferry-ftp/ferry/client"
)

// refine asks MDTM for the exact times that LIST could not give (it tells
// the minute or the day, in an unknown zone): for the copies and keeps
// that rest on such a time, which the exact time may turn around (a
// change of the same size within the same minute, or the same day for an
// old file, is a copy after all), and, in a
// download, for every copy, so that the local file gets the exact time
// without a round trip of its own (not in a dry run). The times are asked in batches of
// client.MaxModTimes pipelined commands over the pool's connections, one
// round trip a batch. A path whose MDTM fails keeps its listing's time,
// and an action that rested on that time says why in Unsure.
func (m *mirror) refine(ctx context.Context, actions []Action, keepsTimes bool) []Action {
	if m.canMDTM {
		m.askTimes(ctx, actions, keepsTimes)
	}
	actions = m.settleLimits(actions)
	m.unsureTimes(actions)
	// Skips and keeps go last, as plan orders them.
	last := func(k ActionKind) bool { return k == Skip || k == Keep }
	sort.SliceStable(actions, func(i, j int) bool { return !last(actions[i].Kind) && last(actions[j].Kind) })
	return actions
}

// askTimes asks MDTM for the times refine needs, in batches, and updates
// the actions with them.
func (m *mirror) askTimes(ctx context.Context, actions []Action, keepsTimes bool) {
	var need []int // indexes of actions
	for i, a := range actions {
		if a.Kind != Copy && !(a.Kind == Keep && a.byTime) {
			continue
		}
		rn := a.src
		if m.opt.Direction == Upload {
			rn = a.dst
		}
		if rn == nil || rn.prec >= client.TimeExact {
			continue
		}
		if (a.byTime && a.dst != nil) || a.undecided || (m.opt.Direction == Download && !m.opt.DryRun) {
			need = append(need, i)
		}
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(max(m.pool.Limit(), 1))
	for start := 0; start < len(need); start += client.MaxModTimes {
		batch := need[start:min(start+client.MaxModTimes, len(need))]
		g.Go(func() error {
			paths := make([]string, len(batch))
			for j, i := range batch {
				paths[j] = remoteJoin(m.remoteDir, actions[i].Path)
			}
			var times []time.Time
			var errs []error
			_, err := m.pool.Do(gctx, "MDTM", func(c *client.Conn, _ int) error {
				var err error
				times, errs, err = c.ModTimes(gctx, paths)
				return err
			})
			if err != nil {
				times, errs = nil, nil
			}
			for j, i := range batch {
				switch a := &actions[i]; {
				case j < len(times) && errs[j] == nil && !times[j].IsZero():
					undecided := a.undecided
					m.exact(a, times[j], keepsTimes)
					a.undecided = undecided // settled by settleLimits, on the exact time
				case !a.byTime || a.dst == nil:
				case err != nil:
					a.Unsure = "MDTM: " + oneLine(err)
				case j < len(errs) && errs[j] != nil && !notOffered(errs[j]):
					// The listing's time could not tell, and the exact
					// one is refused for this path.
					a.Unsure = "MDTM: " + oneLine(errs[j])
				}
			}
			return nil
		})
	}
	g.Wait()
}

// unsureTimes marks the keeps that rest on the same minute, or the same
// day, of a LIST time that MDTM did not make exact (the server offers no
// MDTM, or refused it): a change of the same size within that minute or
// day cannot be told. They stay kept, with a reason that says so and an
// Unsure that ferry check reports, and Notify is told once, naming the
// first.
func (m *mirror) unsureTimes(actions []Action) {
	n, first := 0, ""
	for i := range actions {
		a := &actions[i]
		if a.Kind != Keep || !a.byTime || a.src == nil || a.dst == nil {
			continue
		}
		if _, ok := cmpTimes(a.src, a.dst); !ok {
			continue // no time at all: settleUntimed
		}
		unit := "minute"
		if min(a.src.prec, a.dst.prec) == client.TimeDay {
			unit = "day"
		}
		if a.Unsure == "" {
			a.Unsure = "time known only to the " + unit + ", and the server offers no MDTM"
		}
		a.Reason = "same size; time unknown (the same " + unit + ")"
		if n == 0 {
			first = a.Path
		}
		n++
	}
	if n > 0 {
		m.note("%d file(s) kept for their size alone: the listing tells their times only to the minute or the day, and MDTM did not tell them exactly (the first: %s); --checksum compares their contents",
			n, client.Sanitize(first))
	}
}

// notOffered reports the refusal of a command the server does not have
// (500, 502, 504): what a server without MDTM answers for every path.
func notOffered(err error) bool {
	switch client.ReplyCode(err) {
	case 500, 502, 504:
		return true
	}
	return false
}

// exact updates a copy with the exact time t of its remote file: the
// decision is made again when it rested on the listing's time, and a
// download passes the time on to Get through the listing entry.
func (m *mirror) exact(a *Action, t time.Time, keepsTimes bool) {
	rn := a.src
	if m.opt.Direction == Upload {
		rn = a.dst
	}
	exact := *rn
	exact.mtime, exact.prec = t, client.TimeExact
	src, dst := a.src, a.dst
	if m.opt.Direction == Upload {
		dst = &exact
	} else {
		if rn.listed != nil {
			l := *rn.listed
			l.ModTime, l.Precision = t, client.TimeExact
			exact.listed = &l
		}
		src = &exact
		a.src = src
	}
	if !a.byTime || dst == nil {
		return
	}
	if dec := decide(src, dst, m.opt.Update, keepsTimes); !dec.copy {
		*a = Action{Kind: Keep, Path: a.Path, Size: a.Size, Reason: dec.reason + " (MDTM)", src: src, dst: dst}
	} else {
		*a = Action{Kind: Copy, Path: a.Path, Size: a.Size, Reason: dec.reason + " (MDTM)", src: src, dst: dst}
	}
}

// settleUntimed copies the files kept for their size alone because a time
// was unknown (a listing line whose date could not be read) and MDTM did
// not tell it (not offered, refused, or failed): nothing is called
// unchanged that was not compared, and a file of the same size may hold
// other bytes. With --only-newer (UpdateNewer) they are kept, since
// nothing says that the source is newer; the reason says why.
func settleUntimed(actions []Action, mode Update) {
	for i, a := range actions {
		if a.Kind != Keep || !a.byTime || a.src == nil || a.dst == nil {
			continue
		}
		if _, ok := cmpTimes(a.src, a.dst); ok {
			continue
		}
		actions[i].Unsure = "time unknown"
		if mode == UpdateNewer {
			actions[i].Reason = "same size, time unknown (not known to be newer)"
			continue
		}
		actions[i].Kind, actions[i].Reason = Copy, "same size, time unknown"
	}
}
