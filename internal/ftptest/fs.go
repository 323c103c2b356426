package ftptest

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Paths: the client sees a virtual tree whose "/" is the served folder.
// Every access goes through os.Root, so neither ".." nor a symlink leads
// out of it. The few operations os.Root lacks in Go 1.24 (rename, chmod,
// chtimes, readlink) use the host path after os.Root has resolved the same
// name inside the root.

// resolve returns the clean virtual absolute path of arg.
func (s *session) resolve(arg string) string {
	p := arg
	if !strings.HasPrefix(p, "/") {
		p = path.Join(s.cwd, p)
	}
	return path.Clean("/" + p)
}

// rel maps a virtual path to a name for os.Root.
func rel(vpath string) string {
	if r := strings.TrimPrefix(vpath, "/"); r != "" {
		return r
	}
	return "."
}

// hostPath returns the host path of a virtual path that os.Root resolved.
func (s *session) hostPath(vpath string) string {
	return filepath.Join(s.srv.rootDir, filepath.FromSlash(rel(vpath)))
}

// quotePath quotes a path for a 257 reply (RFC 959 appendix II).
func quotePath(p string) string {
	return `"` + strings.ReplaceAll(p, `"`, `""`) + `"`
}

func cmdPWD(s *session, _ string) {
	s.reply(257, "%s is the current directory", quotePath(s.cwd))
}

func cmdCWD(s *session, arg string) {
	if arg == "" {
		s.reply(501, "CWD needs a path.")
		return
	}
	p := s.resolve(arg)
	st, err := s.srv.root.Stat(rel(p))
	if err != nil || !st.IsDir() {
		s.reply(550, "Failed to change directory.")
		return
	}
	s.cwd = p
	s.reply(250, "Directory successfully changed.")
}

func cmdCDUP(s *session, _ string) { cmdCWD(s, "..") }

func cmdMKD(s *session, arg string) {
	p := s.resolve(arg)
	if arg == "" || s.srv.root.Mkdir(rel(p), 0o755) != nil {
		s.reply(550, "Create directory operation failed.")
		return
	}
	s.reply(257, "%s created", quotePath(p))
}

func cmdRMD(s *session, arg string) {
	p := s.resolve(arg)
	st, err := s.srv.root.Lstat(rel(p))
	if arg == "" || p == "/" || err != nil || !st.IsDir() || s.srv.root.Remove(rel(p)) != nil {
		s.reply(550, "Remove directory operation failed.")
		return
	}
	s.reply(250, "Remove directory operation successful.")
}

func cmdDELE(s *session, arg string) {
	p := s.resolve(arg)
	st, err := s.srv.root.Lstat(rel(p))
	if arg == "" || err != nil || st.IsDir() || s.srv.root.Remove(rel(p)) != nil {
		s.reply(550, "Delete operation failed.")
		return
	}
	s.reply(250, "Delete operation successful.")
}

func cmdRNFR(s *session, arg string) {
	p := s.resolve(arg)
	if _, err := s.srv.root.Lstat(rel(p)); arg == "" || p == "/" || err != nil {
		s.reply(550, "RNFR command failed.")
		return
	}
	s.rnfr = p
	s.reply(350, "Ready for RNTO.")
}

// cmdRNTO renames the RNFR path, which must be the previous command.
func cmdRNTO(s *session, arg string) {
	from := s.renameFrom
	if from == "" {
		s.reply(503, "RNFR required first.")
		return
	}
	to := s.resolve(arg)
	root := s.srv.root
	_, errFrom := root.Lstat(rel(from))
	dir, errDir := root.Stat(rel(path.Dir(to)))
	if arg == "" || to == "/" || errFrom != nil || errDir != nil || !dir.IsDir() ||
		os.Rename(s.hostPath(from), s.hostPath(to)) != nil {
		s.reply(550, "Rename failed.")
		return
	}
	s.reply(250, "Rename successful.")
}

