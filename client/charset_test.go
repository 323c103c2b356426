package client

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"

	"github.com/ferry-ftp/ferry/internal/ftptest"
)

// Names in cp1251 bytes, as a Russian Windows server holds them.
const (
	cp1251Hello  = "\xcf\xf0\xe8\xe2\xe5\xf2.txt" // "Привет.txt"
	cp1251Folder = "\xcf\xe0\xef\xea\xe0"         // "Папка"
	cp1251New    = "\xcd\xee\xe2\xfb\xe9.txt"     // "Новый.txt"
	cp1251Report = "\xce\xf2\xf7\xb8\xf2.doc"     // "Отчёт.doc"
)

func TestLookupCharset(t *testing.T) {
	for name, want := range map[string]string{
		"latin1": "iso-8859-1", "ISO-8859-1": "iso-8859-1", "iso-8859-2": "iso-8859-2",
		"iso-8859-15": "iso-8859-15", "cp1250": "windows-1250", "cp1251": "windows-1251",
		"Windows-1251": "windows-1251", "cp1252": "windows-1252", "cp866": "ibm866",
		"koi8-r": "koi8-r", "koi8-u": "koi8-u", "shift_jis": "shift_jis", "sjis": "shift_jis",
		"cp932": "shift_jis", "euc-jp": "euc-jp", "gbk": "gbk", "gb2312": "gbk", "gb18030": "gb18030",
		"big5": "big5", "euc-kr": "euc-kr", "cp949": "euc-kr", "utf-8": "utf-8", "utf8": "utf-8",
	} {
		enc, err := LookupCharset(name)
		if err != nil {
			t.Errorf("LookupCharset(%q): %v", name, err)
			continue
		}
		if got := CharsetName(enc); got != want {
			t.Errorf("LookupCharset(%q) is %s, want %s", name, got, want)
		}
	}
	for name, want := range map[string]string{
		"bogus":       "unknown charset \"bogus\"; known names include latin1,",
		"":            "unknown charset",
		"utf-16":      "does not keep ASCII",
		"utf-16be":    "does not keep ASCII",
		"ibm037":      "does not keep ASCII", // EBCDIC
		"iso-2022-jp": "escape sequences",
		"hz-gb-2312":  "escape sequences",
	} {
		if _, err := LookupCharset(name); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("LookupCharset(%q) = %v, want an error with %q", name, err, want)
		}
	}
}

