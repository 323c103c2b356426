package client

import (
	"context"
	"errors"
	"fmt"
	"path"
	"strings"
	"time"
)

// ErrNotListed reports a path that its folder's listing does not hold:
// how Size and Lookup find a file missing when the server refused SIZE
// (or MDTM) and offers no MLST. Test with errors.Is; the error also
// carries the server's refusal.
var ErrNotListed = errors.New("no such file in its folder's listing")

// Lookup describes the remote path p, which the caller does not know for
// a folder (LookupDir describes those). Each command the server refused
// (see Refusals) is left out, and what it would have told comes from the
// next source:
//
//  1. MLST, where the server offers it (or may: it refused FEAT);
//  2. SIZE and MDTM, which know plain files only: SIZE's other failures
//     (550: no such file, or not a plain one) are the answer;
//  3. the entry of p in its folder's listing (MLSD or LIST), for what
//     SIZE or MDTM refused: its time is LIST's, to the minute or the day
//     (Entry.Precision), made exact with MDTM where the server has it. A
//     name the listing does not hold is an error that matches
//     ErrNotListed.
//
// Name is MLST's pathname, or p's last element.
func (c *Conn) Lookup(ctx context.Context, p string) (Entry, error) {
	if err := c.ensureFeatures(ctx); err != nil {
		return Entry{}, err
	}
	var wait pending
	if c.Offers("MLST") {
		e, err := c.mlst(ctx, p)
		if err == nil || !wait.note(c, "MLST", err) {
			return e, err
		}
	}
	e := Entry{Name: pathBase(p), Type: EntryFile, Size: -1}
	if !c.Refused("SIZE") {
		n, err := c.size(ctx, p)
		switch {
		case err == nil:
			e.Size = n
			wait.confirm(c) // the file is there: an MLST 501 was MLST's
		case !wait.note(c, "SIZE", err):
			return Entry{}, err
		}
	}
	triedMDTM := false
	if e.Size >= 0 && !c.Refused("MDTM") {
		triedMDTM = true
		t, err := c.mdtm(ctx, p)
		switch {
		case err == nil:
			e.ModTime, e.Precision = t, TimeExact
			return e, nil
		case !wait.note(c, "MDTM", err):
			if c.Err() != nil {
				return Entry{}, err
			}
			return e, nil // a file of unknown time, as MDTM says
		}
	}
	le, err := c.listedEntry(ctx, p, wait.why(c, "SIZE", "MDTM", "MLST"))
	switch {
	case err != nil && e.Size >= 0 && c.Err() == nil && !errors.Is(err, ErrNotListed):
		return e, nil // SIZE told the size; the time stays unknown
	case err != nil:
		return Entry{}, err
	}
	if le.Type == EntryFile {
		wait.confirm(c)
		if le.Size < 0 {
			le.Size = e.Size
		}
	}
	if le.Type == EntryFile && le.Precision < TimeExact && !triedMDTM && !c.Refused("MDTM") {
		t, err := c.mdtm(ctx, p)
		switch {
		case err == nil:
			le.ModTime, le.Precision = t, TimeExact
		case c.Err() != nil:
			return Entry{}, err
		case refusalOf(err) == refusedCmd, refusalOf(err) == refusedArg:
			c.refuse("MDTM", err) // the file is there: the refusal was of MDTM
		}
	}
	return le, nil
}

// LookupDir describes the folder p: MLST's facts where the server offers
// MLST (or may), and otherwise a folder of unknown size and time. Name is
// MLST's pathname, or p.
func (c *Conn) LookupDir(ctx context.Context, p string) (Entry, error) {
	if err := c.ensureFeatures(ctx); err != nil {
		return Entry{}, err
	}
	if c.Offers("MLST") {
		var wait pending
		e, err := c.mlst(ctx, p)
		if err == nil || !wait.note(c, "MLST", err) {
			return e, err
		}
		wait.confirm(c) // the folder is there (the caller knows it)
	}
	return Entry{Name: p, Type: EntryDir, Size: -1}, nil
}

// sizeOrFallback is Size: SIZE, and when the server refuses it the size
// MLST or the folder's listing tells (see Lookup).
func (c *Conn) sizeOrFallback(ctx context.Context, p string) (int64, error) {
	if c.Refused("SIZE") {
		return c.sizeFallback(ctx, p, &pending{})
	}
	n, err := c.size(ctx, p)
	return c.sizeOr(ctx, p, n, err)
}

