package transfer

import (
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ferry-ftp/ferry/client"
	"github.com/ferry-ftp/ferry/internal/ftptest"
	"github.com/ferry-ftp/ferry/internal/testsupport"
)

// A server that refuses to rename over an existing file: the old file is
// moved aside, the new one renamed into place, and only then is the old
// one deleted. The target itself is never deleted.
func TestPutOntoExistingWhereRenameCannotOverwrite(t *testing.T) {
	srv := putServer(t, map[string]string{"up/a.txt": "old contents"}, refuseOverwrite)
	local := localFile(t, "new.txt", "new contents")
	tmp := uploadTemp(t, local, "up/a.txt")
	var n notes
	if _, err := Put(testCtx(t), connect(t, srv), local, "up/a.txt", PutOptions{Notify: n.add}); err != nil {
		t.Fatal(err)
	}
	wantFiles(t, srv, map[string]string{"up/a.txt": "new contents"})
	wantCommands(t, srv, "MLST up/a.txt", "STOR "+tmp, "SIZE "+tmp, "SITE CHMOD 644 "+tmp,
		"RNFR "+tmp, "RNTO up/a.txt", // 553: exists
		"SIZE up/a.txt",
		"RNFR up/a.txt", "RNTO up/ASIDE",
		"RNFR "+tmp, "RNTO up/a.txt",
		"DELE up/ASIDE")
	if len(n.msgs) != 0 {
		t.Errorf("notes: %q", n.msgs)
	}
}

// Every RNTO refused: nothing is deleted, the old file stays intact, and
// the error says where the new data is.
func TestPutRenameAlwaysRefused(t *testing.T) {
	refuse := func(string) func(ftptest.Command) *ftptest.Reply {
		return func(c ftptest.Command) *ftptest.Reply {
			if c.Verb == "RNTO" {
				return &ftptest.Reply{Code: 553, Text: "Rename not permitted."}
			}
			return nil
		}
	}
	for _, tt := range []struct {
		name  string
		files map[string]string
		chmod []string
		cmds  []string
	}{
		{"over an existing file", map[string]string{"a.txt": "old contents"}, []string{"SITE CHMOD 644 "},
			[]string{"SIZE a.txt", "RNFR a.txt", "RNTO ASIDE"}},
		{"a new file", map[string]string{}, nil, []string{"SIZE a.txt"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := putServer(t, tt.files, refuse)
			local := localFile(t, "new.txt", "new contents")
			tmp := uploadTemp(t, local, "a.txt")
			_, err := Put(testCtx(t), connect(t, srv), local, "a.txt", PutOptions{})
			want := maps.Clone(tt.files)
			want[tmp] = "new contents"
			wantFiles(t, srv, want)
			cmds := []string{"MLST a.txt", "STOR " + tmp, "SIZE " + tmp}
			for _, c := range tt.chmod {
				cmds = append(cmds, c+tmp)
			}
			cmds = append(cmds, "RNFR "+tmp, "RNTO a.txt")
			wantCommands(t, srv, append(cmds, tt.cmds...)...)
			var pe *PlaceError
			if !errors.As(err, &pe) || pe.Temp != tmp || pe.Aside != "" || client.ReplyCode(err) != 553 {
				t.Fatalf("Put = %v; want a PlaceError for %q with 553", err, tmp)
			}
			if want := fmt.Sprintf(`the new data is in %q; "a.txt" is unchanged`, tmp); !strings.HasSuffix(err.Error(), want) {
				t.Errorf("error %q\ndoes not end %q", err, want)
			}
		})
	}
}