// TestCharsetCommands: with cp1251, every command that carries a path
// sends it in cp1251 bytes, and the names of listings and replies come
// back in UTF-8.
func TestCharsetCommands(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{})
	writeFile(t, srv, cp1251Folder+"/"+cp1251Hello, []byte("hello"))
	enc, err := LookupCharset("cp1251")
	if err != nil {
		t.Fatal(err)
	}
	c := dialLogin(t, srv, WithCharset(enc))
	ctx := testCtx(t)
	srv.ResetCommands()

	if err := c.Cwd(ctx, "Папка"); err != nil {
		t.Fatal(err)
	}
	if wd, err := c.Pwd(ctx); err != nil || wd != "/Папка" {
		t.Errorf("Pwd = %q, %v; want /Папка", wd, err)
	}
	if err := c.Cwd(ctx, "/"); err != nil {
		t.Fatal(err)
	}
	if n, err := c.Size(ctx, "Папка/Привет.txt"); err != nil || n != 5 {
		t.Errorf("Size = %d, %v", n, err)
	}
	if _, err := c.ModTime(ctx, "Папка/Привет.txt"); err != nil {
		t.Errorf("ModTime: %v", err)
	}
	if _, errs, err := c.ModTimes(ctx, []string{"Папка/Привет.txt"}); err != nil || errs[0] != nil {
		t.Errorf("ModTimes: %v %v", err, errs)
	}
	if e, err := c.MLST(ctx, "Папка/Привет.txt"); err != nil || e.Name != "/Папка/Привет.txt" {
		t.Errorf("MLST = %q, %v", e.Name, err)
	}
	if got := get(t, c, "Папка/Привет.txt", 0); string(got) != "hello" {
		t.Errorf("Retr = %q", got)
	}
	put(t, c, "Папка/Новый.txt", 0, []byte("new"), false)
	if err := c.Rename(ctx, "Папка/Новый.txt", "Папка/Отчёт.doc"); err != nil {
		t.Fatal(err)
	}
	if err := c.Chmod(ctx, "Папка/Отчёт.doc", 0o600); err != nil {
		t.Fatal(err)
	}
	if p, err := c.Mkd(ctx, "Папка/Новый.txt"); err != nil || p != "/Папка/Новый.txt" {
		t.Errorf("Mkd = %q, %v", p, err)
	}
	if err := c.Rmd(ctx, "Папка/Новый.txt"); err != nil {
		t.Fatal(err)
	}
	entries, unparsed, err := c.MLSD(ctx, "Папка")
	if err != nil || len(unparsed) > 0 {
		t.Fatalf("MLSD: %v %q", err, unparsed)
	}
	if got := entryNames(entries); !slices.Equal(got, []string{"Отчёт.doc", "Привет.txt"}) {
		t.Errorf("MLSD names = %q", got)
	}
	entries, unparsed, err = c.List(ctx, "Папка")
	if err != nil || len(unparsed) > 0 {
		t.Fatalf("LIST: %v %q", err, unparsed)
	}
	if got := entryNames(entries); !slices.Equal(got, []string{"Отчёт.doc", "Привет.txt"}) {
		t.Errorf("LIST names = %q", got)
	}
	names, err := c.NameList(ctx, "Папка")
	if slices.Sort(names); err != nil || !slices.Equal(names, []string{"Отчёт.doc", "Привет.txt"}) {
		t.Errorf("NLST = %q, %v", names, err)
	}
	if err := c.Dele(ctx, "Папка/Отчёт.doc"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(srv.Root(), cp1251Folder, cp1251Report)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Dele left the file: %v", err)
	}

	matchCommands(t, commandsExcept(srv.Commands(), "EPSV", "TYPE"), []string{
		"CWD " + cp1251Folder,
		"PWD",
		"CWD /",
		"SIZE " + cp1251Folder + "/" + cp1251Hello,
		"MDTM " + cp1251Folder + "/" + cp1251Hello,
		"MDTM " + cp1251Folder + "/" + cp1251Hello,
		"MLST " + cp1251Folder + "/" + cp1251Hello,
		"RETR " + cp1251Folder + "/" + cp1251Hello,
		"STOR " + cp1251Folder + "/" + cp1251New,
		"RNFR " + cp1251Folder + "/" + cp1251New,
		"RNTO " + cp1251Folder + "/" + cp1251Report,
		"SITE CHMOD 600 " + cp1251Folder + "/" + cp1251Report,
		"MKD " + cp1251Folder + "/" + cp1251New,
		"RMD " + cp1251Folder + "/" + cp1251New,
		"MLSD " + cp1251Folder,
		"LIST " + cp1251Folder,
		"NLST " + cp1251Folder,
		"DELE " + cp1251Folder + "/" + cp1251Report,
	})
}

// commandsExcept leaves out the commands with the given verbs.
func commandsExcept(cmds []string, verbs ...string) []string {
	return slices.DeleteFunc(slices.Clone(cmds), func(c string) bool {
		return slices.Contains(verbs, commandName(c))
	})
}

func entryNames(es []Entry) []string {
	var names []string
	for _, e := range es {
		names = append(names, e.Name)
	}
	slices.Sort(names)
	return names
}

// TestCharsetNotEncodable: a name the server's charset cannot carry is
// never sent, in any form: a character cp1251 lacks, one whose cp1251
// byte is 0xFF (the Telnet IAC: "я"), bytes that are not UTF-8, and
// U+FFFD, which stands for bytes a listing held that were not cp1251.
func TestCharsetNotEncodable(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{})
	enc, _ := LookupCharset("cp1251")
	c := dialLogin(t, srv, WithCharset(enc))
	ctx := testCtx(t)
	srv.ResetCommands()
	for _, name := range []string{"日本.txt", "я.txt", "caf\xe9.txt", "a\ufffdb.txt"} {
		for op, run := range map[string]func() error{
			"Dele": func() error { return c.Dele(ctx, name) },
			"Cwd":  func() error { return c.Cwd(ctx, name) },
			"Retr": func() error { _, err := c.Retr(ctx, name, 0); return err },
			"Stor": func() error { _, err := c.Stor(ctx, name, 0); return err },
			"RNTO": func() error { return c.Rename(ctx, "a.txt", name) },
			"MDTM": func() error {
				_, errs, err := c.ModTimes(ctx, []string{name})
				if err != nil {
					return err
				}
				return errs[0]
			},
		} {
			err := run()
			if !errors.Is(err, ErrNotInCharset) {
				t.Errorf("%s %q = %v, want ErrNotInCharset", op, name, err)
			}
		}
	}
	if err := c.Dele(ctx, "я.txt"); err == nil || !strings.Contains(err.Error(), "0xFF") {
		t.Errorf("Dele я.txt = %v, want a word on 0xFF", err)
	}
	matchCommands(t, srv.Commands(), nil)
	// The connection is fine.
	if err := c.Noop(ctx); err != nil {
		t.Fatal(err)
	}
}

