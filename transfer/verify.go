package transfer

import (
	"context"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"strings"

	"github.com/ferry-ftp/ferry/client"
)

// VerifyError reports a file whose digest differs between the server and
// the local copy after a transfer. The transfer is not complete: the file
// is not renamed into place. Commands exit with the code of other
// failures (1): the data is damaged, neither refused by the server nor
// blocked by the local file system.
type VerifyError struct {
	Path          string
	Algo          string // "SHA-256", "MD5", "CRC32"...
	Local, Remote string // hex digests
}

func (e *VerifyError) Error() string {
	return fmt.Sprintf("%s: %s differs after transfer: local %s, server %s", e.Path, e.Algo, e.Local, e.Remote)
}

// remoteDigest asks the server for a digest of path: HASH, XSHA256 or XMD5
// through client.Conn.Hash (Connect has chosen SHA-256 where the server
// offers it), else XCRC. It returns "" when the server offers none
// or refuses this file; only a broken connection is an error.
func remoteDigest(ctx context.Context, c *client.Conn, path string) (algo, sum string, err error) {
	algo, sum, err = c.Hash(ctx, path)
	switch {
	case err == nil:
		return algo, sum, nil
	case c.Err() != nil:
		return "", "", err
	case !errors.Is(err, client.ErrHashUnsupported):
		return "", "", nil
	case !c.HasFeature("XCRC"):
		return "", "", nil
	}
	code, text, err := c.Quote(ctx, "XCRC "+path)
	if err != nil {
		if c.Err() != nil {
			return "", "", err
		}
		return "", "", nil
	}
	if code/100 != 2 {
		return "", "", nil
	}
	for _, f := range strings.Fields(text) {
		if len(f) == 8 {
			if _, err := hex.DecodeString(f); err == nil {
				return "CRC32", strings.ToLower(f), nil
			}
		}
	}
	return "", "", nil
}

// newHash returns a hash for an algorithm name as the HASH draft spells
// it, or nil for one ferry does not know.
func newHash(algo string) hash.Hash {
	switch strings.ToUpper(algo) {
	case "SHA-256":
		return sha256.New()
	case "SHA-512":
		return sha512.New()
	case "SHA-1":
		return sha1.New()
	case "MD5":
		return md5.New()
	case "CRC32":
		return crc32.NewIEEE()
	}
	return nil
}

// verify compares the server's digest of remote with that of the local
// data open returns. It returns the algorithm used, or "" when the server
// could not give a digest ferry knows (then only the size was checked).
func verify(ctx context.Context, c *client.Conn, remote, display string, open func() (io.ReadCloser, error)) (string, error) {
	algo, want, err := remoteDigest(ctx, c, remote)
	if err != nil || algo == "" {
		return "", err
	}
	h := newHash(algo)
	if h == nil {
		return "", nil
	}
	r, err := open()
	if err != nil {
		return "", err
	}
	defer r.Close()
	if _, err := io.Copy(h, r); err != nil {
		return "", err
	}
	got := hex.EncodeToString(h.Sum(nil))
	if got != want {
		return algo, &VerifyError{Path: display, Algo: algo, Local: got, Remote: want}
	}
	return algo, nil
}
