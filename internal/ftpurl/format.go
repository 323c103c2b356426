package ftpurl

import (
	"fmt"
	"strconv"
	"strings"
)

// String returns t as an address a person can read and Parse can read back:
// "NAME:path" for an unresolved bookmark reference, else a URL. A password
// is shown as "****", never in clear, and a default port is left out.
func (t Target) String() string {
	if t.Host == "" && t.Bookmark != "" {
		return t.Bookmark + ":" + t.Path
	}
	scheme := t.Scheme
	if scheme == "" {
		scheme = SchemeFTP
	}
	var b strings.Builder
	b.WriteString(scheme)
	b.WriteString("://")
	if t.User != "" || t.HasPassword {
		b.WriteString(escape(t.User, true))
		if t.HasPassword {
			b.WriteString(":****")
		}
		b.WriteByte('@')
	}
	if strings.Contains(t.Host, ":") {
		b.WriteByte('[')
		b.WriteString(strings.Replace(t.Host, "%", "%25", 1))
		b.WriteByte(']')
	} else {
		b.WriteString(t.Host)
	}
	if t.Port != 0 && t.Port != DefaultPort(scheme) {
		b.WriteByte(':')
		b.WriteString(strconv.Itoa(t.Port))
	}
	if t.Path != "" || t.Type != 0 {
		b.WriteByte('/')
	}
	for i, seg := range strings.Split(t.Path, "/") {
		if i > 0 {
			b.WriteByte('/')
		}
		b.WriteString(escape(seg, false))
	}
	if t.Type != 0 {
		b.WriteString(";type=")
		b.WriteByte(t.Type)
	}
	return b.String()
}

// escape percent-encodes s for a path segment or, when userinfo is true,
// for the user part of a URL. It keeps RFC 3986 unreserved characters and
// most sub-delimiters; it encodes ';' so that no segment can look like a
// typecode, and '?' and '#' so that other tools read the URL the same way.
func escape(s string, userinfo bool) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		keep := isAlpha(c) || isDigit(c) || strings.IndexByte("-._~!$&'()*+,=", c) >= 0 ||
			(!userinfo && (c == ':' || c == '@'))
		if keep {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&0xf])
	}
	return b.String()
}

// unescape decodes %XX sequences. Unlike a query decoder it leaves '+'
// alone. A '%' not followed by two hex digits is an error.
func unescape(s string) (string, error) {
	if !strings.Contains(s, "%") {
		return s, nil
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '%' {
			b.WriteByte(s[i])
			continue
		}
		if i+2 >= len(s) {
			return "", fmt.Errorf("bad percent-encoding %q: want two hex digits after '%%'", s[i:])
		}
		hi, ok1 := unhex(s[i+1])
		lo, ok2 := unhex(s[i+2])
		if !ok1 || !ok2 {
			return "", fmt.Errorf("bad percent-encoding %q", s[i:i+3])
		}
		b.WriteByte(hi<<4 | lo)
		i += 2
	}
	return b.String(), nil
}

func unhex(c byte) (byte, bool) {
	switch {
	case isDigit(c):
		return c - '0', true
	case 'a' <= c|0x20 && c|0x20 <= 'f':
		return (c | 0x20) - 'a' + 10, true
	}
	return 0, false
}
