package ftptest

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path"
	"slices"
	"strings"
	"time"
)

// mlstFacts are the RFC 3659 facts the server offers, in output order.
var mlstFacts = []string{"type", "size", "modify", "perm", "unix.mode"}

// factList renders the facts for FEAT ("type*;size*;", with * on the
// selected ones) or for OPTS MLST (the selected ones only).
func (s *session) factList(feat bool) string {
	var b strings.Builder
	for _, f := range mlstFacts {
		switch {
		case feat && s.facts[f]:
			b.WriteString(f + "*;")
		case feat || s.facts[f]:
			b.WriteString(f + ";")
		}
	}
	return b.String()
}

// entry is one name in a listing.
type entry struct {
	name   string
	info   fs.FileInfo // Lstat, or Stat for "." and ".."
	target string      // symlink target
	typ    string      // MLSD type override ("cdir", "pdir")
}

// readDir returns the entries of the directory at vpath, sorted by name.
func (s *session) readDir(vpath string) ([]entry, error) {
	f, err := s.srv.root.Open(rel(vpath))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	des, err := f.ReadDir(-1)
	if err != nil {
		return nil, err
	}
	var out []entry
	for _, de := range des {
		info, err := de.Info()
		if err != nil {
			continue // vanished meanwhile
		}
		e := entry{name: de.Name(), info: info}
		if info.Mode()&fs.ModeSymlink != 0 {
			e.target, _ = os.Readlink(s.hostPath(path.Join(vpath, e.name)))
		}
		out = append(out, e)
	}
	slices.SortFunc(out, func(a, b entry) int { return strings.Compare(a.name, b.name) })
	return out, nil
}

// dotEntries returns "." and ".." for vpath (".." of "/" is "/").
func (s *session) dotEntries(vpath string) []entry {
	var out []entry
	for _, d := range []struct{ name, typ, p string }{{".", "cdir", vpath}, {"..", "pdir", path.Dir(vpath)}} {
		if info, err := s.srv.root.Stat(rel(d.p)); err == nil {
			out = append(out, entry{name: d.name, info: info, typ: d.typ})
		}
	}
	return out
}

// listArgs splits "LIST -la path" into the -a flag and the path.
func listArgs(arg string) (all bool, name string) {
	for strings.HasPrefix(arg, "-") {
		opt, rest, _ := strings.Cut(arg, " ")
		all = all || strings.Contains(opt, "a")
		arg = strings.TrimLeft(rest, " ")
	}
	return all, arg
}

// lsEntries returns what "ls [-a] name" shows: the entries of a directory
// (dot files only with -a), or the file itself.
func (s *session) lsEntries(arg string) ([]entry, error) {
	all, name := listArgs(arg)
	p := s.resolve(name)
	st, err := s.srv.root.Stat(rel(p))
	if err != nil {
		return nil, err
	}
	if !st.IsDir() {
		return []entry{{name: name, info: st}}, nil
	}
	es, err := s.readDir(p)
	if err != nil {
		return nil, err
	}
	if all {
		return append(s.dotEntries(p), es...), nil
	}
	return slices.DeleteFunc(es, func(e entry) bool { return strings.HasPrefix(e.name, ".") }), nil
}

// lsLine formats e as "ls -l" does: the time as "Jan _2 15:04" within the
// last six months, else "Jan _2  2006" (GNU ls), in loc (Config.ListZone,
// UTC when nil).
func lsLine(e entry, now time.Time, loc *time.Location) string {
	nlink := 1
	if e.info.IsDir() {
		nlink = 2
	}
	name := e.name
	if e.target != "" {
		name += " -> " + e.target
	}
	return fmt.Sprintf("%s %4d %-8s %-8s %8d %s %s", modeString(e.info.Mode()), nlink, "ftp", "ftp",
		e.info.Size(), lsTime(e.info.ModTime(), now, loc), name)
}

