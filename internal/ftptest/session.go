package ftptest

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"net"
	"sync"
)

// maxLine is the longest command line accepted, without CRLF.
const maxLine = 4096

var errLineTooLong = errors.New("command line too long")

// session is one control connection. Its goroutine reads and handles
// commands one at a time; a transfer runs in a goroutine of its own so that
// ABOR can be read while it moves data.
type session struct {
	srv      *Server
	id       int
	raw      net.Conn // the TCP connection
	conn     net.Conn // raw or a *tls.Conn on it; written under wmu
	wmu      sync.Mutex
	silenced bool // guarded by wmu: a closing 421 was sent, and nothing may follow it
	r        *bufio.Reader
	ctx      context.Context // ends with the session (and with Close)
	cancel   context.CancelFunc
	seq      int
	ending   bool          // set by a handler to end the session after its reply
	ended    chan struct{} // closed once the session has ended (see Server.WaitSessions)

	// login (RFC 959 section 4.1.1)
	user     string
	stage    loginStage
	loggedIn bool

	// security (RFC 4217)
	tlsConf *tls.Config // this session's: its own session ticket keys
	secure  bool        // the control connection runs TLS
	pbsz    bool
	protP   bool

	// transfer parameters and file state
	cwd        string // virtual, absolute
	binary     bool   // TYPE I; RFC 959 starts in ASCII
	rest       int64
	rnfr       string // set by RNFR, cleared by any other command
	renameFrom string // the RNFR path handed to RNTO
	facts      map[string]bool

	// data connection setup
	pasv    net.Listener
	port    *net.TCPAddr
	epsvAll bool
	xfer    *xfer
	xopts   *Transfer // hook adjustments for the command being handled
}

type loginStage int

const (
	stageNone loginStage = iota
	stagePass            // USER accepted, PASS expected
	stageAcct            // PASS accepted, ACCT expected
)

func newSession(srv *Server, id int, c net.Conn) *session {
	s := &session{
		srv:  srv,
		id:   id,
		raw:  c,
		conn: c,
		r:    bufio.NewReaderSize(c, maxLine+2),
		cwd:  "/",
	}
	s.ctx, s.cancel = context.WithCancel(srv.ctx)
	s.tlsConf = sessionTLSConfig(srv.tlsConf)
	s.facts = make(map[string]bool)
	for _, f := range mlstFacts {
		s.facts[f] = true
	}
	return s
}

func (s *session) run() {
	defer s.finish()
	if s.srv.cfg.TLS == TLSImplicit && !s.startTLS() {
		return
	}
	g := s.srv.cfg.Greeting
	if g != nil && g.Code == 230 {
		s.loggedIn = true
	}
	if !s.after(s.send(s.ctx, g, 220, "ftptest ready.")) {
		return
	}
	for {
		queued := s.r.Buffered() > 0
		line, err := s.readLine()
		if err != nil {
			if errors.Is(err, errLineTooLong) {
				s.reply(500, "Command line too long.")
			}
			return
		}
		s.seq++
		if !s.handle(s.srv.record(s.id, s.seq, line, queued)) {
			return
		}
	}
}

// finish ends the session: it closes the control connection first (so
// that nothing follows a 421), then stops a running transfer and waits for
// it.
func (s *session) finish() {
	s.cancel()
	s.raw.Close()
	s.srv.untrack(s.raw)
	s.srv.mu.Lock()
	delete(s.srv.live, s)
	s.srv.mu.Unlock()
	if s.xfer != nil {
		s.xfer.abort()
		<-s.xfer.done
		s.xfer = nil
	}
	s.closePassive()
	if s.ended != nil {
		close(s.ended)
	}
}

// readLine reads one command line and strips its CRLF (a bare LF is
// accepted too).
func (s *session) readLine() (string, error) {
	b, err := s.r.ReadSlice('\n')
	if errors.Is(err, bufio.ErrBufferFull) {
		return "", errLineTooLong
	}
	if err != nil {
		return "", err
	}
	b = b[:len(b)-1]
	if n := len(b); n > 0 && b[n-1] == '\r' {
		b = b[:n-1]
	}
	if len(b) > maxLine {
		return "", errLineTooLong
	}
	return string(b), nil
}

// after acts on what send returned; it reports whether the session goes on.
func (s *session) after(a action) bool {
	switch a {
	case actStall:
		s.stall()
		return false
	case actClose:
		return false
	}
	return true
}

// stall answers nothing more: it records what arrives until the peer or
// the server closes the connection.
func (s *session) stall() {
	for {
		queued := s.r.Buffered() > 0
		line, err := s.readLine()
		if err != nil {
			return
		}
		s.seq++
		s.srv.record(s.id, s.seq, line, queued)
	}
}

