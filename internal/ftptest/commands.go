package ftptest

import (
	"fmt"
	"slices"
	"strings"
)

// Login: RFC 959 section 4.1.1, replies as in section 5.4.

func cmdUSER(s *session, arg string) {
	if s.srv.cfg.RequireTLS && !s.secure {
		s.reply(530, "Non-anonymous sessions must use encryption.")
		return
	}
	if arg == "" {
		s.reply(501, "USER needs a name.")
		return
	}
	// A new USER starts the login again (RFC 959 allows changing user).
	s.loggedIn = false
	s.user = arg
	s.stage = stagePass
	s.cwd = s.home()
	s.reply(331, "Please specify the password.")
}

func (s *session) isAnonymous() bool {
	u := strings.ToLower(s.user)
	return s.srv.cfg.Anonymous && (u == "anonymous" || u == "ftp")
}

func cmdPASS(s *session, arg string) {
	if s.stage != stagePass {
		if s.loggedIn {
			s.reply(230, "Already logged in.")
		} else {
			s.reply(503, "Login with USER first.")
		}
		return
	}
	pass, known := s.srv.cfg.Users[s.user]
	if !s.isAnonymous() && (!known || pass != arg) {
		s.stage = stageNone
		s.reply(530, "Login incorrect.")
		return
	}
	if s.srv.cfg.Account != "" {
		s.stage = stageAcct
		s.reply(332, "Need account for login.")
		return
	}
	s.login()
}

func cmdACCT(s *session, arg string) {
	switch {
	case s.stage == stageAcct && arg == s.srv.cfg.Account:
		s.login()
	case s.stage == stageAcct:
		s.stage = stageNone
		s.reply(530, "Login incorrect.")
	case s.loggedIn:
		s.reply(202, "ACCT not needed.")
	default:
		s.reply(503, "Login with USER first.")
	}
}

func (s *session) login() {
	s.stage = stageNone
	s.loggedIn = true
	s.cwd = s.home()
	s.reply(230, "Login successful.")
}

func cmdQUIT(s *session, _ string) {
	s.reply(221, "Goodbye.")
	s.ending = true
}

func cmdNOOP(s *session, _ string) { s.reply(200, "NOOP ok.") }

func cmdSYST(s *session, _ string) { s.reply(215, "UNIX Type: L8") }

func cmdHELP(s *session, arg string) {
	if arg != "" {
		c, ok := commands[strings.ToUpper(arg)]
		if !ok || s.srv.disabled(arg) {
			s.reply(502, "Unknown command %s.", arg)
			return
		}
		s.reply(214, "Syntax: %s", c.help)
		return
	}
	var verbs []string
	for v := range commands {
		if !s.srv.disabled(v) {
			verbs = append(verbs, v)
		}
	}
	slices.Sort(verbs)
	var b strings.Builder
	b.WriteString("The following commands are recognized.\n")
	for i := 0; i < len(verbs); i += 8 {
		b.WriteString(" " + strings.Join(verbs[i:min(i+8, len(verbs))], " ") + "\n")
	}
	b.WriteString("Help OK.")
	s.reply(214, "%s", b.String())
}

// features returns the FEAT lines (RFC 2389) for what is enabled.
func (s *session) features() []string {
	cfg := &s.srv.cfg
	var f []string
	add := func(name, line string) {
		if !s.srv.disabled(name) {
			f = append(f, line)
		}
	}
	if cfg.TLS == TLSExplicit {
		add("AUTH", "AUTH TLS")
	}
	if cfg.TLS != TLSNone {
		add("PBSZ", "PBSZ")
		add("PROT", "PROT")
	}
	add("EPRT", "EPRT")
	add("EPSV", "EPSV")
	add("HASH", "HASH SHA-256*")
	add("MDTM", "MDTM")
	add("MFMT", "MFMT")
	add("MLST", "MLST "+s.factList(true))
	add("REST", "REST STREAM")
	add("SIZE", "SIZE")
	add("TVFS", "TVFS")
	add("UTF8", "UTF8")
	return f
}