func lsTime(t, now time.Time, loc *time.Location) string {
	const sixMonths = 15778476 * time.Second // half a Gregorian year, as GNU ls
	if loc == nil {
		loc = time.UTC
	}
	t, now = t.In(loc), now.In(loc)
	if t.After(now.Add(-sixMonths)) && !t.After(now) {
		return t.Format("Jan _2 15:04")
	}
	return t.Format("Jan _2  2006")
}

// modeString renders m as ls does ("drwxr-xr-x", "-rwsr-x--T").
func modeString(m fs.FileMode) string {
	b := []byte("----------")
	switch {
	case m&fs.ModeDir != 0:
		b[0] = 'd'
	case m&fs.ModeSymlink != 0:
		b[0] = 'l'
	case m&fs.ModeNamedPipe != 0:
		b[0] = 'p'
	case m&fs.ModeSocket != 0:
		b[0] = 's'
	case m&fs.ModeCharDevice != 0:
		b[0] = 'c'
	case m&fs.ModeDevice != 0:
		b[0] = 'b'
	}
	const rwx = "rwxrwxrwx"
	for i := range 9 {
		if m&(1<<(8-i)) != 0 {
			b[i+1] = rwx[i]
		}
	}
	special := func(i int, set bool, c byte) {
		if !set {
			return
		}
		if b[i] == 'x' {
			b[i] = c
		} else {
			b[i] = c - 'a' + 'A'
		}
	}
	special(3, m&fs.ModeSetuid != 0, 's')
	special(6, m&fs.ModeSetgid != 0, 's')
	special(9, m&fs.ModeSticky != 0, 't')
	return string(b)
}

// unixMode returns the octal permission bits of m, with setuid, setgid
// and sticky.
func unixMode(m fs.FileMode) uint32 {
	u := uint32(m.Perm())
	if m&fs.ModeSetuid != 0 {
		u |= 0o4000
	}
	if m&fs.ModeSetgid != 0 {
		u |= 0o2000
	}
	if m&fs.ModeSticky != 0 {
		u |= 0o1000
	}
	return u
}

// mlsx formats the facts of one object and its name (RFC 3659 section
// 7.2): "type=file;size=3;...; name". A symbolic link is
// "OS.unix=slink:TARGET", as pure-ftpd and proftpd list it (MLST of a link
// by its own name, as in a folder's listing).
func (s *session) mlsx(e entry, vpath string) string {
	info, typ := e.info, e.typ
	if typ == "" && info.Mode()&fs.ModeSymlink != 0 {
		typ = "OS.unix=slink:" + e.target
	}
	if typ == "" {
		switch {
		case info.IsDir():
			typ = "dir"
		case info.Mode().IsRegular():
			typ = "file"
		default:
			typ = "OS.unix=special"
		}
	}
	m := info.Mode()
	var b strings.Builder
	if s.facts["type"] {
		b.WriteString("type=" + typ + ";")
	}
	if s.facts["size"] && typ == "file" {
		fmt.Fprintf(&b, "size=%d;", info.Size())
	}
	if s.facts["modify"] {
		b.WriteString("modify=" + info.ModTime().UTC().Format(timeFormat) + ";")
	}
	if s.facts["perm"] {
		b.WriteString("perm=" + permFact(m) + ";")
	}
	if s.facts["unix.mode"] {
		fmt.Fprintf(&b, "unix.mode=%04o;", unixMode(m))
	}
	return b.String() + " " + e.name
}

// permFact derives the RFC 3659 section 7.5.5 perm fact from the owner bits.
func permFact(m fs.FileMode) string {
	var p string
	if m.IsDir() {
		if m&0o100 != 0 {
			p += "e"
		}
		if m&0o400 != 0 {
			p += "l"
		}
		if m&0o200 != 0 {
			p += "cdfmp"
		}
		return p
	}
	if m&0o200 != 0 {
		p += "adfw"
	}
	if m&0o400 != 0 {
		p += "r"
	}
	return p
}

