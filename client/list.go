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

// maxListingLine bounds one line of a listing.
const maxListingLine = maxLineBytes * 8

// ListOptions say how ReadDirFunc reads a listing.
type ListOptions struct {
	// Hidden asks a LIST listing for names that start with "." too, with
	// "LIST -a" (most servers hide them otherwise; MLSD shows them).
	Hidden bool
	// Unparsed, when not nil, is told each line that holds an entry in no
	// format the parser knows. Such lines are held back (a few of them)
	// until an entry is read: a listing of which no line can be parsed is
	// an error instead, which names its first line.
	Unparsed func(line string)
	// Untimed, when not nil, is told each LIST line read as an entry
	// although its date is in no form the parser knows (a language
	// without a month table, say): the entry is passed on with Precision
	// TimeUnknown, and callers report the line rather than show the entry
	// as if the server had given no time.
	Untimed func(line string)
	// Confirm makes sure that a listing without a single line is of a
	// folder that exists: servers such as vsftpd answer a listing of a
	// missing folder with an empty one. The folder is checked with
	// CheckDir, whose *NoFolderError ReadDirFunc then returns.
	Confirm bool
}

// eachLine runs a listing command and calls fn with each non-empty line,
// without its line ending, as it is read; the slice is valid only during
// the call. The bytes read are charged to the connection's budget, and a
// line longer than maxListingLine is an error. An error of fn or of the
// budget aborts the transfer and is returned. For NLST and LIST, the reply
// "450 No files found" (proftpd, for an empty folder or a pattern that
// matches nothing; wu-ftpd sends it with 550) is an empty listing.
func (c *Conn) eachLine(ctx context.Context, verb, arg string, fn func(line []byte) error) error {
	t, err := c.openTransfer(ctx, verb, arg, 0, false)
	if err != nil {
		if verb != "MLSD" && noFilesFound(err) {
			return nil
		}
		return err
	}
	budget := c.listBudget()
	br := bufio.NewReaderSize(t, maxListingLine)
	for {
		line, rerr := br.ReadSlice('\n')
		var stop error
		switch {
		case errors.Is(rerr, bufio.ErrBufferFull):
			stop = &Error{Kind: KindProtocol, Op: verb, Err: fmt.Errorf("listing line longer than %d bytes", maxListingLine)}
		case rerr != nil && rerr != io.EOF:
			// Close aborts the listing and reports the failed data
			// connection with the server's reply.
			if cerr := t.Close(); cerr != nil {
				return cerr
			}
			return &Error{Kind: KindConnection, Op: verb + " data connection", Err: rerr}
		}
		if stop == nil {
			stop = budget.read(len(line))
		}
		if stop == nil {
			line = bytes.TrimSuffix(bytes.TrimSuffix(line, []byte{'\n'}), []byte{'\r'})
			if len(line) > 0 {
				stop = fn(line)
			}
		}
		if stop != nil {
			// Close aborts a listing cut short.
			if cerr := t.Close(); t.err != nil {
				return cerr
			}
			return stop
		}
		if rerr == io.EOF {
			if err := t.Close(); err != nil {
				return err
			}
			return incompleteListing(verb, t.final)
		}
	}
}

// incompleteListing reports a listing whose final reply, though a
// success, says that it is not whole: pure-ftpd's "226 Output truncated
// to 10000 matches", vsftpd's "226 Transfer done (but failed to open
// directory)". Such a listing must not be taken for the folder's
// contents (a mirror would delete what it left out).
func incompleteListing(verb, final string) error {
	msg := strings.ToLower(final)
	for _, s := range []string{"truncated", "failed to open", "cannot open", "could not open", "permission denied", "incomplete"} {
		if strings.Contains(msg, s) {
			return &Error{Kind: KindProtocol, Op: verb, Err: fmt.Errorf("%w: the server replied %q", ErrListingIncomplete, clip(final))}
		}
	}
	return nil
}

// ErrListingIncomplete marks a listing that the server itself says is not
// whole (see incompleteListing).
var ErrListingIncomplete = errors.New("listing incomplete")

// noFilesFound reports the reply of some servers to a listing of nothing.
func noFilesFound(err error) bool {
	var re *ReplyError
	return errors.As(err, &re) && (re.Code == 450 || re.Code == 550) &&
		strings.Contains(strings.ToLower(re.Msg), "no files found")
}

