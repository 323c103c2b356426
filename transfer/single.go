package transfer

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/ferry-ftp/ferry/client"
)

// FileRules are the rules of a tree job that get and put apply to single
// files (a file named, or each file a pattern matched: one flat tree),
// as rclone's copy applies --ignore-existing and its filters to a file:
// what counts as changed (see MirrorOptions.SizeOnly, OnlyMissing,
// OnlyExisting, Checksum) and the size and time limits of a Filter. The
// zero value copies every file, replacing what the destination holds.
type FileRules struct {
	SizeOnly, OnlyMissing, OnlyExisting, Checksum bool
	// Limits are the size and time limits; the rest of a Filter (names,
	// depth) is for trees.
	Limits FilterLimits
}

// Active reports whether the rules may leave a file alone: without them,
// every file is copied.
func (r *FileRules) Active() bool {
	l := &r.Limits
	return r.SizeOnly || r.OnlyMissing || r.OnlyExisting || r.Checksum ||
		l.MinSize > 0 || l.MaxSize > 0 || !l.NewerThan.IsZero() || !l.OlderThan.IsZero()
}

// FileDecision is what Pool.DecideFile makes of one file.
type FileDecision struct {
	// Kind is Copy; Keep for a file the rules leave alone (the
	// destination has it, it is the same, it lies outside the limits);
	// or Skip for one that could not be compared (a digest the server
	// refused), which is neither copied nor called the same.
	Kind ActionKind
	// Reason says why, as a plan's does: "new", "exists (--only-missing)",
	// "same size (--size-only)", "size differs: 5, was 3"...
	Reason string
	// Unsure, on a Copy, says why the limits could not decide on the
	// file (see Action.Unsure): it is copied all the same.
	Unsure string
	// Listed is what the server told of the remote file while deciding
	// (with an exact time where MLST or MDTM gave one), for
	// GetOptions.Listed; nil when nothing was asked.
	Listed *client.Entry
}

// DecideFile decides by the rules whether the file is copied: the
// remote file remote to the local file local (Download), or local to
// remote (Upload). listed, when set, is the remote file's listing entry.
// The remote file is looked up (MLST, or SIZE and MDTM, see
// client.Conn.Lookup) only where the rules need it, and its digest asked
// (HASH, XSHA256, XMD5 or XCRC) only for files of the same size with
// Checksum. A remote or local file that cannot be looked up is left to
// the copy, which reports it; a server without a digest command is
// ErrNoChecksum, and a broken connection or ctx is an error.
func (p *Pool) DecideFile(ctx context.Context, dir Direction, remote, local string, listed *client.Entry, r FileRules) (FileDecision, error) {
	d := FileDecision{Kind: Copy, Reason: "replace", Listed: listed}
	if !r.Active() {
		return d, nil
	}
	limits := r.Limits.MinSize > 0 || r.Limits.MaxSize > 0 || !r.Limits.NewerThan.IsZero() || !r.Limits.OlderThan.IsZero()
	compares := r.SizeOnly || r.Checksum
	var src, dst *node // nil: missing
	var err error
	ln := localNode(local)
	if dir == Download {
		dst = ln
		if limits || compares && dst != nil {
			if src, err = p.lookupNode(ctx, remote, listed, limits); err != nil {
				return d, err
			}
			if src == nil {
				return d, nil // the download says what is wrong
			}
			d.Listed = src.listed
		}
	} else {
		if src = ln; src == nil {
			return d, nil // the upload says what is wrong
		}
		if r.OnlyMissing || r.OnlyExisting || compares {
			if dst, err = p.lookupNode(ctx, remote, nil, false); err != nil {
				return d, err
			}
		}
	}
	if limits {
		switch in, known := r.Limits.check(src); {
		case known && !in:
			return FileDecision{Kind: Keep, Reason: r.Limits.outsideWhy(src), Listed: d.Listed}, nil
		case !known:
			d.Unsure = r.Limits.undecidedWhy(src)
		}
	}
	switch {
	case r.OnlyMissing && dst != nil:
		return FileDecision{Kind: Keep, Reason: "exists (--only-missing)", Listed: d.Listed}, nil
	case r.OnlyExisting && dst == nil:
		return FileDecision{Kind: Keep, Reason: "not in the destination (--only-existing)", Listed: d.Listed}, nil
	case dst == nil:
		d.Reason = "new"
		return d, nil
	case !compares:
		return d, nil
	}
	dec := compare(src, dst, &MirrorOptions{SizeOnly: r.SizeOnly, Checksum: r.Checksum}, true)
	switch {
	case dec.copy:
		d.Reason = dec.reason
		return d, nil
	case !dec.byHash:
		return FileDecision{Kind: Keep, Reason: dec.reason, Listed: d.Listed}, nil
	}
	return p.compareDigest(ctx, remote, local, d)
}

