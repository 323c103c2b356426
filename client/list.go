package client

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
)

// Limits on one listing read over a data connection.
const (
	maxListingBytes = 256 << 20
	maxListingLines = 1_000_000
	maxListingLine  = maxLineBytes * 8
)

// readLines runs a listing command and returns its lines without line
// endings. Empty lines are dropped. For NLST and LIST, the reply "450 No
// files found" (proftpd, for an empty folder or a pattern that matches
// nothing; wu-ftpd sends it with 550) is an empty listing.
func (c *Conn) readLines(ctx context.Context, verb, arg string) ([]string, error) {
	t, err := c.openTransfer(ctx, verb, arg, 0, false)
	if err != nil {
		if verb != "MLSD" && noFilesFound(err) {
			return nil, nil
		}
		return nil, err
	}
	lines, lerr := readListing(t)
	if lerr != nil {
		// Close aborts a listing cut short, and reports a failed data
		// connection with the server's reply.
		cerr := t.Close()
		if t.err != nil {
			return nil, cerr
		}
		return nil, &Error{Kind: KindProtocol, Op: verb, Err: lerr}
	}
	if err := t.Close(); err != nil {
		return nil, err
	}
	return lines, nil
}

// noFilesFound reports the reply of some servers to a listing of nothing.
func noFilesFound(err error) bool {
	var re *ReplyError
	return errors.As(err, &re) && (re.Code == 450 || re.Code == 550) &&
		strings.Contains(strings.ToLower(re.Msg), "no files found")
}

// readListing reads the lines of a listing, within maxListingBytes and
// maxListingLines. Each line is a string of its own, exactly sized; the
// lines are gathered in blocks and copied once into the result, so a
// listing costs its text plus one string header a line.
func readListing(t *transfer) ([]string, error) {
	br := bufio.NewReaderSize(t, maxListingLine)
	var blocks [][]string
	block := make([]string, 0, 256)
	total, count := 0, 0
	for {
		line, err := br.ReadSlice('\n')
		if total += len(line); total > maxListingBytes {
			return nil, fmt.Errorf("listing longer than %d bytes", maxListingBytes)
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			return nil, fmt.Errorf("listing line longer than %d bytes", maxListingLine)
		}
		line = bytes.TrimSuffix(bytes.TrimSuffix(line, []byte{'\n'}), []byte{'\r'})
		if len(line) > 0 {
			if count++; count > maxListingLines {
				return nil, fmt.Errorf("listing longer than %d lines", maxListingLines)
			}
			if len(block) == cap(block) {
				blocks = append(blocks, block)
				block = make([]string, 0, min(2*cap(block), 16<<10))
			}
			block = append(block, string(line))
		}
		if err == io.EOF {
			return slices.Concat(append(blocks, block)...), nil
		}
		if err != nil {
			return nil, err
		}
	}
}

// NameList issues an NLST command and returns the names it lists. A reply
// "450 No files found" is an empty list.
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
//
// A folder whose name holds white space is listed from inside (PWD, CWD,
// LIST, CWD back): servers such as pure-ftpd split LIST's argument on
// spaces into patterns and answer "226 0 matches" for it.
func (c *Conn) List(ctx context.Context, path string) (entries []Entry, unparsed []string, err error) {
	var lines []string
	inside := false
	if strings.ContainsAny(path, " \t") {
		lines, inside, err = c.listInside(ctx, path)
		if err != nil {
			return nil, nil, err
		}
	}
	if !inside {
		if lines, err = c.readLines(ctx, "LIST", ListPath(path)); err != nil {
			return nil, nil, err
		}
	}
	p := ListParser{Now: c.opts.now, Location: c.opts.location}
	entries, unparsed = p.Parse(lines)
	return entries, unparsed, nil
}

// ListPath returns p ready to be LIST's path argument. Servers read an
// argument that starts with "-" as ls options ("LIST -a" lists the current
// folder), so such a path, which can be a name from a listing, is sent as
// "./-name".
func ListPath(p string) string {
	if strings.HasPrefix(p, "-") {
		return "./" + p
	}
	return p
}

// listInside lists folder dir from inside it and returns to the current
// folder. ok is false, with no error, when dir cannot be entered (it is a
// file, or missing): the caller then lists it by name.
func (c *Conn) listInside(ctx context.Context, dir string) (lines []string, ok bool, err error) {
	wd, err := c.Pwd(ctx)
	if err != nil {
		if c.Err() != nil {
			return nil, false, err
		}
		return nil, false, nil
	}
	if err := c.Cwd(ctx, dir); err != nil {
		if c.Err() != nil {
			return nil, false, err
		}
		return nil, false, nil
	}
	lines, lerr := c.readLines(ctx, "LIST", "")
	if err := c.Cwd(ctx, wd); err != nil {
		return nil, false, err
	}
	if lerr != nil {
		return nil, false, lerr
	}
	return lines, true, nil
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