// ListLinesFunc issues a LIST command with the given argument (a path, or
// options such as "-a" where the server takes them) and calls fn with each
// raw line as it is read, without its line ending (decoded from the
// server's charset, see WithCharset). An error fn returns stops the
// listing and is returned.
func (c *Conn) ListLinesFunc(ctx context.Context, arg string, fn func(line string) error) error {
	return c.eachLine(ctx, "LIST", arg, func(line []byte) error { return fn(c.textLine(line)) })
}

// NameListFunc issues an NLST command and calls fn with each name as it is
// read. A reply "450 No files found" is an empty list; a folder that is
// not there is a *NoFolderError (see missingFolder).
func (c *Conn) NameListFunc(ctx context.Context, path string, fn func(name string) error) error {
	lines := 0
	err := c.eachLine(ctx, "NLST", path, func(line []byte) error {
		lines++
		return fn(c.textLine(line))
	})
	if err != nil && lines == 0 {
		return c.missingFolder(ctx, path, err)
	}
	return err
}

// keepLines collects the lines of a listing, charging each to the budget.
// Each line is a string of its own, exactly sized; the lines are gathered
// in blocks and copied once into the result, so a listing costs its text
// plus one string header a line.
func (c *Conn) keepLines(ctx context.Context, verb, arg string) ([]string, error) {
	var blocks [][]string
	block := make([]string, 0, 256)
	budget := c.listBudget()
	err := c.eachLine(ctx, verb, arg, func(line []byte) error {
		if err := budget.Keep(1 + len(line)/pathUnit); err != nil {
			return err
		}
		if len(block) == cap(block) {
			blocks = append(blocks, block)
			block = make([]string, 0, min(2*cap(block), 16<<10))
		}
		block = append(block, c.textLine(line))
		return nil
	})
	if err != nil {
		return nil, err
	}
	return slices.Concat(append(blocks, block)...), nil
}

// NameList issues an NLST command and returns the names it lists. A reply
// "450 No files found" is an empty list; a folder that is not there is a
// *NoFolderError (see missingFolder). The names count against the
// connection's budget (see Limits.Entries); NameListFunc streams them.
func (c *Conn) NameList(ctx context.Context, path string) ([]string, error) {
	names, err := c.keepLines(ctx, "NLST", path)
	if err != nil {
		return nil, c.missingFolder(ctx, path, err)
	}
	return names, nil
}

// ListLines issues a LIST command with the given argument (a path, or
// options such as "-a" where the server takes them) and returns the raw
// lines. The lines count against the connection's budget (see
// Limits.Entries); ListLinesFunc streams them.
func (c *Conn) ListLines(ctx context.Context, arg string) ([]string, error) {
	return c.keepLines(ctx, "LIST", arg)
}

// ReadDirFunc lists folder dir as ReadDir does, with MLSD where the server
// offers MLST and with LIST otherwise, and calls fn with each entry as it
// is read, in the server's order, leaving out the folder itself and its
// parent ("." and "..", "cdir" and "pdir"). An error fn returns stops the
// listing and is returned. A listing of which no line can be parsed is an
// error (KindProtocol) that names the first line; see ListOptions for
// lines that cannot be parsed among good ones and for empty listings.
//
// Only the listing's bytes are charged to the connection's budget: a
// caller that keeps entries charges them with Budget.KeepPath.
//
// A server that refuses MLSD (see Refusals) is listed with LIST. A folder
// that is not there is a *NoFolderError, however the server says so (see
// missingFolder).
func (c *Conn) ReadDirFunc(ctx context.Context, dir string, opt ListOptions, fn func(Entry) error) error {
	if err := c.ensureFeatures(ctx); err != nil {
		return err
	}
	if c.listed("MLST") && !c.Refused("MLSD") {
		fellBack, err := c.readMLSD(ctx, dir, opt, fn)
		if !fellBack {
			return err
		}
		c.tracef("listing %q with LIST instead", dir)
	}
	return c.listFunc(ctx, dir, opt, fn)
}