// sizeOr returns n, the size SIZE p told, unless err says that the server
// refused SIZE: then the size comes from the fallbacks of Size.
func (c *Conn) sizeOr(ctx context.Context, p string, n int64, err error) (int64, error) {
	var wait pending
	if err == nil || !wait.note(c, "SIZE", err) {
		return n, err
	}
	return c.sizeFallback(ctx, p, &wait)
}

// sizeFallback is Size for a server that refused SIZE (wait holds the
// refusal when it was this call's).
func (c *Conn) sizeFallback(ctx context.Context, p string, wait *pending) (int64, error) {
	why := wait.why(c, "SIZE")
	e, err := c.describe(ctx, p, wait)
	if err != nil {
		return 0, err
	}
	switch {
	case e.Type != EntryFile:
		return 0, &Error{Kind: KindOther, Op: "SIZE", Err: fmt.Errorf("%q is a %s, not a plain file (%w)", p, e.Type, why)}
	case e.Size < 0:
		return 0, &Error{Kind: KindOther, Op: "SIZE", Err: fmt.Errorf("the size of %q is unknown (%w)", p, why)}
	}
	wait.confirm(c)
	return e.Size, nil
}

// modTimeOrFallback is ModTime: MDTM, and when the server refuses it the
// time MLST tells.
func (c *Conn) modTimeOrFallback(ctx context.Context, p string) (time.Time, error) {
	var wait pending
	if !c.Refused("MDTM") {
		t, err := c.mdtm(ctx, p)
		if err == nil || !wait.note(c, "MDTM", err) {
			return t, err
		}
	}
	if err := c.ensureFeatures(ctx); err != nil {
		return time.Time{}, err
	}
	why := wait.why(c, "MDTM")
	if c.Offers("MLST") {
		e, err := c.mlst(ctx, p)
		switch {
		case err == nil && e.Precision == TimeExact:
			if e.Type == EntryFile {
				wait.confirm(c)
			}
			return e.ModTime, nil
		case err == nil:
		case !wait.note(c, "MLST", err):
			return time.Time{}, err
		default:
			why = errors.Join(why, err)
		}
	}
	return time.Time{}, &Error{Kind: KindOther, Op: "MDTM", Err: fmt.Errorf("the time of %q is unknown: %w", p, why)}
}

// describe returns the entry of p from MLST where the server offers it
// (or may), else from p's folder's listing; a 501 refusal of MLST joins
// wait.
func (c *Conn) describe(ctx context.Context, p string, wait *pending) (Entry, error) {
	if err := c.ensureFeatures(ctx); err != nil {
		return Entry{}, err
	}
	if c.Offers("MLST") {
		e, err := c.mlst(ctx, p)
		if err == nil || !wait.note(c, "MLST", err) {
			return e, err
		}
	}
	return c.listedEntry(ctx, p, wait.why(c, "SIZE", "MDTM", "MLST"))
}

// listedEntry returns the entry of p in its folder's listing (ReadDirFunc,
// with names that start with "." for such a name). A name the listing
// does not hold is an error that matches ErrNotListed and why, the
// refusal that led here. "", "." and "/" are folders.
func (c *Conn) listedEntry(ctx context.Context, p string, why error) (Entry, error) {
	clean := strings.TrimRight(p, "/")
	if clean == "" || clean == "." {
		return Entry{Name: p, Type: EntryDir, Size: -1}, nil
	}
	dir, name := path.Split(clean)
	if dir != "/" {
		dir = strings.TrimRight(dir, "/")
	}
	c.tracef("looking %q up in the listing of its folder", p)
	var found *Entry
	list := func(hidden bool) error {
		return c.ReadDirFunc(ctx, dir, ListOptions{Hidden: hidden}, func(e Entry) error {
			if e.Name == name && found == nil {
				found = &e
			}
			return nil
		})
	}
	hidden := strings.HasPrefix(name, ".")
	err := list(hidden)
	if err != nil && hidden && c.Err() == nil && ReplyCode(err)/100 == 5 && !errors.As(err, new(*NoFolderError)) {
		err = list(false) // a server that refuses "LIST -a" with a path
	}
	switch {
	case err != nil:
		return Entry{}, err
	case found == nil:
		return Entry{}, &Error{Kind: KindOther, Op: "lookup", Err: fmt.Errorf("%q: %w (%w)", p, ErrNotListed, why)}
	}
	return *found, nil
}

// ensureFeatures calls Features once per session.
func (c *Conn) ensureFeatures(ctx context.Context) error {
	if c.features != nil {
		return nil
	}
	_, err := c.Features(ctx)
	return err
}
