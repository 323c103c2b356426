package interop

import (
	"context"

	"github.com/ferry-ftp/ferry/client"
	"github.com/ferry-ftp/ferry/internal/realserver"
)

// traits are what a server lacks or does its own way, as measured on the
// version realserver runs, where a cell's expectation follows the server.
// Whatever is not here is expected of every server; a refusal that ferry
// is meant to work around (SIZE, MDTM, FEAT refused) is not a trait.
type traits struct {
	// noREST: REST is refused (502), so nothing resumes: the resume steps
	// are left out and the files they make are uploaded whole (Twisted).
	noREST bool
	// noAPPE: APPE is refused (502) (Twisted).
	noAPPE bool
	// noNOOP: NOOP is refused (502); a refusal's session is checked with
	// PWD instead (aioftp).
	noNOOP bool
	// latin1Commands: commands are read as Latin-1 while names go to the
	// disk and to listings as UTF-8, so a non-ASCII name comes back
	// double-encoded ("naïve" as "naÃ¯ve") whatever the client does; the
	// name steps use ASCII names with spaces (Twisted).
	latin1Commands bool
	// fsError451: a file system call that fails (a permission denied
	// among them) is answered 451 "file system error", a transient
	// refusal, where other servers answer 550 or 553 (aioftp).
	fsError451 bool
	// followsLinks: the server writes as root, which file modes do not
	// stop, and follows symbolic links out of the user's root; its
	// permission refusal is an immutable folder (chattr +i), which root
	// may not write either (Twisted, aioftp).
	followsLinks bool
}

var serverTraits = map[realserver.Kind]traits{
	realserver.Twisted: {noREST: true, noAPPE: true, latin1Commands: true, followsLinks: true},
	realserver.Aioftp:  {noNOOP: true, fsError451: true, followsLinks: true},
}

// alive checks that the session still answers: NOOP, or PWD on a server
// that refuses NOOP.
func alive(ctx context.Context, c *client.Conn, kind realserver.Kind) error {
	if serverTraits[kind].noNOOP {
		_, err := c.Pwd(ctx)
		return err
	}
	return c.Noop(ctx)
}

// testNames are the names of the name steps and the cross-check: non-ASCII
// ones, or ASCII ones with spaces where the server mangles the others.
type testNames struct {
	file, renamed string // the name steps' file and its new name
	ferry, theirs string // the cross-check's small text files
}

func namesFor(kind realserver.Kind) testNames {
	if serverTraits[kind].latin1Commands {
		return testNames{"plain name.txt", "renamed - plain.txt", "ferry n.txt", "jlaffaye e.txt"}
	}
	return testNames{"naïve café.txt", "déjà vu – ñ.txt", "ferry ñ.txt", "jlaffaye é.txt"}
}