// The rename of the old file aside fails: the old file is where it was.
// When the connection breaks during that rename, the error names both
// places the old file may be in.
func TestPutAsideRenameFails(t *testing.T) {
	for _, tt := range []struct {
		name  string
		reply *ftptest.Reply
		state string
	}{
		{"refused", &ftptest.Reply{Code: 553, Text: "Permission denied."}, `the new data is in %[1]q; "a.txt" is unchanged`},
		{"connection lost", &ftptest.Reply{Code: 421, Text: "Bye."}, `the new data is in %[1]q; the old file is in "a.txt", or in %[2]q if the rename took place`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := putServer(t, map[string]string{"a.txt": "old contents"}, func(root string) func(ftptest.Command) *ftptest.Reply {
				refuse := refuseOverwrite(root)
				return func(c ftptest.Command) *ftptest.Reply {
					if c.Verb == "RNTO" && strings.HasSuffix(c.Arg, ".old") {
						return tt.reply
					}
					return refuse(c)
				}
			})
			local := localFile(t, "new.txt", "new contents")
			tmp := uploadTemp(t, local, "a.txt")
			_, err := Put(testCtx(t), connect(t, srv), local, "a.txt", PutOptions{})
			wantFiles(t, srv, map[string]string{"a.txt": "old contents", tmp: "new contents"})
			wantCommands(t, srv, "MLST a.txt", "STOR "+tmp, "SIZE "+tmp, "SITE CHMOD 644 "+tmp, "RNFR "+tmp, "RNTO a.txt",
				"SIZE a.txt", "RNFR a.txt", "RNTO ASIDE")
			var pe *PlaceError
			if !errors.As(err, &pe) {
				t.Fatalf("Put = %v; want a PlaceError", err)
			}
			if want := fmt.Sprintf(tt.state, tmp, pe.Aside); !strings.HasSuffix(err.Error(), want) {
				t.Errorf("error %q\ndoes not end %q", err, want)
			}
			if lost := tt.reply.Code == 421; lost != (pe.Aside != "") || lost != Transient(err) {
				t.Errorf("Aside %q, transient %v", pe.Aside, Transient(err))
			}
		})
	}
}

// The old file is aside and the new one's rename fails: the old one is
// put back.
func TestPutFinalRenameFailsPutsOldBack(t *testing.T) {
	srv := putServer(t, map[string]string{"a.txt": "old contents"}, func(string) func(ftptest.Command) *ftptest.Reply {
		var from string
		return func(c ftptest.Command) *ftptest.Reply {
			switch {
			case c.Verb == "RNFR":
				from = c.Arg
			case c.Verb == "RNTO" && c.Arg == "a.txt" && strings.HasSuffix(from, ".part"):
				return &ftptest.Reply{Code: 553, Text: "Rename not permitted."}
			}
			return nil
		}
	})
	local := localFile(t, "new.txt", "new contents")
	tmp := uploadTemp(t, local, "a.txt")
	_, err := Put(testCtx(t), connect(t, srv), local, "a.txt", PutOptions{})
	wantFiles(t, srv, map[string]string{"a.txt": "old contents", tmp: "new contents"})
	wantCommands(t, srv, "MLST a.txt", "STOR "+tmp, "SIZE "+tmp, "SITE CHMOD 644 "+tmp, "RNFR "+tmp, "RNTO a.txt",
		"SIZE a.txt", "RNFR a.txt", "RNTO ASIDE",
		"RNFR "+tmp, "RNTO a.txt",
		"RNFR ASIDE", "RNTO a.txt")
	var pe *PlaceError
	if !errors.As(err, &pe) || pe.Aside != "" {
		t.Fatalf("Put = %v; want a PlaceError with the old file back", err)
	}
	if want := fmt.Sprintf(`the new data is in %q; "a.txt" is unchanged`, tmp); !strings.HasSuffix(err.Error(), want) {
		t.Errorf("error %q\ndoes not end %q", err, want)
	}
}

