package client

import (
	"errors"
	"fmt"
	"testing"

	"github.com/ferry-ftp/ferry/internal/ftptest"
)

// TestReadDirMLSDRefused: a server that lists MLST in FEAT but refuses
// MLSD is listed with LIST. 500 and 502 are not asked again; 501 and 504
// count only for a folder that is there (CheckDir), and 501 then is not
// asked again; a folder that is not there is a *NoFolderError whatever
// the code.
func TestReadDirMLSDRefused(t *testing.T) {
	for _, code := range []int{500, 501, 502, 504} {
		t.Run(fmt.Sprint(code), func(t *testing.T) {
			srv := fallbackServer(t, code, "MLSD")
			c := dialLogin(t, srv)
			ctx := testCtx(t)
			_, _, err := c.ReadDir(ctx, "nope")
			if nf := new(*NoFolderError); !errors.As(err, nf) {
				t.Errorf("ReadDir of a missing folder = %v, want a *NoFolderError", err)
			}
			for range 2 {
				entries, unparsed, err := c.ReadDir(ctx, "d")
				if err != nil || len(unparsed) != 0 || len(entries) != 1 || entries[0].Name != "f.txt" || entries[0].Size != 5 {
					t.Fatalf("ReadDir = %+v, %q, %v; want LIST's f.txt", entries, unparsed, err)
				}
			}
			// MLSD itself, asked, reports the refusal.
			if entries, _, err := c.MLSD(ctx, "d"); ReplyCode(err) != code {
				t.Errorf("MLSD = %v, %v; want the server's %d", entries, err, code)
			}
			want := []string{"FEAT", "EPSV", "MLSD nope"}
			switch code {
			case 500, 502:
				want = append(want, "EPSV", "LIST nope", "MLST nope",
					"EPSV", "LIST d", "EPSV", "LIST d")
			case 501:
				want = append(want, "MLST nope",
					"EPSV", "MLSD d", "MLST d", "EPSV", "LIST d", "EPSV", "LIST d")
			case 504:
				want = append(want, "MLST nope",
					"EPSV", "MLSD d", "MLST d", "EPSV", "LIST d", "EPSV", "MLSD d", "MLST d", "EPSV", "LIST d")
			}
			want = append(want, "EPSV", "MLSD d")
			if code == 501 || code == 504 {
				want = append(want, "MLST d")
			}
			matchCommands(t, commandsAfterLogin(srv), want)
		})
	}
}

// TestListingMissingFolder: proftpd answers LIST and NLST of a missing
// folder with 150 and then 450 (in binary mode), or with 450 at once: the
// folder is missing (a *NoFolderError, whose code is the refused CWD's),
// once CheckDir finds it so. A 450 about a folder that is there stays the
// server's 450.
func TestListingMissingFolder(t *testing.T) {
	busy := func(c ftptest.Command) *ftptest.Reply {
		switch {
		case c.Verb == "LIST" && c.Arg == "d":
			return &ftptest.Reply{Code: 450, Text: "d: Resource temporarily unavailable"}
		case c.Verb == "NLST" && c.Arg == "gone":
			return &ftptest.Reply{Code: 450, Text: "gone: No such file or directory"}
		}
		return nil
	}
	srv := ftptest.New(t, ftptest.Config{Disable: []string{"MLST", "MLSD"}, MissingListing450: true, Hook: busy})
	writeFile(t, srv, "d/f.txt", []byte("hello"))
	c := dialLogin(t, srv)
	ctx := testCtx(t)
	var nf *NoFolderError
	if _, _, err := c.ReadDir(ctx, "nope"); !errors.As(err, &nf) || nf.Path != "nope" || ReplyCode(err) != 550 {
		t.Errorf("ReadDir of a missing folder = %v, want a *NoFolderError", err)
	}
	if _, err := c.NameList(ctx, "nope"); !errors.As(err, &nf) {
		t.Errorf("NameList of a missing folder = %v, want a *NoFolderError", err)
	}
	if err := c.NameListFunc(ctx, "gone", func(string) error { return nil }); !errors.As(err, &nf) {
		t.Errorf("NameListFunc of a missing folder = %v, want a *NoFolderError", err)
	}
	if _, _, err := c.ReadDir(ctx, "d"); errors.As(err, &nf) || ReplyCode(err) != 450 {
		t.Errorf("ReadDir of a folder that is there = %v, want the server's 450", err)
	}
	matchCommands(t, commandsAfterLogin(srv), []string{"FEAT",
		"EPSV", "LIST nope", "PWD", "CWD nope",
		"EPSV", "NLST nope", "PWD", "CWD nope",
		"EPSV", "NLST gone", "PWD", "CWD gone",
		"EPSV", "LIST d", "PWD", "CWD d", "CWD /"})
	// LIST nope and NLST nope got 150, a data connection, then 450.
	if n := len(srv.DataConns()); n != 2 {
		t.Errorf("%d data connections, want the two 150-then-450 listings' ones", n)
	}
}
