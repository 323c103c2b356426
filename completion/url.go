package completion

import (
	"context"
	"io"
	"net/url"
	"strings"

	"github.com/ferry-ftp/ferry/client"
	"github.com/ferry-ftp/ferry/internal/ftpurl"
)

// Dial connects to the server a URL names and returns a Lister for it. URL
// closes the Lister after one listing when it is an io.Closer. t.Path is
// the folder about to be listed.
type Dial func(ctx context.Context, t ftpurl.Target) (Lister, error)

// URL completes an ftp://, ftps:// or ftpes:// URL prefix:
// "ftp://host/pub/pa" gives "ftp://host/pub/pack.tgz" and
// "ftp://host/pub/patches/". Until the host part ends with its "/" it
// returns nothing and does not dial. The text typed is kept as it is,
// scheme, user, password, port and escapes included: it is the user's own
// line. Only the completed part of a name is percent-encoded, where a URL
// needs it (see escapeName). Otherwise URL completes as Remote does.
func URL(ctx context.Context, dial Dial, prefix string) ([]string, error) {
	i := strings.Index(prefix, "://")
	if i <= 0 {
		return nil, nil
	}
	slash := strings.IndexByte(prefix[i+3:], '/')
	if slash < 0 {
		return nil, nil
	}
	base := prefix[:i+3+slash+1] // "ftp://user@host:port/"
	rawDir, rawPartial := splitLast(prefix[len(base):], "/")
	partial, err := url.PathUnescape(rawPartial)
	if err != nil {
		// A half-typed escape such as "%2": nothing to complete yet.
		return nil, nil
	}
	t, err := ftpurl.Parse(base + rawDir)
	if err != nil {
		return nil, err
	}
	dir := cleanDir(t.Path)
	entries, err := within(ctx, func(ctx context.Context) ([]client.Entry, error) {
		l, err := dial(ctx, t)
		if err != nil {
			return nil, err
		}
		if c, ok := l.(io.Closer); ok {
			defer c.Close()
		}
		return l.ReadDir(ctx, dir)
	})
	if err != nil {
		return nil, err
	}
	var out []string
	for _, m := range matchEntries(entries, partial) {
		out = append(out, complete(prefix, m, escapeName(m.name[len(partial):])))
	}
	return sortUnique(out), nil
}

// escapeName percent-encodes what cannot stand for itself in a URL path
// segment: controls, space and DEL, "%" (an escape), "#" and "?" (which
// would end the path for other tools), ";" (which could start a typecode)
// and "/" (which would split the name). Other bytes, UTF-8 included, stay
// as they are, so that the candidate reads like the name.
func escapeName(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c == 0x7f || strings.IndexByte("%#?;/", c) >= 0 {
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&0xf])
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}
