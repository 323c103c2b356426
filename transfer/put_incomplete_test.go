package transfer

import (
	"errors"
	"path"
	"strings"
	"testing"

	"github.com/ferry-ftp/ferry/internal/ftptest"
)

// An upload that the server holds short names the temporary file that is
// actually left on the server: the source's own name it was parked under
// for a resume, or none when it was deleted. Outside probe of issue 16:
// the error named the process's own temporary name, which the upload had
// renamed away.
func TestPutIncompleteNamesWhatIsLeft(t *testing.T) {
	for _, parkedTaken := range []bool{false, true} {
		local := localFile(t, "a.txt", "hello, world")
		tmp, parked := uploadTemp(t, local, "a.txt"), parkedTemp(t, local, "a.txt")
		files := map[string]string{}
		if parkedTaken {
			// Another partial upload holds the parked name: this one
			// deletes its own.
			files[parked] = "hello"
		}
		srv := putServer(t, files, func(string) func(ftptest.Command) *ftptest.Reply {
			return func(c ftptest.Command) *ftptest.Reply {
				if c.Verb == "SIZE" && c.Arg == tmp {
					return &ftptest.Reply{Code: 213, Text: "3"}
				}
				return nil
			}
		})
		c := connect(t, srv)
		_, err := Put(testCtx(t), c, local, "a.txt", PutOptions{})
		if !errors.Is(err, ErrIncomplete) {
			t.Fatalf("Put = %v, want ErrIncomplete", err)
		}
		got := serverFiles(t, srv.Root())
		msg := err.Error()
		if strings.Contains(msg, path.Base(tmp)) {
			t.Errorf("error names %s, which is not left: %v", tmp, err)
		}
		if parkedTaken {
			if !strings.Contains(msg, "the partial upload was deleted") || len(got) != 1 {
				t.Errorf("error %q, server %s: want the partial upload deleted", msg, showFiles(got))
			}
			continue
		}
		if _, ok := got[parked]; !ok || len(got) != 1 {
			t.Errorf("server holds %s, want %s alone", showFiles(got), parked)
		}
		if !strings.Contains(msg, `the partial upload is kept as "`+parked+`"`) || !strings.HasPrefix(msg, "a.txt: ") {
			t.Errorf("error %q: want it to name a.txt and %s", msg, parked)
		}
	}
}