// sendListing starts a listing transfer with what build returns (or the
// hook's Transfer.Data); build replies itself when it fails.
func (s *session) sendListing(build func() ([]byte, bool)) {
	s.takeRest()
	if !s.dataReady() {
		return
	}
	if s.xopts != nil && s.xopts.Source != nil {
		s.startTransfer(&xfer{src: s.xopts.Source(), mark: "Here comes the directory listing."})
		return
	}
	var data []byte
	if s.xopts != nil && s.xopts.Data != nil {
		data = s.xopts.Data
	} else {
		var ok bool
		if data, ok = build(); !ok {
			return
		}
	}
	s.startTransfer(&xfer{src: bytes.NewReader(data), mark: "Here comes the directory listing."})
}

// missingListing answers a listing of arg, which is not there: 550, or
// with Config.MissingListing450 an empty listing that ends with 450.
func (s *session) missingListing(arg string) ([]byte, bool) {
	if !s.srv.cfg.MissingListing450 {
		s.reply(550, "No such file or directory.")
		return nil, false
	}
	var o Transfer
	if s.xopts != nil {
		o = *s.xopts
	}
	_, name := listArgs(arg)
	o.Final = &Reply{Code: 450, Text: name + ": No such file or directory"}
	s.xopts = &o
	return nil, true
}

func cmdLIST(s *session, arg string) {
	s.sendListing(func() ([]byte, bool) {
		es, err := s.lsEntries(arg)
		if err != nil {
			return s.missingListing(arg)
		}
		var b bytes.Buffer
		now := s.srv.cfg.Now()
		for _, e := range es {
			b.WriteString(lsLine(e, now, s.srv.cfg.ListZone) + "\r\n")
		}
		return b.Bytes(), true
	})
}

func cmdNLST(s *session, arg string) {
	s.sendListing(func() ([]byte, bool) {
		es, err := s.lsEntries(arg)
		if err != nil {
			return s.missingListing(arg)
		}
		var b bytes.Buffer
		for _, e := range es {
			b.WriteString(e.name + "\r\n")
		}
		return b.Bytes(), true
	})
}

// cmdMLSD: RFC 3659 section 7; the listing starts with the cdir and pdir
// entries, as proftpd and pure-ftpd send them.
func cmdMLSD(s *session, arg string) {
	s.sendListing(func() ([]byte, bool) {
		p := s.resolve(arg)
		st, err := s.srv.root.Stat(rel(p))
		if err != nil || !st.IsDir() {
			s.reply(501, "Not a directory.")
			return nil, false
		}
		es, err := s.readDir(p)
		if err != nil {
			s.reply(550, "Cannot read the directory.")
			return nil, false
		}
		var b bytes.Buffer
		for _, e := range append(s.dotEntries(p), es...) {
			b.WriteString(s.mlsx(e, path.Join(p, e.name)) + "\r\n")
		}
		return b.Bytes(), true
	})
}

// cmdMLST answers over the control connection (RFC 3659 section 7.2.2).
func cmdMLST(s *session, arg string) {
	p := s.resolve(arg)
	st, err := s.srv.root.Stat(rel(p))
	if err != nil {
		s.reply(550, "No such file or directory.")
		return
	}
	s.reply(250, "Listing %s\n %s\nEnd.", p, s.mlsx(entry{name: p, info: st}, p))
}

// statPath serves "STAT path": an ls -l listing over the control
// connection (RFC 959 section 4.1.3).
func (s *session) statPath(arg string) {
	es, err := s.lsEntries(arg)
	if err != nil {
		s.reply(450, "No such file or directory.")
		return
	}
	lines := []string{"Status follows:"}
	now := s.srv.cfg.Now()
	for _, e := range es {
		lines = append(lines, lsLine(e, now, s.srv.cfg.ListZone))
	}
	s.reply(213, "%s", strings.Join(append(lines, "End of status"), "\n"))
}
