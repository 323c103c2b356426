package client

import (
	"io"
	"testing"

	"github.com/ferry-ftp/ferry/internal/ftptest"
)

// A transfer whose final reply is 426 ("Connection closed; transfer
// aborted") lost its data connection: KindConnection (exit code 3, and
// retried), with the reply's code kept, as a broken read would be.
func TestFinal426IsConnectionLoss(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{Hook: hookVerb("RETR", 1, &ftptest.Reply{Transfer: &ftptest.Transfer{
		Final: &ftptest.Reply{Code: 426, Text: "Connection closed; transfer aborted."}}})})
	writeFile(t, srv, "f", []byte("data"))
	c := dialLogin(t, srv)
	rc, err := c.Retr(testCtx(t), "f", 0)
	if err != nil {
		t.Fatal(err)
	}
	io.ReadAll(rc)
	err = rc.Close()
	if KindOf(err) != KindConnection || ReplyCode(err) != 426 {
		t.Errorf("Close = %v: kind %v, code %d; want KindConnection and 426", err, KindOf(err), ReplyCode(err))
	}
}
