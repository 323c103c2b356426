package client

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// LIST times carry no zone: a server lists them in its own local time
// (proftpd, inetutils and most others) or in UTC (vsftpd by default), and
// the client cannot tell which. A session learns the offset once, from
// one file whose LIST time it compares with the exact UTC time of MDTM,
// as a careful user would, and reads its later listings in that zone.

// maxZoneOffset bounds a learned offset: the zones in use run from
// UTC-12 to UTC+14.
const maxZoneOffset = 14 * time.Hour

// zoneStep is the granularity of a learned offset: every zone in use is
// a whole number of quarter hours from UTC.
const zoneStep = 15 * time.Minute

// listZone is what a session knows of the zone of its LIST times.
type listZone struct {
	asked bool           // LearnListZone asked MDTM (once a session)
	loc   *time.Location // the learned zone, when asked and it agreed
	err   error          // why it was not learned, when asked
}

// listLocation returns the zone LIST times are read in: the learned one,
// else the one set with WithListClock (UTC by default).
func (c *Conn) listLocation() *time.Location {
	if c.zone.loc != nil {
		return c.zone.loc
	}
	return c.opts.location
}

// ListZone returns the zone the session reads LIST times in, and whether
// it was learned (LearnListZone) rather than assumed.
func (c *Conn) ListZone() (loc *time.Location, learned bool) {
	return c.listLocation(), c.zone.loc != nil
}

// ZoneAsked reports whether the session has already tried to learn the
// zone of its LIST times (LearnListZone), successfully or not.
func (c *Conn) ZoneAsked() bool { return c.zone.asked }

// ErrZoneDisagrees is returned by LearnListZone when a file's LIST time is
// not its MDTM time at any whole quarter-hour offset (it changed between
// the two, or the server's clock is odd).
var ErrZoneDisagrees = errors.New("the LIST time and MDTM disagree")

// LearnListZone learns the zone of the session's LIST times from the file
// at path, whose LIST entry listed was read in the session's current zone
// (ListZone) with Precision TimeMinute. It asks MDTM for the file's exact
// time; the offset is the difference between the listed minute and that
// time, rounded to a quarter hour, and is taken only when the listed
// minute is the exact time in that zone, cut to the minute (with two
// seconds of slack for servers that round). Later LIST times of the
// session are read in the zone found.
//
// Only the first call of a session asks the server; later calls return
// what it found. A session that learned nothing keeps its zone.
func (c *Conn) LearnListZone(ctx context.Context, path string, listed Entry) (*time.Location, error) {
	if c.zone.asked {
		if c.zone.loc == nil {
			return nil, c.zone.err
		}
		return c.zone.loc, nil
	}
	if listed.Precision != TimeMinute || listed.Type != EntryFile {
		return nil, fmt.Errorf("learning the zone of LIST times from %q: its listing shows no time of day", path)
	}
	// MDTM alone: a server without it has no MLST either where it
	// lists with LIST, and ModTimes asks no command it refused before.
	times, errs, err := c.ModTimes(ctx, []string{path})
	if err == nil {
		err = errs[0]
	}
	if err != nil {
		if c.Err() != nil || ctx.Err() != nil {
			return nil, err // not an answer about the zone: ask again later
		}
		c.zone = listZone{asked: true, err: err}
		return nil, err
	}
	c.zone.asked = true
	loc, err := zoneFrom(listed.ModTime, times[0])
	if err != nil {
		c.zone.err = fmt.Errorf("learning the zone of LIST times from %q: %w", path, err)
		return nil, c.zone.err
	}
	c.zone.loc = loc
	return loc, nil
}

// zoneFrom returns the zone in which the wall clock of listed (a LIST
// time to the minute, in any zone) is exact cut to the minute.
func zoneFrom(listed, exact time.Time) (*time.Location, error) {
	// The listed wall clock as if it were UTC, against the true time.
	y, mo, d := listed.Date()
	h, mi, _ := listed.Clock()
	wall := time.Date(y, mo, d, h, mi, 0, 0, time.UTC)
	diff := wall.Sub(exact.UTC())
	// A server that cuts the time to the minute lists the exact time
	// plus its offset, cut: diff lies in (offset-1m, offset]. One that
	// rounds lists it within half a minute of that. The offset is the
	// quarter hour nearest to diff+30s, and diff must lie that close to
	// it.
	off := (diff + 30*time.Second).Round(zoneStep)
	rest := off - diff
	if off > maxZoneOffset || off < -maxZoneOffset || rest < -32*time.Second || rest >= 62*time.Second {
		return nil, fmt.Errorf("%w: listed %s, MDTM %s", ErrZoneDisagrees, wall.Format("2006-01-02 15:04"), exact.UTC().Format(time.RFC3339))
	}
	if off == 0 {
		return time.UTC, nil
	}
	return time.FixedZone(zoneName(off), int(off/time.Second)), nil
}

// zoneName names an offset as "UTC+03:00".
func zoneName(off time.Duration) string {
	sign := '+'
	if off < 0 {
		sign, off = '-', -off
	}
	return fmt.Sprintf("UTC%c%02d:%02d", sign, int(off/time.Hour), int(off%time.Hour/time.Minute))
}

// InZone returns e with its LIST time read in loc instead of the zone it
// was read in: the same date and wall clock, in loc. An entry whose time
// is exact (MLSx, MDTM) or unknown is returned as it is.
func InZone(e Entry, loc *time.Location) Entry {
	if e.Precision != TimeMinute && e.Precision != TimeDay || e.ModTime.IsZero() || loc == nil {
		return e
	}
	y, mo, d := e.ModTime.Date()
	h, mi, s := e.ModTime.Clock()
	e.ModTime = time.Date(y, mo, d, h, mi, s, e.ModTime.Nanosecond(), loc)
	return e
}