func cmdFEAT(s *session, _ string) {
	s.reply(211, "Features:\n %s\nEnd", strings.Join(s.features(), "\n "))
}

func cmdOPTS(s *session, arg string) {
	name, val, _ := strings.Cut(arg, " ")
	switch strings.ToUpper(name) {
	case "UTF8":
		if s.srv.disabled("UTF8") {
			break
		}
		switch strings.ToUpper(val) {
		case "ON", "":
			s.reply(200, "Always in UTF8 mode.")
		default:
			s.reply(501, "UTF8 cannot be turned off.")
		}
		return
	case "MLST":
		if s.srv.disabled("MLST") {
			break
		}
		// RFC 3659 section 7.9: unknown facts are ignored.
		for f := range s.facts {
			s.facts[f] = false
		}
		for _, f := range strings.Split(val, ";") {
			f = strings.ToLower(f)
			if _, ok := s.facts[f]; ok {
				s.facts[f] = true
			}
		}
		s.reply(200, "MLST OPTS %s", s.factList(false))
		return
	case "HASH":
		if s.srv.disabled("HASH") {
			break
		}
		if val == "" || strings.EqualFold(val, "SHA-256") {
			s.reply(200, "SHA-256")
		} else {
			s.reply(501, "Unknown algorithm, current selection not changed.")
		}
		return
	}
	s.reply(501, "Option not understood.")
}

// TYPE, MODE, STRU: RFC 959 section 4.1.2; only what modern clients use.

func cmdTYPE(s *session, arg string) {
	switch strings.ToUpper(strings.Join(strings.Fields(arg), " ")) {
	case "A", "A N":
		s.binary = false
		s.reply(200, "Switching to ASCII mode.")
	case "I", "L 8":
		s.binary = true
		s.reply(200, "Switching to Binary mode.")
	case "":
		s.reply(501, "TYPE needs an argument.")
	default:
		s.reply(504, "Unsupported TYPE %s.", arg)
	}
}

func cmdMODE(s *session, arg string) {
	if strings.EqualFold(arg, "S") {
		s.reply(200, "Mode set to S.")
		return
	}
	s.reply(504, "Bad MODE command.")
}

func cmdSTRU(s *session, arg string) {
	if strings.EqualFold(arg, "F") {
		s.reply(200, "Structure set to F.")
		return
	}
	s.reply(504, "Bad STRU command.")
}

// cmdSTAT without an argument reports the session (211); with a path it
// sends a listing over the control connection (213, RFC 959 4.1.3).
func cmdSTAT(s *session, arg string) {
	if arg != "" {
		s.statPath(arg)
		return
	}
	typ := "ASCII"
	if s.binary {
		typ = "BINARY"
	}
	prot := "Clear"
	if s.protP {
		prot = "Private"
	}
	user := s.user
	if user == "" {
		user = "(greeting)"
	}
	lines := []string{
		"FTP server status:",
		fmt.Sprintf("     Connected to %s", s.raw.RemoteAddr()),
		fmt.Sprintf("     Logged in as %s", user),
		fmt.Sprintf("     TYPE: %s, STRUcture: File, MODE: Stream", typ),
		fmt.Sprintf("     Control connection TLS: %v, data protection: %s", s.secure, prot),
		"     No data connection",
		"End of status",
	}
	s.reply(211, "%s", strings.Join(lines, "\n"))
}

// cmdABOR without a running transfer (RFC 959 section 4.1.3): 225.
// With one, the session handles ABOR before it gets here.
func cmdABOR(s *session, _ string) {
	s.closePassive()
	s.reply(225, "No transfer to ABOR.")
}

// home returns the login folder: Config.Home, or "/".
func (s *session) home() string {
	if h := s.srv.cfg.Home; h != "" {
		return h
	}
	return "/"
}
