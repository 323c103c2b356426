package transfer

import (
	"errors"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/ferry-ftp/ferry/internal/ftptest"
)

func TestVerifyMatches(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{})
	data := randomData(300_000)
	os.WriteFile(filepath.Join(srv.Root(), "f"), data, 0o644)
	p := testPool(t, srv, PoolOptions{Size: 1})
	local := filepath.Join(t.TempDir(), "f")
	res, err := p.GetFile(testCtx(t), "f", local, GetOptions{Verify: true})
	if err != nil || res.Digest != "SHA-256" {
		t.Fatalf("GetFile = %+v, %v", res, err)
	}
	res, err = p.PutFile(testCtx(t), local, "g", PutOptions{Verify: true})
	if err != nil || res.Digest != "SHA-256" {
		t.Fatalf("PutFile = %+v, %v", res, err)
	}
	if !slices.Contains(srv.Commands(), "HASH "+uploadTemp(t, local, "g")) {
		t.Errorf("the upload was not hashed before its rename: %q", srv.Commands())
	}
}

// A server whose digest disagrees: the download is an error, the old
// local file stays, and no partial file is kept to resume from.
func TestVerifyMismatch(t *testing.T) {
	bad := &ftptest.Reply{Code: 213, Text: "SHA-256 0-9 " + fmt.Sprintf("%064x", 1) + " f"}
	srv := ftptest.New(t, ftptest.Config{Hook: func(c ftptest.Command) *ftptest.Reply {
		if c.Verb == "HASH" {
			return bad
		}
		return nil
	}})
	os.WriteFile(filepath.Join(srv.Root(), "f"), []byte("0123456789"), 0o644)
	p := testPool(t, srv, PoolOptions{Size: 1, Retries: 3})
	local := filepath.Join(t.TempDir(), "f")
	os.WriteFile(local, []byte("old"), 0o644)
	res, err := p.GetFile(testCtx(t), "f", local, GetOptions{Verify: true})
	var ve *VerifyError
	if !errors.As(err, &ve) || ve.Algo != "SHA-256" || res.Retries != 0 {
		t.Fatalf("GetFile = %+v, %v; want a VerifyError, not retried", res, err)
	}
	wantTree(t, filepath.Dir(local), map[string]string{"f": "old"})
	// Upload: the temporary file is deleted, never renamed.
	_, err = p.PutFile(testCtx(t), local, "up", PutOptions{Verify: true})
	if !errors.As(err, &ve) {
		t.Fatalf("PutFile = %v", err)
	}
	if exists(filepath.Join(srv.Root(), "up")) || exists(filepath.Join(srv.Root(), uploadTemp(t, local, "up"))) {
		t.Error("a damaged upload is on the server")
	}
}

// XCRC, for servers that offer only it; no digest at all leaves the size
// check.
func TestVerifyXCRCAndNone(t *testing.T) {
	data := []byte("some data to check")
	crc := fmt.Sprintf("%08X", crc32.ChecksumIEEE(data))
	srv := ftptest.New(t, ftptest.Config{Disable: []string{"HASH"}, Hook: func(c ftptest.Command) *ftptest.Reply {
		switch c.Verb {
		case "FEAT":
			return &ftptest.Reply{Code: 211, Text: "Features:\n EPSV\n SIZE\n MDTM\n REST STREAM\n XCRC\nEnd"}
		case "XCRC":
			return &ftptest.Reply{Code: 250, Text: crc}
		}
		return nil
	}})
	os.WriteFile(filepath.Join(srv.Root(), "f"), data, 0o644)
	p := testPool(t, srv, PoolOptions{Size: 1})
	res, err := p.GetFile(testCtx(t), "f", filepath.Join(t.TempDir(), "f"), GetOptions{Verify: true})
	if err != nil || res.Digest != "CRC32" {
		t.Fatalf("GetFile = %+v, %v", res, err)
	}

	plain := ftptest.New(t, ftptest.Config{Disable: []string{"HASH"}})
	os.WriteFile(filepath.Join(plain.Root(), "f"), data, 0o644)
	p2 := testPool(t, plain, PoolOptions{Size: 1})
	res, err = p2.GetFile(testCtx(t), "f", filepath.Join(t.TempDir(), "f"), GetOptions{Verify: true})
	if err != nil || res.Digest != "" {
		t.Fatalf("GetFile without digests = %+v, %v", res, err)
	}
}
