package client

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/ianaindex"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
)

// Servers that are not UTF-8.
//
// FTP names are bytes (RFC 959); RFC 2640 asks for UTF-8, which many
// servers do not use. Without WithCharset a Conn converts nothing: a name
// travels as the bytes the server sent, valid UTF-8 or not, so that it
// comes back byte for byte. With WithCharset the Conn speaks UTF-8 to its
// caller and the server's charset on the wire, in exactly two places:
// wire, for the argument of every command but USER, PASS and ACCT, and
// text, for every reply line and every listing line, before it is parsed.
// A listing is split into lines on the raw bytes, so a decoder can neither
// merge nor split them; the charsets accepted keep ASCII as it is (see
// checkCharset), so decoding and encoding never make a CR, LF or NUL that
// was not there.

// ErrNotInCharset reports a name that cannot be sent in the server's
// charset (see WithCharset): a character the charset lacks, bytes that are
// not UTF-8 text, a name the server's listing held in bytes that are not
// in its charset (shown with U+FFFD), or a form that holds the byte 0xFF.
// Such a name is never sent in another form. Test with errors.Is.
var ErrNotInCharset = errors.New("cannot be sent in the server's charset")

// WithCharset makes the connection speak to a server whose names and
// replies are in enc rather than UTF-8 (latin1, cp1251, shift_jis...;
// see LookupCharset): arguments are encoded before they are sent (but for
// USER, PASS and ACCT, which go as given), and reply and listing lines
// are decoded as they are read, so that the caller sees UTF-8 only. A
// name that enc cannot represent is never sent (ErrNotInCharset); a
// listing line that is not exactly in enc is an unreadable line (see
// ListOptions.Unparsed) rather than an entry. Dial refuses an encoding
// that does not keep ASCII as it is. Nil (the default) converts nothing.
func WithCharset(enc encoding.Encoding) Option {
	return func(o *options) { o.charset = enc }
}

// Charset returns the encoding set with WithCharset, or nil.
func (c *Conn) Charset() encoding.Encoding { return c.opts.charset }

// charsetAliases adds names that neither the IANA nor the WHATWG index
// knows: Windows code page numbers of the East Asian charsets.
var charsetAliases = map[string]encoding.Encoding{
	"cp932": japanese.ShiftJIS, "ms932": japanese.ShiftJIS, "windows-31j": japanese.ShiftJIS,
	"cp936": simplifiedchinese.GBK, "cp949": korean.EUCKR, "cp950": traditionalchinese.Big5,
}

// CharsetExamples lists some of the names LookupCharset knows, for help
// texts and error messages.
const CharsetExamples = "latin1, iso-8859-2 ... iso-8859-15, cp1250, cp1251, cp1252, cp866, koi8-r, koi8-u, shift_jis, euc-jp, gbk, gb18030, big5, euc-kr, utf-8"

// LookupCharset returns the encoding called name, by its IANA name or one
// of their aliases ("latin1" and "iso-8859-1" are ISO 8859-1), its WHATWG
// label ("cp1251", "sjis") or its Windows code page ("cp932"), in any
// case. It refuses an unknown name, and a charset that FTP cannot carry
// (one that does not keep ASCII as it is, such as UTF-16, or that switches
// modes with escape sequences, such as ISO-2022-JP).
func LookupCharset(name string) (encoding.Encoding, error) {
	key := strings.ToLower(strings.TrimSpace(name))
	enc := charsetAliases[key]
	if enc == nil {
		// IANA first: the WHATWG index reads "latin1" as windows-1252.
		if e, err := ianaindex.IANA.Encoding(key); err == nil && e != nil {
			enc = e
		} else if e, err := htmlindex.Get(key); err == nil && e != nil {
			enc = e
		}
	}
	if enc == nil {
		return nil, fmt.Errorf("unknown charset %q; known names include %s", name, CharsetExamples)
	}
	if err := checkCharset(enc); err != nil {
		return nil, fmt.Errorf("charset %q %w", name, err)
	}
	return enc, nil
}

// CharsetName returns the name of enc for messages: its MIME name in
// lower case ("windows-1251", "iso-8859-1"), else how it prints.
func CharsetName(enc encoding.Encoding) string {
	if n, err := ianaindex.MIME.Name(enc); err == nil && n != "" {
		return strings.ToLower(n)
	}
	if n, err := htmlindex.Name(enc); err == nil && n != "" {
		return n
	}
	return fmt.Sprint(enc)
}