// listFunc issues a LIST command for path and parses the lines (Unix ls
// -l, Microsoft IIS/DOS, EPLF) as they are read.
//
// A folder whose name holds white space is listed from inside (PWD, CWD,
// LIST, CWD back): servers such as pure-ftpd split LIST's argument on
// spaces into patterns and answer "226 0 matches" for it.
func (c *Conn) listFunc(ctx context.Context, path string, opt ListOptions, fn func(Entry) error) error {
	p := ListParser{Now: c.opts.now, Location: c.listLocation()}
	r := c.newEntryReader("LIST", opt, fn, p.lineParser())
	j := &lineJoiner{next: r.line}
	flag := c.listFlag(opt.Hidden)
	if strings.ContainsAny(path, " \t") {
		inside, err := c.listInside(ctx, path, flag, j.line)
		if err != nil {
			return err
		}
		if inside {
			// Entered, so the folder exists even when empty.
			if err := j.flush(); err != nil {
				return err
			}
			return r.end()
		}
	}
	var only *Entry // the one entry, while there is only one
	count := 0
	check := func(e Entry) error {
		if count++; count == 1 {
			only = &e
		} else {
			only = nil
		}
		return fn(e)
	}
	r = c.newEntryReader("LIST", opt, check, p.lineParser())
	j = &lineJoiner{next: r.line}
	if err := c.listWithFlag(ctx, flag, ListPath(path), j.line); err != nil {
		if r.lines == 0 {
			return c.missingFolder(ctx, path, err)
		}
		return err
	}
	if err := j.flush(); err != nil {
		return err
	}
	if err := r.end(); err != nil {
		if count == 0 && r.lines <= maxComplaintLines {
			// Perhaps ls's "x: No such file or directory".
			if merr := c.missingFolder(ctx, path, fmt.Errorf("%w: %w", errLsComplaint, err)); merr != nil && !errors.Is(merr, errLsComplaint) {
				return merr
			}
		}
		return err
	}
	if r.lines == 0 && opt.Confirm {
		return c.CheckDir(ctx, path)
	}
	if only != nil && only.Type == EntryDir && path != "" && only.Name == pathBase(path) {
		// vsftpd answers LIST of a folder it may enter but not read
		// with the folder's own line, as "ls -d" would: a folder "a"
		// that seems to hold only a folder "a" may be that. Enter the
		// inner one to tell.
		if err := c.CheckDir(ctx, strings.TrimSuffix(path, "/")+"/"+only.Name); err != nil {
			var nf *NoFolderError
			if errors.As(err, &nf) {
				return &Error{Kind: KindProtocol, Op: "LIST", Err: fmt.Errorf("%w: %s cannot be read (the server listed the folder itself)", ErrListingIncomplete, path)}
			}
			return err
		}
	}
	return nil
}

// listFlag returns the flag LIST takes to show names that start with "."
// when hidden is set: "-a", unless the session found that the server takes
// it for a path (see listWithFlag).
func (c *Conn) listFlag(hidden bool) string {
	if !hidden || c.Refused("LIST -a") {
		return ""
	}
	return "-a"
}

// listWithFlag runs "LIST flag arg", passing each line to fn. Servers such
// as Twisted and aioftp take "-a" for a path ("550 path does not
// exists"): when the server refuses the command with a 5xx reply before
// any line, "LIST arg" is tried, and if that works the session sends no
// flag again (Refusals "LIST -a"). Such servers list every name anyway.
func (c *Conn) listWithFlag(ctx context.Context, flag, arg string, fn func([]byte) error) error {
	lines := 0
	count := func(b []byte) error {
		lines++
		return fn(b)
	}
	err := c.eachLine(ctx, "LIST", strings.TrimSpace(flag+" "+arg), count)
	if err == nil || flag == "" || lines > 0 || c.Err() != nil || ctx.Err() != nil || ReplyCode(err)/100 != 5 {
		return err
	}
	if perr := c.eachLine(ctx, "LIST", arg, count); perr != nil {
		return perr
	}
	c.refuse("LIST -a", err)
	return nil
}

// pathBase returns the last element of a slash-separated path, without
// a trailing slash.
func pathBase(p string) string {
	p = strings.TrimRight(p, "/")
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		return p[i+1:]
	}
	return p
}

// mlsdFunc issues an MLSD command (RFC 3659 section 7) for dir and parses
// the lines as they are read.
func (c *Conn) mlsdFunc(ctx context.Context, dir string, opt ListOptions, fn func(Entry) error) error {
	_, err := c.readMLSD(ctx, dir, opt, fn)
	return err
}

// readMLSD is mlsdFunc; fellBack reports a refusal of MLSD itself (see
// mlsdRefused), with err, after which dir is to be listed with LIST.
func (c *Conn) readMLSD(ctx context.Context, dir string, opt ListOptions, fn func(Entry) error) (fellBack bool, err error) {
	parse := func(line string) (Entry, bool, error) {
		e, err := ParseMLSxLine(line)
		if err != nil {
			return Entry{}, false, err
		}
		return e, SkipMLSx(e), nil
	}
	r := c.newEntryReader("MLSD", opt, fn, parse)
	if err := c.eachLine(ctx, "MLSD", dir, r.line); err != nil {
		if r.lines == 0 {
			return c.mlsdRefused(ctx, dir, err)
		}
		return false, err
	}
	if err := r.end(); err != nil {
		return false, err
	}
	if r.lines == 0 && opt.Confirm {
		return false, c.CheckDir(ctx, dir)
	}
	return false, nil
}