// compareDigest settles a file of the same size on both sides by its
// digest (FileRules.Checksum), as mirror's compareDigests does.
func (p *Pool) compareDigest(ctx context.Context, remote, local string, d FileDecision) (FileDecision, error) {
	var algo, want string
	_, err := p.Do(ctx, "HASH "+remote, func(c *client.Conn, _ int) error {
		var err error
		algo, want, err = serverDigest(ctx, c, remote)
		return err
	})
	var got string
	if err == nil {
		got, err = fileDigest(local, algo)
	}
	switch {
	case errors.Is(err, ErrNoChecksum), ctx.Err() != nil:
		return d, err
	case err != nil && client.KindOf(err) != client.KindOther:
		return d, err
	case err != nil:
		return FileDecision{Kind: Skip, Reason: "cannot compare digests: " + oneLine(err), Listed: d.Listed}, nil
	case got == want:
		return FileDecision{Kind: Keep, Reason: "same " + algo, Listed: d.Listed}, nil
	}
	d.Reason = algo + " differs"
	return d, nil
}

// lookupNode returns the node of the remote file remote: from listed when it
// tells what is needed (the size, and an exact time when exact is set),
// else looked up. A file the server does not have, or will not describe,
// is nil; only a broken connection or ctx is an error.
func (p *Pool) lookupNode(ctx context.Context, remote string, listed *client.Entry, exact bool) (*node, error) {
	if listed != nil && listed.Type == client.EntryFile && listed.Size >= 0 && (!exact || listed.Precision == client.TimeExact) {
		return remoteNode("", listed), nil
	}
	var e client.Entry
	_, err := p.Do(ctx, "lookup "+remote, func(c *client.Conn, _ int) error {
		var err error
		e, err = c.Lookup(ctx, remote)
		return err
	})
	switch {
	case ctx.Err() != nil:
		return nil, ctx.Err()
	case err != nil && client.KindOf(err) != client.KindOther:
		return nil, err // the connection, the login, TLS: not the file
	case err != nil:
		if listed != nil && listed.Type == client.EntryFile {
			return remoteNode("", listed), nil // the listing's word, as far as it goes
		}
		return nil, nil
	}
	if listed != nil && e.Precision < listed.Precision {
		e.ModTime, e.Precision = listed.ModTime, listed.Precision
	}
	e.Name = remote
	return remoteNode("", &e), nil
}

// localNode returns the node of the local file p (symbolic links
// followed), or nil when there is none.
func localNode(p string) *node {
	fi, err := os.Stat(p)
	if err != nil {
		return nil
	}
	n := &node{rel: p, typ: client.EntryOther, size: -1, mtime: fi.ModTime(), prec: client.TimeExact}
	switch {
	case fi.IsDir():
		n.typ = client.EntryDir
	case fi.Mode().IsRegular():
		n.typ, n.size = client.EntryFile, fi.Size()
	}
	return n
}

// fileDigest hashes the local file p with algo.
func fileDigest(p, algo string) (string, error) {
	h := newHash(algo)
	if h == nil {
		return "", fmt.Errorf("the server's digest %s is not one ferry knows", client.Sanitize(algo))
	}
	f, err := os.Open(p)
	if err != nil {
		return "", localErr("open", p, err)
	}
	defer f.Close()
	if _, err := io.Copy(h, f); err != nil {
		return "", localErr("read", p, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// outsideWhy says which limit the file n, known to fail them, fails.
func (l *FilterLimits) outsideWhy(n *node) string {
	when := n.mtime.UTC().Format(time.RFC3339)
	if n.prec == client.TimeDay {
		when = n.mtime.Format(time.DateOnly)
	}
	switch {
	case l.MinSize > 0 && n.size >= 0 && n.size < l.MinSize:
		return fmt.Sprintf("%d bytes, less than --min-size", n.size)
	case l.MaxSize > 0 && n.size > l.MaxSize:
		return fmt.Sprintf("%d bytes, more than --max-size", n.size)
	case !l.NewerThan.IsZero() && n.mtime.Before(l.NewerThan):
		return "modified " + when + ", before --newer-than"
	}
	return "modified " + when + ", not before --older-than"
}