// handle runs one command; it reports whether the session goes on.
func (s *session) handle(c Command) bool {
	cfg := &s.srv.cfg
	if cfg.Fault421At > 0 && c.Global == cfg.Fault421At {
		// A transfer under way must not answer after it (its 426).
		s.wmu.Lock()
		b := formatReply(421, "Service not available, closing control connection.")
		s.srv.recordReplies(s.id, b)
		_, _ = s.conn.Write(b)
		s.silenced = true
		s.wmu.Unlock()
		return false
	}
	// RNTO must come right after RNFR (RFC 959 section 4.1.3).
	s.renameFrom, s.rnfr = s.rnfr, ""
	var adjust *Reply
	if r := s.srv.hook(c); r != nil {
		if r.replaces() {
			if r.AfterTransfer && s.xfer != nil {
				s.waitTransfer()
			}
			return s.after(s.send(s.ctx, r, 0, ""))
		}
		adjust = r
	}
	if s.xfer != nil {
		select {
		case <-s.xfer.done: // over: nothing to wait for or abort
			s.xfer = nil
		default:
		}
	}
	if s.xfer != nil {
		// RFC 959 section 4.1.3: ABOR and STAT are served during a
		// transfer; anything else waits for its end.
		switch {
		case c.Verb == "ABOR":
			s.abortTransfer()
			return true
		case c.Verb == "STAT" && c.Arg == "":
			s.reply(213, "Status: transfer in progress, %d bytes moved.", s.xfer.bytes.Load())
			return true
		}
		s.waitTransfer()
		if s.ctx.Err() != nil {
			return false
		}
	}
	if adjust != nil && !adjust.pause(s.ctx) {
		return false
	}
	if adjust != nil {
		s.xopts = adjust.Transfer
	}
	s.dispatch(c)
	s.xopts = nil
	if s.ending || (adjust != nil && adjust.Close) {
		if s.xfer != nil {
			s.waitTransfer()
		}
		return false
	}
	return true
}

type command struct {
	fn      func(s *session, arg string)
	anytime bool // allowed before login
	help    string
}

var commands map[string]command

func init() {
	commands = map[string]command{
		"USER": {cmdUSER, true, "USER name"},
		"PASS": {cmdPASS, true, "PASS password"},
		"ACCT": {cmdACCT, true, "ACCT account"},
		"AUTH": {cmdAUTH, true, "AUTH TLS"},
		"PBSZ": {cmdPBSZ, true, "PBSZ 0"},
		"PROT": {cmdPROT, true, "PROT C|P"},
		"FEAT": {cmdFEAT, true, "FEAT"},
		"OPTS": {cmdOPTS, true, "OPTS UTF8 ON|MLST facts|HASH SHA-256"},
		"HELP": {cmdHELP, true, "HELP [command]"},
		"NOOP": {cmdNOOP, true, "NOOP"},
		"QUIT": {cmdQUIT, true, "QUIT"},
		"SYST": {cmdSYST, true, "SYST"},
		"TYPE": {cmdTYPE, false, "TYPE A|I"},
		"MODE": {cmdMODE, false, "MODE S"},
		"STRU": {cmdSTRU, false, "STRU F"},
		"STAT": {cmdSTAT, false, "STAT [path]"},
		"PWD":  {cmdPWD, false, "PWD"},
		"XPWD": {cmdPWD, false, "XPWD"},
		"CWD":  {cmdCWD, false, "CWD path"},
		"XCWD": {cmdCWD, false, "XCWD path"},
		"CDUP": {cmdCDUP, false, "CDUP"},
		"XCUP": {cmdCDUP, false, "XCUP"},
		"MKD":  {cmdMKD, false, "MKD path"},
		"XMKD": {cmdMKD, false, "XMKD path"},
		"RMD":  {cmdRMD, false, "RMD path"},
		"XRMD": {cmdRMD, false, "XRMD path"},
		"DELE": {cmdDELE, false, "DELE path"},
		"RNFR": {cmdRNFR, false, "RNFR path"},
		"RNTO": {cmdRNTO, false, "RNTO path"},
		"SITE": {cmdSITE, false, "SITE CHMOD mode path"},
		"SIZE": {cmdSIZE, false, "SIZE path"},
		"MDTM": {cmdMDTM, false, "MDTM path"},
		"MFMT": {cmdMFMT, false, "MFMT YYYYMMDDHHMMSS path"},
		"HASH": {cmdHASH, false, "HASH path"},
		"MLST": {cmdMLST, false, "MLST [path]"},
		"MLSD": {cmdMLSD, false, "MLSD [path]"},
		"LIST": {cmdLIST, false, "LIST [-a] [path]"},
		"NLST": {cmdNLST, false, "NLST [-a] [path]"},
		"REST": {cmdREST, false, "REST offset"},
		"RETR": {cmdRETR, false, "RETR path"},
		"STOR": {cmdSTOR, false, "STOR path"},
		"APPE": {cmdAPPE, false, "APPE path"},
		"STOU": {cmdSTOU, false, "STOU"},
		"ABOR": {cmdABOR, false, "ABOR"},
		"PASV": {cmdPASV, false, "PASV"},
		"EPSV": {cmdEPSV, false, "EPSV [1|2|ALL]"},
		"PORT": {cmdPORT, false, "PORT h1,h2,h3,h4,p1,p2"},
		"EPRT": {cmdEPRT, false, "EPRT |af|addr|port|"},
	}
}

func (s *session) dispatch(c Command) {
	if c.Verb != "" && s.srv.disabled(c.Verb) {
		s.refuse()
		return
	}
	cmd, ok := commands[c.Verb]
	if !ok {
		s.reply(500, "Unknown command.")
		return
	}
	if !cmd.anytime && !s.loggedIn {
		s.reply(530, "Please login with USER and PASS.")
		return
	}
	cmd.fn(s, c.Arg)
}

// refuse answers a disabled verb with Config.DisableCode.
func (s *session) refuse() {
	switch s.srv.cfg.DisableCode {
	case 500:
		s.reply(500, "Unknown command.")
	case 501:
		s.reply(501, "Syntax error in parameters or arguments.")
	case 504:
		s.reply(504, "Command not implemented for that parameter.")
	default:
		s.reply(502, "Command not implemented.")
	}
}