// checkCharset refuses an encoding that FTP cannot carry: each ASCII
// byte must stand for itself both ways, so that the command's verb, the
// separators "/" and " " and the line ends mean what they say, and no
// stateful encoding, whose escape sequences ASCII alone could start.
func checkCharset(enc encoding.Encoding) error {
	switch enc {
	case japanese.ISO2022JP, simplifiedchinese.HZGB2312:
		return errors.New("switches modes with escape sequences, which FTP names cannot carry")
	}
	for b := range 0x80 {
		s := string(rune(b))
		d, derr := enc.NewDecoder().String(s)
		e, eerr := enc.NewEncoder().String(s)
		if derr != nil || eerr != nil || d != s || e != s {
			return errors.New("does not keep ASCII as it is, and FTP commands are ASCII")
		}
	}
	return nil
}

// text returns a line the server sent (a reply line, a listing line) as
// the caller sees it, and whether it is exact. Without a charset it is
// the bytes as they are. With one it is the line decoded from it; when
// the bytes are not exactly in the charset (a byte sequence it lacks, or
// one that encodes back differently), every byte outside ASCII is shown
// as U+FFFD, which wire refuses to send: a name read wrongly is never
// sent as another. A line without CR, LF or NUL never gains one.
func (c *Conn) text(raw []byte) (string, bool) {
	enc := c.opts.charset
	if enc == nil || isASCII(raw) {
		return string(raw), true
	}
	if d, err := enc.NewDecoder().Bytes(raw); err == nil {
		if e, err := enc.NewEncoder().Bytes(d); err == nil && bytes.Equal(e, raw) {
			return string(d), true
		}
	}
	var b strings.Builder
	for _, x := range raw {
		if x < utf8.RuneSelf {
			b.WriteByte(x)
		} else {
			b.WriteRune(utf8.RuneError)
		}
	}
	return b.String(), false
}

// textLine returns a listing line as the caller sees it (see text).
func (c *Conn) textLine(raw []byte) string {
	s, _ := c.text(raw)
	return s
}

// decodeReply decodes the lines of a reply (see text).
func (c *Conn) decodeReply(r *Reply) {
	if c.opts.charset == nil {
		return
	}
	for i, l := range r.Lines {
		r.Lines[i], _ = c.text([]byte(l))
	}
}

// loginVerb reports the commands whose arguments go as given: the user
// name, password and account are not names on the server.
func loginVerb(verb string) bool {
	switch strings.ToUpper(verb) {
	case "USER", "PASS", "ACCT":
		return true
	}
	return false
}

// wire returns the argument of verb as it is sent: in the server's
// charset (see WithCharset) unless verb is a login command, and checked by
// checkArg. An argument the charset cannot carry is an *Error matching
// ErrNotInCharset, and nothing is sent.
func (c *Conn) wire(verb, arg string) (string, error) {
	enc := c.opts.charset
	if enc != nil && !loginVerb(verb) && !isASCIIString(arg) {
		w, err := encodeArg(enc, arg)
		if err != nil {
			return "", &Error{Kind: KindOther, Op: verb, Err: fmt.Errorf("%q %w (%s): %w", arg, ErrNotInCharset, CharsetName(enc), err)}
		}
		arg = w
	}
	if err := checkArg(arg); err != nil {
		return "", &Error{Kind: KindOther, Op: verb, Err: err}
	}
	return arg, nil
}

// encodeArg encodes arg in enc, refusing what would not name the same
// thing on the server.
func encodeArg(enc encoding.Encoding, arg string) (string, error) {
	switch {
	case !utf8.ValidString(arg):
		return "", errors.New("its bytes are not UTF-8 text")
	case strings.ContainsRune(arg, utf8.RuneError):
		return "", errors.New("it holds U+FFFD, which stands for bytes the charset could not read")
	}
	w, err := enc.NewEncoder().String(arg)
	if err != nil {
		return "", errors.New("it holds characters the charset lacks")
	}
	if back, err := enc.NewDecoder().String(w); err != nil || back != arg {
		// Two characters with one form (GB18030 has such): the
		// server would read another name.
		return "", errors.New("its form in the charset stands for another name")
	}
	if strings.IndexByte(w, 0xFF) >= 0 {
		return "", errors.New("its form holds the byte 0xFF, the Telnet IAC, which ferry never sends")
	}
	return w, nil
}

// isASCII reports whether b holds only ASCII bytes.
func isASCII(b []byte) bool {
	for _, x := range b {
		if x >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// isASCIIString reports whether s holds only ASCII bytes.
func isASCIIString(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