// TestCharsetUnreadableLine: a listing line that is not exactly cp1251
// (0x98 is no cp1251 character) is reported as the server sent it, never
// made an entry; the other lines are read.
func TestCharsetUnreadableLine(t *testing.T) {
	for _, verb := range []string{"MLSD", "LIST"} {
		t.Run(verb, func(t *testing.T) {
			srv := ftptest.New(t, ftptest.Config{Disable: disableFor(verb)})
			writeFile(t, srv, cp1251Hello, []byte("hello"))
			writeFile(t, srv, "bad\x98.txt", []byte("x"))
			enc, _ := LookupCharset("cp1251")
			c := dialLogin(t, srv, WithCharset(enc))
			var unparsed []string
			var got []string
			err := c.ReadDirFunc(testCtx(t), "", ListOptions{Unparsed: func(l string) { unparsed = append(unparsed, l) }},
				func(e Entry) error { got = append(got, e.Name); return nil })
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, []string{"Привет.txt"}) {
				t.Errorf("entries = %q", got)
			}
			if len(unparsed) != 1 || !strings.HasSuffix(unparsed[0], "bad\x98.txt") {
				t.Errorf("unparsed = %q, want the raw line of bad\\x98.txt", unparsed)
			}
			// The lines of the text listings show the bytes they could not
			// read as U+FFFD, which is never sent.
			lines, err := c.NameList(testCtx(t), "")
			if err != nil || !slices.Contains(lines, "bad\ufffd.txt") || !slices.Contains(lines, "Привет.txt") {
				t.Errorf("NLST = %q, %v", lines, err)
			}
			if err := c.Dele(testCtx(t), "bad\ufffd.txt"); !errors.Is(err, ErrNotInCharset) {
				t.Errorf("Dele of the unreadable name = %v", err)
			}
		})
	}
}

// hasByte reports whether s holds any of the bytes of set.
func hasByte(s, set string) bool {
	for i := 0; i < len(set); i++ {
		if strings.IndexByte(s, set[i]) >= 0 {
			return true
		}
	}
	return false
}

func disableFor(verb string) []string {
	if verb == "LIST" {
		return []string{"MLST", "MLSD"}
	}
	return nil
}

// TestCharsetReplies: reply text and the paths of 257 replies are
// decoded; the trace shows the names in UTF-8 both ways.
func TestCharsetReplies(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{Hook: hookVerb("DELE", 1, &ftptest.Reply{Raw: []byte("550 \xd4\xe0\xe9\xeb \xed\xe5 \xed\xe0\xe9\xe4\xe5\xed\r\n")})})
	enc, _ := LookupCharset("cp1251")
	var trace strings.Builder
	c := dialLogin(t, srv, WithCharset(enc), WithTrace(&trace))
	ctx := testCtx(t)
	if p, err := c.Mkd(ctx, "Папка"); err != nil || p != "/Папка" {
		t.Errorf("Mkd = %q, %v", p, err)
	}
	if _, err := os.Stat(filepath.Join(srv.Root(), cp1251Folder)); err != nil {
		t.Errorf("the folder is not named in cp1251: %v", err)
	}
	err := c.Dele(ctx, "Привет.txt")
	var re *ReplyError
	if !errors.As(err, &re) || re.Msg != "Файл не найден" || re.Cmd != "DELE Привет.txt" {
		t.Errorf("Dele = %#v", err)
	}
	for _, want := range []string{"> MKD Папка", `< 257 "/Папка"`, "> DELE Привет.txt", "< 550 Файл не найден"} {
		if !strings.Contains(trace.String(), want) {
			t.Errorf("trace lacks %q:\n%s", want, trace.String())
		}
	}
}

// TestCharsetLatin1: ISO 8859-1 reads every byte, so no line is
// unreadable; C1 bytes come back as C1 characters and go out as the same
// bytes.
func TestCharsetLatin1(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{})
	writeFile(t, srv, "caf\xe9.txt", []byte("x"))
	writeFile(t, srv, "c1\x85.txt", []byte("y"))
	enc, _ := LookupCharset("latin1")
	c := dialLogin(t, srv, WithCharset(enc))
	entries, unparsed, err := c.ReadDir(testCtx(t), "")
	if err != nil || len(unparsed) > 0 {
		t.Fatal(err, unparsed)
	}
	if got := entryNames(entries); !slices.Equal(got, []string{"c1\u0085.txt", "café.txt"}) {
		t.Errorf("names = %q", got)
	}
	if got := get(t, c, "c1\u0085.txt", 0); string(got) != "y" {
		t.Errorf("Retr = %q", got)
	}
}

