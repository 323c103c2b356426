package client

import (
	"testing"

	"github.com/ferry-ftp/ferry/internal/ftptest"
)

// TestListFolderStartingWithDash lists a folder named "-a": sent as is,
// servers would read it as an option and list the current folder instead
// (and ls -R or a mirror would descend into it forever).
func TestListFolderStartingWithDash(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{})
	writeFile(t, srv, "-a/inner.txt", []byte("x"))
	writeFile(t, srv, "top.txt", []byte("y"))
	c := dialLogin(t, srv)
	entries, _, err := c.List(testCtx(t), "-a")
	if err != nil || len(entries) != 1 || entries[0].Name != "inner.txt" {
		t.Fatalf("List = %+v, %v", entries, err)
	}
	matchCommands(t, srv.SessionCommands(1), []string{"USER user", "PASS pass", "EPSV", "LIST ./-a"})
	for p, want := range map[string]string{"-a": "./-a", "-": "./-", "a/-b": "a/-b", "": "", "/-x": "/-x"} {
		if got := ListPath(p); got != want {
			t.Errorf("ListPath(%q) = %q, want %q", p, got, want)
		}
	}
}