// The old file cannot be put back: the error says where it is, and
// nothing is deleted.
func TestPutRestoreFails(t *testing.T) {
	srv := putServer(t, map[string]string{"a.txt": "old contents"}, func(string) func(ftptest.Command) *ftptest.Reply {
		return func(c ftptest.Command) *ftptest.Reply {
			if c.Verb == "RNTO" && c.Arg == "a.txt" {
				return &ftptest.Reply{Code: 553, Text: "Rename not permitted."}
			}
			return nil
		}
	})
	local := localFile(t, "new.txt", "new contents")
	tmp := uploadTemp(t, local, "a.txt")
	_, err := Put(testCtx(t), connect(t, srv), local, "a.txt", PutOptions{})
	wantFiles(t, srv, map[string]string{"ASIDE": "old contents", tmp: "new contents"})
	wantCommands(t, srv, "MLST a.txt", "STOR "+tmp, "SIZE "+tmp, "SITE CHMOD 644 "+tmp, "RNFR "+tmp, "RNTO a.txt",
		"SIZE a.txt", "RNFR a.txt", "RNTO ASIDE",
		"RNFR "+tmp, "RNTO a.txt",
		"RNFR ASIDE", "RNTO a.txt")
	var pe *PlaceError
	if !errors.As(err, &pe) || !asidePattern.MatchString(pe.Aside) {
		t.Fatalf("Put = %v; want a PlaceError naming the aside file", err)
	}
	want := fmt.Sprintf(`the new data is in %q; the old file was moved to %q and could not be put back (ftp: RNTO a.txt: server replied 553 Rename not permitted.)`, tmp, pe.Aside)
	if !strings.HasSuffix(err.Error(), want) {
		t.Errorf("error %q\ndoes not end %q", err, want)
	}
	if b, err := os.ReadFile(filepath.Join(srv.Root(), pe.Aside)); err != nil || string(b) != "old contents" {
		t.Errorf("%s: %q, %v", pe.Aside, b, err)
	}
}

// A server that cannot rename at all gets the file again under its final
// name, with a warning; the complete temporary copy is deleted only after
// that, and the target never.
func TestPutServerCannotRename(t *testing.T) {
	for _, tt := range []struct {
		name, verb string
		code       int
		files      map[string]string
		note       string
	}{
		{"RNFR 502 over a file", "RNFR", 502, map[string]string{"a.txt": "old contents"}, "overwriting the old file in place"},
		{"RNTO 502 over a file", "RNTO", 502, map[string]string{"a.txt": "old contents"}, "overwriting the old file in place"},
		{"RNFR 500, a new file", "RNFR", 500, map[string]string{}, "uploading again under the final name"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := putServer(t, tt.files, func(string) func(ftptest.Command) *ftptest.Reply {
				return func(c ftptest.Command) *ftptest.Reply {
					if c.Verb == tt.verb {
						return &ftptest.Reply{Code: tt.code, Text: "Command not implemented."}
					}
					return nil
				}
			})
			local := localFile(t, "new.txt", "new contents")
			tmp := uploadTemp(t, local, "a.txt")
			var n notes
			if _, err := Put(testCtx(t), connect(t, srv), local, "a.txt", PutOptions{Notify: n.add}); err != nil {
				t.Fatal(err)
			}
			wantFiles(t, srv, map[string]string{"a.txt": "new contents"})
			cmds := []string{"MLST a.txt", "STOR " + tmp, "SIZE " + tmp}
			if len(tt.files) > 0 {
				cmds = append(cmds, "SITE CHMOD 644 "+tmp)
			}
			// RNTO goes with RNFR, whatever RNFR's reply.
			cmds = append(cmds, "RNFR "+tmp, "RNTO a.txt")
			wantCommands(t, srv, append(cmds, "SIZE a.txt", "EPSV", "STOR a.txt", "SIZE a.txt", "DELE "+tmp)...)
			if len(n.msgs) != 1 || !strings.HasPrefix(n.msgs[0], "a.txt: the server cannot rename (") ||
				!strings.HasSuffix(n.msgs[0], tt.note) {
				t.Errorf("notes %q; want one ending %q", n.msgs, tt.note)
			}
		})
	}
}