// regular returns the file info of a regular file at arg (following
// symlinks inside the root).
func (s *session) regular(arg string) (fs.FileInfo, bool) {
	if arg == "" {
		return nil, false
	}
	st, err := s.srv.root.Stat(rel(s.resolve(arg)))
	if err != nil || !st.Mode().IsRegular() {
		return nil, false
	}
	return st, true
}

// cmdSIZE: RFC 3659 section 4; in TYPE A it counts the CRLFs a RETR sends.
func cmdSIZE(s *session, arg string) {
	st, ok := s.regular(arg)
	if !ok {
		s.reply(550, "Could not get file size.")
		return
	}
	size := st.Size()
	if !s.binary {
		f, err := s.srv.root.Open(rel(s.resolve(arg)))
		if err != nil {
			s.reply(550, "Could not get file size.")
			return
		}
		defer f.Close()
		r := bufio.NewReader(f)
		for {
			line, err := r.ReadSlice('\n')
			if bytes.HasSuffix(line, []byte{'\n'}) {
				size++
			}
			if err != nil && err != bufio.ErrBufferFull {
				break
			}
		}
	}
	s.reply(213, "%d", size)
}

const timeFormat = "20060102150405" // RFC 3659 section 2.3, UTC

// cmdMDTM: RFC 3659 section 3.
func cmdMDTM(s *session, arg string) {
	st, ok := s.regular(arg)
	if !ok {
		s.reply(550, "Could not get file modification time.")
		return
	}
	s.reply(213, "%s", st.ModTime().UTC().Format(timeFormat))
}

// cmdMFMT sets a modification time (draft-somers-ftp-mfxx):
// "MFMT YYYYMMDDHHMMSS path" -> "213 Modify=YYYYMMDDHHMMSS; path".
func cmdMFMT(s *session, arg string) {
	ts, name, _ := strings.Cut(arg, " ")
	t, err := time.Parse(timeFormat, ts)
	if err != nil || name == "" || len(ts) < len(timeFormat) {
		s.reply(501, "MFMT needs YYYYMMDDHHMMSS and a path.")
		return
	}
	p := s.resolve(name)
	if _, err := s.srv.root.Stat(rel(p)); err != nil || os.Chtimes(s.hostPath(p), t, t) != nil {
		s.reply(550, "Could not set the modification time.")
		return
	}
	s.reply(213, "Modify=%s; %s", t.UTC().Format(timeFormat), name)
}

func cmdSITE(s *session, arg string) {
	sub, rest, _ := strings.Cut(strings.TrimSpace(arg), " ")
	switch strings.ToUpper(sub) {
	case "CHMOD":
		mode, name, _ := strings.Cut(strings.TrimSpace(rest), " ")
		m, err := strconv.ParseUint(mode, 8, 32)
		if err != nil || m > 0o7777 || name == "" {
			s.reply(501, "SITE CHMOD needs an octal mode and a path.")
			return
		}
		fm := fs.FileMode(m & 0o777)
		if m&0o4000 != 0 {
			fm |= fs.ModeSetuid
		}
		if m&0o2000 != 0 {
			fm |= fs.ModeSetgid
		}
		if m&0o1000 != 0 {
			fm |= fs.ModeSticky
		}
		p := s.resolve(name)
		if _, err := s.srv.root.Stat(rel(p)); err != nil || os.Chmod(s.hostPath(p), fm) != nil {
			s.reply(550, "SITE CHMOD command failed.")
			return
		}
		s.reply(200, "SITE CHMOD command ok.")
	case "HELP":
		s.reply(214, "CHMOD HELP")
	default:
		s.reply(500, "Unknown SITE command.")
	}
}

