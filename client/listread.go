package client

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// maxHeldUnparsed is how many unparsable lines a listing holds back until
// it reads an entry (see ListOptions.Unparsed).
const maxHeldUnparsed = 8

// entryReader parses the lines of a listing as they are read and passes
// the entries on. It tells a listing of which no line could be parsed
// from an empty one.
type entryReader struct {
	op       string
	parse    func(line string) (e Entry, skip bool, err error)
	fn       func(Entry) error
	unparsed func(string)
	untimed  func(string)
	text     func([]byte) (string, bool) // the line in UTF-8, and whether exactly (Conn.text)
	charset  string                      // the server's charset, for messages

	lines int      // non-empty lines read
	good  bool     // a line was parsed
	bad   int      // lines that could not be parsed
	first error    // why the first of them could not
	held  []string // unparsable lines held back until an entry is read
}

// newEntryReader returns a reader for the lines of a listing of op (LIST
// or MLSD) that parse reads, told about lines as opt says. parse returns
// ErrSkipLine for a line that holds no entry, skip for an entry to leave
// out ("." and ".."), and errDateUnread with an entry whose date it
// could not read. Each line is decoded from the server's charset before
// it is parsed (see WithCharset); one that is not exactly in it cannot be
// read.
func (c *Conn) newEntryReader(op string, opt ListOptions, fn func(Entry) error, parse func(string) (Entry, bool, error)) *entryReader {
	r := &entryReader{op: op, parse: parse, fn: fn, unparsed: opt.Unparsed, untimed: opt.Untimed, text: c.text}
	if c.opts.charset != nil {
		r.charset = CharsetName(c.opts.charset)
	}
	return r
}

// errDateUnread is returned by a line parser with an entry read from a
// line whose date is in no form it knows: the entry has Precision
// TimeUnknown, and the line is reported (ListOptions.Untimed).
var errDateUnread = errors.New("date in no known form")

// line reads one line.
func (r *entryReader) line(b []byte) error {
	r.lines++
	s, exact := r.text(b)
	var e Entry
	var skip bool
	var err error
	if exact {
		e, skip, err = r.parse(s)
	} else {
		// The unreadable line is reported as the server sent it.
		s = string(b)
		err = fmt.Errorf("ftp: line %q is not %s text", clip(s), r.charset)
	}
	if err == errDateUnread {
		err = nil
		if r.untimed != nil && !skip {
			r.untimed(s)
		}
	}
	switch {
	case errors.Is(err, ErrSkipLine):
		return nil
	case err != nil:
		r.bad++
		if r.first == nil {
			r.first = err
		}
		if r.unparsed == nil {
			return nil
		}
		if !r.good && len(r.held) < maxHeldUnparsed {
			r.held = append(r.held, s)
			return nil
		}
		r.flush()
		r.unparsed(s)
		return nil
	}
	if !r.good {
		r.good = true
		r.flush()
	}
	if skip {
		return nil
	}
	return r.fn(e)
}

// flush passes the held lines on.
func (r *entryReader) flush() {
	for _, l := range r.held {
		r.unparsed(l)
	}
	r.held = nil
}

// end reports a listing that had lines none of which could be parsed: it
// is no empty folder (a server whose dates are in another language, say).
func (r *entryReader) end() error {
	if r.bad > 0 && !r.good {
		return &Error{Kind: KindProtocol, Op: r.op, Err: fmt.Errorf("cannot read the listing: none of its %d lines is in a format ferry knows; the first: %s",
			r.bad, strings.TrimPrefix(r.first.Error(), "ftp: "))}
	}
	return nil
}

// lineParser returns the parse function of an entryReader for the lines
// of one LIST listing, with the clock read once (see listState).
func (p *ListParser) lineParser() func(string) (Entry, bool, error) {
	return p.newListState().entryParser()
}

// NoFolderError reports a folder that cannot be shown to exist: its
// listing came back empty and the server refused to enter it.
type NoFolderError struct {
	// Path is the folder as the caller named it.
	Path string
	// Err is the server's refusal, a *ReplyError.
	Err error
}

// Error says that the folder does not exist and why.
func (e *NoFolderError) Error() string {
	return sanitize(fmt.Sprintf("ftp: %q: no such folder, or not a folder (%s)", e.Path, strings.TrimPrefix(e.Err.Error(), "ftp: ")), true)
}

// Unwrap returns the server's refusal, so that ReplyCode finds its code.
func (e *NoFolderError) Unwrap() error { return e.Err }

// CheckDir makes sure that dir is a folder that exists: MLST says so where
// the server offers it, or else the server lets the connection enter it
// (PWD, CWD dir, CWD back). A refusal (a 5yz reply: the folder is missing,
// is no folder, or may not be entered) gives a *NoFolderError; other
// failures are returned as they are. "", "." and "/" always exist.
func (c *Conn) CheckDir(ctx context.Context, dir string) error {
	if dir == "" || dir == "." || dir == "/" {
		return nil
	}
	if c.HasFeature("MLST") {
		e, err := c.MLST(ctx, dir)
		switch code := ReplyCode(err); {
		case err == nil && e.Type == EntryDir:
			return nil
		case err == nil:
			// A link, say: CWD tells whether it leads to a folder.
		case c.Err() != nil:
			return err
		case code/100 == 5 && code != 500 && code != 502:
			return &NoFolderError{Path: dir, Err: err}
		}
	}
	wd, err := c.Pwd(ctx)
	if err != nil {
		return err
	}
	if err := c.Cwd(ctx, dir); err != nil {
		if c.Err() == nil && ReplyCode(err)/100 == 5 {
			return &NoFolderError{Path: dir, Err: err}
		}
		return err
	}
	return c.Cwd(ctx, wd)
}