// A server that cannot rename, and the upload under the final name is
// cut: the error says that the old file is overwritten and where the
// complete data is; a retry completes it.
func TestPutCannotRenameAndDirectUploadCut(t *testing.T) {
	data := string(randomData(200_000))
	srv := putServer(t, map[string]string{"a.txt": "old contents"}, func(string) func(ftptest.Command) *ftptest.Reply {
		stors := 0
		return func(c ftptest.Command) *ftptest.Reply {
			switch {
			case c.Verb == "RNFR":
				return &ftptest.Reply{Code: 502, Text: "Command not implemented."}
			case c.Verb == "STOR" && c.Arg == "a.txt":
				if stors++; stors == 1 {
					return &ftptest.Reply{Transfer: &ftptest.Transfer{DropAfter: 1000}}
				}
			}
			return nil
		}
	})
	local := localFile(t, "new.bin", data)
	tmp := uploadTemp(t, local, "a.txt")
	c := connect(t, srv)
	_, err := Put(testCtx(t), c, local, "a.txt", PutOptions{})
	wantFiles(t, srv, map[string]string{"a.txt": data[:1000], tmp: data})
	var pe *PlaceError
	if !errors.As(err, &pe) || !Transient(err) {
		t.Fatalf("Put = %v; want a transient PlaceError", err)
	}
	want := fmt.Sprintf(`the server cannot rename, and the old "a.txt" was overwritten in place with an incomplete copy; the complete new data is in %q`, tmp)
	if !strings.HasSuffix(err.Error(), want) {
		t.Errorf("error %q\ndoes not end %q", err, want)
	}
	if _, err := Put(testCtx(t), connect(t, srv), local, "a.txt", PutOptions{Resume: true}); err != nil {
		t.Fatal(err)
	}
	wantFiles(t, srv, map[string]string{"a.txt": data})
}

// An upload cut midway leaves the old file alone and the partial data
// under the temporary name; a resumed upload continues it with REST.
func TestPutCutKeepsOldAndResumes(t *testing.T) {
	data := string(randomData(300_000))
	srv := putServer(t, map[string]string{"a.txt": "old contents"}, func(string) func(ftptest.Command) *ftptest.Reply {
		return dropFirst("STOR", 100_000)
	})
	local := localFile(t, "new.bin", data)
	tmp, parked := uploadTemp(t, local, "a.txt"), parkedTemp(t, local, "a.txt")
	if _, err := Put(testCtx(t), connect(t, srv), local, "a.txt", PutOptions{}); err == nil {
		t.Fatal("cut-off upload succeeded")
	}
	// The partial upload is parked under the source's own temporary
	// name, for any later process to take.
	wantFiles(t, srv, map[string]string{"a.txt": "old contents", parked: data[:100_000]})
	srv.ResetCommands()
	res, err := Put(testCtx(t), connect(t, srv), local, "a.txt", PutOptions{Resume: true})
	if err != nil || res.Offset != 100_000 || res.Bytes != 200_000 {
		t.Fatalf("Put = %+v, %v", res, err)
	}
	wantFiles(t, srv, map[string]string{"a.txt": data})
	want := "SIZE " + tmp + "\nSIZE " + parked + "\nRNFR " + parked + "\nRNTO " + tmp + "\nSIZE " + tmp + "\nEPSV\nREST 100000\nSTOR " + tmp + "\n"
	if cmds := strings.Join(srv.Commands(), "\n"); !strings.Contains(cmds, want) {
		t.Errorf("no resume of %s taken from %s:\n%s", tmp, parked, cmds)
	}
}