// TestDialRefusesCharset: an encoding that does not keep ASCII is refused
// before anything is sent.
func TestDialRefusesCharset(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{})
	_, err := Dial(testCtx(t), srv.Addr(), WithCharset(charmap.CodePage037))
	if err == nil || !strings.Contains(err.Error(), "ASCII") {
		t.Fatalf("Dial = %v", err)
	}
}

// charsetsUnderTest are the charsets the fuzz target and property test
// run through.
var charsetsUnderTest = []string{"latin1", "iso-8859-2", "iso-8859-5", "iso-8859-15", "cp1250", "cp1251", "cp1252",
	"cp866", "koi8-r", "koi8-u", "shift_jis", "euc-jp", "gbk", "gb18030", "big5", "euc-kr", "utf-8", "macintosh"}

func testCharsets(t testing.TB) []encoding.Encoding {
	var out []encoding.Encoding
	for _, n := range charsetsUnderTest {
		enc, err := LookupCharset(n)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, enc)
	}
	return out
}

// FuzzCharsetText: decoding a line from the server never yields a CR, LF
// or NUL the bytes did not hold, and never more lines; a line read
// exactly goes back as the same bytes; whatever a name becomes, the wire
// form never holds CR, LF, NUL or 0xFF.
func FuzzCharsetText(f *testing.F) {
	for _, s := range []string{"", "plain.txt", cp1251Hello, "bad\x98.txt", "\xff.txt", "\x83\x5c", "\x81\x30\x81\x30",
		"a\x82\nb", "\x8e\r", "\xe3\x81\x82", "\xef\xbb\xbfname", "\x1b$B$\"\x1b(B", "\x00\xa0", "\xa1\x0a"} {
		f.Add([]byte(s))
	}
	encs := testCharsets(f)
	f.Fuzz(func(t *testing.T, raw []byte) {
		for i, enc := range encs {
			c := &Conn{opts: options{charset: enc}}
			s, exact := c.text(raw)
			for _, b := range []byte{'\r', '\n', 0} {
				if strings.IndexByte(s, b) >= 0 && !slices.Contains(raw, b) {
					t.Fatalf("%s: text(%q) = %q made a %q", charsetsUnderTest[i], raw, s, b)
				}
			}
			w, err := c.wire("RETR", s)
			if err == nil {
				if hasByte(w, "\r\n\x00\xff") {
					t.Fatalf("%s: wire(%q) = %q", charsetsUnderTest[i], s, w)
				}
				if exact && w != string(raw) {
					t.Fatalf("%s: %q read as %q goes back as %q", charsetsUnderTest[i], raw, s, w)
				}
				if !exact {
					t.Fatalf("%s: %q, not read exactly as %q, can be sent as %q", charsetsUnderTest[i], raw, s, w)
				}
			}
		}
	})
}

// FuzzCharsetWire: any name's wire form, in any charset, holds no CR,
// LF, NUL or 0xFF, and reads back as the name.
func FuzzCharsetWire(f *testing.F) {
	for _, s := range []string{"Привет.txt", "я", "日本語", "café", "a\rb", "€", "\u0085", "ソ表", "한국어", "中文"} {
		f.Add(s)
	}
	encs := testCharsets(f)
	f.Fuzz(func(t *testing.T, name string) {
		for i, enc := range encs {
			c := &Conn{opts: options{charset: enc}}
			w, err := c.wire("STOR", name)
			if err != nil {
				continue
			}
			if hasByte(w, "\r\n\x00\xff") {
				t.Fatalf("%s: wire(%q) = %q", charsetsUnderTest[i], name, w)
			}
			if back, exact := c.text([]byte(w)); !exact || back != name {
				t.Fatalf("%s: %q sent as %q reads back as %q (exact %v)", charsetsUnderTest[i], name, w, back, exact)
			}
		}
	})
}

// TestCharsetNeverMakesControls: no byte sequence of a charset decodes
// to a CR, LF or NUL (checked for every byte and byte pair).
func TestCharsetNeverMakesControls(t *testing.T) {
	encs := testCharsets(t)
	for i, enc := range encs {
		c := &Conn{opts: options{charset: enc}}
		for a := 0x80; a < 0x100; a++ {
			for b := 0x20; b < 0x100; b++ {
				raw := []byte{byte(a), byte(b)}
				if s, _ := c.text(raw); strings.ContainsAny(s, "\r\n\x00") {
					t.Fatalf("%s: %q reads as %q", charsetsUnderTest[i], raw, s)
				}
			}
		}
	}
}