// cmdHASH: draft-bryan-ftpext-hash, whole file:
// "213 SHA-256 0-SIZE HEX name".
func cmdHASH(s *session, arg string) {
	if _, ok := s.regular(arg); !ok {
		s.reply(550, "Could not hash the file.")
		return
	}
	f, err := s.srv.root.Open(rel(s.resolve(arg)))
	if err != nil {
		s.reply(550, "Could not hash the file.")
		return
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		s.reply(451, "Could not read the file.")
		return
	}
	s.reply(213, "SHA-256 0-%d %x %s", n, h.Sum(nil), arg)
}

func cmdREST(s *session, arg string) {
	n, err := strconv.ParseInt(arg, 10, 64)
	if err != nil || n < 0 {
		s.reply(501, "REST needs a non-negative offset.")
		return
	}
	s.rest = n
	s.reply(350, "Restart position accepted (%d).", n)
}

func cmdRETR(s *session, arg string) {
	off := s.takeRest()
	if !s.dataReady() {
		return
	}
	x := &xfer{ascii: !s.binary}
	if s.xopts != nil && s.xopts.Source != nil {
		x.src = s.xopts.Source()
		x.mark = "Opening BINARY mode data connection for " + arg + "."
		s.startTransfer(x)
		return
	}
	if s.xopts != nil && s.xopts.Data != nil {
		x.src = bytes.NewReader(s.xopts.Data)
		x.mark = s.markText(arg, int64(len(s.xopts.Data)))
		s.startTransfer(x)
		return
	}
	f, err := s.srv.root.Open(rel(s.resolve(arg)))
	if err != nil || arg == "" {
		s.reply(550, "Failed to open file.")
		return
	}
	st, err := f.Stat()
	if err == nil && !st.Mode().IsRegular() {
		err = fs.ErrInvalid
	}
	if err == nil && off > 0 {
		_, err = f.Seek(off, io.SeekStart)
	}
	if err != nil {
		f.Close()
		s.reply(550, "Failed to open file.")
		return
	}
	x.file, x.src = f, f
	x.mark = s.markText(arg, st.Size())
	s.startTransfer(x)
}

func (s *session) markText(name string, size int64) string {
	mode := "ASCII"
	if s.binary {
		mode = "BINARY"
	}
	return "Opening " + mode + " mode data connection for " + name + " (" + strconv.FormatInt(size, 10) + " bytes)."
}

// store starts an upload to the file opened with flag; REST before STOR
// writes from the offset without truncating.
func (s *session) store(arg string, flag int, off int64) {
	if !s.dataReady() {
		return
	}
	f, err := s.srv.root.OpenFile(rel(s.resolve(arg)), flag, 0o644)
	if err != nil || arg == "" {
		if f != nil {
			f.Close()
		}
		s.reply(553, "Could not create file.")
		return
	}
	if off > 0 {
		if _, err := f.Seek(off, io.SeekStart); err != nil {
			f.Close()
			s.reply(553, "Could not create file.")
			return
		}
	}
	s.startTransfer(&xfer{upload: true, file: f, dst: f, ascii: !s.binary, mark: "Ok to send data."})
}

func cmdSTOR(s *session, arg string) {
	off := s.takeRest()
	flag := os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	if off > 0 {
		flag = os.O_WRONLY | os.O_CREATE
	}
	s.store(arg, flag, off)
}

func cmdAPPE(s *session, arg string) {
	s.takeRest()
	s.store(arg, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0)
}

// cmdSTOU stores under a new unique name, given in the 150 reply as
// "FILE: name" (RFC 1123 section 4.1.2.9).
func cmdSTOU(s *session, _ string) {
	s.takeRest()
	if !s.dataReady() {
		return
	}
	for i := 1; i < 1000; i++ {
		name := "stou." + strconv.Itoa(i)
		f, err := s.srv.root.OpenFile(rel(s.resolve(name)), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err == nil {
			s.startTransfer(&xfer{upload: true, file: f, dst: f, ascii: !s.binary, mark: "FILE: " + name})
			return
		}
		if !os.IsExist(err) {
			break
		}
	}
	s.reply(553, "Could not create a unique file.")
}