// Resume continues only a partial upload of the same version of the same
// file: not NAME.part (another client's file), not the partial upload of
// an older version.
func TestPutResumesOnlySameVersion(t *testing.T) {
	local := localFile(t, "a.txt", "version one, uploaded partly")
	old := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	os.Chtimes(local, old, old)
	tmp1 := parkedTemp(t, local, "a.txt")
	testsupport.WriteFile(t, local, "version two, a little longer")
	tmp2, own2 := parkedTemp(t, local, "a.txt"), uploadTemp(t, local, "a.txt")
	if tmp1 == tmp2 {
		t.Fatalf("both versions have the temporary name %s", tmp1)
	}
	files := map[string]string{"a.txt": "old contents", "a.txt.part": "another client's", tmp1: "version one"}
	srv := putServer(t, files, nil)
	if _, err := Put(testCtx(t), connect(t, srv), local, "a.txt", PutOptions{Resume: true}); err != nil {
		t.Fatal(err)
	}
	wantFiles(t, srv, map[string]string{"a.txt": "version two, a little longer", "a.txt.part": "another client's", tmp1: "version one"})
	wantCommands(t, srv, "MLST a.txt", "SIZE "+own2, "SIZE "+tmp2, "STOR "+own2, "SIZE "+own2, "SITE CHMOD 644 "+own2, "RNFR "+own2, "RNTO a.txt")
}

// A name the folder holds as a real file (PutOptions.Avoid) is never
// taken as the temporary name, nor resumed: a real file under the
// source's own temporary name is neither continued nor taken, and the
// upload is not resumed at all.
func TestPutAvoidsListedNames(t *testing.T) {
	local := localFile(t, "new.txt", "new contents")
	parked, tmp := parkedTemp(t, local, "a.txt"), uploadTemp(t, local, "a.txt")
	srv := putServer(t, map[string]string{parked: "new"}, nil)
	avoid := func(name string) bool { return name == parked }
	if _, err := Put(testCtx(t), connect(t, srv), local, "a.txt", PutOptions{Resume: true, Avoid: avoid}); err != nil {
		t.Fatal(err)
	}
	wantFiles(t, srv, map[string]string{parked: "new", "a.txt": "new contents"})
	wantCommands(t, srv, "MLST a.txt", "STOR "+tmp, "SIZE "+tmp, "RNFR "+tmp, "RNTO a.txt")
}

// Two uploaders of the same name on a server that refuses to rename over
// a file (issue 12): B has uploaded and is about to rename when A puts
// its file in place. B's rename then moves A's file aside and puts its own
// in place; no uploader deletes the target, and the last one wins.
func TestPutTwoUploadersSameName(t *testing.T) {
	root := t.TempDir()
	reached, release := make(chan struct{}), make(chan struct{})
	srvA := ftptest.New(t, ftptest.Config{Root: root, Hook: refuseOverwrite(root)})
	refuse := refuseOverwrite(root)
	var once sync.Once
	srvB := ftptest.New(t, ftptest.Config{Root: root, Hook: func(c ftptest.Command) *ftptest.Reply {
		if c.Verb == "RNFR" {
			once.Do(func() {
				close(reached)
				<-release
			})
		}
		return refuse(c)
	}})
	var releaseOnce sync.Once
	open := func() { releaseOnce.Do(func() { close(release) }) }
	t.Cleanup(open) // before the servers close
	localA := localFile(t, "a.txt", "from A")
	localB := localFile(t, "a.txt", "from B, longer")
	cB := connect(t, srvB)
	done := make(chan error, 1)
	go func() {
		_, err := Put(testCtx(t), cB, localB, "a.txt", PutOptions{})
		done <- err
	}()
	<-reached
	if _, err := Put(testCtx(t), connect(t, srvA), localA, "a.txt", PutOptions{}); err != nil {
		t.Fatal(err)
	}
	open()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	wantFiles(t, srvB, map[string]string{"a.txt": "from B, longer"})
	for _, c := range append(srvA.Commands(), srvB.Commands()...) {
		if c == "DELE a.txt" {
			t.Errorf("the target was deleted:\nA: %q\nB: %q", srvA.Commands(), srvB.Commands())
		}
	}
}

