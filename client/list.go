package client

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
)

// maxListingBytes bounds one listing read over a data connection.
const maxListingBytes = 256 << 20

// readLines runs a listing command and returns its lines without line
// endings. Empty lines are dropped.
func (c *Conn) readLines(ctx context.Context, verb, arg string) ([]string, error) {
	rc, err := c.openTransfer(ctx, verb, arg, 0, false)
	if err != nil {
		return nil, err
	}
	var lines []string
	sc := bufio.NewScanner(io.LimitReader(rc, maxListingBytes+1))
	sc.Buffer(make([]byte, 0, 64<<10), maxLineBytes*8)
	total := 0
	for sc.Scan() {
		line := strings.TrimSuffix(sc.Text(), "\r")
		total += len(sc.Bytes()) + 1
		if line != "" {
			lines = append(lines, line)
		}
	}
	serr := sc.Err()
	if serr == nil && total > maxListingBytes {
		serr = fmt.Errorf("listing longer than %d bytes", maxListingBytes)
	}
	if serr != nil {
		// Close aborts a listing cut short, or reads the final reply
		// after a broken data connection.
		rc.Close()
		var fe *Error
		if !errors.As(serr, &fe) {
			serr = &Error{Kind: KindProtocol, Op: verb, Err: serr}
		}
		return nil, serr
	}
	if err := rc.Close(); err != nil {
		return nil, err
	}
	return lines, nil
}

// NameList issues an NLST command and returns the names it lists.
func (c *Conn) NameList(ctx context.Context, path string) ([]string, error) {
	return c.readLines(ctx, "NLST", path)
}

// ListLines issues a LIST command with the given argument (a path, or
// options such as "-a" where the server takes them) and returns the raw
// lines.
func (c *Conn) ListLines(ctx context.Context, arg string) ([]string, error) {
	return c.readLines(ctx, "LIST", arg)
}

// List issues a LIST command for path and parses the lines (Unix ls -l,
// Microsoft IIS/DOS, EPLF). Lines it cannot parse are returned in
// unparsed, never dropped; "." and ".." are left out.
func (c *Conn) List(ctx context.Context, path string) (entries []Entry, unparsed []string, err error) {
	lines, err := c.readLines(ctx, "LIST", path)
	if err != nil {
		return nil, nil, err
	}
	p := ListParser{Now: c.opts.now, Location: c.opts.location}
	entries, unparsed = p.Parse(lines)
	return entries, unparsed, nil
}

// MLSD issues an MLSD command (RFC 3659 section 7) for dir and returns its
// entries, without the "cdir" and "pdir" entries. Lines it cannot parse are
// returned in unparsed.
func (c *Conn) MLSD(ctx context.Context, dir string) (entries []Entry, unparsed []string, err error) {
	lines, err := c.readLines(ctx, "MLSD", dir)
	if err != nil {
		return nil, nil, err
	}
	for _, line := range lines {
		e, err := ParseMLSxLine(line)
		if err != nil {
			unparsed = append(unparsed, line)
			continue
		}
		if SkipMLSx(e) {
			continue
		}
		entries = append(entries, e)
	}
	return entries, unparsed, nil
}

// MLST issues an MLST command (RFC 3659 section 7) and returns the facts
// of path, sent over the control connection.
func (c *Conn) MLST(ctx context.Context, path string) (Entry, error) {
	reply, err := c.exchange(ctx, 250, "MLST", path)
	if err != nil {
		return Entry{}, err
	}
	// The entry is the one line starting with a space between the
	// first and last lines.
	for _, line := range reply.Lines[1:] {
		if strings.HasPrefix(line, " ") {
			e, err := ParseMLSxLine(line)
			if err != nil {
				return Entry{}, &Error{Kind: KindProtocol, Op: "MLST", Err: err}
			}
			return e, nil
		}
	}
	return Entry{}, &Error{Kind: KindProtocol, Op: "MLST", Err: fmt.Errorf("no entry in reply %q", clip(reply.Msg()))}
}

// ReadDir lists dir with MLSD when the server offers MLST in FEAT, and with
// LIST otherwise. It calls Features when it has not been called yet.
func (c *Conn) ReadDir(ctx context.Context, dir string) (entries []Entry, unparsed []string, err error) {
	if c.features == nil {
		if _, err := c.Features(ctx); err != nil {
			return nil, nil, err
		}
	}
	if c.HasFeature("MLST") {
		return c.MLSD(ctx, dir)
	}
	return c.List(ctx, dir)
}
