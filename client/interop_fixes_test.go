package client

import (
	"testing"

	"github.com/ferry-ftp/ferry/internal/ftptest"
)

// TestRefusedTransferKeepsTLSSession: a transfer the server refuses (550)
// cuts short the data connection's handshake; the next transfers must
// still resume the control session (vsftpd and proftpd require it). Found
// by the interop suite.
func TestRefusedTransferKeepsTLSSession(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{TLS: ftptest.TLSExplicit, RequireTLS: true, RequireSessionReuse: true})
	writeFile(t, srv, "f", []byte("data"))
	c := dialLogin(t, srv, tlsOpts(srv, TLSExplicit)...)
	if _, err := c.Retr(testCtx(t), "missing", 0); ReplyCode(err) != 550 {
		t.Fatalf("Retr missing = %v", err)
	}
	for i := 0; i < 2; i++ {
		if got := string(get(t, c, "f", 0)); got != "data" {
			t.Fatalf("got %q", got)
		}
	}
}

// TestListFolderWithSpaces lists a folder with spaces in its name from
// inside it, since pure-ftpd splits LIST's argument on spaces. Found by
// the interop suite.
func TestListFolderWithSpaces(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{})
	writeFile(t, srv, "a b/f.txt", []byte("x"))
	writeFile(t, srv, "plain/g.txt", []byte("y"))
	c := dialLogin(t, srv)
	entries, _, err := c.List(testCtx(t), "a b")
	if err != nil || len(entries) != 1 || entries[0].Name != "f.txt" {
		t.Fatalf("List = %+v, %v", entries, err)
	}
	if _, _, err := c.List(testCtx(t), "plain"); err != nil {
		t.Fatal(err)
	}
	// A file with spaces cannot be entered: it is listed by name.
	writeFile(t, srv, "x y.txt", []byte("z"))
	entries, _, err = c.List(testCtx(t), "x y.txt")
	if err != nil || len(entries) != 1 {
		t.Fatalf("List file = %+v, %v", entries, err)
	}
	matchCommands(t, srv.SessionCommands(1), []string{"USER user", "PASS pass",
		"PWD", "CWD a b", "EPSV", "LIST", "CWD /",
		"EPSV", "LIST plain",
		"PWD", "CWD x y.txt", "EPSV", "LIST x y.txt"})
}
