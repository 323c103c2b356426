package transfer

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"

	"golang.org/x/sync/errgroup"

	"github.com/ferry-ftp/ferry/client"
)

// ErrNoChecksum reports a server that offers no digest command
// (MirrorOptions.Checksum): neither HASH, XSHA256, XMD5 nor XCRC.
var ErrNoChecksum = errors.New("the server offers no digest command (HASH, XSHA256, XMD5 or XCRC): --checksum cannot compare files")

// serverDigest asks the server for a digest of path, as remoteDigest
// does, but says why there is none: ErrNoChecksum when the server offers
// no digest command, the reply's error when it refuses this file.
func serverDigest(ctx context.Context, c *client.Conn, path string) (algo, sum string, err error) {
	algo, sum, err = c.Hash(ctx, path)
	switch {
	case err == nil:
		return algo, sum, nil
	case c.Err() != nil || !errors.Is(err, client.ErrHashUnsupported):
		return "", "", err
	case !c.HasFeature("XCRC"):
		return "", "", ErrNoChecksum
	}
	algo, sum, err = remoteDigest(ctx, c, path)
	if err == nil && algo == "" {
		err = fmt.Errorf("XCRC %s: no digest in the reply", client.Sanitize(path))
	}
	return algo, sum, err
}

// compareDigests settles the keeps that wait for digests (byHash): the
// server's digest of the remote file against the local file's, hashed
// with the same algorithm. Equal digests keep the file, different ones
// copy it; a file whose digest the server refuses is skipped, never
// called unchanged. A server with no digest command fails the job with
// ErrNoChecksum before anything is changed.
func (m *mirror) compareDigests(ctx context.Context, actions []Action) ([]Action, error) {
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(m.workers())
	for i := range actions {
		if !actions[i].byHash {
			continue
		}
		g.Go(func() error {
			a := &actions[i]
			var algo, want string
			_, err := m.pool.Do(gctx, "HASH "+a.Path, func(c *client.Conn, _ int) error {
				var err error
				algo, want, err = serverDigest(gctx, c, remoteJoin(m.remoteDir, a.Path))
				return err
			})
			if errors.Is(err, ErrNoChecksum) {
				return err
			}
			var got string
			if err == nil {
				got, err = m.localDigest(a.Path, algo)
			}
			switch {
			case gctx.Err() != nil:
				return gctx.Err()
			case err != nil:
				*a = Action{Kind: Skip, Path: a.Path, Size: a.Size, src: a.src, dst: a.dst,
					Reason: "cannot compare digests: " + oneLine(err)}
			case got == want:
				a.Reason, a.byHash = "same "+algo, false
			default:
				*a = Action{Kind: Copy, Path: a.Path, Size: a.Size, src: a.src, dst: a.dst,
					Reason: algo + " differs"}
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return actions, err
	}
	// Copies before skips and keeps, as plan orders them.
	out := make([]Action, 0, len(actions))
	for _, a := range actions {
		if a.Kind != Skip && a.Kind != Keep {
			out = append(out, a)
		}
	}
	for _, a := range actions {
		if a.Kind == Skip || a.Kind == Keep {
			out = append(out, a)
		}
	}
	return out, nil
}

// localDigest hashes the local file rel with algo.
func (m *mirror) localDigest(rel, algo string) (string, error) {
	h := newHash(algo)
	if h == nil {
		return "", fmt.Errorf("the server's digest %s is not one ferry knows", client.Sanitize(algo))
	}
	lrel, err := localRel(rel)
	if err != nil {
		return "", err
	}
	f, err := m.root.Open(lrel)
	if err != nil {
		return "", localErr("open", rel, err)
	}
	defer f.Close()
	if _, err := io.Copy(h, f); err != nil {
		return "", localErr("read", rel, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