// List issues a LIST command for path and returns the parsed entries
// (Unix ls -l, Microsoft IIS/DOS, EPLF). Lines it cannot parse are
// returned in unparsed, never dropped; a listing of which no line can be
// parsed is an error. "." and ".." are left out. The entries count
// against the connection's budget (see Limits.Entries).
func (c *Conn) List(ctx context.Context, path string) (entries []Entry, unparsed []string, err error) {
	return c.collect(ctx, c.listFunc, path)
}

// MLSD issues an MLSD command (RFC 3659 section 7) for dir and returns its
// entries, without the "cdir" and "pdir" entries. Lines it cannot parse are
// returned in unparsed. The entries count against the connection's budget.
func (c *Conn) MLSD(ctx context.Context, dir string) (entries []Entry, unparsed []string, err error) {
	return c.collect(ctx, c.mlsdFunc, dir)
}

// ReadDir lists dir with MLSD when the server offers MLST in FEAT, and with
// LIST otherwise, and returns the entries, which count against the
// connection's budget (see Limits.Entries); ReadDirFunc streams them. It
// calls Features when it has not been called yet.
func (c *Conn) ReadDir(ctx context.Context, dir string) (entries []Entry, unparsed []string, err error) {
	return c.collect(ctx, c.ReadDirFunc, dir)
}

// collect gathers what a streamed listing yields, charging each entry and
// unparsed line to the budget.
func (c *Conn) collect(ctx context.Context, list func(context.Context, string, ListOptions, func(Entry) error) error, dir string) (entries []Entry, unparsed []string, err error) {
	budget := c.listBudget()
	var kerr error
	opt := ListOptions{Unparsed: func(line string) {
		if kerr == nil {
			if kerr = budget.KeepPath(line); kerr == nil {
				unparsed = append(unparsed, line)
			}
		}
	}}
	err = list(ctx, dir, opt, func(e Entry) error {
		if kerr != nil {
			return kerr
		}
		// The facts of MLSD weigh like a longer name.
		if err := budget.Keep(1 + (len(e.Name)+32*len(e.Facts))/pathUnit); err != nil {
			return err
		}
		entries = append(entries, e)
		return nil
	})
	if err == nil {
		err = kerr
	}
	if err != nil {
		return nil, nil, err
	}
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

// listInside lists folder dir from inside it, with LIST and flag, and
// returns to the current folder. ok is false, with no error, when dir
// cannot be entered (it is a file, or missing): the caller then lists it
// by name.
func (c *Conn) listInside(ctx context.Context, dir, flag string, fn func([]byte) error) (ok bool, err error) {
	wd, err := c.Pwd(ctx)
	if err != nil {
		if c.Err() != nil {
			return false, err
		}
		return false, nil
	}
	if err := c.Cwd(ctx, dir); err != nil {
		if c.Err() != nil {
			return false, err
		}
		return false, nil
	}
	lerr := c.listWithFlag(ctx, flag, "", fn)
	if err := c.Cwd(ctx, wd); err != nil {
		return false, err
	}
	if lerr != nil {
		return false, lerr
	}
	return true, nil
}

// MLST issues an MLST command (RFC 3659 section 7) and returns the facts
// of path, sent over the control connection. A refusal as not implemented
// (500, 502) is recorded (see Refusals): HasFeature("MLST") is false from
// then on.
func (c *Conn) MLST(ctx context.Context, path string) (Entry, error) {
	e, err := c.mlst(ctx, path)
	if err != nil && c.Err() == nil && refusalOf(err) == refusedCmd {
		c.refuse("MLST", err)
	}
	return e, err
}

// mlst issues an MLST command.
func (c *Conn) mlst(ctx context.Context, path string) (Entry, error) {
	reply, err := c.exchange(ctx, 250, "MLST", path)
	if err != nil {
		return Entry{}, err
	}
	return mlstEntry(reply)
}

// mlstEntry reads the entry of a 250 reply to MLST (RFC 3659 section 7).
func mlstEntry(reply *Reply) (Entry, error) {
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