// A server that cannot rename refuses the upload under the final name
// before any data moves: the error says so, and the complete temporary
// copy is kept.
func TestPutCannotRenameAndDirectUploadRefused(t *testing.T) {
	srv := putServer(t, map[string]string{"a.txt": "old contents"}, func(string) func(ftptest.Command) *ftptest.Reply {
		return func(c ftptest.Command) *ftptest.Reply {
			switch {
			case c.Verb == "RNFR":
				return &ftptest.Reply{Code: 502, Text: "Command not implemented."}
			case c.Verb == "STOR" && c.Arg == "a.txt":
				return &ftptest.Reply{Code: 553, Text: "Permission denied."}
			}
			return nil
		}
	})
	local := localFile(t, "new.txt", "new contents")
	tmp := uploadTemp(t, local, "a.txt")
	_, err := Put(testCtx(t), connect(t, srv), local, "a.txt", PutOptions{})
	wantFiles(t, srv, map[string]string{"a.txt": "old contents", tmp: "new contents"})
	wantCommands(t, srv, "MLST a.txt", "STOR "+tmp, "SIZE "+tmp, "SITE CHMOD 644 "+tmp, "RNFR "+tmp, "RNTO a.txt", "SIZE a.txt", "EPSV", "STOR a.txt")
	var pe *PlaceError
	if !errors.As(err, &pe) || client.ReplyCode(err) != 553 {
		t.Fatalf("Put = %v; want a PlaceError with 553", err)
	}
	want := fmt.Sprintf(`the upload under "a.txt" failed before any data moved: the old file is intact unless the server truncated it; the complete new data is in %q`, tmp)
	if !strings.HasSuffix(err.Error(), want) {
		t.Errorf("error %q\ndoes not end %q", err, want)
	}
}

// An upload that fails before any byte arrives leaves nothing behind: an
// empty partial file is deleted, not parked (a resume would take none of
// it, so it would stay on the server for good). Seen in the vsftpd soak.
func TestPutEmptyPartialLeavesNothing(t *testing.T) {
	srv := putServer(t, map[string]string{"a.txt": "old contents"}, func(root string) func(ftptest.Command) *ftptest.Reply {
		n := 0
		return func(c ftptest.Command) *ftptest.Reply {
			if c.Verb == "STOR" {
				if n++; n == 1 {
					// As vsftpd does when the data connection fails:
					// the file is made, nothing is written to it.
					os.WriteFile(filepath.Join(root, c.Arg), nil, 0o644)
					return &ftptest.Reply{Code: 451, Text: "Local error in processing."}
				}
			}
			return nil
		}
	})
	local := localFile(t, "new.txt", "new contents")
	if _, err := Put(testCtx(t), connect(t, srv), local, "a.txt", PutOptions{}); err == nil {
		t.Fatal("the failed upload succeeded")
	}
	wantFiles(t, srv, map[string]string{"a.txt": "old contents"})
	if _, err := Put(testCtx(t), connect(t, srv), local, "a.txt", PutOptions{Resume: true}); err != nil {
		t.Fatal(err)
	}
	wantFiles(t, srv, map[string]string{"a.txt": "new contents"})
}

// A resumed upload whose partial file on the server was changed by
// someone else (it does not hold the start of this file) is caught where
// the server offers a digest, and the whole file is sent again: the
// remote file is exactly the local one (an outside probe of issue 11 got
// the foreign head and exit 0).
func TestPutResumeChecksTheHead(t *testing.T) {
	data := "the local file, all of it, as it should arrive"
	local := localFile(t, "new.txt", data)
	parked := parkedTemp(t, local, "a.txt")
	srv := putServer(t, map[string]string{parked: "FOREIGN-HEAD"}, nil)
	var n notes
	res, err := Put(testCtx(t), connect(t, srv), local, "a.txt", PutOptions{Resume: true, Notify: n.add})
	if err != nil {
		t.Fatal(err)
	}
	wantFiles(t, srv, map[string]string{"a.txt": data})
	if res.Offset != 0 {
		t.Errorf("Result.Offset = %d, want 0: the resumed head was not kept", res.Offset)
	}
	if said := strings.Join(n.msgs, "\n"); !strings.Contains(said, "did not hold the start") {
		t.Errorf("notes %q: nothing said about the foreign head", said)
	}
}
