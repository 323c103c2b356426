package client

import (
	"context"
	"fmt"
	"strings"
)

// Hash returns a checksum of the file at path computed by the server: with
// HASH (draft-bryan-ftpext-hash, reply "213 SHA-256 0-49 <hex> name") when
// FEAT lists it, in the algorithm the server has selected; else with
// XSHA256 or, last, XMD5 when FEAT lists them. It returns the algorithm's
// name as the draft spells it ("SHA-256", "MD5") and the hash in
// lower-case hex. It calls Features when it has not been called yet. A
// server with none of these commands gives an error that matches
// ErrHashUnsupported.
func (c *Conn) Hash(ctx context.Context, path string) (algo, hex string, err error) {
	if c.features == nil {
		if _, err := c.Features(ctx); err != nil {
			return "", "", err
		}
	}
	switch {
	case c.HasFeature("HASH"):
		reply, err := c.exchange(ctx, 213, "HASH", path)
		if err != nil {
			return "", "", err
		}
		f := strings.Fields(reply.Lines[len(reply.Lines)-1])
		if len(f) < 3 || len(f[2]) < 8 || !isHex(f[2]) {
			return "", "", &Error{Kind: KindProtocol, Op: "HASH", Err: fmt.Errorf("malformed reply %q", clip(reply.Msg()))}
		}
		return f[0], strings.ToLower(f[2]), nil
	case c.HasFeature("XSHA256"):
		return c.xhash(ctx, "XSHA256", "SHA-256", 64, path)
	case c.HasFeature("XMD5"):
		return c.xhash(ctx, "XMD5", "MD5", 32, path)
	}
	return "", "", &Error{Kind: KindOther, Op: "HASH", Err: ErrHashUnsupported}
}

// xhash runs one of the older hash commands (XSHA256, XMD5), whose 2yz
// replies put a hex digest of n digits somewhere in the text: "213 <hex>"
// or "250 <hex>" (proftpd's mod_digest), some with the name around it.
func (c *Conn) xhash(ctx context.Context, verb, algo string, n int, path string) (string, string, error) {
	reply, err := c.exchange(ctx, 2, verb, path)
	if err != nil {
		return "", "", err
	}
	for _, f := range strings.Fields(reply.Msg()) {
		if len(f) == n && isHex(f) {
			return algo, strings.ToLower(f), nil
		}
	}
	return "", "", &Error{Kind: KindProtocol, Op: verb, Err: fmt.Errorf("no %s digest in reply %q", algo, clip(reply.Msg()))}
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9', c >= 'a' && c <= 'f', c >= 'A' && c <= 'F':
		default:
			return false
		}
	}
	return s != ""
}
